"""Dosage: sessions held against the plan, per pair and per group.

``planned`` counts the plan's session dates before the day asked and ``held`` the check-ins with status
*held* for those days: a session counts once its day is over (:func:`sessions_settled_by`), so a
session day does not start with every pair one session behind. ``behind_pct`` is the share of the planned
sessions so far that were not held, 0-100 (never negative: extra sessions do not bank credit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import compress

from peermatch.monitoring.history import PairHistory, SessionStatus, sessions_settled_by

__all__ = [
    "DosageTotals",
    "GroupDosage",
    "PairDosage",
    "group_dosage",
    "groups_of",
    "pair_dosage",
    "programme_dosage",
    "total_of",
]


@dataclass(frozen=True)
class DosageTotals:
    planned: int
    held: int
    missed: int  # recorded as absent or cancelled
    minutes: int  # minutes of held sessions

    @property
    def behind(self) -> int:
        return max(0, self.planned - self.held)

    @property
    def behind_pct(self) -> float:
        return 0.0 if self.planned == 0 else round(100 * self.behind / self.planned, 1)

    @property
    def held_pct(self) -> float:
        """Held as a percentage of planned (can exceed 100); 0 when nothing was planned yet."""
        return 0.0 if self.planned == 0 else round(100 * self.held / self.planned, 1)


@dataclass(frozen=True)
class PairDosage(DosageTotals):
    pair_id: str
    group: str
    planned_total: int  # the whole plan


@dataclass(frozen=True)
class GroupDosage(DosageTotals):
    group: str
    pairs: int
    pairs_behind: int  # pairs at or over the given behind threshold


def pair_dosage(history: PairHistory, as_of: date) -> PairDosage:
    """Planned vs held for one pair: the sessions of the days before ``as_of``."""
    until = sessions_settled_by(as_of)
    series = history.series
    k = series.until(until)
    status, length = series.status, series.minutes
    held_minutes = list(compress(length[:k], [s is SessionStatus.HELD for s in status[:k]]))
    held, minutes = len(held_minutes), sum(held_minutes)
    missed = k - held
    return PairDosage(
        planned=history.plan.planned_until(until),
        held=held,
        missed=missed,
        minutes=minutes,
        pair_id=history.pair_id,
        group=history.group,
        planned_total=history.plan.total,
    )


def group_dosage(
    histories: Iterable[PairHistory],
    as_of: date,
    *,
    key: Callable[[PairHistory], str] = lambda h: h.group,
    behind_pct: float = 25,
) -> list[GroupDosage]:
    """Totals per group (by default the tutee's groep), sorted by group name."""
    return groups_of([(key(h), pair_dosage(h, as_of)) for h in histories], behind_pct=behind_pct)


def groups_of(rows: Iterable[tuple[str, PairDosage]], *, behind_pct: float = 25) -> list[GroupDosage]:
    """Totals per group of pairs' dosages already computed (group name, dosage), sorted by group name."""
    buckets: dict[str, list[PairDosage]] = defaultdict(list)
    for name, row in rows:
        buckets[name].append(row)
    return [_sum(name, group, behind_pct) for name, group in sorted(buckets.items())]


def total_of(rows: list[PairDosage], *, behind_pct: float = 25) -> GroupDosage:
    """Totals over pairs' dosages already computed (group name ``""``)."""
    return _sum("", rows, behind_pct)


def programme_dosage(histories: Iterable[PairHistory], as_of: date, *, behind_pct: float = 25) -> GroupDosage:
    """Totals over every pair (group name ``""``)."""
    return _sum("", [pair_dosage(h, as_of) for h in histories], behind_pct)


def _sum(name: str, rows: list[PairDosage], behind_pct: float) -> GroupDosage:
    return GroupDosage(
        planned=sum(r.planned for r in rows),
        held=sum(r.held for r in rows),
        missed=sum(r.missed for r in rows),
        minutes=sum(r.minutes for r in rows),
        group=name,
        pairs=len(rows),
        pairs_behind=sum(1 for r in rows if r.planned and r.behind_pct >= behind_pct),
    )
