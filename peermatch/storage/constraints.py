"""A teacher's pins and forbids per programme: kept across re-runs, so a re-run re-optimises only the rest."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from peermatch.auth import AuthenticatedUser
from peermatch.errors import ConflictError, InvalidInputError, Problem
from peermatch.storage import audit
from peermatch.storage.access import load_programme, not_found
from peermatch.storage.enums import AuditAction, ConstraintKind
from peermatch.storage.models import MatchingRun, PairConstraint, PairRow, Programme, PupilRow
from peermatch.storage.runs import running_pair_ids

__all__ = ["ConstraintInfo", "list_constraints", "remove_constraint", "set_constraint"]


@dataclass(frozen=True)
class ConstraintInfo:
    id: int
    programme_id: int
    tutor_number: str
    tutee_number: str
    kind: ConstraintKind


def _pupil_id(session: Session, programme: Programme, number: str, group_ids: set[int]) -> int:
    pupil_id = session.scalar(
        sa.select(PupilRow.id).where(
            PupilRow.school_id == programme.school_id, PupilRow.pupil_number == number, PupilRow.group_id.in_(group_ids)
        )
    )
    if pupil_id is None:
        raise not_found("pupil", number)
    return pupil_id


def _ids(session: Session, programme: Programme, tutor: str, tutee: str) -> tuple[int, int]:
    if tutor == tutee:
        raise InvalidInputError(Problem("storage.constraint.same_pupil", value=tutor))
    tutor_id = _pupil_id(session, programme, tutor, {g.id for g in programme.tutor_groups})
    tutee_id = _pupil_id(session, programme, tutee, {g.id for g in programme.tutee_groups})
    return tutor_id, tutee_id


def set_constraint(
    session: Session, actor: AuthenticatedUser, programme_id: int, tutor: str, tutee: str, kind: ConstraintKind
) -> ConstraintInfo:
    """Pin or forbid the pair (pupil numbers); a pin replaces a forbid of the same pair and vice versa.

    A pair that runs (active in the published run) cannot be forbidden: ``ConflictError`` asks to end it
    first, so a forbidden pair is never active.
    """
    programme = load_programme(session, actor, programme_id)
    tutor_id, tutee_id = _ids(session, programme, tutor, tutee)
    if kind is ConstraintKind.FORBID and _runs(session, programme.id, tutor_id, tutee_id):
        query = sa.select(PupilRow.id, PupilRow.first_name).where(PupilRow.id.in_((tutor_id, tutee_id)))
        first = {pupil_id: name for pupil_id, name in session.execute(query)}
        names = {"tutor": first.get(tutor_id) or tutor, "tutee": first.get(tutee_id) or tutee}
        raise ConflictError(Problem("storage.constraint.active_pair", params=names))
    row = session.scalar(
        sa.select(PairConstraint).where(
            PairConstraint.programme_id == programme.id,
            PairConstraint.tutor_id == tutor_id,
            PairConstraint.tutee_id == tutee_id,
        )
    )
    if row is None:
        row = PairConstraint(
            school_id=programme.school_id,
            programme_id=programme.id,
            tutor_id=tutor_id,
            tutee_id=tutee_id,
            created_by_id=actor.id,
        )
        session.add(row)
    row.kind = kind
    session.flush()
    audit.record(session, actor, programme.school_id, AuditAction.UPDATE, "programme", programme.id)
    return ConstraintInfo(row.id, programme.id, tutor, tutee, kind)


def _runs(session: Session, programme_id: int, tutor_id: int, tutee_id: int) -> bool:
    """Whether the pair is active in the programme's published run."""
    query = running_pair_ids().where(
        MatchingRun.programme_id == programme_id, PairRow.tutor_id == tutor_id, PairRow.tutee_id == tutee_id
    )
    return session.scalar(query) is not None


def remove_constraint(session: Session, actor: AuthenticatedUser, programme_id: int, tutor: str, tutee: str) -> bool:
    """Drop the pin or forbid of the pair; False when there was none."""
    programme = load_programme(session, actor, programme_id)
    tutor_id, tutee_id = _ids(session, programme, tutor, tutee)
    result = session.execute(
        sa.delete(PairConstraint).where(
            PairConstraint.programme_id == programme.id,
            PairConstraint.tutor_id == tutor_id,
            PairConstraint.tutee_id == tutee_id,
        )
    )
    audit.record(session, actor, programme.school_id, AuditAction.UPDATE, "programme", programme.id)
    return bool(getattr(result, "rowcount", 0))


def list_constraints(session: Session, actor: AuthenticatedUser, programme_id: int) -> list[ConstraintInfo]:
    """Every pin and forbid of the programme, by tutor and tutee number: ready for the matcher."""
    programme = load_programme(session, actor, programme_id)
    tutor, tutee = aliased(PupilRow), aliased(PupilRow)
    rows = session.execute(
        sa.select(PairConstraint.id, tutor.pupil_number, tutee.pupil_number, PairConstraint.kind)
        .join(tutor, tutor.id == PairConstraint.tutor_id)
        .join(tutee, tutee.id == PairConstraint.tutee_id)
        .where(PairConstraint.programme_id == programme.id)
        .order_by(tutor.pupil_number, tutee.pupil_number)
    )
    return [ConstraintInfo(i, programme.id, a, b, kind) for i, a, b, kind in rows]
