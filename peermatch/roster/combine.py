"""Two sources, one roster: the pupils of a class list (EDEXML, UWLR, CSV, XLSX) and the levels of one or more
level files (:mod:`peermatch.roster.levels_file`).

::

    found = match_levels(roster.pupils, [read_level_file(path) for path in level_paths])
    roster = combine(roster, level_files)   # each pupil's newest level per subject, every problem added

Matching, per level-file row:

* with a pupil number: the pupil with that number (leading zeros do not count when that is unambiguous,
  since Magister and others export numbers with and without them). A birth date that differs from the
  class list's is an **error** of that row (a number typed in the wrong row would give a pupil someone
  else's level); a group that differs is a **warning** (a measurement of last school year names last
  year's group);
* without a number: first name, last name and birth date; the group, when given, picks between pupils that
  share all three, and a group that differs is a warning as above.

A row that names no pupil of the class list is an error naming the file, row and the number or name: the
whole combination is all or nothing (``Roster.ok`` is False until every row is matched or removed). Of several
measurements of one pupil in one subject the newest date counts; two different levels on the same date, or
undated levels that differ, are an error naming both rows (PeerMatch does not guess which one is current).
A level from a level file replaces the class list's own level of that subject.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from peermatch.errors import Problem, ProblemList, Severity
from peermatch.model import Pupil, Roster, Subject
from peermatch.roster.dates import format_nl
from peermatch.roster.headers import normalise
from peermatch.roster.levels_file import LevelFile, LevelReading, LevelRow

__all__ = ["LevelMatch", "combine", "combine_with_match", "match_levels"]

_ANSWERED = frozenset({"roster.edex.no_levels"})


@dataclass(frozen=True)
class LevelMatch(ProblemList):
    """Which pupil each level reading belongs to, and every problem of the matching."""

    readings: Mapping[str, tuple[LevelReading, ...]]  # pupil number -> every reading of that pupil, file order
    problems: tuple[Problem, ...]
    rows: int = 0  # level rows read (matched or not)

    def latest(self, pupil_id: str) -> dict[Subject, LevelReading]:
        """The newest reading per subject of one pupil (undated readings only when there is no dated one)."""
        out: dict[Subject, LevelReading] = {}
        for reading in self.readings.get(pupil_id, ()):
            best = out.get(reading.subject)
            if best is None or _newer(reading, best):
                out[reading.subject] = reading
        return out


def _newer(a: LevelReading, b: LevelReading) -> bool:
    if a.measured_on is None:
        return False
    return b.measured_on is None or a.measured_on > b.measured_on


def _name_key(first: str, prefix: str, last: str) -> tuple[str, str]:
    return normalise(first), normalise(prefix + last)


def _problem(
    code: str, row: LevelRow, value: str | None, severity: Severity = Severity.ERROR, **params: object
) -> Problem:
    return Problem(code, severity, file=row.file, row=row.row, value=value, params=params)


class _Index:
    def __init__(self, pupils: Sequence[Pupil]) -> None:
        self.by_id = {p.pupil_id: p for p in pupils}
        stripped: dict[str, list[Pupil]] = {}
        by_name: dict[tuple[str, str, dt.date | None], list[Pupil]] = {}
        for p in pupils:
            stripped.setdefault(p.pupil_id.lstrip("0"), []).append(p)
            by_name.setdefault((*_name_key(p.first_name, p.prefix, p.last_name), p.birth_date), []).append(p)
        self.stripped, self.by_name = stripped, by_name

    def find(self, row: LevelRow, problems: list[Problem]) -> Pupil | None:
        if row.pupil_id:
            pupil = self.by_id.get(row.pupil_id)
            if pupil is None:
                alike = self.stripped.get(row.pupil_id.lstrip("0"), [])
                pupil = alike[0] if len(alike) == 1 else None
            if pupil is None:
                problems.append(_problem("levelfile.match.unknown_number", row, row.pupil_id))
            return pupil
        key = (*_name_key(row.first_name, row.prefix, row.last_name), row.birth_date)
        found = self.by_name.get(key, [])
        if len(found) > 1 and row.group:
            found = [p for p in found if normalise(p.group) == normalise(row.group)] or found
        if len(found) == 1:
            return found[0]
        birth = format_nl(row.birth_date) if row.birth_date else ""
        code = "levelfile.match.ambiguous_name" if found else "levelfile.match.unknown_name"
        problems.append(_problem(code, row, row.name, birth_date=birth))
        return None


def _check(row: LevelRow, pupil: Pupil, problems: list[Problem]) -> bool:
    """Does the row agree with the pupil on birth date (an error) and group (a warning)?"""
    ok = True
    if row.birth_date is not None and pupil.birth_date is not None and row.birth_date != pupil.birth_date:
        problems.append(_problem("levelfile.match.birth_date_differs", row, format_nl(row.birth_date),
                                 pupil=pupil.pupil_id, roster_value=format_nl(pupil.birth_date)))  # fmt: skip
        ok = False
    if row.group and pupil.group and normalise(row.group) != normalise(pupil.group):
        problems.append(_problem("levelfile.match.group_differs", row, row.group, Severity.WARNING,
                                 pupil=pupil.pupil_id, roster_value=pupil.group))  # fmt: skip
    return ok


def _conflicts(pupil_id: str, readings: Sequence[LevelReading]) -> list[Problem]:
    """Two different levels in one subject on one date (or both undated): which one is current?"""
    out: list[Problem] = []
    seen: dict[tuple[Subject, dt.date | None], LevelReading] = {}
    for reading in readings:
        key = (reading.subject, reading.measured_on)
        other = seen.get(key)
        if other is None:
            seen[key] = reading
            continue
        if (other.level.code, other.level.quality) == (reading.level.code, reading.level.quality):
            continue
        code = "levelfile.match.conflict" if reading.measured_on else "levelfile.match.conflict_undated"
        out.append(Problem(code, file=reading.file, row=reading.row, column=reading.column,
                           value=reading.level.written,
                           params={"pupil": pupil_id, "other": other.level.written, "other_file": other.file,
                                   "other_row": other.row}))  # fmt: skip
    undated = {r.subject for r in readings if r.measured_on is None}
    dated = {r.subject for r in readings if r.measured_on is not None}
    for subject in sorted(undated & dated):
        first = next(r for r in readings if r.subject is subject and r.measured_on is None)
        out.append(Problem("levelfile.match.undated_beside_dated", Severity.WARNING, file=first.file, row=first.row,
                           column=first.column, value=first.level.written, params={"pupil": pupil_id}))  # fmt: skip
    return out


def match_levels(pupils: Sequence[Pupil], files: Sequence[LevelFile]) -> LevelMatch:
    """Match every row of ``files`` to one of ``pupils``; see the module docstring for the rules."""
    index = _Index(pupils)
    problems: list[Problem] = [p for f in files for p in f.problems]
    readings: dict[str, list[LevelReading]] = {}
    count = 0
    for level_file in files:
        for row in level_file.rows:
            count += 1
            pupil = index.find(row, problems)
            if pupil is None or not _check(row, pupil, problems):
                continue
            readings.setdefault(pupil.pupil_id, []).extend(row.readings)
    for pupil_id, found in readings.items():
        problems.extend(_conflicts(pupil_id, found))
    return LevelMatch({k: tuple(v) for k, v in readings.items()}, tuple(problems), count)


def combine(roster: Roster, files: Sequence[LevelFile]) -> Roster:
    """``roster`` with each matched pupil's newest level per subject and every problem of the level files."""
    return combine_with_match(roster, files)[0]


def combine_with_match(roster: Roster, files: Sequence[LevelFile]) -> tuple[Roster, LevelMatch]:
    """:func:`combine`, and the match it made (which pupils got levels)."""
    found = match_levels(roster.pupils, files)
    pupils: list[Pupil] = []
    for pupil in roster.pupils:
        latest = found.latest(pupil.pupil_id)
        reading, maths = latest.get(Subject.LEZEN), latest.get(Subject.REKENEN)
        if reading is None and maths is None:
            pupils.append(pupil)
            continue
        pupils.append(
            dataclasses.replace(
                pupil,
                reading=reading.level if reading else pupil.reading,
                maths=maths.level if maths else pupil.maths,
            )
        )
    summary = tuple(
        Problem(f"levelfile.file.read_{f.layout}", Severity.INFO, file=f.source, params={"rows": len(f.rows)})
        for f in files
    )
    # "an EDEX file holds no levels: add them later" is answered by the level files themselves
    kept = tuple(p for p in roster.problems if not (files and p.code in _ANSWERED))
    combined = dataclasses.replace(
        roster,
        pupils=tuple(pupils),
        problems=(*kept, *summary, *found.problems),
        source=", ".join([roster.source, *(f.source for f in files)]),
    )
    return combined, found
