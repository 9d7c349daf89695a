"""The stored record of a tutor's quiz try, as plain values (the repositories build it, the training core reads it).

Kept apart from ``peermatch.training`` so that storage can hand attempts to the core without
importing the training rules; ``peermatch.training`` re-exports both classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["AnswerRecord", "Attempt", "percent"]


def percent(correct: int, total: int) -> float:
    """Percentage right, 0-100, rounded to one decimal (0.0 for an empty quiz)."""
    return round(100 * correct / total, 1) if total else 0.0


@dataclass(frozen=True)
class AnswerRecord:
    """What storage keeps per question of an attempt (enough for the item analysis)."""

    question_id: str
    chosen: str | None
    correct: bool
    shown: tuple[str, ...] = ()  # the choice ids in the order the tutor saw them (empty in rows from before shuffling)


@dataclass(frozen=True)
class Attempt:
    """One stored try of one tutor at one module. ``passed`` keeps the verdict of the pass mark in
    force at the time. A ``datetime`` for ``taken_on`` is reduced to its date."""

    module_id: str
    number: int  # 1 for the first try
    taken_on: date
    correct: int
    total: int
    passed: bool
    tutor_id: str = ""
    module_version: int = 1
    answers: tuple[AnswerRecord, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.taken_on, datetime):
            object.__setattr__(self, "taken_on", self.taken_on.date())
        if self.number < 1 or self.total < 1 or not 0 <= self.correct <= self.total:
            raise ValueError(f"impossible attempt: number {self.number}, {self.correct} of {self.total} right")
        if self.answers and (len(self.answers) != self.total or sum(a.correct for a in self.answers) != self.correct):
            raise ValueError("the answers of an attempt do not add up to its score")

    @property
    def score(self) -> float:
        """Percentage right, 0-100, rounded to one decimal."""
        return percent(self.correct, self.total)
