"""Staff login and the per-click reload of a logged-in account (the database's view of who you are now)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from peermatch.auth.passwords import credential_stamp, dummy_hash, hash_password, needs_rehash, verify_password
from peermatch.auth.policy import AuthenticatedUser, normalize_username
from peermatch.services.database import Database
from peermatch.storage import audit
from peermatch.storage.models import User, utcnow
from peermatch.storage.users import account_by_id, account_by_username, group_ids_of
from peermatch.vocabulary import AuditAction

__all__ = ["authenticate", "reload_user"]


def _as_authenticated(session: Session, user: User) -> AuthenticatedUser:
    return AuthenticatedUser(
        id=user.id,
        school_id=user.school_id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        group_ids=group_ids_of(session, user.id),
        credential=credential_stamp(user.password_hash),
    )


def _audit_login(session: Session, user: User, action: AuditAction, at: datetime) -> None:
    audit.record(session, None, user.school_id, action, "user", user.id, at=at, user_id=user.id)


def authenticate(
    db: Database, username: str, password: str, *, now: datetime | None = None
) -> AuthenticatedUser | None:
    """The user when ``username`` and ``password`` match an active account, else None.

    Unknown and inactive users cost the same argon2 verification as known ones, so response time
    does not reveal which usernames exist. Logins and failed logins of known accounts are audited.
    """
    with db.write() as session:
        user = account_by_username(session, normalize_username(username))
        if user is None or not user.active:
            verify_password(dummy_hash(), password)
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
