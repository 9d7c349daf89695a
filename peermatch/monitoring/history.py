"""What monitoring reads: one pair's plan, check-ins, training state and level measurements.

Plain frozen values, filled by the caller (the storage layer or :mod:`peermatch.monitoring.synthetic`).
Nothing here touches a database. Dates are school-local calendar dates.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter
from typing import overload

from peermatch.errors import MonitoringError, Problem

__all__ = [
    "CheckIn",
    "CheckInSeries",
    "LevelMeasurement",
    "MonitoringError",
    "PairHistory",
    "Plan",
    "PupilLevels",
    "SessionStatus",
    "active_only",
    "sessions_settled_by",
]


def sessions_settled_by(as_of: date) -> date:
    """The last day whose sessions count in the dosage on ``as_of``: the day before. A session is due
    once its day is over, so on Tuesday morning Tuesday's session is not yet missing (the pair may hold
    it later that day and the tutor fills in the check-in afterwards); a session held today counts
    tomorrow, the same way for planned and held."""
    return as_of - timedelta(days=1)


def active_only(histories: Iterable[PairHistory]) -> list[PairHistory]:
    """The pairs that still run: the only ones that get alerts and count in health, dosage and group counts."""
    return [h for h in histories if h.active]


class SessionStatus(StrEnum):
    HELD = "held"  # the session took place
    TUTEE_ABSENT = "tutee_absent"
    TUTOR_ABSENT = "tutor_absent"
    CANCELLED = "cancelled"  # e.g. a school trip or a teacher's decision

    @property
    def missed(self) -> bool:
        return self is not SessionStatus.HELD


@dataclass(frozen=True)
class Plan:
    """The programme's plan for one pair: ``weeks`` weeks from ``start``, ``sessions_per_week`` sessions a week.

    ``weekdays`` are the fixed weekly moments, ISO numbered like the programme's moments (Monday = 1 …
    Sunday = 7); when given there must be exactly ``sessions_per_week`` of them: one session per moment.
    Without weekdays the sessions are spread evenly over each week starting on ``start``'s weekday.
    ``days_off`` are the school's holidays and the programme's cancelled days (the school's calendar,
    :func:`peermatch.calendar.plan.programme_plan`): no session is planned on them, so the dosage and every
    alert that counts planned sessions leave them out.
    """

    start: date
    weeks: int
    sessions_per_week: int = 1
    weekdays: tuple[int, ...] = ()
    days_off: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if self.weeks < 1:
            raise MonitoringError(Problem("monitoring.plan.weeks", value=str(self.weeks)))
        if not 1 <= self.sessions_per_week <= 7:
            raise MonitoringError(Problem("monitoring.plan.per_week", value=str(self.sessions_per_week)))
        if self.weekdays and (
            len(set(self.weekdays)) != self.sessions_per_week or not all(1 <= d <= 7 for d in self.weekdays)
        ):
            raise MonitoringError(Problem("monitoring.plan.weekdays", value=str(list(self.weekdays))))

    @property
    def end(self) -> date:
        """The last day of the plan (inclusive)."""
        return self.start + timedelta(days=7 * self.weeks - 1)

    @property
    def total(self) -> int:
        """The sessions of the whole plan (the days off left out)."""
        return len(self.planned_dates())

    def planned_dates(self) -> tuple[date, ...]:
        """Every planned session date, in order, without the days off (computed once per distinct plan: pairs
        share plans)."""
        return _planned_dates(self)

    def skipped_dates(self) -> tuple[date, ...]:
        """The moments' dates that fall on a day off (a holiday or a cancelled day), in order."""
        return tuple(d for d in _moment_dates(self) if d in self.days_off)

    def days_off_between(self, after: date, until: date) -> int:
        """How many days off lie after ``after`` and on or before ``until``."""
        return sum(1 for d in self.days_off if after < d <= until)

    def planned_until(self, day: date) -> int:
        """How many sessions were planned on or before ``day``."""
        return bisect_right(self.planned_dates(), day)


@lru_cache(maxsize=4096)  # bounded: a long-running server sees new plans every term
def _planned_dates(plan: Plan) -> tuple[date, ...]:
    return tuple(d for d in _moment_dates(plan) if d not in plan.days_off)


