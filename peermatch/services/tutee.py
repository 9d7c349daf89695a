"""A tutee's own login: "Mijn maatje" (the tutor's first name, the weekly moment) and their own check-in.

A pupil who is the tutee of an active pair and tutors nobody gets the tutee's pages (``is_tutee_only``). The
answers are private: the tutor never sees them; "Ik wil de juf iets vertellen" is a signal for the group's
teacher and the IB'er (see ``peermatch.storage.tutee_store``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services.database import Database
from peermatch.storage import tutee_store
from peermatch.storage.pupil_logins import require_active_pupil
from peermatch.storage.tutee_store import MaatjeCard, TuteeSaved
from peermatch.tutee_checkin import TuteeAnswers, validate_tutee

__all__ = [
    "MaatjeCard",
    "TuteeAnswers",
    "TuteeHome",
    "TuteeSaved",
    "is_tutee_only",
    "save_tutee_checkin",
    "tutee_answers_on_own_login",
    "tutee_home",
]


@dataclass(frozen=True)
class TuteeHome:
    first_name: str
    maatjes: tuple[MaatjeCard, ...]


def is_tutee_only(db: Database, pupil: AuthenticatedPupil) -> bool:
    """True when the pupil is the tutee of an active pair and tutors nobody (a tutor keeps the tutor's pages)."""
    with db.read() as session:
        return not tutee_store.is_tutor(session, pupil) and bool(tutee_store.maatje_cards(session, pupil))


def tutee_home(db: Database, pupil: AuthenticatedPupil) -> TuteeHome:
    """The logged-in tutee's own first name and a card per maatje (the tutor's first name, the moments)."""
    with db.read() as session:
        me = require_active_pupil(session, pupil)
        return TuteeHome(me.first_name, tuple(tutee_store.maatje_cards(session, pupil)))


def save_tutee_checkin(db: Database, pupil: AuthenticatedPupil, answers: TuteeAnswers, *, today: date) -> TuteeSaved:
    """Validate and store the logged-in tutee's own check-in for today (committed before it returns; retried
    while the database is busy, since a whole class answers at the end of the moment). ``CheckInError`` lists
    every problem; ``PermissionDeniedError`` for a pair the pupil is not the tutee of."""
    clean = validate_tutee(answers)
    return db.write_retrying(lambda session: tutee_store.record_tutee_answers(session, pupil, clean, today))


def tutee_answers_on_own_login(db: Database, pupil: AuthenticatedPupil, pair_id: int) -> bool:
    """For the logged-in tutor's pair: True when the tutee has a login of their own, so the tutor's check-in
    hands the device over no more (the tutee answers on their own screen); False keeps the hand-over."""
    with db.read() as session:
        return tutee_store.tutee_has_login(session, pupil, pair_id)
