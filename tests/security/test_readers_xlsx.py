"""Issue 11, item 1: an XLSX reader that stays bounded whatever the workbook (each test fails on the old reader).

The files come from ``benchmarks.hostile`` at a small size, with the bound lowered to match where the full-size
file would take minutes (``make bench-hostile`` measures the full-size ones).
"""

from __future__ import annotations

import datetime as dt
import tracemalloc
import zipfile
from typing import IO, Any, Literal

import pytest

from benchmarks.hostile import (
    xlsx_empty_rows,
    xlsx_many_parts,
    xlsx_pupil_after_empty_rows,
    xlsx_shared_strings_bomb,
    xlsx_sheet_bomb,
    xlsx_valid,
    xlsx_wide_header,
    xlsx_wide_row,
)
from peermatch.errors import FileTooLargeError, Problem, Severity
from peermatch.roster import limits, read_roster

TODAY = dt.date(2026, 10, 1)
SHEET = "xl/worksheets/sheet1.xml"


def refused(data: bytes, filename: str = "klas.xlsx") -> Problem:
    with pytest.raises(FileTooLargeError) as info:
        read_roster(data, filename=filename, today=TODAY)
    (problem,) = info.value.problems
    assert problem.file == filename
    return problem


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the zip members that were unpacked (opened for reading)."""
    names: list[str] = []
    original = zipfile.ZipFile.open

    def recording(
        self: zipfile.ZipFile, name: Any, mode: Literal["r", "w"] = "r", *args: Any, **kwargs: Any
    ) -> IO[bytes]:
        if mode == "r":  # not the test's own writing of the file
            names.append(name.filename if isinstance(name, zipfile.ZipInfo) else str(name))
        return original(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording)
    return names


def test_a_sheet_that_unpacks_beyond_the_part_limit_is_refused_before_it_is_unpacked(
    monkeypatch: pytest.MonkeyPatch, opened: list[str]
) -> None:
    # found: a 520 KB workbook whose sheet unpacks to 199 MB ran for minutes; the same shape at 3 MB
    monkeypatch.setattr(limits, "MAX_XLSX_PART_BYTES", 1024 * 1024)

    problem = refused(xlsx_sheet_bomb(3_000_000), "bom.xlsx")

    assert (problem.code, problem.params["part"]) == ("limits.xlsx_part", SHEET)
    assert "Het onderdeel xl/worksheets/sheet1.xml" in problem.message("nl")
    assert "larger than 1 MB unpacked" in problem.message("en")
    assert opened == []  # refused on the zip's directory: nothing was unpacked


def test_shared_strings_that_unpack_beyond_the_part_limit_are_refused_before_they_are_unpacked(
    monkeypatch: pytest.MonkeyPatch, opened: list[str]
) -> None:
    monkeypatch.setattr(limits, "MAX_XLSX_PART_BYTES", 1024 * 1024)

    problem = refused(xlsx_shared_strings_bomb(3_000_000))

    assert (problem.code, problem.params["part"]) == ("limits.xlsx_part", "xl/sharedStrings.xml")
    assert opened == []


def test_the_parts_together_may_not_unpack_beyond_the_total_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_XLSX_UNPACKED_BYTES", 1024 * 1024)

    problem = refused(xlsx_valid(8_000))  # about 1.7 MB unpacked, every part under its own limit

    assert problem.code == "limits.xlsx_unpacked"
    assert "uitgepakt groter dan 1 MB" in problem.message("nl")


def test_more_shared_strings_than_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_XLSX_SHARED_STRINGS", 1_000)

    problem = refused(xlsx_shared_strings_bomb(200_000))  # about 5,700 strings

    assert problem.code == "limits.xlsx_shared_strings"
    assert "meer dan 1.000 verschillende teksten" in problem.message("nl")
    assert "more than 1,000 different texts" in problem.message("en")


def test_a_zip_of_thousands_of_parts_is_refused_before_its_directory_is_read() -> None:
    problem = refused(xlsx_many_parts(limits.MAX_XLSX_PARTS + 10))

    assert problem.code == "limits.xlsx_parts"
    assert "meer dan 1.000 onderdelen" in problem.message("nl")


def test_a_million_empty_rows_written_out_are_refused_by_size_without_being_parsed(opened: list[str]) -> None:
    # found: 1,048,576 empty (formatted) rows took 17-60 s; now the sheet's declared size refuses it at once
    problem = refused(xlsx_empty_rows(1_048_576, explicit=True), "leeg.xlsx")

    assert (problem.code, problem.params["part"]) == ("limits.xlsx_part", SHEET)
    assert SHEET not in opened


def test_reading_stops_after_a_run_of_empty_rows_and_warns_about_the_pupils_below() -> None:
    for explicit in (True, False):
        roster = read_roster(
            xlsx_pupil_after_empty_rows(limits.MAX_EMPTY_RUN + 500, explicit=explicit), filename="klas.xlsx"
        )

        assert [p.pupil_id for p in roster.pupils] == ["000002"]  # the pupil in row 2, not the one far below
        (warning,) = [p for p in roster.problems if p.code == "limits.empty_run"]
        assert (warning.severity, warning.row, warning.file) == (Severity.WARNING, 2, "klas.xlsx")
        assert "Na rij 2 volgen minstens 1.000 lege rijen" in warning.message("nl")


def test_a_row_wider_than_the_element_budget_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # found: one row of a million styled cells took 21 s and 670 MB; the same shape, 20,000 cells
    monkeypatch.setattr(limits, "MAX_XLSX_ELEMENTS", 10_000)

    problem = refused(xlsx_wide_row(20_000), "breed.xlsx")

    assert problem.code == "limits.xlsx_elements"
    assert "more than 10,000 XML elements" in problem.message("en")


def test_cells_beyond_the_header_are_never_kept() -> None:
    data = xlsx_wide_row(100_000)  # 200,000 elements: within the budget, and one row that spans them all
    tracemalloc.start()
    try:
        roster = read_roster(data, filename="breed.xlsx", today=TODAY)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert len(roster.pupils) == 1
    assert peak < 8 * 1024 * 1024  # the old reader built the whole row: 100,000 cells


def test_a_header_wider_than_the_column_limit_is_refused_naming_the_row() -> None:
    problem = refused(xlsx_wide_header(limits.MAX_COLUMNS + 5), "breed.xlsx")

    assert (problem.code, problem.row) == ("limits.columns", 1)
    assert f"meer dan {limits.MAX_COLUMNS} kolommen" in problem.message("nl")
