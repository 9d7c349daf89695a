"""The tutee's own moment and the relationship tracked (issue 13, items 2 and 3), on SQLite and PostgreSQL.

A tutee answers on their own login, privately: the tutor never sees it back, the teacher and the IB'er see the
message as a signal. The tutor taps "Hoe ging het samen?" and may tell something of their own. The evaluation
talk gets each child's part and the relationship item.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, db_url, engine, factory
from tutoring_world import START, Tutoring, build_tutoring, cheap_argon2, checkin_form, login_as

from peermatch.checkin_form import TUTEE_SAYS_MARK, TUTOR_OWN_MARK, SessionStatus
from peermatch.errors import CheckInError, InvalidInputError, PermissionDeniedError
from peermatch.pupil_auth import AuthenticatedPupil, LoginCard
from peermatch.read_aloud import speech_html
from peermatch.services import Database, checkins
from peermatch.services.evaluation_voices import add_evaluation_voices, evaluation_voices
from peermatch.services.tutee import (
    TuteeAnswers,
    is_tutee_only,
    save_tutee_checkin,
    tutee_answers_on_own_login,
    tutee_home,
)
from peermatch.storage import migrate, pupil_codes
from peermatch.storage.checkin_store import PupilCheckIn
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.models import CheckInRow
from peermatch.tutee_checkin import TUTEE_ITEMS, validate_tutee

__all__ = ["backend", "cheap_argon2", "db_url", "engine", "factory"]  # fixtures used by the tests below

TODAY = date(2025, 11, 18)
MESSAGE = "Noor zegt dat ik dom ben"


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)


def _tutee_cards(factory: sessionmaker[Session], tutoring: Tutoring) -> dict[str, LoginCard]:
    """Login cards for the tutees' group 5A (the Tutors page makes them per group, as for tutors)."""
    with unit_of_work(factory) as session:
        made = pupil_codes.generate_codes(session, tutoring.world.ib, tutoring.world.groups["5A"])
    return {card.first_name: card for card in made}


def _daan(factory: sessionmaker[Session], tutoring: Tutoring) -> AuthenticatedPupil:
    return login_as(factory, _tutee_cards(factory, tutoring)["Daan"])


def _row(factory: sessionmaker[Session], pair_id: int) -> CheckInRow:
    with unit_of_work(factory, read_only=True) as session:
        row = session.scalar(sa.select(CheckInRow).where(CheckInRow.pair_id == pair_id))
        assert row is not None
        session.expunge(row)
        return row


