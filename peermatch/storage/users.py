"""Staff accounts: the beheerder creates them, links teachers to groups, deactivates them, resets passwords;
every staff member changes their own password (with the current one).

Rules kept here, not in the page: only a beheerder manages accounts, and only of their own school;
only a leerkracht is linked to groups; a beheerder cannot block their own account, nor the school's
last active beheerder; usernames are unique across all schools. Every change is audited (ids only:
never a password).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peermatch.auth import (
    AuthenticatedUser,
    StaffRole,
    check_password_policy,
    hash_password,
    normalize_username,
    require_role,
    verify_password,
)
from peermatch.errors import AuthError, InvalidInputError, PermissionDeniedError, Problem
from peermatch.storage import audit
from peermatch.storage.access import get_school, not_found
from peermatch.storage.enums import AuditAction
from peermatch.storage.models import Group, User, UserGroup

__all__ = [
    "UserInfo",
    "bootstrap_user",
    "change_own_password",
    "change_password",
    "create_user",
    "list_users",
    "reset_password",
    "set_user_active",
    "set_user_groups",
]

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,79}")


@dataclass(frozen=True)
class UserInfo:
    id: int
    school_id: int
    username: str
    display_name: str
    role: StaffRole
    active: bool
    group_ids: frozenset[int]
    last_login_at: datetime | None


def _info(session: Session, user: User) -> UserInfo:
    groups = frozenset(session.scalars(sa.select(UserGroup.group_id).where(UserGroup.user_id == user.id)))
    return UserInfo(
        user.id, user.school_id, user.username, user.display_name, user.role, user.active, groups, user.last_login_at
    )


def _load(session: Session, actor: AuthenticatedUser, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.school_id != actor.school_id:
        raise not_found("user", user_id)
    return user


def _require_groups_fit_role(role: StaffRole, group_ids: list[int]) -> None:
    """Only a leerkracht is linked to groups: a beheerder or ib sees the whole school anyway."""
    if role is not StaffRole.LEERKRACHT and group_ids:
        raise InvalidInputError(Problem("auth.groups.not_teacher"))


def _link_groups(session: Session, user: User, group_ids: Iterable[int]) -> None:
    wanted = set(group_ids)
    found = set(session.scalars(sa.select(Group.id).where(Group.school_id == user.school_id, Group.id.in_(wanted))))
    if missing := wanted - found:
        raise not_found("group", min(missing))
    session.execute(sa.delete(UserGroup).where(UserGroup.user_id == user.id))
    session.add_all(UserGroup(user_id=user.id, group_id=g) for g in sorted(wanted))
    session.flush()


def bootstrap_user(
    session: Session,
    school_id: int,
    *,
    username: str,
    display_name: str,
    password: str,
    role: StaffRole,
    group_ids: Iterable[int] = (),
) -> UserInfo:
    """Create an account without an acting user: for trusted code only (the CLI's first account, the demo)."""
    get_school(session, school_id)
    name = normalize_username(username)
    if not _USERNAME.fullmatch(name):
        raise AuthError(Problem("auth.username.invalid", value=username))
    if session.scalar(sa.select(User.id).where(User.username == name)) is not None:
        raise AuthError(Problem("auth.username.taken", value=name))
    check_password_policy(password)
    display = display_name.strip() or name
    if len(display) > 120:
        raise InvalidInputError(Problem("auth.display_name.too_long", value=display))
    user = User(
        school_id=school_id,
        username=name,
        display_name=display,
        password_hash=hash_password(password),
        role=role,
        active=True,
    )
    try:
        with session.begin_nested():  # another request may have taken the name since the check above
            session.add(user)
    except IntegrityError:
        raise AuthError(Problem("auth.username.taken", value=name)) from None
    _link_groups(session, user, group_ids)
    return _info(session, user)


def create_user(
    session: Session,
    actor: AuthenticatedUser,
    *,
    username: str,
    display_name: str,
    password: str,
    role: StaffRole,
    group_ids: Iterable[int] = (),
) -> UserInfo:
    """A new account in the beheerder's own school (leerkracht: with the groups they teach)."""
    require_role(actor, StaffRole.BEHEERDER)
    group_ids = list(group_ids)
    _require_groups_fit_role(role, group_ids)
    info = bootstrap_user(
        session,
        actor.school_id,
        username=username,
        display_name=display_name,
        password=password,
        role=role,
        group_ids=group_ids,
    )
    audit.record(session, actor, actor.school_id, AuditAction.CREATE, "user", info.id)
    return info


def list_users(session: Session, actor: AuthenticatedUser) -> list[UserInfo]:
    require_role(actor, StaffRole.BEHEERDER)
    users = session.scalars(sa.select(User).where(User.school_id == actor.school_id).order_by(User.username))
    return [_info(session, u) for u in users]


def set_user_groups(session: Session, actor: AuthenticatedUser, user_id: int, group_ids: Iterable[int]) -> UserInfo:
    """Replace the groups a teacher is linked to (beheerder only)."""
    require_role(actor, StaffRole.BEHEERDER)
    user = _load(session, actor, user_id)
    group_ids = list(group_ids)
    _require_groups_fit_role(user.role, group_ids)
    _link_groups(session, user, group_ids)
    audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "user", user.id)
    return _info(session, user)


