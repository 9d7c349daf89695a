"""Safe defaults for a real school (issue 11, item 7): a private database file, no parameters in errors,
no tracebacks in the browser, and `make run` on this machine only unless asked."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError

from peermatch.storage.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]


def test_a_new_sqlite_file_at_a_custom_path_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "school" / "peermatch.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
    finally:
        engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_error_never_repeats_the_values_it_was_given(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        with pytest.raises(StatementError) as caught, engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO no_such_table VALUES (:name)"), {"name": "Zoë de Vries"})
    finally:
        engine.dispose()
    assert "Zoë" not in str(caught.value)


def test_the_browser_never_gets_a_traceback_and_make_run_stays_on_this_machine() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ADDRESS ?= 127.0.0.1" in makefile
    assert "--server.address $(ADDRESS)" in makefile
