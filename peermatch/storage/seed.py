"""The demo school "OBS De Maasbrug (demo)": a synthetic roster and one account per role.

DEMO ONLY. The passwords below are public (they are in this file and printed by the CLI); never
seed them into a database that holds real pupils. Seeding is idempotent: a second run changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.errors import ConflictError, Problem
from peermatch.model import Roster
from peermatch.storage import migrate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.enums import StaffRole
from peermatch.storage.importing import ImportReport, import_roster
from peermatch.storage.models import Group, Pupil, User
from peermatch.storage.schools import create_school, find_school
from peermatch.storage.users import bootstrap_user

__all__ = [
    "DEMO_CLASS_CODE",
    "DEMO_SCHOOL_NAME",
    "DemoAccount",
    "DemoPupilLogin",
    "DemoSeedReport",
    "demo_accounts",
    "demo_pupil_logins",
    "rows_to_roster",
    "seed_demo",
    "seed_tutor_activity",
]

DEMO_SCHOOL_NAME = "OBS De Maasbrug (demo)"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str  # public: demo only
    role: StaffRole
    display_name: str
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoSeedReport:
    school_id: int
    school_created: bool
    roster: ImportReport | None  # None when the school already had pupils
    accounts_created: tuple[str, ...]


def demo_accounts() -> tuple[DemoAccount, ...]:
    """The demo logins, for printing (``peermatch demo``) and for the app's login hint."""
    return (
        DemoAccount("beheer", "demo-beheer-2026", StaffRole.BEHEERDER, "Beheerder (demo)"),
        DemoAccount("ib", "demo-ib-maasbrug", StaffRole.IB, "Intern begeleider (demo)"),
        DemoAccount("juf.fatima", "demo-fatima-2026", StaffRole.LEERKRACHT, "Juf Fatima (demo)", ("5A", "7A")),
    )


def rows_to_roster(rows: Sequence[Mapping[str, str]], filename: str = "demo_school.csv") -> Roster:
    """Rows as ``peermatch.demo.generate_school`` makes them, through the real roster reader."""
    from peermatch.roster import read_roster  # the reader is only needed when rows are given

    if not rows:
        raise ValueError("no rows: a demo school needs pupils")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return read_roster(buffer.getvalue().encode("utf-8"), filename=filename)


def _group_ids(session: Session, school_id: int, names: Sequence[str]) -> list[int]:
    ids = []
    for name in names:
        group = session.scalar(sa.select(Group).where(Group.school_id == school_id, Group.name == name))
        if group is None:
            group = Group(school_id=school_id, name=name, grade=int(name[0]) if name[:1].isdigit() else None)
            session.add(group)
            session.flush()
        ids.append(group.id)
    return ids


def _ensure_account(session: Session, school_id: int, account: DemoAccount) -> tuple[User, bool]:
    user = session.scalar(sa.select(User).where(User.username == account.username))
    if user is not None:
        if user.school_id != school_id:
            raise ConflictError(Problem("auth.username.taken", value=account.username))
        return user, False
    info = bootstrap_user(
        session,
        school_id,
        username=account.username,
        display_name=account.display_name,
        password=account.password,
        role=account.role,
        group_ids=_group_ids(session, school_id, account.groups),
    )
    created = session.get(User, info.id)
    assert created is not None
    return created, True


def _seed(session: Session, roster: Roster, measured_on: date | None) -> DemoSeedReport:
    found = find_school(session, DEMO_SCHOOL_NAME)
    school = found or create_school(session, DEMO_SCHOOL_NAME)
    admin_account, *others = demo_accounts()
    admin, admin_created = _ensure_account(session, school.id, admin_account)
    created = [admin_account.username] if admin_created else []
    report = None
    if session.scalar(sa.select(Pupil.id).where(Pupil.school_id == school.id).limit(1)) is None:
        actor = AuthenticatedUser(admin.id, school.id, admin.username, admin.display_name, admin.role)
        day = measured_on or roster.reference_date or date.today()
        report = import_roster(session, school.id, roster, measured_on=day, source=roster.source, actor=actor)
    for account in others:
        if _ensure_account(session, school.id, account)[1]:
            created.append(account.username)
    return DemoSeedReport(school.id, found is None, report, tuple(created))


def seed_demo(
    target: Session | Engine | str | None,
    roster_or_rows: Roster | Sequence[Mapping[str, str]],
    *,
    measured_on: date | None = None,
    tutor_activity: bool = False,
) -> DemoSeedReport:
    """Create the demo school, its pupils and the demo accounts, unless they already exist.

    ``tutor_activity`` (``peermatch seed-demo`` sets it) also adds a published reading programme
    7A -> 5A with login codes, training attempts and check-ins: see :func:`seed_tutor_activity`.

    ``target`` is an open Session (the caller commits), or an Engine / URL / None (default database),
    which is first migrated to the newest schema and then seeded in one transaction.
    """
    roster = roster_or_rows if isinstance(roster_or_rows, Roster) else rows_to_roster(roster_or_rows)
    if isinstance(target, Session):
        report = _seed(target, roster, measured_on)
        if tutor_activity:
            seed_tutor_activity(target, report.school_id)
        return report
    engine = target if isinstance(target, Engine) else make_engine(target)
    try:
        migrate.upgrade(engine)
        with unit_of_work(session_factory(engine)) as session:
            report = _seed(session, roster, measured_on)
            if tutor_activity:
                seed_tutor_activity(session, report.school_id)
            return report
    finally:
        if not isinstance(target, Engine):
            engine.dispose()


