"""Staff login and the per-click reload of a logged-in account (the database's view of who you are now).

Every login is throttled per account (``user:<username>``, also for usernames that do not exist) and per
client address (``addr:<ip>``, when the page knows it): growing waits and a temporary lock
(``peermatch.auth.throttle``; a beheerder lifts a lock on the Accounts page). At most
``PEERMATCH_HASH_CONCURRENCY`` argon2 computations run at once (``peermatch.hashing``): the others queue.
"""

from __future__ import annotations

import os
from datetime import datetime

from sqlalchemy.orm import Session

from peermatch.auth.accounts import demo_logins_allowed
from peermatch.auth.passwords import credential_stamp, dummy_hash, hash_password, needs_rehash, verify_password
from peermatch.auth.policy import AuthenticatedUser, normalize_username
from peermatch.auth.throttle import STAFF_ACCOUNT, STAFF_ADDRESS, staff_key
from peermatch.errors import PermissionDeniedError, Problem
from peermatch.services.database import Database
from peermatch.services.login_guard import GuardKey, address_key, reserve, settle
from peermatch.storage import audit
from peermatch.storage.models import User, utcnow
from peermatch.storage.schools import demo_closed
from peermatch.storage.users import account_by_id, account_by_username, group_ids_of
from peermatch.vocabulary import AuditAction

__all__ = ["account_key", "authenticate", "reload_user"]


def account_key(username: str) -> str:
    """The throttle key of a staff account (the same for a username that does not exist)."""
    return staff_key(normalize_username(username))


def _as_authenticated(session: Session, user: User) -> AuthenticatedUser:
    return AuthenticatedUser(
        id=user.id,
        school_id=user.school_id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        group_ids=group_ids_of(session, user.id),
        credential=credential_stamp(user.password_hash),
        must_change_password=user.must_change_password,
    )


def _audit_login(session: Session, user: User, action: AuditAction, at: datetime) -> None:
    audit.record(session, None, user.school_id, action, "user", user.id, at=at, user_id=user.id)


def authenticate(
    db: Database, username: str, password: str, *, address: str | None = None, now: datetime | None = None
) -> AuthenticatedUser | None:
    """The user when ``username`` and ``password`` match an active account, else None.

    Raises :class:`LoginThrottledError` (nothing evaluated) while the account or the client ``address``
    must wait; ``PermissionDeniedError`` for a demo account, with the right password, while a real school
    exists and ``PEERMATCH_DEMO`` is not 1. Unknown and inactive users cost the same argon2 verification
    and the same throttle as known ones, so neither time nor waits reveal which usernames exist. Logins
    and failed logins of known accounts are audited.
    """
    at = now or utcnow()
    keys = [GuardKey(account_key(username), STAFF_ACCOUNT), *address_key("addr", address, STAFF_ADDRESS)]
    reserve(db, keys, at)
    with db.read() as session:
        user = account_by_username(session, normalize_username(username))
        stored = user.password_hash if user is not None and user.active else None
    ok = verify_password(stored or dummy_hash(), password) and stored is not None
    with db.write() as session:
        user = account_by_username(session, normalize_username(username))
        if user is None or not user.active or user.password_hash != stored:
            return None
        if not ok:
            _audit_login(session, user, AuditAction.LOGIN_FAILED, at)
            return None
        if demo_closed(session, user.school_id, demo_logins_allowed(os.environ)):
            raise PermissionDeniedError(Problem("login_guard.demo_closed"))
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_login_at = at
        _audit_login(session, user, AuditAction.LOGIN, at)
        session.flush()
        found = _as_authenticated(session, user)
    settle(db, keys, at)
    return found


def reload_user(db: Database, user_id: int, credential: str | None = None) -> AuthenticatedUser | None:
    """The staff member as the database has them now, or None when the account is gone or blocked.

    For a login session on every page view: a beheerder's block, a password reset, or a teacher's new
    groups count from the next click on, not from the next login. ``credential`` is the session's
    ``AuthenticatedUser.credential``: when the password changed since (another stamp), the answer is
    None too. None skips that check (the account's state only). Two small queries (the account by
    primary key, its groups); no password check and no audit entry.
    """
    with db.read() as session:
        user = account_by_id(session, user_id)
        if user is None or not user.active:
            return None
        if credential is not None and credential != credential_stamp(user.password_hash):
            return None
        return _as_authenticated(session, user)
