"""Reading XLSX rosters: title rows, number and date cells, sheets, and damaged files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

import peermatch.roster as roster_module
from benchmarks.hostile import xlsx, xlsx_lying_sizes
from peermatch.errors import (
    EmptyFileError,
    FileTooLargeError,
    HeaderOnlyError,
    MissingColumnsError,
    RosterError,
    UnsupportedFileError,
)
from peermatch.model import Roster
from peermatch.roster import limits, read_roster

TODAY = dt.date(2024, 10, 1)
HEADER: list[object] = [
    "Leerlingnummer",
    "Roepnaam",
    "Achternaam",
    "Geboortedatum",
    "Groep",
    "AVI",
    "Rekenen",
    "Motivatie",
]


def workbook_bytes(*sheets: tuple[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(*sheets: tuple[str, list[list[object]]]) -> Roster:
    return read_roster(workbook_bytes(*sheets), filename="klas.xlsx", today=TODAY)


def test_title_rows_above_the_header_are_skipped_and_problems_use_real_sheet_rows() -> None:
    rows: list[list[object]] = [
        ["Groepsoverzicht De Proeftuin"],
        [],
        ["Schooljaar 2024-2025", None, None, "Peildatum: 1 oktober"],
        HEADER,
        ["0501", "Fenna", "Verbeek", dt.datetime(2015, 9, 3), "5B", "E5", "M5", 4],
        ["0502", "Sem", "Dijk", "31-02-2015", "5B", "M4", "E4", 3],
    ]

    roster = read(("Leerlingen", rows))

    assert roster.pupils[0].row == 5
    (problem,) = roster.errors
    assert (problem.code, problem.row, problem.column) == ("roster.date.impossible", 6, "Geboortedatum")


def test_numeric_pupil_numbers_become_text_without_a_decimal_point() -> None:
    rows: list[list[object]] = [HEADER, [123.0, "Fenna", "Verbeek", "03-09-2015", "5B", "", "", None]]
    rows.append([124, "Sem", "Dijk", "03-09-2015", "5B", "", "", None])

    roster = read(("Blad1", rows))

    assert [p.pupil_id for p in roster.pupils] == ["123", "124"]


def test_text_pupil_numbers_keep_their_leading_zeros() -> None:
    roster = read(("Blad1", [HEADER, ["00123", "Fenna", "Verbeek", "03-09-2015", "5B", "", "", None]]))

    assert roster.pupils[0].pupil_id == "00123"


def test_date_cells_text_dates_and_excel_serial_numbers_all_read_as_dates() -> None:
    rows: list[list[object]] = [
        HEADER,
        ["1", "Fenna", "Verbeek", dt.datetime(2015, 9, 3), "5B", "", "", None],
        ["2", "Sem", "Dijk", 42250, "5B", "", "", None],
        ["3", "Lotte", "Hof", "3-9-2015", "5B", "", "", None],
        ["4", "Daan", "Bos", dt.date(2015, 9, 3), "5B", "", "", None],
    ]

    roster = read(("Blad1", rows))

    assert roster.ok, roster.problems
    assert {p.birth_date for p in roster.pupils} == {dt.date(2015, 9, 3)}


def test_numeric_motivation_and_old_avi_cells_are_read() -> None:
    rows: list[list[object]] = [HEADER, ["1", "Fenna", "Verbeek", "03-09-2015", "5B", 5, "M5", 4.0]]

    roster = read(("Blad1", rows))

    assert roster.pupils[0].motivation == 4
    reading = roster.pupils[0].reading
    assert reading is not None
    assert reading.converted


def test_the_first_sheet_with_a_recognisable_header_is_used() -> None:
    explanation: list[list[object]] = [["Uitleg"], ["leerlingnummer"], ["roepnaam"], ["groep"]]
    pupils: list[list[object]] = [HEADER, ["1", "Fenna", "Verbeek", "03-09-2015", "5B", "", "", None]]

    roster = read(("Uitleg", explanation), ("Leerlingen", pupils))

    assert [p.first_name for p in roster.pupils] == ["Fenna"]


def test_empty_trailing_rows_and_cells_beyond_the_header_are_ignored() -> None:
    rows: list[list[object]] = [HEADER, ["1", "Fenna", "Verbeek", "03-09-2015", "5B", "", "", None, None, "x"]]
    rows += [[None] * 8 for _ in range(50)]

    roster = read(("Blad1", rows))

    assert len(roster.pupils) == 1
    assert roster.problems == ()


def test_a_workbook_with_only_a_header_raises_header_only() -> None:
    with pytest.raises(HeaderOnlyError):
        read(("Blad1", [HEADER, [None] * 8]))


def test_a_workbook_without_any_cells_raises_empty_file() -> None:
    with pytest.raises(EmptyFileError):
        read(("Blad1", []))


def test_a_workbook_without_a_recognisable_header_lists_what_it_found() -> None:
    with pytest.raises(MissingColumnsError) as info:
        read(("Blad1", [["Naam", "Cijfer"], ["Fenna", 7]]))

    assert info.value.problems[0].params["found"] == "Naam, Cijfer"


def test_more_rows_than_the_limit_raises_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_module, "MAX_ROWS", 2)
    rows: list[list[object]] = [HEADER] + [
        [str(n), "Fenna", "Verbeek", "03-09-2015", "5B", "", "", None] for n in range(3)
    ]

    with pytest.raises(FileTooLargeError):
        read(("Blad1", rows))


def test_a_damaged_xlsx_is_refused_as_unsupported() -> None:
    data = workbook_bytes(("Blad1", [HEADER]))

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(data[: len(data) // 2], filename="klas.xlsx")

    assert info.value.problems[0].code == "roster.file.xlsx_broken"


def test_a_zip_that_is_no_workbook_is_refused_as_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("leerlingen.csv", "leerlingnummer;roepnaam\r\n")

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(buffer.getvalue(), filename="klas.xlsx")

    assert info.value.problems[0].code == "roster.file.zip_not_xlsx"


def test_an_ods_spreadsheet_gets_advice_to_save_as_xlsx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(buffer.getvalue(), filename="klas.ods")

    assert ".xlsx" in info.value.problems[0].message("nl")


def test_a_zip_that_unpacks_far_beyond_the_part_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_XLSX_PART_BYTES", 20_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", "a" * 1_000_000)

    with pytest.raises(FileTooLargeError) as info:
        read_roster(buffer.getvalue(), filename="bom.xlsx")

    assert info.value.problems[0].code == "limits.xlsx_part"


def test_a_workbook_with_a_corrupt_sheet_part_is_a_roster_error() -> None:
    data = workbook_bytes(("Blad1", [HEADER, ["1", "Fenna", "Verbeek", "03-09-2015", "5B", "", "", None]]))
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]
            target.writestr(info, content)

    with pytest.raises(RosterError):
        read_roster(buffer.getvalue(), filename="klas.xlsx")


# --- the streaming reader: what openpyxl used to give, read from the XML itself ------------------------------

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
KNOWN = ["leerlingnummer", "roepnaam", "achternaam", "geboortedatum", "groep"]


def _sheet(rows: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>{rows}</sheetData></worksheet>'


def _header() -> str:
    cells = "".join(f'<c r="{"ABCDE"[i]}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(KNOWN))
    return f'<row r="1">{cells}</row>'


def test_shared_strings_with_rich_text_phonetic_runs_and_escapes_are_read_as_their_text() -> None:
    strings = (
        f'<sst {NS} count="3" uniqueCount="3">'
        "<si><r><rPr><b/></rPr><t>Fen</t></r><r><t>na</t></r><rPh><t>ふぇんな</t></rPh></si>"
        "<si><t>Verbeek_x0041_</t></si><si><t>5A</t></si></sst>"
    )
    row = (
        '<row r="2"><c r="A2"><v>7</v></c><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c>'
        '<c r="D2" t="inlineStr"><is><t>03-09-2015</t></is></c><c r="E2" t="s"><v>2</v></c></row>'
    )

    roster = read_roster(xlsx(_sheet(_header() + row), strings), filename="klas.xlsx", today=TODAY)

    (pupil,) = roster.pupils
    assert (pupil.pupil_id, pupil.first_name, pupil.last_name, pupil.group) == ("7", "Fenna", "VerbeekA", "5A")


def test_cells_placed_by_reference_leave_gaps_and_a_wide_row_does_not_hide_the_rows_after_it() -> None:
    wide = '<row r="3"><c r="A3" t="inlineStr"><is><t>8</t></is></c>' + '<c s="0"><v>1</v></c>' * 5_000 + "</row>"
    rows = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>7</t></is></c><c r="B2" t="inlineStr"><is><t>Fenna</t></is></c>'
        '<c r="D2"><v>42250</v></c><c r="E2" t="inlineStr"><is><t>5A</t></is></c></row>'
        + wide
        + '<row r="4"><c r="A4" t="inlineStr"><is><t>9</t></is></c><c r="B4" t="inlineStr"><is><t>Sem</t></is>'
        '</c><c r="D4" t="inlineStr"><is><t>03-09-2015</t></is></c><c r="E4" t="inlineStr"><is><t>5B</t></is></c>'
        "</row>"
    )

    roster = read_roster(xlsx(_sheet(_header() + rows)), filename="klas.xlsx", today=TODAY)

    by_id = {p.pupil_id: p for p in roster.pupils}
    assert (by_id["7"].last_name, by_id["7"].group) == ("", "5A")  # column C left out: empty, not the next cell
    assert (by_id["9"].first_name, by_id["9"].group) == ("Sem", "5B")  # the row after the wide one is whole
    assert {p.row for p in roster.errors} <= {3}  # row 3 (id 8, only ones) has its own problems


def test_a_workbook_on_the_1904_calendar_reads_its_dates() -> None:
    workbook = Workbook()
    workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["1", "Fenna", "Verbeek", dt.datetime(2015, 9, 3), "5B", "", "", None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    roster = read_roster(buffer.getvalue(), filename="klas.xlsx", today=TODAY)

    assert roster.pupils[0].birth_date == dt.date(2015, 9, 3)


def test_a_part_with_a_dtd_is_refused_as_damaged() -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    strings = f"{bomb}<sst {NS}><si><t>&b;</t></si></sst>"

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(xlsx(_sheet(_header()), strings), filename="bom.xlsx")

    assert info.value.problems[0].code == "roster.file.xlsx_broken"


def test_a_zip_that_lies_about_a_part_size_is_refused_as_damaged() -> None:
    with pytest.raises(UnsupportedFileError) as info:
        read_roster(xlsx_lying_sizes(200_000), filename="klas.xlsx")

    assert info.value.problems[0].code == "roster.file.xlsx_broken"
