"""Fixing a roster's rows in place before importing (issue 15, item 5): the cells of the rows with errors (never
a column we refuse to keep), and the file read again with corrections, validated as a whole."""

from __future__ import annotations

from peermatch.roster import error_row_cells, read_roster

BROKEN = (
    b"leerlingnummer,roepnaam,achternaam,geboortedatum,groep,avi,bsn\n"
    b"90003,Anna,Jansen,31-02-2015,6B,E5,123456782\n"
    b"90003,Bram,Bakker,01-09-2015,6B,M8,111222333\n"
    b"90004,Cas,Smit,02-09-2015,6B,E4,999888777\n"
)


def test_the_cells_of_the_rows_with_errors_leave_out_sensitive_columns() -> None:
    roster = read_roster(BROKEN, filename="kapot.csv")
    rows = sorted({p.row for p in roster.errors if p.row is not None})
    assert rows == [2, 3]
    cells = error_row_cells(BROKEN, filename="kapot.csv", rows=rows)
    assert cells[2] == {"leerlingnummer": "90003", "roepnaam": "Anna", "achternaam": "Jansen",
                        "geboortedatum": "31-02-2015", "groep": "6B", "avi": "E5"}  # fmt: skip
    assert "bsn" not in cells[3]
    assert all("123456782" not in v for row in cells.values() for v in row.values())


def test_corrections_are_validated_again_and_fix_the_roster() -> None:
    half = read_roster(BROKEN, filename="kapot.csv", fixes={2: {"geboortedatum": "28-02-2015"}})
    assert not half.ok
    assert {p.row for p in half.errors} == {3}
    fixes = {2: {"geboortedatum": "28-02-2015"}, 3: {"leerlingnummer": "90005", "avi": "E7"}}
    fixed = read_roster(BROKEN, filename="kapot.csv", fixes=fixes)
    assert fixed.ok
    assert [p.pupil_id for p in fixed.pupils] == ["90003", "90005", "90004"]
    reading = fixed.by_id()["90005"].reading
    assert reading is not None
    assert reading.code == "E7"


def test_a_correction_can_break_a_row_and_one_of_a_sensitive_column_is_ignored() -> None:
    worse = read_roster(BROKEN, filename="kapot.csv", fixes={4: {"groep": ""}, 2: {"bsn": "1"}})
    assert 4 in {p.row for p in worse.errors}
    assert "bsn" in worse.dropped_columns
