"""Migration 0002 (pupil login, training attempts, check-ins) on a database that already holds 0001 data:
nothing is lost going up, and going back down to 0001 keeps the school's data too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from storage_fixtures import backend, db_url, insert_pupils_0001, insert_school_0001, row_count

from peermatch.model import Subject
from peermatch.storage import migrate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.enums import PairStatus, RunStatus, Scale
from peermatch.storage.models import (
    Group,
    LevelMeasurementRow,
    MatchingRun,
    NotWith,
    PairRow,
    Programme,
    PupilRow,
    School,
)

__all__ = ["backend", "db_url"]  # fixtures used by the tests below

NEW_TABLES = {"group_login_codes", "pupil_credentials", "pupil_login_failures", "training_attempts", "checkins"}


@pytest.fixture
def bare_engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


def _fill_0001(engine: Engine) -> None:
    with unit_of_work(session_factory(engine)) as session:
        school_id = insert_school_0001(session, "OBS Blijft")
        g5, g7 = Group(school_id=school_id, name="5A", grade=5), Group(school_id=school_id, name="7A", grade=7)
        session.add_all([g5, g7])
        session.flush()
        ids = insert_pupils_0001(session, school_id, [(g5 if n <= 10 else g7).id for n in range(1, 21)], range(1, 21))
        session.add_all(
            LevelMeasurementRow(school_id=school_id, pupil_id=p, subject=Subject.LEZEN, scale=Scale.AVI2009,
                             code="M5", index_low=5, index_high=5, measured_on=date(2025, 10, 1))
            for p in ids
        )  # fmt: skip
        session.add(NotWith(school_id=school_id, pupil_a_id=ids[0], pupil_b_id=ids[1]))
        programme = Programme(school_id=school_id, name="Lezen", subject=Subject.LEZEN, weeks=10,
                              sessions_per_week=1, minutes_per_session=20, rules={})  # fmt: skip
        session.add(programme)
        session.flush()
        run = MatchingRun(school_id=school_id, programme_id=programme.id, status=RunStatus.PUBLISHED)
        session.add(run)
        session.flush()
        session.add_all(
            PairRow(school_id=school_id, run_id=run.id, tutor_id=ids[10 + i], tutee_id=ids[i],
                 status=PairStatus.ACTIVE)
            for i in range(10)
        )  # fmt: skip


def _counts(engine: Engine) -> tuple[int, ...]:
    with unit_of_work(session_factory(engine), read_only=True) as session:
        return tuple(
            row_count(session, t) for t in (School, Group, PupilRow, LevelMeasurementRow, NotWith, MatchingRun, PairRow)
        )


def _tables(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_0002_adds_its_tables_to_a_database_with_0001_data_and_loses_nothing(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine, "0001")
    assert not NEW_TABLES & _tables(bare_engine)
    _fill_0001(bare_engine)
    before = _counts(bare_engine)
    assert before == (1, 2, 20, 20, 1, 1, 10)
    migrate.upgrade(bare_engine, "0002")
    assert migrate.current_revision(bare_engine) == "0002"
    assert _tables(bare_engine) >= NEW_TABLES
    assert _counts(bare_engine) == before
    migrate.downgrade(bare_engine, "0001")
    assert not NEW_TABLES & _tables(bare_engine)
    assert _counts(bare_engine) == before
    with bare_engine.connect() as connection:
        if bare_engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
