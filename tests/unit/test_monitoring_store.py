"""Monitoring storage on SQLite and PostgreSQL, through its services (``services.monitoring``): histories from
stored pairs and check-ins (scoped by role), alert triage steps that persist, and evaluation talks."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory
from tutoring_world import START, Tutoring, build_tutoring, cheap_argon2

from peermatch import monitoring as mon
from peermatch.errors import InvalidInputError, MonitoringError, NotFoundError, PermissionDeniedError
from peermatch.services import Database
from peermatch.services import monitoring as store
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import AlertTriage, AuditLog, CheckInRow, EvaluationTalk, PairRow, PupilRow

__all__ = ["backend", "cheap_argon2", "engine", "factory"]  # fixtures used by the tests below

WORRY = "Hij zegt dat hij gepest wordt"


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    built = build_tutoring(factory)
    with unit_of_work(factory) as session:
        for tutor, pair_id in built.pairs.items():
            for week in range(3):
                day = START + timedelta(days=7 * week + 1)  # the Tuesday moment
                worry = tutor == "Fatima" and week == 2
                session.add(_checkin(session, pair_id, day, worry=worry))
    return built


def _checkin(session: Session, pair_id: int, day: date, *, worry: bool = False) -> CheckInRow:
    pair = session.get_one(PairRow, pair_id)
    return CheckInRow(school_id=pair.school_id, submission_id=str(uuid.uuid4()), pair_id=pair_id,
                   tutor_id=pair.tutor_id, tutee_id=pair.tutee_id, session_date=day, status="held", minutes=20,
                   tutor_mood=4, tutee_fun=4, tutee_learned=4, worry=worry, worry_text=WORRY if worry else "",
                   went_well="Goed gelezen")  # fmt: skip


def test_histories_come_from_the_stored_pairs_plan_and_check_ins(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    data = store.load_monitored(Database(factory), tutoring.world.ib)
    with unit_of_work(factory) as session:
        audits = session.scalar(sa.select(sa.func.count()).select_from(AuditLog).where(AuditLog.entity == "monitoring"))
    assert len(data.histories) == 3
    h = next(h for h in data.histories if h.pair_id == str(tutoring.pairs["Fatima"]))
    assert (h.plan.start, h.plan.weeks, h.plan.weekdays) == (START, 10, (2,))  # the Tuesday moment (ISO weekday 2)
    assert h.plan.skipped_dates() == (date(2025, 10, 14),)  # herfstvakantie of regio zuid (the default region)
    assert h.plan.total == 9
    assert len(h.checkins) == 3
    assert h.sorted_checkins[-1].worry
    assert h.sorted_checkins[-1].note == WORRY
    assert (h.tutor_group, h.tutee_group, h.subject) == ("7A", "5A", "lezen")
    assert h.tutee_levels
    assert h.tutee_levels[0].day == date(2025, 10, 1)
    assert not h.training_ready  # no quiz passed yet
    assert data.names[h.tutor_id].startswith("Fatima")
    assert audits == 1
    alerts = mon.generate_alerts(data.histories, START + timedelta(days=16))
    assert alerts[0].kind is mon.AlertKind.WORRY
    assert alerts[0].text == WORRY


def test_a_leerkracht_sees_only_pairs_of_own_groups_and_the_beheerder_no_worries(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    world = tutoring.world
    db = Database(factory)
    juf = store.pair_histories(db, world.juf)
    meester = store.pair_histories(db, world.meester)
    beheerder = store.pair_histories(db, world.beheerder)
    other = store.pair_histories(db, world.other_ib)
    assert {h.pair_id for h in juf} == {str(tutoring.pairs["Noor"]), str(tutoring.pairs["Fatima"])}
    assert {h.pair_id for h in meester} == {str(tutoring.pairs["Liam"])}
    assert len(beheerder) == 3
    assert not any(c.worry or c.note == WORRY for h in beheerder for c in h.checkins)
    assert other == []


def test_triage_steps_persist_and_an_illegal_step_is_refused(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    ib, pair_id = tutoring.world.ib, tutoring.pairs["Fatima"]
    aid = mon.alert_id("worry", str(pair_id), START)
    db = Database(factory)
    store.set_triage(db, ib, aid, "in_behandeling", "Ik spreek de juf", kind="worry", pair_id=pair_id, anchor=START)
    assert store.triages(db, ib)[aid].state is mon.TriageState.IN_BEHANDELING
    with pytest.raises(MonitoringError) as illegal:
        store.set_triage(db, ib, aid, "nieuw", kind="worry", pair_id=pair_id, anchor=START)
    assert illegal.value.problems[0].code == "monitoring.triage.illegal"
    with pytest.raises(MonitoringError):
        store.set_triage(db, ib, aid, "afgehandeld", "", kind="worry", pair_id=pair_id, anchor=START)  # needs a note
    done = store.set_triage(db, ib, aid, "afgehandeld", "Gesprek gevoerd", kind="worry", pair_id=pair_id, anchor=START)
    assert [e.state for e in done.events] == [mon.TriageState.IN_BEHANDELING, mon.TriageState.AFGEHANDELD]
    stored = store.triages(db, ib)[aid]
    with unit_of_work(factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AlertTriage)) == 2
    assert store.triages(db, tutoring.world.meester) == {}  # not his pair
    with pytest.raises(PermissionDeniedError):
        store.set_triage(db, tutoring.world.meester, aid, "in_behandeling", kind="worry", pair_id=pair_id, anchor=START)
    with pytest.raises(PermissionDeniedError):
        store.set_triage(db, tutoring.world.other_ib, aid, "in_behandeling", kind="worry", pair_id=pair_id,
                         anchor=START)  # fmt: skip
    assert stored.state is mon.TriageState.AFGEHANDELD
    assert stored.events[-1].note == "Gesprek gevoerd"
    assert stored.events[-1].by == "ib"


def test_a_teacher_cannot_close_another_teachers_worry_through_her_own_pair(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    """Issue 11's finding: juf sent meester's worry id (Liam's pair) together with her own pair (Noor's)."""
    world, db = tutoring.world, Database(factory)
    theirs, mine = tutoring.pairs["Liam"], tutoring.pairs["Noor"]
    their_worry = mon.alert_id("worry", str(theirs), START)
    with pytest.raises(PermissionDeniedError):
        store.set_triage(db, world.juf, their_worry, "in_behandeling", "Opgelost", kind="worry", pair_id=mine,
                         anchor=START)  # fmt: skip
    with pytest.raises(PermissionDeniedError):  # nor with the id of another kind or day of her own pair
        store.set_triage(db, world.juf, mon.alert_id("missed", str(mine), START), "in_behandeling",
                         kind="worry", pair_id=mine, anchor=START)  # fmt: skip
    with unit_of_work(factory, read_only=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AlertTriage)) == 0
    assert store.triages(db, world.meester) == {}  # his worry is still new for him and for the IB'er
    mine_ok = store.set_triage(db, world.juf, mon.alert_id("worry", str(mine), START), "in_behandeling",
                               kind="worry", pair_id=mine, anchor=START)  # fmt: skip
    assert mine_ok.state is mon.TriageState.IN_BEHANDELING


def test_evaluation_talks_are_stored_per_pair_and_checked(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    world, pair_id = tutoring.world, tutoring.pairs["Noor"]
    db = Database(factory)
    store.add_evaluation(db, world.juf, pair_id, held_on=date(2025, 12, 19), went_well="Samen lezen",
                         could_be_better="Op tijd beginnen", what_can_i_do="Een stil plekje")  # fmt: skip
    with pytest.raises(InvalidInputError):
        store.add_evaluation(db, world.juf, pair_id, held_on=date(2025, 12, 19), went_well=" ",
                             could_be_better="", what_can_i_do="")  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        store.add_evaluation(db, world.meester, pair_id, held_on=date(2025, 12, 19), went_well="x",
                             could_be_better="", what_can_i_do="")  # fmt: skip
    with pytest.raises(NotFoundError):
        store.evaluations(db, world.ib, 999_999)
    talks = store.evaluations(db, world.ib, pair_id)
    with unit_of_work(factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(EvaluationTalk)) == 1
    assert [(t.went_well, t.could_be_better, t.what_can_i_do, t.by) for t in talks] == [
        ("Samen lezen", "Op tijd beginnen", "Een stil plekje", "juf")
    ]


def test_deleting_a_pupil_deletes_their_pairs_triage_and_talks(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    ib, pair_id = tutoring.world.ib, tutoring.pairs["Liam"]
    db = Database(factory)
    store.set_triage(db, ib, mon.alert_id("missed", str(pair_id), START), "in_behandeling", kind="missed",
                     pair_id=pair_id, anchor=START)  # fmt: skip
    store.add_evaluation(db, ib, pair_id, held_on=date(2025, 12, 1), went_well="ok", could_be_better="",
                         what_can_i_do="")  # fmt: skip
    with unit_of_work(factory) as session:
        session.execute(sa.delete(PupilRow).where(PupilRow.id == tutoring.pupils["Liam"]))
    with unit_of_work(factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AlertTriage)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(EvaluationTalk)) == 0
