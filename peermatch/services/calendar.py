"""The school's calendar: its holiday region and holidays, a programme's cancelled days, its plan and its
iCalendar file.

The plan of a programme (and of each pair, from the pair's start) is made by
:func:`peermatch.calendar.plan.programme_plan` with the calendar read here (:func:`read_programme_calendars`):
the monitoring services use the same function, so the dosage, the alerts, the programme page and the .ics file
agree on which days have a session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.calendar import (
    REASON_CANCELLED,
    HolidayPeriod,
    Region,
    SchoolCalendar,
    check_period,
    school_holidays,
    shipped_holidays,
)
from peermatch.calendar.ics import programme_ics as build_ics
from peermatch.calendar.plan import plan_end, programme_plan
from peermatch.errors import InvalidInputError, NotFoundError, Problem
from peermatch.i18n import translate
from peermatch.monitoring.history import Plan
from peermatch.programme import ProgrammeInfo
from peermatch.services.database import Database
from peermatch.storage import calendar_store as store
from peermatch.storage.models import utcnow
from peermatch.storage.programmes import get_programme

__all__ = [
    "HOLIDAY_SOURCE",
    "REASON_CANCELLED",
    "HolidayRow",
    "ProgrammeCalendar",
    "Region",
    "SchoolHolidays",
    "add_holiday",
    "build_school_calendar",
    "cancel_day",
    "holiday_label",
    "programme_calendar",
    "programme_ics",
    "read_programme_calendars",
    "read_school_calendar",
    "remove_holiday",
    "school_holiday_list",
    "set_region",
    "undo_cancel",
    "undo_holiday_change",
]

HOLIDAY_SOURCE = "https://www.rijksoverheid.nl/onderwerpen/schoolvakanties/overzicht-schoolvakanties-per-schooljaar"
REASON_MAX = 200


def holiday_label(name: str, lang: str) -> str:
    """A holiday's name as shown: a shipped period's name translated, a school's own name as written."""
    code = f"calendar.holiday_name.{name}"
    text = translate(code, lang)
    return name if text == code else text


# --- reading, inside the caller's transaction (also for the monitoring services) -------------------------


def read_school_calendar(session: Session, actor: AuthenticatedUser) -> SchoolCalendar:
    """The actor's school's calendar: its region's shipped holidays with the school's changes (no cancelled day)."""
    changes = store.holiday_changes(session, actor)
    return build_school_calendar(
        store.holiday_region(session, actor), [(c.first, c.last, c.name, c.removed) for c in changes]
    )


def build_school_calendar(region: str, changes: Iterable[tuple[date, date, str, bool]]) -> SchoolCalendar:
    """A school's calendar from its stored region and holiday changes (first, last, name, removed)."""
    where = Region(region)
    rows = list(changes)
    added = [HolidayPeriod(first, last, name) for first, last, name, removed in rows if not removed]
    removed = [(first, last) for first, last, _, gone in rows if gone]
    return SchoolCalendar(where, school_holidays(where, added, removed))


def read_programme_calendars(
    session: Session, actor: AuthenticatedUser, programme_ids: Iterable[int]
) -> dict[int, SchoolCalendar]:
    """Per programme: the school's calendar with that programme's cancelled days."""
    ids = list(programme_ids)
    school = read_school_calendar(session, actor)
    cancelled = store.cancelled_days(session, actor, ids)
    return {pid: school.with_cancelled(c.day for c in cancelled.get(pid, ())) for pid in ids}


# --- the school's holidays -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HolidayRow:
    """One line of the holiday list: a shipped period (kept, or ``removed`` by the school) or one it added."""

    period: HolidayPeriod
    removed: bool = False
    change_id: int | None = None  # the stored change to undo (an added period, or the removal of a shipped one)

    @property
    def added(self) -> bool:
        return not self.period.shipped


@dataclass(frozen=True)
class SchoolHolidays:
    region: Region
    rows: tuple[HolidayRow, ...]
    source: str = HOLIDAY_SOURCE


