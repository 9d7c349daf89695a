"""The AVI and maths scales: every notation schools write lands on the right place of one index."""

from __future__ import annotations

import pytest

from peermatch.errors import LevelError
from peermatch.levels import OLD_AVI_RANGES, READING_CODES, code_for_index, parse_maths, parse_quality, parse_reading
from peermatch.model import Quality, Subject


@pytest.mark.parametrize(
    ("written", "code", "index"),
    [
        ("AVI-M4", "M4", 3), ("avi m4", "M4", 3), ("M4", "M4", 3), ("m4", "M4", 3), ("AVI M4", "M4", 3),
        ("E 5", "E5", 6), ("e5", "E5", 6), ("AVI-E7", "E7", 10), ("M3", "M3", 1), ("E3", "E3", 2), (" E6 ", "E6", 8),
        ("Start", "Start", 0), ("start", "Start", 0), ("S", "Start", 0), ("S3", "Start", 0), ("AVI-start", "Start", 0),
        ("Plus", "Plus", 11), ("AVI-plus", "Plus", 11), ("+", "Plus", 11), ("P", "Plus", 11), ("AVI uit", "Plus", 11),
        ("AVI.M6", "M6", 7), ("AVI_E4", "E4", 4),
    ],
)  # fmt: skip
def test_every_avi_notation_lands_on_its_index(written: str, code: str, index: float) -> None:
    level = parse_reading(written)
    assert (level.code, level.low, level.high, level.converted) == (code, index, index, False)
    assert level.subject is Subject.LEZEN
    assert level.written == written


def test_the_new_avi_scale_has_twelve_ordered_levels() -> None:
    assert list(READING_CODES) == ["Start", "M3", "E3", "M4", "E4", "M5", "E5", "M6", "E6", "M7", "E7", "Plus"]
    assert list(READING_CODES.values()) == sorted(READING_CODES.values())


def test_avi_uit_is_read_as_plus_and_flagged() -> None:
    level = parse_reading("AVI uit")
    assert level.code == "Plus"
    assert level.note == "levels.note.avi_uit"


@pytest.mark.parametrize("written", ["M8", "E8", "AVI-M8", "avi e8"])
def test_avi_m8_and_e8_are_refused_because_they_do_not_exist(written: str) -> None:
    with pytest.raises(LevelError) as caught:
        parse_reading(written)
    problem = caught.value.problems[0]
    assert problem.code == "levels.avi_no_8"
    assert "bestaan niet" in problem.message("nl")
    assert "do not exist" in problem.message("en")
    assert written in problem.message("nl")


@pytest.mark.parametrize("written", ["", "X", "M2", "E9", "AVI 10", "M 3 4", "groep 5", "B8", "0"])
def test_unknown_reading_levels_are_refused_with_the_value_in_the_message(written: str) -> None:
    with pytest.raises(LevelError) as caught:
        parse_reading(written)
    assert caught.value.problems[0].value == written


@pytest.mark.parametrize(("old", "low", "high"), [("1", "Start", "M3"), ("5", "M4", "M5"), ("8", "E5", "M7"),
                                                  ("9", "M6", "M7"), ("9+", "E7", "Plus")])  # fmt: skip
def test_an_old_avi_level_is_a_range_on_the_new_scale(old: str, low: str, high: str) -> None:
    for written in (old, f"AVI {old}", f"avi-{old}"):
        level = parse_reading(written)
        assert level.converted
        assert (level.low, level.high) == (READING_CODES[low], READING_CODES[high])
        assert level.as_tutor == READING_CODES[low]  # a tutor counts at the low end
        assert level.as_tutee == READING_CODES[high]  # a tutee at the high end
        assert level.note == "levels.note.old_avi"


def test_every_old_avi_level_is_converted() -> None:
    assert [k for k in OLD_AVI_RANGES if k != "9+"] == [str(n) for n in range(1, 10)]


@pytest.mark.parametrize(
    ("written", "quality"),
    [("M5 beheersing", Quality.BEHEERSING), ("E4 (instructie)", Quality.INSTRUCTIE),
     ("M6 - frustratie", Quality.FRUSTRATIE), ("AVI-E5 beh", Quality.BEHEERSING), ("E3 instr", Quality.INSTRUCTIE)],
)  # fmt: skip
def test_a_quality_word_after_the_level_is_kept(written: str, quality: Quality) -> None:
    level = parse_reading(written)
    assert level.quality is quality
    assert level.code == written.split()[0].replace("AVI-", "")


@pytest.mark.parametrize("word", ["beheersing", "Instructie", "FRUSTRATIE", "beh", "instr", "frustr"])
def test_quality_words_are_recognised_alone(word: str) -> None:
    assert parse_quality(word) in set(Quality)


def test_an_unknown_quality_word_is_refused() -> None:
    with pytest.raises(LevelError):
        parse_quality("goed")


@pytest.mark.parametrize(
    ("written", "code", "index"),
    [("M3", "M3", 1), ("e3", "E3", 2), ("M 5", "M5", 5), ("E7", "E7", 10), ("B8", "B8", 10.5), ("M8", "M8", 11)],
)
def test_maths_functioneringsniveau_includes_b8_and_m8(written: str, code: str, index: float) -> None:
    level = parse_maths(written)
    assert (level.code, level.index, level.subject) == (code, index, Subject.REKENEN)


@pytest.mark.parametrize("band", ["I", "III", "V", "IV-", "A", "C", "E"])
def test_a_cito_band_in_the_maths_column_is_explained_not_misread(band: str) -> None:
    with pytest.raises(LevelError) as caught:
        parse_maths(band)
    assert caught.value.problems[0].code == "levels.maths_band"


@pytest.mark.parametrize("written", ["E8", "Start", "Plus", "M2", "7"])
def test_unknown_maths_levels_are_refused(written: str) -> None:
    with pytest.raises(LevelError) as caught:
        parse_maths(written)
    assert caught.value.problems[0].code == "levels.unknown_maths"


def test_reading_and_maths_share_one_ordered_index() -> None:
    assert parse_reading("M5").index == parse_maths("M5").index
    assert parse_reading("Plus").index == parse_maths("M8").index
    assert parse_reading("E7").index < parse_maths("B8").index < parse_maths("M8").index


def test_code_for_index_names_the_lowest_level_at_or_above() -> None:
    assert code_for_index(Subject.LEZEN, 6) == "E5"
    assert code_for_index(Subject.LEZEN, 5.5) == "E5"
    assert code_for_index(Subject.REKENEN, 10.5) == "B8"
    assert code_for_index(Subject.LEZEN, 12) == "Plus"
