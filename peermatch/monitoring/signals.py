"""The detectors that pair health and alerts share, so both always agree.

Each returns what it saw and an *anchor* date: the day the situation began, which stays the same
while the situation lasts (alert ids are built from it).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from peermatch.i18n import translate
from peermatch.monitoring.history import CheckIn, CheckInSeries, PairHistory, SessionStatus, sessions_settled_by
from peermatch.monitoring.thresholds import DEFAULT_THRESHOLDS, Thresholds

__all__ = [
    "TRAINING_LEAD_DAYS",
    "BehindPlan",
    "Falling",
    "MissedStreak",
    "PairSignals",
    "Silence",
    "behind_plan",
    "falling_score",
    "missed_streak",
    "pair_signals",
    "recent_flags",
    "silence",
    "training_due",
    "with_labels",
]

TRAINING_LEAD_DAYS = 7
"""An unfinished training is a signal from this many days before the pair's first planned session: not on the
day the pairs are published, when the first session may be weeks away and the tutor has time to train."""

# the scores whose fall is a signal (tutee_learned is reported, not alerted); "together": how the two get on (issue 13)
SCORES = ("tutor_mood", "tutee_fun", "together")


@dataclass(frozen=True)
class MissedStreak:
    count: int
    anchor: date  # the first missed session of the streak


@dataclass(frozen=True)
class Falling:
    score: str  # one of SCORES
    values: tuple[int, ...]  # the whole non-rising run, oldest first
    anchor: date  # the first session of that run


@dataclass(frozen=True)
class Silence:
    days: int
    anchor: date  # the last check-in, or the plan's first session when there is none


@dataclass(frozen=True)
class BehindPlan:
    planned: int
    held: int
    pct: float
    anchor: date  # the first planned day since which the pair has been behind without a break


def missed_streak(series: CheckInSeries, k: int | None = None) -> MissedStreak | None:
    """The run of missed sessions at the end of the first ``k`` check-ins (all when ``None``), or ``None``."""
    status = series.status
    i = len(status) if k is None else k
    end = i
    while i > 0 and status[i - 1] is not SessionStatus.HELD:
        i -= 1
    return MissedStreak(end - i, series.days[i]) if i < end else None


def falling_score(series: CheckInSeries, score: str, sessions: int, k: int | None = None) -> Falling | None:
    """A score is *falling* when each of its last ``sessions`` answers is lower than the one before (among the
    first ``k`` check-ins; all when ``None``).

    Example with 3: 4, 3, 2 and 5, 3, 1 fall; 4, 4, 2 and 3, 3, 3 and 4, 2, 3 do not. Unanswered
    sessions are skipped. The run reported is the longest falling run ending at the latest answer,
    so its anchor (first answer of the run) stays put while the fall goes on.
    """
    column: tuple[int | None, ...] = getattr(series, score)
    i = len(column) if k is None else k
    values: list[int] = []  # the run, newest first
    first = -1
    while i > 0:
        i -= 1
        v = column[i]
        if v is None:
            continue
        if values and not v > values[-1]:
            break
        values.append(v)
        first = i
    if len(values) < sessions:
        return None
    return Falling(score, tuple(reversed(values)), series.days[first])


def silence(history: PairHistory, as_of: date) -> Silence | None:
    """School days since the last check-in; ``None`` before the first planned session. The plan's days off
    (holidays, cancelled days) do not count: two weeks of kerstvakantie are no silence."""
    planned = history.plan.planned_dates()
    if not planned or planned[0] > as_of:
        return None
    series = history.series
    k = series.until(as_of)
    anchor = series.days[k - 1] if k else planned[0]
    return Silence((as_of - anchor).days - history.plan.days_off_between(anchor, as_of), anchor)


def training_due(history: PairHistory, as_of: date, lead_days: int = TRAINING_LEAD_DAYS) -> date | None:
    """The pair's first planned session when its tutor has not finished the training and that session is at
    most ``lead_days`` days away (or already past); ``None`` otherwise (trained, or the first session far off)."""
    if history.training_ready:
        return None
    planned = history.plan.planned_dates()
    first = planned[0] if planned else history.plan.start
    return first if (first - as_of).days <= lead_days else None


def recent_flags(history: PairHistory, as_of: date, days: int) -> tuple[CheckIn, ...]:
    """Check-ins of the last ``days`` days (as_of included) with a worry or a help request."""
    series = history.series
    since = as_of - timedelta(days=days - 1)
    worry, help_needed = series.worry, series.help_needed
    return tuple(series.row(i) for i in range(bisect_left(series.days, since), series.until(as_of))
                 if worry[i] or help_needed[i])  # fmt: skip


def behind_plan(history: PairHistory, as_of: date, pct: float, min_planned: int = 1) -> BehindPlan | None:
    """The pair is behind when at least ``pct`` % of the sessions planned so far were not held, once
    at least ``min_planned`` sessions were planned (one missed first session is not yet a trend).

    Like the dosage, only the sessions of the days before ``as_of`` count (:func:`sessions_settled_by`).
    One pass over the planned dates and the check-ins (a 1,000-pair school is checked in milliseconds).
    """
    as_of = sessions_settled_by(as_of)
    all_planned = history.plan.planned_dates()
    n = bisect_right(all_planned, as_of)
    if not n or n < min_planned:
        return None
    series = history.series
    status, days = series.status, series.days
    held_days = [days[i] for i in range(series.until(as_of)) if status[i] is SessionStatus.HELD]
    held = len(held_days)

    def behind(planned_count: int, held_count: int) -> float:
        return round(100 * max(0, planned_count - held_count) / planned_count, 1)

    total = behind(n, held)
    if total < pct:
        return None

    # going back from the end: the earliest planned date since which the pair has been behind without a break
    i = n - 1
    k = held
    while i > 0:
        day = all_planned[i - 1]
        while k > 0 and held_days[k - 1] > day:
            k -= 1
        if behind(i, k) < pct:
            break
        i -= 1
    return BehindPlan(n, held, total, all_planned[i])


@dataclass(frozen=True)
class PairSignals:
    """Everything the health rules and the alerts read of one pair on one day, detected once."""

    flags: tuple[CheckIn, ...]  # worries and help requests of the last ``worry_days`` days
    streak: MissedStreak | None
    falls: tuple[Falling, ...]  # the falling scores, in :data:`SCORES` order
    training: date | None  # :func:`training_due`
    quiet: Silence | None
    behind: BehindPlan | None  # with the dosage_behind threshold
    held: int  # sessions held on or before the day


def pair_signals(history: PairHistory, as_of: date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> PairSignals:
    """The pair's signals on ``as_of`` (check-ins after that day are ignored)."""
    t = thresholds
    series = history.series
    k = series.until(as_of)
    falls = tuple(f for score in SCORES if (f := falling_score(series, score, t.mood_falling_sessions, k)))
    status = series.status
    return PairSignals(
        flags=recent_flags(history, as_of, t.worry_days),
        streak=missed_streak(series, k),
        falls=falls,
        training=training_due(history, as_of),
        quiet=silence(history, as_of),
        behind=behind_plan(history, as_of, t.dosage_behind_pct, t.too_early_sessions),
        held=status[:k].count(SessionStatus.HELD),  # a C loop: 300,000 statuses at 10,000 pairs
    )


def with_labels(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """``params`` plus ``score_label`` (the score's name in ``lang``) when a ``score`` is among them."""
    out = dict(params)
    if "score" in out:
        out["score_label"] = translate(f"monitoring.score.{out['score']}", lang)
    return out
