"""The weekly focus: what the teacher wants the pairs of a programme to work on this week (issue 13, item 7).

A word list ("woorden met -ij en -ei"), a strategy ("eerst samen voorspellen waar het verhaal over gaat", as in
PALS' *prediction relay*), an outdoor activity ("sommen-estafette op het schoolplein") or anything else. One focus
per programme per school week (Monday to Sunday); the tutors see the current week's on *Mijn maatje*. Plain text,
at most :data:`TEXT_MAX` characters, never markup.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from peermatch.errors import InvalidInputError, Problem

__all__ = ["TEXT_MAX", "FocusKind", "WeeklyFocus", "clean_focus_text", "current_focus", "week_start"]

TEXT_MAX = 300  # a short instruction a 9-year-old reads in one go; the teacher's guide holds the rest


class FocusKind(StrEnum):
    """What kind of focus it is; the pupil's screen shows an icon and a word for each."""

    WORDS = "words"  # a word list
    STRATEGY = "strategy"  # a reading or maths strategy
    OUTDOOR = "outdoor"  # an active task outside
    OTHER = "other"


@dataclass(frozen=True)
class WeeklyFocus:
    programme_id: int
    week: date  # the Monday of the school week
    kind: FocusKind
    text: str
    by: str  # the teacher's name as shown to colleagues (not to pupils)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (ISO weeks, as Dutch schools count them)."""
    return day - timedelta(days=day.weekday())


def clean_focus_text(text: str) -> str:
    """The text as stored: trimmed, line breaks kept, other control characters refused; 1-300 characters."""
    value = text.strip()
    if not value:
        raise InvalidInputError(Problem("focus.error.empty", column="focus"))
    if len(value) > TEXT_MAX:
        raise InvalidInputError(Problem("focus.error.too_long", column="focus", value=str(TEXT_MAX)))
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
        raise InvalidInputError(Problem("focus.error.control", column="focus"))
    return value


def current_focus(focuses: Iterable[WeeklyFocus], today: date) -> WeeklyFocus | None:
    """This week's focus among ``focuses`` (of one programme), or None: last week's is not this week's."""
    monday = week_start(today)
    return next((f for f in focuses if f.week == monday), None)
