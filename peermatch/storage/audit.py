"""The audit log: who viewed, changed or exported which pupil data, and when (ids only, never names).

``detail`` holds what an id cannot say: the counts of a retention run or a deletion, which groups' worries
were read. Never a pupil's name, level or text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, require_role
from peermatch.storage.enums import AuditAction, StaffRole
from peermatch.storage.models import AuditLog, GroupLoginCode, User

__all__ = [
    "AUDIT_READERS",
    "AuditEntry",
    "AuditFilter",
    "audit_people",
    "list_audit",
    "record",
    "record_export",
    "record_pupil_login_failed",
]

AUDIT_READERS = (StaffRole.BEHEERDER, StaffRole.IB)
_DETAIL_MAX = 300


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user_id: int | None
    username: str | None
    action: str
    entity: str
    entity_id: str | None
    detail: str | None = None


@dataclass(frozen=True)
class AuditFilter:
    """What the Audit page asks for: one person (``user_id``), one action, days from/to (inclusive)."""

    user_id: int | None = None
    action: str | None = None
    first_day: date | None = None
    last_day: date | None = None


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
    detail: str | None = None,
) -> None:
    """Add one audit entry to the current transaction (so a rolled-back change leaves none).

    ``at`` defaults to now; ``user_id`` names the account when there is no acting user yet (a login).
    """
    entry = AuditLog(
        school_id=school_id,
        user_id=actor.id if actor else user_id,
        action=action.value,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id)[:40],
        detail=None if detail is None else detail[:_DETAIL_MAX],
    )
    if at is not None:
        entry.at = at
    session.add(entry)


def record_export(
    session: Session,
    actor: AuthenticatedUser,
    entity: str,
    entity_id: int | str | None = None,
    *,
    detail: str | None = None,
) -> None:
    """Call when pupil data leaves the system (CSV, XLSX, PDF): e.g. ``record_export(s, user, "run", 12)``."""
    record(session, actor, actor.school_id, AuditAction.EXPORT, entity, entity_id, detail=detail)


def record_pupil_login_failed(session: Session, group_id: int, at: datetime) -> None:
    """A wrong personal code with a known class code: audited in that group's school (an unknown class code
    belongs to no school; it is only counted by the throttle)."""
    school_id = session.scalar(sa.select(GroupLoginCode.school_id).where(GroupLoginCode.group_id == group_id))
    if school_id is not None:
        record(session, None, school_id, AuditAction.LOGIN_FAILED, "group", group_id, at=at)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone(UTC)


def list_audit(
    session: Session, actor: AuthenticatedUser, *, limit: int = 200, where: AuditFilter | None = None
) -> list[AuditEntry]:
    """The newest entries of the actor's school (beheerder and ib only), narrowed by ``where``.
    The days are the server's local days."""
    require_role(actor, *AUDIT_READERS)
    query = (
        sa.select(AuditLog, User.username)
        .outerjoin(User, User.id == AuditLog.user_id)
        .where(AuditLog.school_id == actor.school_id)
    )
    if where is not None:
        if where.user_id is not None:
            query = query.where(AuditLog.user_id == where.user_id)
        if where.action:
            query = query.where(AuditLog.action == where.action)
        if where.first_day is not None:
            query = query.where(AuditLog.at >= _start(where.first_day))
        if where.last_day is not None:
            query = query.where(AuditLog.at < _start(where.last_day + timedelta(days=1)))
    rows = session.execute(query.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)).all()
    return [AuditEntry(e.at, e.user_id, name, e.action, e.entity, e.entity_id, e.detail) for e, name in rows]


def audit_people(session: Session, actor: AuthenticatedUser) -> dict[int, str]:
    """The staff accounts of the actor's school by id (display name and username), for the person filter."""
    require_role(actor, *AUDIT_READERS)
    rows = session.execute(
        sa.select(User.id, User.display_name, User.username)
        .where(User.school_id == actor.school_id)
        .order_by(User.display_name, User.username)
    )
    return {int(i): f"{name} ({username})" for i, name, username in rows}
