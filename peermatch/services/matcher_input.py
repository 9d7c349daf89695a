"""What the matcher gets for a stored programme: its pupils, its rules, and the teacher's pins and forbids.

Building blocks for the matching services (inside their one transaction), not use cases of their own.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.model import Pupil
from peermatch.pairing import PairIds, rules_for
from peermatch.rules import Rules
from peermatch.services.pupils import to_model_pupils
from peermatch.storage.constraints import list_constraints
from peermatch.storage.programmes import ProgrammeInfo
from peermatch.storage.pupils import list_groups
from peermatch.vocabulary import ConstraintKind

__all__ = ["Constraints", "constraints_of", "pupils_and_rules"]

Constraints = tuple[list[PairIds], list[PairIds]]  # (pins, forbids), by pupil numbers


def pupils_and_rules(
    session: Session, actor: AuthenticatedUser, programme: ProgrammeInfo, *, reference_date: date | None = None
) -> tuple[list[Pupil], Rules]:
    """The programme's tutor and tutee groups as the matcher's pupils, and its stored rules as ``Rules``."""
    spec = programme.spec
    names = {g.id: g.name for g in list_groups(session, actor, actor.school_id)}
    pupils = to_model_pupils(session, actor, actor.school_id, [*spec.tutor_group_ids, *spec.tutee_group_ids])
    rules = rules_for(spec.subject, spec.rules, [names[g] for g in spec.tutor_group_ids],
                      [names[g] for g in spec.tutee_group_ids], reference_date=reference_date)  # fmt: skip
    return list(pupils), rules


def constraints_of(session: Session, actor: AuthenticatedUser, programme_id: int) -> Constraints:
    """The programme's pins and forbids as ``(tutor number, tutee number)`` pairs: ``(pins, forbids)``."""
    constraints = list_constraints(session, actor, programme_id)
    pins = [(c.tutor_number, c.tutee_number) for c in constraints if c.kind is ConstraintKind.PIN]
    forbids = [(c.tutor_number, c.tutee_number) for c in constraints if c.kind is ConstraintKind.FORBID]
    return pins, forbids
