"""Issue 11, item 1: an EDEXML / UWLR reader that stays bounded whatever the file (each test fails on the old reader).

Found on the old reader (defusedxml ``fromstring`` of the whole file, then a dense table of every element name):
one 17 MB EDEX.XML with ~30,000 distinct element names took 11.6 GB and 81 s; a pupil with a million elements
gave an 8.9 MB error message. The files come from ``benchmarks/hostile.py`` at a size that keeps this test fast.
"""

from __future__ import annotations

import time

import pytest

from benchmarks.hostile import edex_deep, edex_distinct_elements, edex_pupil_elements
from peermatch.errors import FileTooLargeError, RosterError
from peermatch.roster import limits, read_roster
from peermatch.roster.edexml import read_edexml

SHORT = 400  # no refusal message grows with the file


def _refusal(data: bytes, filename: str = "EDEX.XML") -> FileTooLargeError:
    with pytest.raises(FileTooLargeError) as info:
        read_roster(data, filename=filename)
    return info.value


def _pupils(body: str) -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8"?><EDEX><school><peildatum>2026-10-01</peildatum></school>'
    groups = '<groepen><groep key="g5"><naam>5A</naam><jaargroep>5</jaargroep></groep></groepen>'
    return f"{head}{groups}<leerlingen>{body}</leerlingen></EDEX>".encode()


def _pupil(key: int, extra: str = "", name: str = "Fenna") -> str:
    return (
        f'<leerling key="{key:06d}"><achternaam>Verbeek</achternaam><roepnaam>{name}</roepnaam>'
        f'<geboortedatum>2015-09-03</geboortedatum><groep key="g5"/>{extra}</leerling>'
    )


def test_many_distinct_element_names_are_refused_quickly_naming_the_file_and_the_limit() -> None:
    # found: 17 MB of ~30,000 distinct names, 11.6 GB and 81 s; the same shape, 1.8 MB (30,000 names)
    started = time.perf_counter()
    error = _refusal(edex_distinct_elements(1_500, 20))
    elapsed = time.perf_counter() - started

    (problem,) = error.problems
    assert (problem.code, problem.file) == ("limits.xml_columns", "EDEX.XML")
    assert f"meer dan {limits.MAX_COLUMNS} verschillende gegevens" in problem.message("nl")
    assert f"more than {limits.MAX_COLUMNS} different" in problem.message("en")
    assert elapsed < 2.0


def test_a_pupil_with_a_hundred_thousand_elements_gives_a_short_message() -> None:
    # found: a pupil with a million elements, an 8.9 MB message
    error = _refusal(edex_pupil_elements(100_000))

    problem = error.problems[0]
    assert problem.code == "limits.xml_columns"
    assert all(len(problem.message(lang)) < SHORT for lang in ("nl", "en"))


def test_a_pupil_with_more_elements_than_the_limit_is_refused_at_that_pupil() -> None:
    many = "<opmerking_leerkracht/>" * (limits.MAX_PUPIL_ELEMENTS + 1)

    error = _refusal(_pupils(_pupil(1) + _pupil(2, many)))

    problem = error.problems[0]
    assert (problem.code, problem.row) == ("limits.pupil_elements", 2)
    assert f"Leerling 2 in dit EDEX-bestand heeft meer dan {limits.MAX_PUPIL_ELEMENTS} gegevens" in problem.message(
        "nl"
    )


def test_deep_nesting_is_refused_naming_the_limit() -> None:
    error = _refusal(edex_deep(200))

    problem = error.problems[0]
    assert problem.code == "limits.xml_depth"
    assert f"dieper genest dan {limits.MAX_XML_DEPTH} niveaus" in problem.message("nl")


def test_elements_beyond_the_file_limit_are_refused_wherever_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_XML_ELEMENTS", 1_000)
    data = _pupils(_pupil(1)).replace(b"</EDEX>", b"<leerkrachten>" + b"<x/>" * 2_000 + b"</leerkrachten></EDEX>")

    problem = _refusal(data).problems[0]

    assert problem.code == "limits.xml_elements"
    assert "meer dan 1.000 onderdelen" in problem.message("nl")


def test_a_huge_text_is_refused_and_never_echoed() -> None:
    secret = "Q" * (limits.MAX_XML_TEXT_CHARS + 1)

    problem = _refusal(_pupils(_pupil(1) + _pupil(2, name=secret))).problems[0]

    assert (problem.code, problem.row) == ("edex.text_too_long", 2)
    assert all("QQQ" not in problem.message(lang) and len(problem.message(lang)) < SHORT for lang in ("nl", "en"))
    assert f"meer dan {limits.MAX_XML_TEXT_CHARS:,} tekens".replace(",", ".") in problem.message("nl")


def test_pupils_beyond_the_row_limit_stop_the_reading_at_the_first_one_too_many() -> None:
    # the old reader parsed the whole file first; the rest of this file is broken and must never be reached
    data = _pupils("".join(_pupil(n) for n in range(1, 12))).replace(b"</leerlingen>", b"<broken")

    with pytest.raises(FileTooLargeError) as info:
        read_edexml(data, max_rows=10, max_bytes=1_000_000, file="EDEX.XML")

    assert info.value.problems[0].code == "roster.file.too_many_rows"


def test_no_refusal_of_a_hostile_file_is_longer_than_a_few_lines() -> None:
    files = [edex_distinct_elements(50, 10), edex_pupil_elements(5_000), edex_deep(50)]
    for data in files:
        with pytest.raises(RosterError) as info:
            read_roster(data, filename="EDEX.XML")
        assert all(len(p.message(lang)) < SHORT for p in info.value.problems for lang in ("nl", "en"))
