"""The board view: per school and programme the aggregates a school board or a city programme may see.

A *bovenschools coördinator* (role ``bovenschools``) sees, for every school of their board, the programmes,
pairs (active and ended), dosage (sessions held against planned), pair-health counts and the tutees' level
growth against non-participants. Never a pupil: no names, no ids, and small cells are suppressed (any count
below :data:`SMALL_CELL` is shown as ``<5``; no growth figure for fewer than :data:`SMALL_CELL` pupils; no dosage
for fewer than :data:`SMALL_CELL` running pairs, since one pair's sessions are that pair's data).

Pure functions over what :mod:`peermatch.monitoring` computes (its public functions, read-only). The rule that
a board account never reads a pupil is :func:`peermatch.board_policy.refuse_board`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from peermatch import monitoring as mon
from peermatch.exports import to_csv

__all__ = [
    "CSV_COLUMNS",
    "SMALL_CELL",
    "SUPPRESSED",
    "BoardLine",
    "Count",
    "GrowthLine",
    "GrowthSide",
    "ProgrammeFigures",
    "board_csv",
    "board_line",
    "board_lines",
    "programme_figures",
    "shown",
    "suppress",
]

SMALL_CELL = 5  # the smallest count shown as a number
SUPPRESSED = "<5"  # what a suppressed count shows (the same in every language)
HEALTHS = tuple(mon.Health)

Count = int | None  # None: suppressed (fewer than SMALL_CELL)


def suppress(n: int) -> Count:
    """``n`` when it is at least :data:`SMALL_CELL`, else ``None`` (shown as ``<5``)."""
    return n if n >= SMALL_CELL else None


def shown(count: Count) -> str:
    """A count as a cell: the number, or ``<5``."""
    return SUPPRESSED if count is None else str(count)


@dataclass(frozen=True)
class GrowthSide:
    n: int  # pupils with a baseline and a later measurement
    mean_months: float | None


@dataclass(frozen=True)
class ProgrammeFigures:
    """One programme's exact figures (never shown as they are: :func:`board_lines` suppresses them)."""

    school: str
    programme: str
    subject: str
    active_pairs: int
    ended_pairs: int
    planned: int  # sessions planned so far, over the running pairs
    held: int  # sessions held
    health: Mapping[mon.Health, int]
    tutees: GrowthSide  # the tutees' growth since their pair's start
    others: GrowthSide  # non-participants of the tutees' groups, since the programme's first start


def _growth(values: Iterable[float]) -> GrowthSide:
    summary = mon.summarise_growth(values)
    return GrowthSide(summary.n, summary.mean_months)


def programme_figures(
    school: str,
    programme: str,
    subject: str,
    monitored: Sequence[mon.PairHistory],
    non_participants: Iterable[mon.PupilLevels],
    as_of: date,
    *,
    thresholds: mon.Thresholds = mon.DEFAULT_THRESHOLDS,
    triages: Mapping[str, mon.Triage] | None = None,
) -> ProgrammeFigures:
    """The figures of one programme from its monitoring histories (active and ended) on ``as_of``: health and
    dosage as the school's overview computes them (:func:`peermatch.monitoring.school_overview`), growth as
    :func:`peermatch.monitoring.level_growth` (a pupil in two pairs counted once)."""
    overview = mon.school_overview(monitored, as_of, thresholds=thresholds, triages=triages)
    tutees: dict[str, float] = {}
    groups: set[str] = set()
    for h in monitored:
        groups.add(h.tutee_group)
        g = mon.level_growth(h.tutee_levels, h.plan.start)
        if g is not None:
            tutees[h.tutee_id] = g
    common = min((h.plan.start for h in monitored), default=None)
    others: dict[str, float] = {}
    for p in non_participants:
        if p.group in groups:
            g = mon.level_growth(p.measurements, common)
            if g is not None:
                others[p.pupil_id] = g
    return ProgrammeFigures(
        school=school,
        programme=programme,
        subject=subject,
        active_pairs=len(overview.healths),
        ended_pairs=len(overview.ended),
        planned=overview.total.planned,
        held=overview.total.held,
        health={status: overview.counts.get(status, 0) for status in HEALTHS},
        tutees=_growth(tutees.values()),
        others=_growth(others.values()),
    )


