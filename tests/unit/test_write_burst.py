"""A class-sized burst of writes never fails: 30 check-ins at once while 10 other threads keep the
interpreter busy, a lock held by another connection is waited out, and a lock held past the deadline ends
in the friendly ``DatabaseBusyError``, never a raw ``OperationalError`` or a traceback on the page."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory
from streamlit.testing.v1 import AppTest
from tutoring_world import Tutoring, build_tutoring, cheap_argon2, checkin_form, login_as

from peermatch.checkins import CheckInForm
from peermatch.errors import DatabaseBusyError, Problem
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services.checkins import save_checkin, submit_checkin
from peermatch.services.database import DEADLINE_ENV_VAR, DEFAULT_DEADLINE_S, Database, deadline_from, is_busy
from peermatch.storage import engine as engine_module
from peermatch.storage.checkin_store import SubmitResult
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import CheckInRow

__all__ = ["backend", "cheap_argon2", "engine", "factory"]  # fixtures used by the tests below

TODAY = date(2025, 11, 20)
TUTORS = ("Noor", "Fatima", "Liam")
WRITERS, BUSY_THREADS = 30, 10
BUSY_NL = "Het is nu even druk. Probeer het zo nog eens."


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)


def _stored(factory: sessionmaker[Session]) -> list[str]:
    with unit_of_work(factory, read_only=True) as session:
        return list(session.scalars(sa.select(CheckInRow.submission_id)))


def _submit(db: Database, pupil: AuthenticatedPupil, form: CheckInForm, **kwargs: float) -> SubmitResult:
    return db.write_retrying(lambda s: submit_checkin(s, pupil, form, today=TODAY), **kwargs)


@contextmanager
def _busy_interpreter(threads: int) -> Iterator[None]:
    """Other sessions' page runs: pure Python loops that want the GIL all the time."""
    stop = threading.Event()

    def burn() -> None:
        x = 0
        while not stop.is_set():
            for i in range(1000):
                x += i * i

    burners = [threading.Thread(target=burn, daemon=True) for _ in range(threads)]
    for burner in burners:
        burner.start()
    try:
        yield
    finally:
        stop.set()
        for burner in burners:
            burner.join()


@contextmanager
def _lock_held_by_another_connection(engine: Engine, seconds: float) -> Iterator[threading.Event]:
    """A second connection (plain sqlite3, another "process") takes the write lock and keeps it ``seconds``."""
    path = engine.url.database
    assert path is not None
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            taken.set()
            done.wait(seconds)
            other.execute("COMMIT")
        finally:
            other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(5)
    try:
        yield done
    finally:
        done.set()
        holder.join()


