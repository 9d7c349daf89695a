"""One check-in per pair and day (issue 15, items 4 and defect 8), on SQLite and PostgreSQL.

Before, two "held" check-ins of the same pair for the same day were both stored and shifted the averages.
Now a second check-in for that day edits the first (a worry raised stays raised), also when two submits
race; the tutee's part is its own step on the same check-in; migration 0005 merges old duplicates
without losing a worry.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, db_url, engine, factory
from tutoring_world import Tutoring, build_tutoring, cheap_argon2, checkin_form, login_as

from peermatch.checkins import SessionStatus
from peermatch.errors import InvalidInputError, PermissionDeniedError
from peermatch.services import Database, checkins
from peermatch.storage import migrate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.models import CheckInRow

__all__ = ["backend", "cheap_argon2", "db_url", "engine", "factory"]  # fixtures used by the tests below

TODAY = date(2025, 11, 20)
DAY = date(2025, 11, 18)


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)


def _rows(factory: sessionmaker[Session]) -> list[CheckInRow]:
    with unit_of_work(factory, read_only=True) as session:
        rows = list(session.scalars(sa.select(CheckInRow).order_by(CheckInRow.id)))
        session.expunge_all()
        return rows


def test_a_second_check_in_for_the_same_day_edits_the_first_and_keeps_the_worry(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    noor = login_as(factory, tutoring.cards["Noor"])
    first = checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", worry=True, worry_text="Daan huilde"),
                                  today=TODAY)  # fmt: skip
    second = checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", minutes=30, tutor_mood=2,
                                                          tutee_fun=None, tutee_learned=None), today=TODAY)  # fmt: skip

    assert (first.created, first.edited) == (True, False)
    assert (second.created, second.edited) == (False, True)
    assert second.checkin.id == first.checkin.id
    (row,) = _rows(factory)
    assert (row.minutes, row.tutor_mood) == (30, 2)  # the tutor's new answers
    assert (row.worry, row.worry_text) == (True, "Daan huilde")  # a worry is never withdrawn by an edit
    assert (row.tutee_fun, row.tutee_learned) == (5, 4)  # the tutee's earlier answers stay
    other_day = checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", session_date=DAY.replace(day=11)),
                                      today=TODAY)  # fmt: skip
    assert other_day.created
    assert len(_rows(factory)) == 2


def test_a_new_worry_in_the_edit_is_added_to_the_first(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    db = Database(factory)
    noor = login_as(factory, tutoring.cards["Noor"])
    checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", worry_text="Daan was stil"), today=TODAY)
    checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", worry_text="Hij wil niet naar huis"), today=TODAY)
    (row,) = _rows(factory)
    assert row.worry is True
    assert row.worry_text == "Daan was stil | Hij wil niet naar huis"


def test_two_different_submits_racing_for_one_day_store_one_check_in(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    forms = [checkin_form(tutoring, "Noor", minutes=m, worry_text=w) for m, w in ((15, "eerste"), (25, "tweede"))]
    results: list[tuple[bool, bool]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def submit(k: int) -> None:
        try:
            start.wait()
            saved = checkins.save_checkin(Database(factory), noor, forms[k], today=TODAY)
            results.append((saved.created, saved.edited))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(k,)) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(results) == [(False, True), (True, False)]
    (row,) = _rows(factory)
    assert row.minutes in (15, 25)
    assert set(row.worry_text.split(" | ")) == {"eerste", "tweede"}  # neither worry is lost


def test_the_tutees_step_fills_in_the_same_check_in(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    db = Database(factory)
    noor, liam = login_as(factory, tutoring.cards["Noor"]), login_as(factory, tutoring.cards["Liam"])
    saved = checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", tutee_fun=None, tutee_learned=None),
                                  today=TODAY)  # fmt: skip
    answered = checkins.save_tutee_answers(db, noor, saved.checkin.id, fun=3, learned=5)
    assert (answered.tutee_fun, answered.tutee_learned) == (3, 5)
    (row,) = _rows(factory)
    assert (row.tutee_fun, row.tutee_learned) == (3, 5)
    with pytest.raises(PermissionDeniedError):  # another tutor cannot answer on Noor's check-in
        checkins.save_tutee_answers(db, liam, saved.checkin.id, fun=1, learned=1)
    with pytest.raises(InvalidInputError):
        checkins.save_tutee_answers(db, noor, saved.checkin.id, fun=9, learned=None)
    absent = checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", session_date=date(2025, 11, 11),
                                                          status=SessionStatus.TUTEE_ABSENT), today=TODAY)  # fmt: skip
    with pytest.raises(InvalidInputError) as caught:
        checkins.save_tutee_answers(db, noor, absent.checkin.id, fun=4, learned=4)
    assert "ging niet door" in caught.value.message("nl")
    assert [(r.tutee_fun, r.tutee_learned) for r in _rows(factory)] == [(3, 5), (None, None)]


# --------------------------------------------------------------------------------------------- migration 0005


@pytest.fixture
def bare_engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


def test_0005_merges_old_duplicates_into_the_newest_and_keeps_every_worry(
    bare_engine: Engine, cheap_argon2: None
) -> None:
    migrate.upgrade(bare_engine)  # the school is built with today's models, then taken back to before 0005
    fac = session_factory(bare_engine)
    tutoring = build_tutoring(fac)
    migrate.downgrade(bare_engine, "0004")
    pair = tutoring.pairs["Noor"]
    with unit_of_work(fac) as session:
        session.add_all(
            CheckInRow(
                school_id=tutoring.world.school_id,
                submission_id=f"00000000-0000-4000-8000-00000000000{k}",
                pair_id=pair,
                tutor_id=tutoring.pupils["Noor"],
                tutee_id=tutoring.pupils["Daan"],
                session_date=DAY,
                status="held",
                minutes=minutes,
                worry=worry,
                worry_text=text,
                tutee_fun=fun,
            )
            for k, (minutes, worry, text, fun) in enumerate(
                [(15, True, "Daan is bang", 4), (20, False, "", None), (25, False, "", None)]
            )
        )
        session.add(CheckInRow(school_id=tutoring.world.school_id, submission_id="00000000-0000-4000-8000-000000000009",
                               pair_id=pair, tutor_id=tutoring.pupils["Noor"], tutee_id=tutoring.pupils["Daan"],
                               session_date=date(2025, 11, 11), status="held", minutes=20))  # fmt: skip

    migrate.upgrade(bare_engine)

    rows = sorted(_rows(fac), key=lambda r: r.session_date)
    assert [(r.session_date, r.minutes) for r in rows] == [(date(2025, 11, 11), 20), (DAY, 25)]
    merged = rows[1]
    assert (merged.worry, merged.worry_text, merged.tutee_fun) == (True, "Daan is bang", 4)
    with pytest.raises(sa.exc.IntegrityError), unit_of_work(fac) as session:  # the index holds from now on
        session.add(CheckInRow(school_id=tutoring.world.school_id, submission_id="00000000-0000-4000-8000-00000000000a",
                               pair_id=pair, tutor_id=tutoring.pupils["Noor"], tutee_id=tutoring.pupils["Daan"],
                               session_date=DAY, status="held", minutes=5))  # fmt: skip
