"""Alembic migrations: empty database to head, no drift from the models, and no data lost on upgrade."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from storage_fixtures import backend, db_url, row_count

from peermatch.storage import migrate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.models import Base, LevelMeasurementRow, NotWith, PracticeSignoff, PupilRow, School
from peermatch.storage.training_store import attempts_of

__all__ = ["backend", "db_url"]  # fixtures used by the tests below

NOW = datetime(2025, 10, 1, 12, tzinfo=UTC)

REBUILD_PUPILS = '''
"""Test only: rebuild the pupils table (as SQLite batch mode does for most ALTERs) and add a column."""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def _recreate():
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"  # PostgreSQL alters in place


def upgrade():
    with op.batch_alter_table("pupils", recreate=_recreate()) as batch:
        batch.add_column(sa.Column("nickname", sa.String(40), nullable=True))


def downgrade():
    with op.batch_alter_table("pupils", recreate=_recreate()) as batch:
        batch.drop_column("nickname")
'''

FAIL_HALFWAY = '''
"""Test only: creates a table, then fails."""
import sqlalchemy as sa
from alembic import op

revision = "9002"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("UPDATE schools SET name = 'changed'")
    raise RuntimeError("migration failed half-way")


def downgrade():
    op.drop_table("half_done")
'''


@pytest.fixture
def bare_engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


def _tables(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def _head() -> str | None:
    return ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


def _drift(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_the_migrations_ship_inside_the_package_and_need_no_alembic_ini() -> None:
    folder = migrate.MIGRATIONS_DIR
    assert folder.is_relative_to(Path(migrate.__file__).parent)
    assert {"env.py", "script.py.mako"} <= {p.name for p in folder.iterdir()}
    assert (folder / "versions" / "0001_initial.py").exists()
    assert migrate.alembic_config().config_file_name is None
    numbers = sorted(p.name.split("_")[0] for p in (folder / "versions").glob("0*.py"))
    assert _head() == numbers[-1]  # one line of revisions, the newest file last


def test_an_empty_database_is_upgraded_to_head_with_every_table(bare_engine: Engine) -> None:
    assert migrate.current_revision(bare_engine) is None
    migrate.upgrade(bare_engine)
    assert migrate.current_revision(bare_engine) == _head()
    assert _tables(bare_engine) == set(Base.metadata.tables)


def test_the_migrations_and_the_models_do_not_drift_apart(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine)
    assert _drift(bare_engine) == []


def test_downgrade_to_base_and_upgrade_again_round_trips(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine)
    migrate.downgrade(bare_engine, "base")
    assert _tables(bare_engine) == set()
    assert migrate.current_revision(bare_engine) is None
    migrate.upgrade(bare_engine)
    assert _tables(bare_engine) == set(Base.metadata.tables)
    assert _drift(bare_engine) == []


def _insert_school(session: Session) -> None:
    """A school with 20 pupils, a level each and one not-with pair, in plain SQL: the tables as 0001 made them
    (the models may have columns a later revision adds)."""
    run = session.execute
    school_id = run(sa.text("INSERT INTO schools (name, created_at) VALUES ('OBS Blijft', :at) RETURNING id"),
                    {"at": NOW}).scalar_one()  # fmt: skip
    group_id = run(sa.text("INSERT INTO groups (school_id, name, grade) VALUES (:s, '5A', 5) RETURNING id"),
                   {"s": school_id}).scalar_one()  # fmt: skip
    pupil_ids = [
        run(sa.text("INSERT INTO pupils (school_id, pupil_number, first_name, prefix, last_name, group_id, role, "
                    "active, created_at, updated_at) VALUES (:s, :n, :f, '', '', :g, '', :a, :at, :at) RETURNING id"),
            {"s": school_id, "n": f"{n:04d}", "f": f"Kind {n}", "g": group_id, "a": True, "at": NOW}).scalar_one()
        for n in range(1, 21)
    ]  # fmt: skip
    for pupil_id in pupil_ids:
        run(sa.text("INSERT INTO level_measurements (school_id, pupil_id, subject, scale, code, index_low, index_high,"
                    " written, measured_on, source, created_at) VALUES (:s, :p, 'lezen', 'avi2009', 'M5', 5, 5, 'M5',"
                    " :d, '', :at)"), {"s": school_id, "p": pupil_id, "d": date(2025, 10, 1), "at": NOW})  # fmt: skip
    run(sa.text("INSERT INTO not_with (school_id, pupil_a_id, pupil_b_id) VALUES (:s, :a, :b)"),
        {"s": school_id, "a": pupil_ids[0], "b": pupil_ids[1]})  # fmt: skip


def test_0008_keeps_every_pupil_who_stays_and_takes_part(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine, "0004")
    factory = session_factory(bare_engine)
    with unit_of_work(factory) as session:
        _insert_school(session)
    migrate.upgrade(bare_engine, "0008")
    with unit_of_work(factory, read_only=True) as session:
        rows = session.execute(sa.select(PupilRow.left_on, PupilRow.takes_part, PupilRow.active)).all()
        assert len(rows) == 20
        assert set(rows) == {(None, True, True)}
        assert row_count(session, LevelMeasurementRow) == 20
    migrate.downgrade(bare_engine, "0004")
    assert {"left_on", "takes_part"}.isdisjoint(c["name"] for c in sa.inspect(bare_engine).get_columns("pupils"))
    with unit_of_work(factory, read_only=True) as session:
        assert session.execute(sa.text("SELECT count(*) FROM pupils")).scalar_one() == 20


def test_an_upgrade_that_rebuilds_a_table_keeps_every_row_including_the_rows_that_cascade_from_it(
    bare_engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / "9001_rebuild_pupils.py").write_text(REBUILD_PUPILS.replace("{head}", str(_head())))
    migrate.upgrade(bare_engine, "0001")
    factory = session_factory(bare_engine)
    with unit_of_work(factory) as session:
        _insert_school(session)
    migrate.upgrade(bare_engine, "head", extra_version_locations=[str(tmp_path)])
    assert migrate.current_revision(bare_engine) == "9001"
    assert "nickname" in {c["name"] for c in sa.inspect(bare_engine).get_columns("pupils")}
    with unit_of_work(factory, read_only=True) as session:
        assert (row_count(session, PupilRow), row_count(session, LevelMeasurementRow), row_count(session, NotWith)) == (
            20, 20, 1,
        )  # fmt: skip
    migrate.downgrade(bare_engine, "0001", extra_version_locations=[str(tmp_path)])
    with unit_of_work(factory, read_only=True) as session:
        assert (row_count(session, PupilRow), row_count(session, LevelMeasurementRow)) == (20, 20)
    with bare_engine.connect() as connection:
        if bare_engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # switched back on


def test_a_migration_that_fails_half_way_changes_nothing(bare_engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "9002_fail_halfway.py").write_text(FAIL_HALFWAY.replace("{head}", str(_head())))
    migrate.upgrade(bare_engine, "0001")
    with unit_of_work(session_factory(bare_engine)) as session:
        session.add(School(name="OBS Ongewijzigd"))
    with pytest.raises(RuntimeError, match="half-way"):
        migrate.upgrade(bare_engine, "9002", extra_version_locations=[str(tmp_path)])
    assert migrate.current_revision(bare_engine) == "0001"
    assert "half_done" not in _tables(bare_engine)
    with unit_of_work(session_factory(bare_engine), read_only=True) as session:
        assert session.scalar(sa.select(School.name)) == "OBS Ongewijzigd"


def test_upgrade_accepts_a_url_as_well_as_an_engine(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/by-url.db"
    migrate.upgrade(url)
    assert migrate.current_revision(url) == _head()


def test_0010_retention_keeps_the_audit_log_and_adds_the_school_retention_table(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine, "0008")
    run = bare_engine.connect()
    try:
        with run.begin():
            run.execute(sa.text("INSERT INTO schools (name, created_at) VALUES ('OBS Oud', :at)"), {"at": NOW})
            school_id = run.execute(sa.text("SELECT id FROM schools")).scalar_one()
            run.execute(sa.text("INSERT INTO audit_log (school_id, action, entity, entity_id, at) "
                                "VALUES (:s, 'view', 'group', '3', :at)"), {"s": school_id, "at": NOW})  # fmt: skip
    finally:
        run.close()
    migrate.upgrade(bare_engine, "0010")
    with bare_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT entity_id, detail FROM audit_log")).one() == ("3", None)
        assert conn.execute(sa.text("SELECT count(*) FROM school_retention")).scalar_one() == 0
    migrate.downgrade(bare_engine, "0008")
    assert "detail" not in {c["name"] for c in sa.inspect(bare_engine).get_columns("audit_log")}
    assert "school_retention" not in sa.inspect(bare_engine).get_table_names()
    with bare_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one() == 1


def test_0012_adds_practice_signoffs_and_old_quiz_attempts_still_read(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine, "0004")
    factory = session_factory(bare_engine)
    with unit_of_work(factory) as session:
        _insert_school(session)
    migrate.upgrade(bare_engine, "0010")
    with unit_of_work(factory) as session:
        school_id, pupil_id = session.execute(sa.text("SELECT school_id, id FROM pupils ORDER BY id")).first() or (0, 0)
        session.execute(
            sa.text("INSERT INTO training_attempts (school_id, pupil_id, module_id, module_version, attempt_no, "
                    "taken_on, correct, total, passed, answers, created_at) VALUES (:s, :p, 'kennismaken', 1, 1, :d, "
                    "1, 1, :ok, :answers, :at)"),
            {"s": school_id, "p": pupil_id, "d": date(2025, 10, 1), "ok": True, "at": NOW,
             "answers": '[{"question_id": "eerste-keer", "chosen": "b", "correct": true}]'},
        )  # fmt: skip
    migrate.upgrade(bare_engine, "0012")
    with unit_of_work(factory) as session:
        [attempt] = attempts_of(session, pupil_id)  # a row from before the shuffle: no choice order stored
        assert [(a.question_id, a.chosen, a.correct, a.shown) for a in attempt.answers] == [
            ("eerste-keer", "b", True, ())
        ]
        session.add(PracticeSignoff(school_id=school_id, pupil_id=pupil_id, module_id="kennismaken",
                                    signed_on=date(2025, 10, 2), signed_by_id=None, signed_by_name="Juf"))  # fmt: skip
    with unit_of_work(factory, read_only=True) as session:
        assert row_count(session, PracticeSignoff) == 1
    migrate.downgrade(bare_engine, "0010")
    assert "practice_signoffs" not in sa.inspect(bare_engine).get_table_names()
    with bare_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM training_attempts")).scalar_one() == 1
