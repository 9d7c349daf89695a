"""A tutee's own login: their maatje (the tutor's first name and the weekly moment), and their own check-in.

Every function takes an :class:`AuthenticatedPupil` and re-checks the login
(:func:`~peermatch.storage.pupil_logins.require_active_pupil`). A tutee sees their tutor's first name and the
programme's moments, never more; their answers are never shown back to the tutor (``PupilCheckIn`` has no
tutee message, and the tutor's own list has only check-ins the tutor made).

The tutee's answers go onto the pair's check-in of that day (one per pair and day). When the tutor has not
checked in yet, the row is made with ``tutor_checked_in`` false (status ``held``: the tutee says the session
was there); the tutor's check-in later fills it in. "Ik wil de juf iets vertellen" sets ``tutee_says`` and the
row's ``worry`` (with the text, marked, in ``worry_text``), so the signal pages show it to the teacher and IB'er.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from peermatch.checkin_form import TUTEE_SAYS_MARK, SessionStatus, TuteeAnswers
from peermatch.errors import InvalidInputError, PermissionDeniedError, Problem
from peermatch.model import Subject
from peermatch.programme import Moment
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.storage.checkin_store import join_texts
from peermatch.storage.enums import PairStatus, RunStatus
from peermatch.storage.models import CheckInRow, MatchingRun, PairRow, Programme, PupilCredential, PupilRow, utcnow
from peermatch.storage.pupil_logins import require_active_pupil
from peermatch.storage.pupil_pairs import load_own_pair

__all__ = ["MaatjeCard", "TuteeSaved", "is_tutor", "maatje_cards", "record_tutee_answers", "tutee_has_login"]


@dataclass(frozen=True)
class MaatjeCard:
    """What a tutee may know of their pair: the tutor's first name, the subject and the weekly moments."""

    pair_id: int
    tutor_first_name: str
    subject: Subject
    moments: tuple[Moment, ...]
    minutes_per_session: int
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class TuteeSaved:
    pair_id: int
    session_date: date
    told: bool  # the message to the juf is stored (now or earlier that day)
    told_anew: bool  # this save raised it


def _active_pairs() -> sa.Select[PairRow, Programme]:
    return (
        sa.select(PairRow, Programme)
        .join(MatchingRun, MatchingRun.id == PairRow.run_id)
        .join(Programme, Programme.id == MatchingRun.programme_id)
        .where(MatchingRun.status == RunStatus.PUBLISHED, PairRow.status == PairStatus.ACTIVE)
    )


def is_tutor(session: Session, pupil: AuthenticatedPupil) -> bool:
    """True when the pupil tutors someone in an active pair (then the tutor's pages are theirs)."""
    require_active_pupil(session, pupil)
    query = _active_pairs().where(PairRow.tutor_id == pupil.id).limit(1)
    return session.execute(query).first() is not None


def _end(programme: Programme) -> date | None:
    return programme.start_date + timedelta(weeks=programme.weeks) if programme.start_date else None


def maatje_cards(session: Session, pupil: AuthenticatedPupil) -> list[MaatjeCard]:
    """A card per active pair in which the pupil is the tutee: the tutor's first name and the weekly moments."""
    me = require_active_pupil(session, pupil)
    tutor = aliased(PupilRow)
    rows = session.execute(
        _active_pairs()
        .add_columns(tutor.first_name)
        .join(tutor, tutor.id == PairRow.tutor_id)
        .where(PairRow.tutee_id == me.id)
        .order_by(PairRow.id)
    ).all()
    return [
        MaatjeCard(
            pair_id=pair.id,
            tutor_first_name=name,
            subject=programme.subject,
            moments=tuple(Moment(m.weekday, m.start, m.end) for m in programme.moments),
            minutes_per_session=programme.minutes_per_session,
            start_date=pair.start_date,
            end_date=_end(programme),
        )
        for pair, programme, name in rows
    ]


def _own_tutee_pair(session: Session, pupil: AuthenticatedPupil, pair_id: int) -> tuple[PairRow, Programme]:
    found = session.execute(_active_pairs().where(PairRow.id == pair_id, PairRow.tutee_id == pupil.id)).first()
    if found is None:
        raise PermissionDeniedError(Problem("pupil.denied.pair", value=str(pair_id)))
    return found[0], found[1]


def _day_row(session: Session, pair_id: int, day: date) -> CheckInRow | None:
    return session.scalar(sa.select(CheckInRow).where(CheckInRow.pair_id == pair_id, CheckInRow.session_date == day))


def _row_of_the_day(session: Session, pupil: AuthenticatedPupil, pair: PairRow, day: date) -> CheckInRow:
    row = _day_row(session, pair.id, day)
    if row is not None:
        return row
    row = CheckInRow(
        school_id=pupil.school_id,
        submission_id=str(uuid.uuid4()),
        pair_id=pair.id,
        tutor_id=pair.tutor_id,
        tutee_id=pair.tutee_id,
        session_date=day,
        status=SessionStatus.HELD.value,
        tutor_checked_in=False,
    )
    try:
        with session.begin_nested():  # the tutor's check-in of the same day may be stored at the same moment
            session.add(row)
    except IntegrityError:
        found = _day_row(session, pair.id, day)
        if found is None:
            raise
        return found
    return row


def record_tutee_answers(session: Session, pupil: AuthenticatedPupil, clean: TuteeAnswers, day: date) -> TuteeSaved:
    """Store the logged-in tutee's validated answers (``peermatch.tutee_checkin.validate_tutee``) for ``day`` on
    the pair's check-in of that day (flushed, not committed). Only for the pupil's own pair as tutee, within the
    programme's dates. A second save that day replaces the faces given and adds a new message. The faces are
    dropped when the tutor said the session did not take place; the message to the juf is always kept."""
    require_active_pupil(session, pupil)
    pair, programme = _own_tutee_pair(session, pupil, clean.pair_id)
    first, last = pair.start_date, _end(programme)
    if (first is not None and day < first) or (last is not None and day > last):
        raise InvalidInputError(Problem("tutee.invalid.not_running", value=day.isoformat()))
    row = _row_of_the_day(session, pupil, pair, day)
    if SessionStatus(row.status) is SessionStatus.HELD:
        for column, value in (("tutee_fun", clean.fun), ("tutee_learned", clean.learned),
                              ("tutee_together", clean.together)):  # fmt: skip
            if value is not None:
                setattr(row, column, value)
    told_anew = clean.tell and not row.tutee_says
    if clean.tell:
        row.tutee_says = True
        row.tutee_says_text = join_texts(row.tutee_says_text, clean.tell_text, limit=300)
        if clean.tell_text:
            row.worry_text = join_texts(row.worry_text, TUTEE_SAYS_MARK + clean.tell_text)
        row.worry = True
    row.tutee_answered_at = utcnow()
    session.flush()
    return TuteeSaved(pair.id, day, row.tutee_says, told_anew)


def tutee_has_login(session: Session, pupil: AuthenticatedPupil, pair_id: int) -> bool:
    """True when the tutee of the logged-in tutor's own pair ``pair_id`` has a personal login code (a card was
    made): then the tutee answers on their own login, not on the tutor's device."""
    pair = load_own_pair(session, pupil, pair_id)
    found = session.scalar(sa.select(PupilCredential.pupil_id).where(PupilCredential.pupil_id == pair.tutee_id))
    return found is not None
