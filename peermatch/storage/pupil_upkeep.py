"""Keeping a stored roster up to date: a pupil's role and motivation, leaving the school on a date, taking part
or not, and the pairs that a leaving pupil has (or had) in published runs.

Every pupil id a caller hands in is loaded for the acting user (:func:`~peermatch.storage.access.load_pupil`):
another school's pupil, or for a leerkracht a pupil outside their groups, is refused, not just hidden. Every
change is audited (``update`` of the ``pupil`` or the ``pair``), in the caller's transaction. Ending a pair is
:func:`peermatch.storage.runs.end_pair`'s job; the services combine the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from peermatch.auth import AuthenticatedUser
from peermatch.errors import ConflictError, InvalidInputError, Problem
from peermatch.model import Role
from peermatch.records import PupilInfo
from peermatch.storage import audit
from peermatch.storage.access import load_pupil
from peermatch.storage.enums import AuditAction, PairStatus, RunStatus
from peermatch.storage.models import MatchingRun, PairRow, PupilRow
from peermatch.storage.pupils import pupil_info

__all__ = [
    "PartnerPair",
    "active_pairs",
    "clear_leaving",
    "reopen_pairs",
    "set_details",
    "set_leaving",
    "set_takes_part",
]


@dataclass(frozen=True)
class PartnerPair:
    """An active pair of a pupil: its id and the other pupil's first name."""

    pair_id: int
    partner_first_name: str


def set_details(
    session: Session, actor: AuthenticatedUser, pupil_id: int, *, role: Role, motivation: int | None
) -> tuple[PupilInfo, bool]:
    """Store a pupil's role and motivation (1-5 or None, checked by the caller); True when anything changed."""
    pupil = load_pupil(session, actor, pupil_id)
    if motivation is not None and not 1 <= motivation <= 5:
        raise InvalidInputError(Problem("upkeep.motivation", value=str(motivation)))
    changed = (pupil.role, pupil.motivation) != (role, motivation)
    if changed:
        pupil.role, pupil.motivation = role, motivation
        session.flush()
        audit.record(session, actor, pupil.school_id, AuditAction.UPDATE, "pupil", pupil.id)
    return pupil_info(pupil), changed


def active_pairs(session: Session, actor: AuthenticatedUser, pupil_id: int) -> list[PartnerPair]:
    """The pupil's active pairs (as tutor or tutee, in published runs), with the other pupil's first name."""
    pupil = load_pupil(session, actor, pupil_id)
    other = aliased(PupilRow)
    rows = session.execute(
        sa.select(PairRow.id, other.first_name)
        .join(other, other.id == sa.case((PairRow.tutor_id == pupil.id, PairRow.tutee_id), else_=PairRow.tutor_id))
        .where(PairRow.status == PairStatus.ACTIVE, sa.or_(PairRow.tutor_id == pupil.id, PairRow.tutee_id == pupil.id))
        .order_by(PairRow.id)
    )
    return [PartnerPair(pair_id, name) for pair_id, name in rows]


def set_leaving(session: Session, actor: AuthenticatedUser, pupil_id: int, *, on: date, today: date) -> PupilInfo:
    """Mark the pupil as leaving on ``on``; from that day they are no longer active. Audited."""
    pupil = load_pupil(session, actor, pupil_id)
    if pupil.left_on is not None:
        raise ConflictError(Problem("upkeep.already_leaving", value=pupil.left_on.isoformat(),
                                    params={"name": pupil.first_name}))  # fmt: skip
    pupil.left_on = on
    if on <= today:
        pupil.active = False
    session.flush()
    audit.record(session, actor, pupil.school_id, AuditAction.UPDATE, "pupil", pupil.id)
    return pupil_info(pupil)


def clear_leaving(session: Session, actor: AuthenticatedUser, pupil_id: int, *, today: date) -> tuple[date, PupilInfo]:
    """Undo :func:`set_leaving` up to and including the leaving day; returns the date that was set. Audited."""
    pupil = load_pupil(session, actor, pupil_id)
    left_on = pupil.left_on
    if left_on is None:
        raise ConflictError(Problem("upkeep.not_leaving", params={"name": pupil.first_name}))
    if left_on < today:
        raise ConflictError(Problem("upkeep.already_left", value=left_on.isoformat(),
                                    params={"name": pupil.first_name}))  # fmt: skip
    pupil.left_on, pupil.active = None, True
    session.flush()
    audit.record(session, actor, pupil.school_id, AuditAction.UPDATE, "pupil", pupil.id)
    return left_on, pupil_info(pupil)


def reopen_pairs(session: Session, actor: AuthenticatedUser, pupil_id: int, *, ended_on: date, reason: str) -> int:
    """Make active again the pupil's pairs that were ended on ``ended_on`` with ``reason`` (undoing a leave).

    Only pairs of a run that is still published, whose other pupil is still there and taking part, and whose
    tutee has not had another pair in that run since (a replacement tutor). Each one is audited; returns how many.
    """
    pupil = load_pupil(session, actor, pupil_id)
    candidates = session.scalars(
        sa.select(PairRow)
        .join(MatchingRun, MatchingRun.id == PairRow.run_id)
        .where(MatchingRun.status == RunStatus.PUBLISHED, PairRow.status == PairStatus.ENDED)
        .where(PairRow.end_date == ended_on, PairRow.end_reason == reason)
        .where(sa.or_(PairRow.tutor_id == pupil.id, PairRow.tutee_id == pupil.id))
        .order_by(PairRow.id)
    ).all()
    reopened = 0
    for pair in candidates:
        other = session.get(PupilRow, pair.tutee_id if pair.tutor_id == pupil.id else pair.tutor_id)
        if other is None or other.left_on is not None or not other.takes_part or not other.active:
            continue
        busy = session.scalar(
            sa.select(sa.func.count())
            .select_from(PairRow)
            .where(PairRow.run_id == pair.run_id, PairRow.tutee_id == pair.tutee_id, PairRow.id != pair.id)
            .where(PairRow.status == PairStatus.ACTIVE)
        )
        if busy:
            continue
        pair.status, pair.end_date, pair.end_reason = PairStatus.ACTIVE, None, None
        session.flush()
        audit.record(session, actor, pupil.school_id, AuditAction.UPDATE, "pair", pair.id)
        reopened += 1
    return reopened


def set_takes_part(session: Session, actor: AuthenticatedUser, pupil_id: int, *, takes_part: bool) -> PupilInfo:
    """Mark the pupil as taking part in matching or not ("doet niet mee"); audited when it changes."""
    pupil = load_pupil(session, actor, pupil_id)
    if pupil.takes_part != takes_part:
        pupil.takes_part = takes_part
        session.flush()
        audit.record(session, actor, pupil.school_id, AuditAction.UPDATE, "pupil", pupil.id)
    return pupil_info(pupil)
