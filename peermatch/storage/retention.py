"""Retention and erasure in the database: the school's retention months, the run that deletes what expired
(audited as counts), and the erasure of a pupil or a school after a typed confirmation.

What expires is decided by :mod:`peermatch.retention` (dates only); this module deletes it. Deleting relies on
ON DELETE CASCADE (models.py), so a table added later that hangs from a pupil, pair or run goes with it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, require_role, require_school
from peermatch.errors import InvalidInputError, Problem
from peermatch.retention import DEFAULT_RETENTION, Retention, RetentionCounts, kept_after
from peermatch.storage import audit
from peermatch.storage.access import get_school, load_pupil
from peermatch.storage.enums import AuditAction, StaffRole
from peermatch.storage.models import (
    AlertTriage,
    CheckInRow,
    EvaluationTalk,
    MatchingRun,
    OutcomeAnswerRow,
    PairRow,
    Programme,
    PupilRow,
    School,
    SchoolRetention,
    utcnow,
)

__all__ = [
    "RETENTION_EDITORS",
    "StoredRetention",
    "delete_pupil_confirmed",
    "delete_pupil_trusted",
    "delete_school_confirmed",
    "expire_school",
    "find_pupil",
    "pupil_full_name",
    "retention_of",
    "school_ids",
    "store_retention",
]

RETENTION_EDITORS = (StaffRole.BEHEERDER,)
_log = logging.getLogger("peermatch.audit")


@dataclass(frozen=True)
class StoredRetention:
    """The school's retention months and who last changed them (``updated_by`` "" when never changed)."""

    retention: Retention
    updated_by: str
    last_run_on: date | None


def _retention(row: SchoolRetention | None) -> Retention:
    if row is None:
        return DEFAULT_RETENTION
    try:
        return Retention(row.checkin_months, row.worry_months, row.pair_months)
    except InvalidInputError:  # stored by hand, out of range: the defaults
        return DEFAULT_RETENTION


def retention_of(session: Session, actor: AuthenticatedUser) -> StoredRetention:
    """The retention months of the actor's school (any staff member may read them)."""
    row = session.get(SchoolRetention, actor.school_id)
    return StoredRetention(_retention(row), row.updated_by_name if row else "", row.last_run_on if row else None)


def store_retention(session: Session, actor: AuthenticatedUser, retention: Retention) -> None:
    """Store the school's months (beheerder only; audited). The next retention run applies them at once."""
    require_role(actor, *RETENTION_EDITORS)
    row = session.get(SchoolRetention, actor.school_id)
    if row is None:
        row = SchoolRetention(school_id=actor.school_id)
        session.add(row)
    row.checkin_months, row.worry_months, row.pair_months = (
        retention.checkin_months, retention.worry_months, retention.pair_months,
    )  # fmt: skip
    row.last_run_on = None  # the next run (at the next start or `peermatch retention`) looks again today
    row.updated_at = utcnow()
    row.updated_by_name = actor.display_name or actor.username
    session.flush()
    detail = f"checkins={retention.checkin_months} worry_texts={retention.worry_months} pairs={retention.pair_months}"
    audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "settings", "retention", detail=detail)


def school_ids(session: Session) -> list[int]:
    """Every school (trusted code: the retention run)."""
    return list(session.scalars(sa.select(School.id).order_by(School.id)))


def _programme_last_day(programme: Programme) -> date:
    if programme.start_date is None:
        return programme.created_at.date()
    return programme.start_date + timedelta(weeks=programme.weeks) - timedelta(days=1)


def _count(session: Session, query: sa.Select[Any]) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0)


def _changed(session: Session, statement: sa.Executable) -> int:
    """Run a bulk DELETE or UPDATE; how many rows it changed."""
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return int(getattr(result, "rowcount", 0) or 0)


def _expire_pairs(session: Session, school_id: int, cut: date) -> tuple[int, int, int, int]:
    """Runs of programmes that ended on or before ``cut`` and pairs that ended then: (runs, pairs, check-ins,
    answers to the before/after scale)."""
    programmes = session.scalars(sa.select(Programme).where(Programme.school_id == school_id)).all()
    ended = [p.id for p in programmes if _programme_last_day(p) <= cut]
    run_ids = (
        list(session.scalars(sa.select(MatchingRun.id).where(MatchingRun.programme_id.in_(ended)))) if ended else []
    )
    expired_pairs = sa.select(PairRow.id).where(
        PairRow.school_id == school_id,
        sa.or_(PairRow.run_id.in_(run_ids), sa.and_(PairRow.end_date.is_not(None), PairRow.end_date <= cut)),
    )
    pairs = _count(session, expired_pairs)
    if not run_ids and not pairs:
        return 0, 0, 0, 0
    checkins = _count(session, sa.select(CheckInRow.id).where(CheckInRow.pair_id.in_(expired_pairs)))
    outcomes = _count(session, sa.select(OutcomeAnswerRow.id).where(OutcomeAnswerRow.pair_id.in_(expired_pairs)))
    _changed(session, sa.delete(PairRow).where(PairRow.id.in_(expired_pairs)))
    if run_ids:
        _changed(session, sa.delete(MatchingRun).where(MatchingRun.id.in_(run_ids)))
    return len(run_ids), pairs, checkins, outcomes


