"""Onboarding a real school: the school and its first beheerder, for the command line (``peermatch create-school``).

Trusted code without an acting user, like the demo seed. One transaction: the school, the beheerder with a
generated password (shown once by the caller, never stored in plain; ``must_change_password``, so the first
login asks for one of their own), and an audit entry. Once a real school exists, the demo school's public
accounts stop logging in (``peermatch.storage.schools.demo_closed``) unless ``PEERMATCH_DEMO=1``.
"""

from __future__ import annotations

from dataclasses import dataclass

from peermatch.auth import StaffRole, generate_password
from peermatch.errors import InvalidInputError, Problem
from peermatch.services.accounts import new_account_in
from peermatch.services.database import Database
from peermatch.storage import audit, schools
from peermatch.vocabulary import AuditAction

__all__ = ["NewSchool", "create_school_with_beheerder"]


@dataclass(frozen=True)
class NewSchool:
    school_id: int
    school_name: str
    username: str
    password: str  # generated; exists only here, to be shown once


def create_school_with_beheerder(db: Database, name: str, username: str, display_name: str = "") -> NewSchool:
    """A new school with its first beheerder (a generated password that must be changed at the first login).

    Refuses (``InvalidInputError``, nothing written) a school name that is already in use (the CLI's other
    commands find a school by its name) and, as every account does, a username that is taken or malformed."""
    password = generate_password()
    with db.write() as session:
        if schools.find_school(session, name) is not None:
            raise InvalidInputError(Problem("onboarding.school_exists", value=" ".join(name.split())))
        school = schools.create_school(session, name)
        user = new_account_in(
            session,
            school.id,
            username=username,
            display_name=display_name or username,
            password=password,
            role=StaffRole.BEHEERDER,
            group_ids=(),
            must_change_password=True,
        )
        audit.record(session, None, school.id, AuditAction.CREATE, "school", school.id, user_id=user.id)
        audit.record(session, None, school.id, AuditAction.CREATE, "user", user.id, user_id=user.id)
        return NewSchool(school.id, school.name, user.username, password)
