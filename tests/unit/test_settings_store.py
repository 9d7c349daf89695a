"""The school's pair-health thresholds on SQLite and PostgreSQL (``services.settings`` on ``storage.settings``):
defaults until changed, a round trip, only beheerder and ib change them (audited), a bad set stores nothing,
schools do not see each other's, a stored number changes a pair's health through ``load_monitored``, and
migration 0004 on a database that already holds data."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import (
    World,
    backend,
    build_world,
    db_url,
    engine,
    factory,
    insert_pupils_0001,
    insert_school_0001,
    row_count,
)
from tutoring_world import START, build_tutoring, cheap_argon2

from peermatch import monitoring as mon
from peermatch.auth import AuthenticatedUser
from peermatch.errors import MonitoringError, PermissionDeniedError
from peermatch.monitoring import DEFAULT_THRESHOLDS, Thresholds
from peermatch.services import Database, settings
from peermatch.services import monitoring as store
from peermatch.storage import migrate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.enums import StaffRole
from peermatch.storage.models import AuditLog, CheckInRow, Group, PairRow, PupilRow, School, SchoolSettings, User

__all__ = ["backend", "cheap_argon2", "db_url", "engine", "factory"]  # fixtures used by the tests below

CHANGED = replace(DEFAULT_THRESHOLDS, no_checkin_days=7, dosage_risk_pct=60)


@pytest.fixture
def world(factory: sessionmaker[Session]) -> World:
    return build_world(factory)


def _set(factory: sessionmaker[Session], actor: AuthenticatedUser, thresholds: Thresholds) -> None:
    settings.set_monitoring_thresholds(Database(factory), actor, thresholds)


def _read(factory: sessionmaker[Session], actor: AuthenticatedUser) -> settings.ThresholdSettings:
    return settings.monitoring_settings(Database(factory), actor)


def _stored(factory: sessionmaker[Session], school_id: int) -> dict[str, object] | None:
    with unit_of_work(factory, read_only=True) as session:
        row = session.get(SchoolSettings, school_id)
        return None if row is None else dict(row.monitoring_thresholds)


def test_a_school_that_changed_nothing_judges_with_the_defaults(factory: sessionmaker[Session], world: World) -> None:
    for actor in (world.ib, world.beheerder, world.juf):
        current = _read(factory, actor)
        assert current.thresholds == DEFAULT_THRESHOLDS
        assert (current.updated_at, current.updated_by, current.changed) == (None, "", ())
    assert _stored(factory, world.school_id) is None


def test_the_ib_stores_thresholds_and_every_staff_member_reads_them_back(
    factory: sessionmaker[Session], world: World
) -> None:
    _set(factory, world.ib, CHANGED)
    for actor in (world.ib, world.beheerder, world.juf):
        assert settings.monitoring_thresholds(Database(factory), actor) == CHANGED
    current = _read(factory, world.juf)
    assert current.updated_by == "ib"
    assert current.updated_at is not None
    assert set(current.changed) == {"no_checkin_days", "dosage_risk_pct"}
    assert _stored(factory, world.school_id) == {"no_checkin_days": 7, "dosage_risk_pct": 60}  # only what differs

    _set(factory, world.beheerder, replace(CHANGED, worry_days=21))
    current = _read(factory, world.ib)
    assert current.thresholds == replace(CHANGED, worry_days=21)
    assert current.updated_by == "beheer"


def test_every_change_and_reset_is_audited(factory: sessionmaker[Session], world: World) -> None:
    _set(factory, world.ib, CHANGED)
    settings.reset_monitoring_thresholds(Database(factory), world.beheerder)
    with unit_of_work(factory, read_only=True) as session:
        rows = session.execute(
            sa.select(AuditLog.user_id, AuditLog.school_id, AuditLog.action, AuditLog.entity_id)
            .where(AuditLog.entity == "settings")
            .order_by(AuditLog.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        (world.ib.id, world.school_id, "update", "monitoring_thresholds"),
        (world.beheerder.id, world.school_id, "update", "monitoring_thresholds"),
    ]


def test_reset_goes_back_to_the_defaults_and_remembers_who_did_it(factory: sessionmaker[Session], world: World) -> None:
    _set(factory, world.ib, CHANGED)
    settings.reset_monitoring_thresholds(Database(factory), world.beheerder)
    current = _read(factory, world.ib)
    assert current.thresholds == DEFAULT_THRESHOLDS
    assert current.changed == ()
    assert current.updated_by == "beheer"
    assert _stored(factory, world.school_id) == {}


def test_a_leerkracht_may_read_but_not_change_or_reset_them(factory: sessionmaker[Session], world: World) -> None:
    with pytest.raises(PermissionDeniedError) as denied:
        settings.set_monitoring_thresholds(Database(factory), world.juf, CHANGED)
    assert denied.value.problems[0].code == "auth.denied.role"
    with pytest.raises(PermissionDeniedError):
        settings.reset_monitoring_thresholds(Database(factory), world.juf)
    assert _stored(factory, world.school_id) is None
    with unit_of_work(factory, read_only=True) as session:
        assert session.scalar(sa.select(sa.func.count()).where(AuditLog.entity == "settings")) == 0


def test_a_bad_combination_is_refused_and_the_stored_thresholds_stay(
    factory: sessionmaker[Session], world: World
) -> None:
    _set(factory, world.ib, CHANGED)
    with pytest.raises(MonitoringError) as bad:
        settings.set_monitoring_thresholds(
            Database(factory), world.ib, replace(CHANGED, dosage_behind_pct=70)
        )  # risk is 60
    problem = bad.value.problems[0]
    assert (problem.code, problem.column) == ("monitoring.threshold_order", "dosage_risk_pct")
    with pytest.raises(MonitoringError):
        settings.set_monitoring_thresholds(Database(factory), world.ib, {"no_checkin_days": 0})  # type: ignore[arg-type]
    assert _read(factory, world.ib).thresholds == CHANGED
    assert _stored(factory, world.school_id) == {"no_checkin_days": 7, "dosage_risk_pct": 60}


def test_schools_do_not_see_or_change_each_others_thresholds(factory: sessionmaker[Session], world: World) -> None:
    _set(factory, world.ib, CHANGED)
    assert _read(factory, world.other_ib).thresholds == DEFAULT_THRESHOLDS
    _set(factory, world.other_ib, replace(DEFAULT_THRESHOLDS, worry_days=30))
    assert _read(factory, world.ib).thresholds == CHANGED
    assert _read(factory, world.other_ib).thresholds.worry_days == 30
    assert _stored(factory, world.other_school_id) == {"worry_days": 30}


def _store_raw(factory: sessionmaker[Session], school_id: int, stored: object) -> None:
    with unit_of_work(factory) as session:
        session.merge(SchoolSettings(school_id=school_id, monitoring_thresholds=stored, updated_by_name="oud"))


def test_unknown_keys_and_values_that_are_not_whole_numbers_are_ignored_missing_keys_default(
    factory: sessionmaker[Session], world: World
) -> None:
    _store_raw(factory, world.school_id, {"no_checkin_days": 7, "rule_of_2025": 3, "worry_days": "veel",
                                          "too_early_sessions": True, "mood_falling_sessions": 2.5})  # fmt: skip
    assert _read(factory, world.ib).thresholds == replace(DEFAULT_THRESHOLDS, no_checkin_days=7)


@pytest.mark.parametrize("stored", [{"missed_in_a_row": 9}, {"dosage_behind_pct": 250}, [1, 2], "x"])
def test_a_stored_set_that_no_longer_validates_falls_back_to_the_defaults(
    factory: sessionmaker[Session], world: World, stored: object
) -> None:
    _store_raw(factory, world.school_id, stored)
    current = _read(factory, world.ib)
    assert current.thresholds == DEFAULT_THRESHOLDS
    assert current.updated_by == "oud"  # the page still says who stored it


def test_deleting_a_school_deletes_its_settings(factory: sessionmaker[Session], world: World) -> None:
    _set(factory, world.other_ib, CHANGED)
    with unit_of_work(factory) as session:
        session.execute(sa.delete(School).where(School.id == world.other_school_id))
    with unit_of_work(factory, read_only=True) as session:
        assert row_count(session, SchoolSettings) == 0


def _checkin(session: Session, pair_id: int, day: date) -> CheckInRow:
    pair = session.get_one(PairRow, pair_id)
    return CheckInRow(school_id=pair.school_id, submission_id=str(uuid.uuid4()), pair_id=pair_id,
                   tutor_id=pair.tutor_id, tutee_id=pair.tutee_id, session_date=day, status="held", minutes=20,
                   tutor_mood=4, tutee_fun=4, tutee_learned=4, went_well="Goed gelezen")  # fmt: skip


def test_a_stored_threshold_changes_a_pairs_health_through_load_monitored(
    factory: sessionmaker[Session], cheap_argon2: None
) -> None:
    tutoring = build_tutoring(factory)
    pair_id = tutoring.pairs["Noor"]
    with unit_of_work(factory) as session:
        session.add_all(_checkin(session, pair_id, START + timedelta(days=7 * w + 1)) for w in range(3))
    sunday = START + timedelta(days=20)  # five days after the third Tuesday session

    def health(actor: AuthenticatedUser) -> mon.PairHealth:
        data = store.load_monitored(Database(factory), actor, with_training=False)
        history = next(h for h in data.histories if h.pair_id == str(pair_id))
        return mon.pair_health(history, sunday, data.thresholds)

    assert health(tutoring.world.ib).status is mon.Health.OP_KOERS
    _set(factory, tutoring.world.ib, replace(DEFAULT_THRESHOLDS, no_checkin_days=5))
    for actor in (tutoring.world.ib, tutoring.world.juf):  # the leerkracht's pages judge with them too
        judged = health(actor)
        assert judged.status is mon.Health.AANDACHT_NODIG
        assert judged.codes == ("no_checkin",)
        assert judged.reasons[0].params["days"] == 5


# Migration 0004 on a database that already holds data


@pytest.fixture
def bare_engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


def _counts(engine: Engine) -> tuple[int, ...]:
    with unit_of_work(session_factory(engine), read_only=True) as session:
        return tuple(row_count(session, t) for t in (School, Group, PupilRow, User))


_USERS_0003 = sa.table(
    "users",
    *(sa.column(name) for name in ("school_id", "username", "display_name", "password_hash", "role", "active")),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("id", sa.Integer),
)


def test_0004_adds_the_settings_table_to_a_database_with_data_and_loses_nothing(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine, "0003")
    factory = session_factory(bare_engine)
    with unit_of_work(factory) as session:
        school_id = insert_school_0001(session, "OBS Blijft")
        group = Group(school_id=school_id, name="5A", grade=5)
        session.add(group)
        session.flush()
        insert_pupils_0001(session, school_id, [group.id] * 10, range(1, 11))
        user_id = session.execute(  # the columns of revision 0003 only (today's model has more: 0006)
            sa.insert(_USERS_0003).values(school_id=school_id, username="ib", display_name="IB", password_hash="x",
                                          role=StaffRole.IB.value, active=True, created_at=datetime.now(UTC))
            .returning(_USERS_0003.c.id)
        ).scalar_one()  # fmt: skip
        ib = AuthenticatedUser(user_id, school_id, "ib", "IB", StaffRole.IB)
    before = _counts(bare_engine)
    assert before == (1, 1, 10, 1)
    assert "school_settings" not in sa.inspect(bare_engine).get_table_names()

    migrate.upgrade(bare_engine, "0004")
    assert migrate.current_revision(bare_engine) == "0004"
    assert _counts(bare_engine) == before
    migrate.upgrade(bare_engine, "head")  # the services write today's audit rows (0010 added a column)
    assert settings.monitoring_thresholds(Database(factory), ib) == DEFAULT_THRESHOLDS
    settings.set_monitoring_thresholds(Database(factory), ib, CHANGED)
    assert settings.monitoring_thresholds(Database(factory), ib) == CHANGED

    migrate.downgrade(bare_engine, "0003")
    assert "school_settings" not in sa.inspect(bare_engine).get_table_names()
    assert _counts(bare_engine) == before
