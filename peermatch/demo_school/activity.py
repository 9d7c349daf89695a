"""The demo school's tutoring programme in full swing, for ``peermatch seed-demo`` (DEMO ONLY).

A published reading programme 7A -> 5A, matched by the real matcher and started six to seven weeks ago (Tuesday
and Thursday 10:30-11:00: two moments, so two sessions a week), with fixed login codes for three demo tutors,
training attempts, a check-in for every session of the plan so far (the school's holidays, region zuid by
default, have no session and no check-in), the before/after scale's "voor" of both children at the first
session (pair 0, which never met, has not answered: its tutor sees the three questions), and an AVI round
measured last week. The programme runs 12 weeks and is halfway, so no pair has reached its "na" yet. Each pair
follows a scenario, so the IB'er's Monday shows every rule once and most pairs on course:

====  ===================================================================================
pair  scenario
====  ===================================================================================
0     ZEBRA: has not started the training, no check-in at all (no check-in, training)
1     TAART: ready (quizzes passed, practice signed off); a worry signal in the last check-in
2     KWAST: stuck on a quiz question (training not finished)
3     missed the last two sessions (tutee absent)
4     a worry signal a week ago
5     stuck on a quiz question
6     the tutee's fun falls over the last three sessions
7     asks the juf for help in the last check-in
8     a worry signal in the last check-in
9     no check-in for the last two weeks
rest  on course: every session held, happy; a few missed one session once
====  ===================================================================================

The pupils' first AVI level is measured before the start (``seed_demo`` dates it); the new round
moves most pupils of 5A and 7A up by a step, the tutees a little more often than the pupils of the same
groep who take no part (deterministic per pupil number), so *Resultaten* has growth to compare.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.calendar.plan import programme_plan
from peermatch.checkins import CheckInForm, SessionStatus, new_submission_id
from peermatch.levels import READING_CODES, parse_reading
from peermatch.model import Subject
from peermatch.outcome_scale import Moment as ScaleMoment
from peermatch.outcome_scale import OutcomeAnswer
from peermatch.programme import Moment, ProgrammeSpec
from peermatch.pupil_auth import AuthenticatedPupil, hash_personal_code
from peermatch.services.calendar import read_programme_calendars
from peermatch.services.checkins import submit_checkin
from peermatch.services.matching import match_programme_in
from peermatch.services.training import record_attempt_in
from peermatch.storage.enums import PairStatus, StaffRole
from peermatch.storage.measurements import add_measurement, latest_levels_of
from peermatch.storage.models import (
    Group,
    GroupLoginCode,
    MatchingRun,
    PairRow,
    Programme,
    PupilCredential,
    PupilRow,
    User,
)
from peermatch.storage.outcome_store import record_answer
from peermatch.storage.practice_store import add_signoff
from peermatch.storage.programmes import create_programme
from peermatch.storage.pupil_pairs import own_pairs
from peermatch.storage.runs import publish_run
from peermatch.training import Module, load_modules

__all__ = [
    "DEMO_CLASS_CODE",
    "DEMO_LOGINS",
    "DEMO_PROGRAMME_NAME",
    "demo_level_date",
    "demo_login_tutors",
    "seed_tutor_activity",
]

DEMO_PROGRAMME_NAME = "Leesmaatjes 7A -> 5A (demo)"
DEMO_CLASS_CODE = "MAAS7A"  # public: demo only
DEMO_LOGINS = (  # (personal code, what the demo shows with this tutor), numbered 1, 2, 3; the first tutors of the pairs
    ("ZEBRA", "nog geen training: doe de modules en haal je tutorbewijs"),
    ("TAART", "klaar om te starten: alle kernmodules gehaald, check-ins"),
    ("KWAST", "loopt vast op een quizvraag"),
)
_DEMO_SALT = "6d61617362727567206465206d6f2121"  # fixed, so the printed demo codes always work
_WEEKS_RUNNING = 6
_TUESDAY, _THURSDAY = 2, 4  # ISO weekdays

_WORRIES = {
    1: "Mijn maatje zegt dat hij thuis niet mag lezen en hij was heel stil.",
    4: "Ze huilde een beetje omdat anderen haar uitlachen op het plein.",
    8: "Hij zegt dat hij het toch nooit leert en dat hij wil stoppen.",
}
_HELP = "Hij gokt steeds de woorden. Hoe kan ik hem helpen?"


def _programme_start(today: date) -> date:
    """The Tuesday on or before six weeks ago."""
    day = today - timedelta(weeks=_WEEKS_RUNNING)
    return day - timedelta(days=(day.isoweekday() - _TUESDAY) % 7)


def demo_level_date(today: date) -> date:
    """When the demo's first levels were measured: two weeks before the programme started."""
    return _programme_start(today) - timedelta(weeks=2)


