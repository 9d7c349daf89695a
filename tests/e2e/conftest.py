"""End-to-end fixtures: one real ``streamlit run app.py`` per test session, driven by Debian's headless Chromium.

No Playwright browser is ever downloaded: ``browser_type_launch_args`` points pytest-playwright at /usr/bin/chromium
(override with PEERMATCH_CHROMIUM). Without that browser the e2e tests are skipped with a message, except in CI
(``CI=true``), where a missing browser fails the run instead of silently testing less.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("PEERMATCH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_TIMEOUT_S = 60


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    """Skip (locally) or fail (in CI) every e2e test when the system Chromium is not installed."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    message = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run the browser tests"
    if _in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], _require_chromium: None) -> dict[str, Any]:
    """pytest-playwright's launch arguments, pointed at the system Chromium (never a downloaded one)."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test on one pytest-xdist worker (``make test`` runs two, ``--dist loadgroup``): they share
    one app server per worker, and two Chromiums with two servers on a 2-core machine would stretch the
    waits the tests allow; the other worker runs the unit, AppTest and security tests meanwhile."""
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.read().decode().strip() == "ok")
    except (urllib.error.URLError, OSError):
        return False


def _demo_database(folder: Path) -> str:
    """A fresh SQLite file with the demo school and its three accounts (as ``make run`` seeds it)."""
    from peermatch.demo import generate_school
    from peermatch.demo_school.seed import seed_demo

    url = f"sqlite:///{folder / 'peermatch.db'}"
    seed_demo(url, generate_school(200, 2026))
    return url


@contextmanager
def _streamlit_server(
    log_dir: Path, script: str = "app.py", *, database_url: str | None = None, env: dict[str, str] | None = None
) -> Iterator[str]:
    """``streamlit run app.py`` (or another ``script`` of the repository) on a free port, on its own seeded
    demo database (or on ``database_url``, with ``env`` added to the environment); yields its URL once
    /_stcore/health says ok; stops it afterwards."""
    env = {**os.environ, **(env or {}), "PEERMATCH_DATABASE_URL": database_url or _demo_database(log_dir)}
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = log_dir / f"streamlit-{port}.log"
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while not _healthy(url):
                if server.poll() is not None:
                    pytest.fail(f"streamlit exited with {server.returncode}:\n{log_path.read_text()}", pytrace=False)
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit not healthy after {SERVER_START_TIMEOUT_S} s:\n{log_path.read_text()}")
                time.sleep(0.25)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _first_session(browser: Browser, url: str) -> None:
    """Open the app once and let its first run finish, so the tests do not pay for the server's cold start.

    test_cold_server_keeps_the_first_language_choice checks that a cold server behaves the same.
    """
    page = browser.new_page()
    try:
        page.goto(url, timeout=30_000)
        page.get_by_test_id("stTextInput").first.wait_for(state="attached", timeout=30_000)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
    finally:
        page.close()


@pytest.fixture(scope="session")
def app_url(_require_chromium: None, browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served for the whole session (already past its first session)."""
    with _streamlit_server(tmp_path_factory.mktemp("streamlit")) as url:
        _first_session(browser, url)
        yield url


@pytest.fixture
def cold_app_url(_require_chromium: None, tmp_path: Path) -> Iterator[str]:
    """A freshly started server that no session has used yet."""
    with _streamlit_server(tmp_path) as url:
        yield url


class SeededServer(NamedTuple):
    """A running app and the database it serves."""

    url: str
    database_url: str


@pytest.fixture(scope="session")
def activity_app(
    _require_chromium: None, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SeededServer]:
    """A server on the demo school with tutor activity, as ``peermatch seed-demo`` seeds it: a published reading
    programme 7A -> 5A, login codes, training attempts and three weeks of check-ins (two with a worry signal).
    Shared by the tutor's and the IB'er's tests (already past its first session)."""
    from peermatch.demo import generate_school
    from peermatch.demo_school.seed import seed_demo

    folder = tmp_path_factory.mktemp("activity_streamlit")
    database_url = f"sqlite:///{folder / 'peermatch.db'}"
    seed_demo(database_url, generate_school(200, 2026), tutor_activity=True)
    with _streamlit_server(folder) as url:  # the server seeds the same file again: that changes nothing
        _first_session(browser, url)
        yield SeededServer(url, database_url)


@pytest.fixture(scope="session")
def base_url(app_url: str) -> str:
    """pytest-base-url's fixture, pointed at our server (so ``page.goto("/")`` works)."""
    return app_url