def expire_school(session: Session, school_id: int, today: date, *, force: bool = False) -> RetentionCounts | None:
    """Delete what expired on ``today`` in one school (trusted code: no acting user), audited as counts.

    Returns None when the school was already looked at today (``force`` looks again): one cheap query.
    """
    row = session.get(SchoolRetention, school_id)
    if row is not None and row.last_run_on == today and not force:
        return None
    retention = _retention(row)
    worry_cut = kept_after(today, retention.worry_months)
    worries = _changed(
        session,
        sa.update(CheckInRow)
        .where(CheckInRow.school_id == school_id, CheckInRow.session_date <= worry_cut, CheckInRow.worry_text != "")
        .values(worry_text=""),
    )
    if worry_cut != date.min:  # a triage note may say what the worry was
        before = datetime.combine(worry_cut + timedelta(days=1), time.min, UTC)
        worries += _changed(
            session,
            sa.update(AlertTriage)
            .where(AlertTriage.school_id == school_id, AlertTriage.note != "", AlertTriage.at < before)
            .values(note=""),
        )
    checkin_cut = kept_after(today, retention.checkin_months)
    checkins = _changed(
        session, sa.delete(CheckInRow).where(CheckInRow.school_id == school_id, CheckInRow.session_date <= checkin_cut)
    )
    evaluations = _changed(
        session,
        sa.delete(EvaluationTalk).where(EvaluationTalk.school_id == school_id, EvaluationTalk.held_on <= checkin_cut),
    )
    outcomes = _changed(  # the before/after scale is kept as long as the check-ins it sits beside
        session,
        sa.delete(OutcomeAnswerRow).where(
            OutcomeAnswerRow.school_id == school_id, OutcomeAnswerRow.answered_on <= checkin_cut
        ),
    )
    # last, so the counts above are of what the dates decided, not hidden in the cascade from the pairs
    runs, pairs, paired_checkins, paired_outcomes = _expire_pairs(
        session, school_id, kept_after(today, retention.pair_months)
    )
    counts = RetentionCounts(paired_checkins + checkins, worries, evaluations, runs, pairs, outcomes + paired_outcomes)
    if row is None:
        row = SchoolRetention(
            school_id=school_id, checkin_months=retention.checkin_months, worry_months=retention.worry_months,
            pair_months=retention.pair_months, updated_by_name="",
        )  # fmt: skip
        session.add(row)
    row.last_run_on = today
    audit.record(session, None, school_id, AuditAction.RETENTION, "school", school_id, detail=counts.as_text())
    session.flush()
    return counts


def pupil_full_name(pupil: PupilRow) -> str:
    return " ".join(part for part in (pupil.first_name, pupil.prefix, pupil.last_name) if part)


def _same(typed: str, expected: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(expected.split()).casefold()


def _erase_pupil(session: Session, actor: AuthenticatedUser | None, pupil: PupilRow, how: str) -> None:
    """Delete the pupil row; the database cascades levels, pairs, check-ins, the before/after scale (their own
    answers and those in their pairs), codes, quiz tries, pins, forbids."""
    about_checkins = sa.select(CheckInRow.id).where(
        sa.or_(CheckInRow.tutor_id == pupil.id, CheckInRow.tutee_id == pupil.id)
    )
    about_pairs = sa.select(PairRow.id).where(sa.or_(PairRow.tutor_id == pupil.id, PairRow.tutee_id == pupil.id))
    about_outcomes = sa.select(OutcomeAnswerRow.id).where(
        sa.or_(OutcomeAnswerRow.pupil_id == pupil.id, OutcomeAnswerRow.pair_id.in_(about_pairs))
    )
    counted = f"checkins={_count(session, about_checkins)} pairs={_count(session, about_pairs)}"
    detail = f"{counted} outcomes={_count(session, about_outcomes)} {how}"
    school_id, pupil_id = pupil.school_id, pupil.id
    session.execute(sa.delete(PupilRow).where(PupilRow.id == pupil_id))
    session.expunge_all()  # rows the database cascaded away must not linger in this session
    audit.record(session, actor, school_id, AuditAction.DELETE, "pupil", pupil_id, detail=detail)


def delete_pupil_confirmed(session: Session, actor: AuthenticatedUser, pupil_id: int, typed_name: str) -> None:
    """Erase a pupil and everything about them (beheerder or ib), after the actor typed the pupil's full name.
    Audited with the id only (and the number of check-ins and pairs that went with them)."""
    require_role(actor, StaffRole.BEHEERDER, StaffRole.IB)
    pupil = load_pupil(session, actor, pupil_id)
    if not _same(typed_name, pupil_full_name(pupil)):
        raise InvalidInputError(Problem("privacy_admin.delete.pupil_confirm", value=typed_name))
    _erase_pupil(session, actor, pupil, "app")


def find_pupil(session: Session, school_id: int, pupil_number: str) -> PupilRow | None:
    """The pupil with this number in this school (trusted code: the command line)."""
    return session.scalar(
        sa.select(PupilRow).where(PupilRow.school_id == school_id, PupilRow.pupil_number == pupil_number.strip())
    )


def delete_pupil_trusted(session: Session, school_id: int, pupil_number: str) -> bool:
    """Erase the pupil with this number (the command line, which confirmed it); False when there is none."""
    pupil = find_pupil(session, school_id, pupil_number)
    if pupil is None:
        return False
    _erase_pupil(session, None, pupil, "cli")
    return True


def delete_school_confirmed(session: Session, actor: AuthenticatedUser | None, school_id: int, typed_name: str) -> None:
    """Erase a whole school (the beheerder of it, or trusted code with ``actor`` None: the CLI), after the
    school's name was typed. Its own audit log goes with it: the deletion is logged server-side
    (``peermatch.audit``), by id, with who did it."""
    if actor is not None:
        require_school(actor, school_id)
        require_role(actor, StaffRole.BEHEERDER)
    school = get_school(session, school_id)
    if not _same(typed_name, school.name):
        raise InvalidInputError(Problem("privacy_admin.delete.school_confirm", value=typed_name))
    session.execute(sa.delete(School).where(School.id == school_id))
    session.expunge_all()
    _log.warning("school %s deleted by %s", school_id, f"user {actor.id}" if actor else "the command line")