def test_thirty_writers_and_ten_busy_threads_lose_no_check_in(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    pupils = {name: login_as(factory, tutoring.cards[name]) for name in TUTORS}
    # one check-in per pair and day: each writer's session is on a day of its own
    jobs = [(pupils[TUTORS[i % 3]], checkin_form(tutoring, TUTORS[i % 3], session_date=date(2025, 11, 18 - i // 3)))
            for i in range(WRITERS)]  # fmt: skip
    results: list[SubmitResult] = []
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write(pupil: AuthenticatedPupil, form: CheckInForm) -> None:
        try:
            start.wait()
            results.append(save_checkin(db, pupil, form, today=TODAY))  # the service the check-in page calls
        except BaseException as exc:
            errors.append(exc)

    began = time.monotonic()
    with _busy_interpreter(BUSY_THREADS):
        writers = [threading.Thread(target=write, args=job) for job in jobs]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(timeout=55)
    assert time.monotonic() - began < 55
    assert errors == []
    assert len(results) == WRITERS
    assert all(r.created for r in results)
    assert sorted(_stored(factory)) == sorted(form.submission_id for _, form in jobs)  # each exactly once


@pytest.mark.parametrize("backend", ["sqlite"])  # SQLite's one database-wide write lock
def test_a_write_waits_out_a_lock_another_connection_holds_for_a_second(
    engine: Engine, factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    noor = login_as(factory, tutoring.cards["Noor"])
    form = checkin_form(tutoring, "Noor")
    with _lock_held_by_another_connection(engine, seconds=1.0):
        began = time.monotonic()
        result = _submit(db, noor, form)
    assert time.monotonic() - began > 0.8  # it really waited for the other connection
    assert result.created
    assert _stored(factory) == [form.submission_id]


@pytest.mark.parametrize("backend", ["sqlite"])  # SQLite's one database-wide write lock
def test_a_lock_held_past_the_deadline_ends_in_the_friendly_busy_error(
    engine: Engine, factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    noor = login_as(factory, tutoring.cards["Noor"])
    form = checkin_form(tutoring, "Noor")
    with _lock_held_by_another_connection(engine, seconds=10):
        began = time.monotonic()
        with pytest.raises(DatabaseBusyError) as raised:
            _submit(db, noor, form, deadline_s=0.6)
        waited = time.monotonic() - began
    assert 0.5 < waited < 2.0  # the deadline, not SQLite's 5 s busy timeout
    assert not isinstance(raised.value, OperationalError)
    assert raised.value.message("nl") == BUSY_NL
    assert raised.value.message("en") == "It is busy right now. Please try again in a moment."
    assert _stored(factory) == []
    assert _submit(db, noor, form).created  # once the lock is gone the same form is stored
    assert _stored(factory) == [form.submission_id]


@pytest.mark.parametrize("backend", ["sqlite"])  # SQLite's one database-wide write lock
def test_a_plain_write_on_a_locked_database_raises_the_busy_error_too(
    engine: Engine, factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "_BUSY_TIMEOUT_MS", 200)  # do not wait the full 5 s
    db = Database(factory)
    with _lock_held_by_another_connection(engine, seconds=10):
        with pytest.raises(OperationalError) as raw, unit_of_work(factory) as session:
            session.connection()  # BEGIN IMMEDIATE: the repository level still sees the driver's error ...
        assert is_busy(raw.value)
        with pytest.raises(DatabaseBusyError) as raised, db.write() as session:
            session.connection()  # ... the services see the friendly one
    assert isinstance(raised.value.__cause__, OperationalError)
    assert raised.value.message("nl") == BUSY_NL


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_short_busy_timeout_is_for_one_transaction_only(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory, busy_timeout_ms=50) as session:
        assert session.execute(sa.text("PRAGMA busy_timeout")).scalar_one() == 50
    with unit_of_work(factory) as session:  # the same pooled connection, the default again
        assert session.execute(sa.text("PRAGMA busy_timeout")).scalar_one() == 5000


def test_a_bug_is_not_mistaken_for_a_busy_database(factory: sessionmaker[Session]) -> None:
    db = Database(factory)
    with pytest.raises(DBAPIError) as raised:  # OperationalError on SQLite, ProgrammingError on PostgreSQL
        db.write_retrying(lambda s: s.execute(sa.text("SELECT * FROM no_such_table")))
    assert not is_busy(raised.value)


def _page_with_a_busy_database() -> None:
    import streamlit as st

    from peermatch.errors import DatabaseBusyError, Problem
    from ui.errors import shown_errors

    st.text_input("Wat ging goed?", key="went_well")
    with shown_errors():
        raise DatabaseBusyError(Problem("storage.database.busy"))


def test_a_busy_database_is_a_friendly_message_with_the_answers_kept_on_screen() -> None:
    app = AppTest.from_function(_page_with_a_busy_database).run()
    app.text_input(key="went_well").input("Hij las zelf").run()
    assert not app.exception
    assert [e.value for e in app.error] == [BUSY_NL]
    assert app.text_input(key="went_well").value == "Hij las zelf"
    assert DatabaseBusyError(Problem("storage.database.busy")).message("nl") == BUSY_NL


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1.0),
        (" 2.5 ", 2.5),
        ("0.25", 0.25),
        ("", DEFAULT_DEADLINE_S),
        ("   ", DEFAULT_DEADLINE_S),
        ("0", DEFAULT_DEADLINE_S),
        ("-3", DEFAULT_DEADLINE_S),
        ("nan", DEFAULT_DEADLINE_S),
        ("inf", DEFAULT_DEADLINE_S),
        ("twintig", DEFAULT_DEADLINE_S),
    ],
)
def test_the_write_deadline_comes_from_peermatch_write_deadline_s(
    raw: str, expected: float, caplog: pytest.LogCaptureFixture
) -> None:
    assert DEFAULT_DEADLINE_S == 20.0
    with caplog.at_level(logging.WARNING, logger="peermatch.services.database"):
        assert deadline_from({DEADLINE_ENV_VAR: raw}) == expected
    warned = any(DEADLINE_ENV_VAR in r.getMessage() for r in caplog.records)
    assert warned == (raw.strip() != "" and expected == DEFAULT_DEADLINE_S)  # only a bad value is logged
    assert deadline_from({}) == DEFAULT_DEADLINE_S


@pytest.mark.parametrize("backend", ["sqlite"])  # SQLite's one database-wide write lock
def test_write_retrying_without_a_deadline_reads_the_environment_at_each_call(
    engine: Engine, factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(factory)
    monkeypatch.setenv(DEADLINE_ENV_VAR, "0.5")
    with _lock_held_by_another_connection(engine, seconds=10):
        began = time.monotonic()
        with pytest.raises(DatabaseBusyError):
            db.write_retrying(lambda s: s.execute(sa.text("SELECT 1")))
        waited = time.monotonic() - began
    assert 0.4 < waited < 2.0  # the deployment's deadline, not the 20 s default
