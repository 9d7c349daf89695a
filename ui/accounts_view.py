"""The Accounts page's parts: the accounts table, the add-account form and the actions on one account.

Every change is one call of ``peermatch.services.accounts`` or ``peermatch.services.passwords`` (which
check the role, the school, the self-block and last-beheerder rules, and audit); a refusal is shown as a
message by ``shown_errors``.
A password is shown once, right after it was made, and never kept: it sits in session state only
until the next run shows it, and is then popped. After a change the widget keys get a new number
(``_NONCE``), so no typed password stays in a widget and the forms start again from the database.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from peermatch.auth import MIN_PASSWORD_LENGTH, AuthenticatedUser, generate_password
from peermatch.services.accounts import GroupChoice, UserInfo, create_user, set_user_active, set_user_groups
from peermatch.services.login_guard import lift_account_lock
from peermatch.services.passwords import reset_password
from peermatch.vocabulary import StaffRole
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t
from ui.text import plain

__all__ = ["accounts_table", "add_account_form", "manage_account", "show_messages"]

_MESSAGES, _SECRET, _NONCE = "accounts_messages", "accounts_secret", "accounts_nonce"
_ROLES = (StaffRole.LEERKRACHT, StaffRole.IB, StaffRole.BEHEERDER)
_GENERATE, _OWN = "generate", "own"
_ZONE = ZoneInfo("Europe/Amsterdam")

Message = tuple[str, str]  # ("success" | "warning", markdown text: names in it go through plain())
Secret = tuple[str, str]  # (username, a generated password to show once)


def _role(role: StaffRole) -> str:
    return t(f"accounts.role.{role.value}")


def _nonce() -> int:
    return int(st.session_state.get(_NONCE, 0))


def _when(moment: datetime | None) -> str:
    return moment.astimezone(_ZONE).strftime("%d-%m-%Y %H:%M") if moment else t("accounts.never")


def _group_names(ids: frozenset[int], groups: Sequence[GroupChoice]) -> list[str]:
    return [g.name for g in groups if g.id in ids]  # in the school's order (grade, name)


def show_messages() -> None:
    """What the last change did, and a new password once (it is removed from session state here)."""
    for kind, text in st.session_state.pop(_MESSAGES, []):
        (st.warning if kind == "warning" else st.success)(text)
    if secret := st.session_state.pop(_SECRET, None):
        username, password = secret
        st.warning(t("accounts.password.shown_once", username=plain(username)))
        st.code(password, language=None)


def _apply(change: Callable[[], tuple[list[Message], Secret | None]]) -> None:
    """Run ``change`` (one service call); on success keep its messages (and the password) and rerun."""
    outcome: tuple[list[Message], Secret | None] | None = None
    with shown_errors():
        outcome = change()
    if outcome is None:  # refused: the message is on the page, nothing was written
        return
    messages, secret = outcome
    st.session_state[_MESSAGES] = messages
    if secret is not None:
        st.session_state[_SECRET] = secret
    st.session_state[_NONCE] = _nonce() + 1
    st.rerun()  # the service has committed: the rerun shows the accounts as they are now


def accounts_table(users: Sequence[UserInfo], groups: Sequence[GroupChoice]) -> None:
    def groups_of(user: UserInfo) -> str:
        if user.role is not StaffRole.LEERKRACHT:
            return t("accounts.whole_school")
        return ", ".join(_group_names(user.group_ids, groups)) or t("accounts.no_groups")

    frame = pd.DataFrame(
        {
            t("accounts.col.name"): [u.display_name for u in users],
            t("accounts.col.username"): [u.username for u in users],
            t("accounts.col.role"): [_role(u.role) for u in users],
            t("accounts.col.groups"): [groups_of(u) for u in users],
            t("accounts.col.active"): [t("accounts.yes") if u.active else t("accounts.no") for u in users],
            t("accounts.col.last_login"): [_when(u.last_login_at) for u in users],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def _password_choice(label: str, key: str) -> tuple[bool, str]:
    """(generate one?, the password typed instead). A typed password is checked by the core's policy."""
    modes = {_GENERATE: t("accounts.password.generate"), _OWN: t("accounts.password.own")}
    mode = st.radio(label, list(modes), format_func=modes.__getitem__, key=f"{key}_pw_mode", horizontal=True)
    if mode == _GENERATE:
        return True, ""
    typed = st.text_input(t("accounts.password.own_input", min=MIN_PASSWORD_LENGTH), type="password", key=f"{key}_pw")
    return False, typed


def _group_picker(label: str, groups: Sequence[GroupChoice], default: Sequence[int], key: str) -> list[int]:
    names = {g.id: g.name for g in groups}
    picked = st.multiselect(
        label,
        list(names),
        default=[g for g in default if g in names],
        format_func=names.__getitem__,
        placeholder=t("accounts.groups_placeholder"),
        help=t("accounts.new.groups_help"),
        key=key,
    )
    return list(picked)


