"""The school's calendar: holiday regions, the school holidays shipped with PeerMatch, a school's own changes
to them, and the days a programme's session was cancelled.

Pure values (no database): the storage layer keeps a school's region, its holiday changes and the cancelled
days; :func:`school_holidays` turns the shipped list and the changes into the holidays the school keeps, and
:class:`SchoolCalendar` answers which days have no session. The plan (:func:`peermatch.calendar.plan.programme_plan`)
and the iCalendar file (:mod:`peermatch.calendar.ics`) both read the same :meth:`SchoolCalendar.days_off`.

The shipped holidays are ``schoolvakanties.toml`` beside this module (its header names the source).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources

from peermatch.errors import InvalidInputError, Problem

__all__ = [
    "DEFAULT_REGION",
    "HOLIDAY_NAMES",
    "REASON_CANCELLED",
    "HolidayPeriod",
    "Region",
    "SchoolCalendar",
    "check_period",
    "school_holidays",
    "shipped_holidays",
]

_DATA = "schoolvakanties.toml"
_ALL = "alle"  # a period of the whole country in the data file
HOLIDAY_NAMES = ("herfstvakantie", "kerstvakantie", "voorjaarsvakantie", "meivakantie", "zomervakantie")
REASON_CANCELLED = "cancelled"  # SchoolCalendar.reason for a cancelled day
NAME_MAX = 80
MAX_DAYS = 120  # a longer "holiday" is a typo in a year


class Region(StrEnum):
    """The three Dutch school-holiday regions."""

    NOORD = "noord"
    MIDDEN = "midden"
    ZUID = "zuid"


DEFAULT_REGION = Region.ZUID


@dataclass(frozen=True, order=True)
class HolidayPeriod:
    """A holiday from ``first`` to ``last`` (both included). ``name`` is one of :data:`HOLIDAY_NAMES` for a
    shipped period (shown translated) or the school's own words; ``shipped`` is true for a period of the data
    file."""

    first: date
    last: date
    name: str
    school_year: str = ""
    shipped: bool = field(default=False, compare=False)

    def days(self) -> Iterator[date]:
        day = self.first
        while day <= self.last:
            yield day
            day += timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last


def check_period(first: date, last: date, name: str) -> None:
    """Raise ``InvalidInputError`` for a holiday a school cannot add: no name, a name over 80 characters, an
    end before the start or a period longer than 120 days."""
    if not name.strip() or len(name.strip()) > NAME_MAX:
        raise InvalidInputError(Problem("calendar.holiday.name", column="naam", value=name))
    if last < first:
        raise InvalidInputError(
            Problem("calendar.holiday.order", value=name, params={"first": first.isoformat(), "last": last.isoformat()})
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInputError(Problem("calendar.holiday.too_long", value=name, params={"max": MAX_DAYS}))


@cache
def _shipped() -> tuple[tuple[str, HolidayPeriod], ...]:
    data = tomllib.loads(resources.files(__name__).joinpath(_DATA).read_text(encoding="utf-8"))
    out: list[tuple[str, HolidayPeriod]] = []
    for school_year, periods in data.items():
        for p in periods:
            out.append((str(p["region"]), HolidayPeriod(p["first"], p["last"], str(p["name"]), school_year, True)))
    return tuple(out)


def shipped_holidays(region: Region | str) -> tuple[HolidayPeriod, ...]:
    """The holidays of ``region`` in the data file, in date order."""
    wanted = Region(region).value
    return tuple(sorted(p for r, p in _shipped() if r in (wanted, _ALL)))


def school_holidays(
    region: Region | str, added: Iterable[HolidayPeriod] = (), removed: Iterable[tuple[date, date]] = ()
) -> tuple[HolidayPeriod, ...]:
    """The holidays a school keeps: its region's shipped periods without the ones it removed (by first and last
    day), plus the periods it added; in date order."""
    gone = set(removed)
    kept = [p for p in shipped_holidays(region) if (p.first, p.last) not in gone]
    return tuple(sorted([*kept, *added]))


@dataclass(frozen=True)
class SchoolCalendar:
    """The days without a session for one programme: the school's holidays and the programme's cancelled days."""

    region: Region = DEFAULT_REGION
    holidays: tuple[HolidayPeriod, ...] = ()
    cancelled: frozenset[date] = frozenset()

    @classmethod
    def for_region(cls, region: Region | str = DEFAULT_REGION) -> SchoolCalendar:
        """The calendar of a school that kept its region's holidays as shipped, with no cancelled day."""
        return cls(Region(region), shipped_holidays(region))

    def with_cancelled(self, days: Iterable[date]) -> SchoolCalendar:
        return SchoolCalendar(self.region, self.holidays, frozenset(days))

    def holiday_of(self, day: date) -> HolidayPeriod | None:
        return next((p for p in self.holidays if p.contains(day)), None)

    def reason(self, day: date) -> str | None:
        """Why ``day`` has no session: a holiday's name, :data:`REASON_CANCELLED`, or ``None`` (a school day)."""
        holiday = self.holiday_of(day)
        if holiday is not None:
            return holiday.name
        return REASON_CANCELLED if day in self.cancelled else None

    def days_off(self, first: date, last: date) -> frozenset[date]:
        """Every day from ``first`` to ``last`` (included) in a holiday or cancelled."""
        out = {d for d in self.cancelled if first <= d <= last}
        for p in self.holidays:
            if p.last >= first and p.first <= last:
                out.update(d for d in p.days() if first <= d <= last)
        return frozenset(out)
