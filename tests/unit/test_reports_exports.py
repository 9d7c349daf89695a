"""Exports: pairs, sessions and outcomes as CSV and XLSX, inert against formula injection, and a
pseudonymised variant that holds no name, id or free text."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from monitoring_fixtures import DATES, held, missed, morning_after, pair
from openpyxl import load_workbook

from peermatch.monitoring import LevelMeasurement, PairHistory, PupilLevels
from peermatch.pseudonym import PseudonymError, Pseudonymiser, pseudonym
from peermatch.reports import growth_table, outcomes_table, pairs_table, sessions_table, table_csv, tables_xlsx

EVIL = '=HYPERLINK("http://x","klik")'
SECRET = "school-geheim-0123456789"
DAY = morning_after(DATES[3])


@pytest.fixture
def histories() -> list[PairHistory]:
    levels = (LevelMeasurement(date(2026, 6, 1), 3), LevelMeasurement(date(2027, 2, 1), 5))
    a = pair([held(DATES[0], note=EVIL), held(DATES[1]), missed(DATES[2]), held(DATES[3], note="-1+2")], "a",
             tutee_levels=levels, tutor_group="@7a")  # fmt: skip
    b = pair([held(d, worry=(i == 3), note="Sanne wordt gepest") for i, d in enumerate(DATES[:4])], "b")
    return [a, b]


NAMES = {"a-tutor": EVIL, "a-tutee": "Sanne", "b-tutor": "+Bram", "b-tutee": "Daan\tde Vries"}


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_pairs_table_has_a_row_per_pair_with_health_dosage_and_names(histories: list[PairHistory]) -> None:
    table = pairs_table(histories, DAY, names=NAMES)
    records = table.records()
    assert [r["pair"] for r in records] == ["a", "b"]
    assert records[0]["tutee_name"] == "Sanne"
    assert (records[0]["planned"], records[0]["held"], records[0]["behind_pct"]) == (4, 3, 25.0)
    assert records[0]["health"] == "Aandacht nodig"  # in words, as the pages show it
    assert records[1]["health"] == "Risico"
    assert "zorgen" in records[1]["reasons"]
    assert table.headers[table.keys.index("tutee_name")] == "Tutee"


def test_a_pupil_named_like_a_formula_comes_out_inert_in_csv(histories: list[PairHistory]) -> None:
    rows = read_csv(table_csv(pairs_table(histories, DAY, names=NAMES)))
    cells = [cell for row in rows for cell in row]
    assert "'" + EVIL in cells
    assert "'+Bram" in cells
    assert "'@7a" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    session_cells = [c for row in read_csv(table_csv(sessions_table(histories))) for c in row]
    assert "'" + EVIL in session_cells
    assert "'-1+2" in session_cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in session_cells)


def test_numbers_stay_numbers_in_csv(histories: list[PairHistory]) -> None:
    header, first, _ = read_csv(table_csv(pairs_table(histories, DAY, names=NAMES)))
    assert first[header.index("Achter op plan (%)")] == "25.0"
    assert first[header.index("Gehouden")] == "3"


def test_a_pupil_named_like_a_formula_comes_out_inert_in_xlsx(histories: list[PairHistory]) -> None:
    tables = [
        pairs_table(histories, DAY, names=NAMES),
        sessions_table(histories),
        outcomes_table(histories, names=NAMES),
    ]
    book = load_workbook(io.BytesIO(tables_xlsx(tables)))
    assert book.sheetnames == ["Paren", "Sessies", "Resultaten per leerling"]
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    texts.append(cell.value)
    assert "'" + EVIL in texts
    assert "'+Bram" in texts
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts)
    pairs = book["Paren"]
    header = [c.value for c in pairs[1]]
    tutor_name = pairs.cell(2, header.index("Tutor") + 1)
    assert tutor_name.value == "'" + EVIL
    assert tutor_name.data_type == "s"
    assert pairs.cell(2, header.index("Gehouden") + 1).value == 3  # a number, not text
    first_date = book["Sessies"].cell(2, 2).value
    assert isinstance(first_date, datetime)  # a real date, not text
    assert first_date.date() == DATES[0]


def test_the_xlsx_never_holds_a_formula_and_keeps_control_characters_out(histories: list[PairHistory]) -> None:
    data = tables_xlsx([sessions_table(histories), pairs_table(histories, DAY, names={"a-tutee": "Ti\x00m\x07"})])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml
    assert "<f " not in xml
    assert 't="inlineStr"' in xml
    book = load_workbook(io.BytesIO(data))
    assert book["Paren"]["A1"].font.b
    assert book["Paren"].freeze_panes == "A2"
    names = [c.value for c in book["Paren"]["F"]]
    assert "Tim" in names
    assert tables_xlsx([sessions_table(histories)]) == tables_xlsx([sessions_table(histories)])  # deterministic


def test_the_outcomes_table_gives_growth_in_steps_and_months(histories: list[PairHistory]) -> None:
    records = outcomes_table(histories, names=NAMES).records()
    tutee_a = next(r for r in records if r["pupil"] == "a-tutee")
    assert (tutee_a["growth_steps"], tutee_a["growth_months"]) == (2, 10.0)
    assert tutee_a["role"] == "tutee"
    assert next(r for r in records if r["pupil"] == "b-tutee")["growth_steps"] is None


def test_the_growth_table_compares_with_non_participants(histories: list[PairHistory]) -> None:
    others = [PupilLevels("x", "4b", (LevelMeasurement(date(2026, 6, 1), 3), LevelMeasurement(date(2027, 2, 1), 4)))]
    [row] = growth_table(histories, others, lang="en").records()
    assert (row["role"], row["group"], row["n"], row["others_n"], row["difference_steps"]) == ("tutee", "4b", 1, 1, 1.0)


def test_a_pseudonymised_export_contains_no_name_id_or_note_anywhere(histories: list[PairHistory]) -> None:
    codes = Pseudonymiser(SECRET)
    tables = [
        pairs_table(histories, DAY, names=NAMES, pseudonymiser=codes),
        sessions_table(histories, names=NAMES, pseudonymiser=codes),
        outcomes_table(histories, names=NAMES, pseudonymiser=codes),
    ]
    csv_text = "".join(table_csv(t) for t in tables)
    book = load_workbook(io.BytesIO(tables_xlsx(tables)))
    xlsx_text = "\n".join(str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row)
    secrets = ["Sanne", "Bram", "Daan", "HYPERLINK", "gepest", "a-tutor", "a-tutee", "b-tutee", "b-tutor"]
    for text in (csv_text, xlsx_text):
        for secret in secrets:
            assert secret not in text
    records = tables[0].records()
    assert records[0]["tutee"] == codes.pupil("a-tutee")
    assert records[0]["pair"] == codes.pair("a")
    assert "tutee_name" not in tables[0].keys
    assert "note" not in tables[1].keys


def test_pseudonyms_are_stable_per_secret_and_differ_between_schools() -> None:
    one = pseudonym("000123", SECRET)
    assert one == pseudonym("000123", SECRET)
    assert one.startswith("L-")
    assert len(one) == 12
    assert one != pseudonym("000124", SECRET)
    assert one != pseudonym("000123", SECRET + "x")
    assert Pseudonymiser(SECRET).pupil("000123") == one
    assert Pseudonymiser(SECRET).pair("000123") != one


def test_a_short_school_secret_is_refused() -> None:
    with pytest.raises(PseudonymError) as caught:
        Pseudonymiser("kort")
    assert "16" in caught.value.message("nl")


def test_headers_follow_the_language(histories: list[PairHistory]) -> None:
    assert pairs_table(histories, DAY, lang="en").headers[0] == "Pair"
    assert sessions_table(histories, lang="en").name == "Sessions"
