"""Mijn account's parts: the staff member's own details and the form to change their own password.

The change goes through ``peermatch.services.passwords.change_own_password``: the password policy, one argon2
check of the current password (as slow as a login, right or wrong), and a wrong one audited like a
failed login. After ``MAX_WRONG`` wrong current passwords in one session the session is logged out, so
an unattended, logged-in screen is no better for guessing than the login form. After a change the
widget keys get a new number (``_NONCE``) and the app reruns, so no typed password stays in a widget.
This session then holds the fresh user (the new password's credential stamp), so it stays logged in,
while the account's other sessions end at their next click (``ui.auth.current_user``).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from peermatch.auth import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, AuthenticatedUser
from peermatch.errors import AuthError, Problem
from peermatch.services.accounts import GroupChoice
from peermatch.services.login import reload_user
from peermatch.services.passwords import change_own_password
from peermatch.vocabulary import StaffRole
from ui.auth import log_in, log_out
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t
from ui.text import plain

__all__ = ["MAX_WRONG", "account_details", "password_form"]

MAX_WRONG = 5  # wrong current passwords per session, then logged out
_DONE, _NONCE, _WRONG = "own_pw_done", "own_pw_nonce", "own_pw_wrong"


def account_details(user: AuthenticatedUser, groups: Sequence[GroupChoice]) -> None:
    """Name, username, role and groups (a leerkracht: their own groups; beheerder and ib: the whole school)."""
    if user.school_wide:
        group_text = t("accounts.whole_school")
    else:
        group_text = ", ".join(g.name for g in groups if g.id in user.group_ids) or t("accounts.no_groups")
    rows = [
        (t("accounts.col.name"), user.display_name),
        (t("accounts.col.username"), user.username),
        (t("accounts.col.role"), t(f"accounts.role.{user.role.value}")),
        (t("accounts.col.groups"), group_text),
    ]
    st.markdown("  \n".join(f"**{label}:** {plain(value)}" for label, value in rows))
    if user.role is not StaffRole.BEHEERDER:  # the beheerder is the one to ask
        st.caption(t("accounts.mine.details_hint"))


def _count_wrong_attempt() -> int:
    """Count a wrong current password and return the attempts left; the last allowed one logs the session out."""
    wrong = int(st.session_state.get(_WRONG, 0)) + 1
    if wrong >= MAX_WRONG:
        log_out("ui.login.too_many_wrong")
        st.rerun()
    st.session_state[_WRONG] = wrong
    return MAX_WRONG - wrong


def password_form(user: AuthenticatedUser) -> None:
    """Current password, the new one twice; the policy in one line; each refusal as a readable message."""
    if st.session_state.pop(_DONE, False):
        st.success(t("accounts.mine.changed"))
    st.caption(t("accounts.mine.policy", min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH))
    nonce = int(st.session_state.get(_NONCE, 0))
    key = f"own_pw{nonce}"
    with st.form(key):
        current = st.text_input(
            t("accounts.mine.current"), type="password", autocomplete="current-password", key=f"{key}_current"
        )
        new = st.text_input(t("accounts.mine.new"), type="password", autocomplete="new-password", key=f"{key}_new")
        again = st.text_input(
            t("accounts.mine.again"), type="password", autocomplete="new-password", key=f"{key}_again"
        )
        submitted = st.form_submit_button(t("accounts.mine.submit"), type="primary")
    if not submitted:
        return
    changed = False
    fresh: AuthenticatedUser | None = None  # this session's user with the new password's stamp
    left: int | None = None  # attempts left after a wrong current password
    with shown_errors():
        if new != again:
            raise AuthError(Problem("accounts.mine.mismatch"))
        changed = change_own_password(database(), user, current, new)  # commits a wrong attempt's audit entry too
        fresh = reload_user(database(), user.id) if changed else None
        if not changed:
            left = _count_wrong_attempt()
            raise AuthError(Problem("auth.password.wrong"))
    if left is not None:
        st.warning(t("accounts.mine.attempts_left", left=left))
    if changed:
        if fresh is not None:  # committed: this session goes on; the account's other sessions end
            log_in(fresh)
        st.session_state.pop(_WRONG, None)
        st.session_state[_DONE] = True
        st.session_state[_NONCE] = nonce + 1  # a fresh, empty form
        st.rerun()
