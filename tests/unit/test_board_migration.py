"""Migration 0019 (boards): an existing database with a school and an account gains the three board tables,
a board and its coordinator fit in them, and the downgrade removes them and keeps the school and its accounts
(SQLite and PostgreSQL). The revision before it is read from the script, so a re-chained number still works."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from storage_fixtures import backend, db_url

from peermatch.storage import migrate
from peermatch.storage.engine import make_engine

__all__ = ["backend", "db_url"]

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
BOARD_TABLES = {"boards", "board_schools", "board_users"}


@pytest.fixture
def bare_engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


def _before_boards() -> str:
    down = ScriptDirectory.from_config(migrate.alembic_config()).get_revision("0019").down_revision
    assert isinstance(down, str)
    return down


def test_0019_adds_the_board_tables_to_a_database_with_data_and_downgrades_cleanly(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine, _before_boards())
    with bare_engine.begin() as run:
        run.execute(sa.text("INSERT INTO schools (name, created_at) VALUES ('OBS Oud', :at)"), {"at": NOW})
        school = run.execute(sa.text("SELECT id FROM schools")).scalar_one()
        run.execute(sa.text("INSERT INTO users (school_id, username, display_name, password_hash, role, active, "
                            "created_at) VALUES (:s, 'ib', 'ib', 'x', 'ib', :t, :at)"),
                    {"s": school, "t": True, "at": NOW})  # fmt: skip
    migrate.upgrade(bare_engine, "0019")
    assert set(sa.inspect(bare_engine).get_table_names()) >= BOARD_TABLES
    with bare_engine.begin() as run:
        run.execute(sa.text("INSERT INTO boards (name, created_at) VALUES ('Mentoren op Zuid', :at)"), {"at": NOW})
        board = run.execute(sa.text("SELECT id FROM boards")).scalar_one()
        run.execute(
            sa.text("INSERT INTO board_schools (board_id, school_id) VALUES (:b, :s)"), {"b": board, "s": school}
        )
        run.execute(sa.text("INSERT INTO users (school_id, username, display_name, password_hash, role, active, "
                            "created_at) VALUES (:s, 'coord', 'coord', 'x', 'bovenschools', :t, :at)"),
                    {"s": school, "t": True, "at": NOW})  # fmt: skip
        coord = run.execute(sa.text("SELECT id FROM users WHERE username = 'coord'")).scalar_one()
        run.execute(sa.text("INSERT INTO board_users (user_id, board_id) VALUES (:u, :b)"), {"u": coord, "b": board})
    with pytest.raises(sa.exc.IntegrityError), bare_engine.begin() as run:  # one board per account
        run.execute(sa.text("INSERT INTO board_users (user_id, board_id) VALUES (:u, :b)"), {"u": coord, "b": board})
    migrate.downgrade(bare_engine, _before_boards())
    assert not BOARD_TABLES & set(sa.inspect(bare_engine).get_table_names())
    with bare_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM schools")).scalar_one() == 1
        assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar_one() == 2
