"""Page benchmark (issue 3 part 6): each page's script run in AppTest on the demo school scaled to 1,000 pupils
in 40 groups, on a temporary SQLite database, logged in as the intern begeleider (whole school).

    .venv/bin/python -c "from benchmarks.pages import run; print('\\n'.join(run()))"

The time of a page is the median of several reruns of that page (the first, cold run is left out); "match +
explanations" is the click on "Maak koppels" on a programme with groep 7-8 as tutors and groep 4-5 as tutees
(the matcher, saving the draft and drawing the draft with its explanations).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from benchmarks.measure import fmt_s
from peermatch.auth import AuthenticatedUser
from peermatch.demo import generate_school
from peermatch.demo_school.seed import demo_accounts, seed_demo
from peermatch.model import Subject
from peermatch.services import Database
from peermatch.services.login import authenticate
from peermatch.storage.engine import ENV_VAR, make_engine, session_factory, unit_of_work
from peermatch.storage.programmes import ProgrammeSpec, create_programme

__all__ = ["run", "school_rows"]

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
PUPILS, GROUPS = 1000, 40
CLASSES = {3: 7, 4: 7, 5: 7, 6: 7, 7: 6, 8: 6}  # 40 classes over groep 3-8
PAGE_GOAL_S, MATCH_GOAL_S = 0.5, 1.0
REPEAT = 5
USER = "ib"


def school_rows(pupils: int = PUPILS, seed: int = 2026) -> list[dict[str, str]]:
    """The demo school of ``pupils`` pupils, its classes re-spread over 40 groups (``CLASSES``), round robin."""
    rows = generate_school(pupils, seed)
    seen: dict[int, int] = defaultdict(int)
    for row in sorted(rows, key=lambda r: (r["groep"], r["leerlingnummer"])):
        grade = int(row["groep"][0])
        row["groep"] = f"{grade}{chr(ord('A') + seen[grade] % CLASSES[grade])}"
        seen[grade] += 1
    assert len({r["groep"] for r in rows}) == GROUPS == sum(CLASSES.values())
    return rows


def _account(url: str) -> AuthenticatedUser:
    password = {a.username: a.password for a in demo_accounts()}[USER]
    engine = make_engine(url)
    try:
        user = authenticate(Database(session_factory(engine)), USER, password)
        assert user is not None
        with unit_of_work(session_factory(engine)) as s:
            groups: dict[str, int] = {str(n): int(i) for n, i in s.execute(sa.text("SELECT name, id FROM groups"))}
            tutors = tuple(i for name, i in sorted(groups.items()) if name[0] in "78")
            tutees = tuple(i for name, i in sorted(groups.items()) if name[0] in "45")
            spec = ProgrammeSpec("Tutorlezen groep 7-8 -> groep 4-5", Subject.LEZEN, tutors, tutees)
            create_programme(s, user, user.school_id, spec)
        return user
    finally:
        engine.dispose()


@contextmanager
def _database() -> Iterator[tuple[str, AuthenticatedUser]]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        old = os.environ.get(ENV_VAR)
        os.environ[ENV_VAR] = url
        try:
            seed_demo(url, school_rows())
            yield url, _account(url)
        finally:
            if old is None:
                os.environ.pop(ENV_VAR, None)
            else:
                os.environ[ENV_VAR] = old


def _timed(at: AppTest, action: Callable[[AppTest], object] = lambda at: at.run()) -> float:
    start = time.perf_counter()
    action(at)
    elapsed = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    return elapsed


def _logged_in(user: AuthenticatedUser) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["auth_user"] = user
    at.session_state["auth_last_seen"] = datetime.now(UTC)
    at.run()
    return at


def _page(user: AuthenticatedUser, page: str) -> float:
    at = _logged_in(user)
    at.switch_page(page).run()  # the cold run
    assert not at.exception, (page, [e.value for e in at.exception])
    assert at.title, page
    return statistics.median(_timed(at) for _ in range(REPEAT))


def _login_page() -> float:
    times = []
    for _ in range(REPEAT + 1):
        at = AppTest.from_file(str(APP), default_timeout=120)
        times.append(_timed(at))
    return statistics.median(times[1:])


def _match(user: AuthenticatedUser) -> tuple[float, float, str]:
    """Median click on "Maak koppels" (match + explanations + draft saved and shown), the draft page's rerun,
    and the paired count; then publish so that Paren has pairs."""
    at = _logged_in(user)
    at.switch_page("views/koppelen.py").run()
    clicks = [_timed(at, lambda at: at.button(key="run_match").click().run()) for _ in range(3)]
    draft = statistics.median(_timed(at) for _ in range(REPEAT))
    paired = next((m.value for m in at.metric), "?")
    at.button(key="publish").click().run()
    assert not at.exception
    return statistics.median(clicks), draft, str(paired)


def _row(what: str, seconds: float, goal: float) -> str:
    return f"| {what} | {fmt_s(seconds)} | < {fmt_s(goal)} | {'✅' if seconds < goal else '❌'} |"


def run() -> list[str]:
    """The page table as Markdown lines."""
    with _database() as (_, user):
        login = _login_page()
        pages = [(name, _page(user, path)) for name, path in (
            ("Start", "views/start.py"),
            ("Leerlingen", "views/leerlingen.py"),
            ("Tutorprogramma's", "views/programmas.py"),
        )]  # fmt: skip
        match_s, draft_s, paired = _match(user)
        paren = _page(user, "views/paren.py")
        start_running = _page(user, "views/start.py")  # now with 'Deze week': the published pairs' signals
    what = "match + explanations + save + draft shown"
    return [
        f"| {PUPILS:,} pupils, {GROUPS} groups, SQLite, logged in as `{USER}` (median of {REPEAT} reruns) | time |"
        " goal | |",
        "|---|---|---|---|",
        _row("Inloggen (login page)", login, PAGE_GOAL_S),
        *(_row(name, seconds, PAGE_GOAL_S) for name, seconds in pages),
        _row(f"Koppelen: 'Maak koppels' = {what} ({paired} tutees paired, median of 3)", match_s, MATCH_GOAL_S),
        _row("Koppelen with the draft (rerun)", draft_s, PAGE_GOAL_S),
        _row("Paren (published pairs)", paren, PAGE_GOAL_S),
        _row(
            f"Start with the {paired.split(' ')[0]} published pairs (signals and pairs that need attention)",
            start_running,
            PAGE_GOAL_S,
        ),
    ]
