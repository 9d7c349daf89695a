"""Reading EDEXML (EDEX.XML from ParnasSys / ESIS) safely, without keeping what we must not keep."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from benchmarks.hostile import edex_valid
from peermatch.errors import HeaderOnlyError, MissingColumnsError, Severity, UnsupportedFileError
from peermatch.model import Roster
from peermatch.roster import limits, read_roster

SAMPLE = Path(__file__).parents[1] / "fixtures" / "rosters" / "EDEX.XML"


@pytest.fixture(scope="module")
def roster() -> Roster:
    return read_roster(SAMPLE)


def edex(pupils: str, *, namespace: str = "", groups: str = "") -> bytes:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    groups = groups or '<groep key="G5"><naam>5B</naam><jaargroep>5</jaargroep></groep>'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><EDEX{xmlns}><school><peildatum>2024-10-01</peildatum></school>'
        f"<groepen>{groups}</groepen><leerlingen>{pupils}</leerlingen></EDEX>"
    ).encode()


PUPIL = (
    '<leerling key="1"><roepnaam>Fenna</roepnaam><geboortedatum>2015-09-03</geboortedatum><groep key="G5"/></leerling>'
)


def test_the_sample_export_gives_its_six_current_pupils_in_file_order(roster: Roster) -> None:
    assert [p.pupil_id for p in roster.pupils] == ["00501", "00502", "00503", "00701", "00702", "00703"]
    assert [p.row for p in roster.pupils] == [1, 2, 3, 4, 5, 6]
    assert roster.ok


def test_group_keys_become_group_names_and_jaargroep_becomes_the_grade(roster: Roster) -> None:
    by_id = roster.by_id()

    assert (by_id["00501"].group, by_id["00501"].grade) == ("5B", 5)
    assert (by_id["00701"].group, by_id["00701"].grade) == ("Uilen", 7)


def test_a_missing_jaargroep_is_taken_from_the_pupils_group(roster: Roster) -> None:
    assert roster.by_id()["00503"].grade == 5


def test_names_and_iso_birth_dates_are_read(roster: Roster) -> None:
    lotte = roster.by_id()["00503"]

    assert (lotte.first_name, lotte.prefix, lotte.last_name) == ("Lotte", "van 't", "Hof")
    assert lotte.birth_date == dt.date(2015, 4, 30)


def test_the_peildatum_is_the_reference_date_unless_today_is_given(roster: Roster) -> None:
    assert roster.reference_date == dt.date(2024, 10, 1)
    assert read_roster(SAMPLE, today=dt.date(2025, 3, 1)).reference_date == dt.date(2025, 3, 1)


def test_pupils_come_without_levels_and_the_teacher_is_told_once(roster: Roster) -> None:
    assert all(p.reading is None and p.maths is None for p in roster.pupils)
    notes = [p for p in roster.problems if p.code == "roster.edex.no_levels"]
    assert len(notes) == 1
    assert notes[0].severity is Severity.INFO


def test_a_pupil_who_left_the_school_is_skipped_with_a_note(roster: Roster) -> None:
    assert "00399" not in roster.by_id()
    (note,) = [p for p in roster.problems if p.code == "roster.edex.left"]
    assert note.row == 7


def test_sensitive_elements_are_dropped_and_their_values_are_nowhere(roster: Roster) -> None:
    assert set(roster.dropped_columns) == {
        "bsn", "bsn_ondwnr-4", "etniciteit", "land", "land_vader", "land_moeder", "gewicht", "gewicht_nieuw",
        "postcodenl", "emailadres",
    }  # fmt: skip
    everything = repr(roster) + "".join(p.message(lang) for p in roster.problems for lang in ("nl", "en"))
    for secret in ("99999", "9033", "ETN-TESTWAARDE", "TESTLAND", "9999Z", "0,3", "1.2", "example.invalid"):
        assert secret not in everything


def test_other_elements_are_ignored_not_dropped(roster: Roster) -> None:
    assert {"geslacht", "voorletters-1", "instroomdatum"} <= set(roster.ignored_columns)


def test_problems_point_at_the_pupil_position_and_the_element_name() -> None:
    pupils = PUPIL + PUPIL.replace('key="1"', 'key="2"').replace("2015-09-03", "2015-02-31")

    roster = read_roster(edex(pupils), filename="EDEX.XML")

    (problem,) = roster.errors
    assert (problem.code, problem.row, problem.column, problem.value) == (
        "roster.date.impossible",
        2,
        "geboortedatum",
        "2015-02-31",
    )


def test_a_pupil_without_key_gets_a_missing_pupil_number_error_on_key() -> None:
    pupils = PUPIL + PUPIL.replace(' key="1"', "", 1)

    roster = read_roster(edex(pupils))

    (problem,) = roster.errors
    assert (problem.code, problem.row, problem.column) == ("roster.missing.pupil_id", 2, "key")


def test_namespaced_exports_are_read_by_local_element_names() -> None:
    roster = read_roster(edex(PUPIL, namespace="http://www.edustandaard.nl/edex/2.1"))

    assert [(p.pupil_id, p.first_name, p.group) for p in roster.pupils] == [("1", "Fenna", "5B")]


def test_vo_jaargroep_codes_become_grades_9_to_14() -> None:
    groups = '<groep key="G5"><naam>1A</naam><jaargroep>11</jaargroep></groep>'
    pupil = PUPIL.replace("2015-09-03", "2012-06-01")

    roster = read_roster(edex(pupil, groups=groups))

    assert roster.pupils[0].grade == 9


def test_an_export_without_birth_dates_is_missing_the_geboortedatum_column() -> None:
    pupil = '<leerling key="1"><roepnaam>Fenna</roepnaam><groep key="G5"/></leerling>'

    with pytest.raises(MissingColumnsError) as info:
        read_roster(edex(pupil))

    assert info.value.problems[0].params["missing"] == "geboortedatum"


def test_an_export_without_pupils_raises_header_only() -> None:
    with pytest.raises(HeaderOnlyError):
        read_roster(edex(""))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<EDEX><leerlingen><leerling key="1"><roepnaam>&lol9;</roepnaam></leerling></leerlingen></EDEX>
"""