def _moment_dates(plan: Plan) -> tuple[date, ...]:
    if plan.weekdays:
        offsets = sorted((d - plan.start.isoweekday()) % 7 for d in set(plan.weekdays))
    else:
        offsets = [(i * 7) // plan.sessions_per_week for i in range(plan.sessions_per_week)]
    return tuple(plan.start + timedelta(days=7 * w + o) for w in range(plan.weeks) for o in offsets)


@dataclass(frozen=True)
class CheckIn:
    """One planned session as the tutor reported it after the session (the 30-second reflection).

    Scores are 1-5 (emoji scale) and ``None`` when not asked or not answered (always for a missed
    session). ``worry`` is the private "ik maak me zorgen" signal; ``help_needed`` the answer to
    "Wat kan de juf/meester voor je doen?" asking for help. ``note`` is the tutor's free text.
    """

    day: date
    status: SessionStatus = SessionStatus.HELD
    minutes: int = 0
    tutor_mood: int | None = None
    tutee_fun: int | None = None
    tutee_learned: int | None = None
    worry: bool = False
    help_needed: bool = False
    note: str = ""
    together: int | None = None  # "Hoe ging het samen?": the lower of the tutor's and the tutee's answer (issue 13)


_CHECKIN_FIELDS = tuple(f.name for f in fields(CheckIn))
_by_day = attrgetter("day")
_STATUSES = {s.value: s for s in SessionStatus}


class CheckInSeries(Sequence[CheckIn]):
    """A pair's check-ins as parallel columns, oldest first: what health, alerts and dosage read (no object per
    check-in). As a sequence it is the :class:`CheckIn` values in day order, built once on first use (the
    timeline, the exports), and equal to the tuple of them.

    ``status`` holds :class:`SessionStatus` values and ``minutes`` 0 when none was given."""

    __slots__ = (
        "_rows",
        "days",
        "help_needed",
        "minutes",
        "note",
        "status",
        "together",
        "tutee_fun",
        "tutee_learned",
        "tutor_mood",
        "worry",
    )  # fmt: skip

    def __init__(
        self,
        days: Sequence[date] = (),
        status: Sequence[SessionStatus] = (),
        minutes: Sequence[int] = (),
        tutor_mood: Sequence[int | None] = (),
        tutee_fun: Sequence[int | None] = (),
        tutee_learned: Sequence[int | None] = (),
        worry: Sequence[bool] = (),
        help_needed: Sequence[bool] = (),
        note: Sequence[str] = (),
        together: Sequence[int | None] | None = None,
    ) -> None:
        t = tuple
        self.days, self.status, self.minutes = t(days), t(status), t(minutes)  # no copy when given tuples
        self.tutor_mood, self.tutee_fun, self.tutee_learned = t(tutor_mood), t(tutee_fun), t(tutee_learned)
        self.worry, self.help_needed, self.note = t(worry), t(help_needed), t(note)
        self._rows: tuple[CheckIn, ...] | None = None
        n = len(self.days)
        self.together = (None,) * n if together is None else t(together)  # not asked before migration 0018
        if len(self.together) != n:
            raise ValueError("check-in columns of different lengths")
        if not (
            len(self.status) == len(self.minutes) == len(self.tutor_mood) == len(self.tutee_fun) == n
            and len(self.tutee_learned) == len(self.worry) == len(self.help_needed) == len(self.note) == n
        ):
            raise ValueError("check-in columns of different lengths")  # fmt: skip

    @classmethod
    def of(cls, checkins: Iterable[CheckIn]) -> CheckInSeries:
        """The series of these check-ins, sorted by day (stable: same-day check-ins keep their order)."""
        rows = tuple(sorted(checkins, key=_by_day))
        if not rows:
            return cls()
        series = cls(*zip(*(tuple(getattr(c, f) for f in _CHECKIN_FIELDS) for c in rows), strict=True))
        series._rows = rows
        return series

    @classmethod
    def from_stored(
        cls,
        days: Sequence[date],
        status: Sequence[str],
        minutes: Sequence[int | None],
        tutor_mood: Sequence[int | None],
        tutee_fun: Sequence[int | None],
        tutee_learned: Sequence[int | None],
        worry: Sequence[bool],
        help_needed: Sequence[bool],
        note: Sequence[str],
        together: Sequence[int | None] | None = None,
    ) -> CheckInSeries:
        """The series from stored columns already in day order: status as text (an unknown one raises
        ``ValueError``), minutes ``None`` as 0."""
        statuses = tuple(_STATUSES.get(x) or SessionStatus(x) for x in status)
        return cls(days, statuses, tuple(m or 0 for m in minutes), tutor_mood, tutee_fun, tutee_learned, worry,
                   help_needed, note, together)  # fmt: skip

    def _columns(self) -> tuple[tuple[object, ...], ...]:
        return (self.days, self.status, self.minutes, self.tutor_mood, self.tutee_fun, self.tutee_learned,
                self.worry, self.help_needed, self.note, self.together)  # fmt: skip

    def until(self, day: date) -> int:
        """How many check-ins fall on or before ``day`` (they are the first ones)."""
        return bisect_right(self.days, day)

    def rows(self) -> tuple[CheckIn, ...]:
        """The check-ins as :class:`CheckIn` values, oldest first (built once)."""
        if self._rows is None:
            new = object.__new__
            out = []
            for values in zip(*self._columns(), strict=True):
                c = new(CheckIn)
                c.__dict__.update(zip(_CHECKIN_FIELDS, values, strict=True))
                out.append(c)
            self._rows = tuple(out)
        return self._rows

    def row(self, i: int) -> CheckIn:
        """One check-in (built on its own when the whole series was not built yet)."""
        if self._rows is not None:
            return self._rows[i]
        return CheckIn(*(column[i] for column in self._columns()))  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self.days)

    @overload
    def __getitem__(self, index: int) -> CheckIn: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[CheckIn, ...]: ...
    def __getitem__(self, index: int | slice) -> CheckIn | tuple[CheckIn, ...]:
        return self.rows()[index]

    def __iter__(self) -> Iterator[CheckIn]:
        return iter(self.rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CheckInSeries):
            return self._columns() == other._columns()
        if isinstance(other, tuple):
            return self.rows() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.rows())

    def __repr__(self) -> str:
        return f"CheckInSeries({len(self)} check-ins)"


