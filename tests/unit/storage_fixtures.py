"""Shared fixtures and builders for the storage and auth tests.

``backend`` is parametrised over SQLite (a file in tmp_path) and PostgreSQL (the throwaway server from
``pg.py``), so every test using ``db_url`` (a new database without tables), ``engine`` or ``factory``
(an empty database at head: on SQLite a copy of a file migrated once per run; on PostgreSQL one
database migrated once per run and emptied after each test) runs on both.
Import the fixtures you use into the test module: ``from storage_fixtures import backend, engine, factory``
and name them in its ``__all__``.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pg
import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from peermatch import model
from peermatch.auth import AuthenticatedUser, hash_password
from peermatch.levels import parse_maths, parse_reading
from peermatch.model import Role
from peermatch.storage import migrate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.enums import StaffRole
from peermatch.storage.importing import import_roster
from peermatch.storage.models import Base, Group, School, User, UserGroup

__all__ = [
    "PASSWORD",
    "WORLD_ROSTER",
    "World",
    "backend",
    "build_world",
    "db_url",
    "engine",
    "factory",
    "insert_school_0001",
    "make_pupil",
    "make_roster",
    "row_count",
]

PASSWORD = "correct horse battery"


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@cache
def _sqlite_template() -> Path:
    path = Path(tempfile.mkdtemp(prefix="peermatch-template-")) / "template.db"
    migrate.upgrade(f"sqlite:///{path}")  # the engine is disposed, so the WAL is checkpointed into the file
    atexit.register(shutil.rmtree, path.parent, True)
    return path


@cache
def _pg_migrated() -> str:
    """One database at head for the whole run; emptied after every test (much faster than a new one)."""
    _, url = pg.require_server().create_database()
    migrate.upgrade(url)
    return url


def _empty_all_tables(url: str) -> None:
    cleaner = make_engine(url)
    try:
        with cleaner.begin() as connection:
            connection.exec_driver_sql(  # a failed test may have left a session open: it must not block us
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        cleaner.dispose()


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path}/peermatch.db"
        return
    server = pg.require_server()
    name, url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(name)


@pytest.fixture
def engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database at the newest schema."""
    if backend == "sqlite":
        path = tmp_path / "peermatch.db"
        shutil.copyfile(_sqlite_template(), path)
        url = f"sqlite:///{path}"
    else:
        url = _pg_migrated()
    made = make_engine(url)
    try:
        yield made
    finally:
        made.dispose()
        if backend != "sqlite":
            _empty_all_tables(url)


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


def make_pupil(
    number: str,
    first_name: str,
    group: str,
    *,
    reading: str | None = "M5",
    maths: str | None = "M5",
    role: Role = Role.OPEN,
    birth_date: date | None = date(2015, 3, 1),
    not_with: tuple[str, ...] = (),
    last_name: str = "Jansen",
) -> model.Pupil:
    return model.Pupil(
        pupil_id=number,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        group=group,
        grade=int(group[0]) if group[:1].isdigit() else None,
        reading=parse_reading(reading) if reading else None,
        maths=parse_maths(maths) if maths else None,
        role=role,
        motivation=3,
        not_with=frozenset(not_with),
    )


def make_roster(*pupils: model.Pupil, source: str = "klas.csv") -> model.Roster:
    return model.Roster(pupils=tuple(pupils), source=source)


def row_count(session: Session, table: type[object]) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(table)) or 0


@cache
def _fast_hash() -> str:
    return hash_password(PASSWORD)


def _user(session: Session, school_id: int, username: str, role: StaffRole, groups: list[int]) -> AuthenticatedUser:
    user = User(school_id=school_id, username=username, display_name=username, password_hash=_fast_hash(), role=role)
    session.add(user)
    session.flush()
    session.add_all(UserGroup(user_id=user.id, group_id=g) for g in groups)
    session.flush()
    return AuthenticatedUser(user.id, school_id, username, username, role, frozenset(groups))


@dataclass(frozen=True)
class World:
    """Two schools. School 1 has groups 5A, 5B, 7A, 7B with pupils; school 2 has one group 5A."""

    school_id: int
    other_school_id: int
    groups: dict[str, int]
    other_group_id: int
    beheerder: AuthenticatedUser
    ib: AuthenticatedUser
    juf: AuthenticatedUser  # leerkracht of 5A and 7A
    meester: AuthenticatedUser  # leerkracht of 5B and 7B
    other_ib: AuthenticatedUser  # ib of school 2


