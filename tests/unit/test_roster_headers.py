"""Header aliases as real exports write them, and which columns are dropped or ignored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peermatch.roster import read_roster
from peermatch.roster.cells import split_full_name
from peermatch.roster.headers import Field, map_headers, normalise

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rosters"
TODAY = dt.date(2024, 10, 1)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Leerlingnummer", Field.PUPIL_ID),
        ("Stamnummer", Field.PUPIL_ID),
        ("lln nr", Field.PUPIL_ID),
        ("LLNR", Field.PUPIL_ID),
        ("key", Field.PUPIL_ID),
        ("ID", Field.PUPIL_ID),
        ("Leerling-ID", Field.PUPIL_ID),
        ("Roepnaam", Field.FIRST_NAME),
        ("Voornaam", Field.FIRST_NAME),
        ("Tussenv.", Field.PREFIX),
        ("TV", Field.PREFIX),
        ("voorvoegsel", Field.PREFIX),
        ("Familienaam", Field.LAST_NAME),
        ("Geb.datum", Field.BIRTH_DATE),
        ("Geb. datum", Field.BIRTH_DATE),
        ("geboren", Field.BIRTH_DATE),
        ("Klas", Field.GROUP),
        ("Stamgroep", Field.GROUP),
        ("Basisgroep", Field.GROUP),
        ("Groepsnaam", Field.GROUP),
        ("Leerjaar", Field.GRADE),
        ("Groepsjaar", Field.GRADE),
        ("AVI-niveau", Field.READING),
        ("Leesniveau", Field.READING),
        ("Technisch lezen", Field.READING),
        ("AVI beheersing", Field.READING_QUALITY),
        ("AVI kwaliteit", Field.READING_QUALITY),
        ("Rekenniveau", Field.MATHS),
        ("Functioneringsniveau rekenen", Field.MATHS),
        ("Rekenen functioneringsniveau", Field.MATHS),
        ("Rekenen FN", Field.MATHS),
        ("Tutorrol", Field.ROLE),
        ("Motivatie", Field.MOTIVATION),
        ("niet_koppelen_met", Field.NOT_WITH),
        ("Niet samen met", Field.NOT_WITH),
    ],
)
def test_aliases_map_to_their_field(header: str, field: Field) -> None:
    columns = map_headers([header])

    assert columns.fields == {field: 0}


def test_headers_match_regardless_of_case_accents_spaces_and_punctuation() -> None:
    assert normalise("  GEB. Datum ") == normalise("geb.datum") == "gebdatum"
    assert normalise("Géboortedatüm") == "geboortedatum"
    assert normalise("\ufeffLeerlingnummer") == "leerlingnummer"
    assert normalise("niet_koppelen-met") == "nietkoppelenmet"


def test_roepnaam_wins_over_voornamen_and_voornamen_fills_empty_roepnaam_cells() -> None:
    text = "voornamen;roepnaam;leerlingnummer;groep;geboortedatum\r\nFenna Maria;Fenna;1;5B;03-09-2015\r\n"
    text += "Sem Jan;;2;5B;03-09-2015\r\n"

    roster = read_roster(text.encode(), today=TODAY)

    assert [p.first_name for p in roster.pupils] == ["Fenna", "Sem Jan"]
    assert roster.ignored_columns == ()


def test_a_second_column_for_the_same_field_is_ignored_with_a_note() -> None:
    text = "leerlingnummer;roepnaam;groep;klas;geboortedatum\r\n1;Fenna;5B;5b;03-09-2015\r\n"

    roster = read_roster(text.encode(), today=TODAY)

    assert roster.pupils[0].group == "5B"
    assert roster.ignored_columns == ("klas",)
    (note,) = roster.problems
    assert (note.code, note.column, note.params["used"]) == ("roster.column.duplicate", "klas", "groep")


def test_a_magister_naam_column_is_split_when_there_is_no_first_name_column() -> None:
    roster = read_roster(FIXTURES / "magister_naam.csv", today=TODAY)

    assert [(p.first_name, p.prefix, p.last_name) for p in roster.pupils] == [
        ("Dae", "", "Aartsen"),
        ("Jan", "van den", "Berg"),
    ]
    assert [p.code for p in roster.problems] == ["roster.column.full_name"]


def test_naam_is_the_surname_when_there_is_a_first_name_column() -> None:
    columns = map_headers(["roepnaam", "naam"])

    assert columns.fields == {Field.FIRST_NAME: 0, Field.LAST_NAME: 1}
    assert not columns.full_name_from_naam


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ("Aartsen, Dae", ("Dae", "", "Aartsen")),
        ("Berg, Jan van den", ("Jan", "van den", "Berg")),
        ("Dae van Aartsen", ("Dae", "van", "Aartsen")),
        ("Dae", ("Dae", "", "")),
        ("", ("", "", "")),
    ],
)
def test_a_whole_name_is_split_into_first_prefix_and_last(written: str, parts: tuple[str, str, str]) -> None:
    assert split_full_name(written) == parts


def test_sensitive_unknown_and_empty_headers_are_sorted_apart() -> None:
    columns = map_headers(["leerlingnummer", "BSN", "", "DMT", "Diagnose (AD)HD", "Klassenmentor 1"])

    assert columns.fields == {Field.PUPIL_ID: 0}
    assert columns.dropped == (1, 4)
    assert columns.ignored == (3, 5)


def test_missing_lists_the_required_fields_in_template_order() -> None:
    assert map_headers(["avi"]).missing() == (Field.PUPIL_ID, Field.FIRST_NAME, Field.GROUP, Field.BIRTH_DATE)
    assert map_headers(["id", "naam", "klas", "geboren"]).missing() == ()
