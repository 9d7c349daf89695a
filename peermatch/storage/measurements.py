"""Level measurements: a pupil's reading and maths levels over time (a history, never overwritten).

The rows and their queries; :class:`MeasurementInfo` and :func:`scale_of` are core values
(:mod:`peermatch.records`), re-exported here for the callers that still import them from storage.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.model import Level, Quality, Subject
from peermatch.records import MeasurementInfo, scale_of
from peermatch.storage import audit
from peermatch.storage.access import load_pupil
from peermatch.storage.enums import AuditAction
from peermatch.storage.models import LevelMeasurementRow, PupilRow

__all__ = [
    "MeasurementInfo",
    "add_measurement",
    "latest_levels",
    "latest_levels_of",
    "level_history",
    "put_measurement",
    "scale_of",
]


def _info(m: LevelMeasurementRow) -> MeasurementInfo:
    return MeasurementInfo(
        id=m.id,
        pupil_id=m.pupil_id,
        subject=m.subject,
        scale=m.scale,
        code=m.code,
        index_low=m.index_low,
        index_high=m.index_high,
        quality=Quality(m.quality) if m.quality else None,
        written=m.written,
        note=m.note,
        measured_on=m.measured_on,
        source=m.source,
    )


def _same(m: LevelMeasurementRow, level: Level) -> bool:
    quality = level.quality.value if level.quality else None
    return (m.code, m.index_low, m.index_high, m.quality, m.written) == (
        level.code,
        level.low,
        level.high,
        quality,
        level.written,
    )


def put_measurement(
    session: Session,
    pupil: PupilRow,
    level: Level,
    *,
    measured_on: date,
    source: str,
    existing: LevelMeasurementRow | None = None,
    look_up: bool = True,
) -> str:
    """Store ``level`` for the (flushed) ``pupil`` on ``measured_on`` (no permission check: callers check).

    One measurement per subject per date: a second one on the same date replaces the first (a
    corrected file); another date adds to the history. Returns "added", "changed" or "unchanged".
    Bulk callers pass the ``existing`` row they found (or None) and ``look_up=False``.
    """
    if existing is None and look_up:
        existing = session.scalar(
            sa.select(LevelMeasurementRow).where(
                LevelMeasurementRow.pupil_id == pupil.id,
                LevelMeasurementRow.subject == level.subject,
                LevelMeasurementRow.measured_on == measured_on,
            )
        )
    if existing is not None and _same(existing, level):
        return "unchanged"
    target = existing or LevelMeasurementRow(school_id=pupil.school_id, pupil_id=pupil.id, subject=level.subject)
    target.scale = scale_of(level)
    target.code = level.code
    target.index_low = level.low
    target.index_high = level.high
    target.quality = level.quality.value if level.quality else None
    target.written = level.written[:64]
    target.note = level.note
    target.measured_on = measured_on
    target.source = source[:255]
    if existing is None:
        session.add(target)
        return "added"
    return "changed"


def add_measurement(
    session: Session, actor: AuthenticatedUser, pupil_id: int, level: Level, *, measured_on: date, source: str = ""
) -> MeasurementInfo:
    """Record a new level for one pupil (e.g. after a test), keeping the history."""
    pupil = load_pupil(session, actor, pupil_id)
    put_measurement(session, pupil, level, measured_on=measured_on, source=source)
    session.flush()
    audit.record(session, actor, pupil.school_id, AuditAction.UPDATE, "pupil", pupil.id)
    return latest_levels_of(session, [pupil.id])[pupil.id][level.subject]


def latest_levels_of(session: Session, pupil_ids: Iterable[int]) -> dict[int, dict[Subject, MeasurementInfo]]:
    """The newest measurement per subject for each pupil (no permission check: callers check)."""
    ids = list(pupil_ids)
    out: dict[int, dict[Subject, MeasurementInfo]] = {i: {} for i in ids}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        rows = session.scalars(
            sa.select(LevelMeasurementRow)
            .where(LevelMeasurementRow.pupil_id.in_(chunk))
            .order_by(LevelMeasurementRow.measured_on.desc(), LevelMeasurementRow.id.desc())
        )
        for m in rows:
            out[m.pupil_id].setdefault(m.subject, _info(m))
    return out


def latest_levels(session: Session, actor: AuthenticatedUser, pupil_id: int) -> dict[Subject, MeasurementInfo]:
    """The pupil's current level per subject (the newest measurement)."""
    pupil = load_pupil(session, actor, pupil_id)
    audit.record(session, actor, pupil.school_id, AuditAction.VIEW, "pupil", pupil.id)
    return latest_levels_of(session, [pupil.id])[pupil.id]


def level_history(
    session: Session, actor: AuthenticatedUser, pupil_id: int, subject: Subject | None = None
) -> list[MeasurementInfo]:
    """Every measurement of the pupil, oldest first."""
    pupil = load_pupil(session, actor, pupil_id)
    audit.record(session, actor, pupil.school_id, AuditAction.VIEW, "pupil", pupil.id)
    query = sa.select(LevelMeasurementRow).where(LevelMeasurementRow.pupil_id == pupil.id)
    if subject is not None:
        query = query.where(LevelMeasurementRow.subject == subject)
    rows = session.scalars(query.order_by(LevelMeasurementRow.measured_on, LevelMeasurementRow.subject))
    return [_info(m) for m in rows]
