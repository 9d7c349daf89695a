"""The before/after scale in the database (:mod:`peermatch.outcome_scale`): a pupil's own answers, and what
*Resultaten* reads of a programme.

A pupil answers only in their own active pair (published run), as its tutor or its tutee: every function with an
:class:`AuthenticatedPupil` re-checks the login and the pair. One answer per pair, pupil and moment (unique); a
second save keeps the first and says so. Staff read through :func:`~peermatch.storage.access.load_programme`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.errors import PermissionDeniedError, Problem
from peermatch.model import Subject
from peermatch.outcome_scale import Moment, OutcomeAnswer, OutcomeRecord, Side
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.storage.access import load_programme
from peermatch.storage.enums import PairStatus, RunStatus
from peermatch.storage.models import MatchingRun, OutcomeAnswerRow, PairRow, Programme, PupilRow
from peermatch.storage.pupil_logins import require_active_pupil

__all__ = [
    "PupilOutcome",
    "ScalePair",
    "answered_moments",
    "own_pair",
    "programme_answers",
    "programme_records",
    "programme_subject",
    "record_answer",
    "scale_pairs",
]


@dataclass(frozen=True)
class ScalePair:
    """One of the pupil's own active pairs, with their side in it (ids only)."""

    pair_id: int
    programme_id: int
    start_date: date | None
    side: Side
    subject: Subject


@dataclass(frozen=True)
class PupilOutcome:
    """One stored answer with the pupil's name, for staff (an audited read)."""

    pair_id: int
    pupil_name: str
    side: Side
    moment: Moment
    values: tuple[int, int, int]
    answered_on: date


def _active(pupil_id: int) -> sa.Select[PairRow, Programme]:
    return (
        sa.select(PairRow, Programme)
        .join(MatchingRun, MatchingRun.id == PairRow.run_id)
        .join(Programme, Programme.id == MatchingRun.programme_id)
        .where(MatchingRun.status == RunStatus.PUBLISHED, PairRow.status == PairStatus.ACTIVE)
        .where(sa.or_(PairRow.tutor_id == pupil_id, PairRow.tutee_id == pupil_id))
        .order_by(PairRow.id)
    )


def _scale_pair(pupil_id: int, pair: PairRow, programme: Programme) -> ScalePair:
    side = Side.TUTOR if pair.tutor_id == pupil_id else Side.TUTEE
    return ScalePair(pair.id, programme.id, pair.start_date, side, Subject(programme.subject))


def scale_pairs(session: Session, pupil: AuthenticatedPupil) -> list[ScalePair]:
    """The pupil's own active pairs, as tutor or as tutee."""
    me = require_active_pupil(session, pupil)
    return [_scale_pair(me.id, pair, programme) for pair, programme in session.execute(_active(me.id)).all()]


def own_pair(session: Session, pupil: AuthenticatedPupil, pair_id: int) -> ScalePair:
    """One of the pupil's own active pairs (as tutor or tutee); ``PermissionDeniedError`` for any other."""
    me = require_active_pupil(session, pupil)
    found = session.execute(_active(me.id).where(PairRow.id == pair_id)).first()
    if found is None:  # also another pupil's pair or another school's: nothing tells whether it exists
        raise PermissionDeniedError(Problem("pupil.denied.pair", value=str(pair_id)))
    return _scale_pair(me.id, found[0], found[1])


def answered_moments(session: Session, pupil: AuthenticatedPupil) -> dict[int, frozenset[Moment]]:
    """Per own pair (pair id): the moments the pupil answered already."""
    me = require_active_pupil(session, pupil)
    out: dict[int, set[Moment]] = {}
    rows = session.execute(
        sa.select(OutcomeAnswerRow.pair_id, OutcomeAnswerRow.moment).where(OutcomeAnswerRow.pupil_id == me.id)
    )
    for pair_id, moment in rows:
        out.setdefault(pair_id, set()).add(Moment(moment))
    return {k: frozenset(v) for k, v in out.items()}


def _stored(session: Session, pair_id: int, pupil_id: int, moment: Moment) -> OutcomeAnswerRow | None:
    return session.scalar(
        sa.select(OutcomeAnswerRow).where(
            OutcomeAnswerRow.pair_id == pair_id,
            OutcomeAnswerRow.pupil_id == pupil_id,
            OutcomeAnswerRow.moment == moment.value,
        )
    )


def record_answer(session: Session, pupil: AuthenticatedPupil, clean: OutcomeAnswer, day: date) -> bool:
    """Store the pupil's validated answer (``outcome_scale.validate_answer``) in their own pair (flushed, not
    committed); True when stored now, False when this moment was answered before (the first answer stays)."""
    pair = own_pair(session, pupil, clean.pair_id)
    moment = Moment(clean.moment)
    if _stored(session, pair.pair_id, pupil.id, moment) is not None:
        return False
    confidence, pleasure, courage = clean.values()
    row = OutcomeAnswerRow(school_id=pupil.school_id, pair_id=pair.pair_id, pupil_id=pupil.id, side=pair.side.value,
                           moment=moment.value, subject=pair.subject.value, confidence=confidence, pleasure=pleasure,
                           courage=courage, answered_on=day)  # fmt: skip
    try:
        with session.begin_nested():  # a double tap on another device may store the same answer at the same moment
            session.add(row)
    except IntegrityError:
        if _stored(session, pair.pair_id, pupil.id, moment) is None:
            raise
        return False
    return True


def _programme_rows(
    session: Session, actor: AuthenticatedUser, programme_id: int
) -> list[tuple[OutcomeAnswerRow, PupilRow]]:
    programme = load_programme(session, actor, programme_id)
    query = (
        sa.select(OutcomeAnswerRow, PupilRow)
        .join(PairRow, PairRow.id == OutcomeAnswerRow.pair_id)
        .join(MatchingRun, MatchingRun.id == PairRow.run_id)
        .join(PupilRow, PupilRow.id == OutcomeAnswerRow.pupil_id)
        .where(MatchingRun.programme_id == programme.id, MatchingRun.status == RunStatus.PUBLISHED)
        .order_by(OutcomeAnswerRow.pair_id, OutcomeAnswerRow.side, OutcomeAnswerRow.moment.desc())
    )
    return [(row, pupil) for row, pupil in session.execute(query).all()]


def _values(row: OutcomeAnswerRow) -> tuple[int, int, int]:
    return (row.confidence, row.pleasure, row.courage)


def programme_records(session: Session, actor: AuthenticatedUser, programme_id: int) -> list[OutcomeRecord]:
    """Every answer in the programme's published pairs, without names (for the aggregate)."""
    return [
        OutcomeRecord(row.pair_id, row.pupil_id, Side(row.side), Moment(row.moment), _values(row))
        for row, _ in _programme_rows(session, actor, programme_id)
    ]


def programme_answers(session: Session, actor: AuthenticatedUser, programme_id: int) -> list[PupilOutcome]:
    """Every answer in the programme's published pairs with the pupil's name (the caller audits the read)."""
    return [
        PupilOutcome(
            row.pair_id,
            " ".join(p for p in (pupil.first_name, pupil.prefix, pupil.last_name) if p),
            Side(row.side),
            Moment(row.moment),
            _values(row),
            row.answered_on,
        )
        for row, pupil in _programme_rows(session, actor, programme_id)
    ]


def programme_subject(session: Session, actor: AuthenticatedUser, programme_id: int) -> Subject:
    """The programme's subject (the scale's words follow it)."""
    return Subject(load_programme(session, actor, programme_id).subject)
