"""Staff accounts in the database: the rows, their groups, and the queries the account services need.

Rows in, rows out. The rules (who manages accounts, the password policy and hashing, the last
beheerder) are the services' (``peermatch.services.accounts``, ``peermatch.services.passwords``,
``peermatch.services.login``) and the core's (``peermatch.auth``); every query here that an acting user
asks is still scoped to that user's school. Usernames are unique across all schools (a database
constraint): :func:`insert_account` turns a name taken in a race into the same clear message.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, StaffRole
from peermatch.errors import AuthError, PermissionDeniedError, Problem
from peermatch.storage.access import get_school, not_found
from peermatch.storage.models import Group, User, UserGroup

__all__ = [
    "account_by_id",
    "account_by_username",
    "account_in_school",
    "accounts_of_school",
    "group_ids_of",
    "insert_account",
    "link_groups",
    "other_active_beheerders",
    "require_username_free",
]


def account_in_school(session: Session, actor: AuthenticatedUser, user_id: int) -> User:
    """The account ``user_id`` of the actor's school; ``NotFoundError`` when there is none (or another school's)."""
    user = session.get(User, user_id)
    if user is None or user.school_id != actor.school_id:
        raise not_found("user", user_id)
    if user.role is StaffRole.BOVENSCHOOLS and user.id != actor.id:  # a board's account only seems to be the school's
        raise PermissionDeniedError(Problem("board.denied.account", value=str(user_id)))
    return user


def accounts_of_school(session: Session, actor: AuthenticatedUser) -> list[User]:
    """Every account of the actor's school, active or not, by username."""
    query = sa.select(User).where(User.school_id == actor.school_id, User.role != StaffRole.BOVENSCHOOLS)
    return list(session.scalars(query.order_by(User.username)))  # a board's account is not the school's


def require_username_free(session: Session, username: str) -> None:
    """``AuthError`` when an account of any school has this (already normalised) username."""
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise AuthError(Problem("auth.username.taken", value=username))


def insert_account(
    session: Session, school_id: int, *, username: str, display_name: str, password_hash: str, role: StaffRole
) -> User:
    """A new active account of an existing school (the fields already checked, the password already hashed).

    In a savepoint: when another request took the username since :func:`require_username_free`, the
    unique constraint answers with the same ``auth.username.taken`` and the outer transaction goes on.
    """
    get_school(session, school_id)
    user = User(
        school_id=school_id,
        username=username,
        display_name=display_name,
        password_hash=password_hash,
        role=role,
        active=True,
    )
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError:
        raise AuthError(Problem("auth.username.taken", value=username)) from None
    return user


def link_groups(session: Session, user: User, group_ids: Iterable[int]) -> None:
    """Replace the account's groups; ``NotFoundError`` for a group that is not of the account's school."""
    wanted = set(group_ids)
    found = set(session.scalars(sa.select(Group.id).where(Group.school_id == user.school_id, Group.id.in_(wanted))))
    if missing := wanted - found:
        raise not_found("group", min(missing))
    session.execute(sa.delete(UserGroup).where(UserGroup.user_id == user.id))
    session.add_all(UserGroup(user_id=user.id, group_id=g) for g in sorted(wanted))
    session.flush()


def other_active_beheerders(session: Session, actor: AuthenticatedUser, user_id: int) -> int:
    """How many active beheerders the actor's school has besides ``user_id``.

    Those rows are locked until the transaction ends, so two beheerders blocking each other at the
    same moment cannot both see the other one (PostgreSQL; SQLite runs one writer at a time anyway).
    """
    others = session.scalars(
        sa.select(User.id)
        .where(
            User.school_id == actor.school_id,
            User.role == StaffRole.BEHEERDER,
            User.active.is_(True),
            User.id != user_id,
        )
        .with_for_update()
    ).all()
    return len(others)


def account_by_username(session: Session, username: str) -> User | None:
    """The account with this (already normalised) username, active or not; None when there is none."""
    return session.scalar(sa.select(User).where(User.username == username))


def account_by_id(session: Session, user_id: int) -> User | None:
    """The account with this primary key, active or not; None when it was deleted."""
    return session.get(User, user_id)


def group_ids_of(session: Session, user_id: int) -> frozenset[int]:
    """The groups linked to the account (a leerkracht's; empty for the school-wide roles)."""
    return frozenset(session.scalars(sa.select(UserGroup.group_id).where(UserGroup.user_id == user_id)))
