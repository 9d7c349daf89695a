"""A level file from a pupil-tracking system (Cito LOVS, Boom LVS, IEP, ParnasSys, ESIS): CSV or XLSX in,
dated level readings out, each naming the pupil as the file does.

::

    levels = read_level_file(data, filename="toetsresultaten.csv")
    levels.rows      # one LevelRow per file row that has a level we use
    levels.problems  # every problem, located by file, row and column

Two layouts, recognised by their headers (:func:`peermatch.roster.headers.map_level_headers`):

* **wide**: one column per subject (``AVI``, ``Rekenen-Wiskunde``, ``Functioneringsniveau rekenen``), one row
  per pupil and round, optionally with a date (``Afnamedatum``);
* **long**: a subject column (``Toets``, ``Vak``, ``Vormingsgebied``, ``Toetseenheid``), a level column
  (``Niveau``, ``Functioneringsniveau``, ``Referentieniveau``) and optionally a date, one row per measurement.

A pupil is named by the pupil number, or else by name and birth date (and the group, which is checked when it
is there). The date of a row is its date column; without one, the school year and round (``2025-2026`` + ``M``
means 1 February 2026, ``E`` 15 June 2026, the middle of Cito's test windows); else none (the caller's date).
Subjects PeerMatch does not match on (spelling, DMT, begrijpend lezen ...) are skipped and counted; a subject
it does not know is skipped with a warning naming it. A level that is on no scale is an error of that row.
Matching the rows to a class list: :mod:`peermatch.roster.combine`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from peermatch.errors import (
    EmptyFileError,
    HeaderOnlyError,
    LevelError,
    MissingColumnsError,
    Problem,
    ProblemList,
    RosterError,
    Severity,
    UnsupportedFileError,
)
from peermatch.levels import parse_level, parse_quality
from peermatch.model import Level, Quality, Subject
from peermatch.roster import MAX_FILE_BYTES, MAX_ROWS, load_source
from peermatch.roster.cells import Cell, CellError, cell_text, split_full_name
from peermatch.roster.csvfile import read_csv
from peermatch.roster.dates import parse_date
from peermatch.roster.headers import ColumnMap, Field, map_level_headers, normalise
from peermatch.roster.limits import MAX_PROBLEMS, clip, clip_list, more_problems
from peermatch.roster.sniff import detect_format
from peermatch.roster.table import Format, RawTable
from peermatch.roster.xlsxfile import read_xlsx

__all__ = ["LevelFile", "LevelReading", "LevelRow", "is_skipped", "read_level_file", "subject_of"]

# A subject named in a long file's subject column, normalised (letters and digits), -> the subject it is.
# Longer names that start with one of these count too ("rekenenwiskunde30", "technischlezenavi").
_SUBJECTS: dict[str, Subject] = {
    "avi": Subject.LEZEN, "avitoets": Subject.LEZEN, "avi2009": Subject.LEZEN, "technischlezen": Subject.LEZEN,
    "lezen": Subject.LEZEN, "leesniveau": Subject.LEZEN, "citoavi": Subject.LEZEN,
    "reading": Subject.LEZEN,
    "rekenen": Subject.REKENEN, "rekenenwiskunde": Subject.REKENEN, "rekenenenwiskunde": Subject.REKENEN,
    "rw": Subject.REKENEN, "citorekenen": Subject.REKENEN, "ieprekenen": Subject.REKENEN,
    "boomrekenen": Subject.REKENEN, "maths": Subject.REKENEN, "math": Subject.REKENEN,
}  # fmt: skip
# Subjects tracking systems report that PeerMatch does not pair on: skipped, counted in one note per file.
_SKIPPED = (
    "dmt", "drieminutentoets", "begrijpendlezen", "begrijpendluisteren", "spelling", "werkwoordspelling",
    "taalverzorging", "taal", "woordenschat", "hoofdrekenen", "tempotoets", "studievaardigheden", "schrijven",
    "luisteren", "wereldorientatie", "engels", "sociaalemotioneel", "leerlingvragenlijst", "doorstroomtoets",
    "eindtoets", "emt", "klepel", "brus",
)  # fmt: skip
_ROUND = re.compile(r"^(?:(b|m|e)|begin|midden|eind|medio)(?:[0-9]{1,2})?$")
_SCHOOL_YEAR = re.compile(r"^((?:19|20)[0-9]{2})\s*[-/]\s*((?:19|20)?[0-9]{2})$")


@dataclass(frozen=True)
class LevelReading:
    """One level of one subject as a file row gives it, with its date (``None``: the file gives none)."""

    subject: Subject
    level: Level
    measured_on: dt.date | None
    file: str
    row: int
    column: str


@dataclass(frozen=True)
class LevelRow:
    """A row of a level file: who it names (as written) and the levels it gives."""

    file: str
    row: int
    pupil_id: str
    first_name: str
    prefix: str
    last_name: str
    birth_date: dt.date | None
    group: str
    readings: tuple[LevelReading, ...]

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.prefix, self.last_name) if part)


@dataclass(frozen=True)
class LevelFile(ProblemList):
    """A level file as read: its rows with levels, and every problem found."""

    source: str
    rows: tuple[LevelRow, ...]
    problems: tuple[Problem, ...] = ()
    layout: str = "wide"  # "wide" (a column per subject) or "long" (subject + level per row)


def is_skipped(name: str) -> bool:
    """A subject tracking systems report that PeerMatch does not pair on (spelling, DMT, begrijpend lezen ...)."""
    key = normalise(name)
    return any(key == skipped or (len(skipped) >= 4 and key.startswith(skipped)) for skipped in _SKIPPED)


def subject_of(name: str) -> Subject | None:
    """The subject a long file's subject cell names (``None``: not one we pair on, or unknown)."""
    key = normalise(name)
    if not key or is_skipped(name):
        return None
    if key in _SUBJECTS:
        return _SUBJECTS[key]
    for known, subject in _SUBJECTS.items():
        if len(known) >= 5 and key.startswith(known):
            return subject
    if key.startswith("avi"):  # "AVI-M5", "AVI E4": a test card named with the level
        return Subject.LEZEN
    return None


