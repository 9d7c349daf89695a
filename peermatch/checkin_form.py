"""What a tutor's check-in form holds, as plain values: the session status and the form itself.

Kept apart from ``peermatch.checkins`` (questions and validation) so that storage can store and
return check-ins without importing the check-in rules; ``peermatch.checkins`` re-exports both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["CheckInForm", "SessionStatus"]


class SessionStatus(StrEnum):
    HELD = "held"  # the session took place
    TUTEE_ABSENT = "tutee_absent"
    TUTOR_ABSENT = "tutor_absent"
    CANCELLED = "cancelled"  # e.g. a school trip, a sports day


@dataclass(frozen=True)
class CheckInForm:
    """What the check-in screen sends. ``submission_id`` is made once per form (``new_submission_id``):
    submitting the same form twice stores one check-in."""

    submission_id: str
    pair_id: int
    session_date: date
    status: SessionStatus | str = SessionStatus.HELD
    minutes: int | None = None
    activity: str = ""
    tutor_mood: int | None = None
    went_well: str = ""
    was_hard: str = ""
    try_next: str = ""
    needs_help: bool = False
    worry: bool = False
    worry_text: str = ""
    tutee_fun: int | None = None
    tutee_learned: int | None = None
