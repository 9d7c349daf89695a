"""The logged-in pupil (a tutor), kept apart from the staff login: its own session-state key, idle expiry
and logout. A pupil session never holds an ``AuthenticatedUser``, so no staff page can be reached with it."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from peermatch.auth import is_expired
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services.privacy import record_pupil_logout
from peermatch.training import ModuleSet, load_modules
from ui.db import database
from ui.i18n import current_lang, t
from ui.text import plain

__all__ = ["IDLE_MINUTES", "current_pupil", "log_in_pupil", "modules", "pupil_logout_button", "require_pupil"]

IDLE_MINUTES = 20
PUPIL, _SEEN = "pupil_user", "pupil_last_seen"


def _now() -> datetime:
    return datetime.now(UTC)


def log_in_pupil(pupil: AuthenticatedPupil) -> None:
    for key in ("auth_user", "auth_last_seen"):  # one kind of login per browser session
        st.session_state.pop(key, None)
    st.session_state[PUPIL] = pupil
    st.session_state[_SEEN] = _now()


def _log_out() -> None:
    for key in list(st.session_state):
        if key not in ("lang",):
            del st.session_state[key]


def current_pupil() -> AuthenticatedPupil | None:
    """The logged-in pupil, or None (also after ``IDLE_MINUTES`` without activity)."""
    pupil = st.session_state.get(PUPIL)
    if not isinstance(pupil, AuthenticatedPupil):
        return None
    now = _now()
    if is_expired(st.session_state.get(_SEEN, now), now, IDLE_MINUTES):
        _log_out()
        st.session_state["pupil_expired"] = True
        return None
    st.session_state[_SEEN] = now
    return pupil


def require_pupil() -> AuthenticatedPupil:
    pupil = current_pupil()
    if pupil is None:
        st.stop()
    return pupil


def pupil_logout_button(pupil: AuthenticatedPupil) -> None:
    st.sidebar.caption(t("tutor.login.as", name=plain(pupil.first_name), group=plain(pupil.group_name)))
    if st.sidebar.button(t("tutor.login.logout"), key="pupil_logout"):
        record_pupil_logout(database(), pupil)
        _log_out()
        st.rerun()


@st.cache_resource(show_spinner=False)
def _modules(lang: str) -> ModuleSet:
    return load_modules(lang)


def modules() -> ModuleSet:
    """The training modules in the user's language (read once per process)."""
    return _modules(current_lang())
