"""Staff passwords: the beheerder resets a colleague's, everyone changes their own (with the current one).

The policy and the argon2 hashing are the core's (``peermatch.auth.passwords``). Every change is audited
(ids only: never a password); a new password gives a new credential stamp, so the account's sessions
opened with the old one end at their next click (``peermatch.services.login.reload_user``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from peermatch.auth import (
    AuthenticatedUser,
    StaffRole,
    check_password_policy,
    hash_password,
    require_role,
    verify_password,
)
from peermatch.errors import AuthError, PermissionDeniedError, Problem
from peermatch.services.database import Database
from peermatch.storage import audit, users
from peermatch.storage.models import User
from peermatch.vocabulary import AuditAction

__all__ = ["change_own_password", "change_password", "reset_password"]


def _set_password(session: Session, actor: AuthenticatedUser, user: User, new_password: str) -> None:
    """The new password; one set by someone else (a beheerder's reset) must be changed at the next login, one
    chosen by the user themselves lifts that."""
    check_password_policy(new_password, username=user.username, user_inputs=(user.display_name,))
    user.password_hash = hash_password(new_password)
    user.must_change_password = user.id != actor.id
    session.flush()
    audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "user", user.id)


def _reset(session: Session, actor: AuthenticatedUser, user: User, new_password: str) -> None:
    if user.id == actor.id:
        raise PermissionDeniedError(Problem("auth.denied.reset_self"))
    _set_password(session, actor, user, new_password)


def reset_password(db: Database, actor: AuthenticatedUser, user_id: int, new_password: str) -> None:
    """A new password for a colleague in your school, without their old one (beheerder only).

    Not for your own account: that goes through :func:`change_own_password` with the current password,
    so a beheerder's unattended, logged-in screen is not enough to take the account over.
    """
    require_role(actor, StaffRole.BEHEERDER)
    with db.write() as session:
        _reset(session, actor, users.account_in_school(session, actor, user_id), new_password)


def change_own_password(db: Database, actor: AuthenticatedUser, current_password: str, new_password: str) -> bool:
    """Your own password (any role), given the current one: True when changed, False when that one is wrong.

    Like :func:`peermatch.services.login.authenticate`, a wrong password is an answer, not an exception:
    it is audited as a failed login (committed), and every attempt costs one argon2 verification, right
    or wrong, so guessing here is as slow as at the login form and the time taken does not tell how
    close a guess was. A new password that breaks the policy raises ``AuthError`` before the current
    one is checked; a blocked account raises ``PermissionDeniedError``.
    """
    check_password_policy(new_password, username=actor.username, user_inputs=(actor.display_name,))
    with db.write() as session:
        user = users.account_in_school(session, actor, actor.id)
        if not user.active:
            raise PermissionDeniedError(Problem("auth.denied.blocked"))
        if not verify_password(user.password_hash, current_password):
            audit.record(session, actor, actor.school_id, AuditAction.LOGIN_FAILED, "user", user.id)
            return False
        _set_password(session, actor, user, new_password)
        return True


def change_password(
    db: Database, actor: AuthenticatedUser, user_id: int, new_password: str, *, current_password: str = ""
) -> None:
    """Your own password (give the current one), or anyone's in your school as beheerder (a reset).

    A wrong current password raises ``AuthError`` (``auth.password.wrong``), after its audit entry is committed.
    """
    if user_id != actor.id:
        with db.write() as session:
            user = users.account_in_school(session, actor, user_id)  # another school's: not found, for any role
            require_role(actor, StaffRole.BEHEERDER)
            _reset(session, actor, user, new_password)
        return
    if not change_own_password(db, actor, current_password, new_password):
        raise AuthError(Problem("auth.password.wrong"))
