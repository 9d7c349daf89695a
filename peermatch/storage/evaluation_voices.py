"""The evaluation talk's own parts for each child and the relationship item (migration 0018).

An evaluation talk (``evaluation_talks``) so far held three answers of the pair together. This adds the
tutor's part and the tutee's part (each child's own words, asked apart) and "Hoe gaat het samen?" (1-5).
A new talk with these parts is one row of ``evaluation_talks`` (the three shared answers may be given with it);
``peermatch.storage.monitoring_store.add_evaluation`` is left as it is. Access: the pair must be visible to the
staff member (``monitoring_store.require_pair``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.errors import InvalidInputError, PermissionDeniedError, Problem
from peermatch.storage import audit
from peermatch.storage.enums import AuditAction
from peermatch.storage.models import EvaluationTalk
from peermatch.storage.monitoring_store import require_pair

__all__ = ["PART_MAX", "EvaluationVoices", "add_evaluation_voices", "evaluation_voices"]

PART_MAX = 1000


@dataclass(frozen=True)
class EvaluationVoices:
    """One evaluation talk with both children's own parts and the relationship item (None: not asked)."""

    id: int
    pair_id: int
    held_on: date
    tutor_part: str
    tutee_part: str
    relationship: int | None
    went_well: str
    could_be_better: str
    what_can_i_do: str
    by: str
    created_at: datetime


def _voices(row: EvaluationTalk) -> EvaluationVoices:
    return EvaluationVoices(row.id, row.pair_id, row.held_on, row.tutor_part, row.tutee_part, row.relationship,
                            row.went_well, row.could_be_better, row.what_can_i_do, row.by_name,
                            row.created_at)  # fmt: skip


def add_evaluation_voices(
    session: Session,
    actor: AuthenticatedUser,
    pair_id: int | str,
    *,
    held_on: date,
    tutor_part: str,
    tutee_part: str,
    relationship: int | None,
    went_well: str = "",
    could_be_better: str = "",
    what_can_i_do: str = "",
) -> EvaluationVoices:
    """Store an evaluation talk with the tutor's and the tutee's parts and the relationship item (1-5), for a pair
    the actor may see. At least one part or the relationship; each text at most ``PART_MAX`` characters. Audited."""
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    key = require_pair(session, actor, pair_id)
    texts = [str(x or "").strip() for x in (tutor_part, tutee_part, went_well, could_be_better, what_can_i_do)]
    if relationship is not None and (
        isinstance(relationship, bool) or not isinstance(relationship, int) or not 1 <= relationship <= 5
    ):
        raise InvalidInputError(Problem("tutee.eval.invalid_relationship", value=str(relationship)[:20]))
    if relationship is None and not any(texts[:2]):
        raise InvalidInputError(Problem("tutee.eval.empty"))
    if any(len(text) > PART_MAX for text in texts):
        raise InvalidInputError(Problem("tutee.eval.too_long", params={"max": PART_MAX}))
    school_id = actor.school_id  # require_pair checked that the pair is in the actor's school
    by = actor.display_name or actor.username
    row = EvaluationTalk(school_id=school_id, pair_id=key, held_on=held_on, tutor_part=texts[0], tutee_part=texts[1],
                         relationship=relationship, went_well=texts[2], could_be_better=texts[3],
                         what_can_i_do=texts[4], by_id=actor.id, by_name=by)  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, actor, school_id, AuditAction.CREATE, "evaluation", row.id)
    return _voices(row)


def evaluation_voices(session: Session, actor: AuthenticatedUser, pair_id: int | str) -> list[EvaluationVoices]:
    """The pair's evaluation talks with the children's parts and the relationship item, oldest first."""
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    key = require_pair(session, actor, pair_id)
    rows = session.scalars(
        sa.select(EvaluationTalk)
        .where(EvaluationTalk.pair_id == key)
        .order_by(EvaluationTalk.held_on, EvaluationTalk.id)
    )
    return [_voices(row) for row in rows]
