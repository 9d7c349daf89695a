"""Monitoring benchmark (issue 5): a school with 1,000 pairs and about 30,000 check-ins (synthetic).

Times the computations behind the IB'er's pages and the exports, against the goals: overview and
results under 1 s per script run, exports under 3 s. ``run()`` returns Markdown lines for
``benchmarks/run.py``; ``python -m benchmarks.monitoring`` prints them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.blocks import write_block
from benchmarks.measure import fmt_s, median_time
from peermatch import monitoring as mon
from peermatch.auth import AuthenticatedUser
from peermatch.monitoring.synthetic import SyntheticProgramme, synthetic_programme
from peermatch.pseudonym import Pseudonymiser
from peermatch.reports import (
    ParentLetter,
    growth_table,
    parent_letter_pdf,
)
from peermatch.reports.bundle import export_files
from peermatch.services import Database
from peermatch.services import monitoring as monitoring_service
from peermatch.services.monitoring import load_with_triages
from peermatch.storage import migrate, models
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.enums import PairStatus, RunStatus, StaffRole

__all__ = ["run"]

AS_OF = date(2026, 11, 23)
PAIRS = 1000
REPEAT = 3
PAGE_GOAL_S = 1.0
EXPORT_GOAL_S = 3.0
STORED_GOALS_S = {1000: 0.3, 10_000: 2.0}  # issue 14 part 2: load + overview, and at most 2x the raw fetch


def _results(p: SyntheticProgramme) -> object:
    h = p.histories
    return (
        mon.compare_growth(h, p.non_participants),
        mon.group_dosage(h, AS_OF),
        mon.programme_means(h, AS_OF),
        [mon.pair_trend(x, AS_OF) for x in h],
        growth_table(h, p.non_participants),
    )


def _stored_school(p: SyntheticProgramme, url: str) -> AuthenticatedUser:
    """The synthetic programme in a database: groups, pupils, programme, published run, pairs, check-ins."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    try:
        with unit_of_work(session_factory(engine)) as s:
            school = models.School(name="OBS Bench")
            s.add(school)
            s.flush()
            groups: dict[str, models.Group] = {}
            for h in p.histories:
                for name in (h.tutor_group, h.tutee_group):
                    groups.setdefault(name, models.Group(school_id=school.id, name=name))
            s.add_all(groups.values())
            user = models.User(school_id=school.id, username="ib.bench", display_name="IB", password_hash="-",
                               role=StaffRole.IB)  # fmt: skip
            s.add(user)
            s.flush()
            pupils: dict[str, models.PupilRow] = {}
            for h in p.histories:
                for pid, group in ((h.tutor_id, h.tutor_group), (h.tutee_id, h.tutee_group)):
                    pupils[pid] = models.PupilRow(school_id=school.id, pupil_number=pid,
                                               first_name=p.names.get(pid, pid),
                                               group_id=groups[group].id)  # fmt: skip
            s.add_all(pupils.values())
            plan = p.histories[0].plan
            programme = models.Programme(school_id=school.id, name="Bench", subject="lezen", start_date=plan.start,
                                         weeks=plan.weeks, sessions_per_week=plan.sessions_per_week,
                                         minutes_per_session=20)  # fmt: skip
            s.add(programme)
            s.flush()
            run = models.MatchingRun(school_id=school.id, programme_id=programme.id, status=RunStatus.PUBLISHED)
            s.add(run)
            s.flush()
            pairs = {h.pair_id: models.PairRow(school_id=school.id, run_id=run.id, tutor_id=pupils[h.tutor_id].id,
                                            tutee_id=pupils[h.tutee_id].id, status=PairStatus.ACTIVE,
                                            start_date=h.plan.start) for h in p.histories}  # fmt: skip
            s.add_all(pairs.values())
            s.flush()
            rows = [
                {"school_id": school.id, "submission_id": f"{h.pair_id}-{i}", "pair_id": pairs[h.pair_id].id,
                 "tutor_id": pairs[h.pair_id].tutor_id, "tutee_id": pairs[h.pair_id].tutee_id, "session_date": c.day,
                 "status": c.status.value, "minutes": c.minutes, "activity": "", "tutor_mood": c.tutor_mood,
                 "went_well": "", "was_hard": c.note, "try_next": "", "needs_help": c.help_needed, "worry": c.worry,
                 "worry_text": c.note if c.worry else "", "tutee_fun": c.tutee_fun, "tutee_learned": c.tutee_learned}
                for h in p.histories for i, c in enumerate(h.checkins)
            ]  # fmt: skip
            s.execute(sa.insert(models.CheckInRow), rows)
            actor = AuthenticatedUser(user.id, school.id, user.username, user.display_name, StaffRole.IB)
        if engine.dialect.name == "postgresql":
            # A server's autovacuum analyzes a table within a minute of this many new rows; read right after a
            # bulk insert, the planner still thinks the tables are empty and probes the school index once per
            # pair (checkins: 0.7 s instead of 14 ms at 1,000 pairs), which no school would meet.
            with engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        return actor
    finally:
        engine.dispose()


