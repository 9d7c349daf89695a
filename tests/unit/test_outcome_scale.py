"""Broader outcomes (issue 13, item 6): the 3-item before/after scale of the tutor and the tutee.

The items follow the programme's subject; each is a face 1-5; "voor" is asked from the first session until
answered, "na" in the last two sessions and after the end; one answer per pupil, pair and moment (the first one
stays); a pupil answers only in their own pair; *Resultaten* gets means per side and item with small cells
suppressed, and a read of the answers per pupil is audited. Storage on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, db_url, engine, factory
from tutoring_world import START, Tutoring, build_tutoring, cheap_argon2, checkin_form, login_as

from peermatch.errors import InvalidInputError, PermissionDeniedError
from peermatch.model import Subject
from peermatch.outcome_scale import (
    ITEMS,
    MIN_CELL,
    Moment,
    OutcomeAnswer,
    OutcomeRecord,
    Side,
    due_moment,
    summarise,
    validate_answer,
)
from peermatch.pair_stage import PairStage, Stage
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services import Database, checkins
from peermatch.services.outcomes import due_scales, outcome_answers_per_pupil, programme_outcomes, save_outcome
from peermatch.storage import pupil_codes
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import AuditLog, OutcomeAnswerRow

__all__ = ["backend", "cheap_argon2", "db_url", "engine", "factory"]  # fixtures used by the tests below

FIRST_TUESDAY = date(2025, 10, 7)
NEAR_END = date(2025, 12, 2)  # the last two Tuesdays of the plan: 2 and 9 December


def test_the_three_items_follow_the_programmes_subject_in_dutch_and_english() -> None:
    reading = [item.text(Subject.LEZEN) for item in ITEMS]
    assert reading == ["Ik kan goed lezen", "Ik lees graag", "Ik durf hardop voor te lezen"]
    maths = [item.text(Subject.REKENEN) for item in ITEMS]
    assert maths == ["Ik kan goed rekenen", "Ik vind rekenen leuk", "Ik durf een som uit te leggen"]
    assert [item.text("lezen", "en") for item in ITEMS] == ["I am good at reading", "I like reading",
                                                             "I dare to read aloud"]  # fmt: skip
    assert [item.short() for item in ITEMS] == ["Zelfvertrouwen", "Plezier", "Durven"]
    assert all(item.picture for item in ITEMS)  # a picture with the words, for young readers


def test_every_face_must_be_given_as_a_whole_number_from_1_to_5() -> None:
    clean = validate_answer(OutcomeAnswer(7, "voor", 1, 5, 3))
    assert clean.moment is Moment.BEFORE
    assert clean.values() == (1, 5, 3)
    with pytest.raises(InvalidInputError) as refused:
        validate_answer(OutcomeAnswer(7, "later", 0, None, True))
    codes = [p.code for p in refused.value.problems]
    assert codes == ["outcome.invalid.moment", "outcome.invalid.confidence", "outcome.invalid.missing_pleasure",
                     "outcome.invalid.courage"]  # fmt: skip
    assert "later" in refused.value.problems[0].message("nl")
    with pytest.raises(InvalidInputError) as too_high:
        validate_answer(OutcomeAnswer(7, Moment.AFTER, 6, 2, 2))
    assert "gezichtjes" in too_high.value.message("nl")


def test_before_is_due_from_the_first_session_and_after_in_the_last_two() -> None:
    first, running = PairStage(Stage.FIRST, 9, 0), PairStage(Stage.RUNNING, 5, 4)
    ending, done = PairStage(Stage.ENDING, 2, 7), PairStage(Stage.DONE, 0, 9)
    assert due_moment(first, set()) is Moment.BEFORE
    assert due_moment(running, set()) is Moment.BEFORE  # until answered
    assert due_moment(running, {Moment.BEFORE}) is None
    assert due_moment(None, set()) is Moment.BEFORE  # a pair without a plan yet counts as the start
    assert due_moment(ending, {Moment.BEFORE}) is Moment.AFTER
    assert due_moment(ending, set()) is Moment.AFTER  # a missed "voor" is not asked late: it would be no before
    assert due_moment(done, {Moment.BEFORE}) is Moment.AFTER
    assert due_moment(done, {Moment.BEFORE, Moment.AFTER}) is None


def _records(side: Side, pupils: int, before: int, after: int, *, only_before: int = 0) -> list[OutcomeRecord]:
    out = []
    for n in range(pupils + only_before):
        out.append(OutcomeRecord(n, 100 + n, side, Moment.BEFORE, (before, before, before)))
        if n < pupils:
            out.append(OutcomeRecord(n, 100 + n, side, Moment.AFTER, (after, after, min(5, after + 1))))
    return out


def test_the_summary_gives_means_and_change_per_side_and_item_and_hides_small_cells() -> None:
    items = summarise(_records(Side.TUTEE, MIN_CELL, 2, 4, only_before=1) + _records(Side.TUTOR, 3, 3, 4))
    by = {(i.side, i.item): i for i in items}
    assert len(items) == 2 * len(ITEMS)
    tutee = by[(Side.TUTEE, "confidence")]
    assert (tutee.n_before, tutee.mean_before, tutee.n_after, tutee.mean_after) == (6, 2.0, 5, 4.0)
    assert (tutee.n_both, tutee.change, tutee.suppressed) == (5, 2.0, False)  # the change: only those with both
    assert by[(Side.TUTEE, "courage")].change == 3.0
    tutor = by[(Side.TUTOR, "pleasure")]  # three tutors: counts shown, no average
    assert (tutor.n_before, tutor.mean_before, tutor.n_both, tutor.change, tutor.suppressed) == (3, None, 3, None, True)
    assert not summarise([])[0].suppressed  # nothing answered: nothing to hide


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)  # Tuesdays 10:00 from Monday 6 October 2025, 10 weeks, regio zuid; 3 pairs


def _tutees(factory: sessionmaker[Session], tutoring: Tutoring) -> dict[str, AuthenticatedPupil]:
    with unit_of_work(factory) as session:
        made = pupil_codes.generate_codes(session, tutoring.world.ib, tutoring.world.groups["5A"])
    return {card.first_name: login_as(factory, card) for card in made}


def test_a_tutor_and_a_tutee_answer_before_once_and_after_near_the_end(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    noor, daan = login_as(factory, tutoring.cards["Noor"]), _tutees(factory, tutoring)["Daan"]
    pair = tutoring.pairs["Noor"]
    due = due_scales(db, noor, START)
    assert set(due) == {pair}
    assert (due[pair].moment, due[pair].side, due[pair].subject) == (Moment.BEFORE, Side.TUTOR, Subject.LEZEN)
    assert due_scales(db, daan, START)[pair].side is Side.TUTEE
    with pytest.raises(InvalidInputError) as early:
        save_outcome(db, noor, OutcomeAnswer(pair, Moment.AFTER, 4, 4, 4), today=START)
    assert "niet aan de beurt" in early.value.message("nl")

    assert save_outcome(db, noor, OutcomeAnswer(pair, Moment.BEFORE, 3, 4, 2), today=START) is True
    assert save_outcome(db, noor, OutcomeAnswer(pair, Moment.BEFORE, 5, 5, 5), today=START) is False  # kept first
    assert save_outcome(db, daan, OutcomeAnswer(pair, "voor", 2, 3, 1), today=FIRST_TUESDAY) is True
    assert due_scales(db, noor, START) == {}  # answered: no card any more
    checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", session_date=FIRST_TUESDAY), today=FIRST_TUESDAY)
    assert due_scales(db, noor, date(2025, 11, 4)) == {}  # running: nothing due
    assert due_scales(db, noor, NEAR_END)[pair].moment is Moment.AFTER  # "nog 2 keer samen"
    assert save_outcome(db, noor, OutcomeAnswer(pair, Moment.AFTER, 4, 5, 4), today=NEAR_END) is True
    assert due_scales(db, noor, NEAR_END) == {}
    assert due_scales(db, daan, NEAR_END)[pair].moment is Moment.AFTER  # each child answers for themselves

    with unit_of_work(factory, read_only=True) as session:
        rows = session.execute(
            sa.select(OutcomeAnswerRow.side, OutcomeAnswerRow.moment, OutcomeAnswerRow.confidence,
                      OutcomeAnswerRow.subject).order_by(OutcomeAnswerRow.id)
        ).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [("tutor", "voor", 3, "lezen"), ("tutee", "voor", 2, "lezen"),
                                        ("tutor", "na", 4, "lezen")]  # fmt: skip


def test_a_pupil_answers_only_in_their_own_active_pair(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    db = Database(factory)
    tutees = _tutees(factory, tutoring)
    noor = login_as(factory, tutoring.cards["Noor"])
    for pupil, pair in ((tutees["Emma"], tutoring.pairs["Noor"]), (noor, tutoring.pairs["Fatima"]),
                        (noor, 999_999)):  # fmt: skip
        with pytest.raises(PermissionDeniedError) as refused:
            save_outcome(db, pupil, OutcomeAnswer(pair, Moment.BEFORE, 3, 3, 3), today=START)
        assert "niet jouw maatje" in refused.value.message("nl")
    with pytest.raises(PermissionDeniedError):  # the other pair's own tutor may, Noor may not
        save_outcome(db, noor, OutcomeAnswer(tutoring.pairs["Liam"], Moment.BEFORE, 3, 3, 3), today=START)
    assert save_outcome(db, login_as(factory, tutoring.cards["Liam"]),
                        OutcomeAnswer(tutoring.pairs["Liam"], Moment.BEFORE, 3, 3, 3), today=START)  # fmt: skip
    with unit_of_work(factory, read_only=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(OutcomeAnswerRow)) == 1  # Liam's own


def test_the_database_keeps_one_answer_per_pupil_pair_and_moment(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    pair = tutoring.pairs["Noor"]
    assert save_outcome(Database(factory), noor, OutcomeAnswer(pair, Moment.BEFORE, 3, 4, 2), today=START)

    def _row(moment: str, confidence: int = 3) -> OutcomeAnswerRow:
        return OutcomeAnswerRow(school_id=tutoring.world.school_id, pair_id=pair, pupil_id=noor.id, side="tutor",
                                moment=moment, subject="lezen", confidence=confidence, pleasure=3, courage=3,
                                answered_on=START)  # fmt: skip

    with pytest.raises(IntegrityError), unit_of_work(factory) as session:
        session.add(_row("voor"))
    with pytest.raises(IntegrityError), unit_of_work(factory) as session:
        session.add(_row("na", confidence=6))  # the database refuses a face outside 1-5 too


def test_resultaten_gets_counts_with_small_cells_hidden_and_the_per_pupil_read_is_audited(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db, world = Database(factory), tutoring.world
    for tutor, values in (("Noor", (3, 4, 2)), ("Fatima", (4, 4, 4)), ("Liam", (2, 3, 3))):
        pupil = login_as(factory, tutoring.cards[tutor])
        save_outcome(db, pupil, OutcomeAnswer(tutoring.pairs[tutor], Moment.BEFORE, *values), today=START)
    summary = programme_outcomes(db, world.ib, tutoring.programme_id)
    assert summary.subject is Subject.LEZEN
    cell = next(i for i in summary.items if i.side is Side.TUTOR and i.item == "confidence")
    assert (cell.n_before, cell.mean_before, cell.n_after, cell.change) == (3, None, 0, None)  # under 5: hidden
    assert summary.answered
    assert summary.suppressed
    with unit_of_work(factory, read_only=True) as session:
        assert session.scalar(sa.select(sa.func.count()).where(AuditLog.entity == "outcome_answers")) == 0

    rows = outcome_answers_per_pupil(db, world.ib, tutoring.programme_id)
    assert sorted(r.pupil_name.split()[0] for r in rows) == ["Fatima", "Liam", "Noor"]
    with unit_of_work(factory, read_only=True) as session:
        entry = session.execute(
            sa.select(AuditLog.action, AuditLog.entity_id, AuditLog.detail).where(AuditLog.entity == "outcome_answers")
        ).one()
    assert tuple(entry) == ("view", str(tutoring.programme_id), "rows=3")
    for outsider in (world.juf, world.other_ib):  # the juf has 5A and 7A, not every group of the programme
        with pytest.raises(PermissionDeniedError):
            programme_outcomes(db, outsider, tutoring.programme_id)
        with pytest.raises(PermissionDeniedError):
            outcome_answers_per_pupil(db, outsider, tutoring.programme_id)
