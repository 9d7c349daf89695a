"""Who is logged in: the staff member in session state, the login form, logout and idle expiry."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from peermatch.auth import AuthenticatedUser, authenticate, is_expired
from ui.db import session
from ui.i18n import t

__all__ = ["IDLE_MINUTES", "current_user", "log_in", "login_form", "logout_button", "require_user"]

IDLE_MINUTES = 30
_USER, _SEEN = "auth_user", "auth_last_seen"


def _now() -> datetime:
    return datetime.now(UTC)


def log_in(user: AuthenticatedUser) -> None:
    st.session_state[_USER] = user
    st.session_state[_SEEN] = _now()


def _log_out() -> None:
    for key in list(st.session_state):
        if key not in ("lang",):
            del st.session_state[key]


def current_user() -> AuthenticatedUser | None:
    """The logged-in user, or None; a session idle for ``IDLE_MINUTES`` is logged out (with a message)."""
    user = st.session_state.get(_USER)
    if not isinstance(user, AuthenticatedUser):
        return None
    now = _now()
    if is_expired(st.session_state.get(_SEEN, now), now, IDLE_MINUTES):
        _log_out()
        st.session_state["auth_expired"] = True
        return None
    st.session_state[_SEEN] = now
    return user


def require_user() -> AuthenticatedUser:
    """The user for a page; app.py only routes to work pages when someone is logged in."""
    user = current_user()
    if user is None:
        st.stop()
    return user


def login_form() -> None:
    """Username and password; on success the user is stored and the app reruns into the menu."""
    if st.session_state.pop("auth_expired", False):
        st.info(t("ui.login.expired"))
    with st.form("login"):
        username = st.text_input(t("ui.login.username"), key="login_username")
        password = st.text_input(t("ui.login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("ui.login.submit"), type="primary")
    if not submitted:
        return
    with session() as s:
        user = authenticate(s, username, password)
    if user is None:
        st.error(t("ui.login.failed"))
        return
    log_in(user)
    st.rerun()


def logout_button(user: AuthenticatedUser) -> None:
    st.sidebar.caption(t("ui.login.as", name=user.display_name, role=t(f"ui.role.{user.role.value}")))
    if st.sidebar.button(t("ui.login.logout"), key="logout"):
        _log_out()
        st.rerun()
