"""CSV text -> :class:`RawTable`: delimiter ``;`` ``,`` or tab, title lines above the header allowed.

The delimiter is chosen on the header, not guessed from the data: each candidate splits the first
lines, and the one whose best line names the most known columns wins (then: the most columns).
``csv.Sniffer`` is not used; it guesses from data and changed behaviour between Python versions.

A file that mixes UTF-8 and cp1252 lines (rows pasted together from two exports) is not UTF-8 as a whole,
so one encoding for all of it would turn ``Zoë`` into ``ZoÃ«`` in the UTF-8 rows. Such a file is decoded
line by line instead, and a warning names the rows of each encoding so the teacher checks the names.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from peermatch.errors import EmptyFileError, FileTooLargeError, Problem, Severity, UnsupportedFileError
from peermatch.roster import limits
from peermatch.roster.cells import Cell
from peermatch.roster.headers import recognised_fields
from peermatch.roster.limits import limit_problem, too_many_rows
from peermatch.roster.sniff import decode_text
from peermatch.roster.table import Format, RawTable, is_blank

__all__ = ["HEADER_SEARCH_ROWS", "read_csv"]

DELIMITERS = (";", ",", "\t")
HEADER_SEARCH_ROWS = 20  # title lines allowed above the header


class _LineTooLongError(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


@dataclass(frozen=True)
class _Mixed:
    text: str
    utf8_lines: tuple[int, ...]
    cp1252_lines: tuple[int, ...]


def _mixed_encoding(data: bytes) -> _Mixed | None:
    """The text of a file whose lines are partly UTF-8 and partly cp1252, decoded per line; else ``None``."""
    body = data.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in body or body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # UTF-16, or binary: the usual decoding decides
    try:
        body.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    utf8: list[int] = []
    cp1252: list[int] = []
    for number, line in enumerate(body.split(b"\n"), start=1):
        if line.isascii():
            parts.append(line.decode("ascii"))
            continue
        try:
            parts.append(line.decode("utf-8"))
            utf8.append(number)
        except UnicodeDecodeError:
            try:
                parts.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                return None  # no text in either encoding: the usual decoding refuses it
            cp1252.append(number)
    if not utf8 or not cp1252:
        return None
    return _Mixed("\n".join(parts), tuple(utf8), tuple(cp1252))


def _lines(text: str) -> Iterator[str]:
    """The physical lines of ``text``; one longer than ``MAX_LINE_CHARS`` stops the reading before it is split."""
    limit = limits.MAX_LINE_CHARS
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > limit:
            raise _LineTooLongError(number)
        yield line


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(_lines(text), delimiter=delimiter, quotechar='"', doublequote=True, strict=False)


def _width(record: list[str]) -> int:
    """The number of fields up to the last non-empty one (trailing delimiters do not count)."""
    width = len(record)
    while width and not record[width - 1].strip():
        width -= 1
    return width


def _score(rows: list[list[str]]) -> tuple[int, int]:
    """(fields named by the first header-like row, width of the first non-empty line) for one delimiter."""
    score = next((n for row in rows if (n := recognised_fields(row)) >= 2), 0)
    width = next((len(row) for row in rows if row), 0)
    return score, width


def _choose_delimiter(text: str) -> str:
    best: tuple[int, int, int] = (-1, -1, 0)
    chosen = DELIMITERS[0]
    for order, delimiter in enumerate(DELIMITERS):
        try:
            rows: list[list[str]] = []
            for row in _records(text, delimiter):
                rows.append(row[: limits.MAX_COLUMNS + 1])
                if len(rows) >= HEADER_SEARCH_ROWS:
                    break
        except (csv.Error, _LineTooLongError):
            continue
        key = (*_score(rows), -order)
        if key > best:
            best, chosen = key, delimiter
    return chosen


def read_csv(data: bytes, *, max_rows: int, max_bytes: int, file: str | None = None) -> RawTable:
    """Decode, choose the delimiter, find the header and collect the non-empty rows after it.

    The header is the first of the first 20 rows that names at least two known columns (rows above
    it are titles and skipped); without one, the first non-empty row (and the caller reports which
    columns are missing). Bounded whatever the text: a line over ``MAX_LINE_CHARS``, a row with more than
    ``MAX_COLUMNS`` fields or more than ``MAX_SCANNED_ROWS`` lines (empty ones included) is refused.
    """
    mixed = _mixed_encoding(data)
    text = mixed.text if mixed is not None else decode_text(data, file)
    if not text.strip():
        raise EmptyFileError(Problem("roster.file.empty", file=file))
    delimiter = _choose_delimiter(text)

    headers: list[str] | None = None
    header_row = 0
    pending: list[tuple[int, list[Cell]]] = []  # non-blank rows seen before the header was found
    rows: list[tuple[int, list[Cell]]] = []
    row_number = 0
    try:
        for record in _records(text, delimiter):
            row_number += 1
            if row_number > limits.MAX_SCANNED_ROWS:
                raise FileTooLargeError(limit_problem("scanned_rows", file, limit=limits.MAX_SCANNED_ROWS))
            if len(record) > limits.MAX_COLUMNS:
                if _width(record) > limits.MAX_COLUMNS:
                    raise FileTooLargeError(limit_problem("columns", file, limit=limits.MAX_COLUMNS, row=row_number))
                del record[limits.MAX_COLUMNS :]
            if headers is None:
                if row_number <= HEADER_SEARCH_ROWS and recognised_fields(record) >= 2:
                    headers, header_row, pending = record, row_number, []
                    continue
                if not is_blank(record):
                    pending.append((row_number, list(record)))
                if row_number < HEADER_SEARCH_ROWS or not pending:
                    continue
                (header_row, first), rows = pending[0], pending[1:]
                headers, pending = [str(cell) for cell in first], []
            elif not is_blank(record):
                rows.append((row_number, list(record)))
            if len(rows) > max_rows:
                raise FileTooLargeError(too_many_rows(file, max_rows=max_rows, max_bytes=max_bytes))
    except csv.Error as exc:
        raise UnsupportedFileError(Problem("roster.file.csv_broken", file=file, row=row_number + 1)) from exc
    except _LineTooLongError as exc:
        raise FileTooLargeError(
            limit_problem("line_too_long", file, limit=limits.MAX_LINE_CHARS, row=exc.line)
        ) from exc

    if headers is None:
        if not pending:
            raise EmptyFileError(Problem("roster.file.empty", file=file))
        (header_row, first), rows = pending[0], pending[1:]
        headers = [str(cell) for cell in first]
    notes: tuple[Problem, ...] = ()
    if mixed is not None:
        params = {"utf8_rows": limits.clip_list(map(str, mixed.utf8_lines)),
                  "cp1252_rows": limits.clip_list(map(str, mixed.cp1252_lines))}  # fmt: skip
        notes = (Problem("levelfile.csv.mixed_encoding", Severity.WARNING, file=file, params=params),)
    return RawTable(format=Format.CSV, headers=tuple(h.strip() for h in headers), rows=rows, header_row=header_row,
                    notes=notes)  # fmt: skip
