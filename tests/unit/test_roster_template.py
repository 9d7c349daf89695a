"""The roster template teachers download: reproducible, complete, and read back without problems."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import load_workbook

from peermatch.model import Role
from peermatch.roster import read_roster
from peermatch.roster.template import COLUMNS, EXAMPLE_ROWS, EXAMPLE_SCHOOL_YEAR, main, template_csv, template_xlsx

DATA = Path(__file__).parents[2] / "data"
TODAY = dt.date(EXAMPLE_SCHOOL_YEAR, 10, 1)


def test_the_template_has_exactly_the_documented_columns() -> None:
    assert COLUMNS == (
        "leerlingnummer", "roepnaam", "tussenvoegsel", "achternaam", "geboortedatum", "groep", "avi", "rekenen",
        "rol", "motivatie", "niet_koppelen_met",
    )  # fmt: skip
    assert len(EXAMPLE_ROWS) == 3


def test_the_xlsx_template_is_byte_for_byte_reproducible() -> None:
    assert template_xlsx() == template_xlsx()


def test_the_committed_templates_are_what_the_generator_writes() -> None:
    assert (DATA / "roster_template.csv").read_bytes() == template_csv()
    assert (DATA / "roster_template.xlsx").read_bytes() == template_xlsx()


def test_the_generator_command_writes_both_files(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path)]) == 0

    assert {p.name for p in tmp_path.iterdir()} == {"roster_template.csv", "roster_template.xlsx"}


def test_both_templates_read_back_as_three_valid_pupils_without_any_problem() -> None:
    for data, name in ((template_csv(), "roster_template.csv"), (template_xlsx(), "roster_template.xlsx")):
        for today in (TODAY, dt.date(EXAMPLE_SCHOOL_YEAR + 1, 6, 30)):  # start and end of the school year
            assert read_roster(data, filename=name, today=today).problems == (), (name, today)
        roster = read_roster(data, filename=name, today=TODAY)

        assert roster.problems == (), name
        assert [p.pupil_id for p in roster.pupils] == ["90001", "90002", "90003"]
        assert [p.role for p in roster.pupils] == [Role.TUTOR, Role.TUTEE, Role.TUTEE]
        assert roster.pupils[1].not_with == frozenset({"90003"})


def test_the_xlsx_template_explains_every_column_in_dutch_on_sheet_uitleg() -> None:
    workbook = load_workbook(io.BytesIO(template_xlsx()))

    assert workbook.sheetnames == ["Leerlingen", "Uitleg"]
    explained = [row[0] for row in workbook["Uitleg"].iter_rows(min_row=2, values_only=True) if row[0] in COLUMNS]
    assert explained == list(COLUMNS)


def test_the_xlsx_template_keeps_pupil_numbers_as_text_and_birth_dates_as_dates() -> None:
    sheet = load_workbook(io.BytesIO(template_xlsx()))["Leerlingen"]

    assert sheet["A2"].value == "90001"
    assert sheet["A2"].number_format == "@"
    assert isinstance(sheet["E2"].value, dt.datetime)


def test_the_csv_template_opens_in_dutch_excel_semicolon_separated_with_bom() -> None:
    data = template_csv()

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0] == ";".join(COLUMNS)
