"""The database for the app: one :class:`~peermatch.services.Database` per database URL, cached for the process.

Never a connection: Streamlit runs every rerun in a new thread, so every service opens its own short
transaction. The schema is migrated once, when the database is first connected.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from peermatch.services import Database, database_url

__all__ = ["database", "factory", "session"]


@st.cache_resource(show_spinner=False)
def _database_for(url: str) -> Database:
    return Database.connect(url)


def database() -> Database:
    """The database at ``PEERMATCH_DATABASE_URL`` (read on every run, so tests can point it elsewhere)."""
    return _database_for(database_url())


@contextmanager
def session(*, read_only: bool = False) -> Iterator[Session]:
    """Transitional: a raw session for the pages not yet moved onto services (removed when none is left)."""
    db = database()
    with db.read() if read_only else db.write() as s:
        yield s


def factory() -> sessionmaker[Session]:
    """Transitional: the session factory, for the pages not yet moved onto services."""
    return database().factory