def school_holiday_list(db: Database, actor: AuthenticatedUser) -> SchoolHolidays:
    """The region and every holiday line: the shipped periods (with those the school removed marked) and the
    periods it added, by first day."""
    with db.read() as session:
        region = Region(store.holiday_region(session, actor))
        changes = store.holiday_changes(session, actor)
    removed = {(c.first, c.last): c.id for c in changes if c.removed}
    rows = [
        HolidayRow(p, (p.first, p.last) in removed, removed.get((p.first, p.last))) for p in shipped_holidays(region)
    ]
    rows += [HolidayRow(HolidayPeriod(c.first, c.last, c.name), False, c.id) for c in changes if not c.removed]
    return SchoolHolidays(region, tuple(sorted(rows, key=lambda r: (r.period.first, r.period.last))))


def set_region(db: Database, actor: AuthenticatedUser, region: Region | str) -> Region:
    """Store the school's holiday region (noord, midden or zuid). Beheerder and ib only; audited."""
    try:
        chosen = Region(str(region).strip().lower())
    except ValueError:
        raise InvalidInputError(Problem("calendar.region.unknown", column="regio", value=str(region))) from None
    with db.write() as session:
        store.set_holiday_region(session, actor, chosen.value)
    return chosen


def add_holiday(db: Database, actor: AuthenticatedUser, first: date, last: date, name: str) -> HolidayRow:
    """Add a period to the school's holidays (a studiedag, a school's own week). Beheerder and ib; audited."""
    check_period(first, last, name)
    with db.write() as session:
        change = store.add_holiday_change(session, actor, first, last, name, removed=False)
    return HolidayRow(HolidayPeriod(first, last, change.name), False, change.id)


def remove_holiday(db: Database, actor: AuthenticatedUser, first: date, last: date) -> None:
    """Take a shipped period of the school's region out of its holidays (the school keeps school then)."""
    with db.write() as session:
        region = store.holiday_region(session, actor)
        period = next((p for p in shipped_holidays(region) if (p.first, p.last) == (first, last)), None)
        if period is None:
            raise NotFoundError(Problem("calendar.holiday.not_shipped",
                                        params={"first": first.isoformat(), "last": last.isoformat()}))  # fmt: skip
        store.add_holiday_change(session, actor, first, last, period.name, removed=True)


def undo_holiday_change(db: Database, actor: AuthenticatedUser, change_id: int) -> None:
    """Undo a change: an added period goes, a removed shipped period is a holiday again."""
    with db.write() as session:
        store.delete_holiday_change(session, actor, change_id)


# --- a programme's calendar ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeCalendar:
    """A programme's plan from its start date (``None`` while it has none) on the school's calendar."""

    programme: ProgrammeInfo
    calendar: SchoolCalendar
    plan: Plan | None
    cancelled: tuple[store.StoredCancelledDay, ...]

    @property
    def skipped(self) -> tuple[tuple[date, str], ...]:
        """The moments' dates without a session and why (a holiday's name or :data:`REASON_CANCELLED`)."""
        if self.plan is None:
            return ()
        return tuple((d, self.calendar.reason(d) or REASON_CANCELLED) for d in self.plan.skipped_dates())

    def planned_until(self, day: date) -> int:
        return 0 if self.plan is None else self.plan.planned_until(day)

    def upcoming(self, today: date, n: int = 5) -> tuple[date, ...]:
        """The next ``n`` planned session dates from ``today`` on."""
        if self.plan is None:
            return ()
        return tuple(d for d in self.plan.planned_dates() if d >= today)[:n]

    def is_moment_day(self, day: date) -> bool:
        """Does the programme have a moment on ``day``'s weekday within its plan?"""
        if self.plan is None or not self.plan.start <= day <= self.plan.end:
            return False
        return not self.programme.spec.moments or day.isoweekday() in {m.weekday for m in self.programme.spec.moments}


