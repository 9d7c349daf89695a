"""The rows behind a pupil's login: a group's class code, the pupils' code hashes, failed tries.

Queries and writes only; the throttled login itself (hashing, the wait after too many failures: ``login_throttles``) is
``peermatch.services.pupil_login``. :func:`require_active_pupil` is the check every pupil-facing
repository function makes first: the pupil is still active and in the same group (a moved pupil's
login stops working).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.errors import PermissionDeniedError, Problem
from peermatch.pupil_auth import AuthenticatedPupil, CodeKind
from peermatch.storage import audit
from peermatch.storage.enums import AuditAction
from peermatch.storage.models import Group, GroupLoginCode, PupilCredential, PupilRow

__all__ = [
    "ClassCode",
    "find_class_code",
    "log_in_credential",
    "require_active_pupil",
]


@dataclass(frozen=True)
class ClassCode:
    """A group's class code as the login needs it: which group, its salt and the kind of personal code."""

    group_id: int
    salt: str
    kind: CodeKind


def find_class_code(session: Session, class_code: str) -> ClassCode | None:
    """The group with this (normalised) class code, or None."""
    row = session.scalar(sa.select(GroupLoginCode).where(GroupLoginCode.class_code == class_code))
    return ClassCode(row.group_id, row.salt, CodeKind(row.code_kind)) if row else None


def log_in_credential(
    session: Session, group_id: int, number: int, code_hash: str, at: datetime
) -> AuthenticatedPupil | None:
    """The active pupil of the group with this number and code hash, their login recorded (time and audit); else
    None."""
    found = session.execute(
        sa.select(PupilCredential, PupilRow, Group)
        .join(PupilRow, PupilRow.id == PupilCredential.pupil_id)
        .join(Group, Group.id == PupilRow.group_id)
        .where(PupilCredential.group_id == group_id, PupilCredential.login_number == number)
        .where(PupilCredential.code_hash == code_hash)
        .where(PupilRow.group_id == group_id, PupilRow.active)
    ).first()
    if found is None:
        return None
    credential, pupil, group = found
    credential.last_login_at = at
    audit.record(session, None, pupil.school_id, AuditAction.LOGIN, "pupil", pupil.id)
    session.flush()
    return AuthenticatedPupil(pupil.id, pupil.school_id, group.id, pupil.first_name, group.name)


def require_active_pupil(session: Session, pupil: AuthenticatedPupil) -> PupilRow:
    """The pupil's row; PermissionDeniedError when the login is no longer valid (inactive, moved, removed)."""
    if not isinstance(pupil, AuthenticatedPupil):
        raise PermissionDeniedError(Problem("pupil.denied.not_a_pupil"))
    row = session.get(PupilRow, pupil.id)
    if row is None or not row.active or row.school_id != pupil.school_id or row.group_id != pupil.group_id:
        raise PermissionDeniedError(Problem("pupil.denied.login_expired"))
    return row
