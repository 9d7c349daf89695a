"""Outcomes: level growth before/after (participants against non-participants) and check-in trends.

Level growth is measured on the shared index (Start=0, M3=1, E3=2 ... Plus=11). Convention: **one
index step is half a school year, about 5 school months** (the AVI M- and E-tests are taken half a
year apart; a school year has about 10 teaching months), so ``months = steps × 5``. This is a rough
reading aid, not a norm.

A pupil's growth runs from a *baseline* (the last measurement on or before the start date, or the
first measurement when none is that early) to the latest measurement after the baseline. Pupils
with fewer than two usable measurements are left out and not counted in ``n``.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from peermatch.monitoring.history import LevelMeasurement, PairHistory, PupilLevels, SessionStatus

__all__ = [
    "MONTHS_PER_STEP",
    "GrowthComparison",
    "GrowthSummary",
    "PairTrend",
    "ProgrammeMeans",
    "compare_growth",
    "level_growth",
    "pair_trend",
    "programme_means",
    "slope",
    "summarise_growth",
]

MONTHS_PER_STEP = 5.0
TREND_SCORES = ("tutor_mood", "tutee_fun", "tutee_learned")


def level_growth(measurements: Sequence[LevelMeasurement], start: date | None = None) -> float | None:
    """Index steps gained from the baseline to the latest measurement; ``None`` without two measurements."""
    ordered = sorted(measurements, key=lambda m: m.day)
    if len(ordered) < 2:
        return None
    before = [m for m in ordered if start is not None and m.day <= start]
    baseline = before[-1] if before else ordered[0]
    latest = ordered[-1]
    if latest.day <= baseline.day:
        return None
    return latest.index - baseline.index


@dataclass(frozen=True)
class GrowthSummary:
    n: int
    mean_steps: float | None
    median_steps: float | None

    @property
    def mean_months(self) -> float | None:
        return None if self.mean_steps is None else round(self.mean_steps * MONTHS_PER_STEP, 1)

    @property
    def median_months(self) -> float | None:
        return None if self.median_steps is None else round(self.median_steps * MONTHS_PER_STEP, 1)


def summarise_growth(growths: Iterable[float]) -> GrowthSummary:
    values = list(growths)
    if not values:
        return GrowthSummary(0, None, None)
    return GrowthSummary(len(values), round(statistics.fmean(values), 2), round(statistics.median(values), 2))


@dataclass(frozen=True)
class GrowthComparison:
    """Growth of one role (``tutee`` or ``tutor``) in one groep, against non-participants of that groep."""

    role: str
    group: str
    participants: GrowthSummary
    non_participants: GrowthSummary

    @property
    def difference_steps(self) -> float | None:
        """Mean growth of participants minus non-participants; ``None`` when either side has no data."""
        p, o = self.participants.mean_steps, self.non_participants.mean_steps
        return None if p is None or o is None else round(p - o, 2)

    @property
    def difference_months(self) -> float | None:
        d = self.difference_steps
        return None if d is None else round(d * MONTHS_PER_STEP, 1)


def compare_growth(
    histories: Iterable[PairHistory],
    non_participants: Iterable[PupilLevels] = (),
    *,
    start: date | None = None,
) -> list[GrowthComparison]:
    """Growth per role and groep, sorted by role (tutees first) then groep.

    Participants' baseline is their own plan's start (``start`` overrides it); non-participants use
    ``start``, or when it is ``None`` the earliest plan start among the histories. A pupil who is in
    two pairs (a tutor with two tutees) is counted once. Non-participant groeps without participants
    are left out.
    """
    histories = list(histories)
    common: date | None = min(h.plan.start for h in histories) if start is None and histories else start
    growth: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for h in histories:
        since = start or h.plan.start
        for role, pupil, group, levels in (
            ("tutee", h.tutee_id, h.tutee_group, h.tutee_levels),
            ("tutor", h.tutor_id, h.tutor_group, h.tutor_levels),
        ):
            g = level_growth(levels, since)
            if g is not None:
                growth[(role, group)][pupil] = g
    others: dict[str, dict[str, float]] = defaultdict(dict)
    for p in non_participants:
        g = level_growth(p.measurements, common)
        if g is not None:
            others[p.group][p.pupil_id] = g
    roles = {"tutee": 0, "tutor": 1}
    return [
        GrowthComparison(role, group, summarise_growth(values.values()), summarise_growth(others[group].values()))
        for (role, group), values in sorted(growth.items(), key=lambda kv: (roles[kv[0][0]], kv[0][1]))
    ]


def slope(values: Sequence[float]) -> float | None:
    """Least-squares slope per session of ``values`` taken at sessions 0, 1, 2, ...; ``None`` under two values."""
    n = len(values)
    if n < 2:
        return None
    mean_x, mean_y = (n - 1) / 2, statistics.fmean(values)
    sxx = sum((x - mean_x) ** 2 for x in range(n))
    return round(sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values)) / sxx, 3)


@dataclass(frozen=True)
class PairTrend:
    """Per score: the slope (points per session) and mean over the pair's last ``last_n`` answers."""

    pair_id: str
    slopes: dict[str, float | None]
    means: dict[str, float | None]
    sessions: int  # held sessions considered


def pair_trend(history: PairHistory, as_of: date | None = None, *, last_n: int = 6) -> PairTrend:
    """Trends of tutor mood, tutee fun and tutee learned over the last ``last_n`` held sessions."""
    done = history.sorted_checkins if as_of is None else history.checkins_until(as_of)
    held = [c for c in done if c.status is SessionStatus.HELD][-last_n:]
    slopes: dict[str, float | None] = {}
    means: dict[str, float | None] = {}
    for score in TREND_SCORES:
        values = [float(v) for c in held if (v := getattr(c, score)) is not None]
        slopes[score] = slope(values)
        means[score] = round(statistics.fmean(values), 2) if values else None
    return PairTrend(history.pair_id, slopes, means, len(held))


@dataclass(frozen=True)
class ProgrammeMeans:
    """Means of every answered score over all held sessions, and the share of sessions where the
    tutee learned something (learned ≥ 4 of 5)."""

    checkins: int
    means: dict[str, float | None]
    learned_share: float | None  # 0-1


def programme_means(histories: Iterable[PairHistory], as_of: date | None = None) -> ProgrammeMeans:
    sums = dict.fromkeys(TREND_SCORES, 0.0)
    counts = dict.fromkeys(TREND_SCORES, 0)
    held = learned_high = 0
    for h in histories:
        for c in h.sorted_checkins if as_of is None else h.checkins_until(as_of):
            if c.status is not SessionStatus.HELD:
                continue
            held += 1
            for score in TREND_SCORES:
                v = getattr(c, score)
                if v is not None:
                    sums[score] += v
                    counts[score] += 1
            if c.tutee_learned is not None and c.tutee_learned >= 4:
                learned_high += 1
    means = {s: (round(sums[s] / counts[s], 2) if counts[s] else None) for s in TREND_SCORES}
    share = round(learned_high / counts["tutee_learned"], 3) if counts["tutee_learned"] else None
    return ProgrammeMeans(held, means, share)