def _plan_of(info: ProgrammeInfo, calendar: SchoolCalendar) -> Plan | None:
    spec = info.spec
    if spec.start_date is None:
        return None
    return programme_plan(spec.start_date, spec.weeks, [m.weekday for m in spec.moments], calendar,
                          sessions_per_week=spec.sessions_per_week)  # fmt: skip


def _read_programme_calendar(session: Session, actor: AuthenticatedUser, programme_id: int) -> ProgrammeCalendar:
    info = get_programme(session, actor, programme_id)
    cancelled = tuple(store.cancelled_days(session, actor, [info.id]).get(info.id, ()))
    calendar = read_school_calendar(session, actor).with_cancelled(c.day for c in cancelled)
    return ProgrammeCalendar(info, calendar, _plan_of(info, calendar), cancelled)


def programme_calendar(db: Database, actor: AuthenticatedUser, programme_id: int) -> ProgrammeCalendar:
    """The programme's plan, the days without a session and the cancelled days, for a programme the actor may open."""
    with db.read() as session:
        return _read_programme_calendar(session, actor, programme_id)


def _weekday_names(weekdays: Iterable[int], lang: str) -> str:
    return ", ".join(translate(f"ui.weekday.{d}", lang) for d in sorted(set(weekdays)))


def cancel_day(
    db: Database, actor: AuthenticatedUser, programme_id: int, day: date, reason: str = "", *, lang: str = "nl"
) -> store.StoredCancelledDay:
    """No session of the programme on ``day`` ("vandaag geen maatjes-moment"): the plan, the dosage and the
    alerts leave it out. ``day`` must be a day of one of the programme's moments within its plan. Audited."""
    if len(reason) > REASON_MAX:
        raise InvalidInputError(Problem("calendar.cancel.reason_too_long", column="reden", value=str(REASON_MAX)))
    with db.write() as session:
        current = _read_programme_calendar(session, actor, programme_id)
        if current.plan is None:
            raise InvalidInputError(Problem("calendar.cancel.no_start", value=current.programme.spec.name))
        if not current.plan.start <= day <= current.plan.end:
            raise InvalidInputError(Problem("calendar.cancel.outside_plan", value=day.isoformat(),
                                            params={"first": current.plan.start.isoformat(),
                                                    "last": current.plan.end.isoformat()}))  # fmt: skip
        if not current.is_moment_day(day):
            days = _weekday_names([m.weekday for m in current.programme.spec.moments], lang)
            raise InvalidInputError(Problem("calendar.cancel.no_moment", value=day.isoformat(), params={"days": days}))
        return store.cancel_day(session, actor, programme_id, day, reason)


def undo_cancel(db: Database, actor: AuthenticatedUser, programme_id: int, day: date) -> bool:
    """The session on ``day`` is planned again. False when the day was not cancelled. Audited."""
    with db.write() as session:
        return store.uncancel_day(session, actor, programme_id, day)


def programme_ics(
    db: Database, actor: AuthenticatedUser, programme_id: int, *, lang: str = "nl", now: datetime | None = None
) -> tuple[str, bytes]:
    """The file name and the iCalendar file of the programme's moments: one weekly event per moment until the
    plan's end, without its holidays and cancelled days (EXDATE), in Europe/Amsterdam."""
    current = programme_calendar(db, actor, programme_id)
    spec = current.programme.spec
    if current.plan is None:
        raise InvalidInputError(Problem("calendar.cancel.no_start", value=spec.name))
    if not spec.moments:
        raise InvalidInputError(Problem("calendar.ics.no_moments", value=spec.name))
    summary = translate("calendar.ics.summary", lang, name=spec.name)
    description = translate("calendar.ics.description", lang, name=spec.name, minutes=spec.minutes_per_session,
                            last=plan_end(current.plan.start, current.plan.weeks).isoformat())  # fmt: skip
    body = build_ics(current.programme.id, spec.moments, current.plan, summary=summary, description=description,
                     generated_at=now or utcnow())  # fmt: skip
    safe = "".join(c if c.isalnum() else "-" for c in spec.name.lower()).strip("-") or "programma"
    return f"maatjes-{safe}.ics", body
