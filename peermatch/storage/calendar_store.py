"""The school's calendar as stored: its holiday region (``school_calendars``), its changes to the
region's shipped holidays (``school_holidays``) and the cancelled days of its programmes (``cancelled_days``).

Rows in, plain values out; what they mean together is :mod:`peermatch.calendar`. Every staff member of the
school reads them. The region and the holidays are changed by the beheerder and the IB'er (like the other
school settings); a day is cancelled (and the cancel undone) by whoever may open the programme, a leerkracht
for the programmes of their own groups. Every change is audited.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, require_role
from peermatch.errors import ConflictError, NotFoundError, PermissionDeniedError, Problem
from peermatch.storage import audit
from peermatch.storage.access import load_programme
from peermatch.storage.enums import AuditAction
from peermatch.storage.models import CancelledDay, Programme, SchoolCalendarRow, SchoolHoliday, utcnow
from peermatch.storage.settings import SETTINGS_EDITORS

__all__ = [
    "StoredCancelledDay",
    "StoredHolidayChange",
    "add_holiday_change",
    "cancel_day",
    "cancelled_days",
    "delete_holiday_change",
    "holiday_changes",
    "holiday_region",
    "set_holiday_region",
    "uncancel_day",
]

DEFAULT_REGION = "zuid"  # as peermatch.calendar.DEFAULT_REGION; a school without a settings row


@dataclass(frozen=True)
class StoredHolidayChange:
    """A school's change to its shipped holidays: an added period, or (``removed``) a hidden shipped one."""

    id: int
    first: date
    last: date
    name: str
    removed: bool
    by: str


@dataclass(frozen=True)
class StoredCancelledDay:
    programme_id: int
    day: date
    reason: str
    by: str


def _staff(actor: object) -> AuthenticatedUser:
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    return actor


def _by(actor: AuthenticatedUser) -> str:
    return actor.display_name or actor.username


def holiday_region(session: Session, actor: AuthenticatedUser) -> str:
    """The holiday region of the actor's school (``zuid`` when it never chose one)."""
    actor = _staff(actor)
    row = session.get(SchoolCalendarRow, actor.school_id)
    return DEFAULT_REGION if row is None else row.holiday_region


def set_holiday_region(session: Session, actor: AuthenticatedUser, region: str) -> None:
    """Store the school's holiday region (checked by the caller). Beheerder and ib only; audited."""
    actor = _staff(actor)
    require_role(actor, *SETTINGS_EDITORS)
    row = session.get(SchoolCalendarRow, actor.school_id)
    if row is None:
        row = SchoolCalendarRow(school_id=actor.school_id)
        session.add(row)
    row.holiday_region = region
    row.updated_at = utcnow()
    row.updated_by_name = _by(actor)
    session.flush()
    audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "settings", "holiday_region")


def holiday_changes(session: Session, actor: AuthenticatedUser) -> list[StoredHolidayChange]:
    """The school's holiday changes, by first day."""
    actor = _staff(actor)
    rows = session.scalars(
        sa.select(SchoolHoliday).where(SchoolHoliday.school_id == actor.school_id).order_by(SchoolHoliday.first_day)
    )
    return [StoredHolidayChange(r.id, r.first_day, r.last_day, r.name, r.removed, r.by_name) for r in rows]


def add_holiday_change(
    session: Session, actor: AuthenticatedUser, first: date, last: date, name: str, *, removed: bool
) -> StoredHolidayChange:
    """Add a period (``removed`` false) or hide a shipped one (``removed`` true); checked by the caller.
    A second change with the same first and last day is refused. Beheerder and ib only; audited."""
    actor = _staff(actor)
    require_role(actor, *SETTINGS_EDITORS)
    taken = session.scalar(
        sa.select(SchoolHoliday.id).where(
            SchoolHoliday.school_id == actor.school_id, SchoolHoliday.first_day == first, SchoolHoliday.last_day == last
        )
    )
    if taken is not None:
        raise ConflictError(
            Problem(
                "calendar.holiday.exists", value=name, params={"first": first.isoformat(), "last": last.isoformat()}
            )
        )
    row = SchoolHoliday(school_id=actor.school_id, first_day=first, last_day=last, name=name.strip(), removed=removed,
                        by_name=_by(actor))  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, actor, actor.school_id, AuditAction.CREATE, "school_holiday", row.id)
    return StoredHolidayChange(row.id, first, last, row.name, removed, row.by_name)


def delete_holiday_change(session: Session, actor: AuthenticatedUser, change_id: int) -> None:
    """Undo a holiday change of the actor's school (an added period goes, a hidden one comes back). Audited."""
    actor = _staff(actor)
    require_role(actor, *SETTINGS_EDITORS)
    row = session.get(SchoolHoliday, change_id)
    if row is None or row.school_id != actor.school_id:
        raise NotFoundError(Problem("calendar.holiday.not_found", value=str(change_id)))
    session.delete(row)
    session.flush()
    audit.record(session, actor, actor.school_id, AuditAction.DELETE, "school_holiday", change_id)


def cancelled_days(
    session: Session, actor: AuthenticatedUser, programme_ids: Iterable[int] | None = None
) -> dict[int, list[StoredCancelledDay]]:
    """The cancelled days of the actor's school's programmes (``programme_ids`` narrows), per programme, by day."""
    actor = _staff(actor)
    query = (
        sa.select(CancelledDay)
        .where(CancelledDay.school_id == actor.school_id)
        .order_by(CancelledDay.programme_id, CancelledDay.day)
    )
    if programme_ids is not None:
        query = query.where(CancelledDay.programme_id.in_(list(programme_ids)))
    out: dict[int, list[StoredCancelledDay]] = defaultdict(list)
    for r in session.scalars(query):
        out[r.programme_id].append(StoredCancelledDay(r.programme_id, r.day, r.reason, r.by_name))
    return dict(out)


def _programme(session: Session, actor: AuthenticatedUser, programme_id: int) -> Programme:
    return load_programme(session, _staff(actor), programme_id)


def cancel_day(
    session: Session, actor: AuthenticatedUser, programme_id: int, day: date, reason: str = ""
) -> StoredCancelledDay:
    """Mark ``day`` as a day without the programme's session (checked by the caller). A day cancelled already
    keeps its first entry (cancelling twice changes nothing). Audited."""
    programme = _programme(session, actor, programme_id)
    row = session.scalar(
        sa.select(CancelledDay).where(CancelledDay.programme_id == programme.id, CancelledDay.day == day)
    )
    if row is None:
        row = CancelledDay(school_id=programme.school_id, programme_id=programme.id, day=day, reason=reason.strip(),
                           by_name=_by(actor), created_at=utcnow())  # fmt: skip
        session.add(row)
        session.flush()
        audit.record(session, actor, programme.school_id, AuditAction.CREATE, "cancelled_day",
                     f"{programme.id}:{day.isoformat()}")  # fmt: skip
    return StoredCancelledDay(row.programme_id, row.day, row.reason, row.by_name)


def uncancel_day(session: Session, actor: AuthenticatedUser, programme_id: int, day: date) -> bool:
    """Undo a cancelled day: the session is planned again. False when the day was not cancelled. Audited."""
    programme = _programme(session, actor, programme_id)
    row = session.scalar(
        sa.select(CancelledDay).where(CancelledDay.programme_id == programme.id, CancelledDay.day == day)
    )
    if row is None:
        return False
    session.delete(row)
    session.flush()
    audit.record(session, actor, programme.school_id, AuditAction.DELETE, "cancelled_day",
                 f"{programme.id}:{day.isoformat()}")  # fmt: skip
    return True
