"""Run the Alembic migrations from code (no alembic.ini), so it works from an installed package.

All migrations of one call run in ONE transaction: a failure leaves the database as it was. On
SQLite, foreign keys are switched off while tables are rebuilt (batch mode drops and re-creates a
table, and with ``foreign_keys=ON`` dropping a parent table would cascade-delete its children), and
``PRAGMA foreign_key_check`` must come back clean before the transaction commits.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from peermatch.errors import ConflictError, Problem
from peermatch.storage.engine import make_engine

__all__ = ["MIGRATIONS_DIR", "alembic_config", "current_revision", "downgrade", "upgrade"]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None, *, extra_version_locations: Sequence[str] = ()) -> Config:
    """An Alembic Config pointing into the package; ``connection`` is handed to ``env.py``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if extra_version_locations:
        locations = [str(MIGRATIONS_DIR / "versions"), *extra_version_locations]
        config.set_main_option("version_locations", os.pathsep.join(locations))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@contextmanager
def _engine(url_or_engine: str | Engine | None) -> Iterator[Engine]:
    if isinstance(url_or_engine, Engine):
        yield url_or_engine
        return
    engine = make_engine(url_or_engine)
    try:
        yield engine
    finally:
        engine.dispose()


def _set_sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    # Outside any transaction (PRAGMA foreign_keys is a no-op inside one): straight on the driver.
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")  # type: ignore[union-attr]


def _check_sqlite_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise ConflictError(Problem("storage.migrate.foreign_keys", params={"count": len(broken)}))


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            _set_sqlite_foreign_keys(connection, on=False)
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    _check_sqlite_foreign_keys(connection)
        finally:
            if sqlite:
                _set_sqlite_foreign_keys(connection, on=True)


def upgrade(
    url_or_engine: str | Engine | None = None, revision: str = "head", *, extra_version_locations: Sequence[str] = ()
) -> None:
    """Bring the database at ``url_or_engine`` (default: ``PEERMATCH_DATABASE_URL``) up to ``revision``.

    Pass an Engine made by :func:`peermatch.storage.engine.make_engine` (or a URL).
    ``extra_version_locations`` adds folders with more revision files (used by tests).
    """
    with _engine(url_or_engine) as engine, _migration_connection(engine) as connection:
        command.upgrade(alembic_config(connection, extra_version_locations=extra_version_locations), revision)


def downgrade(
    url_or_engine: str | Engine | None, revision: str, *, extra_version_locations: Sequence[str] = ()
) -> None:
    """Step the schema back to ``revision`` (``"base"`` drops every table, and so every school's data)."""
    with _engine(url_or_engine) as engine, _migration_connection(engine) as connection:
        command.downgrade(alembic_config(connection, extra_version_locations=extra_version_locations), revision)


def current_revision(url_or_engine: str | Engine | None = None) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    with _engine(url_or_engine) as engine, engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
