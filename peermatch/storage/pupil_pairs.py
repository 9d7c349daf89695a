"""A logged-in pupil's own pairs: the pairs they tutor in published runs, and what they may know of the tutee.

Every function takes an :class:`AuthenticatedPupil` and re-checks that the login is still valid
(:func:`~peermatch.storage.pupil_logins.require_active_pupil`). A tutor sees the tutee's first name,
groep and practice level, never more. The tutor's home with training readiness is
``peermatch.services.pupil_home``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from peermatch.errors import PermissionDeniedError, Problem
from peermatch.model import Subject
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.storage.enums import PairStatus, RunStatus
from peermatch.storage.measurements import latest_levels_of
from peermatch.storage.models import Group, MatchingRun, PairRow, Programme, PupilRow
from peermatch.storage.programmes import Moment
from peermatch.storage.pupil_logins import require_active_pupil

__all__ = ["OwnPair", "TuteeCard", "load_own_pair", "own_pairs", "tutee_cards"]


@dataclass(frozen=True)
class OwnPair:
    """One of the pupil's own active pairs, as the core needs it (ids only; nothing to show a pupil)."""

    pair_id: int
    tutor_id: int
    tutee_id: int
    programme_id: int
    subject: Subject
    start_date: date | None
    end_date: date | None  # the planned end of the programme (start + weeks), if known


@dataclass(frozen=True)
class TuteeCard:
    """What a tutor may know about a tutee: first name, groep and the level to practise at. Nothing else."""

    pair_id: int
    first_name: str
    group_name: str
    subject: Subject
    practice_level: str | None  # the latest level code in the subject, e.g. "M5"; None when unknown
    moments: tuple[Moment, ...]  # the weekly moment(s)
    minutes_per_session: int


def _own_pairs_query(pupil_id: int) -> sa.Select[PairRow, Programme]:
    return (
        sa.select(PairRow, Programme)
        .join(MatchingRun, MatchingRun.id == PairRow.run_id)
        .join(Programme, Programme.id == MatchingRun.programme_id)
        .where(MatchingRun.status == RunStatus.PUBLISHED, PairRow.status == PairStatus.ACTIVE)
        .where(PairRow.tutor_id == pupil_id)
        .order_by(PairRow.id)
    )


def _programme_end(programme: Programme) -> date | None:
    return programme.start_date + timedelta(weeks=programme.weeks) if programme.start_date else None


def _own_pair(pair: PairRow, programme: Programme) -> OwnPair:
    end = _programme_end(programme)
    return OwnPair(pair.id, pair.tutor_id, pair.tutee_id, programme.id, programme.subject, pair.start_date, end)


def own_pairs(session: Session, pupil: AuthenticatedPupil) -> list[OwnPair]:
    """The pupil's active pairs as tutor (in published runs)."""
    require_active_pupil(session, pupil)
    return [_own_pair(pair, programme) for pair, programme in session.execute(_own_pairs_query(pupil.id))]


def load_own_pair(session: Session, pupil: AuthenticatedPupil, pair_id: int) -> OwnPair:
    """One of the pupil's own active pairs; PermissionDeniedError for any other pair (also another school's),
    so a pupil cannot even learn whether a pair id exists."""
    require_active_pupil(session, pupil)
    found = session.execute(_own_pairs_query(pupil.id).where(PairRow.id == pair_id)).first()
    if found is None:
        raise PermissionDeniedError(Problem("pupil.denied.pair", value=str(pair_id)))
    return _own_pair(*found)


def tutee_cards(session: Session, pupil: AuthenticatedPupil) -> list[TuteeCard]:
    """A card per active pair of the tutor: the tutee's first name, groep, practice level and weekly moments."""
    me = require_active_pupil(session, pupil)
    tutee = aliased(PupilRow)
    rows = session.execute(
        _own_pairs_query(me.id)
        .add_columns(tutee.id, tutee.first_name, Group.name)
        .join(tutee, tutee.id == PairRow.tutee_id)
        .outerjoin(Group, Group.id == tutee.group_id)
    ).all()
    levels = latest_levels_of(session, [row[2] for row in rows])
    cards = []
    for pair, programme, tutee_id, first_name, group_name in rows:
        level = levels.get(tutee_id, {}).get(programme.subject)
        cards.append(
            TuteeCard(
                pair_id=pair.id,
                first_name=first_name,
                group_name=group_name or "",
                subject=programme.subject,
                practice_level=level.code if level else None,
                moments=tuple(Moment(m.weekday, m.start, m.end) for m in programme.moments),
                minutes_per_session=programme.minutes_per_session,
            )
        )
    return cards
