"""Every EDEX shape a Dutch (or Flemish) school exports: EDEXML 1.03 / 2.1 (Vlaanderen), UWLR leerlinggegevens 2.2 /
2.3 (bare and in the SOAP answer), and the EDEX2000 fixed-width files and header-less lists we refuse by name.

The fixtures in ``tests/fixtures/rosters/`` are synthetic (invented schools, pupils and numbers), shaped after the
public Edustandaard schemas and examples:

* ``EDEXML_1.03.xml``: ``EDEXML.Voorbeeld.1.03.xml`` and ``EDEXML.structuur.xsd`` 1.03 (github.com/harmbandstra/
  edexmllib ``docs/Schema EDEXML 2.0/``; github.com/Oefenweb/cakephp-edexml ``File/``);
* ``EDEXML_2.1_Vla.xml``: ``EDEXML.Voorbeeld.2.1-Vla.xml`` (Oefenweb/cakephp-edexml ``Test/File/EDEXML-2.1/``);
* ``UWLR_leerlinggegevens_2.3_antwoord.xml`` / ``_2.2.xml``: the ``HaalLeerlinggegevens`` answers read by public
  UWLR clients of Magister, ParnasSys and ESIS (``Envelope/Body/leerlinggegevens_antwoord/leerlinggegevens``,
  namespace ``http://www.edustandaard.nl/leerresultaten/2/leerlinggegevens``, xsdversie 2.2 / 2.3);
* ``EDEXLL.TXT``: the EDEX2000 pupil record (145 fixed-width characters) that public importers read
  (``Fiftytwo\\Edex\\Import\\Edexll``; the CITO LVS layout republished at serveropschool.nl;
  nl.wikipedia.org/wiki/Edex).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from benchmarks.hostile import xlsx
from peermatch.errors import MissingColumnsError, Severity, UnsupportedFileError
from peermatch.model import Roster
from peermatch.roster import read_roster
from peermatch.roster.sniff import looks_like_edex2000

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rosters"
TODAY = dt.date(2026, 10, 1)
SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def read(name: str) -> Roster:
    return read_roster(FIXTURES / name, today=TODAY)


def everything_said(roster: Roster) -> str:
    return repr(roster) + "".join(p.message(lang) for p in roster.problems for lang in ("nl", "en"))


# -- EDEXML 1.03 ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def v103() -> Roster:
    return read("EDEXML_1.03.xml")


def test_edexml_103_reads_every_current_pupil(v103: Roster) -> None:
    assert [p.pupil_id for p in v103.pupils] == ["10001", "10002", "10003"]
    assert v103.ok


def test_a_pupil_with_only_a_jaargroep_gets_a_group_named_after_it_with_one_warning(v103: Roster) -> None:
    by_id = v103.by_id()

    assert (by_id["10001"].group, by_id["10001"].grade) == ("4A", 4)  # a real group stays as it is
    assert (by_id["10002"].group, by_id["10002"].grade) == ("Groep 4", 4)
    assert (by_id["10003"].group, by_id["10003"].grade) == ("Groep 4", 4)
    (warning,) = [p for p in v103.problems if p.code.startswith("edex.group_from_jaargroep")]
    assert warning.severity is Severity.WARNING
    assert "2 leerlingen hebben in het bestand geen groep, alleen een jaargroep" in warning.message("nl")
    assert "(Groep 4)" in warning.message("en")


def test_a_pupil_who_left_before_the_export_date_is_skipped_with_a_note_not_an_error(v103: Roster) -> None:
    assert "10004" not in v103.by_id()
    (note,) = [p for p in v103.problems if p.code == "edex.left_by_date"]
    assert (note.severity, note.row) == (Severity.INFO, 4)
    # EDEXML 1.03 has no peildatum: the aanmaakdatum is the reference; the zone of 2026-05-30+02:00 is read
    assert "uitgeschreven op 30-05-2026, vóór 28-09-2026" in note.message("nl")


def test_a_pupil_who_leaves_later_is_kept(v103: Roster) -> None:
    assert v103.by_id()["10003"].last_name == "Slaapmuts"


def test_xs_dates_with_a_zone_are_read_as_the_date_written(v103: Roster) -> None:
    by_id = v103.by_id()

    assert by_id["10002"].birth_date == dt.date(2018, 5, 5)  # 2018-05-05+02:00
    assert by_id["10003"].birth_date == dt.date(2018, 11, 30)  # 2018-11-30Z


def test_without_roepnaam_the_first_of_the_voornamen_is_the_first_name(v103: Roster) -> None:
    assert v103.by_id()["10003"].first_name == "Gradus"
    (note,) = [p for p in v103.problems if p.code.startswith("edex.first_of_voornamen")]
    assert note.code == "edex.first_of_voornamen_one"
    assert "de eerste van de voornamen is als roepnaam gebruikt" in note.message("nl")


def test_the_sensitive_elements_of_103_are_dropped_unread(v103: Roster) -> None:
    assert {
        "etniciteit",
        "land",
        "onderwijsnummer",
        "gewicht_nieuw",
        "postcodenl",
        "sofinummer",
        "postcodeoverig",
    } <= set(v103.dropped_columns)
    said = everything_said(v103)
    for secret in ("ETN-TESTWAARDE", "TESTLAND", "TEST-ONDWNR", "TEST-SOFI", "9999Q", "TESTPLAATS", "0,3"):
        assert secret not in said


# -- EDEXML 2.1, Vlaanderen ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flemish() -> Roster:
    return read("EDEXML_2.1_Vla.xml")


def test_the_flemish_variant_reads_its_pupils_and_skips_the_historic_one(flemish: Roster) -> None:
    assert [(p.pupil_id, p.first_name, p.group, p.grade) for p in flemish.pupils] == [
        ("20001", "Wannes", "Klas 4B", 6),
        ("20002", "Ismaël", "Klas 4B", 6),  # not "Ismaël Hassan"
    ]
    assert [p.row for p in flemish.problems if p.code == "roster.edex.left"] == [3]


def test_postnummerbe_and_rijksregisternummer_are_dropped_and_reported_never_read(flemish: Roster) -> None:
    assert {"postnummerbe", "rijksregisternummer", "land"} <= set(flemish.dropped_columns)
    reported = {p.column for p in flemish.problems if p.code == "roster.column.dropped"}
    assert {"postnummerbe", "rijksregisternummer"} <= reported
    said = everything_said(flemish)
    assert "9994" not in said
    assert "TEST-RRN" not in said
    assert "TEST-OPMERKING" not in said


# -- UWLR leerlinggegevens 2.x -------------------------------------------------------------------------------------


def test_the_uwlr_soap_answer_is_read_like_edexml() -> None:
    roster = read("UWLR_leerlinggegevens_2.3_antwoord.xml")

    assert [(p.pupil_id, p.first_name, p.prefix, p.group, p.grade) for p in roster.pupils] == [
        ("L1", "Lieke", "de", "5A", 5),
        ("L2", "Mees", "", "7A", 7),  # jaargroep from the group
    ]
    assert roster.pupils[1].birth_date == dt.date(2015, 3, 12)  # 2015-03-12+01:00
    assert roster.ok
    assert [p.code for p in roster.problems if p.code == "roster.edex.no_levels"] == ["roster.edex.no_levels"]
    assert "example.invalid" not in everything_said(roster)  # a teacher's e-mail in leerkrachten is never read


def test_a_bare_uwlr_message_in_the_default_namespace_is_read() -> None:
    roster = read("UWLR_leerlinggegevens_2.2.xml")

    assert [(p.pupil_id, p.group, p.grade) for p in roster.pupils] == [
        ("U100", "Dolfijnen", 6),
        ("U101", "Dolfijnen", 6),
    ]
    assert "bsn" in roster.dropped_columns
    assert "TEST-BSN" not in everything_said(roster)


def test_a_uwlr_answer_without_leerlinggegevens_is_not_an_edex_export() -> None:
    fault = (
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
        b"<faultstring>Geen toegang</faultstring></s:Fault></s:Body></s:Envelope>"
    )

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(fault, filename="antwoord.xml")

    assert info.value.problems[0].code == "roster.file.xml_not_edex"


def test_a_uwlr_results_message_is_named_as_such_not_read_as_pupils() -> None:
    # BrengLeerresultaten: leerresultaten_verzoek with school, toetsafnames, toetsen (UWLR 2.x, public RTTI clients)
    results = (
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        b'<leer:leerresultaten_verzoek xmlns:leer="http://www.edustandaard.nl/leerresultaten/2/leerresultaten">'
        b"<leer:school><leer:brincode>99DE</leer:brincode></leer:school><leer:toetsafnames/><leer:toetsen/>"
        b"</leer:leerresultaten_verzoek></s:Body></s:Envelope>"
    )

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(results, filename="resultaten.xml")

    assert info.value.problems[0].code == "edex.uwlr_results"
    assert "toetsresultaten" in info.value.problems[0].message("nl")


def test_edex_is_not_taken_from_inside_some_other_document() -> None:
    wrapped = (
        b"<export><EDEX><leerlingen><leerling key='1'><roepnaam>A</roepnaam></leerling></leerlingen></EDEX></export>"
    )

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(wrapped, filename="x.xml")

    assert info.value.problems[0].code == "roster.file.xml_not_edex"


# -- EDEX2000 and header-less files ---------------------------------------------------------------------------------


def test_an_edex2000_file_is_named_and_the_export_to_make_instead_is_given_without_echoing_a_record() -> None:
    data = (FIXTURES / "EDEXLL.TXT").read_bytes()

    for filename in ("EDEXLL.TXT", "leerlingen.txt", None):  # by its name, and by its content alone
        with pytest.raises(UnsupportedFileError) as info:
            read_roster(data, filename=filename)
        (problem,) = info.value.problems
        assert problem.code == "edex.edex2000"
        for lang in ("nl", "en"):
            message = problem.message(lang)
            assert "EDEX2000" in message
            assert "EDEXML" in message
            assert "ParnasSys" in message
            for pupil_data in ("Testpersoon", "Fenna", "03092015", "00501", "9999ZQ"):
                assert pupil_data not in message


def test_an_edex2000_group_file_is_recognised_too() -> None:
    record = "Groep 5B".ljust(30) + "5" + "G5B".ljust(5) + "2026-2027" + "99XX" + "00".ljust(5)

    assert looks_like_edex2000((record + "\r\n" + record.replace("5B", "5C") + "\r\n").encode(), "groepen.txt")


def test_an_ordinary_csv_is_not_taken_for_edex2000() -> None:
    csv = b"leerlingnummer;roepnaam;groep;geboortedatum\n1;Fenna;5B;03-09-2015\n"

    assert not looks_like_edex2000(csv, "klas.csv")
    assert read_roster(csv, filename="klas.csv", today=TODAY).pupils


@pytest.mark.parametrize(
    "first_lines",
    [
        "00501;Fenna;Verbeek;03-09-2015;5B\n00502;Sem;Dijk;22-01-2016;5B\n",
        "Verbeek,Fenna,5B,03/09/2015\nDijk,Sem,5B,22/01/2016\n",
        "Verbeek    Fenna     5B    2015    00501\nDijk        Sem       5B    2016    00502\n",
    ],
)
def test_a_file_without_a_header_row_is_refused_without_echoing_its_first_row(first_lines: str) -> None:
    with pytest.raises(MissingColumnsError) as info:
        read_roster(first_lines.encode(), filename="lijst.csv", today=TODAY)

    (problem,) = info.value.problems
    assert (problem.code, problem.file) == ("edex.no_header", "lijst.csv")
    for lang in ("nl", "en"):
        for pupil_data in ("Fenna", "Verbeek", "2015", "00501"):
            assert pupil_data not in problem.message(lang)
    assert problem.params == {}


def test_a_file_with_unknown_column_names_still_lists_the_names_it_found() -> None:
    with pytest.raises(MissingColumnsError) as info:
        read_roster(b"Name;Class;Born\nFenna;5B;03-09-2015\n", filename="lijst.csv", today=TODAY)

    problem = info.value.problems[0]
    assert problem.code == "roster.file.missing_columns"
    assert problem.params["found"] == "Name, Class, Born"


def test_a_workbook_without_a_header_row_is_refused_the_same_way() -> None:
    cells = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{value}</t></is></c>'
        for col, value in zip("ABCD", ("00501", "Fenna", "Verbeek", "03-09-2015"), strict=True)
    )
    sheet = f'<worksheet xmlns="{SPREADSHEET_NS}"><sheetData><row r="1">{cells}</row></sheetData></worksheet>'

    with pytest.raises(MissingColumnsError) as info:
        read_roster(xlsx(sheet), filename="lijst.xlsx", today=TODAY)

    (problem,) = info.value.problems
    assert problem.code == "edex.no_header"
    assert "Fenna" not in problem.message("nl")
