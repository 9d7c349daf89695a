"""CSV and XLSX out, every text cell neutralised against formula injection.

Text goes through :func:`peermatch.exports.safe_cell` (a leading apostrophe before ``=``, ``+``,
``-``, ``@``, tab or carriage return). Numbers (``int``/``float``) are written as numbers: a
number cannot be a formula, and the municipality needs to compute with them. In XLSX every text
cell is also stored as an inline string, never as a formula, and dates as dates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from peermatch.exports import safe_cell
from peermatch.reports.tables import Table
from peermatch.reports.xlsx import Sheet, write_xlsx

__all__ = ["table_csv", "tables_xlsx"]

_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _csv_cell(value: Any) -> str:
    if _is_number(value):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)


def table_csv(table: Table, *, delimiter: str = ";") -> str:
    """CSV text with a header row. ``;`` by default, as Dutch Excel expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


def tables_xlsx(tables: Sequence[Table]) -> bytes:
    """One sheet per table, a bold frozen header row, columns sized to their content.

    Text is neutralised like in CSV and written as inline strings (never as a formula); numbers stay
    numbers and dates dates (see :mod:`peermatch.reports.xlsx`)."""
    sheets: list[Sheet] = []
    used: set[str] = set()
    for table in tables:
        title = safe_cell(table.name).translate(_SHEET_FORBIDDEN)[:31].strip() or "Blad"
        while title in used:
            title = f"{title[:27]}_{len(used)}"
        used.add(title)
        rows = ([_xlsx_value(v) for v in row] for row in table.rows)
        sheets.append((title, [safe_cell(h) for h in table.headers], rows))
    return write_xlsx(sheets)


def _xlsx_value(value: Any) -> Any:
    if value is None or _is_number(value) or isinstance(value, date):
        return value
    return safe_cell(value)
