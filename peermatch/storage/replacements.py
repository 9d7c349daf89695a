"""Add one pair to a programme's published run: the replacement tutor for a tutee whose pair ended.

Every other pair stays exactly as it was (least disruption); the new pair starts on ``on``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.errors import ConflictError, Problem
from peermatch.storage import audit
from peermatch.storage.access import load_programme, load_run, not_found
from peermatch.storage.enums import AuditAction, PairStatus, RunStatus
from peermatch.storage.models import PairRow, PupilRow

__all__ = ["add_replacement_pair"]


def _pupil(session: Session, school_id: int, number: str, group_ids: set[int]) -> PupilRow:
    pupil = (
        session.query(PupilRow)
        .filter(PupilRow.school_id == school_id, PupilRow.pupil_number == number, PupilRow.group_id.in_(group_ids))
        .one_or_none()
    )
    if pupil is None:
        raise not_found("pupil", number)
    return pupil


def add_replacement_pair(
    session: Session,
    actor: AuthenticatedUser,
    run_id: int,
    tutor_number: str,
    tutee_number: str,
    *,
    explanation: Any,
    cost: float | None,
    on: date,
) -> int:
    """Store an active pair in the published run ``run_id``; returns the new pair's id."""
    run, programme = load_run(session, actor, run_id)
    load_programme(session, actor, programme.id)
    if run.status is not RunStatus.PUBLISHED:
        raise ConflictError(Problem("ui.error.not_published", value=str(run.id)))
    tutor = _pupil(session, programme.school_id, tutor_number, {g.id for g in programme.tutor_groups})
    tutee = _pupil(session, programme.school_id, tutee_number, {g.id for g in programme.tutee_groups})
    pair = PairRow(
        school_id=programme.school_id,
        run_id=run.id,
        tutor_id=tutor.id,
        tutee_id=tutee.id,
        status=PairStatus.ACTIVE,
        explanation=explanation,
        cost=cost,
        start_date=on,
    )
    session.add(pair)
    session.flush()
    audit.record(session, actor, programme.school_id, AuditAction.CREATE, "pair", pair.id)
    return pair.id
