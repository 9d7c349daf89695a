"""Broader outcomes (issue 13, item 6): the before/after scale a pupil answers about themselves, and what
*Resultaten* shows of it.

A pupil (tutor on *Mijn maatje*, tutee on their own screen) answers for their own active pair only, at the moment
that is due (:func:`peermatch.outcome_scale.due_moment`). Staff see the programme's aggregate per side and item
(not audited: no pupil can be seen in it, and cells under :data:`~peermatch.outcome_scale.MIN_CELL` pupils show no
average); the answers per pupil are a sensitive read and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peermatch.auth import AuthenticatedUser
from peermatch.errors import InvalidInputError, Problem
from peermatch.model import Subject
from peermatch.outcome_scale import ItemChange, Moment, OutcomeAnswer, Side, due_moment, summarise, validate_answer
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services.database import Database
from peermatch.services.pupil_home import stages_of
from peermatch.storage import audit, outcome_store, pupil_stage
from peermatch.storage.enums import AuditAction
from peermatch.storage.outcome_store import PupilOutcome, ScalePair

__all__ = [
    "DueScale",
    "OutcomeSummary",
    "PupilOutcome",
    "due_scales",
    "outcome_answers_per_pupil",
    "programme_outcomes",
    "save_outcome",
]


@dataclass(frozen=True)
class DueScale:
    """The scale to ask in one of the pupil's pairs now: which moment, and in which subject's words."""

    pair_id: int
    moment: Moment
    side: Side
    subject: Subject


@dataclass(frozen=True)
class OutcomeSummary:
    """A programme's scale per side and item (see :class:`~peermatch.outcome_scale.ItemChange`)."""

    subject: Subject
    items: tuple[ItemChange, ...]

    @property
    def answered(self) -> bool:
        return any(i.n_before or i.n_after for i in self.items)

    @property
    def suppressed(self) -> bool:
        return any(i.suppressed for i in self.items)


def _due(db: Database, pupil: AuthenticatedPupil, today: date) -> tuple[list[ScalePair], dict[int, Moment]]:
    with db.read() as session:
        pairs = outcome_store.scale_pairs(session, pupil)  # checks the login
        answered = outcome_store.answered_moments(session, pupil)
        plans, days = pupil_stage.pair_plans(session, pupil, [(p.pair_id, p.programme_id, p.start_date)
                                                               for p in pairs])  # fmt: skip
    stages = stages_of(plans, days, today)
    due = {}
    for p in pairs:
        moment = due_moment(stages.get(p.pair_id), answered.get(p.pair_id, frozenset()))
        if moment is not None:
            due[p.pair_id] = moment
    return pairs, due


def due_scales(db: Database, pupil: AuthenticatedPupil, today: date) -> dict[int, DueScale]:
    """Per own active pair (pair id) the scale that is due on ``today``; pairs with nothing due are left out."""
    pairs, due = _due(db, pupil, today)
    return {p.pair_id: DueScale(p.pair_id, due[p.pair_id], p.side, p.subject) for p in pairs if p.pair_id in due}


def save_outcome(db: Database, pupil: AuthenticatedPupil, answer: OutcomeAnswer, *, today: date) -> bool:
    """Validate and store the logged-in pupil's answer (committed before it returns); True when stored now, False
    when this moment was answered already (the first answer stays). ``PermissionDeniedError`` for a pair that is
    not the pupil's own active pair; ``InvalidInputError`` for a face missing or out of 1-5, or a moment that is
    not due (a "na" at the start, a "voor" in the last sessions)."""
    clean = validate_answer(answer)
    with db.read() as session:
        outcome_store.own_pair(session, pupil, clean.pair_id)  # refused before anything about the pair is told
    _, due = _due(db, pupil, today)
    if due.get(clean.pair_id) is not clean.moment:
        with db.read() as session:
            answered = outcome_store.answered_moments(session, pupil).get(clean.pair_id, frozenset())
        if clean.moment in answered:
            return False  # answered before: nothing is overwritten
        raise InvalidInputError(Problem("outcome.invalid.not_due", value=Moment(clean.moment).value))
    return db.write_retrying(lambda session: outcome_store.record_answer(session, pupil, clean, today))


def programme_outcomes(db: Database, actor: AuthenticatedUser, programme_id: int) -> OutcomeSummary:
    """The programme's scale per side and item: means before and after and the change (not audited: aggregates
    with small cells suppressed)."""
    with db.read() as session:
        records = outcome_store.programme_records(session, actor, programme_id)  # checks the actor's access
        subject = outcome_store.programme_subject(session, actor, programme_id)
    return OutcomeSummary(subject, summarise(records))


def outcome_answers_per_pupil(db: Database, actor: AuthenticatedUser, programme_id: int) -> list[PupilOutcome]:
    """Every pupil's answers in the programme, with names: audited as a view of ``outcome_answers``."""
    with db.write() as session:
        rows = outcome_store.programme_answers(session, actor, programme_id)
        audit.record(session, actor, actor.school_id, AuditAction.VIEW, "outcome_answers", programme_id,
                     detail=f"rows={len(rows)}")  # fmt: skip
    return rows