def _new_round_date(today: date) -> date:
    """The new AVI round: the last Friday before today."""
    day = today - timedelta(days=1)
    return day - timedelta(days=(day.isoweekday() - 5) % 7)


def demo_login_tutors(session: Session, school_id: int) -> list[PupilRow]:
    """The demo tutors who get a fixed login code: the first tutors of the demo pairs, with different first
    names (so the printed demo logins are easy to tell apart)."""
    tutors = session.scalars(
        sa.select(PupilRow)
        .join(PairRow, PairRow.tutor_id == PupilRow.id)
        .join(MatchingRun, MatchingRun.id == PairRow.run_id)
        .join(Programme, Programme.id == MatchingRun.programme_id)
        .where(Programme.school_id == school_id, Programme.name == DEMO_PROGRAMME_NAME)
        .where(PairRow.status == PairStatus.ACTIVE)
        .order_by(PairRow.id)
    )
    chosen: dict[str, PupilRow] = {}
    for pupil in tutors:
        chosen.setdefault(pupil.first_name, pupil)
    return list(chosen.values())[: len(DEMO_LOGINS)]


@dataclass(frozen=True)
class _Scenario:
    """How one demo pair's sessions went; ``index`` is the pair's place in the demo (see the module doc)."""

    index: int

    def trains(self) -> bool:
        return self.index != 0

    def stuck(self) -> bool:
        return self.index in (2, 5)

    def fails_once(self) -> bool:
        """A first quiz attempt below the pass mark, then passed: realistic data for the item analysis."""
        return self.index >= 10 and self.index % 3 == 0

    def reports(self, k: int, due: int) -> bool:
        if self.index == 0:
            return False
        return not (self.index == 9 and k >= due - 4)  # two weeks quiet

    def status(self, k: int, due: int) -> SessionStatus:
        if self.index == 3 and k >= due - 2:
            return SessionStatus.TUTEE_ABSENT
        if self.index >= 10 and k == (self.index * 5) % due and self.index % 4 == 0:
            return SessionStatus.TUTEE_ABSENT if self.index % 8 else SessionStatus.CANCELLED
        return SessionStatus.HELD

    def worry(self, k: int, due: int) -> str:
        last = due - 1
        when = {1: last, 4: last - 2, 8: last}.get(self.index)
        return _WORRIES[self.index] if when == k else ""

    def fun(self, k: int, due: int) -> int:
        if self.index == 6 and k >= due - 4:
            return 5 - (k - (due - 4))  # 5, 4, 3, 2
        high = self.index % 3 == 0  # some tutees love it, most like it; now and then a better or worse day
        return (5 if high else 4) - (1 if high else -1) * ((self.index + k) % 4 == 0)

    def needs_help(self, k: int, due: int) -> bool:
        return self.index == 7 and k == due - 1

    def scale(self) -> tuple[OutcomeAnswer, OutcomeAnswer] | None:
        """The before/after scale's "voor" of the tutor and of the tutee, at the first session (the pair
        without any check-in has not answered yet: its tutor sees "Even 3 vragen over jezelf")."""
        if not self.reports(0, 1):
            return None
        i = self.index
        tutor = OutcomeAnswer(0, ScaleMoment.BEFORE, 3 + i % 3, 2 + i % 4, 2 + i % 3)
        tutee = OutcomeAnswer(0, ScaleMoment.BEFORE, 1 + i % 3, 2 + (i + 1) % 3, 1 + i % 2)
        return tutor, tutee


def _new_round(rng: random.Random, index: float, participates: bool) -> float:
    """The index one AVI round later: +1 step for most tutees and tutors, fewer among the others."""
    chance = 0.55 if participates else 0.35
    steps = (1 if rng.random() < chance else 0) + (1 if rng.random() < 0.05 else 0)
    return min(index + steps, max(READING_CODES.values()))