# --- tutors: a published programme, login codes, training attempts and check-ins ----------------------

DEMO_PROGRAMME_NAME = "Leesmaatjes 7A -> 5A (demo)"
DEMO_CLASS_CODE = "MAAS7A"  # public: demo only
_DEMO_SALT = "6d61617362727567206465206d6f2121"  # fixed, so the printed demo codes always work
_DEMO_PAIRS = 12
_CHECKIN_WEEKS = 3


@dataclass(frozen=True)
class DemoPupilLogin:
    """A demo tutor's login card: the plain codes are public (demo only)."""

    first_name: str
    class_code: str
    personal_code: str
    note: str  # what the demo shows with this tutor


_DEMO_LOGINS = (  # (personal code, note); given to the first tutors of the demo pairs, by first name
    ("ZEBRA", "nog geen training: doe de modules en haal je tutorbewijs"),
    ("TAART", "klaar om te starten: alle kernmodules gehaald, check-ins"),
    ("KWAST", "loopt vast op een quizvraag"),
)


def demo_pupil_logins(session: Session) -> tuple[DemoPupilLogin, ...]:
    """The demo tutors with a fixed login code (after :func:`seed_tutor_activity`)."""
    school = find_school(session, DEMO_SCHOOL_NAME)
    if school is None:
        return ()
    tutors = _demo_tutors(session, school.id)
    return tuple(
        DemoPupilLogin(pupil.first_name, DEMO_CLASS_CODE, code, note)
        for pupil, (code, note) in zip(tutors, _DEMO_LOGINS, strict=False)
    )


def _demo_tutors(session: Session, school_id: int) -> list[Pupil]:
    from peermatch.storage.enums import PairStatus
    from peermatch.storage.models import MatchingRun, Pair, Programme

    tutors = session.scalars(
        sa.select(Pupil)
        .join(Pair, Pair.tutor_id == Pupil.id)
        .join(MatchingRun, MatchingRun.id == Pair.run_id)
        .join(Programme, Programme.id == MatchingRun.programme_id)
        .where(Programme.school_id == school_id, Programme.name == DEMO_PROGRAMME_NAME)
        .where(Pair.status == PairStatus.ACTIVE)
        .order_by(Pair.id)
    )
    chosen: dict[str, Pupil] = {}  # different first names, so the printed demo logins are easy to tell apart
    for pupil in tutors:
        chosen.setdefault(pupil.first_name, pupil)
    return list(chosen.values())[: len(_DEMO_LOGINS)]