def add_account_form(actor: AuthenticatedUser, groups: Sequence[GroupChoice]) -> None:
    """Name, username, role, a leerkracht's groups and the initial password (generated, or typed)."""
    key = f"acc_new{_nonce()}"
    st.subheader(t("accounts.new.title"))
    name = st.text_input(t("accounts.new.name"), help=t("accounts.new.name_help"), key=f"{key}_name")
    username = st.text_input(t("accounts.new.username"), help=t("accounts.new.username_help"), key=f"{key}_username")
    role = st.selectbox(t("accounts.new.role"), _ROLES, format_func=_role, key=f"{key}_role")
    group_ids: list[int] = []
    if role is StaffRole.LEERKRACHT:
        group_ids = _group_picker(t("accounts.new.groups"), groups, [], f"{key}_groups")
    generated, typed = _password_choice(t("accounts.password.label"), key)
    if not st.button(t("accounts.new.submit"), type="primary", key=f"{key}_submit"):
        return
    password = generate_password() if generated else typed

    def create() -> tuple[list[Message], Secret | None]:
        info = create_user(
            database(), actor, username=username, display_name=name, password=password, role=role, group_ids=group_ids
        )
        created = t("accounts.new.created", name=plain(info.display_name), username=plain(info.username))
        messages = [("success", created)]
        if not generated:
            messages.append(("success", t("accounts.password.own_set", name=plain(info.display_name))))
        if info.role is StaffRole.LEERKRACHT and not info.group_ids:
            messages.append(("warning", t("accounts.new.no_groups_warning")))
        return messages, (info.username, password) if generated else None

    _apply(create)


def manage_account(
    actor: AuthenticatedUser,
    users: Sequence[UserInfo],
    groups: Sequence[GroupChoice],
    locks: Mapping[int, datetime] | None = None,
) -> None:
    """One account, chosen by name: its groups (leerkracht), block or reactivate it, lift a login lock (``locks``:
    account id -> until when it may not log in), set a new password."""
    st.subheader(t("accounts.manage.title"))
    by_id = {u.id: u for u in users}

    def label(user_id: int) -> str:
        user = by_id[user_id]
        text = t("accounts.manage.option", name=user.display_name, username=user.username)
        return text if user.active else f"{text} – {t('accounts.manage.inactive_mark')}"

    target = by_id[st.selectbox(t("accounts.manage.choose"), list(by_id), format_func=label, key="acc_pick")]
    own = target.id == actor.id
    key = f"acc_{target.id}_{_nonce()}"
    if own:
        st.caption(t("accounts.manage.self_hint"))
    col_groups, col_status, col_reset = st.columns(3)

    with col_groups:
        st.markdown(f"**{t('accounts.manage.groups_title')}**")
        if target.role is StaffRole.LEERKRACHT:
            picked = _group_picker(t("accounts.col.groups"), groups, sorted(target.group_ids), f"{key}_groups")
            if st.button(t("accounts.manage.groups_save"), key=f"{key}_groups_save"):

                def save_groups() -> tuple[list[Message], Secret | None]:
                    info = set_user_groups(database(), actor, target.id, picked)
                    names = ", ".join(_group_names(info.group_ids, groups)) or t("accounts.no_groups")
                    saved = t("accounts.manage.groups_saved", name=plain(info.display_name), groups=plain(names))
                    return [("success", saved)], None

                _apply(save_groups)
        else:
            st.caption(t("accounts.manage.groups_school_wide", role=_role(target.role)))

    with col_status:
        st.markdown(f"**{t('accounts.manage.status_title')}**")
        st.write(t("accounts.manage.status_active" if target.active else "accounts.manage.status_inactive"))
        toggle = "accounts.manage.deactivate" if target.active else "accounts.manage.reactivate"
        if st.button(t(toggle), key=f"{key}_toggle", disabled=own and target.active):

            def toggle_active() -> tuple[list[Message], Secret | None]:
                info = set_user_active(database(), actor, target.id, not target.active)
                done = "accounts.manage.reactivated" if info.active else "accounts.manage.deactivated"
                return [("success", t(done, name=plain(info.display_name)))], None

            _apply(toggle_active)
        if (until := (locks or {}).get(target.id)) is not None:
            minutes = max(1, math.ceil((until - datetime.now(UTC)).total_seconds() / 60))
            st.warning(t("login_guard.account_locked", minutes=minutes))
            if st.button(t("login_guard.lift"), key=f"{key}_lift"):

                def lift() -> tuple[list[Message], Secret | None]:
                    lift_account_lock(database(), actor, target.id)
                    return [("success", t("login_guard.lifted", name=plain(target.display_name)))], None

                _apply(lift)

    with col_reset:
        st.markdown(f"**{t('accounts.manage.reset_title')}**")
        st.caption(t("accounts.manage.reset_intro"))
        generated, typed = _password_choice(t("accounts.password.new_label"), f"{key}_reset")
        if st.button(t("accounts.manage.reset_submit"), key=f"{key}_reset_submit", disabled=own):
            password = generate_password() if generated else typed

            def reset() -> tuple[list[Message], Secret | None]:
                reset_password(database(), actor, target.id, password)
                messages = [("success", t("accounts.manage.reset_done", name=plain(target.display_name)))]
                if not generated:
                    messages.append(("success", t("accounts.password.own_set", name=plain(target.display_name))))
                return messages, (target.username, password) if generated else None

            _apply(reset)
