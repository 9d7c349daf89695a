"""How long a school keeps what its pupils wrote (AVG: no longer than needed), as dates.

Everything expires by school year: what was written in a school year (1 August to 31 July) is kept until
31 July of that year plus the school's number of months, and is deleted on the day after. The numbers are
per kind: check-ins (with the evaluation talks and the before/after scale), worry texts (blanked inside the
check-ins, which stay) and pair histories (the runs of a programme that ended, with their pairs and everything on them).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from peermatch.errors import InvalidInputError, Problem

__all__ = [
    "DEFAULT_RETENTION",
    "MAX_MONTHS",
    "Retention",
    "RetentionCounts",
    "add_months",
    "kept_after",
    "school_year_end",
]

MAX_MONTHS = 120  # ten years: more is a typo


@dataclass(frozen=True)
class Retention:
    """Months after the end of the school year (31 July) that each kind of data is kept."""

    checkin_months: int = 12
    worry_months: int = 3
    pair_months: int = 12

    def __post_init__(self) -> None:
        for name in ("checkin_months", "worry_months", "pair_months"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_MONTHS:
                raise InvalidInputError(
                    Problem("privacy_admin.retention.months", column=name, value=str(value), params={"max": MAX_MONTHS})
                )
        if self.worry_months > self.checkin_months:
            raise InvalidInputError(
                Problem("privacy_admin.retention.worry_longer", column="worry_months", value=str(self.worry_months))
            )


DEFAULT_RETENTION = Retention()


@dataclass(frozen=True)
class RetentionCounts:
    """What one retention run deleted in one school (counts only, never the data)."""

    checkins: int = 0
    worry_texts: int = 0
    evaluations: int = 0
    runs: int = 0
    pairs: int = 0
    outcomes: int = 0  # answers to the before/after scale (kept as long as the check-ins)

    @property
    def total(self) -> int:
        return self.checkins + self.worry_texts + self.evaluations + self.runs + self.pairs + self.outcomes

    def as_text(self) -> str:
        """``checkins=3 worry_texts=1 ...``: what the audit log stores."""
        return " ".join(
            f"{k}={getattr(self, k)}" for k in ("checkins", "worry_texts", "evaluations", "runs", "pairs", "outcomes")
        )


def school_year_end(day: date) -> date:
    """31 July of the school year ``day`` is in (a school year runs from 1 August)."""
    return date(day.year if day.month <= 7 else day.year + 1, 7, 31)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, on the last day of a shorter month (31 July + 3 months = 31 October)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def kept_after(today: date, months: int) -> date:
    """The last day whose data has expired on ``today``: everything on or before it goes.

    That is the newest 31 July ``E`` with ``E + months`` before ``today`` (``date.min`` when none).
    """
    end = school_year_end(today)
    while add_months(end, months) >= today:
        end = date(end.year - 1, 7, 31)
        if end.year < 1900:
            return date.min
    return end