@dataclass(frozen=True)
class LevelMeasurement:
    """A level on the shared index (Start=0 ... Plus=11; one step = half a school year)."""

    day: date
    index: float


@dataclass(frozen=True)
class PupilLevels:
    """A pupil's level measurements in one subject, with their groep (for comparisons)."""

    pupil_id: str
    group: str
    measurements: tuple[LevelMeasurement, ...] = ()


@dataclass(frozen=True)
class PairHistory:
    """Everything monitoring needs about one tutor–tutee pair. ``checkins`` may come in any order.

    ``ended_on`` and ``end_reason`` are set for a pair that was stopped (:attr:`active` is then false)."""

    pair_id: str
    tutor_id: str
    tutee_id: str
    plan: Plan
    checkins: Sequence[CheckIn] = ()  # a tuple, or a CheckInSeries (as storage gives them)
    training_ready: bool = True
    tutor_levels: tuple[LevelMeasurement, ...] = ()
    tutee_levels: tuple[LevelMeasurement, ...] = ()
    tutor_group: str = ""
    tutee_group: str = ""
    subject: str = "lezen"
    ended_on: date | None = None  # the day the pair was ended (``None`` while it runs)
    end_reason: str = ""  # why it was ended, as the school wrote it
    series: CheckInSeries = field(init=False, repr=False, compare=False)  # the check-ins as columns, by day

    def __post_init__(self) -> None:
        checkins = self.checkins
        series = checkins if isinstance(checkins, CheckInSeries) else CheckInSeries.of(checkins)
        object.__setattr__(self, "series", series)

    @property
    def sorted_checkins(self) -> tuple[CheckIn, ...]:
        """The check-ins, oldest first."""
        return self.series.rows()

    def checkins_until(self, day: date) -> tuple[CheckIn, ...]:
        """Check-ins on or before ``day``, oldest first."""
        return self.series.rows()[: self.series.until(day)]

    @property
    def active(self) -> bool:
        """Is the pair still running? An ended pair keeps its history (timeline, exports, outcomes) but gets
        no alerts and is counted nowhere: not in health, dosage or group counts."""
        return self.ended_on is None

    @property
    def group(self) -> str:
        """The group a pair is counted in for dosage aggregates: the tutee's groep."""
        return self.tutee_group
