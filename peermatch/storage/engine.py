"""Where the database is and how to talk to it: one engine per process, short sessions per job.

Streamlit runs every rerun in a new thread, so a sqlite3 connection must never be shared between
threads (``SQLite objects created in a thread can only be used in that same thread``). Cache the
engine or the session factory, and open a short session per unit of work.

On SQLite every connection gets ``foreign_keys=ON`` (so ON DELETE CASCADE really deletes),
``journal_mode=WAL`` (readers never block the writer) and ``busy_timeout=5000``, and SQLAlchemy
emits the ``BEGIN`` itself: ``BEGIN IMMEDIATE`` by default, so a unit of work takes the write lock
up front and waits for it instead of failing half-way with ``database is locked``; read-only units
of work use a plain (deferred) ``BEGIN``.

A unit of work may ask for its own busy timeout (``unit_of_work(..., busy_timeout_ms=250)``, the
execution option ``SQLITE_BUSY_MS``): the retrying write of ``peermatch.services.database`` waits a
short while per attempt and retries itself, so it can keep a deadline. The pragma is only sent when
the connection's current value differs, and the next unit of work without the option gets the
default back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "ENV_VAR",
    "SQLITE_BEGIN",
    "SQLITE_BUSY_MS",
    "database_url",
    "default_sqlite_path",
    "make_engine",
    "session_factory",
    "unit_of_work",
]

ENV_VAR = "PEERMATCH_DATABASE_URL"
SQLITE_BEGIN = "peermatch_sqlite_begin"  # execution option: "IMMEDIATE" (default) or "DEFERRED"
SQLITE_BUSY_MS = "peermatch_sqlite_busy_ms"  # execution option: this transaction's busy timeout in ms
_BUSY_TIMEOUT_MS = 5000
_BUSY_INFO = "peermatch_busy_timeout_ms"  # the connection's current busy_timeout, kept in its pool record


def default_sqlite_path() -> Path:
    """``$XDG_DATA_HOME/peermatch/peermatch.db``, or ``~/.local/share/peermatch/peermatch.db``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "peermatch" / "peermatch.db"


def database_url() -> str:
    """The URL from ``PEERMATCH_DATABASE_URL``, or a SQLite file in the user's data folder."""
    return os.environ.get(ENV_VAR) or f"sqlite:///{default_sqlite_path()}"


def _sqlite_on_connect(dbapi_connection: Any, record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver must not BEGIN on its own; we do (below)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()
    record.info[_BUSY_INFO] = _BUSY_TIMEOUT_MS


def _sqlite_on_begin(conn: Connection) -> None:
    options = conn.get_execution_options()
    busy_ms = int(options.get(SQLITE_BUSY_MS) or _BUSY_TIMEOUT_MS)
    if conn.info.get(_BUSY_INFO) != busy_ms:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={busy_ms}")
        conn.info[_BUSY_INFO] = busy_ms
    mode = "DEFERRED" if options.get(SQLITE_BEGIN) == "DEFERRED" else "IMMEDIATE"
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: :func:`database_url`), with the SQLite settings above.

        A SQLite file and its folder are created private to the user (0600 / 0700) when they do not exist yet;
    SQL parameters are left out of errors and logs (``hide_parameters``).
    """
    sa_url = make_url(url or database_url())
    kwargs.setdefault("hide_parameters", True)  # pupil data never in an error message or a log line
    if sa_url.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(sa_url, **kwargs)
    if sa_url.database and sa_url.database != ":memory:" and not sa_url.database.startswith("file:"):
        path = Path(sa_url.database).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))  # a new file is private (SQLite's -wal/-shm follow it)
    engine = create_engine(sa_url, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The factory to cache (e.g. with ``st.cache_resource``); never cache a session or connection."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(
    factory: sessionmaker[Session], *, read_only: bool = False, busy_timeout_ms: int | None = None
) -> Iterator[Session]:
    """A short session in one transaction: committed when the block ends, rolled back on any error.

    ``read_only=True`` rolls back at the end and, on SQLite, does not take the write lock.
    ``busy_timeout_ms`` is how long SQLite waits for the lock in this transaction (default 5 s).
    """
    session = factory()
    try:
        options: dict[str, Any] = {}
        if read_only:
            options[SQLITE_BEGIN] = "DEFERRED"
        if busy_timeout_ms is not None:
            options[SQLITE_BUSY_MS] = max(1, busy_timeout_ms)
        if options:
            session.connection(execution_options=options)
        yield session
        if read_only:
            session.rollback()
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
