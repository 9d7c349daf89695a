"""Persistence: SQLAlchemy models, repository functions and Alembic migrations.

The database is reached only through this package. Import the repository modules you need
(``from peermatch.storage import pupils, programmes, runs, users, audit``); this ``__init__`` only
re-exports the engine helpers, so importing it stays cheap and free of import cycles.
"""

from __future__ import annotations

from peermatch.storage.engine import database_url, make_engine, session_factory, unit_of_work

__all__ = ["database_url", "make_engine", "session_factory", "unit_of_work"]