def set_user_active(session: Session, actor: AuthenticatedUser, user_id: int, active: bool) -> UserInfo:
    """Block or unblock an account (beheerder only).

    Never your own account, nor the school's last active beheerder, so a school never locks itself out.
    The other active beheerders are locked while counting, so two beheerders blocking each other at
    the same moment cannot both succeed (PostgreSQL; SQLite runs one writer at a time anyway).
    """
    require_role(actor, StaffRole.BEHEERDER)
    user = _load(session, actor, user_id)
    if user.id == actor.id and not active:
        raise PermissionDeniedError(Problem("auth.denied.self"))
    if not active and user.active and user.role is StaffRole.BEHEERDER:
        others = session.scalars(
            sa.select(User.id)
            .where(
                User.school_id == actor.school_id,
                User.role == StaffRole.BEHEERDER,
                User.active.is_(True),
                User.id != user.id,
            )
            .with_for_update()
        ).all()
        if not others:
            raise PermissionDeniedError(Problem("auth.denied.last_beheerder"))
    user.active = active
    session.flush()
    audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "user", user.id)
    return _info(session, user)


def change_password(
    session: Session, actor: AuthenticatedUser, user_id: int, new_password: str, *, current_password: str = ""
) -> None:
    """Your own password (give the current one), or anyone's in your school as beheerder (a reset)."""
    user = _load(session, actor, user_id)
    if user.id != actor.id:
        reset_password(session, actor, user_id, new_password)
        return
    if not change_own_password(session, actor, current_password, new_password):
        raise AuthError(Problem("auth.password.wrong"))


def change_own_password(session: Session, actor: AuthenticatedUser, current_password: str, new_password: str) -> bool:
    """Your own password (any role), given the current one: True when changed, False when that one is wrong.

    Like :func:`peermatch.auth.authenticate`, a wrong password is an answer, not an exception: it is
    audited as a failed login (so the entry stays when the caller commits), and every attempt costs
    one argon2 verification, right or wrong, so guessing here is as slow as at the login form and
    the time taken does not tell how close a guess was. A new password that breaks the policy raises
    ``AuthError`` before the current one is checked; a blocked account raises ``PermissionDeniedError``.
    """
    check_password_policy(new_password)
    user = _load(session, actor, actor.id)
    if not user.active:
        raise PermissionDeniedError(Problem("auth.denied.blocked"))
    if not verify_password(user.password_hash, current_password):
        audit.record(session, actor, actor.school_id, AuditAction.LOGIN_FAILED, "user", user.id)
        session.flush()
        return False
    _set_password(session, actor, user, new_password)
    return True


def reset_password(session: Session, actor: AuthenticatedUser, user_id: int, new_password: str) -> None:
    """A new password for a colleague in your school, without their old one (beheerder only).

    Not for your own account: that goes through :func:`change_password` with the current password,
    so a beheerder's unattended, logged-in screen is not enough to take the account over.
    """
    require_role(actor, StaffRole.BEHEERDER)
    user = _load(session, actor, user_id)
    if user.id == actor.id:
        raise PermissionDeniedError(Problem("auth.denied.reset_self"))
    _set_password(session, actor, user, new_password)


def _set_password(session: Session, actor: AuthenticatedUser, user: User, new_password: str) -> None:
    check_password_policy(new_password)
    user.password_hash = hash_password(new_password)
    session.flush()
    audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "user", user.id)


# --- the rows a login needs (the login itself is peermatch.services.login) ----------------------------------


def account_by_username(session: Session, username: str) -> User | None:
    """The account with this (already normalised) username, active or not; None when there is none."""
    return session.scalar(sa.select(User).where(User.username == username))


def account_by_id(session: Session, user_id: int) -> User | None:
    """The account with this primary key, active or not; None when it was deleted."""
    return session.get(User, user_id)


def group_ids_of(session: Session, user_id: int) -> frozenset[int]:
    """The groups linked to the account (a leerkracht's; empty for the school-wide roles)."""
    return frozenset(session.scalars(sa.select(UserGroup.group_id).where(UserGroup.user_id == user_id)))
