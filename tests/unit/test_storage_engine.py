"""The engine: where the database lives, SQLite settings, short transactions, and many threads at once."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import pg
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, build_world, engine, factory, make_pupil, make_roster, row_count

from peermatch.storage import engine as engine_module
from peermatch.storage.engine import database_url, default_sqlite_path, make_engine, session_factory, unit_of_work
from peermatch.storage.importing import import_roster
from peermatch.storage.measurements import latest_levels
from peermatch.storage.models import LevelMeasurementRow, School
from peermatch.storage.pupils import list_groups, list_pupils

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below


def test_the_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERMATCH_DATABASE_URL", "postgresql+psycopg://u@db/peermatch")
    assert database_url() == "postgresql+psycopg://u@db/peermatch"


def test_without_a_url_the_database_is_a_file_in_the_users_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PEERMATCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_sqlite_path() == tmp_path / "data" / "peermatch" / "peermatch.db"
    assert database_url() == f"sqlite:///{tmp_path / 'data' / 'peermatch' / 'peermatch.db'}"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_sqlite_path() == Path.home() / ".local" / "share" / "peermatch" / "peermatch.db"


def test_the_default_database_is_outside_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    repo = Path(engine_module.__file__).resolve().parents[2]
    assert not default_sqlite_path().resolve().is_relative_to(repo)


def test_a_sqlite_engine_creates_its_folder_and_sets_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    made = make_engine(f"sqlite:///{tmp_path}/new/folder/peermatch.db")
    with made.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    made.dispose()
    assert (tmp_path / "new" / "folder" / "peermatch.db").exists()


def test_a_unit_of_work_commits_when_the_block_ends(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        session.add(School(name="OBS Commit"))
    with unit_of_work(factory, read_only=True) as session:
        assert session.scalar(sa.select(School.name)) == "OBS Commit"


def _write_then_fail(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        session.add(School(name="OBS Rollback"))
        session.flush()
        raise RuntimeError("half-way")


def test_a_unit_of_work_rolls_back_everything_on_an_error(factory: sessionmaker[Session]) -> None:
    with pytest.raises(RuntimeError, match="half-way"):
        _write_then_fail(factory)
    with unit_of_work(factory, read_only=True) as session:
        assert row_count(session, School) == 0


def test_a_read_only_unit_of_work_keeps_nothing(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory, read_only=True) as session:
        session.add(School(name="OBS Read-only"))
        session.flush()
    with unit_of_work(factory, read_only=True) as session:
        assert row_count(session, School) == 0


def test_writes_from_four_threads_at_once_neither_cross_threads_nor_lock_the_database(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    cached = session_factory(factory.kw["bind"])  # as a Streamlit app caches it: one factory, many threads
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def teacher_at_work(thread: int) -> None:
        try:
            start.wait()
            group_name = f"6{'ABCD'[thread]}"
            roster = make_roster(*(make_pupil(f"T{thread}-{n}", f"Kind{n}", group_name) for n in range(4)))
            for day in range(8):
                with unit_of_work(cached) as session:
                    import_roster(session, world.school_id, roster, measured_on=date(2025, 9, 1) + timedelta(day),
                                  actor=world.beheerder)  # fmt: skip
                with unit_of_work(cached) as session:  # a read that writes an audit entry
                    groups = list_groups(session, world.ib, world.school_id)
                    group = next(g for g in groups if g.name == group_name)
                    pupils = list_pupils(session, world.ib, group.id)
                    latest_levels(session, world.ib, pupils[0].id)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=teacher_at_work, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [repr(e) for e in errors] == []
    with unit_of_work(cached, read_only=True) as session:
        stored = session.scalar(
            sa.select(sa.func.count()).select_from(LevelMeasurementRow).where(LevelMeasurementRow.source == "klas.csv")
        )
    assert stored == 4 * 4 * 8 * 2 + 14  # 4 threads x 4 pupils x 8 dates x 2 subjects, plus the world's 14


@pytest.mark.parametrize(("ci", "outcome"), [("", pytest.skip.Exception), ("true", pytest.fail.Exception)])
def test_without_postgresql_binaries_the_pg_tests_skip_locally_but_fail_on_ci(
    monkeypatch: pytest.MonkeyPatch, ci: str, outcome: type[BaseException]
) -> None:
    monkeypatch.setattr(pg, "_server", None)
    monkeypatch.setattr(pg, "_failure", None)
    monkeypatch.setattr(pg, "find_bindir", lambda: None)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="install the Debian package 'postgresql'"):
        pg.require_server()
