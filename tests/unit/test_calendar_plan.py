"""The school's calendar and the one plan: one session per weekly moment, the region's holidays and the
cancelled days left out, and no dosage or silence alert for a holiday; the shipped holiday data; the .ics file
parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

import pytest
from icalendar import Calendar, Event

from peermatch.calendar import (
    HOLIDAY_NAMES,
    REASON_CANCELLED,
    HolidayPeriod,
    Region,
    SchoolCalendar,
    check_period,
    school_holidays,
    shipped_holidays,
)
from peermatch.calendar.ics import SCHOOL_TZ, programme_ics
from peermatch.calendar.plan import programme_plan
from peermatch.errors import InvalidInputError
from peermatch.model import Subject
from peermatch.monitoring import AlertKind, CheckIn, PairHistory, SessionStatus, generate_alerts, pair_dosage
from peermatch.programme import Moment, ProgrammeSpec
from peermatch.services.programmes import check_spec, with_sessions_from_moments

NO_HOLIDAYS = SchoolCalendar(Region.ZUID, ())
MONDAY_6_OCT_2025 = date(2025, 10, 6)


def test_one_moment_is_one_session_a_week_on_its_own_weekday() -> None:
    plan = programme_plan(MONDAY_6_OCT_2025, 4, [2], NO_HOLIDAYS, sessions_per_week=3)  # a stale "3 keer"
    assert plan.sessions_per_week == 1
    assert plan.planned_dates() == (date(2025, 10, 7), date(2025, 10, 14), date(2025, 10, 21), date(2025, 10, 28))
    assert {d.isoweekday() for d in plan.planned_dates()} == {2}  # never a Wednesday, Friday or Sunday
    assert plan.total == 4


def test_two_moments_are_two_sessions_a_week() -> None:
    plan = programme_plan(MONDAY_6_OCT_2025, 2, [4, 2, 2], NO_HOLIDAYS)
    assert plan.weekdays == (2, 4)
    assert plan.planned_dates() == (date(2025, 10, 7), date(2025, 10, 9), date(2025, 10, 14), date(2025, 10, 16))


@pytest.mark.parametrize(
    ("region", "skipped"),
    [
        (Region.ZUID, (date(2025, 10, 14),)),  # herfstvakantie zuid: 11-19 October 2025
        (Region.MIDDEN, (date(2025, 10, 21),)),  # midden and noord: 18-26 October 2025
        (Region.NOORD, (date(2025, 10, 21),)),
    ],
)
def test_the_plan_leaves_out_the_herfstvakantie_of_the_schools_region(region: Region, skipped: tuple[date]) -> None:
    plan = programme_plan(MONDAY_6_OCT_2025, 4, [2], SchoolCalendar.for_region(region))
    assert plan.skipped_dates() == skipped
    assert plan.total == 3
    assert not set(skipped) & set(plan.planned_dates())


def test_a_cancelled_day_is_left_out_and_named_as_cancelled() -> None:
    calendar = SchoolCalendar.for_region(Region.ZUID).with_cancelled([date(2025, 10, 28)])
    plan = programme_plan(MONDAY_6_OCT_2025, 4, [2], calendar)
    assert plan.skipped_dates() == (date(2025, 10, 14), date(2025, 10, 28))
    assert calendar.reason(date(2025, 10, 14)) == "herfstvakantie"
    assert calendar.reason(date(2025, 10, 28)) == REASON_CANCELLED
    assert calendar.reason(date(2025, 10, 7)) is None


def _weekly_pair(calendar: SchoolCalendar) -> PairHistory:
    """A Tuesday pair from 2 December 2025 that held every session of the plan, and nothing in the holiday."""
    plan = programme_plan(date(2025, 12, 2), 8, [2], calendar)
    days = (date(2025, 12, 2), date(2025, 12, 9), date(2025, 12, 16))  # the last Tuesday before the holiday
    checkins = tuple(CheckIn(d, SessionStatus.HELD, 20, 4, 4, 4) for d in days)
    return PairHistory("p1", "t1", "t2", plan, checkins, tutee_group="5A")


def test_no_dosage_or_silence_alert_after_the_kerstvakantie_while_without_the_calendar_there_is() -> None:
    first_day_back = date(2026, 1, 5)  # a Monday: kerstvakantie 20 December 2025 - 4 January 2026 is over
    with_holidays = _weekly_pair(SchoolCalendar.for_region(Region.ZUID))
    assert with_holidays.plan.skipped_dates() == (date(2025, 12, 23), date(2025, 12, 30))
    assert generate_alerts([with_holidays], first_day_back) == []
    dosage = pair_dosage(with_holidays, first_day_back)
    assert (dosage.planned, dosage.held, dosage.behind_pct) == (3, 3, 0.0)
    # the same pair and check-ins on a plan without holidays: behind and silent, the false alerts of the old plan
    without = _weekly_pair(NO_HOLIDAYS)
    kinds = {a.kind for a in generate_alerts([without], first_day_back)}
    assert {AlertKind.DOSAGE_BEHIND, AlertKind.NO_CHECKIN} <= kinds


def test_the_shipped_holidays_cover_each_region_with_saturday_to_sunday_periods() -> None:
    for region in Region:
        periods = shipped_holidays(region)
        year = [p for p in periods if p.school_year == "2025-2026"]
        assert sorted(p.name for p in year) == sorted(HOLIDAY_NAMES)
        for p in periods:
            assert p.shipped
            assert (p.first.isoweekday(), p.last.isoweekday()) == (6, 7), p
            assert p.first < p.last
        assert all(a.last < b.first for a, b in pairwise(periods))  # no overlap
    zomer = {r: next(p for p in shipped_holidays(r) if p.name == "zomervakantie") for r in Region}
    assert zomer[Region.ZUID].first == date(2026, 7, 11)
    assert zomer[Region.NOORD].first == date(2026, 7, 4)
    assert zomer[Region.MIDDEN].first == date(2026, 7, 18)


def test_a_school_removes_a_shipped_period_and_adds_its_own() -> None:
    studiedag = HolidayPeriod(date(2025, 11, 24), date(2025, 11, 24), "Studiedag")
    holidays = school_holidays(Region.ZUID, [studiedag], [(date(2025, 10, 11), date(2025, 10, 19))])
    assert studiedag in holidays
    assert all(p.name != "herfstvakantie" or p.school_year != "2025-2026" for p in holidays)
    plan = programme_plan(date(2025, 10, 6), 8, [1, 2], SchoolCalendar(Region.ZUID, holidays))
    assert plan.skipped_dates() == (date(2025, 11, 24),)


@pytest.mark.parametrize(
    ("first", "last", "name", "code"),
    [
        (date(2026, 3, 2), date(2026, 3, 2), " ", "calendar.holiday.name"),
        (date(2026, 3, 2), date(2026, 3, 1), "Studiedag", "calendar.holiday.order"),
        (date(2026, 3, 2), date(2027, 3, 1), "Studiedag", "calendar.holiday.too_long"),
    ],
)
def test_a_period_that_cannot_be_is_refused(first: date, last: date, name: str, code: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_period(first, last, name)
    assert caught.value.problems[0].code == code


def _spec(**changes: Any) -> ProgrammeSpec:
    values: dict[str, Any] = {"name": "Lezen", "subject": Subject.LEZEN, "tutor_group_ids": (1,),
                              "tutee_group_ids": (2,), "moments": (Moment(2, time(10, 30), time(11)),),
                              "sessions_per_week": 1}  # fmt: skip
    values.update(changes)
    return ProgrammeSpec(**values)


def test_sessions_per_week_that_disagree_with_the_moments_are_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_spec(_spec(sessions_per_week=3))
    problem = caught.value.problems[0]
    assert problem.code == "calendar.programme.per_week_mismatch"
    assert problem.message("nl").startswith("'Keer per week' (3) klopt niet met de vaste momenten: er zijn er 1.")
    assert problem.message("en").startswith("'Sessions per week' (3) does not match the fixed moments")
    check_spec(with_sessions_from_moments(_spec(sessions_per_week=3)))  # derived from the moments: accepted
    check_spec(_spec(moments=(), sessions_per_week=3))  # no fixed moment yet: the number stands


def test_two_moments_on_one_weekday_are_refused() -> None:
    tuesday_twice = (Moment(2, time(10, 30), time(11)), Moment(2, time(14), time(14, 30)))
    with pytest.raises(InvalidInputError) as caught:
        check_spec(_spec(moments=tuesday_twice, sessions_per_week=2))
    assert caught.value.problems[0].code == "calendar.programme.same_weekday"


def test_the_ics_file_has_a_weekly_event_per_moment_without_the_holidays_and_cancelled_days() -> None:
    moments = (Moment(2, time(10, 30), time(11)), Moment(4, time(13), time(13, 30)))
    calendar = SchoolCalendar.for_region(Region.ZUID).with_cancelled([date(2025, 11, 6)])
    plan = programme_plan(MONDAY_6_OCT_2025, 10, [m.weekday for m in moments], calendar)
    body = programme_ics(7, moments, plan, summary="Maatjes-moment: Lezen", description="Lezen, 30 minuten",
                         generated_at=datetime(2025, 10, 1, 8, tzinfo=UTC))  # fmt: skip
    parsed = Calendar.from_ical(body)
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    events = {e.start.isoweekday(): e for e in parsed.walk("VEVENT") if isinstance(e, Event)}
    assert set(events) == {2, 4}
    tuesday, thursday = events[2], events[4]
    assert (tuesday.start, tuesday.end) == (datetime(2025, 10, 7, 10, 30, tzinfo=SCHOOL_TZ),
                                            datetime(2025, 10, 7, 11, tzinfo=SCHOOL_TZ))  # fmt: skip
    assert str(tuesday["SUMMARY"]) == "Maatjes-moment: Lezen"
    [rule] = tuesday.rrules
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["UNTIL"] == [datetime(2025, 12, 14, 22, 59, 59, tzinfo=UTC)]  # the plan's last day, 23:59:59 CET
    assert tuesday.exdates == [datetime(2025, 10, 14, 10, 30, tzinfo=SCHOOL_TZ)]  # herfstvakantie zuid
    thursday_ex = thursday.exdates
    assert thursday_ex == [datetime(2025, 10, 16, 13, tzinfo=SCHOOL_TZ), datetime(2025, 11, 6, 13, tzinfo=SCHOOL_TZ)]
    assert [d.utcoffset() for d in thursday_ex] == [timedelta(hours=2), timedelta(hours=1)]  # summer, winter time
