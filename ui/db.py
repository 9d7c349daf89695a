"""The database for the app: one engine and session factory per database URL, cached for the process.

Never a connection: Streamlit runs every rerun in a new thread, so pages open a short session per job
with :func:`session` (a ``unit_of_work``). The schema is migrated once, when the engine is first built.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from peermatch.storage import migrate
from peermatch.storage.engine import database_url, make_engine, session_factory, unit_of_work

__all__ = ["factory", "session"]


@st.cache_resource(show_spinner=False)
def _factory_for(url: str) -> sessionmaker[Session]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    return session_factory(engine)


def factory() -> sessionmaker[Session]:
    """The session factory for ``PEERMATCH_DATABASE_URL`` (read on every run, so tests can point it elsewhere)."""
    return _factory_for(database_url())


@contextmanager
def session(*, read_only: bool = False) -> Iterator[Session]:
    """A short session in one transaction (committed at the end, rolled back on any error)."""
    with unit_of_work(factory(), read_only=read_only) as s:
        yield s