def _code(index: float) -> str:
    return next(code for code, value in READING_CODES.items() if value >= index)


def seed_tutor_activity(session: Session, school_id: int, *, today: date | None = None) -> bool:
    """Seed the demo programme and everything around it (see the module doc). Does nothing when the demo
    programme exists already, or when the school lacks 7A, 5A or a beheerder; returns whether it seeded."""
    if session.scalar(sa.select(Programme.id).where(Programme.school_id == school_id,
                                                    Programme.name == DEMO_PROGRAMME_NAME)) is not None:  # fmt: skip
        return False
    groups = {g.name: g for g in session.scalars(sa.select(Group).where(Group.school_id == school_id))}
    admin = session.scalar(sa.select(User).where(User.school_id == school_id, User.role == StaffRole.BEHEERDER))
    if "7A" not in groups or "5A" not in groups or admin is None:
        return False
    actor = AuthenticatedUser(admin.id, school_id, admin.username, admin.display_name, admin.role)
    day = today or date.today()
    start = _programme_start(day)
    tutor_group, tutee_group = groups["7A"], groups["5A"]
    spec = ProgrammeSpec(
        name=DEMO_PROGRAMME_NAME,
        subject=Subject.LEZEN,
        tutor_group_ids=(tutor_group.id,),
        tutee_group_ids=(tutee_group.id,),
        moments=(Moment(_TUESDAY, time(10, 30), time(11, 0)), Moment(_THURSDAY, time(10, 30), time(11, 0))),
        start_date=start,
        weeks=12,
        sessions_per_week=2,
        minutes_per_session=30,
    )
    programme = create_programme(session, actor, school_id, spec)
    run = match_programme_in(session, actor, programme.id, lang="nl", reference_date=start)
    publish_run(session, actor, run.id, on=start)

    logins = demo_login_tutors(session, school_id)
    _login_codes(session, school_id, tutor_group.id, logins)
    login_ids = {p.id for p in logins}
    others = sorted((p for p in _tutors(session, run.id) if p.id not in login_ids), key=lambda p: (p.first_name, p.id))
    ordered = [*logins, *others]
    modules = load_modules("nl").core_for(Subject.LEZEN)
    # the plan the monitoring pages count with: the moments' days without the school's holidays (its region)
    calendar = read_programme_calendars(session, actor, [programme.id])[programme.id]
    plan = programme_plan(start, spec.weeks, [m.weekday for m in spec.moments], calendar)
    due = [d for d in plan.planned_dates() if d < day]
    for index, pupil in enumerate(ordered):
        scenario = _Scenario(index)
        me = AuthenticatedPupil(pupil.id, school_id, tutor_group.id, pupil.first_name, "7A")
        if scenario.trains():
            _train(session, me, modules, scenario, start)
            if not scenario.stuck() and modules:  # the juf saw the role-play of the last core module
                add_signoff(session, actor, pupil.id, modules[-1].id, start - timedelta(days=1))
        for pair in own_pairs(session, me):
            for k, when in enumerate(due):
                if scenario.reports(k, len(due)):
                    submit_checkin(session, me, _checkin(scenario, pair.pair_id, when, k, len(due)), today=when)
            scale = scenario.scale()
            if scale is not None and due:
                _answer_scale(session, me, pair.pair_id, pair.tutee_id, scale, due[0])
    _measure_new_round(session, actor, run.id, [tutor_group.id, tutee_group.id], _new_round_date(day))
    return True


def _tutors(session: Session, run_id: int) -> list[PupilRow]:
    return list(
        session.scalars(
            sa.select(PupilRow).join(PairRow, PairRow.tutor_id == PupilRow.id).where(PairRow.run_id == run_id)
        )
    )


def _login_codes(session: Session, school_id: int, group_id: int, tutors: list[PupilRow]) -> None:
    if session.get(GroupLoginCode, group_id) is not None:
        return
    row = GroupLoginCode(group_id=group_id, school_id=school_id, class_code=DEMO_CLASS_CODE, code_kind="text",
                         salt=_DEMO_SALT)  # fmt: skip
    session.add(row)
    session.flush()
    for number, (pupil, (code, _)) in enumerate(zip(tutors, DEMO_LOGINS, strict=False), start=1):
        session.add(PupilCredential(pupil_id=pupil.id, school_id=school_id, group_id=group_id, login_number=number,
                                    code_hash=hash_personal_code(code, row.salt)))  # fmt: skip
    session.flush()


