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
from peermatch.demo_school.activity import (
    DEMO_CLASS_CODE,
    DEMO_LOGINS,
    DEMO_PROGRAMME_NAME,
    demo_level_date,
    demo_login_tutors,
    seed_tutor_activity,
)
from peermatch.errors import ConflictError, Problem
from peermatch.model import Roster
from peermatch.roster import read_roster
from peermatch.services.accounts import new_account_in
from peermatch.storage import migrate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.enums import StaffRole
from peermatch.storage.importing import ImportReport, import_roster
from peermatch.storage.models import Group, PupilRow, User
from peermatch.storage.schools import create_school, find_school

__all__ = [
    "DEMO_CLASS_CODE",
    "DEMO_PROGRAMME_NAME",
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
    created = new_account_in(
        session,
        school_id,
        username=account.username,
        display_name=account.display_name,
        password=account.password,
        role=account.role,
        group_ids=_group_ids(session, school_id, account.groups),
    )
    return created, True


def _seed(session: Session, roster: Roster, measured_on: date | None) -> DemoSeedReport:
    found = find_school(session, DEMO_SCHOOL_NAME)
    school = found or create_school(session, DEMO_SCHOOL_NAME, demo=True)
    admin_account, *others = demo_accounts()
    admin, admin_created = _ensure_account(session, school.id, admin_account)
    created = [admin_account.username] if admin_created else []
    report = None
    if session.scalar(sa.select(PupilRow.id).where(PupilRow.school_id == school.id).limit(1)) is None:
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
    7A -> 5A with login codes, training attempts, check-ins and a new AVI round: see
    :mod:`peermatch.demo_school.activity`. The first levels are then dated before the programme's start.

    ``target`` is an open Session (the caller commits), or an Engine / URL / None (default database),
    which is first migrated to the newest schema and then seeded in one transaction.
    """
    roster = roster_or_rows if isinstance(roster_or_rows, Roster) else rows_to_roster(roster_or_rows)
    if tutor_activity and measured_on is None:  # the first levels come before the programme's start
        measured_on = demo_level_date(date.today())

    def seed(session: Session) -> DemoSeedReport:
        report = _seed(session, roster, measured_on)
        if tutor_activity:
            seed_tutor_activity(session, report.school_id)
        return report

    if isinstance(target, Session):
        return seed(target)
    engine = target if isinstance(target, Engine) else make_engine(target)
    try:
        migrate.upgrade(engine)
        with unit_of_work(session_factory(engine)) as session:
            return seed(session)
    finally:
        if not isinstance(target, Engine):
            engine.dispose()


# --- tutors: the demo tutors' login cards (the programme itself: ``activity``) ---------------------


@dataclass(frozen=True)
class DemoPupilLogin:
    """A demo tutor's login card: the plain codes are public (demo only)."""

    first_name: str
    class_code: str
    number: int  # the number on the card (1, 2, 3)
    personal_code: str
    note: str  # what the demo shows with this tutor


def demo_pupil_logins(session: Session) -> tuple[DemoPupilLogin, ...]:
    """The demo tutors with a fixed login code (after :func:`seed_tutor_activity`)."""
    school = find_school(session, DEMO_SCHOOL_NAME)
    if school is None:
        return ()
    tutors = demo_login_tutors(session, school.id)
    return tuple(
        DemoPupilLogin(pupil.first_name, DEMO_CLASS_CODE, number, code, note)
        for number, (pupil, (code, note)) in enumerate(zip(tutors, DEMO_LOGINS, strict=False), start=1)
    )
