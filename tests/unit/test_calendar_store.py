"""The school's calendar stored on SQLite and PostgreSQL, through its services: the holiday region, the
school's holiday changes and a programme's cancelled days, each shaping the plan the monitoring pages count with
(the same plan the .ics file has); who may change what; migration 0007_calendar on a database with data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
from icalendar import Calendar, Event
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, db_url, engine, factory, insert_school_0001
from tutoring_world import Tutoring, build_tutoring, cheap_argon2

from peermatch.calendar.ics import SCHOOL_TZ
from peermatch.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from peermatch.model import Subject
from peermatch.services import Database, monitoring
from peermatch.services import calendar as cal
from peermatch.storage import migrate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.models import AuditLog, CancelledDay, Programme, ProgrammeMoment, SchoolHoliday

__all__ = ["backend", "cheap_argon2", "db_url", "engine", "factory"]  # fixtures used by the tests below

HERFST_ZUID = date(2025, 10, 14)  # a Tuesday in the herfstvakantie 2025 of regio zuid (11-19 October)
HERFST_MIDDEN = date(2025, 10, 21)  # a Tuesday in that of midden and noord (18-26 October)


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)  # a Tuesday 10:00 moment from Monday 6 October 2025, 10 weeks, 3 pairs


def _skipped(db: Database, tutoring: Tutoring) -> set[tuple[date, ...]]:
    """The skipped dates of every pair's plan as the monitoring pages read them (one set: all pairs agree)."""
    return {h.plan.skipped_dates() for h in monitoring.load_monitored(db, tutoring.world.ib).histories}


