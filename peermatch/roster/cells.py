"""One cell of a roster, from whatever a reader found to the text and numbers the validator needs.

Readers hand over raw cells: ``str`` from CSV and EDEXML, and from XLSX also numbers, booleans and
datetimes. Everything here is a pure function of one cell; a value that cannot be used raises
:class:`CellError` (internal, always turned into a :class:`~peermatch.errors.Problem` by the validator).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from peermatch.model import Role

__all__ = [
    "Cell",
    "CellError",
    "cell_text",
    "grade_from_group",
    "parse_grade",
    "parse_motivation",
    "parse_role",
    "split_full_name",
    "split_ids",
]

Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None


class CellError(Exception):
    """A cell value that cannot be used: ``code`` is an i18n key, ``params`` fill its placeholders."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _number_text(value: float) -> str:
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def cell_text(value: Cell) -> str:
    """The cell as text: stripped; an XLSX number ``123.0`` becomes ``"123"``, a date ``"2015-09-03"``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


# --- role -------------------------------------------------------------------------------------------

_ROLES: dict[str, Role] = {
    "": Role.OPEN,
    "tutor": Role.TUTOR,
    "tutee": Role.TUTEE,
    "geen": Role.NONE,
    "nee": Role.NONE,
    "niet": Role.NONE,
    "none": Role.NONE,
    "no": Role.NONE,
    "nvt": Role.NONE,
    "n.v.t.": Role.NONE,
    "n.v.t": Role.NONE,
    "-": Role.NONE,
}


def parse_role(text: str) -> Role:
    """``tutor`` / ``tutee`` / empty (open) / ``geen`` (also ``nee``, ``niet``, ``n.v.t.``, ``-``)."""
    role = _ROLES.get(text.strip().lower())
    if role is None:
        raise CellError("roster.role.invalid")
    return role


# --- motivation -------------------------------------------------------------------------------------

_MOTIVATION = re.compile(r"([1-5])(?:[.,]0*)?")


def parse_motivation(value: Cell) -> int | None:
    """An integer 1-5 (``"4,0"`` and an XLSX ``4.0`` are fine); empty is ``None``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value) and float(value).is_integer() and 1 <= value <= 5:
            return int(value)
        raise CellError("roster.motivation.invalid")
    text = cell_text(value)
    if not text:
        return None
    match = _MOTIVATION.fullmatch(text)
    if match is None:
        raise CellError("roster.motivation.invalid")
    return int(match.group(1))


# --- grade (jaargroep) ------------------------------------------------------------------------------

_GRADE = re.compile(r"(?:groep|gr\.?|leerjaar|jaargroep)?\s*([0-9]{1,2})(?:[.,]0*)?", re.IGNORECASE)
_GRADE_IN_GROUP = re.compile(r"\s*(?:groep|gr\.?)?\s*([1-8])(?![0-9/&+\-])", re.IGNORECASE)
MAX_GRADE = 14  # groep 1-8, VO leerjaar 1-6 as 9-14


def parse_grade(value: Cell) -> int | None:
    """A jaargroep 1-14 (``5``, ``"groep 5"``, ``5.0``); empty is ``None``."""
    text = cell_text(value)
    if not text:
        return None
    match = _GRADE.fullmatch(text)
    if match is None or not 1 <= int(match.group(1)) <= MAX_GRADE:
        raise CellError("roster.grade.invalid")
    return int(match.group(1))


def grade_from_group(group: str) -> int | None:
    """The jaargroep a group name starts with: ``"5B"`` -> 5, ``"groep 7"`` -> 7; ``"1/2A"``, ``"Vlinders"`` -> None."""
    match = _GRADE_IN_GROUP.match(group)
    return int(match.group(1)) if match else None


# --- pupil numbers in a list ------------------------------------------------------------------------

_ID_SEPARATORS = re.compile(r"[,;|\s]+")


def split_ids(value: Cell) -> list[str]:
    """Pupil numbers separated by ``,`` ``;`` ``|`` or spaces (an XLSX number ``123.0`` is ``"123"``)."""
    text = cell_text(value)
    if not text:
        return []
    return [part for part in _ID_SEPARATORS.split(text) if part]


# --- a whole name in one cell -----------------------------------------------------------------------

_PREFIX_WORDS = frozenset(
    {
        "van", "de", "der", "den", "het", "'t", "te", "ter", "ten", "in", "op", "onder", "over", "uit", "aan", "bij",
        "voor", "d'", "del", "della", "di", "da", "du", "la", "le", "les", "von", "zu", "el", "al", "vd", "v/d",
    }
)  # fmt: skip


def split_full_name(text: str) -> tuple[str, str, str]:
    """``(first, prefix, last)`` from one name cell.

    ``"Aartsen, Dae"`` (Magister style) -> ``("Dae", "", "Aartsen")``; ``"Berg, Jan van den"`` ->
    ``("Jan", "van den", "Berg")``; without a comma the first word is the first name:
    ``"Dae van Aartsen"`` -> ``("Dae", "van", "Aartsen")``.
    """
    text = " ".join(text.split())
    if "," in text:
        last, _, given = text.partition(",")
        words = given.split()
        return (words[0] if words else ""), " ".join(words[1:]), last.strip()
    parts = text.split()
    if not parts:
        return "", "", ""
    rest = parts[1:]
    prefix: list[str] = []
    while len(rest) > 1 and rest[0].lower() in _PREFIX_WORDS:
        prefix.append(rest.pop(0))
    return parts[0], " ".join(prefix), " ".join(rest)
