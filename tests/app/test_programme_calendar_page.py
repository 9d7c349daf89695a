"""Tutorprogramma's and Schoolvakanties in AppTest on the demo database: the form derives 'keer per week' from
the moments; on the programme's calendar juf Fatima marks "vandaag geen maatjes-moment" and another day, sees
them, undoes them, and gets the .ics file; the IB'er removes, restores and adds a holiday; a leerkracht cannot."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from apphelpers import account, count, group_ids, logged_in, ok
from icalendar import Calendar, Event
from streamlit.testing.v1 import AppTest

from peermatch.calendar import shipped_holidays
from peermatch.errors import PermissionDeniedError
from peermatch.model import Subject
from peermatch.programme import Moment, ProgrammeSpec
from peermatch.services import Database
from peermatch.services import calendar as cal
from peermatch.services.programmes import create_programme, list_programmes
from peermatch.storage.engine import make_engine, session_factory

EVERY_DAY = tuple(Moment(d, time(10, 30), time(11)) for d in range(1, 8))  # a moment today, whatever day it is


def _db(url: str) -> Database:
    return Database(session_factory(make_engine(url)))


def _programme_with_a_moment_today(url: str, today: date) -> int:
    """A programme of juf Fatima's groups with a moment on every weekday, running around ``today``, and no
    holiday today (the IB'er takes out the shipped period that holds it, if any)."""
    db, juf, ib = _db(url), account(url, "juf.fatima"), account(url, "ib")
    for p in shipped_holidays(cal.Region.ZUID):
        if p.contains(today):
            cal.remove_holiday(db, ib, p.first, p.last)
    tutor, tutee = group_ids(url, "7A", "5A")
    spec = ProgrammeSpec("Elke dag lezen", Subject.LEZEN, (tutor,), (tutee,), EVERY_DAY,
                         start_date=today - timedelta(days=7), weeks=6, sessions_per_week=7)  # fmt: skip
    return create_programme(db, juf, spec).id


def _open(url: str, programme_id: int) -> AppTest:
    at = logged_in(url, page="views/programmas.py")
    at.selectbox(key="programme_choice").set_value(programme_id).run()
    return ok(at)


def test_the_form_takes_sessions_per_week_from_the_moments(db_url: str) -> None:
    at = logged_in(db_url, page="views/programmas.py")
    tutor, tutee = group_ids(db_url, "7A", "5A")
    at.text_input(key="prog0_name").set_value("Tutorlezen 7 -> 5")
    at.multiselect(key="prog0_tutor_groups").set_value([tutor])
    at.multiselect(key="prog0_tutee_groups").set_value([tutee])
    assert "**1 keer per week** (1 moment)" in [m.value for m in at.markdown]
    ok(at.button(key="prog0_add_moment").click().run())
    assert "**2 keer per week** (2 momenten)" in [m.value for m in at.markdown]
    at.selectbox(key="prog0_weekday_1").set_value(4)
    ok(at.button(key="prog0_save").click().run())
    assert [e.value for e in at.error] == []
    (stored,) = list_programmes(_db(db_url), account(db_url, "juf.fatima"))
    assert (len(stored.spec.moments), stored.spec.sessions_per_week) == (2, 2)


def test_two_moments_on_one_day_are_refused_in_the_form(db_url: str) -> None:
    at = logged_in(db_url, page="views/programmas.py")
    tutor, tutee = group_ids(db_url, "7A", "5A")
    at.text_input(key="prog0_name").set_value("Twee keer dinsdag")
    at.multiselect(key="prog0_tutor_groups").set_value([tutor])
    at.multiselect(key="prog0_tutee_groups").set_value([tutee])
    ok(at.button(key="prog0_add_moment").click().run())
    ok(at.button(key="prog0_save").click().run())  # both rows are on the default day, dinsdag
    assert [e.value for e in at.error] == [
        "Er staan twee momenten op dinsdag. Een koppel heeft één sessie per dag: kies een andere dag voor het "
        "tweede moment."
    ]
    assert count(db_url, "programmes") == 0


def test_juf_cancels_today_and_another_day_sees_them_and_undoes_them(db_url: str) -> None:
    today = date.today()
    programme_id = _programme_with_a_moment_today(db_url, today)
    at = _open(db_url, programme_id)
    assert "Kalender en planning" in [h.value for h in at.subheader]
    at.button(key="cal_today").click().run()
    assert ok(at).success[0].value.startswith("Geen maatjes-moment op ")
    calendar_notes = [i.value for i in at.info if "maatjes-moment" in i.value]  # the focus section has its own
    assert calendar_notes == ["Vandaag is er geen maatjes-moment (afgelast)."]
    assert count(db_url, "cancelled_days") == 1
    ok(at.button(key="cal_today_undo").click().run())
    assert at.success[0].value.startswith("Het maatjes-moment op ")
    assert count(db_url, "cancelled_days") == 0

    tomorrow = today + timedelta(days=1)
    at.date_input(key="cal_other_day").set_value(tomorrow)
    at.text_input(key="cal_other_reason").set_value("Toets")
    ok(at.button(key="cal_other_submit").click().run())
    lines = [m.value for m in at.markdown]
    assert any(": Toets (door Juf Fatima (demo))" in line for line in lines), lines
    shown = cal.programme_calendar(_db(db_url), account(db_url, "juf.fatima"), programme_id)
    assert tomorrow in shown.calendar.cancelled
    assert shown.plan is not None
    assert tomorrow not in shown.plan.planned_dates()
    ok(at.button(key=f"cal_undo_{tomorrow.isoformat()}").click().run())
    assert count(db_url, "cancelled_days") == 0


def test_the_programme_page_offers_the_ics_file_with_the_cancelled_day_left_out(db_url: str) -> None:
    today = date.today()
    programme_id = _programme_with_a_moment_today(db_url, today)
    at = _open(db_url, programme_id)
    ok(at.button(key="cal_today").click().run())
    button = at.download_button(key="cal_ics")
    assert button.label == "Agenda-bestand (.ics) downloaden"
    name, body = cal.programme_ics(_db(db_url), account(db_url, "juf.fatima"), programme_id)  # what it serves
    assert name == "maatjes-elke-dag-lezen.ics"
    events = [e for e in Calendar.from_ical(body).walk("VEVENT") if isinstance(e, Event)]
    assert len(events) == 7
    today_event = next(e for e in events if e.start.isoweekday() == today.isoweekday())
    assert today in [d.date() for d in today_event.exdates]
    assert today_event.rrules[0]["FREQ"] == ["WEEKLY"]


def test_the_ib_removes_restores_and_adds_a_holiday(db_url: str) -> None:
    at = logged_in(db_url, "ib", page="views/vakanties.py")
    assert at.title[0].value == "Schoolvakanties"
    assert any("rijksoverheid.nl" in c.value for c in at.caption)
    first = shipped_holidays(cal.Region.ZUID)[0]
    key = f"holiday_{first.first.isoformat()}_{first.last.isoformat()}"
    ok(at.button(key=f"{key}_remove").click().run())
    assert at.success[0].value == "De vakanties zijn aangepast."
    assert count(db_url, "school_holidays") == 1
    ok(at.button(key=f"{key}_undo").click().run())
    assert count(db_url, "school_holidays") == 0
    at.text_input(key="holiday_add_name").set_value("Studiedag")
    at.date_input(key="holiday_add_first").set_value(date(2026, 3, 9))
    at.date_input(key="holiday_add_last").set_value(date(2026, 3, 9))
    ok(at.button(key="holiday_add_submit").click().run())
    assert at.success[0].value == "'Studiedag' is toegevoegd."
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT name, first_day, removed FROM school_holidays")).all()
    finally:
        engine.dispose()
    assert [(r[0], str(r[1]), bool(r[2])) for r in rows] == [("Studiedag", "2026-03-09", False)]
    at.selectbox(key="holiday_region").set_value(cal.Region.NOORD)
    ok(at.button(key="holiday_region_save").click().run())
    assert at.success[0].value == "De vakantieregio is nu: Regio noord."


def test_a_leerkracht_has_no_holidays_page_and_the_service_refuses_her(db_url: str) -> None:
    at = logged_in(db_url)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/vakanties.py")
    with pytest.raises(PermissionDeniedError):
        cal.add_holiday(_db(db_url), account(db_url, "juf.fatima"), date(2026, 3, 9), date(2026, 3, 9), "Studiedag")
    assert count(db_url, "school_holidays") == 0
