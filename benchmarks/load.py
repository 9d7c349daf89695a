"""The burst, measured (issue 14, part 6): many pupils at once against the real server, in real headless Chromium.

    .venv/bin/python -m benchmarks.load                      # 30, 60, 120 pupils; one process, then two
    .venv/bin/python -m benchmarks.load --sizes 10 --servers 1   # a smoke run

Each run starts ``streamlit run app.py`` (one process on a SQLite file, or two on one PostgreSQL database, the
pupils spread over them as sticky sessions would) on a copy of one prepared database: the demo school of
``--school`` pupils with tutor activity (``seed_demo(..., tutor_activity=True)``), a second published reading
programme so that every groep 6-8 tutor has a tutee, and fresh login cards for every tutor group made through the
service the Tutors page uses (``services.pupil_codes.make_login_cards``; the plain codes are kept). One Chromium,
one browser context per pupil (asyncio): the pupils log in over the first ``--ramp`` seconds, open Check-in and
fill in the session, and then all click "Opslaan" at the same moment, as a class does at the end of the moment.

Measured per run: p50/p95 from the click on "Opslaan" to the saved message ("opgeslagen"); the server's
CPU-seconds per check-in (utime + stime of the server processes, from /proc, over the burst) and per login;
resident memory per open session (RSS growth over a warmed-up server / sessions); and lost check-ins (the
check-in rows of today in the database against the pupils who clicked).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from benchmarks.blocks import write_block
from peermatch.auth import AuthenticatedUser
from peermatch.demo import generate_school
from peermatch.demo_school.seed import demo_accounts, seed_demo
from peermatch.model import Subject
from peermatch.programme import Moment, ProgrammeSpec
from peermatch.pupil_auth import CodeKind, LoginCard
from peermatch.services import Database
from peermatch.services.login import authenticate
from peermatch.services.matching import match_programme
from peermatch.services.pairs import publish, published_pairs
from peermatch.services.programmes import create_programme, list_programmes
from peermatch.services.pupil_codes import make_login_cards
from peermatch.services.tutors import tutor_groups
from peermatch.storage.engine import make_engine, session_factory
from peermatch.storage.enums import PairStatus
from peermatch.storage.models import CheckInRow

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.md"
CHROMIUM = Path(os.environ.get("PEERMATCH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
TIMEOUT_MS = 90_000  # a pupil waits this long for one step before the benchmark counts it as failed
SAVED = re.compile("opgeslagen", re.IGNORECASE)
GOALS = {"p95_s": 1.0, "mb_per_session": 10.0}  # p95 at 60 pupils on one process; memory per session
TODAY = date.today()


# --- the database: demo school, every tutor paired, login cards ------------------------------------------


@dataclass(frozen=True)
class Pupil:
    """One tutor with an active pair and the plain codes of their login card."""

    first_name: str
    class_code: str
    number: int  # the pupil's number on the card (the per-pupil throttle, issue 11)
    personal_code: str


def _beheerder(db: Database) -> AuthenticatedUser:
    account = next(a for a in demo_accounts() if a.username == "beheer")
    actor = authenticate(db, account.username, account.password)
    if actor is None:
        raise RuntimeError("the demo beheerder cannot log in on the prepared database")
    return actor


def prepare(url: str, school_size: int) -> list[Pupil]:
    """Seed the demo school with tutor activity at ``url``, pair the other groups too, make login cards for
    every tutor group; the tutors with an active pair, with their codes."""
    engine = make_engine(url)
    try:
        seed_demo(engine, generate_school(school_size, 2026), tutor_activity=True)  # migrates first
        db = Database(session_factory(engine))
        actor = _beheerder(db)
        groups = tutor_groups(db, actor)
        tutors = tuple(g.id for g in groups if (g.grade or 0) >= 6 and g.name != "7A")
        tutees = tuple(g.id for g in groups if 3 <= (g.grade or 0) <= 5 and g.name != "5A")
        start = TODAY - timedelta(weeks=1)
        spec = ProgrammeSpec(name="Leesmaatjes bovenbouw (belastingtest)", subject=Subject.LEZEN,
                             tutor_group_ids=tutors, tutee_group_ids=tutees,
                             moments=(Moment(2, clock(10, 30), clock(11, 0)), Moment(4, clock(10, 30), clock(11, 0))),
                             start_date=start, weeks=12, sessions_per_week=2)  # fmt: skip
        if tutors and tutees:
            programme = create_programme(db, actor, spec)
            run = match_programme(db, actor, programme.id, lang="nl", reference_date=start)
            publish(db, actor, run.id, on=start)
        paired = {
            listing.pair.tutor_pk
            for programme in list_programmes(db, actor)
            for listing in published_pairs(db, actor, programme.id)[1]
            if listing.pair.status is PairStatus.ACTIVE
        }
        cards: list[LoginCard] = []
        for group in groups:
            if (group.grade or 0) >= 6:
                cards += make_login_cards(db, actor, group.id, kind=CodeKind.TEXT)
        return [Pupil(c.first_name, c.class_code, c.number, c.personal_code) for c in cards if c.pupil_id in paired]
    finally:
        engine.dispose()


def checkins_today(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            query = sa.select(sa.func.count()).select_from(CheckInRow).where(CheckInRow.session_date == TODAY)
            return int(connection.scalar(query) or 0)
    finally:
        engine.dispose()


# --- the servers ----------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextmanager
def streamlit_server(database_url: str, log_dir: Path) -> Iterator[Server]:
    """``streamlit run app.py`` on a free port on ``database_url`` (as tests/e2e/conftest.py starts it)."""
    env = {**os.environ, "PEERMATCH_DATABASE_URL": database_url}
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = log_dir / f"streamlit-{port}.log"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port),
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + 90
            while not _healthy(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start:\n{log_path.read_text()}")
                time.sleep(0.25)
            yield Server(url, server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (what psutil's ``cpu_times()`` reads, from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process (psutil's ``memory_info().rss``, from /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


# --- one pupil in the browser ---------------------------------------------------------------------------


async def wait_for_app_run(page: Page) -> None:
    """Until the app is idle: connected and the script finished (tests/e2e's ``wait_for_app_run``)."""
    await page.wait_for_timeout(250)
    await page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=TIMEOUT_MS)
    await page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=TIMEOUT_MS)


