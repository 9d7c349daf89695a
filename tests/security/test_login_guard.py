"""Issue 11, item 2: staff and pupil logins resist guessing, on SQLite and PostgreSQL.

Each test names the finding it proves gone; each failed on the old main (checked by hand once).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import PASSWORD, backend, build_world, db_url, engine, factory, row_count
from tutoring_world import build_tutoring, cheap_argon2

from peermatch import pupil_auth
from peermatch.errors import LoginThrottledError, PermissionDeniedError
from peermatch.services import Database, pupil_login
from peermatch.services.login import authenticate
from peermatch.storage import migrate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.models import LoginThrottle, School, User, utcnow

__all__ = ["backend", "cheap_argon2", "db_url", "engine", "factory"]  # fixtures used by the tests below


def test_fifty_wrong_passwords_then_the_right_one_does_not_log_in(factory: sessionmaker[Session]) -> None:
    """Finding: staff logins had no throttle (50 wrong, then the right one logged in)."""
    build_world(factory)
    db = Database(factory)
    start = utcnow()
    refused = 0
    for i in range(50):
        try:
            assert authenticate(db, "beheer", f"wrong-{i}", now=start + timedelta(seconds=i)) is None
        except LoginThrottledError:
            refused += 1
    assert refused >= 40  # after 3 free tries each next one waits twice as long
    with pytest.raises(LoginThrottledError) as raised:
        authenticate(db, "beheer", PASSWORD, now=start + timedelta(seconds=51))
    assert "Wacht" in raised.value.message("nl")
    later = start + timedelta(hours=25)  # the lock is temporary
    assert authenticate(db, "beheer", PASSWORD, now=later) is not None


def test_an_unknown_username_is_throttled_like_a_known_one(factory: sessionmaker[Session]) -> None:
    """Finding: unknown usernames were never throttled (and must not be told apart from known ones)."""
    build_world(factory)
    db = Database(factory)
    start = utcnow()
    outcomes: dict[str, list[str]] = {}
    for name in ("beheer", "niemand.hier"):
        outcomes[name] = []
        for i in range(6):
            try:
                authenticate(db, name, "wrong", now=start + timedelta(milliseconds=i))
                outcomes[name].append("refused")
            except LoginThrottledError:
                outcomes[name].append("wait")
    assert outcomes["beheer"] == outcomes["niemand.hier"] == ["refused"] * 3 + ["wait"] * 3


def test_one_client_address_is_throttled_across_usernames(factory: sessionmaker[Session]) -> None:
    """Finding: no throttle per client address (one address could try every username)."""
    build_world(factory)
    db = Database(factory)
    start = utcnow()
    for i in range(20):
        assert authenticate(db, f"gok{i}", "wrong", address="203.0.113.9", now=start) is None
    with pytest.raises(LoginThrottledError):
        authenticate(db, "beheer", PASSWORD, address="203.0.113.9", now=start)
    assert authenticate(db, "beheer", PASSWORD, address="198.51.100.4", now=start) is not None


def test_forty_parallel_wrong_pupil_tries_evaluate_at_most_the_allowed_number(
    factory: sessionmaker[Session], cheap_argon2: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding: on PostgreSQL the throttle's count-then-insert was not atomic (40 of 40 evaluated)."""
    tutoring = build_tutoring(factory)
    card = tutoring.cards["Noor"]
    db = Database(factory)
    evaluated = 0
    lock = threading.Lock()
    real_hash = pupil_auth.hash_personal_code

    def counting(code: str, salt: str) -> str:
        nonlocal evaluated
        with lock:
            evaluated += 1
        return real_hash(code, salt)

    monkeypatch.setattr("peermatch.services.pupil_login.hash_personal_code", counting)
    barrier = threading.Barrier(40)

    def one_try(i: int) -> str:
        barrier.wait()
        try:
            pupil_login.pupil_login(db, card.class_code, card.number, f"WRNG{i % 10}")
            return "refused"
        except LoginThrottledError:
            return "wait"

    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(one_try, range(40)))
    assert evaluated <= pupil_login.MAX_FAILURES
    assert results.count("refused") == evaluated
    assert results.count("wait") == 40 - evaluated


