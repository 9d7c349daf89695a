"""Exports open safely in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from peermatch.exports import safe_cell, to_csv


@pytest.mark.parametrize("text", ["=1+1", "+31", "-2", "@SUM(A1)", "\tx", '=HYPERLINK("http://x")'])
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_becomes_text(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(("value", "expected"), [("Daan", "Daan"), (None, ""), (3, "3"), ("M4", "M4"), ("", "")])
def test_ordinary_cells_are_left_alone(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def test_csv_has_the_header_and_every_row_with_formula_cells_neutralised() -> None:
    text = to_csv([{"a": "=evil()", "b": "ok"}, {"a": "x"}], ["a", "b"])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["a", "b"], ["'=evil()", "ok"], ["x", ""]]
