"""Every roster message exists in Dutch and English, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import peermatch.roster
from peermatch.i18n import catalogue
from peermatch.roster.limits import too_large

ROSTER_SOURCE = Path(peermatch.roster.__file__).parent
CODE = re.compile(r"[\"'](roster\.[a-z_]+\.[a-z_]+)[\"']")


def roster_keys(lang: str) -> dict[str, str]:
    return {key: text for key, text in catalogue(lang).items() if key.startswith("roster.")}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_size_limits_are_written_the_way_each_language_writes_numbers() -> None:
    problem = too_large("groot.csv", 24_536_678, max_rows=50_000, max_bytes=20 * 1024 * 1024)

    assert "(23,4 MB). De grens is 20 MB en 50.000 rijen." in problem.message("nl")
    assert "(23.4 MB). The limit is 20 MB and 50,000 rows." in problem.message("en")


def codes_in_source() -> set[str]:
    return {match for path in ROSTER_SOURCE.glob("*.py") for match in CODE.findall(path.read_text(encoding="utf-8"))}


def test_dutch_and_english_have_the_same_roster_keys() -> None:
    assert set(roster_keys("nl")) == set(roster_keys("en"))


def test_every_code_the_importer_uses_has_a_message() -> None:
    used = codes_in_source()

    assert len(used) > 30
    assert used <= set(roster_keys("nl"))


@pytest.mark.parametrize("key", sorted(roster_keys("nl")))
def test_placeholders_agree_between_languages(key: str) -> None:
    nl, en = placeholders(roster_keys("nl")[key]), placeholders(roster_keys("en")[key])

    assert nl == en


@pytest.mark.parametrize("key", sorted(roster_keys("nl")))
def test_dutch_messages_are_short_sentences(key: str) -> None:
    text = roster_keys("nl")[key]

    assert text.endswith((".", "?"))
    assert len(text) < 260
