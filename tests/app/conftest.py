"""AppTest fixtures: a fresh run of the whole app on a fresh copy of a seeded demo database, logged in.

The pages live in ``views/``, not ``pages/``: a ``pages/`` folder next to app.py would put a fresh Streamlit
process in "pages directory" mode, where a rerun of /koppelen runs the page without app.py (no language switch,
no login check). ``test_widget_rerun_runs_the_entrypoint_on_a_cold_start`` guards against it.

Every test gets its own SQLite file (``PEERMATCH_DATABASE_URL``), copied from one demo database seeded once per
session; ``ui.db`` caches one session factory per URL, and the cache is cleared after each test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from apphelpers import logged_in
from streamlit.testing.v1 import AppTest

from peermatch.demo import generate_school
from peermatch.demo_school.seed import seed_demo
from peermatch.storage.engine import ENV_VAR


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo school (200 pupils, three accounts) in a SQLite file, seeded once."""
    path = tmp_path_factory.mktemp("db") / "demo.db"
    seed_demo(f"sqlite:///{path}", generate_school(200, 2026))
    return path


@pytest.fixture
def db_url(demo_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private copy of the demo database for this test, set as PEERMATCH_DATABASE_URL."""
    path = tmp_path / "peermatch.db"
    shutil.copy(demo_db_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv(ENV_VAR, url)
    yield url
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def tutor_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo school with its programme, login cards, training and check-ins (``tutor_activity``), seeded once."""
    path = tmp_path_factory.mktemp("tutordb") / "demo.db"
    seed_demo(f"sqlite:///{path}", generate_school(200, 2026), tutor_activity=True)
    return path


@pytest.fixture
def tutor_db(tutor_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private copy of the demo database with tutor activity, set as PEERMATCH_DATABASE_URL."""
    path = tmp_path / "peermatch.db"
    shutil.copy(tutor_db_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv(ENV_VAR, url)
    yield url
    st.cache_resource.clear()


@pytest.fixture
def app(db_url: str) -> AppTest:
    """The trial-matching page (upload and try, nothing saved) as a logged-in teacher sees it (Dutch)."""
    return logged_in(db_url, page="views/proef.py")
