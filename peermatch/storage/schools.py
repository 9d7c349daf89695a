"""Schools: the tenants. Deleting a school deletes everything of it, for real (ON DELETE CASCADE)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, require_role, require_school
from peermatch.errors import InvalidInputError, Problem
from peermatch.storage.access import get_school
from peermatch.storage.enums import StaffRole
from peermatch.storage.models import School

__all__ = ["SchoolInfo", "create_school", "delete_school", "demo_closed", "find_school", "school_info"]


@dataclass(frozen=True)
class SchoolInfo:
    id: int
    name: str


def create_school(session: Session, name: str, *, demo: bool = False) -> SchoolInfo:
    """A new school (for trusted code: the CLI, the demo seed; there is no acting user yet). ``demo``: the
    demo school, whose public accounts stop logging in once a real school exists (:func:`demo_closed`)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInputError(Problem("storage.school.name", value=name))
    school = School(name=name, demo=demo)
    session.add(school)
    session.flush()
    return SchoolInfo(school.id, school.name)


def find_school(session: Session, name: str) -> SchoolInfo | None:
    """The first school with exactly this name (trusted code only)."""
    school = session.scalar(sa.select(School).where(School.name == name.strip()).order_by(School.id).limit(1))
    return SchoolInfo(school.id, school.name) if school else None


def demo_closed(session: Session, school_id: int, demo_allowed: bool) -> bool:
    """True when ``school_id`` is the demo school, a real school exists too, and ``PEERMATCH_DEMO=1`` is not
    set (``demo_allowed``): then the demo's public accounts and pupil cards must not log in."""
    if demo_allowed:
        return False
    school = session.get(School, school_id)
    if school is None or not school.demo:
        return False
    return session.scalar(sa.select(School.id).where(School.demo.is_(False)).limit(1)) is not None


def school_info(session: Session, actor: AuthenticatedUser, school_id: int) -> SchoolInfo:
    require_school(actor, school_id)
    school = get_school(session, school_id)
    return SchoolInfo(school.id, school.name)


def delete_school(session: Session, actor: AuthenticatedUser, school_id: int) -> None:
    """Delete the school and all its data: groups, pupils, levels, programmes, runs, accounts, audit log."""
    require_school(actor, school_id)
    require_role(actor, StaffRole.BEHEERDER)
    get_school(session, school_id)
    session.execute(sa.delete(School).where(School.id == school_id))
    session.expunge_all()  # what the database cascaded away must not linger in this session
