"""Numbers, dates and plurals per language (Babel): one place, and the CLI's one-pupil summary reads right."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from peermatch.cli import main
from peermatch.i18n.formatting import LocalNumber, long_date, number, numeric_date, plural, plural_category


@pytest.mark.parametrize(
    ("value", "lang", "kwargs", "expected"),
    [
        (50000, "nl", {}, "50.000"),
        (50000, "en", {}, "50,000"),
        (23.4, "nl", {}, "23,4"),
        (23.4, "en", {}, "23.4"),
        (3, "nl", {}, "3"),
        (3, "nl", {"decimals": 1}, "3,0"),
        (0.5, "nl", {"decimals": 1, "signed": True}, "+0,5"),
        (-1.5, "en", {"decimals": 1, "signed": True}, "-1.5"),
        (12345, "nl", {"grouped": False}, "12345"),
    ],
)
def test_numbers_use_the_languages_separators(value: float, lang: str, kwargs: dict[str, Any], expected: str) -> None:
    assert number(value, lang, **kwargs) == expected


def test_dates_are_written_as_each_language_writes_them() -> None:
    day = date(2025, 11, 3)
    assert long_date(day, "nl") == "3 november 2025"
    assert long_date(day, "en") == "3 November 2025"
    assert numeric_date(day, "nl") == "03-11-2025"


def test_one_is_singular_and_everything_else_plural_in_dutch_and_english() -> None:
    assert [plural_category(n, "nl") for n in (0, 1, 2, 1.5)] == ["other", "one", "other", "other"]
    assert plural("cli.count.pupils", 1, "nl") == "1 leerling"
    assert plural("cli.count.pupils", 2, "nl") == "2 leerlingen"
    assert plural("cli.count.warnings", 1, "en") == "1 warning"
    assert plural("cli.count.errors", 0, "en") == "0 errors"
    assert plural("cli.count.pupils", 50000, "nl") == "50.000 leerlingen"


def test_a_local_number_formats_per_language_in_a_message() -> None:
    assert f"{LocalNumber(50000):nl} / {LocalNumber(50000):en}" == "50.000 / 50,000"
    assert str(LocalNumber(1.5)) == "1.5"


def test_check_of_a_one_pupil_file_says_one_pupil(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "een.csv"
    roster.write_text(
        "leerlingnummer;voornaam;achternaam;geboortedatum;groep;avi;rol\n1001;Sara;Jansen;12-03-2016;5A;E4;tutee\n",
        encoding="utf-8",
    )
    main(["check", str(roster)])
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert summary.startswith("een.csv: 1 leerling, 0 fouten, ")
    assert "1 leerlingen" not in summary
