"""Helpers for the AppTest tests: log in as a demo account, count rows in the test database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from peermatch.auth import AuthenticatedUser
from peermatch.demo_school.seed import DEMO_CLASS_CODE, demo_accounts, demo_pupil_logins
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services import Database
from peermatch.services.login import authenticate
from peermatch.services.pupil_login import pupil_login
from peermatch.storage.engine import make_engine, session_factory, unit_of_work

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
TIMEOUT_S = 30
PASSWORDS = {a.username: a.password for a in demo_accounts()}


def account(url: str, username: str) -> AuthenticatedUser:
    engine = make_engine(url)
    try:
        user = authenticate(Database(session_factory(engine)), username, PASSWORDS[username])
        assert user is not None
        return user
    finally:
        engine.dispose()


def ok(at: AppTest) -> AppTest:
    """The run, after checking it raised nothing (the exceptions' texts are the failure message)."""
    assert not at.exception, [e.value for e in at.exception]
    return at


def group_ids(url: str, *names: str) -> list[int]:
    """The database ids of the named groups, in the order given."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows: dict[str, int] = {str(n): int(i) for n, i in conn.execute(sa.text("SELECT name, id FROM groups"))}
    finally:
        engine.dispose()
    return [int(rows[n]) for n in names]


def try_login(url: str, username: str, password: str) -> AuthenticatedUser | None:
    """The core's login with these credentials on the database at ``url`` (None when refused)."""
    engine = make_engine(url)
    try:
        return authenticate(Database(session_factory(engine)), username, password)
    finally:
        engine.dispose()


def count(url: str, table: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def logged_in(url: str, username: str = "juf.fatima", page: str | None = None) -> AppTest:
    """The app after its first run, logged in as ``username``, optionally switched to ``page`` (views/x.py)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state["auth_user"] = account(url, username)
    at.session_state["auth_last_seen"] = datetime.now(UTC)
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def demo_codes(url: str) -> dict[str, str]:
    """Personal code by role in the demo: fresh (no training), ready, stuck."""
    engine = make_engine(url)
    try:
        with unit_of_work(session_factory(engine), read_only=True) as s:
            logins = demo_pupil_logins(s)
    finally:
        engine.dispose()
    return dict(zip(("fresh", "ready", "stuck"), (x.personal_code for x in logins), strict=True))


def login_pupil(url: str, code: str) -> AuthenticatedPupil:
    """The demo tutor with this personal code, logged in through the service (class code MAAS7A)."""
    engine = make_engine(url)
    try:
        with unit_of_work(session_factory(engine), read_only=True) as s:
            number = next(x.number for x in demo_pupil_logins(s) if x.personal_code == code)
        found = pupil_login(Database(session_factory(engine)), DEMO_CLASS_CODE, number, code)
    finally:
        engine.dispose()
    assert found is not None
    return found


def as_pupil(url: str, code: str, page: str | None = None) -> AppTest:
    """The app as that tutor sees it, on ``page`` when given."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state["pupil_user"] = login_pupil(url, code)
    at.session_state["pupil_last_seen"] = datetime.now(UTC)
    ok(at.run())
    if page is not None:
        ok(at.switch_page(page).run())
    return at


def as_tutee(url: str, class_code: str, number: int, personal_code: str, page: str | None = None) -> AppTest:
    """The app as a tutee with a card of their own sees it (``tutee_login.give_tutee_a_login``), on ``page``."""
    engine = make_engine(url)
    try:
        pupil = pupil_login(Database(session_factory(engine)), class_code, number, personal_code)
    finally:
        engine.dispose()
    assert pupil is not None
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state["pupil_user"] = pupil
    at.session_state["pupil_last_seen"] = datetime.now(UTC)
    ok(at.run())
    if page is not None:
        ok(at.switch_page(page).run())
    return at


def rows(url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    """The rows of one SQL statement on the test database at ``url`` (none for a statement without rows)."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(sql), params)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()
