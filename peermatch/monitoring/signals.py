"""The detectors that pair health and alerts share, so both always agree.

Each returns what it saw and an *anchor* date: the day the situation began, which stays the same
while the situation lasts (alert ids are built from it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from peermatch.i18n import translate
from peermatch.monitoring.history import CheckIn, PairHistory, SessionStatus, sessions_settled_by

__all__ = [
    "TRAINING_LEAD_DAYS",
    "BehindPlan",
    "Falling",
    "MissedStreak",
    "Silence",
    "behind_plan",
    "falling_score",
    "missed_streak",
    "recent_flags",
    "silence",
    "training_due",
    "with_labels",
]

TRAINING_LEAD_DAYS = 7
"""An unfinished training is a signal from this many days before the pair's first planned session: not on the
day the pairs are published, when the first session may be weeks away and the tutor has time to train."""

SCORES = ("tutor_mood", "tutee_fun")  # the scores whose fall is a signal (tutee_learned is reported, not alerted)


@dataclass(frozen=True)
class MissedStreak:
    count: int
    anchor: date  # the first missed session of the streak


@dataclass(frozen=True)
class Falling:
    score: str  # "tutor_mood" or "tutee_fun"
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


def missed_streak(checkins: tuple[CheckIn, ...]) -> MissedStreak | None:
    """The run of missed sessions at the end (``checkins`` oldest first), or ``None``."""
    count, anchor = 0, None
    for c in reversed(checkins):
        if not c.status.missed:
            break
        count, anchor = count + 1, c.day
    return MissedStreak(count, anchor) if anchor is not None else None


def falling_score(checkins: tuple[CheckIn, ...], score: str, sessions: int) -> Falling | None:
    """A score is *falling* when each of its last ``sessions`` answers is lower than the one before.

    Example with 3: 4, 3, 2 and 5, 3, 1 fall; 4, 4, 2 and 3, 3, 3 and 4, 2, 3 do not. Unanswered
    sessions are skipped. The run reported is the longest falling run ending at the latest answer,
    so its anchor (first answer of the run) stays put while the fall goes on.
    """
    answered = [(c.day, v) for c in checkins if (v := getattr(c, score)) is not None]
    start = len(answered) - 1
    while start > 0 and answered[start - 1][1] > answered[start][1]:
        start -= 1
    if len(answered) - start < sessions:
        return None
    return Falling(score, tuple(v for _, v in answered[start:]), answered[start][0])


def silence(history: PairHistory, as_of: date) -> Silence | None:
    """School days since the last check-in; ``None`` before the first planned session. The plan's days off
    (holidays, cancelled days) do not count: two weeks of kerstvakantie are no silence."""
    planned = history.plan.planned_dates()
    if not planned or planned[0] > as_of:
        return None
    done = history.checkins_until(as_of)
    anchor = done[-1].day if done else planned[0]
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
    since = as_of - timedelta(days=days - 1)
    return tuple(c for c in history.checkins_until(as_of) if c.day >= since and (c.worry or c.help_needed))


def behind_plan(history: PairHistory, as_of: date, pct: float, min_planned: int = 1) -> BehindPlan | None:
    """The pair is behind when at least ``pct`` % of the sessions planned so far were not held, once
    at least ``min_planned`` sessions were planned (one missed first session is not yet a trend).

    Like the dosage, only the sessions of the days before ``as_of`` count (:func:`sessions_settled_by`).
    One pass over the planned dates and the check-ins (a 1,000-pair school is checked in milliseconds).
    """
    as_of = sessions_settled_by(as_of)
    planned = [d for d in history.plan.planned_dates() if d <= as_of]
    if not planned or len(planned) < min_planned:
        return None
    held_days = [c.day for c in history.checkins_until(as_of) if c.status is SessionStatus.HELD]

    def behind(planned_count: int, held_count: int) -> float:
        return round(100 * max(0, planned_count - held_count) / planned_count, 1)

    # held sessions on or before each planned date
    held_by: list[int] = []
    k = 0
    for day in planned:
        while k < len(held_days) and held_days[k] <= day:
            k += 1
        held_by.append(k)
    total = behind(len(planned), len(held_days))
    if total < pct:
        return None
    i = len(planned) - 1
    while i > 0 and behind(i, held_by[i - 1]) >= pct:
        i -= 1
    return BehindPlan(len(planned), len(held_days), total, planned[i])


def with_labels(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """``params`` plus ``score_label`` (the score's name in ``lang``) when a ``score`` is among them."""
    out = dict(params)
    if "score" in out:
        out["score_label"] = translate(f"monitoring.score.{out['score']}", lang)
    return out
