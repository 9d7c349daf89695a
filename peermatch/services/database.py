"""The database as the services see it: a session factory and short transactions, one per use case.

A class-sized burst of writes (30 pupils submitting a check-in in the same minute) must never fail, and a
pupil must never see a traceback. On SQLite there is one writer at a time, and in a Streamlit process the
writer shares the interpreter (the GIL) with every other session's page run: a write transaction that
runs many statements holds the lock while it waits for the interpreter between them, so 30 writers queue
for far longer than SQLite's busy timeout. :meth:`Database.write_retrying` is the answer:

* **Short hold.** ``work`` runs in its own transaction that takes the write lock up front (``BEGIN
  IMMEDIATE`` on SQLite) and commits as soon as ``work`` returns. Do the reads and the validation first
  (in :meth:`Database.read`, or before the call) and give ``work`` only the insert: the lock is held
  exactly while ``work`` runs.
* **Short waits, own retries.** Each attempt waits for the lock only briefly (``ATTEMPT_BUSY_MS``, a
  per-transaction SQLite busy timeout, never past the deadline) and, when the database is busy or locked
  (SQLite ``database is locked``/``busy``; PostgreSQL serialization failure, deadlock or lock timeout),
  rolls back, sleeps a jittered exponential backoff and tries again until ``deadline_s``. Waiting holds
  nothing: not the lock, not a connection's transaction, not the GIL.
* **Deadline per deployment.** Without an explicit ``deadline_s`` the deadline is
  ``PEERMATCH_WRITE_DEADLINE_S`` (seconds, a float, read at each call; :func:`deadline_from`), else
  ``DEFAULT_DEADLINE_S`` (20 s). A value that is not a positive finite number is logged and ignored.
* **One writer per process at a time.** Attempts of one :class:`Database` on SQLite queue on an
  in-process lock before they ask SQLite for its lock: the next writer starts the moment the previous one
  commits (SQLite's own busy handler polls, up to 100 ms late), and a thread that waits in Python is not
  starved by newcomers. Other processes are still kept apart by SQLite's lock and the retries.
  While a writer has its turn, the interpreter's switch interval is lowered (``WRITER_SWITCH_INTERVAL_S``,
  restored afterwards; only the turn's holder touches it), so the writer gets the GIL back sooner after
  each statement and releases the database lock sooner. Measured: 30 check-ins with 10 busy threads went
  from 9 of 30 stored (5 s busy timeout, no retry) to 30 of 30 in 10-15 s.
* **Safe to retry.** An attempt that failed was rolled back, so ``work`` may run again; it must be
  idempotent in that sense (the check-in's submission id makes a resubmit return the stored row).
* **A friendly end.** After the deadline :class:`peermatch.errors.DatabaseBusyError` ("Het is nu even
  druk. Probeer het zo nog eens."), which ``ui.errors.shown_errors`` shows like any other problem, with
  the form's answers still on screen. :meth:`write` and :meth:`read` translate a busy or lost database
  the same way (without retrying), so no raw ``OperationalError`` reaches a page.
"""

from __future__ import annotations

import logging
import math
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from peermatch.errors import DatabaseBusyError, Problem
from peermatch.storage import migrate
from peermatch.storage.engine import database_url, make_engine, session_factory, unit_of_work

__all__ = [
    "ATTEMPT_BUSY_MS",
    "DEADLINE_ENV_VAR",
    "DEFAULT_DEADLINE_S",
    "Database",
    "database_url",
    "deadline_from",
    "is_busy",
]

T = TypeVar("T")

log = logging.getLogger(__name__)

DEFAULT_DEADLINE_S = 20.0  # a pupil waits at most this long before "probeer het zo nog eens"
DEADLINE_ENV_VAR = "PEERMATCH_WRITE_DEADLINE_S"  # overrides DEFAULT_DEADLINE_S for one deployment
ATTEMPT_BUSY_MS = 250  # how long one attempt waits for SQLite's write lock before it backs off and retries
WRITER_SWITCH_INTERVAL_S = 0.0005  # while a SQLite writer holds the lock (CPython's default is 0.005)
_BACKOFF_FIRST_S = 0.01
_BACKOFF_MAX_S = 0.5

_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6  # primary result codes (extended codes keep them in the low byte)
_SQLITE_BUSY_WORDS = ("database is locked", "database is busy", "database table is locked")
_PG_RETRY_STATES = frozenset({"40001", "40P01", "55P03"})  # serialization failure, deadlock, lock timeout


def deadline_from(environ: Mapping[str, str]) -> float:
    """The write deadline in seconds: ``PEERMATCH_WRITE_DEADLINE_S`` when it is a positive finite number,
    else :data:`DEFAULT_DEADLINE_S` (a bad value is logged, not fatal)."""
    raw = environ.get(DEADLINE_ENV_VAR, "").strip()
    if not raw:
        return DEFAULT_DEADLINE_S
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        log.warning("%s=%r is not a positive number of seconds; using %.1f", DEADLINE_ENV_VAR, raw, DEFAULT_DEADLINE_S)
        return DEFAULT_DEADLINE_S
    return value