def _table(data: bytes, filename: str) -> RawTable:
    if not data.strip():
        raise EmptyFileError(Problem("roster.file.empty", file=filename))
    fmt = detect_format(data, filename)
    if fmt is Format.XML:
        raise UnsupportedFileError(Problem("levelfile.file.xml", file=filename))
    reader = read_xlsx if fmt is Format.XLSX else read_csv
    return reader(data, max_rows=MAX_ROWS, max_bytes=MAX_FILE_BYTES, file=filename)


def _check_columns(table: RawTable, columns: ColumnMap, filename: str) -> str:
    """The layout ("wide" or "long"); raises for a file that names no pupil or no level."""
    found = clip_list(h for h in table.headers if h)
    has = set(columns.fields)
    long = Field.SUBJECT in has and Field.LEVEL in has
    if not long and not has & {Field.READING, Field.MATHS}:
        raise MissingColumnsError(Problem("levelfile.file.no_level_column", file=filename, params={"found": found}))
    by_name = (Field.FIRST_NAME in has or Field.FULL_NAME in has) and Field.BIRTH_DATE in has
    if Field.PUPIL_ID not in has and not by_name:
        raise MissingColumnsError(Problem("levelfile.file.no_pupil_column", file=filename, params={"found": found}))
    if not table.rows:
        raise HeaderOnlyError(Problem("roster.file.header_only", file=filename, row=table.header_row))
    return "long" if long else "wide"


def _round_date(school_year: str, moment: str) -> dt.date | None:
    """``2025-2026`` + ``M``/``M5``/``midden`` -> 1 Feb 2026; ``E`` -> 15 Jun 2026; ``B`` -> 1 Oct 2025."""
    year = _SCHOOL_YEAR.fullmatch(school_year.strip())
    round_ = _ROUND.fullmatch(normalise(moment))
    if year is None or round_ is None:
        return None
    first = int(year.group(1))
    word = normalise(moment)
    letter = round_.group(1) or {"begin": "b", "midden": "m", "medio": "m", "eind": "e"}[re.sub(r"\d", "", word)]
    return {"b": dt.date(first, 10, 1), "m": dt.date(first + 1, 2, 1), "e": dt.date(first + 1, 6, 15)}[letter]


