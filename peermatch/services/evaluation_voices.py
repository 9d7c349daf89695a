"""The evaluation talk with each child's own part and the relationship item ("Hoe gaat het samen?", 1-5).

New beside ``peermatch.services.monitoring.add_evaluation`` (left unchanged): see
``peermatch.storage.evaluation_voices``.
"""

from __future__ import annotations

from datetime import date

from peermatch.auth import AuthenticatedUser
from peermatch.services.database import Database
from peermatch.storage import evaluation_voices as store
from peermatch.storage.evaluation_voices import EvaluationVoices

__all__ = ["EvaluationVoices", "add_evaluation_voices", "evaluation_voices"]


def add_evaluation_voices(
    db: Database,
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
    """Store an evaluation talk with the tutor's part, the tutee's part and the relationship item (1-5)."""
    with db.write() as session:
        return store.add_evaluation_voices(session, actor, pair_id, held_on=held_on, tutor_part=tutor_part,
                                           tutee_part=tutee_part, relationship=relationship, went_well=went_well,
                                           could_be_better=could_be_better, what_can_i_do=what_can_i_do)  # fmt: skip


def evaluation_voices(db: Database, actor: AuthenticatedUser, pair_id: int | str) -> list[EvaluationVoices]:
    """The pair's evaluation talks with the children's parts and the relationship item, oldest first."""
    with db.read() as session:
        return store.evaluation_voices(session, actor, pair_id)