def test_a_school_plans_with_the_holidays_of_its_region_zuid_by_default(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db, world = Database(factory), tutoring.world
    assert cal.school_holiday_list(db, world.juf).region is cal.Region.ZUID
    assert _skipped(db, tutoring) == {(HERFST_ZUID,)}
    assert cal.set_region(db, world.ib, " Midden ") is cal.Region.MIDDEN
    assert _skipped(db, tutoring) == {(HERFST_MIDDEN,)}
    assert cal.programme_calendar(db, world.ib, tutoring.programme_id).plan.skipped_dates() == (HERFST_MIDDEN,)  # type: ignore[union-attr]  # the programme has a start
    assert cal.school_holiday_list(db, world.other_ib).region is cal.Region.ZUID  # another school keeps its own
    with pytest.raises(PermissionDeniedError):
        cal.set_region(db, world.juf, "noord")
    with pytest.raises(InvalidInputError) as caught:
        cal.set_region(db, world.ib, "oost")
    assert caught.value.problems[0].message("nl") == "'oost' is geen vakantieregio. Kies noord, midden of zuid."


def test_a_school_removes_a_shipped_holiday_adds_its_own_and_undoes_both(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db, world = Database(factory), tutoring.world
    cal.remove_holiday(db, world.ib, date(2025, 10, 11), date(2025, 10, 19))
    added = cal.add_holiday(db, world.beheerder, date(2025, 11, 25), date(2025, 11, 25), "Studiedag")
    assert _skipped(db, tutoring) == {(date(2025, 11, 25),)}
    rows = cal.school_holiday_list(db, world.ib).rows
    herfst = next(r for r in rows if r.period.first == date(2025, 10, 11))
    assert (herfst.removed, herfst.period.shipped) == (True, True)
    assert [r.period.name for r in rows if r.added] == ["Studiedag"]
    with pytest.raises(ConflictError):
        cal.add_holiday(db, world.ib, date(2025, 11, 25), date(2025, 11, 25), "Nog een studiedag")
    with pytest.raises(PermissionDeniedError):
        cal.add_holiday(db, world.juf, date(2025, 12, 1), date(2025, 12, 1), "Sinterklaas")
    with pytest.raises(NotFoundError):
        cal.remove_holiday(db, world.ib, date(2025, 12, 1), date(2025, 12, 7))  # no such shipped period
    assert herfst.change_id is not None
    assert added.change_id is not None
    cal.undo_holiday_change(db, world.ib, herfst.change_id)
    cal.undo_holiday_change(db, world.ib, added.change_id)
    assert _skipped(db, tutoring) == {(HERFST_ZUID,)}
    with pytest.raises(NotFoundError):
        cal.undo_holiday_change(db, world.other_ib, added.change_id)  # gone, and never another school's
    with unit_of_work(factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(SchoolHoliday)) == 0
        audits = session.scalars(sa.select(AuditLog.entity).where(AuditLog.entity == "school_holiday")).all()
    assert len(audits) == 4  # two added, two undone


def test_a_cancelled_day_leaves_the_plan_and_comes_back_when_undone(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db, world, programme = Database(factory), tutoring.world, tutoring.programme_id
    tuesday = date(2025, 10, 28)
    stored = cal.cancel_day(db, world.ib, programme, tuesday, "Schoolreisje")
    assert (stored.day, stored.reason) == (tuesday, "Schoolreisje")
    assert cal.cancel_day(db, world.ib, programme, tuesday).reason == "Schoolreisje"  # twice: the first stays
    assert _skipped(db, tutoring) == {(HERFST_ZUID, tuesday)}
    shown = cal.programme_calendar(db, world.ib, programme)
    assert shown.skipped == ((HERFST_ZUID, "herfstvakantie"), (tuesday, cal.REASON_CANCELLED))
    assert [(c.day, c.by) for c in shown.cancelled] == [(tuesday, world.ib.display_name or world.ib.username)]
    assert shown.plan is not None
    assert shown.plan.total == 8  # 10 Tuesdays, without the holiday and the trip
    assert cal.undo_cancel(db, world.ib, programme, tuesday)
    assert not cal.undo_cancel(db, world.ib, programme, tuesday)
    assert _skipped(db, tutoring) == {(HERFST_ZUID,)}
    with unit_of_work(factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(CancelledDay)) == 0


@pytest.mark.parametrize(
    ("day", "code", "nl"),
    [
        (date(2025, 10, 29), "calendar.cancel.no_moment",
         "Op 2025-10-29 is er geen maatjes-moment: de momenten zijn op dinsdag."),
        (date(2026, 3, 3), "calendar.cancel.outside_plan",
         "2026-03-03 valt buiten de planning (2025-10-06 tot en met 2025-12-14)."),
    ],
)  # fmt: skip
def test_a_day_without_a_moment_in_the_plan_cannot_be_cancelled(
    factory: sessionmaker[Session], tutoring: Tutoring, day: date, code: str, nl: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        cal.cancel_day(Database(factory), tutoring.world.ib, tutoring.programme_id, day)
    assert (caught.value.problems[0].code, caught.value.problems[0].message("nl")) == (code, nl)


def test_only_who_may_open_the_programme_cancels_its_day(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    db, world = Database(factory), tutoring.world
    for outsider in (world.juf, world.other_ib):  # juf has 5A/7A, the programme also 5B/7B; another school
        with pytest.raises(PermissionDeniedError):
            cal.cancel_day(db, outsider, tutoring.programme_id, date(2025, 10, 28))
    with unit_of_work(factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(CancelledDay)) == 0


def test_the_ics_file_of_the_service_has_the_same_days_off_as_the_plan(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db, world = Database(factory), tutoring.world
    cal.cancel_day(db, world.ib, tutoring.programme_id, date(2025, 11, 4))
    name, body = cal.programme_ics(db, world.ib, tutoring.programme_id, lang="en")
    assert name == "maatjes-leesmaatjes.ics"
    [event] = [e for e in Calendar.from_ical(body).walk("VEVENT") if isinstance(e, Event)]
    assert str(event["SUMMARY"]) == "Buddy moment: Leesmaatjes"
    assert event.start == datetime(2025, 10, 7, 10, tzinfo=SCHOOL_TZ)
    assert [d.date() for d in event.exdates] == [HERFST_ZUID, date(2025, 11, 4)]
    plan = monitoring.load_monitored(db, world.ib).histories[0].plan
    assert tuple(d.date() for d in event.exdates) == plan.skipped_dates()


@pytest.fixture
def bare_engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


def test_the_migration_makes_sessions_per_week_follow_the_moments_and_keeps_the_rows(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine, "0006")
    with unit_of_work(session_factory(bare_engine)) as session:
        school_id = insert_school_0001(session, "OBS Blijft")
        for name, per_week, weekdays in (("Een moment, 3 keer", 3, [2]), ("Twee momenten", 2, [2, 4]), ("Geen", 2, [])):
            p = Programme(school_id=school_id, name=name, subject=Subject.LEZEN, weeks=10, sessions_per_week=per_week,
                          minutes_per_session=20, rules={})  # fmt: skip
            p.moments = [ProgrammeMoment(weekday=d, start=time(10), end=time(10, 30)) for d in weekdays]
            session.add(p)
    migrate.upgrade(bare_engine)
    with bare_engine.connect() as connection:
        found = connection.execute(sa.text("SELECT name, sessions_per_week FROM programmes")).all()
    rows = {str(name): int(n) for name, n in found}
    assert rows == {"Een moment, 3 keer": 1, "Twee momenten": 2, "Geen": 2}
    migrate.downgrade(bare_engine, "0006")
    assert not {"school_calendars", "school_holidays", "cancelled_days"} & set(
        sa.inspect(bare_engine).get_table_names()
    )
    migrate.upgrade(bare_engine)
    assert {"school_calendars", "school_holidays", "cancelled_days"} <= set(sa.inspect(bare_engine).get_table_names())
