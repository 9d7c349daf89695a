"""Real headers of Dutch school software and a CSV that mixes UTF-8 and cp1252 rows.

Sources: AMN names a pupil by ``deelnemersnummer`` in its exports and imports (amn.nl, koppelingen); Social
Schools exports classes with ``Klasnaam`` and ``Leerjaar``; the ESIS LVS export names the pupil
``EsisIdentificatienummer`` (public importer code of that export). The mixed file is what pasting rows from
a Dutch-Windows Excel CSV (cp1252) under rows of a "CSV UTF-8" export gives (shared/domain/rosters.md 3.5).
"""

from __future__ import annotations

import datetime as dt

import pytest

from peermatch.errors import Severity
from peermatch.roster import read_roster
from peermatch.roster.headers import Field, map_headers

TODAY = dt.date(2025, 10, 1)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("deelnemersnummer", Field.PUPIL_ID), ("Deelnemernummer", Field.PUPIL_ID),
        ("Esis identificatienummer", Field.PUPIL_ID), ("EsisIdentificatienummer", Field.PUPIL_ID),
        ("Klasnaam", Field.GROUP), ("Leerjaar", Field.GRADE), ("Rekenen-Wiskunde", Field.MATHS),
        ("Technisch lezen AVI", Field.READING),
    ],
)  # fmt: skip
def test_real_headers_are_recognised(header: str, field: Field) -> None:
    assert map_headers([header]).fields == {field: 0}


def test_level_file_words_are_not_read_in_a_class_list() -> None:
    columns = map_headers(["Leerlingnummer", "Toets", "Niveau", "Afnamedatum"])
    assert set(columns.fields) == {Field.PUPIL_ID}
    assert columns.ignored == (1, 2, 3)


def test_an_amn_export_with_deelnemersnummer_is_read() -> None:
    data = b"Deelnemersnummer;Roepnaam;Achternaam;Klas;Geboortedatum\n100234;Iris;Kok;1A;14-02-2013\n"
    roster = read_roster(data, filename="amn.csv", today=TODAY)
    assert roster.ok
    assert [(p.pupil_id, p.group) for p in roster.pupils] == [("100234", "1A")]


def test_a_social_schools_export_with_klasnaam_and_leerjaar_is_read() -> None:
    data = (
        b"Leerlingnummer,Voornaam,Tussenvoegsel,Achternaam,Klasnaam,Leerjaar,Geboortedatum\n"
        b"3001,Jesse,de,Vries,Groep 5 Zonnebloemen,5,2016-03-09\n"
        b"3002,Mila,,Smit,Groep 5 Zonnebloemen,Groep 5,2016-07-21\n"
    )
    roster = read_roster(data, filename="socialschools.csv", today=TODAY)
    assert roster.ok, [p.message("nl") for p in roster.errors]
    assert [(p.group, p.grade, p.prefix) for p in roster.pupils] == [
        ("Groep 5 Zonnebloemen", 5, "de"),
        ("Groep 5 Zonnebloemen", 5, ""),
    ]


def _mixed() -> bytes:
    return (
        b"leerlingnummer;roepnaam;achternaam;groep;geboortedatum\n"
        + "1;Zoë;Visser;5A;01-01-2016\n".encode()
        + "2;Anaïs;Dubois;5A;02-02-2016\n".encode("cp1252")
        + "3;Chloë;Maës;5A;03-03-2016\n".encode("cp1252")
        + "4;Noël;Bakker;5A;04-04-2016\n".encode()
    )


def test_a_csv_mixing_utf8_and_cp1252_rows_reads_every_name_right_and_warns_naming_the_rows() -> None:
    roster = read_roster(_mixed(), filename="geplakt.csv", today=TODAY)
    assert [p.first_name for p in roster.pupils] == ["Zoë", "Anaïs", "Chloë", "Noël"]
    assert not any("Ã" in p.first_name + p.last_name for p in roster.pupils)
    warnings = [p for p in roster.problems if p.code == "levelfile.csv.mixed_encoding"]
    assert len(warnings) == 1
    assert warnings[0].severity is Severity.WARNING
    assert (warnings[0].params["utf8_rows"], warnings[0].params["cp1252_rows"]) == ("2, 5", "3, 4")
    assert "rij(en) 3, 4 in Windows-1252" in warnings[0].message("nl")
    assert "row(s) 2, 5 in UTF-8" in warnings[0].message("en")


def test_a_mixed_file_with_a_bom_is_read_per_row_too() -> None:
    roster = read_roster(b"\xef\xbb\xbf" + _mixed(), filename="geplakt.csv", today=TODAY)
    assert [p.first_name for p in roster.pupils] == ["Zoë", "Anaïs", "Chloë", "Noël"]
    assert any(p.code == "levelfile.csv.mixed_encoding" for p in roster.warnings)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-8-sig"])
def test_a_file_in_one_encoding_gets_no_warning(encoding: str) -> None:
    data = "leerlingnummer;roepnaam;groep;geboortedatum\n1;Zoë;5A;01-01-2016\n2;Anaïs;5A;02-02-2016\n"
    roster = read_roster(data.encode(encoding), filename="een.csv", today=TODAY)
    assert [p.first_name for p in roster.pupils] == ["Zoë", "Anaïs"]
    assert not any(p.code == "levelfile.csv.mixed_encoding" for p in roster.problems)