async def go_to(page: Page, title: str) -> None:
    exact = page.get_by_text(title, exact=True)
    await page.get_by_test_id("stSidebarNavLink").filter(has=exact).click(timeout=TIMEOUT_MS)
    await wait_for_app_run(page)


async def log_in(page: Page, url: str, pupil: Pupil) -> None:
    """The pupils' login form: the card's class code, number and personal code (as tests/e2e's ``pupil_log_in``).

    The only step that knows the login form: adapt it here when the form changes."""
    await page.goto(url, timeout=TIMEOUT_MS)
    await page.get_by_test_id("stTextInput").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    await wait_for_app_run(page)
    await go_to(page, "Inloggen voor leerlingen")
    typed = (("pupil_class_code", pupil.class_code.lower()), ("pupil_number", str(pupil.number)),
             ("pupil_personal_code", pupil.personal_code))  # fmt: skip
    for key, value in typed:
        field = page.locator(f".st-key-{key} input")
        await field.fill(value, timeout=TIMEOUT_MS)
        await field.press("Tab")
        await wait_for_app_run(page)
    await page.locator(".st-key-pupil_login_submit button").click(timeout=TIMEOUT_MS)
    await wait_for_app_run(page)
    hello = page.get_by_role("heading", name=f"Hoi {pupil.first_name}!", exact=True, level=1)
    await hello.wait_for(timeout=TIMEOUT_MS)


async def fill_checkin(page: Page) -> None:
    """Open Check-in and fill in the session (held, the planned minutes, what they read, a mood)."""
    await go_to(page, "Check-in")
    await page.locator(".st-key-ci_activity_0 input").fill("Boek: De Gorgels, blz. 24-29", timeout=TIMEOUT_MS)
    await page.locator(".st-key-ci_mood_0").get_by_text("😄").click(timeout=TIMEOUT_MS)


class Clock(Protocol):
    def __call__(self) -> float: ...


@dataclass
class Outcome:
    pupil: Pupil
    logged_in: bool = False
    clicked: bool = False
    saved_s: float | None = None
    error: str = ""


