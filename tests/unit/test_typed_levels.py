"""A level typed in the app is never guessed (issue 15, item 5, defect 9): a bare AVI number such as ``4`` could
be AVI M4, AVI E4 or the old AVI 4, so it is refused with the value and the choices named. A file import keeps
reading old AVI 1-9 as a range (README), and a level written in full is accepted as before."""

from __future__ import annotations

import pytest

from peermatch.errors import LevelError
from peermatch.levels import OLD_AVI_RANGES, READING_CODES, ambiguous_choices, parse_reading, parse_typed_level
from peermatch.model import Subject


def test_a_bare_number_has_the_new_levels_and_the_old_one_as_choices() -> None:
    assert ambiguous_choices(Subject.LEZEN, "4") == ("M4", "E4", "AVI 4 oud")
    assert ambiguous_choices(Subject.LEZEN, " 7 ") == ("M7", "E7", "AVI 7 oud")
    assert ambiguous_choices(Subject.LEZEN, "AVI 5") == ("M5", "E5", "AVI 5 oud")
    assert ambiguous_choices(Subject.LEZEN, "8") == ("AVI 8 oud",)  # AVI M8 and E8 do not exist
    assert ambiguous_choices(Subject.LEZEN, "1") == ("AVI 1 oud",)


@pytest.mark.parametrize("text", ["M4", "E4", "AVI 4 oud", "9+", "Plus", "Start", "E5 instructie"])
def test_a_level_written_in_full_is_not_ambiguous(text: str) -> None:
    assert ambiguous_choices(Subject.LEZEN, text) == ()
    assert parse_typed_level(Subject.LEZEN, text) == parse_reading(text)


def test_every_choice_is_a_level_of_its_own() -> None:
    for number in "123456789":
        for choice in ambiguous_choices(Subject.LEZEN, number):
            level = parse_typed_level(Subject.LEZEN, choice)
            assert level.code in READING_CODES or level.code == f"AVI {number} (oud)"


def test_typing_a_bare_4_is_refused_with_the_value_and_the_choices() -> None:
    with pytest.raises(LevelError) as caught:
        parse_typed_level(Subject.LEZEN, "4")
    nl, en = caught.value.message("nl"), caught.value.message("en")
    for text in (nl, en):
        assert "'4'" in text
        assert "M4, E4, AVI 4 oud" in text
    assert "niets opgeslagen" in nl


def test_the_file_import_still_reads_old_avi_as_a_range() -> None:
    level = parse_reading("4")
    low, high = OLD_AVI_RANGES["4"]
    assert (level.low, level.high) == (READING_CODES[low], READING_CODES[high])
    assert level.converted
    assert level.code == "AVI 4 (oud)"


def test_maths_has_no_ambiguous_numbers_and_keeps_its_own_refusal() -> None:
    assert ambiguous_choices(Subject.REKENEN, "4") == ()
    with pytest.raises(LevelError) as caught:
        parse_typed_level(Subject.REKENEN, "4")
    assert caught.value.problems[0].code == "levels.unknown_maths"
