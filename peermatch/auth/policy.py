"""Who may do what: staff roles, the logged-in staff member, session expiry and the permission rules.

Roles (``StaffRole``):

=============  ==========================================================================
beheerder      school admin: manages accounts and settings; sees and changes the whole school
ib             intern begeleider: sees and changes the whole school
leerkracht     teacher: only the groups linked to the account (ParnasSys-style group rights)
=============  ==========================================================================

Nobody sees another school. The rules are pure functions of the acting user: the repositories in
``peermatch.storage`` scope every query with them and the services call them, so a page can never forget
one. No database and no cryptography here (see :mod:`peermatch.auth.passwords`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from peermatch.errors import PermissionDeniedError, Problem

__all__ = [
    "SCHOOL_WIDE_ROLES",
    "AuthenticatedUser",
    "StaffRole",
    "can_read_group",
    "is_expired",
    "normalize_username",
    "require_group_access",
    "require_groups_access",
    "require_role",
    "require_school",
]


class StaffRole(StrEnum):
    """What a staff account may do (the rules are below)."""

    BEHEERDER = "beheerder"  # school admin: accounts and settings, and the whole school's data
    IB = "ib"  # intern begeleider: the whole school
    LEERKRACHT = "leerkracht"  # teacher: own groups only
    BOVENSCHOOLS = "bovenschools"  # board coordinator: aggregates of the board's schools only (peermatch.board)


SCHOOL_WIDE_ROLES = frozenset({StaffRole.BEHEERDER, StaffRole.IB})


@dataclass(frozen=True)
class AuthenticatedUser:
    """The logged-in staff member, as the core needs them for permission checks."""

    id: int
    school_id: int
    username: str
    display_name: str
    role: StaffRole
    group_ids: frozenset[int] = frozenset()
    # credential_stamp() of the password this session logged in with ("" when not made by a login);
    # not part of who the user is, so left out of == and repr.
    credential: str = field(default="", repr=False, compare=False)
    # a generated password (a reset, create-school): the app shows only the change page until it is changed
    must_change_password: bool = field(default=False, compare=False)

    @property
    def school_wide(self) -> bool:
        return self.role in SCHOOL_WIDE_ROLES


def normalize_username(username: str) -> str:
    return username.strip().lower()


def is_expired(last_seen: datetime, now: datetime, idle_minutes: int = 30) -> bool:
    """True when a login session has been idle for ``idle_minutes`` or longer."""
    return now - last_seen >= timedelta(minutes=idle_minutes)


def require_role(user: AuthenticatedUser, *roles: StaffRole) -> None:
    """Raise ``PermissionDeniedError`` unless the user has one of ``roles``."""
    if user.role not in roles:
        names = ", ".join(sorted(role.value for role in roles))
        raise PermissionDeniedError(Problem("auth.denied.role", params={"roles": names}))


def require_school(user: AuthenticatedUser, school_id: int) -> None:
    """Raise ``PermissionDeniedError`` when the data belongs to another school."""
    if user.school_id != school_id:
        raise PermissionDeniedError(Problem("auth.denied.school"))


def can_read_group(user: AuthenticatedUser, school_id: int, group_id: int | None) -> bool:
    """May ``user`` see (and change) the pupils of a group of ``school_id``?

    beheerder and ib: every group of their own school (and pupils without a group);
    leerkracht: only the groups linked to their account.
    """
    if user.school_id != school_id:
        return False
    if user.school_wide:
        return True
    return group_id is not None and group_id in user.group_ids


def require_group_access(user: AuthenticatedUser, school_id: int, group_id: int | None, group_name: str = "") -> None:
    """Raise ``PermissionDeniedError`` unless :func:`can_read_group`."""
    require_school(user, school_id)
    if not can_read_group(user, school_id, group_id):
        raise PermissionDeniedError(Problem("auth.denied.group", value=group_name or str(group_id or "-")))


def require_groups_access(user: AuthenticatedUser, school_id: int, group_ids: Iterable[int | None]) -> None:
    """:func:`require_group_access` for every group in ``group_ids``."""
    for group_id in group_ids:
        require_group_access(user, school_id, group_id)