async def one_pupil(
    browser: Browser, url: str, pupil: Pupil, start_at: float, burst: asyncio.Event, ready: asyncio.Queue[None]
) -> tuple[Outcome, BrowserContext]:
    """Log in at ``start_at`` (monotonic), fill in the check-in, wait for the burst, click and time "opgeslagen"."""
    outcome = Outcome(pupil)
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = await context.new_page()
    try:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        await log_in(page, url, pupil)
        outcome.logged_in = True
        await fill_checkin(page)
    except Exception as exc:  # a pupil who fails is counted, the others go on
        outcome.error = f"before the click: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    ready.put_nowait(None)
    await burst.wait()
    if outcome.error:
        return outcome, context
    try:
        clicked = time.perf_counter()
        await page.get_by_test_id("stBaseButton-primaryFormSubmit").click(timeout=TIMEOUT_MS)
        outcome.clicked = True
        await page.get_by_text(SAVED).first.wait_for(timeout=TIMEOUT_MS)
        outcome.saved_s = time.perf_counter() - clicked
        if await page.get_by_test_id("stException").count():
            outcome.error = "a traceback on the screen"
    except Exception as exc:  # counted as a pupil without a saved message
        outcome.error = f"after the click: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    return outcome, context


# --- one run --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    servers: int
    engine: str
    pupils: int
    logged_in: int
    clicked: int
    saved: int
    stored: int
    p50_s: float
    p95_s: float
    max_s: float
    cpu_per_checkin_s: float
    cpu_per_login_s: float
    mb_per_session: float
    rss_mb: float
    wall_s: float
    errors: tuple[str, ...]

    @property
    def lost(self) -> int:
        return self.clicked - self.stored


