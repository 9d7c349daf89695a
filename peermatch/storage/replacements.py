"""Add one pair to a programme's published run: the replacement tutor for a tutee whose pair ended.

Every other pair stays exactly as it was (least disruption); the new pair starts on ``on``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
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


def _check_replaces(session: Session, run_id: int, replaces: int, tutor: PupilRow, tutee: PupilRow) -> None:
    ended = session.get(PairRow, replaces)
    if ended is None or ended.run_id != run_id or ended.status is not PairStatus.ENDED:
        raise ConflictError(Problem("storage.replacement.not_ended", value=str(replaces)))
    if ended.tutee_id != tutee.id or ended.tutor_id == tutor.id:
        raise ConflictError(Problem("storage.replacement.other_tutee", value=str(replaces)))
    busy = session.scalar(
        sa.select(PairRow.id).where(
            PairRow.run_id == run_id, PairRow.tutee_id == tutee.id, PairRow.status == PairStatus.ACTIVE
        )
    )
    if busy is not None:
        raise ConflictError(Problem("storage.replacement.tutee_busy", value=str(busy)))
    before = session.scalar(
        sa.select(PairRow.id).where(
            PairRow.run_id == run_id, PairRow.tutee_id == tutee.id, PairRow.tutor_id == tutor.id
        )
    )
    if before is not None:  # an ended pair never comes back
        raise ConflictError(Problem("storage.replacement.ended_before", value=str(before)))


def add_replacement_pair(
    session: Session,
    actor: AuthenticatedUser,
    run_id: int,
    tutor_number: str,
    tutee_number: str,
    *,
    replaces: int,
    explanation: Any,
    cost: float | None,
    on: date,
) -> int:
    """Store an active pair in the published run ``run_id`` in place of its ended pair ``replaces``.

    The ids a caller hands in must belong together: ``replaces`` is an ended pair of this run, the new pair is
    for that pair's tutee with a tutor it had no pair with before in this run, and the tutee has no active
    pair left; anything else is refused
    (``ConflictError``) and nothing is stored. Returns the new pair's id.
    """
    run, programme = load_run(session, actor, run_id)
    load_programme(session, actor, programme.id)
    if run.status is not RunStatus.PUBLISHED:
        raise ConflictError(Problem("ui.error.not_published", value=str(run.id)))
    tutor = _pupil(session, programme.school_id, tutor_number, {g.id for g in programme.tutor_groups})
    tutee = _pupil(session, programme.school_id, tutee_number, {g.id for g in programme.tutee_groups})
    _check_replaces(session, run.id, replaces, tutor, tutee)
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
