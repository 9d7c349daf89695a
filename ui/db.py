"""The database for the app: one :class:`~peermatch.services.Database` per database URL, cached for the process.

Never a connection: Streamlit runs every rerun in a new thread, so every service opens its own short
transaction. The schema is migrated once, when the database is first connected.
"""

from __future__ import annotations

import streamlit as st

from peermatch.services import Database, database_url

__all__ = ["database"]


@st.cache_resource(show_spinner=False)
def _database_for(url: str) -> Database:
    return Database.connect(url)


def database() -> Database:
    """The database at ``PEERMATCH_DATABASE_URL`` (read on every run, so tests can point it elsewhere)."""
    return _database_for(database_url())
