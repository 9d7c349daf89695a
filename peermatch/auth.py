"""Staff accounts: password hashing, login, session expiry and the permission rules.

Roles (``StaffRole``):

=============  ==========================================================================
beheerder      school admin: manages accounts and settings; sees and changes the whole school
ib             intern begeleider: sees and changes the whole school
leerkracht     teacher: only the groups linked to the account (ParnasSys-style group rights)
=============  ==========================================================================

Nobody sees another school. The checks live here, in the core, and the repository functions in
``peermatch.storage`` call them with the acting user, so a page can never forget one.
Passwords are hashed with argon2id (argon2-cffi); a hash made with older parameters is replaced
at the next successful login.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from hashlib import sha256
from secrets import choice

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from peermatch.errors import AuthError, PermissionDeniedError, Problem
from peermatch.storage.enums import AuditAction, StaffRole
from peermatch.storage.models import AuditLog, User, UserGroup, utcnow

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "SCHOOL_WIDE_ROLES",
    "AuthenticatedUser",
    "StaffRole",
    "authenticate",
    "can_read_group",
    "check_password_policy",
    "credential_stamp",
    "generate_password",
    "hash_password",
    "is_expired",
    "needs_rehash",
    "normalize_username",
    "reload_user",
    "require_group_access",
    "require_groups_access",
    "require_role",
    "require_school",
    "verify_password",
]

MIN_PASSWORD_LENGTH = 12  # OWASP ASVS 5.0 L2 asks at least 12 characters
MAX_PASSWORD_LENGTH = 256
SCHOOL_WIDE_ROLES = frozenset({StaffRole.BEHEERDER, StaffRole.IB})

_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read out and type over
_hasher = PasswordHasher()  # argon2id with argon2-cffi's recommended parameters (RFC 9106 low-memory)


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the user is unknown, so the answer takes as long."""
    return _hasher.hash("peermatch: no such user")


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

    @property
    def school_wide(self) -> bool:
        return self.role in SCHOOL_WIDE_ROLES


def normalize_username(username: str) -> str:
    return username.strip().lower()


def check_password_policy(password: str) -> None:
    """Raise ``AuthError`` when the password is too short or too long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(Problem("auth.password.too_short", params={"min": MIN_PASSWORD_LENGTH}))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AuthError(Problem("auth.password.too_long", params={"max": MAX_PASSWORD_LENGTH}))


def generate_password() -> str:
    """A random password for a new or reset account, e.g. ``k7qm-x3vt-9hpr-w2cz``.

    Drawn with ``secrets`` from 31 unambiguous characters: 16 of them give about 79 bits, and the
    dashes make it easy to copy by hand. Always passes :func:`check_password_policy`.
    """
    return "-".join("".join(choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; the password itself is never stored)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's (then re-hash at login)."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def credential_stamp(password_hash: str) -> str:
    """A short fingerprint of the stored password hash, kept in a login session (never the hash itself).

    A new password gives a new salted hash, so a new stamp: :func:`reload_user` ends the sessions that
    still carry the old one. (A re-hash at login with newer argon2 parameters changes it too, once.)
    """
    return sha256(password_hash.encode()).hexdigest()[:16]


def _group_ids(session: Session, user_id: int) -> frozenset[int]:
    return frozenset(session.scalars(sa.select(UserGroup.group_id).where(UserGroup.user_id == user_id)))


def _as_authenticated(session: Session, user: User) -> AuthenticatedUser:
    return AuthenticatedUser(
        id=user.id,
        school_id=user.school_id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        group_ids=_group_ids(session, user.id),
        credential=credential_stamp(user.password_hash),
    )


def _audit_login(session: Session, user: User, action: AuditAction, at: datetime) -> None:
    entry = AuditLog(school_id=user.school_id, user_id=user.id, action=action, entity="user", entity_id=str(user.id))
    entry.at = at
    session.add(entry)


def authenticate(
    session: Session, username: str, password: str, *, now: datetime | None = None
) -> AuthenticatedUser | None:
    """The user when ``username`` and ``password`` match an active account, else None.

    Unknown and inactive users cost the same argon2 verification as known ones, so response time
    does not reveal which usernames exist. Logins and failed logins of known accounts are audited.
    """
    user = session.scalar(sa.select(User).where(User.username == normalize_username(username)))
    if user is None or not user.active:
        verify_password(_dummy_hash(), password)
        return None
    at = now or utcnow()
    if not verify_password(user.password_hash, password):
        _audit_login(session, user, AuditAction.LOGIN_FAILED, at)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = at
    _audit_login(session, user, AuditAction.LOGIN, at)
    session.flush()
    return _as_authenticated(session, user)


def reload_user(session: Session, user_id: int, credential: str | None = None) -> AuthenticatedUser | None:
    """The staff member as the database has them now, or None when the account is gone or blocked.

    For a login session on every page view: a beheerder's block, a password reset, or a teacher's new
    groups count from the next click on, not from the next login. ``credential`` is the session's
    ``AuthenticatedUser.credential``: when the password changed since (another stamp), the answer is
    None too. None skips that check (the account's state only). Two small queries (the account by
    primary key, its groups); no password check and no audit entry.
    """
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    if credential is not None and credential != credential_stamp(user.password_hash):
        return None
    return _as_authenticated(session, user)


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
