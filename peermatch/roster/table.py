"""What every reader hands to the validator: a header, numbered rows of raw cells, and notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from peermatch.errors import Problem
from peermatch.roster.cells import Cell

__all__ = ["Format", "RawTable", "is_blank"]


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    XML = "xml"  # EDEXML once the root is checked


@dataclass(frozen=True)
class RawTable:
    """One roster as read, before validation.

    ``rows`` holds only rows with at least one non-empty cell, each with the row number the user
    sees: the spreadsheet row for CSV and XLSX, the pupil's position (1-based) for EDEXML.
    ``header_row`` is ``None`` for EDEXML, which has no header row.
    """

    format: Format
    headers: tuple[str, ...]
    rows: Sequence[tuple[int, Sequence[Cell]]]
    header_row: int | None = 1
    reference_date: dt.date | None = None  # EDEXML peildatum
    notes: tuple[Problem, ...] = ()  # format-level remarks (e.g. "EDEXML has no levels")


def is_blank(cells: Sequence[Cell]) -> bool:
    """True when every cell is empty or only whitespace."""
    for cell in cells:
        if cell is None:
            continue
        if isinstance(cell, str):
            if cell and not cell.isspace():
                return False
        else:
            return False
    return True
