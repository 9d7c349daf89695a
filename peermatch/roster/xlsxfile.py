"""XLSX bytes -> :class:`RawTable`, with openpyxl in read-only, values-only mode.

The roster is the first worksheet with a recognisable header in its first 20 rows (title rows above
it are fine); row numbers are the real sheet rows. Every openpyxl, zip or XML failure becomes an
:class:`UnsupportedFileError`; a zip that would unpack to far more than the upload limit is refused
before openpyxl opens it.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

from peermatch.errors import EmptyFileError, FileTooLargeError, Problem, UnsupportedFileError
from peermatch.roster.cells import Cell
from peermatch.roster.headers import recognised_fields
from peermatch.roster.limits import too_large, too_many_rows
from peermatch.roster.table import Format, RawTable, is_blank

__all__ = ["HEADER_SEARCH_ROWS", "MAX_EMPTY_RUN", "UNPACKED_FACTOR", "read_xlsx"]

HEADER_SEARCH_ROWS = 20
MAX_EMPTY_RUN = 10_000  # stop after this many empty rows in a row (formatting that reaches row 1,048,576)
UNPACKED_FACTOR = 10  # unpacked contents may be at most this many times the upload limit


def _check_archive(data: bytes, file: str | None, *, max_rows: int, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise UnsupportedFileError(Problem("roster.file.xlsx_broken", file=file)) from exc
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        ods = "mimetype" in names and "content.xml" in names
        raise UnsupportedFileError(Problem("roster.file.ods" if ods else "roster.file.zip_not_xlsx", file=file))
    unpacked = sum(info.file_size for info in infos)
    if unpacked > UNPACKED_FACTOR * max_bytes:
        raise FileTooLargeError(too_large(file, unpacked, max_rows=max_rows, max_bytes=max_bytes))


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, Sequence[Cell]]]:
    """(sheet row number, values) for every row, starting at row 1."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # the stored dimensions may be wrong; read what is there
    yield from enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)


def _header_width(cells: Sequence[Cell]) -> int:
    width = len(cells)
    while width and (cells[width - 1] is None or str(cells[width - 1]).strip() == ""):
        width -= 1
    return width


def _header_text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip()


def _read_sheet(
    sheet: Any, file: str | None, *, max_rows: int, max_bytes: int
) -> tuple[RawTable | None, tuple[str, ...] | None]:
    """The roster on this sheet, or ``(None, first non-empty row)`` when it has no recognisable header."""
    first_row: tuple[str, ...] | None = None
    rows_iter = _sheet_rows(sheet)
    for number, cells in rows_iter:
        if number > HEADER_SEARCH_ROWS:
            return None, first_row
        if is_blank(cells):
            continue
        if first_row is None:
            first_row = tuple(_header_text(c) for c in cells[: _header_width(cells)])
        if recognised_fields([_header_text(c) for c in cells]) >= 2:
            width = _header_width(cells)
            headers = tuple(_header_text(c) for c in cells[:width])
            rows: list[tuple[int, Sequence[Cell]]] = []
            empty_run = 0
            for row_number, values in rows_iter:
                kept = values[:width]
                if is_blank(kept):
                    empty_run += 1
                    if empty_run >= MAX_EMPTY_RUN:
                        break
                    continue
                empty_run = 0
                rows.append((row_number, kept))
                if len(rows) > max_rows:
                    raise FileTooLargeError(too_many_rows(file, max_rows=max_rows, max_bytes=max_bytes))
            return RawTable(format=Format.XLSX, headers=headers, rows=rows, header_row=number), None
    return None, first_row


def read_xlsx(data: bytes, *, max_rows: int, max_bytes: int, file: str | None = None) -> RawTable:
    """The roster in an XLSX workbook; see the module docstring."""
    _check_archive(data, file, max_rows=max_rows, max_bytes=max_bytes)
    import openpyxl  # imported here: CSV-only use does not pay for it

    fallback: tuple[str, ...] | None = None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors on a damaged file
        raise UnsupportedFileError(Problem("roster.file.xlsx_broken", file=file)) from exc
    try:
        for sheet in workbook.worksheets:
            try:
                table, first_row = _read_sheet(sheet, file, max_rows=max_rows, max_bytes=max_bytes)
            except FileTooLargeError:
                raise
            except Exception as exc:  # a damaged sheet part
                raise UnsupportedFileError(Problem("roster.file.xlsx_broken", file=file)) from exc
            if table is not None:
                return table
            if fallback is None:
                fallback = first_row
    finally:
        with contextlib.suppress(Exception):  # closing a damaged archive must not hide the real answer
            workbook.close()
    if fallback is None:
        raise EmptyFileError(Problem("roster.file.empty", file=file))
    return RawTable(format=Format.XLSX, headers=fallback, rows=(), header_row=None)