def seed_tutor_activity(session: Session, school_id: int, *, today: date | None = None) -> bool:
    """A published reading programme 7A -> 5A (started three weeks ago), fixed login codes for three
    demo tutors (class code ``DEMO_CLASS_CODE``), training attempts (some tutors ready, one stuck on a
    quiz question) and three weeks of check-ins (two with the worry signal). Does nothing when the
    demo programme exists already; returns whether it seeded."""
    from datetime import time, timedelta

    from peermatch.checkins import CheckInForm, SessionStatus, new_submission_id
    from peermatch.model import Subject
    from peermatch.pupil_auth import AuthenticatedPupil, hash_personal_code
    from peermatch.storage.checkin_store import submit_checkin
    from peermatch.storage.models import GroupLoginCode, Programme, PupilCredential
    from peermatch.storage.programmes import Moment, ProgrammeSpec, create_programme
    from peermatch.storage.runs import PairDraft, publish_run, save_run
    from peermatch.storage.training_store import record_attempt
    from peermatch.training import load_modules

    if session.scalar(sa.select(Programme.id).where(Programme.school_id == school_id,
                                                    Programme.name == DEMO_PROGRAMME_NAME)) is not None:  # fmt: skip
        return False
    groups = {g.name: g for g in session.scalars(sa.select(Group).where(Group.school_id == school_id))}
    if "7A" not in groups or "5A" not in groups:
        return False
    admin = session.scalar(sa.select(User).where(User.school_id == school_id, User.role == StaffRole.BEHEERDER))
    if admin is None:
        return False
    actor = AuthenticatedUser(admin.id, school_id, admin.username, admin.display_name, admin.role)
    day = today or date.today()
    start = day - timedelta(weeks=_CHECKIN_WEEKS)
    spec = ProgrammeSpec(
        name=DEMO_PROGRAMME_NAME,
        subject=Subject.LEZEN,
        tutor_group_ids=(groups["7A"].id,),
        tutee_group_ids=(groups["5A"].id,),
        moments=(Moment(start.isoweekday(), time(10, 30), time(11, 0)),),
        start_date=start,
        weeks=10,
    )
    programme = create_programme(session, actor, school_id, spec)

    def pupils_of(name: str) -> list[Pupil]:
        query = sa.select(Pupil).where(Pupil.group_id == groups[name].id, Pupil.active)
        return list(session.scalars(query.order_by(Pupil.first_name, Pupil.id)))

    tutees = pupils_of("5A")[::-1]  # not alphabet against alphabet: no "Amira tutors Amira" in the demo
    drafts = [PairDraft(a.pupil_number, b.pupil_number) for a, b in zip(pupils_of("7A"), tutees, strict=False)]
    run = save_run(session, actor, programme.id, drafts[:_DEMO_PAIRS], rules={})
    publish_run(session, actor, run.id, on=start)

    tutors = _demo_tutors(session, school_id)
    row = session.get(GroupLoginCode, groups["7A"].id)
    if row is None:
        row = GroupLoginCode(group_id=groups["7A"].id, school_id=school_id, class_code=DEMO_CLASS_CODE,
                             code_kind="text", salt=_DEMO_SALT)  # fmt: skip
        session.add(row)
        session.flush()
        for pupil, (code, _) in zip(tutors, _DEMO_LOGINS, strict=False):
            session.add(PupilCredential(pupil_id=pupil.id, school_id=school_id, group_id=groups["7A"].id,
                                        code_hash=hash_personal_code(code, row.salt)))  # fmt: skip
        session.flush()

    # Training: the fresh demo tutor has none; most others are ready; two are stuck on a quiz question.
    modules = load_modules("nl")
    core = modules.core_for(Subject.LEZEN)
    others = sorted((p for p in _active_tutors(session, run.id) if p.id not in {t.id for t in tutors}),
                    key=lambda p: (p.first_name, p.id))  # fmt: skip
    ordered = tutors + others
    for index, pupil in enumerate(ordered[1:], start=1):
        me = AuthenticatedPupil(pupil.id, school_id, groups["7A"].id, pupil.first_name, "7A")
        stuck = index in (2, 5)
        partial = index % 4 == 3
        for n, module in enumerate(core):
            if partial and n >= len(core) // 2:
                break
            taken = start - timedelta(days=7 - min(n, 6))
            right = {q.id: q.answer for q in module.quiz}
            if stuck and n == 2:  # wrong twice on the first two questions: not passed, stuck there
                wrong = {q.id: next(c.id for c in q.choices if c.id != q.answer) for q in module.quiz[:2]}
                record_attempt(session, me, module, {**right, **wrong}, today=taken)
                record_attempt(session, me, module, {**right, **wrong}, today=taken)
                break
            record_attempt(session, me, module, right, today=taken)

    # Check-ins: one per pair per week (the tutors who trained), two with the worry signal.
    from peermatch.storage.pupil_login import own_pairs

    worries = {(1, 1): "Mijn maatje zegt dat hij thuis niet mag lezen en hij was heel stil.",
               (4, 2): "Ze huilde een beetje omdat anderen haar uitlachen op het plein."}  # fmt: skip
    for index, pupil in enumerate(ordered[1:], start=1):
        me = AuthenticatedPupil(pupil.id, school_id, groups["7A"].id, pupil.first_name, "7A")
        for pair in own_pairs(session, me):
            for week in range(_CHECKIN_WEEKS):
                when = start + timedelta(weeks=week)
                if when > day:
                    continue
                worry = worries.get((index, week), "")
                absent = (index + week) % 7 == 0
                form = CheckInForm(
                    submission_id=new_submission_id(),
                    pair_id=pair.pair_id,
                    session_date=when,
                    status=SessionStatus.TUTEE_ABSENT if absent else SessionStatus.HELD,
                    minutes=None if absent else 25 + (index + week) % 3 * 5,
                    activity="" if absent else f"Boek: De Gorgels, blz. {10 + 4 * week}-{13 + 4 * week}",
                    tutor_mood=2 if worry else 3 + (index + week) % 3,
                    went_well="" if absent else "Het ging goed toen we samen hardop lazen.",
                    was_hard="" if absent else "Het was lastig toen er moeilijke woorden kwamen.",
                    try_next="" if absent else "De volgende keer ga ik eerst 5 tellen wachten.",
                    needs_help=bool(worry) or (index + week) % 5 == 0,
                    worry=bool(worry),
                    worry_text=worry,
                    tutee_fun=None if absent else 3 + (index + 2 * week) % 3,
                    tutee_learned=None if absent else 3 + (index + week) % 3,
                )
                submit_checkin(session, me, form, today=day)
    return True


def _active_tutors(session: Session, run_id: int) -> list[Pupil]:
    from peermatch.storage.models import Pair

    return list(session.scalars(sa.select(Pupil).join(Pair, Pair.tutor_id == Pupil.id).where(Pair.run_id == run_id)))
