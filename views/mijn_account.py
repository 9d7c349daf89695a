"""Mijn account (every staff role): your own name, username, role and groups, changing your password, and
your e-mail address for the notifications."""

from __future__ import annotations

import streamlit as st

from peermatch.services.accounts import GroupChoice, school_groups
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t
from ui.mail_settings import mail_settings_form
from ui.own_account import account_details, password_form

user = require_user()
st.title(t("accounts.mine.title"))
st.caption(t("accounts.mine.intro"))
if user.must_change_password:
    st.warning(t("login_guard.must_change"))

groups: list[GroupChoice] = []
if not user.school_wide:  # a leerkracht's own groups, by name
    with shown_errors():
        groups = school_groups(database(), user)
account_details(user, groups)

st.subheader(t("accounts.mine.password_title"))
password_form(user)
if not user.must_change_password:
    mail_settings_form(user)
