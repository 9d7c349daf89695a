"""Who is logged in: the staff member in session state, the login form, logout and idle expiry.

The session holds an ``AuthenticatedUser``, but the database decides: app.py calls :func:`current_user`
at the start of every run, which reloads the account (``peermatch.services.login.reload_user``: two small queries)
and logs out a blocked or deleted account at once, and a session opened with a password that has since
been reset or changed elsewhere; a teacher's changed groups count from the next click. The session in
which a user changes their own password keeps going: the page stores the fresh user (:func:`log_in`).
The pages then take that fresh user with :func:`require_user` (no second reload in the same run).
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from peermatch.auth import AuthenticatedUser, is_expired
from peermatch.services.login import authenticate, reload_user
from peermatch.services.privacy import record_logout
from ui.client import request_address
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t
from ui.text import plain

__all__ = ["IDLE_MINUTES", "current_user", "log_in", "log_out", "login_form", "logout_button", "require_user"]

IDLE_MINUTES = 30
_USER, _SEEN, _NOTICE = "auth_user", "auth_last_seen", "auth_notice"


def _now() -> datetime:
    return datetime.now(UTC)


def log_in(user: AuthenticatedUser) -> None:
    st.session_state[_USER] = user
    st.session_state[_SEEN] = _now()


def log_out(notice: str | None = None) -> None:
    """Forget everything of this session but the language; ``notice`` (a catalogue code) is shown at the login."""
    for key in list(st.session_state):
        if key not in ("lang",):
            del st.session_state[key]
    if notice is not None:
        st.session_state[_NOTICE] = notice


def current_user() -> AuthenticatedUser | None:
    """The logged-in user as the database has them now, or None (app.py calls this once per run).

    An idle session (``IDLE_MINUTES``), a blocked or deleted account and a password changed since this
    session logged in are logged out, with a message on the login page.
    """
    user = st.session_state.get(_USER)
    if not isinstance(user, AuthenticatedUser):
        return None
    now = _now()
    if is_expired(st.session_state.get(_SEEN, now), now, IDLE_MINUTES):
        log_out("ui.login.expired")
        return None
    fresh = reload_user(database(), user.id, user.credential)
    # Refused: only the reason is looked up again (once per ended session, not per run).
    still_active = fresh is None and reload_user(database(), user.id) is not None
    if fresh is None:
        log_out("ui.login.password_changed" if still_active else "ui.login.blocked")
        return None
    st.session_state[_USER] = fresh
    st.session_state[_SEEN] = now
    return fresh


def require_user() -> AuthenticatedUser:
    """The user for a page: the one :func:`current_user` reloaded at the start of this run.

    app.py runs before every page (``st.navigation``) and only routes to work pages when someone is
    logged in, so the page needs no second trip to the database.
    """
    user = st.session_state.get(_USER)
    if not isinstance(user, AuthenticatedUser):
        st.stop()
    return user


def login_form() -> None:
    """Username and password; on success the user is stored and the app reruns into the menu."""
    if notice := st.session_state.pop(_NOTICE, None):
        (st.info if notice == "ui.login.expired" else st.warning)(t(notice))
    with st.form("login"):
        username = st.text_input(t("ui.login.username"), key="login_username")
        password = st.text_input(t("ui.login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("ui.login.submit"), type="primary")
    if not submitted:
        return
    user: AuthenticatedUser | None = None
    answered = False
    with shown_errors():  # a wait after too many failures, a closed demo account: their own message
        user = authenticate(database(), username, password, address=request_address())
        answered = True
    if user is None:
        if answered:
            st.error(t("ui.login.failed"))
        return
    log_in(user)
    st.rerun()


def logout_button(user: AuthenticatedUser) -> None:
    st.sidebar.caption(t("ui.login.as", name=plain(user.display_name), role=t(f"ui.role.{user.role.value}")))
    if st.sidebar.button(t("ui.login.logout"), key="logout"):
        record_logout(database(), user)
        log_out()
        st.rerun()