def _stored_overview(factory: sessionmaker[Session], user: AuthenticatedUser) -> object:
    data, triages = load_with_triages(Database(factory), user)
    return mon.school_overview(data.histories, AS_OF, triages=triages, thresholds=data.thresholds)


_RAW = (
    "SELECT pair_id, session_date, status, minutes, tutor_mood, tutee_fun, tutee_learned, worry, needs_help,"
    " worry_text, was_hard, try_next, went_well FROM checkins WHERE school_id = :school"
)


def _raw_fetch(engine: sa.Engine, school_id: int) -> list[tuple[object, ...]]:
    """The bare limit: the same check-in rows as plain tuples, no types, no objects."""
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(_RAW), {"school": school_id})]


@contextmanager
def _postgres() -> Iterator[str | None]:
    """A throwaway PostgreSQL database (the test suite's server, tests/unit/pg.py); None without the binaries."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit"))
    import pg  # type: ignore[import-not-found]  # a test helper (tests/unit/pg.py), not a product module

    bindir = pg.find_bindir()
    if bindir is None:
        yield None
        return
    server = pg.PostgresServer(bindir)
    try:
        server.start()
        _, url = server.create_database()
        yield url
    finally:
        server.stop()


def _stored_case(p: SyntheticProgramme, url: str, backend: str, repeat: int) -> list[str]:
    pairs, checkins = len(p.histories), sum(len(x.checkins) for x in p.histories)
    user = _stored_school(p, url)
    engine = make_engine(url)
    try:
        factory = session_factory(engine)
        raw_s, rows = median_time(lambda: _raw_fetch(engine, user.school_id), repeat)
        assert len(rows) == checkins, (len(rows), checkins)
        clear = getattr(monitoring_service, "clear_cache", lambda: None)

        def cold() -> object:
            clear()
            return _stored_overview(factory, user)

        cold_s, ov = median_time(cold, repeat)
        assert isinstance(ov, mon.Overview)
        assert len(ov.healths) == pairs
        warm_s, _ = median_time(lambda: _stored_overview(factory, user), repeat)
    finally:
        engine.dispose()
    goal = STORED_GOALS_S.get(pairs, 2.0)
    ratio = cold_s / raw_s
    ok = cold_s < goal and ratio <= 2
    return [
        f"| {backend} | {pairs:,} | {checkins:,} | {fmt_s(raw_s)} | {fmt_s(cold_s)} | {ratio:.1f}× |"
        f" {fmt_s(warm_s)} | < {fmt_s(goal)} and ≤ 2× | {'✅' if ok else '❌'} |"
    ]


def stored_run(sizes: Sequence[int] = (1000, 10_000), repeat: int = REPEAT) -> list[str]:
    """Issue 14 part 2: load + overview from SQLite and PostgreSQL beside the raw fetch of the same rows."""
    lines = [
        "| engine | pairs | check-ins | raw fetch (tuples) | load_with_triages + school_overview | ratio |"
        " again (cached) | goal | |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    programmes = {n: synthetic_programme(n, as_of=AS_OF, weeks_run=16, plan_weeks=20, sessions_per_week=2)
                  for n in sizes}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            lines += _stored_case(programmes[n], f"sqlite:///{tmp}/bench_{n}.db", "SQLite", repeat)
    with _postgres() as url:
        if url is None:
            lines.append("| PostgreSQL | — | — | not installed | | | | | |")
        else:
            for n in sizes:
                with _fresh_pg(url) as one:
                    lines += _stored_case(programmes[n], one, "PostgreSQL", repeat)
    lines.append("")
    return lines


@contextmanager
def _fresh_pg(url: str) -> Iterator[str]:
    """An empty schema per case on the server of ``url`` (drops every table afterwards)."""
    yield url
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        engine.dispose()


def _logged_in(url: str, user: AuthenticatedUser) -> AuthenticatedUser:
    """The bench's IB'er with a real password, logged in as the app checks it on every run."""
    from peermatch.auth import hash_password
    from peermatch.services.login import authenticate

    engine = make_engine(url)
    try:
        factory = session_factory(engine)
        with unit_of_work(factory) as s:
            s.get_one(models.User, user.id).password_hash = hash_password("bench-password-2026")
        found = authenticate(Database(factory), user.username, "bench-password-2026")
        assert found is not None
        return found
    finally:
        engine.dispose()


def overview_page(pairs: int, reruns: int = 3) -> list[str]:
    """The Overzicht page's script run in AppTest on a stored synthetic school of ``pairs`` pairs (SQLite): the
    first run of a session (load + judge) and a rerun (a click: nothing changed in the database)."""
    import os
    from datetime import UTC, datetime

    from streamlit.testing.v1 import AppTest

    from peermatch.storage.engine import ENV_VAR

    p = synthetic_programme(pairs, as_of=date.today(), weeks_run=16, plan_weeks=20, sessions_per_week=2)
    checkins = sum(len(x.checkins) for x in p.histories)
    app = Path(__file__).resolve().parents[1] / "app.py"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/page.db"
        user = _logged_in(url, _stored_school(p, url))
        old = os.environ.get(ENV_VAR)
        os.environ[ENV_VAR] = url
        try:
            at = AppTest.from_file(str(app), default_timeout=600)
            at.session_state["auth_user"] = user
            at.session_state["auth_last_seen"] = datetime.now(UTC)
            at.run()
            getattr(monitoring_service, "clear_cache", lambda: None)()
            start = time.perf_counter()
            at.switch_page("views/overzicht.py").run()
            first = time.perf_counter() - start
            assert not at.exception, [e.value for e in at.exception]
            elements = sum(1 for _ in at.main)  # top-level blocks and elements written
            again: list[float] = []
            for _ in range(reruns):
                start = time.perf_counter()
                at.run()
                again.append(time.perf_counter() - start)
            assert not at.exception, [e.value for e in at.exception]
            worries = at.subheader[0].value
        finally:
            if old is None:
                os.environ.pop(ENV_VAR, None)
            else:
                os.environ[ENV_VAR] = old
    return [
        f"| Overzicht in AppTest, SQLite, {pairs:,} pairs / {checkins:,} check-ins ({worries}, {elements} top-level"
        f" elements) | {fmt_s(first)} | {fmt_s(statistics.median(again))} |"
    ]


def run() -> list[str]:
    p = synthetic_programme(PAIRS, as_of=AS_OF, weeks_run=16, plan_weeks=20, sessions_per_week=2)
    h, names = p.histories, p.names
    checkins = sum(len(x.checkins) for x in h)
    pseudo = Pseudonymiser("benchmark-secret-0123456789")
    first = h[0]
    letter = ParentLetter(first_name="Sam", role="tutee", subject="lezen", school="OBS Bench", start=first.plan.start,
                          weekdays=(1, 3), minutes=20, weeks=first.plan.weeks, contact="Juf Anna",
                          contact_detail="010-1234567")  # fmt: skip
    files = export_files(h, AS_OF, non_participants=p.non_participants, names=names, pseudonymiser=pseudo)
    cases: list[tuple[str, Callable[[], object], float]] = [
        ("Overzicht: health, alerts and inbox, dosage (school_overview)", lambda: mon.school_overview(h, AS_OF),
         PAGE_GOAL_S),
        ("Resultaten: growth vs non-participants, dosage, trends, growth table", lambda: _results(p), PAGE_GOAL_S),
        *((f"Export: {f.key} ({f.file_name})", f.build, EXPORT_GOAL_S) for f in files),
        ("Export: one parent letter PDF", lambda: parent_letter_pdf(letter), EXPORT_GOAL_S),
    ]  # fmt: skip
    lines = [
        "## Monitoring (issue 5)",
        "",
        f"Synthetic programme: {len(h):,} pairs, {checkins:,} check-ins, {len(p.non_participants)} non-participants; "
        f"median of {REPEAT} runs.",
        "",
        "| What | Time | Goal | |",
        "|---|---:|---:|---|",
    ]
    for label, fn, goal in cases:
        seconds, _ = median_time(fn, REPEAT)
        lines.append(f"| {label} | {fmt_s(seconds)} | < {fmt_s(goal)} | {'✅' if seconds < goal else '❌'} |")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        user = _stored_school(p, url)
        engine = make_engine(url)
        try:
            seconds, _ = median_time(lambda: _stored_overview(session_factory(engine), user), REPEAT)
        finally:
            engine.dispose()
    label = "Overzicht from SQLite: load 1,000 pairs + check-ins (load_monitored), triage, school_overview"
    lines.append(f"| {label} | {fmt_s(seconds)} | < {fmt_s(PAGE_GOAL_S)} | {'✅' if seconds < PAGE_GOAL_S else '❌'} |")
    lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="pairs per case, comma separated")
    parser.add_argument("--stored-only", action="store_true", help="only the SQLite/PostgreSQL load table")
    parser.add_argument("--page", type=int, default=0, help="only the Overzicht page in AppTest at this many pairs")
    args = parser.parse_args()
    if args.page:
        page = overview_page(args.page)
        print("\n".join(page))
        heading = f"### Overzicht in AppTest at {args.page:,} pairs (issue 14, part 2; `make bench-monitoring`)"
        write_block("monitoring-page", "\n".join([heading, "", *page]))
        return
    sizes = [int(x) for x in args.sizes.split(",")]
    lines = [] if args.stored_only else run()
    stored = stored_run(sizes)
    print("\n".join(lines + stored))
    shown = ", ".join(f"{size:,}" for size in sizes)
    heading = f"### Monitoring from the database beside the raw fetch, {shown} pairs (`make bench-monitoring`)"
    write_block("monitoring-stored", "\n".join([heading, "", *stored]))


if __name__ == "__main__":
    main()
