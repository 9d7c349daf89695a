"""Reading CSV rosters: encodings, delimiters, headers, values, and every problem at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import peermatch.roster as roster_module
from peermatch.errors import (
    EmptyFileError,
    FileTooLargeError,
    HeaderOnlyError,
    MissingColumnsError,
    Problem,
    Severity,
    UnsupportedFileError,
)
from peermatch.model import Role, Roster
from peermatch.roster import MAX_FILE_BYTES, MAX_ROWS, read_roster

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rosters"
TODAY = dt.date(2024, 10, 1)
HEADER = ["leerlingnummer", "roepnaam", "tussenvoegsel", "achternaam", "geboortedatum", "groep", "avi", "rekenen"]
ROWS = [
    ["00123", "Fenna", "van", "Dijk", "03-09-2015", "5B", "E5", "M5"],
    ["00124", "Sem", "", "Bakker", "12-01-2016", "5B", "M4", "E4"],
    ["00125", "Zoë", "", "Çelik", "30-06-2013", "7A", "E7", "M7"],
]


def make_csv(rows: list[list[str]], *, header: list[str] = HEADER, delimiter: str = ";", newline: str = "\r\n") -> str:
    return newline.join(delimiter.join(row) for row in [header, *rows]) + newline


def read(text: str, *, encoding: str = "utf-8", filename: str = "klas.csv") -> Roster:
    return read_roster(text.encode(encoding), filename=filename, today=TODAY)


def codes(roster: Roster, severity: Severity | None = None) -> list[str]:
    return [p.code for p in roster.problems if severity is None or p.severity is severity]


def only(roster: Roster, code: str) -> Problem:
    found = [p for p in roster.problems if p.code == code]
    assert len(found) == 1, roster.problems
    return found[0]


# --- encodings and delimiters ------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_every_encoding_and_delimiter_gives_the_same_pupils(encoding: str, delimiter: str) -> None:
    roster = read(make_csv(ROWS, delimiter=delimiter), encoding=encoding)

    assert roster.ok, roster.problems
    assert [p.pupil_id for p in roster.pupils] == ["00123", "00124", "00125"]
    assert roster.pupils[2].first_name == "Zoë"
    assert roster.pupils[2].last_name == "Çelik"
    assert roster.pupils[0].prefix == "van"


def test_utf16_little_endian_without_bom_is_read() -> None:
    roster = read_roster(make_csv(ROWS).encode("utf-16-le"), filename="klas.csv", today=TODAY)

    assert roster.ok
    assert roster.pupils[2].first_name == "Zoë"


def test_a_bom_glued_to_the_first_header_still_finds_leerlingnummer() -> None:
    data = b"\xef\xbb\xbf" + make_csv(ROWS).encode("utf-8")

    roster = read_roster(data, filename="klas.csv", today=TODAY)

    assert roster.ok
    assert roster.pupils[0].pupil_id == "00123"
    assert roster.problems == ()


def test_magister_export_with_bom_quotes_and_empty_quoted_fields_is_read() -> None:
    roster = read_roster(FIXTURES / "magister_bom_comma.csv", today=TODAY)

    assert roster.source == "magister_bom_comma.csv"
    assert [(p.pupil_id, p.first_name, p.prefix, p.last_name) for p in roster.pupils] == [
        ("01234", "Dae", "", "Aartsen"),
        ("01235", "Mila", "van der", "Berg"),
    ]
    assert roster.pupils[1].birth_date == dt.date(2016, 2, 1)
    assert roster.ignored_columns == ("Klassenmentor 1",)


def test_delimiter_is_chosen_by_the_header_even_when_values_contain_commas() -> None:
    rows = [[*row, "4,0"] for row in ROWS]
    roster = read(make_csv(rows, header=[*HEADER, "motivatie"], delimiter=";"))

    assert roster.ok, roster.problems
    assert [p.motivation for p in roster.pupils] == [4, 4, 4]


def test_quoted_field_with_delimiter_and_newline_inside_keeps_row_numbers_as_records() -> None:
    text = 'leerlingnummer,roepnaam,achternaam,geboortedatum,groep\r\n1,"Anna, Sophie",Smit,03-09-2015,5B\r\n'
    text += '2,Bo,"de\r\nVries",03-09-2015,5B\r\n3,Cas,Kok,31-02-2015,5B\r\n'

    roster = read(text)

    assert roster.pupils[0].first_name == "Anna, Sophie"
    assert only(roster, "roster.date.impossible").row == 4


def test_title_lines_above_the_header_are_skipped_and_rows_keep_their_file_numbers() -> None:
    text = "Groepslijst 5B;;;\r\nSchooljaar 2024-2025;;;\r\n" + make_csv(
        [*ROWS[:1], [*ROWS[1][:4], "31-02-2015", "5B", "", ""]]
    )

    roster = read(text)

    assert roster.pupils[0].row == 4
    assert only(roster, "roster.date.impossible").row == 5


def test_blank_lines_are_skipped_but_still_counted_in_row_numbers() -> None:
    text = make_csv(ROWS[:1]) + "\r\n;;;;;;;\r\n" + "9;Bo;;Kok;31-02-2015;5B;;\r\n"

    roster = read(text)

    assert only(roster, "roster.date.impossible").row == 5


# --- whole-file problems -------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n ", b"\xef\xbb\xbf", b";;;\r\n;;\r\n"])
def test_an_empty_file_raises_empty_file_error(data: bytes) -> None:
    with pytest.raises(EmptyFileError) as info:
        read_roster(data, filename="leeg.csv")

    assert info.value.problems[0].code == "roster.file.empty"
    assert info.value.problems[0].file == "leeg.csv"


def test_a_header_without_pupils_raises_header_only_error() -> None:
    with pytest.raises(HeaderOnlyError) as info:
        read(make_csv([]) + ";;;;;;;\r\n")

    assert "geen leerlingen" in info.value.problems[0].message("nl")


def test_missing_required_columns_are_listed_with_the_headers_found() -> None:
    text = make_csv([["1", "Dae", "5B"]], header=["Stamnummer", "Naam", "Klas"], delimiter=",")

    with pytest.raises(MissingColumnsError) as info:
        read(text)

    problem = info.value.problems[0]
    assert problem.params["missing"] == "geboortedatum"
    message = problem.message("nl")
    assert "geboortedatum" in message
    assert "Stamnummer, Naam, Klas" in message


def test_a_header_nobody_recognises_lists_all_four_required_columns() -> None:
    with pytest.raises(MissingColumnsError) as info:
        read("a;b;c\r\n1;2;3\r\n")

    assert info.value.problems[0].params["missing"] == "leerlingnummer, roepnaam, groep, geboortedatum"


def test_a_pdf_renamed_to_csv_is_refused_as_unsupported() -> None:
    with pytest.raises(UnsupportedFileError):
        read_roster(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", filename="klas.csv")


def test_a_binary_file_renamed_to_csv_is_refused_as_not_text() -> None:
    data = bytes(range(256)) * 8

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(data, filename="klas.csv")

    assert info.value.problems[0].code == "roster.file.binary"


def test_an_old_xls_file_gets_advice_to_save_as_xlsx() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(data, filename="klas.csv")

    assert ".xlsx" in info.value.problems[0].message("nl")


def test_undecodable_bytes_are_refused_with_a_save_as_utf8_hint() -> None:
    data = make_csv(ROWS).encode("utf-8") + b"\x81\x8d\x8f\x90\x9d"  # invalid in UTF-8 and undefined in cp1252

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(data, filename="klas.csv")

    assert "UTF-8" in info.value.problems[0].message("nl")


def test_a_file_over_the_byte_limit_raises_too_large_naming_both_limits() -> None:
    data = b"x" * (MAX_FILE_BYTES + 1)

    with pytest.raises(FileTooLargeError) as info:
        read_roster(data, filename="groot.csv")

    message = info.value.problems[0].message("nl")
    assert "20 MB" in message
    assert "50.000 rijen" in message
    assert "20 MB" in info.value.problems[0].message("en")
    assert "50,000 rows" in info.value.problems[0].message("en")


def test_a_path_over_the_byte_limit_is_refused_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_module, "MAX_FILE_BYTES", 100)

    with pytest.raises(FileTooLargeError):
        read_roster(FIXTURES / "groep5_semicolon.csv")


def test_more_rows_than_the_row_limit_raises_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_module, "MAX_ROWS", 2)

    with pytest.raises(FileTooLargeError) as info:
        read(make_csv(ROWS))

    assert info.value.problems[0].code == "roster.file.too_many_rows"
    assert "2 rijen" in info.value.problems[0].message("nl")


def test_exactly_the_row_limit_is_fine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_module, "MAX_ROWS", 3)

    assert len(read(make_csv(ROWS)).pupils) == 3


def test_the_default_limits_are_20_mb_and_50000_rows() -> None:
    assert MAX_FILE_BYTES == 20 * 1024 * 1024
    assert MAX_ROWS == 50_000


def test_a_path_that_does_not_exist_raises_a_roster_error(tmp_path: Path) -> None:
    from peermatch.errors import RosterError

    with pytest.raises(RosterError) as info:
        read_roster(tmp_path / "bestaat-niet.csv")

    assert info.value.problems[0].code == "roster.file.cannot_open"


def test_an_unclosed_quote_over_the_field_limit_is_refused_cleanly() -> None:
    text = make_csv(ROWS) + '4;"' + "x" * 200_000 + "\r\n"

    with pytest.raises(UnsupportedFileError) as info:
        read(text)

    assert info.value.problems[0].code == "roster.file.csv_broken"


# --- pupil numbers -------------------------------------------------------------------------------------


def test_leading_zeros_in_pupil_numbers_are_kept() -> None:
    roster = read(make_csv(ROWS))

    assert roster.pupils[0].pupil_id == "00123"
    assert "00123" in roster.by_id()


def test_duplicate_pupil_numbers_are_an_error_on_each_later_row_naming_the_first() -> None:
    rows = [ROWS[0], ROWS[1], [*ROWS[0][:1], "Bo", "", "Kok", "01-01-2016", "5B", "", ""], ROWS[0]]

    roster = read(make_csv(rows))

    duplicates = [p for p in roster.problems if p.code == "roster.pupil_id.duplicate"]
    assert [(p.row, p.params["first_row"], p.column, p.value) for p in duplicates] == [
        (4, 2, "leerlingnummer", "00123"),
        (5, 2, "leerlingnummer", "00123"),
    ]
    assert "rij 2" in duplicates[0].message("nl")
    assert not roster.ok
    assert [p.pupil_id for p in roster.pupils] == ["00123", "00124"]  # the first stays, the duplicates go


def test_every_missing_required_value_is_reported_per_cell() -> None:
    rows = [["", "", "", "Dijk", "", "", "E5", ""]]

    roster = read(make_csv(rows))

    assert sorted((p.code, p.column) for p in roster.errors) == [
        ("roster.missing.birth_date", "geboortedatum"),
        ("roster.missing.first_name", "roepnaam"),
        ("roster.missing.group", "groep"),
        ("roster.missing.pupil_id", "leerlingnummer"),
    ]
    assert {p.row for p in roster.errors} == {2}
    assert roster.pupils == ()


def test_problems_from_many_rows_are_all_reported_in_row_then_column_order() -> None:
    rows = [
        ["1", "Anna", "", "Smit", "31-02-2015", "5B", "M8", "X"],
        ["2", "", "", "Kok", "2015-13-01", "5B", "E5", "M5"],
        ["3", "Cas", "", "Bos", "03-09-2015", "", "AVI M8", ""],
    ]

    roster = read(make_csv(rows))

    assert [(p.row, p.column) for p in roster.errors] == [
        (2, "geboortedatum"),
        (2, "avi"),
        (2, "rekenen"),
        (3, "roepnaam"),
        (3, "geboortedatum"),
        (4, "groep"),
        (4, "avi"),
    ]


# --- levels --------------------------------------------------------------------------------------------


def test_avi_m8_is_an_error_with_the_level_message_and_cell_location() -> None:
    rows = [[*ROWS[0][:6], "AVI M8", "M5"]]

    roster = read(make_csv(rows))

    problem = only(roster, "levels.avi_no_8")
    assert (problem.row, problem.column, problem.value) == (2, "avi", "AVI M8")
    assert "AVI M8 en E8 bestaan niet" in problem.message("nl")
    assert roster.pupils == ()


@pytest.mark.parametrize(
    ("avi", "rekenen", "code"),
    [("E9", "M5", "levels.unknown_reading"), ("E5", "III", "levels.maths_band"), ("E5", "Z9", "levels.unknown_maths")],
)
def test_unknown_levels_are_errors_with_the_levels_code(avi: str, rekenen: str, code: str) -> None:
    roster = read(make_csv([[*ROWS[0][:6], avi, rekenen]]))

    assert codes(roster, Severity.ERROR) == [code]


def test_levels_are_parsed_onto_the_shared_index() -> None:
    roster = read(make_csv(ROWS))

    fenna = roster.pupils[0]
    assert fenna.reading is not None
    assert fenna.maths is not None
    assert (fenna.reading.code, fenna.reading.index) == ("E5", 6)
    assert (fenna.maths.code, fenna.maths.index) == ("M5", 5)


def test_empty_levels_are_fine_and_leave_the_subject_open() -> None:
    roster = read(make_csv([[*ROWS[0][:6], "", ""]]))

    assert roster.ok
    assert roster.pupils[0].reading is None
    assert roster.pupils[0].maths is None


def test_an_old_avi_level_is_converted_with_a_warning() -> None:
    roster = read(make_csv([[*ROWS[0][:6], "AVI 5", ""]]))

    problem = only(roster, "levels.note.old_avi")
    assert problem.severity is Severity.WARNING
    assert roster.ok
    reading = roster.pupils[0].reading
    assert reading is not None
    assert reading.converted


def test_avi_uit_is_read_as_plus_with_an_info() -> None:
    roster = read(make_csv([[*ROWS[0][:6], "AVI uit", ""]]))

    assert only(roster, "levels.note.avi_uit").severity is Severity.INFO
    reading = roster.pupils[0].reading
    assert reading is not None
    assert reading.code == "Plus"


def test_a_separate_avi_quality_column_sets_the_reading_quality() -> None:
    roster = read_roster(FIXTURES / "groep5_semicolon.csv", today=TODAY)

    qualities = [p.reading.quality if p.reading else None for p in roster.pupils]
    assert [q.value if q else None for q in qualities] == ["beheersing", "instructie", "beheersing", None]


def test_an_unknown_avi_quality_is_an_error() -> None:
    header = [*HEADER, "AVI kwaliteit"]

    roster = read(make_csv([[*ROWS[0], "super"]], header=header))

    assert codes(roster, Severity.ERROR) == ["levels.unknown_quality"]


# --- role, motivation, niet_koppelen_met ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "role"),
    [
        ("tutor", Role.TUTOR),
        ("Tutee", Role.TUTEE),
        ("", Role.OPEN),
        ("geen", Role.NONE),
        ("nee", Role.NONE),
        ("niet", Role.NONE),
    ],
)
def test_role_values_are_read(written: str, role: Role) -> None:
    roster = read(make_csv([[*ROWS[0], written]], header=[*HEADER, "rol"]))

    assert roster.ok
    assert roster.pupils[0].role is role


def test_an_unknown_role_is_an_error_listing_the_allowed_values() -> None:
    roster = read(make_csv([[*ROWS[0], "hulpje"]], header=[*HEADER, "rol"]))

    problem = only(roster, "roster.role.invalid")
    assert (problem.row, problem.column, problem.value) == (2, "rol", "hulpje")
    assert all(word in problem.message("nl") for word in ("tutor", "tutee", "geen"))


@pytest.mark.parametrize(("written", "value"), [("1", 1), ("5", 5), ("4,0", 4), ("3.0", 3), ("", None)])
def test_motivation_accepts_whole_numbers_one_to_five(written: str, value: int | None) -> None:
    roster = read(make_csv([[*ROWS[0], written]], header=[*HEADER, "motivatie"]))

    assert roster.ok
    assert roster.pupils[0].motivation == value


@pytest.mark.parametrize("written", ["0", "6", "4,5", "hoog", "-1"])
def test_motivation_outside_one_to_five_is_an_error(written: str) -> None:
    roster = read(make_csv([[*ROWS[0], written]], header=[*HEADER, "motivatie"]))

    problem = only(roster, "roster.motivation.invalid")
    assert (problem.column, problem.value) == ("motivatie", written)


def test_niet_koppelen_met_accepts_every_separator() -> None:
    rows = [[*ROWS[0], "00124;00125"], [*ROWS[1], "00123 | 00125"], [*ROWS[2], "00123, 00124"]]

    roster = read(make_csv(rows, header=[*HEADER, "niet_koppelen_met"], delimiter="\t"))

    assert roster.ok, roster.problems
    assert [sorted(p.not_with) for p in roster.pupils] == [
        ["00124", "00125"],
        ["00123", "00125"],
        ["00123", "00124"],
    ]


def test_niet_koppelen_met_is_kept_as_written_not_made_symmetric() -> None:
    rows = [[*ROWS[0], "00124"], [*ROWS[1], ""], ROWS[2] + [""]]

    roster = read(make_csv(rows, header=[*HEADER, "niet_koppelen_met"]))

    assert roster.pupils[0].not_with == frozenset({"00124"})
    assert roster.pupils[1].not_with == frozenset()


def test_an_unknown_number_in_niet_koppelen_met_is_an_error_naming_that_number() -> None:
    rows = [[*ROWS[0], "00124, 77777"], [*ROWS[1], ""], [*ROWS[2], ""]]

    roster = read(make_csv(rows, header=[*HEADER, "niet_koppelen_met"]))

    problem = only(roster, "roster.not_with.unknown")
    assert (problem.row, problem.column, problem.value) == (2, "niet_koppelen_met", "77777")
    assert "77777" in problem.message("nl")


def test_a_pupil_naming_themself_in_niet_koppelen_met_is_an_error() -> None:
    rows = [[*ROWS[0], "00123"], [*ROWS[1], ""], [*ROWS[2], ""]]

    roster = read(make_csv(rows, header=[*HEADER, "niet_koppelen_met"]))

    problem = only(roster, "roster.not_with.self")
    assert (problem.row, problem.value) == (2, "00123")


def test_niet_koppelen_met_finds_a_number_whose_leading_zeros_were_lost() -> None:
    rows = [[*ROWS[0], "124"], [*ROWS[1], ""], [*ROWS[2], ""]]

    roster = read(make_csv(rows, header=[*HEADER, "niet_koppelen_met"]))

    assert roster.ok
    assert roster.pupils[0].not_with == frozenset({"00124"})
    assert only(roster, "roster.not_with.read_as").severity is Severity.INFO


# --- groups and grades ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "grade"),
    [("5B", 5), ("groep 7", 7), ("Groep 3a", 3), ("1/2A", None), ("Vlinders", None), ("8", 8)],
)
def test_grade_is_derived_from_the_group_name_when_there_is_no_jaargroep(group: str, grade: int | None) -> None:
    birth = {5: "03-09-2015", 7: "03-09-2013", 3: "03-09-2017", 8: "03-09-2012", None: "03-09-2016"}[grade]

    roster = read(make_csv([["1", "Anna", "", "Smit", birth, group, "", ""]]))

    assert roster.ok, roster.problems
    assert roster.pupils[0].grade == grade
    assert roster.pupils[0].group == group


def test_a_jaargroep_column_wins_over_the_group_name() -> None:
    roster = read(make_csv([[*ROWS[0], "6"]], header=[*HEADER, "jaargroep"]))

    assert roster.pupils[0].grade == 6


def test_an_unreadable_jaargroep_is_an_error() -> None:
    roster = read(make_csv([[*ROWS[0], "vijf"]], header=[*HEADER, "jaargroep"]))

    assert codes(roster, Severity.ERROR) == ["roster.grade.invalid"]


# --- ages ----------------------------------------------------------------------------------------------


def test_a_pupil_far_too_old_for_the_group_gets_a_warning_not_an_error() -> None:
    roster = read(make_csv([["1", "Anna", "", "Smit", "03-09-2011", "3B", "", ""]]))

    problem = only(roster, "roster.age.implausible")
    assert problem.severity is Severity.WARNING
    assert (problem.row, problem.column) == (2, "geboortedatum")
    assert problem.params["age"] == 13
    assert problem.params["grade"] == 3
    assert "13 jaar" in problem.message("nl")
    assert "groep 3" in problem.message("nl")
    assert roster.ok
    assert len(roster.pupils) == 1


def test_a_pupil_who_repeated_a_year_gets_no_age_warning() -> None:
    roster = read(make_csv([["1", "Anna", "", "Smit", "03-10-2014", "5B", "", ""]]))  # 10 in groep 5

    assert roster.problems == ()


def test_the_reference_date_for_ages_is_today_when_not_given() -> None:
    roster = read_roster(make_csv(ROWS).encode(), filename="k.csv")

    assert roster.reference_date == dt.date.today()


# --- privacy -------------------------------------------------------------------------------------------


def test_sensitive_columns_are_dropped_reported_and_their_values_are_nowhere_in_the_roster() -> None:
    roster = read_roster(FIXTURES / "groep5_semicolon.csv", today=TODAY)

    assert roster.dropped_columns == ("BSN", "Postcode", "Dyslexie", "Opmerking")
    dropped_infos = [p for p in roster.problems if p.code == "roster.column.dropped"]
    assert [(p.column, p.severity, p.row) for p in dropped_infos] == [
        (column, Severity.INFO, 1) for column in roster.dropped_columns
    ]
    everything = repr(roster) + "".join(p.message(lang) for p in roster.problems for lang in ("nl", "en"))
    for secret in ("99999004", "99999005", "9999Z", "kan goed samenwerken", "rustig"):
        assert secret not in everything
    assert roster.ok, roster.errors


@pytest.mark.parametrize(
    "header",
    [
        "BSN", "sofinummer", "onderwijsnummer", "bsn_ondwnr-4", "Etniciteit", "land", "land_vader", "Land moeder",
        "Geboorteland", "Nationaliteit", "Postcode", "postcodenl", "Adres", "Woonplaats", "Gewicht", "gewicht_nieuw",
        "Leerlinggewicht", "Opleiding ouders", "Dyslexie", "Dyscalculie", "ADHD", "Diagnose", "Zorg", "Opmerkingen",
        "E-mail", "Telefoon ouder 1",
    ],
)  # fmt: skip
def test_each_kind_of_sensitive_column_is_dropped(header: str) -> None:
    rows = [[*row, "GEHEIM-WAARDE"] for row in ROWS]

    roster = read(make_csv(rows, header=[*HEADER, header]))

    assert roster.dropped_columns == (header,)
    assert "GEHEIM-WAARDE" not in repr(roster)


def test_unknown_columns_are_ignored_with_one_info_each() -> None:
    roster = read(make_csv([[*row, "x", "y"] for row in ROWS], header=[*HEADER, "DMT", "Schoolkeuze"]))

    assert roster.ignored_columns == ("DMT", "Schoolkeuze")
    assert [p.column for p in roster.problems if p.code == "roster.column.ignored"] == ["DMT", "Schoolkeuze"]
    assert "x" not in {p.first_name for p in roster.pupils}
