"""What a tutor's check-in form holds, as plain values: the session status and the form itself.

Kept apart from ``peermatch.checkins`` (questions and validation) so that storage can store and
return check-ins without importing the check-in rules; ``peermatch.checkins`` re-exports both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["TUTEE_SAYS_MARK", "TUTOR_OWN_MARK", "CheckInForm", "SessionStatus", "TuteeAnswers"]

# The signal pages read ``worry_text``: a tutor's own trouble and a tutee's message are added to it with a mark,
# so the teacher sees whose words they are (their own columns keep them apart as well).
TUTOR_OWN_MARK = "🎓 tutor zelf: "
TUTEE_SAYS_MARK = "🧒 maatje: "


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
    tutor_together: int | None = None  # "Hoe ging het samen?" (1-5)
    tutor_own: bool = False  # "Ik wil zelf iets vertellen": the tutor's own trouble, a signal for the juf
    tutor_own_text: str = ""


@dataclass(frozen=True)
class TuteeAnswers:
    """What the tutee's own check-in screen sends (on the tutee's own login), for one pair and today: three
    faces 1-5 ("Ik vond het fijn met mijn maatje", "Ik heb iets geleerd", "Hoe ging het samen?") and the
    private "Ik wil de juf iets vertellen" with an optional short text. The tutor never sees any of it back."""

    pair_id: int
    fun: int | None = None
    learned: int | None = None
    together: int | None = None
    tell: bool = False
    tell_text: str = ""
