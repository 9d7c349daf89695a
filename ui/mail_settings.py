"""Mijn account's e-mail part: your own address and whether you want the signal mails and the weekly summary."""

from __future__ import annotations

import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.notifications import MAX_EMAIL
from peermatch.services.notifications import mail_configured, mail_prefs, set_mail_prefs
from peermatch.vocabulary import StaffRole
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t

__all__ = ["mail_settings_form"]


def mail_settings_form(user: AuthenticatedUser) -> None:
    """The form; a beheerder gets no signal mails (they see no worries), an IB'er also the weekly switch."""
    st.subheader(t("notifications.title"))
    if not mail_configured():
        st.caption(t("notifications.none_configured"))
    with shown_errors():
        prefs = mail_prefs(database(), user)
        with st.form("mail_settings"):
            email = st.text_input(
                t("notifications.email"), value=prefs.email or "", max_chars=MAX_EMAIL, key="mail_email"
            )
            signals = prefs.signals
            if user.role is not StaffRole.BEHEERDER:
                signals = st.toggle(t("notifications.signals_switch"), value=prefs.signals, key="mail_signals")
            weekly = prefs.weekly
            if user.role is StaffRole.IB:
                weekly = st.toggle(t("notifications.weekly_switch"), value=prefs.weekly, key="mail_weekly")
            if st.form_submit_button(t("notifications.save")):
                set_mail_prefs(database(), user, email, signals=signals, weekly=weekly)
                st.success(t("notifications.saved"))
