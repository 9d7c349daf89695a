"""Roster import: CSV, XLSX or EDEXML in -> a validated :class:`~peermatch.model.Roster`.

::

    roster = read_roster(uploaded_bytes, filename="groep5.csv")
    if not roster.ok:
        show(roster.errors)          # every problem at once, located by row and column

Whole-file problems raise one :class:`~peermatch.errors.RosterError` subclass with one problem:
:class:`UnsupportedFileError` (not CSV/XLSX/EDEXML, a binary file in disguise, a damaged or unsafe
file), :class:`EmptyFileError`, :class:`HeaderOnlyError`, :class:`FileTooLargeError` (over
``MAX_FILE_BYTES`` or ``MAX_ROWS``) and :class:`MissingColumnsError`. No input raises anything else.

Everything else comes back in ``Roster.problems`` (ERROR / WARNING / INFO); ``Roster.ok`` is False
when there is an ERROR. ``Roster.pupils`` holds only the rows without errors, in file order, so each
Pupil in it is complete (id, first name, group, plausible birth date) and ids are unique; the rows
with errors are reported by row number and left out. Sensitive columns (BSN, ethnicity, address,
weights, diagnoses, remarks, contact details) are dropped unread and named in ``dropped_columns``;
other unused columns are named in ``ignored_columns``.

Modules: :mod:`.sniff` (format, encoding), :mod:`.csvfile`, :mod:`.xlsxfile`, :mod:`.edexml` (readers
-> :class:`.table.RawTable`), :mod:`.headers` (aliases), :mod:`.privacy` (what we refuse to keep),
:mod:`.cells` and :mod:`.dates` (one cell each), :mod:`.validate` (rows -> pupils + problems) and
:mod:`.template` (the template files teachers download).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from peermatch.errors import (
    EmptyFileError,
    FileTooLargeError,
    HeaderOnlyError,
    MissingColumnsError,
    Problem,
    RosterError,
    UnsupportedFileError,
)
from peermatch.model import Roster
from peermatch.roster.csvfile import read_csv
from peermatch.roster.edexml import read_edexml
from peermatch.roster.fixes import Fixes, apply_fixes, row_cells
from peermatch.roster.headers import REQUIRED, ColumnMap, Field, map_headers
from peermatch.roster.limits import clip_list, too_large
from peermatch.roster.sniff import detect_format, refuse_headerless
from peermatch.roster.table import Format, RawTable
from peermatch.roster.validate import validate
from peermatch.roster.xlsxfile import read_xlsx

__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "Fixes", "error_row_cells", "load_source", "read_roster"]

MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MB
MAX_ROWS = 50_000

_log = logging.getLogger(__name__)

# How a required column is called in messages, per format (the template's names; EDEXML's own).
_COLUMN_NAMES: dict[Format, dict[Field, str]] = {
    Format.CSV: {
        Field.PUPIL_ID: "leerlingnummer",
        Field.FIRST_NAME: "roepnaam",
        Field.GROUP: "groep",
        Field.BIRTH_DATE: "geboortedatum",
    },
    Format.XML: {
        Field.PUPIL_ID: "key",
        Field.FIRST_NAME: "roepnaam",
        Field.GROUP: "groep",
        Field.BIRTH_DATE: "geboortedatum",
    },
}
_COLUMN_NAMES[Format.XLSX] = _COLUMN_NAMES[Format.CSV]


def load_source(source: str | os.PathLike[str] | bytes, filename: str | None) -> tuple[bytes, str | None]:
    """An upload's bytes (a path is read, a size over the limit refused before reading) and its file name."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        path = Path(source)
        filename = filename if filename is not None else path.name
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise FileTooLargeError(too_large(filename, size, max_rows=MAX_ROWS, max_bytes=MAX_FILE_BYTES))
            data = path.read_bytes()
        except OSError as exc:
            problem = Problem("roster.file.cannot_open", file=filename, params={"reason": type(exc).__name__})
            raise RosterError(problem) from exc
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLargeError(too_large(filename, len(data), max_rows=MAX_ROWS, max_bytes=MAX_FILE_BYTES))
    return data, filename


