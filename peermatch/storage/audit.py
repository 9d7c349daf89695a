"""The audit log: who viewed, changed or exported which pupil data, and when (ids only, never names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, require_role
from peermatch.storage.enums import AuditAction, StaffRole
from peermatch.storage.models import AuditLog, User

__all__ = ["AuditEntry", "list_audit", "record", "record_export"]


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user_id: int | None
    username: str | None
    action: str
    entity: str
    entity_id: str | None


def record(
    session: Session,
    actor: AuthenticatedUser | None,
    school_id: int,
    action: AuditAction,
    entity: str,
    entity_id: int | str | None = None,
    *,
    at: datetime | None = None,
    user_id: int | None = None,
) -> None:
    """Add one audit entry to the current transaction (so a rolled-back change leaves none).

    ``at`` defaults to now; ``user_id`` names the account when there is no acting user yet (a login).
    """
    entry = AuditLog(
        school_id=school_id,
        user_id=actor.id if actor else user_id,
        action=action.value,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
    )
    if at is not None:
        entry.at = at
    session.add(entry)


def record_export(session: Session, actor: AuthenticatedUser, entity: str, entity_id: int | str | None = None) -> None:
    """Call when pupil data leaves the system (CSV, XLSX, PDF): e.g. ``record_export(s, user, "run", 12)``."""
    record(session, actor, actor.school_id, AuditAction.EXPORT, entity, entity_id)


def list_audit(session: Session, actor: AuthenticatedUser, *, limit: int = 200) -> list[AuditEntry]:
    """The newest entries of the actor's school (beheerder and ib only)."""
    require_role(actor, StaffRole.BEHEERDER, StaffRole.IB)
    rows = session.execute(
        sa.select(AuditLog, User.username)
        .outerjoin(User, User.id == AuditLog.user_id)
        .where(AuditLog.school_id == actor.school_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    ).all()
    return [AuditEntry(e.at, e.user_id, name, e.action, e.entity, e.entity_id) for e, name in rows]
