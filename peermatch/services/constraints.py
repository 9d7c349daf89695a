"""A teacher's pins and forbids per programme: the next run keeps the pins and never makes a forbidden pair."""

from __future__ import annotations

from peermatch.auth import AuthenticatedUser
from peermatch.services.database import Database
from peermatch.storage import constraints
from peermatch.storage.constraints import ConstraintInfo
from peermatch.vocabulary import ConstraintKind

__all__ = ["ConstraintInfo", "list_constraints", "remove_constraint", "set_constraint"]


def list_constraints(db: Database, actor: AuthenticatedUser, programme_id: int) -> list[ConstraintInfo]:
    """Every pin and forbid of the programme, by tutor and tutee number."""
    with db.read() as session:
        return constraints.list_constraints(session, actor, programme_id)


def set_constraint(
    db: Database,
    actor: AuthenticatedUser,
    programme_id: int,
    tutor_number: str,
    tutee_number: str,
    kind: ConstraintKind,
) -> ConstraintInfo:
    """Pin or forbid the pair (pupil numbers); a pin replaces a forbid of the same pair and vice versa."""
    with db.write() as session:
        return constraints.set_constraint(session, actor, programme_id, tutor_number, tutee_number, kind)


def remove_constraint(
    db: Database, actor: AuthenticatedUser, programme_id: int, tutor_number: str, tutee_number: str
) -> bool:
    """Drop the pin or forbid of the pair; False when there was none."""
    with db.write() as session:
        return constraints.remove_constraint(session, actor, programme_id, tutor_number, tutee_number)