def is_busy(exc: BaseException) -> bool:
    """True when ``exc`` says the database is busy or locked, so the same transaction may simply be retried."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state is not None:
        return state in _PG_RETRY_STATES
    return any(words in str(orig).lower() for words in _SQLITE_BUSY_WORDS)


def _friendly(exc: DBAPIError) -> DatabaseBusyError | None:
    """The ``DatabaseBusyError`` a page may show for ``exc``, or None for an error that is a bug."""
    if is_busy(exc):
        return DatabaseBusyError(Problem("storage.database.busy"))
    if exc.connection_invalidated:
        return DatabaseBusyError(Problem("storage.database.unavailable"))
    return None


def _backoff(attempt: int) -> float:
    """Full jitter: a random sleep up to 10 ms, 20 ms, 40 ms ... at most 0.5 s (writers do not retry in step)."""
    return random.uniform(0, min(_BACKOFF_MAX_S, _BACKOFF_FIRST_S * 2**attempt))


@dataclass(frozen=True)
class Database:
    """One database: build it once per process (:meth:`connect`), share it between threads.

    It holds the session factory, never a connection: every service opens its own short transaction.
    """

    factory: sessionmaker[Session]
    _writer: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    @classmethod
    def connect(cls, url: str | None = None) -> Database:
        """The database at ``url`` (default ``PEERMATCH_DATABASE_URL``), migrated to the newest schema."""
        engine = make_engine(url or database_url())
        migrate.upgrade(engine)
        return cls(session_factory(engine))

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that is committed at the end and rolled back on any error.

        A busy or lost database raises :class:`DatabaseBusyError` (no retry: use :meth:`write_retrying`
        for the writes a whole class makes at once)."""
        try:
            with unit_of_work(self.factory) as session:
                yield session
        except DBAPIError as exc:
            self._raise_friendly(exc)
            raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (on SQLite it takes no write lock). A lost database raises
        :class:`DatabaseBusyError`."""
        try:
            with unit_of_work(self.factory, read_only=True) as session:
                yield session
        except DBAPIError as exc:
            self._raise_friendly(exc)
            raise

    def write_retrying(self, work: Callable[[Session], T], *, deadline_s: float | None = None) -> T:
        """``work(session)`` in its own short write transaction, committed before this returns; retried
        while the database is busy, until ``deadline_s`` seconds have passed (see the module text; default
        ``PEERMATCH_WRITE_DEADLINE_S`` or :data:`DEFAULT_DEADLINE_S`).

        Keep ``work`` to the writes themselves (reads and validation before the call): the write lock is
        held while it runs, and it may run more than once (each failed attempt was rolled back).
        Raises :class:`DatabaseBusyError` when the database stayed busy until the deadline; any other
        error of ``work`` (a ``PeerMatchError``, an ``IntegrityError`` ...) is raised at once.
        """
        if deadline_s is None:
            deadline_s = deadline_from(os.environ)
        deadline = time.monotonic() + deadline_s
        attempt = 0
        while True:
            left_ms = int((deadline - time.monotonic()) * 1000)
            try:
                with (
                    self._one_writer(left_ms / 1000),
                    unit_of_work(self.factory, busy_timeout_ms=min(ATTEMPT_BUSY_MS, max(left_ms, 1))) as session,
                ):
                    return work(session)
            except _QueueTimeoutError:
                pass  # the other writers of this process kept the database until the deadline
            except DBAPIError as exc:
                if not is_busy(exc):
                    self._raise_friendly(exc)
                    raise
            attempt += 1
            pause = _backoff(attempt)
            if time.monotonic() + pause >= deadline:
                log.warning("write gave up after %d attempts in %.1f s: database busy", attempt, deadline_s)
                raise DatabaseBusyError(Problem("storage.database.busy"))
            time.sleep(pause)

    def _one_writer(self, timeout_s: float) -> AbstractContextManager[object]:
        """The in-process writer queue (SQLite only: PostgreSQL takes row locks, not one database lock)."""
        if self.factory.kw.get("bind") is None or self.factory.kw["bind"].dialect.name != "sqlite":
            return nullcontext()
        return _held(self._writer, timeout_s)

    @staticmethod
    def _raise_friendly(exc: DBAPIError) -> None:
        friendly = _friendly(exc)
        if friendly is not None:
            log.warning("database error shown to the user as %s", friendly.problems[0].code, exc_info=exc)
            raise friendly from exc


class _QueueTimeoutError(Exception):
    """The in-process writer queue did not come to this attempt before the deadline."""


@contextmanager
def _held(lock: threading.Lock, timeout_s: float) -> Iterator[None]:
    """Hold the process's writer turn, and meanwhile let the interpreter switch threads more often: the
    writer gets the GIL back sooner after each statement, so the database lock is released sooner."""
    if not lock.acquire(timeout=max(timeout_s, 0.001)):
        raise _QueueTimeoutError
    usual = sys.getswitchinterval()
    sys.setswitchinterval(min(usual, WRITER_SWITCH_INTERVAL_S))
    try:
        yield
    finally:
        sys.setswitchinterval(usual)
        lock.release()
