"""Instellingen (beheerder and IB'er): the numbers behind pair health and signals, one form. Opslaan stores
them for the whole school (``services.settings``: checked, role-checked and audited); a bad
combination shows what is wrong and stores nothing; "Standaardwaarden terugzetten" goes back to the defaults.
Below: how parents reach the school (the parent letter's contact line), how long the school keeps check-ins,
worries and pairs, and erasing a pupil or the school (AVG)."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from peermatch.errors import MonitoringError, Problem
from peermatch.monitoring import DEFAULT_THRESHOLDS, Thresholds
from peermatch.services import settings
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.letters_view import contact_section
from ui.privacy_view import erase_section, retention_section
from ui.text import plain

_KEY = "threshold_"


def _label(name: str) -> str:
    return t(f"settings.field.{name}.label")


def _problem_text(problem: Problem, values: Mapping[str, int]) -> str:
    """A threshold problem named by the field's label, as the IB'er sees it on this page."""
    name = problem.column or ""
    if name not in settings.THRESHOLD_NAMES:
        return problem.message(current_lang())
    if problem.code == "monitoring.threshold_order":
        lower = values.get(settings.ATTENTION_LIMIT.get(name, ""), "")
        return t("settings.error.order", label=_label(name), value=problem.value, lower=lower)
    if name == "mood_falling_sessions":
        return t("settings.error.mood", label=_label(name))
    return t("settings.error.invalid", label=_label(name), value=problem.value)


def _forget_inputs() -> None:
    """Drop the form's widget values, so the next run shows what is stored."""
    for name in settings.THRESHOLD_NAMES:
        st.session_state.pop(_KEY + name, None)


user = require_user()
st.title(t("settings.title"))
if user.role not in settings.SETTINGS_EDITORS:
    st.error(t("settings.editors_only"))
    st.stop()
if message := st.session_state.pop("settings_message", None):
    st.success(message)
current: settings.ThresholdSettings | None = None
with shown_errors():
    current = settings.monitoring_settings(database(), user)
if current is None:
    st.stop()
st.write(t("settings.intro"))
if current.updated_at is None:
    st.caption(t("settings.never_changed"))
else:
    when = f"{current.updated_at.astimezone():%d-%m-%Y %H:%M}"
    st.caption(t("settings.last_changed", name=plain(current.updated_by), when=when))
if current.changed:
    st.caption(t("settings.changed", names=", ".join(_label(n) for n in current.changed)))

with st.form("settings_thresholds"):
    st.subheader(t("settings.thresholds"))
    values: dict[str, int] = {}
    for name in settings.THRESHOLD_NAMES:
        value, default = getattr(current.thresholds, name), getattr(DEFAULT_THRESHOLDS, name)
        help_ = t(f"settings.field.{name}.help", default=default)
        values[name] = int(st.number_input(_label(name), min_value=1, value=value, step=1, help=help_, key=_KEY + name))
    save = st.form_submit_button(t("settings.save"), type="primary", key="settings_save")
if save:
    try:
        chosen = Thresholds(**values)
    except MonitoringError as exc:
        for problem in exc.problems:
            st.error(_problem_text(problem, values))
    else:
        with shown_errors():
            settings.set_monitoring_thresholds(database(), user, chosen)
            _forget_inputs()
            st.session_state["settings_message"] = t("settings.saved")
            st.rerun()
if st.button(t("settings.reset"), key="settings_reset", disabled=not current.changed):
    with shown_errors():
        settings.reset_monitoring_thresholds(database(), user)
        _forget_inputs()
        st.session_state["settings_message"] = t("settings.reset_done")
        st.rerun()

st.divider()
contact_section(user)
st.divider()
retention_section(user)
erase_section(user)
