"""Fixing a roster's rows in place before it is imported: the cells of the rows with errors, and the same file
read again with the teacher's corrections.

A correction is keyed by the row number the teacher sees and the column's header as written in the file:
``{3: {"geboortedatum": "28-02-2015"}}``. Only the columns PeerMatch reads can be shown or corrected; the
columns we refuse to keep (BSN, addresses, ...) are never shown (:mod:`.privacy`), and the file itself is
never changed: the corrections are applied to the cells as read, then everything is validated again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from peermatch.roster.cells import cell_text
from peermatch.roster.headers import ColumnMap
from peermatch.roster.table import RawTable

__all__ = ["Fixes", "apply_fixes", "editable_columns", "row_cells"]

Fixes = Mapping[int, Mapping[str, str]]  # row number -> header as written -> the corrected text


def editable_columns(columns: ColumnMap) -> tuple[int, ...]:
    """The indexes of the columns PeerMatch reads (fields and their fallbacks), in file order."""
    used = set(columns.fields.values())
    for extra in columns.fallbacks.values():
        used.update(extra)
    return tuple(sorted(used))


def apply_fixes(table: RawTable, columns: ColumnMap, fixes: Fixes) -> RawTable:
    """``table`` with the corrected cells; corrections of other columns or unknown rows are ignored."""
    if not fixes:
        return table
    index_of = {columns.headers[i]: i for i in reversed(editable_columns(columns))}
    rows = []
    for number, cells in table.rows:
        fix = fixes.get(number)
        if fix:
            patched = list(cells) + [None] * (len(columns.headers) - len(cells))
            for header, text in fix.items():
                if header in index_of:
                    patched[index_of[header]] = text
            cells = patched
        rows.append((number, cells))
    return dataclasses.replace(table, rows=rows)


def row_cells(table: RawTable, columns: ColumnMap, rows: Iterable[int]) -> dict[int, dict[str, str]]:
    """The text of the readable cells of ``rows`` (header as written -> text), in the order asked."""
    wanted = list(dict.fromkeys(rows))
    found = dict(table.rows)
    indexes = editable_columns(columns)
    out: dict[int, dict[str, str]] = {}
    for number in wanted:
        cells = found.get(number)
        if cells is None:
            continue
        out[number] = {columns.headers[i]: cell_text(cells[i]) if i < len(cells) else "" for i in indexes}
    return out
