"""The demo school: a synthetic roster, one account per role, and seeding twice changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory, make_pupil, make_roster

from peermatch.demo_school.seed import DEMO_SCHOOL_NAME, demo_accounts, rows_to_roster, seed_demo
from peermatch.model import Role
from peermatch.services import Database
from peermatch.services.login import authenticate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.enums import StaffRole
from peermatch.storage.models import AuditLog, Base, Group, PupilRow
from peermatch.storage.pupils import list_groups

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

DEMO_ROSTER = make_roster(
    *(make_pupil(f"5{n:03d}", f"Tutee{n}", "5A", reading="M4", role=Role.TUTEE) for n in range(6)),
    *(make_pupil(f"6{n:03d}", f"Kind{n}", "6A") for n in range(3)),
    *(make_pupil(f"7{n:03d}", f"Tutor{n}", "7A", reading="E6", role=Role.TUTOR) for n in range(6)),
    source="demo.csv",
)


def _counts(session: Session) -> dict[str, int]:
    return {
        name: session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
        for name, table in Base.metadata.tables.items()
    }


def test_the_demo_accounts_cover_every_school_role_and_juf_fatima_teaches_5a_and_7a() -> None:
    accounts = {a.username: a for a in demo_accounts()}
    # the board coordinator is above schools: `peermatch create-board` makes that account, not the demo school
    assert {a.role for a in accounts.values()} == set(StaffRole) - {StaffRole.BOVENSCHOOLS}
    assert accounts["juf.fatima"].groups == ("5A", "7A")
    assert all(len(a.password) >= 12 for a in accounts.values())


def test_seeding_creates_the_demo_school_with_pupils_and_working_logins(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        report = seed_demo(session, DEMO_ROSTER, measured_on=date(2025, 10, 1))
    assert report.school_created
    assert report.roster is not None
    assert report.roster.pupils_created == 15
    assert report.accounts_created == ("beheer", "ib", "juf.fatima")
    for account in demo_accounts():
        user = authenticate(Database(factory), account.username, account.password)
        assert user is not None, account.username
        assert (user.school_id, user.role) == (report.school_id, account.role)
    fatima = authenticate(Database(factory), "juf.fatima", "demo-fatima-2026")
    assert fatima is not None
    with unit_of_work(factory) as session:
        assert [g.name for g in list_groups(session, fatima, report.school_id)] == ["5A", "7A"]
        imported_by = session.scalar(sa.select(AuditLog.user_id).where(AuditLog.action == "import"))
        assert imported_by is not None


def test_seeding_twice_changes_nothing(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        first = seed_demo(session, DEMO_ROSTER, measured_on=date(2025, 10, 1))
    with unit_of_work(factory, read_only=True) as session:
        before = _counts(session)
    with unit_of_work(factory) as session:
        again = seed_demo(session, DEMO_ROSTER, measured_on=date(2026, 2, 1))
    with unit_of_work(factory, read_only=True) as session:
        assert _counts(session) == before
    assert (again.school_id, again.school_created, again.roster, again.accounts_created) == (
        first.school_id, False, None, (),
    )  # fmt: skip


def test_seeding_a_url_migrates_the_database_first(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/demo.db"
    report = seed_demo(url, DEMO_ROSTER, measured_on=date(2025, 10, 1))
    made: Engine = make_engine(url)
    with unit_of_work(session_factory(made), read_only=True) as session:
        assert session.scalar(sa.select(sa.func.count()).where(PupilRow.school_id == report.school_id)) == 15
    made.dispose()


def test_the_generated_demo_school_goes_through_the_real_roster_reader_into_the_database(
    factory: sessionmaker[Session],
) -> None:
    pytest.importorskip("peermatch.roster", reason="the roster reader is not there yet")
    from peermatch.demo import generate_school

    rows = generate_school(200, seed=2026, today=date(2025, 10, 1))
    roster = rows_to_roster(rows)
    assert roster.errors == ()
    with unit_of_work(factory) as session:
        report = seed_demo(session, rows, measured_on=date(2025, 10, 1))
    assert report.roster is not None
    assert report.roster.pupils_created == 200
    with unit_of_work(factory, read_only=True) as session:
        names = set(session.scalars(sa.select(Group.name).where(Group.school_id == report.school_id)))
        assert {"5A", "7A"} <= names
        school = session.scalar(sa.select(sa.func.count()).where(PupilRow.school_id == report.school_id))
        assert school == 200
    assert DEMO_SCHOOL_NAME == "OBS De Maasbrug (demo)"
