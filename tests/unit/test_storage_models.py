"""The tables: every model round-trips, and deleting a school or a pupil deletes for real."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, build_world, engine, factory, row_count

from peermatch.auth import AuthenticatedUser
from peermatch.errors import PermissionDeniedError
from peermatch.model import Role, Subject
from peermatch.storage.engine import unit_of_work
from peermatch.storage.enums import ConstraintKind, PairStatus, RunStatus, Scale, StaffRole
from peermatch.storage.models import (
    AuditLog,
    Base,
    Group,
    LevelMeasurementRow,
    MatchingRun,
    NotWith,
    PairConstraint,
    PairRow,
    Programme,
    ProgrammeMoment,
    PupilRow,
    School,
    User,
    UserGroup,
)
from peermatch.storage.pupils import delete_pupil
from peermatch.storage.schools import delete_school

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

PUPIL_TABLES = (
    Group,
    PupilRow,
    LevelMeasurementRow,
    NotWith,
    Programme,
    MatchingRun,
    PairRow,
    PairConstraint,
    User,
    AuditLog,
)


def test_every_table_that_holds_pupil_data_carries_school_id() -> None:
    holding = {"groups", "pupils", "level_measurements", "not_with", "programmes", "matching_runs", "pairs",
               "pair_constraints", "users", "audit_log"}  # fmt: skip
    assert holding <= set(Base.metadata.tables)
    assert {name for name in holding if "school_id" not in Base.metadata.tables[name].c} == set()


def _fill(session: Session) -> dict[str, int]:
    school = School(name="OBS Rondje")
    session.add(school)
    session.flush()
    g5, g7 = Group(school_id=school.id, name="5A", grade=5), Group(school_id=school.id, name="7A", grade=7)
    session.add_all([g5, g7])
    session.flush()
    tutee = PupilRow(school_id=school.id, pupil_number="007", first_name="Daan", prefix="van", last_name="Dijk",
                  birth_date=date(2016, 4, 5), group_id=g5.id, role=Role.TUTEE, motivation=4)  # fmt: skip
    tutor = PupilRow(school_id=school.id, pupil_number="0042", first_name="Noor", group_id=g7.id, role=Role.TUTOR)
    session.add_all([tutee, tutor])
    session.flush()
    user = User(school_id=school.id, username="juf.rondje", display_name="Juf", password_hash="$argon2id$x",
                role=StaffRole.LEERKRACHT)  # fmt: skip
    session.add(user)
    session.flush()
    programme = Programme(school_id=school.id, name="Lezen najaar", subject=Subject.LEZEN, start_date=date(2025, 10, 6),
                          weeks=10, sessions_per_week=2, minutes_per_session=20,
                          rules={"margin": 2, "weights": {"age": 1.5}}, tutor_groups=[g7], tutee_groups=[g5],
                          moments=[ProgrammeMoment(weekday=2, start=time(8, 30), end=time(8, 50))])  # fmt: skip
    session.add(programme)
    session.flush()
    run = MatchingRun(school_id=school.id, programme_id=programme.id, created_by_id=user.id, rules={"margin": 2},
                      summary={"paired": 1})  # fmt: skip
    run.pairs.append(PairRow(school_id=school.id, tutor_id=tutor.id, tutee_id=tutee.id, cost=12.5, pinned=True,
                          explanation=[{"code": "matching.reason.margin", "params": {"margin": 3}}]))  # fmt: skip
    session.add_all([
        run,
        UserGroup(user_id=user.id, group_id=g5.id),
        LevelMeasurementRow(school_id=school.id, pupil_id=tutee.id, subject=Subject.LEZEN, scale=Scale.AVI_OLD,
                         code="AVI 5 (oud)", index_low=3, index_high=5, quality="instructie", written="AVI 5",
                         note="levels.note.old_avi", measured_on=date(2025, 9, 15), source="5a.csv"),
        NotWith(school_id=school.id, pupil_a_id=min(tutee.id, tutor.id), pupil_b_id=max(tutee.id, tutor.id)),
        PairConstraint(school_id=school.id, programme_id=programme.id, tutor_id=tutor.id, tutee_id=tutee.id,
                       kind=ConstraintKind.PIN, created_by_id=user.id),
        AuditLog(school_id=school.id, user_id=user.id, action="view", entity="pupil", entity_id=str(tutee.id)),
    ])  # fmt: skip
    session.flush()
    return {"school": school.id, "tutee": tutee.id, "tutor": tutor.id, "programme": programme.id, "run": run.id}


def test_every_model_round_trips_through_the_database(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        ids = _fill(session)
    with unit_of_work(factory, read_only=True) as session:
        tutee = session.get(PupilRow, ids["tutee"])
        assert tutee is not None
        assert (tutee.pupil_number, tutee.prefix, tutee.birth_date, tutee.role, tutee.motivation) == (
            "007", "van", date(2016, 4, 5), Role.TUTEE, 4,
        )  # fmt: skip
        assert tutee.group is not None
        assert tutee.group.name == "5A"
        assert tutee.created_at.tzinfo is not None
        tutor = session.get(PupilRow, ids["tutor"])
        assert tutor is not None
        assert tutor.role is Role.TUTOR
        assert tutor.prefix == ""
        programme = session.get(Programme, ids["programme"])
        assert programme is not None
        assert [g.name for g in programme.tutor_groups] == ["7A"]
        assert [g.name for g in programme.tutee_groups] == ["5A"]
        assert [(m.weekday, m.start, m.end) for m in programme.moments] == [(2, time(8, 30), time(8, 50))]
        assert programme.rules == {"margin": 2, "weights": {"age": 1.5}}
        run = session.get(MatchingRun, ids["run"])
        assert run is not None
        assert run.status is RunStatus.DRAFT
        assert len(run.pairs) == 1
        pair = run.pairs[0]
        assert (pair.status, pair.pinned, pair.cost) == (PairStatus.PROPOSED, True, 12.5)
        assert pair.explanation == [{"code": "matching.reason.margin", "params": {"margin": 3}}]
        level = session.scalars(sa.select(LevelMeasurementRow)).one()
        assert (level.scale, level.code, level.index_low, level.index_high) == (Scale.AVI_OLD, "AVI 5 (oud)", 3, 5)
        constraint = session.scalars(sa.select(PairConstraint)).one()
        assert constraint.kind is ConstraintKind.PIN
        entry = session.scalars(sa.select(AuditLog)).one()
        assert entry.at.tzinfo is not None
        assert abs((datetime.now(UTC) - entry.at).total_seconds()) < 60


def test_a_naive_datetime_is_refused_so_every_stored_moment_is_utc(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        session.add(School(name="OBS Tijd", created_at=datetime(2025, 1, 1, 12, 0)))
        with pytest.raises(sa.exc.StatementError, match="naive datetime"):
            session.flush()
        session.rollback()


def test_the_database_refuses_a_second_pupil_with_the_same_number_in_a_school(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        school = School(name="OBS Uniek")
        session.add(school)
        session.flush()
        session.add_all([PupilRow(school_id=school.id, pupil_number="1", first_name="A"),
                         PupilRow(school_id=school.id, pupil_number="1", first_name="B")])  # fmt: skip
        with pytest.raises(sa.exc.IntegrityError):
            session.flush()
        session.rollback()


def test_deleting_a_school_deletes_all_its_pupils_and_everything_else_for_real(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        _fill(session)  # a third school, with every kind of row
    with unit_of_work(factory, read_only=True) as session:
        before = {t.__name__: row_count(session, t) for t in PUPIL_TABLES}
        other_school = session.scalar(
            sa.select(sa.func.count()).select_from(PupilRow).where(PupilRow.school_id != world.school_id)
        )
    with unit_of_work(factory) as session:
        delete_school(session, world.beheerder, world.school_id)
    with unit_of_work(factory, read_only=True) as session:
        assert session.get(School, world.school_id) is None
        assert (
            session.scalar(
                sa.select(sa.func.count()).select_from(PupilRow).where(PupilRow.school_id == world.school_id)
            )
            == 0
        )
        for table in PUPIL_TABLES:
            left = session.scalar(
                sa.select(sa.func.count()).select_from(table).where(table.school_id == world.school_id)
            )
            assert left == 0, table.__name__
        assert row_count(session, PupilRow) == other_school  # the other schools keep theirs
        assert before["PupilRow"] > other_school


def test_only_the_schools_own_beheerder_can_delete_it(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        with pytest.raises(PermissionDeniedError):
            delete_school(session, world.ib, world.school_id)
        with pytest.raises(PermissionDeniedError):
            delete_school(session, world.other_ib, world.school_id)
        assert session.get(School, world.school_id) is not None


def test_deleting_a_pupil_deletes_their_levels_pairs_pins_and_not_with_for_real(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        ids = _fill(session)
        admin = User(school_id=ids["school"], username="baas", display_name="Baas", password_hash="x",
                     role=StaffRole.BEHEERDER)  # fmt: skip
        session.add(admin)
        session.flush()
        actor = AuthenticatedUser(admin.id, ids["school"], "baas", "Baas", StaffRole.BEHEERDER)
    with unit_of_work(factory) as session:
        delete_pupil(session, actor, ids["tutee"])
    with unit_of_work(factory, read_only=True) as session:
        assert session.get(PupilRow, ids["tutee"]) is None
        assert session.get(PupilRow, ids["tutor"]) is not None
        for table in (LevelMeasurementRow, PairRow, PairConstraint, NotWith):
            assert row_count(session, table) == 0, table.__name__
        assert session.get(MatchingRun, ids["run"]) is not None  # the run itself is the school's history