def _quantile(values: Sequence[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


async def _warm_up(browser: Browser, url: str, spare: Pupil) -> None:
    """A spare pupil's whole journey first (login, check-in, saved), so the measured pupils neither pay for the
    server's cold start nor count the pages' first imports as memory per session (its check-in is not counted)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    try:
        page = await context.new_page()
        await log_in(page, url, spare)
        await fill_checkin(page)
        await page.get_by_test_id("stBaseButton-primaryFormSubmit").click(timeout=TIMEOUT_MS)
        await page.get_by_text(SAVED).first.wait_for(timeout=TIMEOUT_MS)
    finally:
        await context.close()


async def drive(
    servers: Sequence[Server], pupils: Sequence[Pupil], spares: Sequence[Pupil], ramp_s: float, rows: Callable[[], int]
) -> tuple[list[Outcome], dict[str, float]]:
    """Every pupil in their own browser context; logins over ``ramp_s``, then one burst of clicks. ``rows``
    counts today's check-ins (after the warm-up: ``rows0``; at the end: ``rows1``)."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            for server, spare in zip(servers, spares, strict=True):
                await _warm_up(browser, server.url, spare)
            await asyncio.sleep(3)  # let the warm-up session's memory settle (it was closed)
            pids = [s.pid for s in servers]
            marks = {"rss0": sum(rss_mb(p) for p in pids), "cpu0": sum(cpu_seconds(p) for p in pids), "rows0": rows()}
            burst, ready = asyncio.Event(), asyncio.Queue[None]()
            began = time.monotonic()
            tasks = [
                asyncio.create_task(
                    one_pupil(
                        browser,
                        servers[i % len(servers)].url,
                        pupil,
                        began + ramp_s * i / max(1, len(pupils)),
                        burst,
                        ready,
                    )
                )
                for i, pupil in enumerate(pupils)
            ]
            for _ in pupils:
                await ready.get()
            await asyncio.sleep(2)  # the last pupils' page runs finish
            marks["rss1"] = sum(rss_mb(p) for p in pids)
            marks["cpu1"] = sum(cpu_seconds(p) for p in pids)
            marks["ready_s"] = time.monotonic() - began
            burst.set()
            done = await asyncio.gather(*tasks)
            marks["cpu2"] = sum(cpu_seconds(p) for p in pids)
            marks["rss2"] = sum(rss_mb(p) for p in pids)
            marks["wall_s"] = time.monotonic() - began
            marks["rows1"] = rows()
            outcomes = [o for o, _ in done]
            for _, context in done:
                await context.close()
            return outcomes, marks
        finally:
            await browser.close()


def run_once(template: Template, servers: int, size: int, ramp_s: float, work: Path) -> RunResult:
    """One burst of ``size`` pupils against ``servers`` processes, on a fresh copy of the prepared database."""
    pupils, spares = template.pupils[:size], template.pupils[size : size + servers]
    if len(spares) < servers:
        raise RuntimeError(f"only {len(template.pupils)} paired tutors with a login card; use a larger --school")
    with template.copy(work) as url, ExitStack() as stack:
        running = [stack.enter_context(streamlit_server(url, work)) for _ in range(servers)]
        outcomes, marks = asyncio.run(drive(running, pupils, spares, ramp_s, lambda: checkins_today(url)))
        stored = int(marks["rows1"] - marks["rows0"])
    times = [o.saved_s for o in outcomes if o.saved_s is not None]
    logged_in = sum(o.logged_in for o in outcomes)
    clicked = sum(o.clicked for o in outcomes)
    return RunResult(
        servers=servers, engine=template.engine, pupils=size, logged_in=logged_in, clicked=clicked, saved=len(times),
        stored=stored, p50_s=statistics.median(times) if times else math.nan, p95_s=_quantile(times, 0.95),
        max_s=max(times, default=math.nan),
        cpu_per_checkin_s=(marks["cpu2"] - marks["cpu1"]) / max(1, clicked),
        cpu_per_login_s=(marks["cpu1"] - marks["cpu0"]) / max(1, logged_in),
        mb_per_session=(marks["rss1"] - marks["rss0"]) / max(1, logged_in),
        rss_mb=marks["rss2"], wall_s=marks["wall_s"],
        errors=tuple(f"{o.pupil.first_name}: {o.error}" for o in outcomes if o.error),
    )  # fmt: skip


# --- the prepared databases -----------------------------------------------------------------------------


class Template:
    """A prepared database; every run gets a fresh copy (no check-in of an earlier run counts)."""

    engine = ""
    pupils: list[Pupil]

    @contextmanager
    def copy(self, work: Path) -> Iterator[str]:
        raise NotImplementedError


class SqliteTemplate(Template):
    engine = "SQLite"

    def __init__(self, folder: Path, school_size: int) -> None:
        self.path = folder / "template.db"
        self.pupils = prepare(f"sqlite:///{self.path}", school_size)

    @contextmanager
    def copy(self, work: Path) -> Iterator[str]:
        target = work / f"run-{time.monotonic_ns()}.db"
        shutil.copyfile(self.path, target)
        try:
            yield f"sqlite:///{target}"
        finally:
            target.unlink(missing_ok=True)


class PostgresTemplate(Template):
    engine = "PostgreSQL"

    def __init__(self, school_size: int) -> None:
        sys.path.insert(0, str(ROOT / "tests" / "unit"))
        pg = importlib.import_module("pg")  # the throwaway PostgreSQL server of the storage tests (tests/unit/pg.py)
        bindir = pg.find_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL binaries not found (Debian package 'postgresql')")
        self.server = pg.PostgresServer(bindir)
        self.server.start()
        self.name, url = self.server.create_database()
        self.pupils = prepare(url, school_size)

    @contextmanager
    def copy(self, work: Path) -> Iterator[str]:
        name, url = self.server.create_database(template=self.name)
        try:
            yield url
        finally:
            self.server.drop_database(name)

    def stop(self) -> None:
        self.server.stop()


# --- the report -----------------------------------------------------------------------------------------

CITY_SCHOOLS = 70
PEAK_WINDOW_S = 5 * 60
CORE_SHARE = 0.7  # a process runs Python on one core at a time; keep it below 70 % busy at the peak


def _s(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.2f} s"


def table(results: Sequence[RunResult]) -> str:
    head = (
        "| processes | database | pupils | logged in | clicked | saved | rows stored | lost | p50 | p95 | max "
        "| CPU / check-in | CPU / login | MB / session | server RSS | wall |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        lines.append(
            f"| {r.servers} | {r.engine} | {r.pupils} | {r.logged_in} | {r.clicked} | {r.saved} | {r.stored} "
            f"| {r.lost} | {_s(r.p50_s)} | {_s(r.p95_s)} | {_s(r.max_s)} | {r.cpu_per_checkin_s * 1000:.0f} ms "
            f"| {r.cpu_per_login_s * 1000:.0f} ms | {r.mb_per_session:.1f} MB | {r.rss_mb:.0f} MB | {r.wall_s:.0f} s |"
        )
    return "\n".join(lines)


def goals(results: Sequence[RunResult]) -> str:
    one = [r for r in results if r.servers == 1 and r.pupils == 60]
    p95 = f"{one[0].p95_s:.2f} s" if one else "not run (no 60-pupil run on one process)"
    per_session = max((r.mb_per_session for r in results), default=math.nan)
    lost = sum(max(0, r.lost) for r in results)
    failed = sum(r.pupils - r.saved for r in results)
    return "\n".join([
        "| goal (issue 14, part 6) | measured | |",
        "|---|---|---|",
        f"| p95 ≤ 1 s at 60 pupils on one process | {p95} "
        f"| {('✅' if one[0].p95_s <= GOALS['p95_s'] else '❌') if one else '—'} |",
        f"| memory per session ≤ 10 MB (worst run) | {per_session:.1f} MB "
        f"| {'✅' if per_session <= GOALS['mb_per_session'] else '❌'} |",
        f"| zero lost check-ins (clicked, no row) | {lost} lost; {failed} pupils without a saved message "
        f"| {'✅' if lost == 0 else '❌'} |",
    ])  # fmt: skip


def city(cpu_per_checkin_s: float, mb_per_session: float) -> str:
    """How many processes 70 schools need when each school's tutors check in within the same 5 minutes."""
    lines = [
        f"| tutors per school checking in within 5 min | check-ins at the peak ({CITY_SCHOOLS} schools) "
        "| per second | CPU-s per second | processes (≤ 70 % of a core each) | session memory |",
        "|---|---|---|---|---|---|",
    ]
    for per_school in (30, 60, 120):
        total = per_school * CITY_SCHOOLS
        rate = total / PEAK_WINDOW_S
        cpu = rate * cpu_per_checkin_s
        processes = max(1, math.ceil(cpu / CORE_SHARE))
        lines.append(f"| {per_school} | {total:,} | {rate:.1f} | {cpu:.2f} | {processes} "
                     f"| {total * mb_per_session / 1024:.1f} GB |")  # fmt: skip
    return "\n".join(lines)


def report(results: Sequence[RunResult], *, school: int, ramp_s: float) -> str:
    base = max((r for r in results if r.servers == 1), key=lambda r: r.pupils, default=results[0])
    return "\n\n".join([
        "### The burst in the browser: pupils log in and check in at once (issue 14, part 6)",
        f"Made by `make bench-load` (`python -m benchmarks.load`), {date.today():%Y-%m-%d}: one headless Chromium, one "
        f"context per pupil; the demo school of {school} pupils; logins spread over {ramp_s:.0f} s, then every "
        "pupil clicks \"Opslaan\" at the same moment. Latency: click to \"opgeslagen\" on the pupil's screen. "
        "CPU: utime + stime of the server processes (/proc) over the burst / clicks, and over the logins / logins. "
        "MB / session: RSS growth of the servers over a warmed-up start / pupils logged in. The browser runs on "
        "the same 2 cores as the servers, so the latencies include the browser's own work; load average at the "
        f"end: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()}).",
        table(results),
        goals(results),
        f"City sizing from the {base.pupils}-pupil run on one process ({base.cpu_per_checkin_s * 1000:.0f} ms CPU per "
        f"check-in, {base.mb_per_session:.1f} MB per session):",
        city(base.cpu_per_checkin_s, base.mb_per_session),
    ])  # fmt: skip


def write_results(section: str, path: Path = RESULTS) -> None:
    """Replace this benchmark's block of benchmarks/results.md (or append it); the other sections stay."""
    write_block("load", section, path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 60, 120], help="pupils per run")
    parser.add_argument("--servers", type=int, nargs="+", default=[1, 2], help="1: SQLite; 2 or more: PostgreSQL")
    parser.add_argument("--school", type=int, default=400, help="pupils in the demo school (enough tutors)")
    parser.add_argument("--ramp", type=float, default=60.0, help="seconds over which the pupils log in")
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/results.md alone")
    args = parser.parse_args(argv)
    if not CHROMIUM.is_file():
        print(f"{CHROMIUM} not found: install Debian's chromium", file=sys.stderr)
        return 2
    results: list[RunResult] = []
    with tempfile.TemporaryDirectory(prefix="peermatch-load-") as folder:
        work = Path(folder)
        templates: dict[bool, Template] = {}
        try:
            for servers in args.servers:
                on_pg = servers > 1
                if on_pg not in templates:
                    templates[on_pg] = PostgresTemplate(args.school) if on_pg else SqliteTemplate(work, args.school)
                for size in args.sizes:
                    result = run_once(templates[on_pg], servers, size, args.ramp, work)
                    results.append(result)
                    print(table([result]).splitlines()[-1], flush=True)
                    for error in result.errors[:5]:
                        print(f"    {error}", flush=True)
        finally:
            for template in templates.values():
                if isinstance(template, PostgresTemplate):
                    template.stop()
    section = report(results, school=args.school, ramp_s=args.ramp)
    print(section)
    if not args.no_write:
        write_results(section)
    failed = any(r.lost or r.saved < r.pupils for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
