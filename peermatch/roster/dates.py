"""Birth dates as Dutch rosters write them, and whether they are plausible for a pupil.

Accepted: ``dd-mm-jjjj``, ``d-m-jjjj``, ``dd/mm/jjjj``, ``d/m/jjjj``, ``dd.mm.jjjj``, ISO ``jjjj-mm-dd``
(also with a time, ``2015-09-03 00:00:00``), ``ddmmjjjj``/``jjjjmmdd``, Excel serial numbers (``41640``
is 1 January 2014, as text or as an XLSX number) and real XLSX date cells. Day always comes before
month: a Dutch roster never writes ``09/23/2015``, and when one does we say so.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from peermatch.i18n.formatting import numeric_date
from peermatch.roster.cells import Cell, CellError, cell_text

__all__ = [
    "AGE_TOLERANCE_YEARS",
    "MAX_AGE_YEARS",
    "MIN_AGE_YEARS",
    "age_years",
    "check_birth_date",
    "format_nl",
    "implausible_age",
    "parse_date",
]

MIN_AGE_YEARS = 3  # nobody younger is on a school roster (groep 1 starts at 4)
MAX_AGE_YEARS = 20  # nobody older is a pupil in primary or lower secondary

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, skipping Excel's 29-02-1900
_MAX_SERIAL = 2_958_465  # 9999-12-31
_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_DMY = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})" + _TIME)
_YMD = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})" + _TIME)
_SERIAL = re.compile(r"([0-9]{5})(?:[.,][0-9]*)?")
_COMPACT = re.compile(r"[0-9]{8}")


def _make(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        if month > 12 and day <= 12:
            raise CellError("roster.date.month_first", month=month) from None
        raise CellError("roster.date.impossible") from None


def _from_serial(serial: float) -> dt.date:
    if not math.isfinite(serial) or not 1 <= serial <= _MAX_SERIAL:
        raise CellError("roster.date.format")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value: Cell) -> dt.date | None:
    """The date in a cell; ``None`` when empty; :class:`CellError` when unreadable or impossible."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(value)
    text = cell_text(value)
    if not text:
        return None
    if match := _DMY.fullmatch(text):
        return _make(int(match.group(4)), int(match.group(3)), int(match.group(1)))
    if match := _YMD.fullmatch(text):
        return _make(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    if match := _SERIAL.fullmatch(text):
        return _from_serial(int(match.group(1)))
    if _COMPACT.fullmatch(text):
        if text[:2] in {"19", "20"} and 1 <= int(text[4:6]) <= 12:
            return _make(int(text[:4]), int(text[4:6]), int(text[6:]))
        return _make(int(text[4:]), int(text[2:4]), int(text[:2]))
    raise CellError("roster.date.format")


def age_years(birth: dt.date, on: dt.date) -> int:
    """Whole years of age on ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def format_nl(day: dt.date) -> str:
    """``dd-mm-jjjj``, the way Dutch teachers write dates."""
    return numeric_date(day, "nl")


def check_birth_date(birth: dt.date, reference: dt.date) -> None:
    """Refuse a birth date in the future, or one that makes the pupil younger than 3 or older than 20."""
    if birth > reference:
        raise CellError("roster.date.future", reference=format_nl(reference))
    age = age_years(birth, reference)
    if age < MIN_AGE_YEARS:
        raise CellError("roster.date.too_young", age=age, reference=format_nl(reference))
    if age > MAX_AGE_YEARS:
        raise CellError("roster.date.too_old", age=age, reference=format_nl(reference))


AGE_TOLERANCE_YEARS = 1.5  # a pupil who repeated or skipped a year is within this


def _typical_age(grade: int, on: dt.date) -> float:
    """The middle of the usual age in ``grade`` on ``on``: groep 3 is 6-7 on 1 October, so 6.5 then."""
    school_year = on.year if on.month >= 8 else on.year - 1
    return grade + 3.5 + (on - dt.date(school_year, 10, 1)).days / 365.25


def implausible_age(birth: dt.date, grade: int, on: dt.date) -> tuple[int, int, int] | None:
    """``(age, typical_low, typical_high)`` in whole years when the age is over 1.5 years off the usual
    age for ``grade`` on ``on``; ``None`` when it is plausible."""
    middle = _typical_age(grade, on)
    if abs((on - birth).days / 365.25 - middle) <= AGE_TOLERANCE_YEARS:
        return None
    low = math.floor(middle - 0.5)
    return age_years(birth, on), low, low + 1
