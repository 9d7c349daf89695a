"""The database as the services see it: a session factory and short transactions, one per use case."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from peermatch.storage import migrate
from peermatch.storage.engine import database_url, make_engine, session_factory, unit_of_work

__all__ = ["Database", "database_url"]


@dataclass(frozen=True)
class Database:
    """One database: build it once per process (:meth:`connect`), share it between threads.

    It holds the session factory, never a connection: every service opens its own short transaction.
    """

    factory: sessionmaker[Session]

    @classmethod
    def connect(cls, url: str | None = None) -> Database:
        """The database at ``url`` (default ``PEERMATCH_DATABASE_URL``), migrated to the newest schema."""
        engine = make_engine(url or database_url())
        migrate.upgrade(engine)
        return cls(session_factory(engine))

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that is committed at the end and rolled back on any error."""
        with unit_of_work(self.factory) as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (on SQLite it takes no write lock)."""
        with unit_of_work(self.factory, read_only=True) as session:
            yield session
