"""What a tutor's pages need to know where each of their pairs stands (:mod:`peermatch.pair_stage`): per own active
pair, the programme's plan inputs and the days a session was checked in as held; and the school's calendar rows
(region, holiday changes, the programme's cancelled days: no pupil data). Re-checks the login on every read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.checkin_form import SessionStatus
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.storage.models import CancelledDay, CheckInRow, Programme, SchoolCalendarRow, SchoolHoliday
from peermatch.storage.pupil_pairs import own_pairs

__all__ = ["DEFAULT_REGION", "PupilPairPlan", "SchoolDays", "pair_plans", "pupil_pair_plans"]

DEFAULT_REGION = "zuid"  # as peermatch.calendar.DEFAULT_REGION, for a school that never chose one


@dataclass(frozen=True)
class PupilPairPlan:
    pair_id: int
    programme_id: int
    start: date | None  # the pair's start (or the programme's); None: no plan yet
    weeks: int
    weekdays: tuple[int, ...]
    sessions_per_week: int
    held_days: frozenset[date]


@dataclass(frozen=True)
class SchoolDays:
    """The school's calendar as stored: region, holiday changes (first, last, name, removed), cancelled days."""

    region: str
    changes: tuple[tuple[date, date, str, bool], ...]
    cancelled: dict[int, frozenset[date]]  # programme id -> days


def pupil_pair_plans(session: Session, pupil: AuthenticatedPupil) -> tuple[list[PupilPairPlan], SchoolDays]:
    """The plan inputs of each of the pupil's own active pairs, and their school's calendar rows."""
    pairs = own_pairs(session, pupil)  # checks the login
    return pair_plans(session, pupil, [(p.pair_id, p.programme_id, p.start_date) for p in pairs])


def pair_plans(
    session: Session, pupil: AuthenticatedPupil, pairs: Sequence[tuple[int, int, date | None]]
) -> tuple[list[PupilPairPlan], SchoolDays]:
    """The plan inputs of ``pairs`` (pair id, programme id, the pair's own start), which the caller checked are
    the pupil's own, and the pupil's school's calendar rows."""
    programme_ids = {programme_id for _, programme_id, _ in pairs}
    programmes = {
        p.id: p for p in session.scalars(sa.select(Programme).where(Programme.id.in_(programme_ids)))
    } if programme_ids else {}  # fmt: skip
    held: dict[int, set[date]] = defaultdict(set)
    if pairs:
        rows = session.execute(
            sa.select(CheckInRow.pair_id, CheckInRow.session_date).where(
                CheckInRow.pair_id.in_([pair_id for pair_id, _, _ in pairs]),
                CheckInRow.status == SessionStatus.HELD.value,
            )
        )
        for pair_id, day in rows:
            held[pair_id].add(day)
    plans = []
    for pair_id, programme_id, start in pairs:
        programme = programmes[programme_id]
        plans.append(
            PupilPairPlan(
                pair_id=pair_id,
                programme_id=programme_id,
                start=start or programme.start_date,
                weeks=programme.weeks,
                weekdays=tuple(sorted({m.weekday for m in programme.moments})),
                sessions_per_week=programme.sessions_per_week,
                held_days=frozenset(held.get(pair_id, ())),
            )
        )
    region_row = session.get(SchoolCalendarRow, pupil.school_id)
    changes = tuple(
        (h.first_day, h.last_day, h.name, h.removed)
        for h in session.scalars(sa.select(SchoolHoliday).where(SchoolHoliday.school_id == pupil.school_id))
    )
    cancelled: dict[int, set[date]] = defaultdict(set)
    if programme_ids:
        for programme_id, day in session.execute(
            sa.select(CancelledDay.programme_id, CancelledDay.day).where(CancelledDay.programme_id.in_(programme_ids))
        ):
            cancelled[programme_id].add(day)
    days = SchoolDays(
        region_row.holiday_region if region_row is not None else DEFAULT_REGION,
        changes,
        {k: frozenset(v) for k, v in cancelled.items()},
    )
    return plans, days