class _Reader:
    def __init__(self, table: RawTable, columns: ColumnMap, filename: str, layout: str) -> None:
        self.table, self.col, self.file, self.layout = table, columns.fields, filename, layout
        self.headers = columns.headers
        self.problems: list[Problem] = []
        self.skipped: dict[str, int] = {}
        self.unknown: dict[str, list[int]] = {}

    def add(
        self,
        code: str,
        row: int,
        fld: Field | None,
        value: str | None,
        severity: Severity = Severity.ERROR,
        **params: object,
    ) -> None:
        column = clip(self.headers[self.col[fld]]) if fld is not None and fld in self.col else None
        self.problems.append(Problem(code, severity, file=self.file, row=row, column=column, value=clip(value),
                                     params=params))  # fmt: skip

    def text(self, cells: Sequence[Cell], fld: Field) -> str:
        index = self.col.get(fld)
        return cell_text(cells[index]) if index is not None and index < len(cells) else ""

    def cell(self, cells: Sequence[Cell], fld: Field) -> Cell:
        index = self.col.get(fld)
        return cells[index] if index is not None and index < len(cells) else None

    def date(self, row: int, cells: Sequence[Cell], fld: Field) -> tuple[dt.date | None, bool]:
        """The date in ``fld`` and whether it could be read (an error is reported)."""
        try:
            return parse_date(self.cell(cells, fld)), True
        except CellError:
            self.add("levelfile.row.bad_date", row, fld, self.text(cells, fld))
            return None, False

    def level(self, row: int, subject: Subject, text: str, fld: Field, quality: Quality | None) -> Level | None:
        try:
            level = parse_level(subject, text)
        except LevelError as exc:
            cause = exc.problems[0]
            self.add(cause.code, row, fld, text, **dict(cause.params))
            return None
        if level.note:
            self.add(level.note, row, fld, text, Severity.INFO)
        if quality is not None and level.quality is None and subject is Subject.LEZEN:
            level = Level(level.subject, level.code, level.low, level.high, quality, level.written, level.converted,
                          level.note)  # fmt: skip
        return level

    def quality(self, row: int, cells: Sequence[Cell]) -> Quality | None:
        text = self.text(cells, Field.READING_QUALITY)
        if not text:
            return None
        try:
            return parse_quality(text)
        except LevelError:
            self.add("levels.unknown_quality", row, Field.READING_QUALITY, text)
            return None

    def readings(self, row: int, cells: Sequence[Cell], on: dt.date | None) -> list[LevelReading]:
        quality = self.quality(row, cells)
        out: list[LevelReading] = []
        if self.layout == "long":
            name = self.text(cells, Field.SUBJECT)
            text = self.text(cells, Field.LEVEL)
            if is_skipped(name):
                self.skipped[name] = self.skipped.get(name, 0) + 1
                return out
            subject = subject_of(name)
            if subject is None:
                self.unknown.setdefault(name, []).append(row)
                return out
            if text and (level := self.level(row, subject, text, Field.LEVEL, quality)) is not None:
                out.append(LevelReading(subject, level, on, self.file, row, self.headers[self.col[Field.LEVEL]]))
            return out
        for fld, subject in ((Field.READING, Subject.LEZEN), (Field.MATHS, Subject.REKENEN)):
            text = self.text(cells, fld)
            if text and (level := self.level(row, subject, text, fld, quality)) is not None:
                out.append(LevelReading(subject, level, on, self.file, row, self.headers[self.col[fld]]))
        return out

    def who(self, row: int, cells: Sequence[Cell]) -> tuple[str, str, str, str] | None:
        first, prefix, last = (self.text(cells, f) for f in (Field.FIRST_NAME, Field.PREFIX, Field.LAST_NAME))
        if not first and (full := self.text(cells, Field.FULL_NAME)):
            first, prefix2, last2 = split_full_name(full)
            prefix, last = prefix or prefix2, last or last2
        return first, prefix, last, self.text(cells, Field.PUPIL_ID)

    def read(self, row: int, cells: Sequence[Cell]) -> LevelRow | None:
        first, prefix, last, number = self.who(row, cells) or ("", "", "", "")
        birth, birth_ok = self.date(row, cells, Field.BIRTH_DATE)
        on, on_ok = self.date(row, cells, Field.MEASURED_ON)
        if on is None and on_ok:
            on = _round_date(self.text(cells, Field.SCHOOL_YEAR), self.text(cells, Field.MOMENT))
        readings = self.readings(row, cells, on)
        if not readings or not birth_ok or not on_ok:
            return None
        if not number and not (first and birth):
            self.add("levelfile.row.no_pupil", row, None, None)
            return None
        group = self.text(cells, Field.GROUP)
        return LevelRow(self.file, row, number, first, prefix, last, birth, group, tuple(readings))

    def notes(self) -> list[Problem]:
        out: list[Problem] = []
        if self.skipped:
            subjects = clip_list(f"{name} ({count})" for name, count in sorted(self.skipped.items()))
            out.append(Problem("levelfile.file.skipped_subjects", Severity.INFO, file=self.file,
                               params={"subjects": subjects}))  # fmt: skip
        for name, rows in sorted(self.unknown.items()):
            column = clip(self.headers[self.col[Field.SUBJECT]])
            params = {"rows": clip_list(str(r) for r in rows)}
            out.append(Problem("levelfile.row.unknown_subject", Severity.WARNING, file=self.file, row=rows[0],
                               column=column, value=clip(name), params=params))  # fmt: skip
        return out


def read_level_file(source: str | os.PathLike[str] | bytes, *, filename: str | None = None) -> LevelFile:
    """Read a level file (``bytes`` with ``filename``, or a path); see the module docstring.

    Raises a :class:`~peermatch.errors.RosterError` subclass for a file that cannot be read as a level file
    (not CSV/XLSX, empty, no level column, no pupil column), and returns every row problem otherwise.
    """
    data, loaded = load_source(source, filename)
    name = loaded or ""
    try:
        table = _table(data, name)
        columns = map_level_headers(table.headers)
        layout = _check_columns(table, columns, name)
        reader = _Reader(table, columns, name, layout)
        rows = [found for number, cells in table.rows if (found := reader.read(number, cells)) is not None]
    except RosterError:
        raise
    except Exception as exc:  # a damaged file gives a clear message, never a traceback (nor its values)
        raise UnsupportedFileError(Problem("roster.file.unreadable", file=name)) from exc
    problems = [*table.notes, *reader.notes(), *reader.problems]
    if len(problems) > MAX_PROBLEMS:
        rest = problems[MAX_PROBLEMS:]
        worst = Severity.ERROR if any(p.severity is Severity.ERROR for p in rest) else rest[0].severity
        problems = [*problems[:MAX_PROBLEMS], more_problems(len(rest), worst, name)]
    return LevelFile(source=name, rows=tuple(rows), problems=tuple(problems), layout=layout)