def _train(
    session: Session, me: AuthenticatedPupil, modules: tuple[Module, ...], scenario: _Scenario, start: date
) -> None:
    """The core modules in the week before the start; a stuck tutor fails one quiz twice and stops there."""
    for n, module in enumerate(modules):
        taken = start - timedelta(days=7 - min(n, 6))
        right = {q.id: q.answer for q in module.quiz}
        # three wrong: below the 80 % pass mark in a pool of 9 or 10 questions (graded whole, without a paper)
        wrong = {q.id: next(c.id for c in q.choices if c.id != q.answer) for q in module.quiz[:3]}
        if scenario.stuck() and n == scenario.index:  # module 3 for pair 2, module 6 for pair 5
            record_attempt_in(session, me, module, {**right, **wrong}, today=taken)
            record_attempt_in(session, me, module, {**right, **wrong}, today=taken)
            return
        if scenario.fails_once() and n == 1:
            record_attempt_in(session, me, module, {**right, **wrong}, today=taken)
        record_attempt_in(session, me, module, right, today=taken)


def _checkin(scenario: _Scenario, pair_id: int, when: date, k: int, due: int) -> CheckInForm:
    status = scenario.status(k, due)
    held = status is SessionStatus.HELD
    worry = scenario.worry(k, due)
    week = k // 2
    return CheckInForm(
        submission_id=new_submission_id(),
        pair_id=pair_id,
        session_date=when,
        status=status,
        minutes=25 + (scenario.index + k) % 2 * 5 if held else None,
        activity=f"Boek: De Gorgels, blz. {10 + 6 * k}-{15 + 6 * k}" if held else "",
        tutor_mood=(2 if worry else 4 + (scenario.index + week) % 2) if held else None,
        went_well="Het ging goed toen we samen hardop lazen." if held else "",
        was_hard=(_HELP if scenario.needs_help(k, due) else "Lastig toen er moeilijke woorden kwamen.") if held else "",
        try_next="De volgende keer ga ik eerst 5 tellen wachten." if held else "",
        needs_help=scenario.needs_help(k, due),
        worry=bool(worry),
        worry_text=worry,
        tutee_fun=scenario.fun(k, due) if held else None,
        tutee_learned=4 + (scenario.index + week) % 2 if held else None,
    )


def _answer_scale(
    session: Session,
    tutor: AuthenticatedPupil,
    pair_id: int,
    tutee_id: int,
    answers: tuple[OutcomeAnswer, OutcomeAnswer],
    day: date,
) -> None:
    """The tutor's and the tutee's "voor" of the before/after scale in their pair, on ``day``."""
    tutee_row = session.get(PupilRow, tutee_id)
    assert tutee_row is not None
    assert tutee_row.group_id is not None
    tutee = AuthenticatedPupil(tutee_row.id, tutee_row.school_id, tutee_row.group_id, tutee_row.first_name, "5A")
    for pupil, answer in zip((tutor, tutee), answers, strict=True):
        record_answer(session, pupil, dataclasses.replace(answer, pair_id=pair_id), day)


def _measure_new_round(
    session: Session, actor: AuthenticatedUser, run_id: int, group_ids: list[int], measured_on: date
) -> None:
    """The new AVI round for the programme's groups (see the module doc)."""
    paired = sa.select(PairRow.tutor_id, PairRow.tutee_id).where(PairRow.run_id == run_id)
    in_pairs = {i for pair in session.execute(paired) for i in pair}
    pupils = list(session.scalars(sa.select(PupilRow).where(PupilRow.group_id.in_(group_ids)).order_by(PupilRow.id)))
    levels = latest_levels_of(session, [p.id for p in pupils])
    for pupil in pupils:
        now = levels[pupil.id].get(Subject.LEZEN)
        if now is None or now.level.converted:
            continue
        rng = random.Random(f"demo-round-{pupil.pupil_number}")
        later = _new_round(rng, now.index_high, pupil.id in in_pairs)
        level = parse_reading(_code(later))
        add_measurement(session, actor, pupil.id, level, measured_on=measured_on, source="demo: AVI-ronde")
