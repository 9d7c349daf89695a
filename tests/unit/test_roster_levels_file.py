"""Level files from pupil-tracking systems, and combining them with a class list into one roster.

The files are synthetic, shaped after what the systems export (sources in README.md, "Level files"):

* ParnasSys *dynamisch overzicht* / groepskaart: a column per test, a row per pupil (parnassys.zendesk.com,
  "Leerlingresultaten van de Doorstroomtoets": "per groep ... via het dynamisch overzicht. Selecteer hiervoor
  de kolom ...");
* the ESIS LVS toetsen export: ``EsisIdentificatienummer``, ``Schooljaar``, ``Leerjaar``, ``Vormingsgebied``,
  ``Afnamedatum`` (public importer code of that export);
* the doorstroomtoets chain (github.com/JosVanderArend/doorstroomtoets, OpenAPI): ``toetseenheid`` REKENEN /
  LEZEN, label ``Referentieniveau``, values ``1S``, ``1F``;
* Cito's M/E test rounds (levels.md 1.1, 2.1): ``Toetsmoment`` M or E with the school year.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermatch.errors import MissingColumnsError, Severity, UnsupportedFileError
from peermatch.model import Pupil, Roster, Subject
from peermatch.roster import read_roster
from peermatch.roster.combine import combine, match_levels
from peermatch.roster.levels_file import is_skipped, read_level_file, subject_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "levels"
EDEX = FIXTURES / "EDEX.XML"


def _csv(text: str, name: str = "niveaus.csv") -> bytes:
    return text.encode("utf-8")


def _roster() -> Roster:
    return read_roster(EDEX)


def _codes(problems: object) -> list[str]:
    return [p.code for p in problems]  # type: ignore[attr-defined]


def test_a_wide_file_gives_a_dated_reading_per_subject_column() -> None:
    levels = read_level_file(FIXTURES / "groepsoverzicht_wide.csv")
    assert levels.layout == "wide"
    assert levels.ok
    first = levels.rows[0]
    assert (first.pupil_id, first.first_name, first.group) == ("00701", "Lotte", "7A")
    assert [(r.subject, r.level.code, r.measured_on) for r in first.readings] == [
        (Subject.LEZEN, "Plus", dt.date(2026, 2, 1)),
        (Subject.REKENEN, "E7", dt.date(2026, 2, 1)),
    ]
    elif_ = levels.rows[2]
    assert [r.level.code for r in elif_.readings] == ["M6\u2013E6", "1S"]


def test_a_long_file_gives_a_reading_per_row_and_skips_subjects_it_does_not_pair_on() -> None:
    levels = read_level_file(FIXTURES / "toetsen_long.csv")
    assert levels.layout == "long"
    assert levels.ok
    assert len(levels.rows) == 5  # the spelling and DMT rows are skipped
    skipped = [p for p in levels.problems if p.code == "levelfile.file.skipped_subjects"]
    assert skipped
    assert "DMT (1)" in skipped[0].message("nl")
    assert "Spelling (1)" in skipped[0].message("nl")


def test_without_a_date_the_school_year_and_round_date_the_reading() -> None:
    levels = read_level_file(FIXTURES / "toetsen_long.csv")
    zoe_m = next(r for r in levels.rows if r.pupil_id == "00501" and r.readings[0].level.code == "M4")
    assert zoe_m.readings[0].measured_on == dt.date(2026, 2, 1)  # 2025-2026, M: 1 February


def test_several_rounds_give_the_newest_level_per_subject() -> None:
    roster = combine(_roster(), [read_level_file(FIXTURES / "toetsen_long.csv")])
    by_id = roster.by_id()
    assert by_id["00501"].reading is not None
    assert by_id["00501"].reading.code == "M4"
    assert by_id["00502"].maths is not None
    assert by_id["00502"].maths.code == "M4"
    assert by_id["00503"].reading is None  # only DMT, which is skipped
    assert roster.ok


def test_two_files_combine_into_one_roster_with_every_level() -> None:
    files = [read_level_file(FIXTURES / "groepsoverzicht_wide.csv"), read_level_file(FIXTURES / "toetsen_long.csv")]
    roster = combine(_roster(), files)
    assert roster.ok
    assert all(p.reading is not None and p.maths is not None for p in roster.pupils)
    assert {p.code for p in roster.problems} >= {"levelfile.file.read_wide", "levelfile.file.read_long"}
    assert "roster.edex.no_levels" in {p.code for p in _roster().problems}
    assert "roster.edex.no_levels" not in {p.code for p in roster.problems}  # the level files answer it


def test_every_row_naming_a_pupil_the_export_lacks_is_an_error_with_file_row_and_value() -> None:
    data = _csv("Leerlingnummer;AVI\n00701;E7\n09999;M4\n08888;E5\n")
    roster = combine(_roster(), [read_level_file(data, filename="lvs.csv")])
    assert not roster.ok
    unknown = [(p.file, p.row, p.value) for p in roster.errors if p.code == "levelfile.match.unknown_number"]
    assert unknown == [("lvs.csv", 3, "09999"), ("lvs.csv", 4, "08888")]
    assert "09999" in roster.errors[0].message("nl")


def test_a_number_without_its_leading_zeros_still_finds_the_pupil() -> None:
    roster = combine(_roster(), [read_level_file(_csv("Stamnummer;AVI\n701;E7\n"), filename="m.csv")])
    assert roster.ok
    assert roster.by_id()["00701"].reading is not None


def test_without_a_number_name_and_birth_date_find_the_pupil_in_an_xlsx() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Naam", "Geboortedatum", "Groep", "Toets", "Niveau", "Datum afname"])
    sheet.append(
        ["Berg, Daan van den", dt.datetime(2014, 7, 30), "7A", "Rekenen-Wiskunde", "M7", dt.datetime(2026, 1, 20)]
    )
    sheet.append(["Visser, Zoë", "19-05-2016", "5B", "AVI", "E4", "2026-01-21"])
    buffer = io.BytesIO()
    book.save(buffer)
    levels = read_level_file(buffer.getvalue(), filename="boom.xlsx")
    roster = combine(_roster(), [levels])
    assert roster.ok, [p.message("nl") for p in roster.errors]
    by_id = roster.by_id()
    assert by_id["00702"].maths is not None
    assert by_id["00702"].maths.code == "M7"
    assert by_id["00501"].reading is not None
    assert by_id["00501"].reading.code == "E4"


def test_a_name_that_is_not_in_the_class_list_is_named() -> None:
    data = _csv("Roepnaam;Achternaam;Geboortedatum;AVI\nTess;Jong;01-01-2016;M4\n")
    found = match_levels(_roster().pupils, [read_level_file(data, filename="x.csv")])
    assert [(p.code, p.row, p.value) for p in found.errors] == [("levelfile.match.unknown_name", 2, "Tess Jong")]
    assert "01-01-2016" in found.errors[0].message("nl")


def test_a_birth_date_that_disagrees_is_an_error_and_a_group_that_disagrees_a_warning() -> None:
    data = _csv("Leerlingnummer;Geboortedatum;Groep;AVI\n00701;12-04-2014;7A;E7\n00702;30-07-2014;6A;E6\n")
    roster = combine(_roster(), [read_level_file(data, filename="x.csv")])
    birth = [p for p in roster.problems if p.code == "levelfile.match.birth_date_differs"]
    group = [p for p in roster.problems if p.code == "levelfile.match.group_differs"]
    assert [(p.row, p.value, p.severity) for p in birth] == [(2, "12-04-2014", Severity.ERROR)]
    assert "11-04-2014" in birth[0].message("nl")
    assert [(p.row, p.value, p.severity) for p in group] == [(3, "6A", Severity.WARNING)]
    assert roster.by_id()["00701"].reading is None  # not given to a pupil it may not belong to
    assert roster.by_id()["00702"].reading is not None
    assert not roster.ok


def test_two_different_levels_on_one_date_are_an_error_naming_both_rows() -> None:
    a = read_level_file(_csv("Leerlingnummer;AVI;Afnamedatum\n00701;E7;01-02-2026\n"), filename="a.csv")
    b = read_level_file(_csv("Leerlingnummer;AVI;Afnamedatum\n00701;M7;01-02-2026\n"), filename="b.csv")
    found = match_levels(_roster().pupils, [a, b])
    assert [(p.code, p.file, p.row) for p in found.errors] == [("levelfile.match.conflict", "b.csv", 2)]
    assert "a.csv" in found.errors[0].message("nl")
    assert "E7" in found.errors[0].message("nl")


def test_undated_levels_that_differ_are_refused_and_equal_ones_are_fine() -> None:
    data = _csv("Leerlingnummer;AVI\n00701;E7\n00701;M7\n00702;E6\n00702;E6\n")
    found = match_levels(_roster().pupils, [read_level_file(data, filename="a.csv")])
    assert _codes(found.errors) == ["levelfile.match.conflict_undated"]


def test_a_level_on_no_scale_is_an_error_of_its_row_and_column() -> None:
    levels = read_level_file(_csv("Leerlingnummer;AVI;Rekenen\n00701;E8;II\n"), filename="a.csv")
    assert [(p.code, p.row, p.column, p.value) for p in levels.errors] == [
        ("levels.avi_no_8", 2, "AVI", "E8"),
        ("levels.maths_band", 2, "Rekenen", "II"),
    ]


def test_an_unknown_subject_is_skipped_with_a_warning_naming_it_and_its_rows() -> None:
    data = _csv("Leerlingnummer;Toets;Niveau\n00701;Klokkijken;M5\n00702;Klokkijken;E5\n00703;AVI;E6\n")
    levels = read_level_file(data, filename="a.csv")
    warning = next(p for p in levels.problems if p.code == "levelfile.row.unknown_subject")
    assert (warning.value, warning.severity, warning.params["rows"]) == ("Klokkijken", Severity.WARNING, "2, 3")
    assert len(levels.rows) == 1


def test_an_edexml_file_is_no_level_file() -> None:
    with pytest.raises(UnsupportedFileError) as caught:
        read_level_file(EDEX)
    assert caught.value.problems[0].code == "levelfile.file.xml"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Leerlingnummer;Roepnaam;Groep\n00701;Lotte;7A\n", "levelfile.file.no_level_column"),
        ("Groep;AVI;Rekenen\n7A;E7;M7\n", "levelfile.file.no_pupil_column"),
    ],
)
def test_a_file_without_levels_or_without_pupils_is_refused_naming_its_columns(text: str, code: str) -> None:
    with pytest.raises(MissingColumnsError) as caught:
        read_level_file(_csv(text), filename="a.csv")
    problem = caught.value.problems[0]
    assert problem.code == code
    assert "Groep" in problem.message("nl")


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("AVI", Subject.LEZEN), ("Technisch lezen", Subject.LEZEN), ("AVI-M5", Subject.LEZEN),
        ("Rekenen-Wiskunde 3.0", Subject.REKENEN), ("REKENEN", Subject.REKENEN),
        ("Rekenen en wiskunde", Subject.REKENEN),
        ("Klokkijken", None),
    ],
)  # fmt: skip
def test_subject_names_of_tracking_systems(name: str, subject: Subject | None) -> None:
    assert subject_of(name) is subject


@pytest.mark.parametrize("name", ["DMT", "Begrijpend lezen", "Spelling", "TAALVERZORGING", "Hoofdrekenen"])
def test_subjects_peermatch_does_not_pair_on_are_skipped(name: str) -> None:
    assert is_skipped(name)
    assert subject_of(name) is None


def _pupils(draw_order: list[int]) -> list[Pupil]:
    base = list(_roster().pupils)
    return [base[i] for i in draw_order]


_LEVEL_LINES = [
    "00701;Plus;E7;01-02-2026", "00702;E7;M7;01-02-2026", "00703;E6;1S;01-02-2026",
    "00501;M4;M4;01-02-2026", "00501;E3;E3;16-06-2025", "00502;E3;<M3;01-02-2026", "00503;M5-E5;E4;01-02-2026",
]  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(pupil_order=st.permutations(list(range(6))), level_order=st.permutations(_LEVEL_LINES))
def test_any_row_order_of_the_export_and_the_level_file_gives_the_same_roster(
    pupil_order: list[int], level_order: list[str]
) -> None:
    header = "Leerlingnummer;AVI;Rekenen;Afnamedatum\n"
    reference = combine(_roster(), [read_level_file(_csv(header + "\n".join(_LEVEL_LINES)), filename="a.csv")])
    shuffled_roster = Roster(pupils=tuple(_pupils(pupil_order)), source="EDEX.XML")
    shuffled = combine(shuffled_roster, [read_level_file(_csv(header + "\n".join(level_order)), filename="a.csv")])

    def levels(r: Roster) -> dict[str, tuple[str | None, str | None]]:
        return {
            p.pupil_id: (p.reading.code if p.reading else None, p.maths.code if p.maths else None) for p in r.pupils
        }

    assert levels(shuffled) == levels(reference)
    assert shuffled.ok
    assert reference.ok


def test_a_cito_list_with_band_and_functioneringsniveau_uses_the_functioneringsniveau() -> None:
    data = _csv(
        "Leerlingnummer;Toets;Toetsmoment;Schooljaar;Vaardigheidsscore;Niveau;Functioneringsniveau\n"
        "00502;Rekenen-Wiskunde 3.0;M5;2025-2026;140;IV;M4\n"
    )
    levels = read_level_file(data, filename="cito.csv")
    assert levels.ok
    reading = levels.rows[0].readings[0]
    assert (reading.subject, reading.level.code, reading.column) == (Subject.REKENEN, "M4", "Functioneringsniveau")
    assert reading.measured_on == dt.date(2026, 2, 1)


def test_a_referentieniveau_for_reading_in_a_doorstroomtoets_list_is_refused_with_the_reason() -> None:
    data = _csv("Leerlingnummer;Toetseenheid;Referentieniveau\n00701;REKENEN;1S\n00701;LEZEN;1F\n")
    levels = read_level_file(data, filename="doorstroom.csv")
    assert [r.readings[0].level.code for r in levels.rows] == ["1S"]
    assert [(p.code, p.row, p.value) for p in levels.errors] == [("levels.reference_reading", 3, "1F")]
    assert "technisch lezen" in levels.errors[0].message("nl")