def test_a_billion_laughs_bomb_is_refused_cleanly_as_unsafe() -> None:
    with pytest.raises(UnsupportedFileError) as info:
        read_roster(BILLION_LAUGHS, filename="EDEX.XML")

    assert info.value.problems[0].code == "roster.file.xml_unsafe"


def test_an_external_entity_is_refused_and_never_resolved() -> None:
    xxe = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<EDEX><leerlingen><leerling key="1"><roepnaam>&xxe;</roepnaam></leerling></leerlingen></EDEX>"""

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(xxe, filename="EDEX.XML")

    assert info.value.problems[0].code == "roster.file.xml_unsafe"


def test_xml_that_is_not_edex_is_refused() -> None:
    with pytest.raises(UnsupportedFileError) as info:
        read_roster(b"<?xml version='1.0'?><leerlingen/>", filename="lijst.xml")

    assert info.value.problems[0].code == "roster.file.xml_not_edex"


def test_broken_xml_is_refused() -> None:
    with pytest.raises(UnsupportedFileError) as info:
        read_roster(SAMPLE.read_bytes()[:500], filename="EDEX.XML")

    assert info.value.problems[0].code == "roster.file.xml_broken"


def test_a_huge_sensitive_text_is_never_kept_and_not_refused() -> None:
    # text we must not read is not even collected, so it cannot cost memory, hit the text limit or be echoed
    secret = "9" * (limits.MAX_XML_TEXT_CHARS * 5)
    pupil = PUPIL.replace("</leerling>", f"<bsn>{secret}</bsn></leerling>")

    roster = read_roster(edex(pupil), filename="EDEX.XML")

    assert [p.pupil_id for p in roster.pupils] == ["1"]
    assert "bsn" in roster.dropped_columns
    assert "99999" not in repr(roster)


def test_a_dtd_inside_a_soap_answer_is_refused_before_anything_is_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        b'<leerlinggegevens_antwoord xmlns="http://www.edustandaard.nl/leerresultaten/2/leerlinggegevens">'
        b"<leerlinggegevens><leerlingen><leerling key='1'><roepnaam>&b;</roepnaam></leerling></leerlingen>"
        b"</leerlinggegevens></leerlinggegevens_antwoord></s:Body></s:Envelope>"
    )

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(bomb, filename="uwlr.xml")

    assert info.value.problems[0].code == "roster.file.xml_unsafe"


def test_a_valid_file_of_the_hostile_files_shape_is_read_in_full() -> None:
    roster = read_roster(edex_valid(2_000), filename="EDEX.XML", today=dt.date(2023, 10, 1))

    assert len(roster.pupils) == 2_000
    assert roster.ok
