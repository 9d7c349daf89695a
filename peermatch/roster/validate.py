"""Rows of raw cells -> :class:`Pupil` values and every :class:`Problem`, all at once.

Every cell is checked and every problem is reported; nothing stops at the first. A row with an
ERROR is reported but left out of the pupils, so every :class:`Pupil` that comes out is complete
and trustworthy (id, first name, group and a plausible birth date; unique id). Warnings and infos
never exclude a row. Problems are sorted by row, then by column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from peermatch.errors import LevelError, Problem, Severity
from peermatch.levels import parse_maths, parse_quality, parse_reading
from peermatch.model import Level, Pupil, Role
from peermatch.roster import limits
from peermatch.roster.cells import (
    Cell,
    CellError,
    cell_text,
    grade_from_group,
    parse_grade,
    parse_motivation,
    parse_role,
    split_full_name,
    split_ids,
)
from peermatch.roster.dates import check_birth_date, format_nl, implausible_age, parse_date
from peermatch.roster.headers import ColumnMap, Field
from peermatch.roster.limits import clip, more_problems, stopped_checking
from peermatch.roster.table import RawTable

__all__ = ["MAX_PUPIL_ID_LENGTH", "validate"]

MAX_PUPIL_ID_LENGTH = 64
_MISSING = {
    Field.PUPIL_ID: "roster.missing.pupil_id",
    Field.FIRST_NAME: "roster.missing.first_name",
    Field.GROUP: "roster.missing.group",
    Field.BIRTH_DATE: "roster.missing.birth_date",
}
_NOTE_SEVERITY = {"levels.note.old_avi": Severity.WARNING}  # other level notes are INFO


@dataclass(slots=True)
class _Draft:
    """One row on its way to becoming a Pupil."""

    row: int
    pupil_id: str = ""
    first_name: str = ""
    prefix: str = ""
    last_name: str = ""
    birth_date: dt.date | None = None
    group: str = ""
    school: str = ""
    grade: int | None = None
    reading: Level | None = None
    maths: Level | None = None
    role: Role = Role.OPEN
    motivation: int | None = None
    not_with_raw: list[str] = field(default_factory=list)
    not_with: set[str] = field(default_factory=set)
    failed: bool = False


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class _Report:
    """Collects problems with a sort key (row, column index, order of discovery).

    Keeps only the first ``MAX_PROBLEMS`` by that key (a bounded heap), and counts the rest per severity;
    values and column names are clipped, so neither the list nor a message grows with the file.
    """

    def __init__(self, file: str | None, columns: ColumnMap) -> None:
        self.file = file
        self.headers = columns.headers
        self.limit = limits.MAX_PROBLEMS
        self._heap: list[tuple[int, int, int, Problem]] = []  # the kept problems, keys negated (a max-heap)
        self._found = 0
        self._left_out: dict[Severity, int] = {}

    def add(
        self,
        code: str,
        *,
        row: int | None = None,
        column: int | None = None,
        value: str | None = None,
        severity: Severity = Severity.ERROR,
        params: dict[str, Any] | None = None,
    ) -> None:
        key = (-1 if row is None else row, -1 if column is None else column, self._found)
        if self._full_before(key, severity):
            return
        problem = Problem(
            code,
            severity,
            file=self.file,
            row=row,
            column=clip(self.headers[column]) if column is not None else None,
            value=clip(value),
            params={k: clip(v) if isinstance(v, str) else v for k, v in (params or {}).items()},
        )
        self._push(key, problem)

    def note(self, problem: Problem) -> None:
        """A reader's note (e.g. "EDEXML has no levels"): kept before every row's problems, in its order."""
        key = (-2, 0, self._found)
        if not self._full_before(key, problem.severity):
            self._push(key, problem)

    def _full_before(self, key: tuple[int, int, int], severity: Severity) -> bool:
        """Count one more problem; True when the list is full with problems that sort before ``key``."""
        self._found += 1
        if len(self._heap) >= self.limit and key > (-self._heap[0][0], -self._heap[0][1], -self._heap[0][2]):
            self._left_out[severity] = self._left_out.get(severity, 0) + 1
            return True
        return False

    def _push(self, key: tuple[int, int, int], problem: Problem) -> None:
        heapq.heappush(self._heap, (-key[0], -key[1], -key[2], problem))
        if len(self._heap) > self.limit:
            dropped = heapq.heappop(self._heap)[3]
            self._left_out[dropped.severity] = self._left_out.get(dropped.severity, 0) + 1

    def problems(self, *, stopped_after: int | None = None, rows: int = 0) -> tuple[Problem, ...]:
        """The kept problems in order and one closing problem: where checking stopped, or how many were left out."""
        kept = sorted(self._heap, key=lambda item: (-item[0], -item[1], -item[2]))
        out = [item[3] for item in kept]
        if stopped_after is not None:
            out.append(stopped_checking(self._found, self.file, last_row=stopped_after, rows=rows))
        elif self._left_out:
            worst = min(self._left_out, key=_SEVERITY_ORDER.__getitem__)
            out.append(more_problems(sum(self._left_out.values()), worst, self.file))
        return tuple(out)


class _RowReader:
    """Reads the fields of one row, reporting into ``report`` and marking ``draft.failed`` on errors."""

    def __init__(self, columns: ColumnMap, report: _Report, reference_date: dt.date) -> None:
        self.col = columns.fields
        self.fallbacks = columns.fallbacks.get(Field.FIRST_NAME, ())
        self.report = report
        self.reference_date = reference_date

    def _error(self, draft: _Draft, code: str, column: int | None, value: str | None, params: dict[str, Any]) -> None:
        draft.failed = True
        self.report.add(code, row=draft.row, column=column, value=value, params=params)

    def _level(self, draft: _Draft, fld: Field, text: str) -> Level | None:
        if not text:
            return None
        index = self.col[fld]
        try:
            level = parse_reading(text) if fld is Field.READING else parse_maths(text)
        except LevelError as exc:
            cause = exc.problems[0]
            self._error(draft, cause.code, index, text, dict(cause.params))
            return None
        if level.note:
            severity = _NOTE_SEVERITY.get(level.note, Severity.INFO)
            self.report.add(level.note, row=draft.row, column=index, value=text, severity=severity)
        return level

    def _missing(self, draft: _Draft, fld: Field) -> None:
        column = self.col.get(fld, self.col.get(Field.FULL_NAME)) if fld is Field.FIRST_NAME else self.col.get(fld)
        self._error(draft, _MISSING[fld], column, None, {})

    def read(self, row: int, cells: Sequence[Cell]) -> _Draft | None:
        """The draft for one row; ``None`` when none of the used columns has a value."""
        width = len(cells)
        raw: dict[Field, Cell] = {fld: cells[index] for fld, index in self.col.items() if index < width}
        text: dict[Field, str] = {fld: cell_text(value) for fld, value in raw.items()}
        fallback_names = [cell_text(cells[index]) for index in self.fallbacks if index < width]
        if not any(text.values()) and not any(fallback_names):
            return None
        draft = _Draft(row)
        col = self.col

        # identity and names
        draft.pupil_id = text.get(Field.PUPIL_ID, "")
        if len(draft.pupil_id) > MAX_PUPIL_ID_LENGTH:
            params = {"max": MAX_PUPIL_ID_LENGTH}
            self._error(draft, "roster.pupil_id.too_long", col[Field.PUPIL_ID], draft.pupil_id, params)
        draft.first_name = text.get(Field.FIRST_NAME, "") or next((name for name in fallback_names if name), "")
        draft.prefix = text.get(Field.PREFIX, "")
        draft.last_name = text.get(Field.LAST_NAME, "")
        if not draft.first_name and text.get(Field.FULL_NAME):
            first, prefix, last = split_full_name(text[Field.FULL_NAME])
            draft.first_name = first
            draft.prefix = draft.prefix or prefix
            draft.last_name = draft.last_name or last

        # birth date
        try:
            draft.birth_date = parse_date(raw.get(Field.BIRTH_DATE))
            if draft.birth_date is not None:
                check_birth_date(draft.birth_date, self.reference_date)
        except CellError as exc:
            draft.birth_date = None
            self._error(draft, exc.code, col.get(Field.BIRTH_DATE), text.get(Field.BIRTH_DATE), exc.params)

        # group and grade
        draft.group = text.get(Field.GROUP, "")
        draft.school = text.get(Field.SCHOOL, "")
        try:
            draft.grade = parse_grade(raw.get(Field.GRADE))
            if draft.grade is None:  # no jaargroep column, or an empty cell: "5B" -> 5, "1/2A" -> None
                draft.grade = grade_from_group(draft.group)
        except CellError as exc:
            self._error(draft, exc.code, col.get(Field.GRADE), text.get(Field.GRADE), exc.params)

        # required values, one error per empty cell
        if not draft.pupil_id:
            self._missing(draft, Field.PUPIL_ID)
        if not draft.first_name:
            self._missing(draft, Field.FIRST_NAME)
        if not draft.group:
            self._missing(draft, Field.GROUP)
        if not text.get(Field.BIRTH_DATE):
            self._missing(draft, Field.BIRTH_DATE)

        # levels
        draft.reading = self._level(draft, Field.READING, text.get(Field.READING, ""))
        if quality_text := text.get(Field.READING_QUALITY, ""):
            try:
                quality = parse_quality(quality_text)
                if draft.reading is not None:
                    draft.reading = dataclasses.replace(draft.reading, quality=quality)
            except LevelError as exc:
                cause = exc.problems[0]
                self._error(draft, cause.code, col.get(Field.READING_QUALITY), quality_text, dict(cause.params))
        draft.maths = self._level(draft, Field.MATHS, text.get(Field.MATHS, ""))

        # tutoring
        role_text = text.get(Field.ROLE, "")
        try:
            draft.role = parse_role(role_text)
        except CellError as exc:
            self._error(draft, exc.code, col.get(Field.ROLE), role_text, exc.params)
        try:
            draft.motivation = parse_motivation(raw.get(Field.MOTIVATION))
        except CellError as exc:
            self._error(draft, exc.code, col.get(Field.MOTIVATION), text.get(Field.MOTIVATION), exc.params)
        draft.not_with_raw = split_ids(raw.get(Field.NOT_WITH))
        return draft


def _column_notes(table: RawTable, columns: ColumnMap, report: _Report) -> None:
    row = table.header_row
    for index in columns.dropped:
        report.add("roster.column.dropped", row=row, column=index, severity=Severity.INFO)
    for index in columns.ignored:
        report.add("roster.column.ignored", row=row, column=index, severity=Severity.INFO)
    for index, used in columns.duplicates:
        params = {"used": columns.headers[used]}
        report.add("roster.column.duplicate", row=row, column=index, severity=Severity.INFO, params=params)
    if columns.full_name_from_naam:
        report.add("roster.column.full_name", row=row, column=columns.fields[Field.FULL_NAME], severity=Severity.INFO)


def _check_duplicates(drafts: list[_Draft], columns: ColumnMap, report: _Report) -> dict[str, int]:
    first_row: dict[str, int] = {}
    for draft in drafts:
        if not draft.pupil_id:
            continue
        if draft.pupil_id in first_row:
            draft.failed = True
            report.add(
                "roster.pupil_id.duplicate",
                row=draft.row,
                column=columns.fields[Field.PUPIL_ID],
                value=draft.pupil_id,
                params={"first_row": first_row[draft.pupil_id]},
            )
        else:
            first_row[draft.pupil_id] = draft.row
    return first_row


def _resolve_not_with(drafts: list[_Draft], known: dict[str, int], columns: ColumnMap, report: _Report) -> None:
    """Check every number in ``niet_koppelen_met``; ``0123`` finds ``123`` (and back) when that is unambiguous."""
    column = columns.fields.get(Field.NOT_WITH)
    by_digits: dict[str, list[str]] = {}
    for pupil_id in known:
        by_digits.setdefault(pupil_id.lstrip("0") or "0", []).append(pupil_id)
    for draft in drafts:
        for number in draft.not_with_raw:
            target = number if number in known else None
            if target is None:
                candidates = by_digits.get(number.lstrip("0") or "0", [])
                if len(candidates) == 1:
                    target = candidates[0]
                    report.add(
                        "roster.not_with.read_as",
                        row=draft.row,
                        column=column,
                        value=number,
                        severity=Severity.INFO,
                        params={"pupil_id": target},
                    )
            if target is None:
                draft.failed = True
                report.add("roster.not_with.unknown", row=draft.row, column=column, value=number)
            elif target == draft.pupil_id:
                draft.failed = True
                report.add("roster.not_with.self", row=draft.row, column=column, value=number)
            else:
                draft.not_with.add(target)


def _check_ages(drafts: list[_Draft], columns: ColumnMap, report: _Report, reference_date: dt.date) -> None:
    column = columns.fields.get(Field.BIRTH_DATE)
    for draft in drafts:
        if draft.birth_date is None or draft.grade is None:
            continue
        off = implausible_age(draft.birth_date, draft.grade, reference_date)
        if off is not None:
            age, low, high = off
            report.add(
                "roster.age.implausible",
                row=draft.row,
                column=column,
                value=format_nl(draft.birth_date),
                severity=Severity.WARNING,
                params={
                    "age": age,
                    "grade": draft.grade,
                    "typical_low": low,
                    "typical_high": high,
                    "reference": format_nl(reference_date),
                },
            )


def _pupil(draft: _Draft) -> Pupil:
    return Pupil(
        pupil_id=draft.pupil_id,
        first_name=draft.first_name,
        last_name=draft.last_name,
        prefix=draft.prefix,
        birth_date=draft.birth_date,
        group=draft.group,
        school=draft.school,
        grade=draft.grade,
        reading=draft.reading,
        maths=draft.maths,
        role=draft.role,
        motivation=draft.motivation,
        not_with=frozenset(draft.not_with),
        row=draft.row,
    )


def validate(
    table: RawTable, columns: ColumnMap, *, file: str | None, reference_date: dt.date
) -> tuple[tuple[Pupil, ...], tuple[Problem, ...]]:
    """The valid pupils (rows without errors, in file order) and every problem, sorted by row and column.

    Checking stops after ``limits.MAX_ERROR_ROWS`` rows with errors (a closing error says where), so a
    thoroughly broken file costs no more than its first rows; "niet met" names are then not resolved (their
    pupil may be in a row that was not checked).
    """
    report = _Report(file, columns)
    for note in table.notes:
        report.note(note)
    _column_notes(table, columns, report)
    reader = _RowReader(columns, report, reference_date)
    drafts: list[_Draft] = []
    error_rows = 0
    stopped_after: int | None = None
    for row, cells in table.rows:
        draft = reader.read(row, cells)
        if draft is None:
            continue
        drafts.append(draft)
        error_rows += draft.failed
        if error_rows >= limits.MAX_ERROR_ROWS and row != table.rows[-1][0]:
            stopped_after = row  # the rows after it are not checked: the roster is not ok, nothing is imported
            break
    known = _check_duplicates(drafts, columns, report)
    if stopped_after is None:
        _resolve_not_with(drafts, known, columns, report)
    _check_ages(drafts, columns, report, reference_date)
    pupils = tuple(_pupil(draft) for draft in drafts if not draft.failed)
    return pupils, report.problems(stopped_after=stopped_after, rows=len(table.rows))