WORLD_ROSTER = (
    make_pupil("0101", "Daan", "5A", reading="E3", maths="M4", role=Role.TUTEE, birth_date=date(2016, 5, 1)),
    make_pupil("0102", "Emma", "5A", reading="M4", maths="E3", role=Role.TUTEE, birth_date=date(2016, 2, 1)),
    make_pupil("0201", "Sem", "5B", reading="M3", maths="M4", role=Role.TUTEE, birth_date=date(2016, 7, 1)),
    make_pupil("0301", "Noor", "7A", reading="E6", maths="M7", role=Role.TUTOR, birth_date=date(2014, 1, 1),
               not_with=("0102",)),
    make_pupil("0302", "Fatima", "7A", reading="M7", maths="E6", role=Role.TUTOR, birth_date=date(2014, 3, 1)),
    make_pupil("0401", "Liam", "7B", reading="E5", maths="M6", role=Role.TUTOR, birth_date=date(2014, 6, 1)),
)  # fmt: skip


def build_world(factory: sessionmaker[Session], *, measured_on: date = date(2025, 10, 1)) -> World:
    with unit_of_work(factory) as session:
        school, other = School(name="OBS Test"), School(name="OBS Elders")
        session.add_all([school, other])
        session.flush()
        beheerder = _user(session, school.id, "beheer", StaffRole.BEHEERDER, [])
        import_roster(session, school.id, make_roster(*WORLD_ROSTER), measured_on=measured_on, actor=beheerder)
        groups = {g.name: g.id for g in session.scalars(sa.select(Group).where(Group.school_id == school.id))}
        other_group = Group(school_id=other.id, name="5A", grade=5)
        session.add(other_group)
        session.flush()
        other_ib = _user(session, other.id, "ib.elders", StaffRole.IB, [])
        import_roster(
            session, other.id, make_roster(make_pupil("0101", "Anders", "5A")), measured_on=measured_on, actor=other_ib
        )
        return World(
            school_id=school.id,
            other_school_id=other.id,
            groups=groups,
            other_group_id=other_group.id,
            beheerder=beheerder,
            ib=_user(session, school.id, "ib", StaffRole.IB, []),
            juf=_user(session, school.id, "juf", StaffRole.LEERKRACHT, [groups["5A"], groups["7A"]]),
            meester=_user(session, school.id, "meester", StaffRole.LEERKRACHT, [groups["5B"], groups["7B"]]),
            other_ib=other_ib,
        )


def insert_school_0001(session: Session, name: str) -> int:
    """A school inserted with the columns of revision 0001 only (today's model has more, e.g. 0011's ``demo``),
    for the tests that fill a database at an old revision; returns its id."""
    table = sa.table("schools", sa.column("id"), sa.column("name"), sa.column("created_at"))
    return int(
        session.execute(sa.insert(table).values(name=name, created_at=sa.func.now()).returning(table.c.id)).scalar_one()
    )


def insert_pupils_0001(session: Session, school_id: int, group_ids: list[int | None], numbers: range) -> list[int]:
    """Pupils inserted with the columns of revision 0001 only (today's model has more, e.g. 0008's ``left_on``),
    for the tests that fill a database at an old revision; returns their ids in ``numbers`` order."""
    now = sa.func.now()
    table = sa.table("pupils", *(sa.column(n) for n in ("id", "school_id", "pupil_number", "first_name", "prefix",
                                                          "last_name", "group_id", "role", "active", "created_at",
                                                          "updated_at")))  # fmt: skip
    values = {"school_id": school_id, "prefix": "", "last_name": "", "role": "", "active": True, "created_at": now,
              "updated_at": now}  # fmt: skip
    rows = [{**values, "pupil_number": f"{n:04d}", "first_name": f"Kind {n}", "group_id": g}
            for n, g in zip(numbers, group_ids, strict=True)]  # fmt: skip
    return [session.execute(sa.insert(table).values(row).returning(table.c.id)).scalar_one() for row in rows]