def test_a_tutee_who_tutors_nobody_gets_their_own_pages_with_the_tutors_first_name(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    daan = _daan(factory, tutoring)
    noor = login_as(factory, tutoring.cards["Noor"])
    assert (is_tutee_only(db, daan), is_tutee_only(db, noor)) == (True, False)
    home = tutee_home(db, daan)
    assert home.first_name == "Daan"
    [card] = home.maatjes
    assert (card.tutor_first_name, card.pair_id, card.minutes_per_session) == ("Noor", tutoring.pairs["Noor"], 20)
    assert [(m.weekday, m.start.hour) for m in card.moments] == [(2, 10)]
    assert card.start_date == START


def test_the_tutee_answers_first_privately_and_the_tutors_check_in_fills_in_the_same_row(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    daan, noor = _daan(factory, tutoring), login_as(factory, tutoring.cards["Noor"])
    pair_id = tutoring.pairs["Noor"]
    saved = save_tutee_checkin(db, daan, TuteeAnswers(pair_id, 5, 4, 2, True, MESSAGE), today=TODAY)
    assert (saved.told, saved.told_anew) == (True, True)
    row = _row(factory, pair_id)
    assert (row.tutor_checked_in, row.tutee_fun, row.tutee_learned, row.tutee_together) == (False, 5, 4, 2)
    assert (row.tutee_says, row.tutee_says_text, row.worry) == (True, MESSAGE, True)
    assert row.worry_text == TUTEE_SAYS_MARK + MESSAGE  # the signal pages show whose words they are
    assert checkins.my_checkins(db, noor) == []  # the tutor sees nothing of it, not even that a row exists

    form = checkin_form(tutoring, "Noor", session_date=TODAY, tutee_fun=None, tutee_learned=None, tutor_together=4)
    result = checkins.save_checkin(db, noor, form, today=TODAY)
    assert (result.created, result.edited) == (True, False)  # the tutor's first check-in of the day
    assert result.checkin.tutor_together == 4
    assert {f.name for f in dataclasses.fields(PupilCheckIn)}.isdisjoint({"tutee_says", "tutee_says_text", "worry"})
    assert MESSAGE not in repr(result)
    row = _row(factory, pair_id)
    assert (row.tutor_checked_in, row.tutee_fun, row.tutee_together, row.tutor_together) == (True, 5, 2, 4)
    assert (row.tutee_says, row.worry, row.submission_id) == (True, True, form.submission_id)
    again = checkins.save_checkin(db, noor, form, today=TODAY)  # a double click finds the row by its submission
    assert (again.created, again.edited) == (False, False)
    assert [c.session_date for c in checkins.my_checkins(db, noor)] == [TODAY]

    [staff] = checkins.list_checkins(db, tutoring.world.juf)  # the teacher of 5A and 7A
    assert (staff.tutee_says, staff.tutee_says_text, staff.tutee_together, staff.tutor_together) == (
        True,
        MESSAGE,
        2,
        4,
    )
    [blind] = checkins.list_checkins(db, tutoring.world.beheerder)  # accounts and settings: no signals
    assert (blind.tutee_says, blind.tutee_says_text, blind.worry) == (False, "", False)


def test_the_tutor_first_then_the_tutee_on_their_own_login_one_row(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    daan, noor = _daan(factory, tutoring), login_as(factory, tutoring.cards["Noor"])
    pair_id = tutoring.pairs["Noor"]
    form = checkin_form(tutoring, "Noor", session_date=TODAY, tutee_fun=None, tutee_learned=None)
    assert checkins.save_checkin(db, noor, form, today=TODAY).created
    saved = save_tutee_checkin(db, daan, TuteeAnswers(pair_id, fun=4, together=5), today=TODAY)
    assert (saved.told, saved.told_anew) == (False, False)
    row = _row(factory, pair_id)
    assert (row.tutor_checked_in, row.tutee_fun, row.tutee_learned, row.tutee_together) == (True, 4, None, 5)
    assert (row.worry, row.tutee_says, row.tutee_answered_at is not None) == (False, False, True)
    with unit_of_work(factory, read_only=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(CheckInRow)) == 1


def test_when_the_session_did_not_take_place_the_faces_are_dropped_but_the_message_is_kept(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    daan, noor = _daan(factory, tutoring), login_as(factory, tutoring.cards["Noor"])
    pair_id = tutoring.pairs["Noor"]
    save_tutee_checkin(db, daan, TuteeAnswers(pair_id, fun=2, tell=True), today=TODAY)
    form = checkin_form(tutoring, "Noor", session_date=TODAY, status=SessionStatus.TUTEE_ABSENT)
    checkins.save_checkin(db, noor, form, today=TODAY)
    row = _row(factory, pair_id)
    assert (row.status, row.tutee_fun, row.tutee_says, row.worry) == ("tutee_absent", None, True, True)
    save_tutee_checkin(db, daan, TuteeAnswers(pair_id, fun=3), today=TODAY)
    assert _row(factory, pair_id).tutee_fun is None


def test_a_pupil_answers_only_as_the_tutee_of_their_own_pair(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    cards = _tutee_cards(factory, tutoring)
    emma, noor = login_as(factory, cards["Emma"]), login_as(factory, tutoring.cards["Noor"])
    for pupil in (emma, noor):  # Emma is Fatima's tutee; Noor is the tutor of this pair, not its tutee
        with pytest.raises(PermissionDeniedError):
            save_tutee_checkin(db, pupil, TuteeAnswers(tutoring.pairs["Noor"], fun=5), today=TODAY)
    with pytest.raises(InvalidInputError) as before_start:
        save_tutee_checkin(db, emma, TuteeAnswers(tutoring.pairs["Fatima"], fun=5), today=date(2025, 9, 1))
    assert "geen maatjes-tijd" in before_start.value.problems[0].message("nl")


def test_the_tutees_answers_are_checked_with_a_clear_message() -> None:
    with pytest.raises(CheckInError) as nothing:
        validate_tutee(TuteeAnswers(1))
    assert "Tik eerst op een gezichtje" in nothing.value.problems[0].message("nl")
    with pytest.raises(CheckInError) as wrong:
        validate_tutee(TuteeAnswers(1, fun=7, together=True, tell_text="x" * 301))
    codes = [p.code for p in wrong.value.problems]
    assert codes == ["tutee.invalid.fun", "tutee.invalid.together", "tutee.invalid.too_long"]
    assert "'Hoe ging het samen?'" in wrong.value.problems[1].message("nl")
    clean = validate_tutee(TuteeAnswers(1, tell_text="  ik  ben\nverdrietig "))
    assert (clean.tell, clean.tell_text) == (True, "ik ben verdrietig")  # a text alone means: tell the juf


def test_the_tutor_taps_how_it_went_together_and_may_tell_something_of_their_own(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    noor = login_as(factory, tutoring.cards["Noor"])
    own = "Ik word zelf gepest in de klas"
    form = checkin_form(tutoring, "Noor", session_date=TODAY, tutor_together=3, tutor_own_text=own)
    result = checkins.save_checkin(db, noor, form, today=TODAY)
    assert result.raised == ("worry",)  # a signal: the teacher is mailed like for a worry
    row = _row(factory, tutoring.pairs["Noor"])
    assert (row.tutor_own, row.tutor_own_text, row.worry, row.tutor_together) == (True, own, True, 3)
    assert row.worry_text == TUTOR_OWN_MARK + own
    [staff] = checkins.list_checkins(db, tutoring.world.ib)
    assert (staff.tutor_own, staff.tutor_own_text) == (True, own)
    with pytest.raises(CheckInError) as bad:
        checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", tutor_together=0), today=TODAY)
    assert "'Hoe ging het samen?'" in bad.value.problems[0].message("nl")


def test_the_hand_over_stays_only_for_a_tutee_without_a_login_of_their_own(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    noor = login_as(factory, tutoring.cards["Noor"])
    assert tutee_answers_on_own_login(db, noor, tutoring.pairs["Noor"]) is False
    _tutee_cards(factory, tutoring)
    assert tutee_answers_on_own_login(db, noor, tutoring.pairs["Noor"]) is True
    with pytest.raises(PermissionDeniedError):
        tutee_answers_on_own_login(db, noor, tutoring.pairs["Fatima"])


def test_the_evaluation_talk_gets_each_childs_part_and_the_relationship(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db, juf = Database(factory), tutoring.world.juf
    pair_id = tutoring.pairs["Noor"]
    talk = add_evaluation_voices(db, juf, pair_id, held_on=TODAY, tutor_part=" Daan leest nu zelf ",
                                 tutee_part="Noor is lief", relationship=4)  # fmt: skip
    assert (talk.tutor_part, talk.tutee_part, talk.relationship) == ("Daan leest nu zelf", "Noor is lief", 4)
    assert talk.by == (juf.display_name or juf.username)
    assert [(v.id, v.relationship) for v in evaluation_voices(db, juf, pair_id)] == [(talk.id, 4)]
    with pytest.raises(InvalidInputError) as empty:
        add_evaluation_voices(db, juf, pair_id, held_on=TODAY, tutor_part=" ", tutee_part="", relationship=None)
    assert "Vul het deel van de tutor of het maatje in" in empty.value.problems[0].message("nl")
    with pytest.raises(InvalidInputError):
        add_evaluation_voices(db, juf, pair_id, held_on=TODAY, tutor_part="", tutee_part="", relationship=6)
    other = next(p for name, p in tutoring.pairs.items() if name not in ("Noor", "Fatima"))  # 7B and 5B
    with pytest.raises(PermissionDeniedError):  # not the juf's groups
        add_evaluation_voices(db, juf, other, held_on=TODAY, tutor_part="x", tutee_part="", relationship=None)


@pytest.mark.parametrize("item", TUTEE_ITEMS, ids=lambda i: i.key)
def test_read_aloud_speaks_exactly_the_question_text_in_dutch(item: object) -> None:
    question = item.text("nl")  # type: ignore[attr-defined]
    page = speech_html(question, "nl", "🔊 Lees voor")
    spoken = json.loads(page.split("const TEXT = ", 1)[1].split(";\n", 1)[0])
    assert spoken == question
    assert 'const LANG = "nl-NL";' in page
    assert "window.speechSynthesis" in page
    assert "SpeechSynthesisUtterance(TEXT)" in page


def test_read_aloud_text_cannot_break_out_of_its_script() -> None:
    text = 'Zeg "hoi" </script><script>alert(1)</script>'
    page = speech_html(text, "en", "<b>Read</b>")
    assert "</script><script>" not in page
    assert "<b>" not in page
    assert json.loads(page.split("const TEXT = ", 1)[1].split(";\n", 1)[0]) == text
    assert 'const LANG = "en-GB";' in page


@pytest.fixture
def migrated_url(db_url: str) -> str:
    migrate.upgrade(db_url)
    return db_url


def test_migration_0018_keeps_old_check_ins_as_the_tutors_own_and_round_trips(
    migrated_url: str, cheap_argon2: None
) -> None:
    made = make_engine(migrated_url)
    try:
        factory = session_factory(made)
        tutoring = build_tutoring(factory)
        noor = login_as(factory, tutoring.cards["Noor"])
        checkins.save_checkin(Database(factory), noor, checkin_form(tutoring, "Noor"), today=TODAY)
    finally:
        made.dispose()
    made = make_engine(migrated_url)
    try:
        migrate.downgrade(made, "0016")
        columns = {c["name"] for c in sa.inspect(made).get_columns("checkins")}
        assert not {"tutee_says", "tutor_together"} & columns
        migrate.upgrade(made)
        with made.connect() as conn:
            got = conn.execute(sa.text("SELECT tutor_checked_in, tutor_own, tutee_says, tutor_together, tutee_fun "
                                       "FROM checkins")).all()  # fmt: skip
        talks = {c["name"] for c in sa.inspect(made).get_columns("evaluation_talks")}
        assert [tuple(r) for r in got] == [(True, False, False, None, 5)]
        assert {"tutor_part", "tutee_part", "relationship"} <= talks
    finally:
        made.dispose()