@dataclass(frozen=True)
class GrowthLine:
    """Growth in months of level (``MONTHS_PER_STEP`` per index step), each only for 5 pupils or more."""

    tutees_n: Count
    tutees_months: float | None
    others_n: Count
    others_months: float | None

    @property
    def difference_months(self) -> float | None:
        if self.tutees_months is None or self.others_months is None:
            return None
        return round(self.tutees_months - self.others_months, 1)


@dataclass(frozen=True)
class BoardLine:
    """One programme of one school as the board sees it: only suppressed counts and aggregates."""

    school: str
    programme: str
    subject: str
    active_pairs: Count
    ended_pairs: Count
    planned: Count  # None also when fewer than 5 pairs run (a single pair's dosage is that pair's data)
    held: Count
    health: Mapping[mon.Health, Count]
    growth: GrowthLine

    @property
    def held_pct(self) -> float | None:
        """Sessions held as a share of planned, only when both counts are shown."""
        if self.planned is None or self.held is None or self.planned == 0:
            return None
        return round(100 * self.held / self.planned, 1)


def _side(side: GrowthSide) -> tuple[Count, float | None]:
    n = suppress(side.n)
    return n, (side.mean_months if n is not None else None)


def board_line(figures: ProgrammeFigures) -> BoardLine:
    """The figures with every small cell suppressed."""
    enough_pairs = figures.active_pairs >= SMALL_CELL
    tutees_n, tutees_months = _side(figures.tutees)
    others_n, others_months = _side(figures.others)
    return BoardLine(
        school=figures.school,
        programme=figures.programme,
        subject=figures.subject,
        active_pairs=suppress(figures.active_pairs),
        ended_pairs=suppress(figures.ended_pairs),
        planned=suppress(figures.planned) if enough_pairs else None,
        held=suppress(figures.held) if enough_pairs else None,
        health={status: suppress(figures.health.get(status, 0)) for status in HEALTHS},
        growth=GrowthLine(tutees_n, tutees_months, others_n, others_months),
    )


def board_lines(figures: Iterable[ProgrammeFigures]) -> list[BoardLine]:
    """Every programme's line, by school and programme name."""
    return sorted((board_line(f) for f in figures), key=lambda line: (line.school, line.programme))


CSV_COLUMNS = (
    "school",
    "programme",
    "subject",
    "active_pairs",
    "ended_pairs",
    "sessions_planned",
    "sessions_held",
    "held_pct",
    *(f"health_{status.value}" for status in HEALTHS),
    "tutees_with_growth",
    "tutee_growth_months",
    "non_participants_with_growth",
    "non_participant_growth_months",
    "growth_difference_months",
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def board_csv(lines: Iterable[BoardLine]) -> str:
    """The funder's export: one row per school and programme, the same suppressed cells as the page, every
    cell formula-safe (:func:`peermatch.exports.to_csv`). Column names are English, stable for a spreadsheet."""
    rows = [
        {
            "school": line.school,
            "programme": line.programme,
            "subject": line.subject,
            "active_pairs": shown(line.active_pairs),
            "ended_pairs": shown(line.ended_pairs),
            "sessions_planned": shown(line.planned),
            "sessions_held": shown(line.held),
            "held_pct": _number(line.held_pct),
            **{f"health_{status.value}": shown(line.health[status]) for status in HEALTHS},
            "tutees_with_growth": shown(line.growth.tutees_n),
            "tutee_growth_months": _number(line.growth.tutees_months),
            "non_participants_with_growth": shown(line.growth.others_n),
            "non_participant_growth_months": _number(line.growth.others_months),
            "growth_difference_months": _number(line.growth.difference_months),
        }
        for line in lines
    ]
    return to_csv(rows, CSV_COLUMNS)