def _read_table(data: bytes, filename: str | None) -> RawTable:
    reader = {Format.XLSX: read_xlsx, Format.XML: read_edexml, Format.CSV: read_csv}[detect_format(data, filename)]
    return reader(data, max_rows=MAX_ROWS, max_bytes=MAX_FILE_BYTES, file=filename)


def _check_columns(table: RawTable, columns: ColumnMap, filename: str | None) -> None:
    missing = columns.missing()
    if missing:
        refuse_headerless(table.headers, filename)  # a first row of data is never echoed as "found columns"
        names = _COLUMN_NAMES[table.format]
        params = {
            "missing": ", ".join(names[f] for f in missing),
            "found": clip_list(h for h in table.headers if h),
            "required": ", ".join(names[f] for f in REQUIRED),
        }
        raise MissingColumnsError(Problem("roster.file.missing_columns", file=filename, params=params))
    if not table.rows:
        code = "roster.file.edex_no_pupils" if table.format is Format.XML else "roster.file.header_only"
        raise HeaderOnlyError(Problem(code, file=filename, row=table.header_row))


def _table(data: bytes, filename: str | None) -> tuple[RawTable, ColumnMap]:
    if not data.strip():
        raise EmptyFileError(Problem("roster.file.empty", file=filename))
    table = _read_table(data, filename)
    columns = map_headers(table.headers)
    _check_columns(table, columns, filename)
    return table, columns


def _read(data: bytes, filename: str | None, today: dt.date | None, fixes: Fixes | None = None) -> Roster:
    table, columns = _table(data, filename)
    table = apply_fixes(table, columns, fixes or {})
    reference_date = today or table.reference_date or dt.date.today()
    pupils, problems = validate(table, columns, file=filename, reference_date=reference_date)
    return Roster(
        pupils=pupils,
        problems=problems,
        source=filename or "",
        dropped_columns=tuple(columns.headers[i] for i in columns.dropped),
        ignored_columns=tuple(columns.headers[i] for i in (*columns.ignored, *(d for d, _ in columns.duplicates))),
        reference_date=reference_date,
    )


def read_roster(
    source: str | os.PathLike[str] | bytes,
    *,
    filename: str | None = None,
    today: dt.date | None = None,
    fixes: Fixes | None = None,
) -> Roster:
    """Read and validate a roster from uploaded ``bytes`` (pass ``filename``) or a path.

    ``today`` is the reference date for ages (default: the EDEXML ``peildatum``, else today).
    ``fixes`` are a teacher's corrections of cells (row number -> header as written -> text, see
    :mod:`.fixes`), applied before validating; the file itself is not changed.
    Raises a :class:`~peermatch.errors.RosterError` subclass for a file that cannot be read at all,
    and nothing else; returns a :class:`~peermatch.model.Roster` with every data problem otherwise.
    """
    data, filename = load_source(source, filename)
    try:
        return _read(data, filename, today, fixes)
    except RosterError:
        raise
    except Exception as exc:  # a safety net: a damaged file must give a clear message, never a traceback
        where = exc.__traceback__
        while where is not None and where.tb_next is not None:
            where = where.tb_next
        line = f"{where.tb_frame.f_code.co_filename}:{where.tb_lineno}" if where else "?"
        _log.error("roster import failed unexpectedly: %s at %s", type(exc).__name__, line)  # no values: privacy
        raise UnsupportedFileError(Problem("roster.file.unreadable", file=filename)) from exc


def error_row_cells(source: bytes, *, filename: str | None, rows: Iterable[int]) -> dict[int, dict[str, str]]:
    """The cells of ``rows`` as read from the file, only the columns PeerMatch reads (header -> text).

    For a table of the rows with errors that a teacher can correct in place; sensitive columns never show.
    Raises what :func:`read_roster` raises for a file that cannot be read.
    """
    data, filename = load_source(source, filename)
    table, columns = _table(data, filename)
    return row_cells(table, columns, rows)
