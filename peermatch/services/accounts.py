"""Staff accounts as the beheerder manages them: list, add, link a teacher's groups, block and reactivate.

Only a beheerder manages accounts, and only of their own school; only a leerkracht is linked to groups;
a beheerder never blocks their own account, nor the school's last active beheerder (the rules are in
``peermatch.auth.accounts``); usernames are unique across all schools. Every change is audited (ids
only: never a password). Passwords (resets and your own) are :mod:`peermatch.services.passwords`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, StaffRole, check_password_policy, hash_password, require_role
from peermatch.auth.accounts import (
    account_display_name,
    account_username,
    require_another_beheerder,
    require_groups_fit_role,
    require_not_self,
)
from peermatch.services.database import Database
from peermatch.storage import audit, users
from peermatch.storage.access import get_school
from peermatch.storage.models import User
from peermatch.storage.pupils import list_groups
from peermatch.vocabulary import AuditAction

__all__ = [
    "GroupChoice",
    "StaffAccounts",
    "UserInfo",
    "bootstrap_user",
    "create_user",
    "list_users",
    "new_account_in",
    "school_groups",
    "set_user_active",
    "set_user_groups",
    "staff_accounts",
]


@dataclass(frozen=True)
class UserInfo:
    """One staff account as the Accounts page shows it (never its password hash)."""

    id: int
    school_id: int
    username: str
    display_name: str
    role: StaffRole
    active: bool
    group_ids: frozenset[int]
    last_login_at: datetime | None


@dataclass(frozen=True)
class GroupChoice:
    """A group of the school, to pick for a teacher or to name on a page (in the school's order)."""

    id: int
    name: str


@dataclass(frozen=True)
class StaffAccounts:
    """What the Accounts page shows: the school's accounts (by username) and its groups (by grade, name)."""

    accounts: tuple[UserInfo, ...]
    groups: tuple[GroupChoice, ...]


def _info(session: Session, user: User) -> UserInfo:
    groups = users.group_ids_of(session, user.id)
    return UserInfo(
        user.id, user.school_id, user.username, user.display_name, user.role, user.active, groups, user.last_login_at
    )


def _groups(session: Session, actor: AuthenticatedUser) -> tuple[GroupChoice, ...]:
    return tuple(GroupChoice(g.id, g.name) for g in list_groups(session, actor, actor.school_id))


def new_account_in(
    session: Session,
    school_id: int,
    *,
    username: str,
    display_name: str,
    password: str,
    role: StaffRole,
    group_ids: Iterable[int],
    must_change_password: bool = False,
) -> User:
    """A new account of ``school_id`` inside the caller's transaction, for trusted code without an acting user
    (:func:`bootstrap_user`, the demo seed): the username's form, the password policy, argon2, the groups.
    ``must_change_password``: someone else chose or saw the password; the app asks for a new one first."""
    get_school(session, school_id)
    name = account_username(username)
    users.require_username_free(session, name)
    check_password_policy(password, username=name, user_inputs=(display_name,))
    user = users.insert_account(
        session,
        school_id,
        username=name,
        display_name=account_display_name(display_name, name),
        password_hash=hash_password(password),
        role=role,
    )
    user.must_change_password = must_change_password
    users.link_groups(session, user, group_ids)
    return user


def bootstrap_user(
    db: Database,
    school_id: int,
    *,
    username: str,
    display_name: str,
    password: str,
    role: StaffRole,
    group_ids: Iterable[int] = (),
    must_change_password: bool = False,
) -> UserInfo:
    """Create an account without an acting user: for trusted code only (the CLI's first account, the demo).
    ``must_change_password``: a generated password shown once (``create-school``): changed at the first login."""
    with db.write() as session:
        user = new_account_in(
            session,
            school_id,
            username=username,
            display_name=display_name,
            password=password,
            role=role,
            group_ids=group_ids,
            must_change_password=must_change_password,
        )
        return _info(session, user)


def create_user(
    db: Database,
    actor: AuthenticatedUser,
    *,
    username: str,
    display_name: str,
    password: str,
    role: StaffRole,
    group_ids: Iterable[int] = (),
) -> UserInfo:
    """A new account in the beheerder's own school (leerkracht: with the groups they teach). The beheerder knows
    its password (generated or typed), so the new colleague must change it at the first login.

    A username taken by any school, also one taken by another request a moment ago, is an ``AuthError``
    (``auth.username.taken``) and nothing is written.
    """
    require_role(actor, StaffRole.BEHEERDER)
    group_ids = list(group_ids)
    require_groups_fit_role(role, group_ids)
    with db.write() as session:
        user = new_account_in(
            session,
            actor.school_id,
            username=username,
            display_name=display_name,
            password=password,
            role=role,
            group_ids=group_ids,
            must_change_password=True,
        )
        audit.record(session, actor, actor.school_id, AuditAction.CREATE, "user", user.id)
        return _info(session, user)


def list_users(db: Database, actor: AuthenticatedUser) -> list[UserInfo]:
    """The accounts of the beheerder's school, active or not, by username."""
    require_role(actor, StaffRole.BEHEERDER)
    with db.read() as session:
        return [_info(session, u) for u in users.accounts_of_school(session, actor)]


def staff_accounts(db: Database, actor: AuthenticatedUser) -> StaffAccounts:
    """The Accounts page in one read: the school's accounts and its groups (beheerder only)."""
    require_role(actor, StaffRole.BEHEERDER)
    with db.read() as session:
        accounts = tuple(_info(session, u) for u in users.accounts_of_school(session, actor))
        return StaffAccounts(accounts, _groups(session, actor))


def school_groups(db: Database, actor: AuthenticatedUser) -> list[GroupChoice]:
    """The groups the actor may see, by grade and name (a leerkracht: their own; beheerder and ib: all)."""
    with db.read() as session:
        return list(_groups(session, actor))


def set_user_groups(db: Database, actor: AuthenticatedUser, user_id: int, group_ids: Iterable[int]) -> UserInfo:
    """Replace the groups a teacher is linked to (beheerder only)."""
    require_role(actor, StaffRole.BEHEERDER)
    group_ids = list(group_ids)
    with db.write() as session:
        user = users.account_in_school(session, actor, user_id)
        require_groups_fit_role(user.role, group_ids)
        users.link_groups(session, user, group_ids)
        audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "user", user.id)
        return _info(session, user)


def set_user_active(db: Database, actor: AuthenticatedUser, user_id: int, active: bool) -> UserInfo:
    """Block or unblock an account (beheerder only).

    Never your own account, nor the school's last active beheerder, so a school never locks itself out.
    The other active beheerders are locked while counting, so two beheerders blocking each other at
    the same moment cannot both succeed.
    """
    require_role(actor, StaffRole.BEHEERDER)
    with db.write() as session:
        user = users.account_in_school(session, actor, user_id)
        if not active:
            require_not_self(actor, user.id)
            if user.active and user.role is StaffRole.BEHEERDER:
                require_another_beheerder(users.other_active_beheerders(session, actor, user.id))
        user.active = active
        session.flush()
        audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "user", user.id)
        return _info(session, user)
