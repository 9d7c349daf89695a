"""A monitored programme in the demo database for the monitoring pages' AppTests: programme 7A -> 5A (the
leerkracht juf.fatima's groups) and 8A -> 6A (not hers), started three weeks ago, with check-ins: one
pair with a worry, one that missed two sessions in a row, the rest steady."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa
from apphelpers import account
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.model import Subject
from peermatch.storage import runs
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.models import CheckInRow, Group, PairRow, PupilRow
from peermatch.storage.programmes import Moment, ProgrammeSpec, create_programme

__all__ = ["WORRY", "Monitored", "build_monitored"]

WORRY = "Mijn tutee zegt dat ze gepest wordt op het plein."


@dataclass(frozen=True)
class Monitored:
    programme_id: int  # 7A -> 5A
    other_programme_id: int  # 8A -> 6A
    worry_pair: int
    missed_pair: int
    pairs: tuple[int, ...]  # of the 7A -> 5A programme
    other_pairs: tuple[int, ...]


def _programme(
    session: Session, ib: AuthenticatedUser, tutor_group: str, tutee_group: str, start: date, n: int
) -> tuple[int, list[int]]:
    groups = {g.name: g.id for g in session.scalars(sa.select(Group).where(Group.school_id == ib.school_id))}
    spec = ProgrammeSpec(name=f"Volgen {tutor_group}-{tutee_group}", subject=Subject.LEZEN,
                         tutor_group_ids=(groups[tutor_group],), tutee_group_ids=(groups[tutee_group],),
                         moments=(Moment(2, time(10), time(10, 30)),), start_date=start, weeks=10,
                         sessions_per_week=1, minutes_per_session=20)  # fmt: skip
    programme = create_programme(session, ib, ib.school_id, spec)

    def numbers(group: str) -> list[str]:
        query = (
            sa.select(PupilRow.pupil_number).where(PupilRow.group_id == groups[group]).order_by(PupilRow.pupil_number)
        )
        return list(session.scalars(query))[:n]

    drafts = [runs.PairDraft(a, b) for a, b in zip(numbers(tutor_group), numbers(tutee_group), strict=True)]
    run = runs.save_run(session, ib, programme.id, drafts, rules={})
    runs.publish_run(session, ib, run.id, on=start)
    return programme.id, list(
        session.scalars(sa.select(PairRow.id).where(PairRow.run_id == run.id).order_by(PairRow.id))
    )


def _checkin(session: Session, pair_id: int, day: date, status: str = "held", worry: bool = False) -> None:
    pair = session.get_one(PairRow, pair_id)
    held = status == "held"
    session.add(CheckInRow(school_id=pair.school_id, submission_id=str(uuid.uuid4()), pair_id=pair_id,
                        tutor_id=pair.tutor_id, tutee_id=pair.tutee_id, session_date=day, status=status,
                        minutes=20 if held else None, tutor_mood=4 if held else None, tutee_fun=4 if held else None,
                        tutee_learned=4 if held else None, worry=worry, worry_text=WORRY if worry else "",
                        went_well="We lazen samen" if held else ""))  # fmt: skip


def build_monitored(url: str, *, today: date | None = None, pairs: int = 4) -> Monitored:
    today = today or date.today()
    start = today - timedelta(days=today.weekday() + 21)  # a Monday three weeks ago
    tuesdays = [start + timedelta(days=7 * w + 1) for w in range(3)]
    ib = account(url, "ib")
    engine = make_engine(url)
    try:
        with unit_of_work(session_factory(engine)) as session:
            programme_id, ids = _programme(session, ib, "7A", "5A", start, pairs)
            other_id, other_ids = _programme(session, ib, "8A", "6A", start, 2)
            for pair_id in ids[2:] + other_ids:
                for day in tuesdays:
                    _checkin(session, pair_id, day)
            for day in tuesdays:
                _checkin(session, ids[0], day, worry=day == tuesdays[-1])
            _checkin(session, ids[1], tuesdays[0])
            _checkin(session, ids[1], tuesdays[1], status="tutee_absent")
            _checkin(session, ids[1], tuesdays[2], status="tutor_absent")
    finally:
        engine.dispose()
    return Monitored(programme_id, other_id, ids[0], ids[1], tuple(ids), tuple(other_ids))