def test_demo_accounts_cannot_log_in_once_a_real_school_exists(
    factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding: the demo's public passwords worked in a database with a real school."""
    build_world(factory)  # "OBS Test": a real school
    with unit_of_work(factory) as session:
        demo = School(name="OBS De Maasbrug (demo)", demo=True)
        session.add(demo)
        session.flush()
        beheer = session.scalar(sa.select(User).where(User.username == "beheer"))
        assert beheer is not None
        session.add(User(school_id=demo.id, username="demo.beheer", display_name="Demo", role=beheer.role,
                         password_hash=beheer.password_hash))  # fmt: skip
    db = Database(factory)
    monkeypatch.delenv("PEERMATCH_DEMO", raising=False)
    with pytest.raises(PermissionDeniedError) as raised:
        authenticate(db, "demo.beheer", PASSWORD)
    assert "PEERMATCH_DEMO=1" in raised.value.message("nl")
    assert authenticate(db, "beheer", PASSWORD) is not None  # the real school's account is fine
    monkeypatch.setenv("PEERMATCH_DEMO", "1")
    assert authenticate(db, "demo.beheer", PASSWORD) is not None


def test_0011_marks_the_demo_school_and_keeps_the_login_codes(db_url: str) -> None:
    """The migration marks the demo school, starts an empty throttle and keeps every pupil's login row, marked as a
    card from before numbers (it no longer logs in: the Tutors page asks for new cards)."""
    migrate.upgrade(db_url, "0010")
    engine = make_engine(db_url)
    now = utcnow()
    with engine.begin() as c:
        run = c.execute
        ids = {}
        for name in ("OBS De Maasbrug (demo)", "OBS Echt"):
            ids[name] = run(sa.text("INSERT INTO schools (name, created_at) VALUES (:n, :at) RETURNING id"),
                            {"n": name, "at": now}).scalar_one()  # fmt: skip
        school = ids["OBS Echt"]
        for kind, code in (("text", "TEXT01"), ("pictures", "PICT01")):
            group = run(sa.text("INSERT INTO groups (school_id, name, grade) VALUES (:s, :n, 5) RETURNING id"),
                        {"s": school, "n": kind}).scalar_one()  # fmt: skip
            pupil = run(sa.text(
                "INSERT INTO pupils (school_id, pupil_number, first_name, prefix, last_name, group_id, role, active,"
                " created_at, updated_at) VALUES (:s, :n, 'Kind', '', '', :g, '', :a, :at, :at) RETURNING id"),
                {"s": school, "n": kind, "g": group, "a": True, "at": now}).scalar_one()  # fmt: skip
            run(sa.text("INSERT INTO group_login_codes (group_id, school_id, class_code, code_kind, salt, created_at)"
                        " VALUES (:g, :s, :c, :k, 'ab', :at)"), {"g": group, "s": school, "c": code, "k": kind,
                                                                 "at": now})  # fmt: skip
            run(sa.text("INSERT INTO pupil_credentials (pupil_id, school_id, group_id, code_hash, created_at)"
                        " VALUES (:p, :s, :g, :h, :at)"), {"p": pupil, "s": school, "g": group, "h": kind,
                                                           "at": now})  # fmt: skip
    migrate.upgrade(db_url)
    with engine.connect() as c:
        assert dict(c.execute(sa.text("SELECT name, demo FROM schools")).all()) == {
            "OBS De Maasbrug (demo)": True, "OBS Echt": False,
        }  # fmt: skip
        assert sorted(c.execute(sa.text("SELECT code_hash FROM pupil_credentials")).scalars()) == ["pictures", "text"]
        numbers = c.execute(sa.text("SELECT login_number FROM pupil_credentials")).scalars().all()
        assert numbers == [None, None]  # cards without a number: reported on Tutors, print new ones
    with unit_of_work(session_factory(engine), read_only=True) as session:
        assert row_count(session, LoginThrottle) == 0
    engine.dispose()
