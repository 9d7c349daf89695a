"""Monitoring benchmark (issue 5): a school with 1,000 pairs and about 30,000 check-ins (synthetic).

Times the computations behind the IB'er's pages and the exports, against the goals: overview and
results under 1 s per script run, exports under 3 s. ``run()`` returns Markdown lines for
``benchmarks/run.py``; ``python -m benchmarks.monitoring`` prints them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

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
            return AuthenticatedUser(user.id, school.id, user.username, user.display_name, StaffRole.IB)
    finally:
        engine.dispose()


def _stored_overview(factory: sessionmaker[Session], user: AuthenticatedUser) -> object:
    data, triages = load_with_triages(Database(factory), user)
    return mon.school_overview(data.histories, AS_OF, triages=triages, thresholds=data.thresholds)


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


if __name__ == "__main__":
    print("\n".join(run()))
