"""Level notations from real pupil-tracking reports: ranges, below/above the scale, referentieniveaus.

Sources for the notations: AVI ranges as teachers write them between two cards (``AVI M4–E4``); Cito
functioneringsniveau reports ``<M3`` / ``>E7`` beyond the normed tests; referentieniveaus 1F/1S/2F as reported
by IEP (bureau-ice.nl) and the doorstroomtoets (centraleeindtoetspo.nl) and defined by SLO
(rekendoelen.slo.nl/refniveaus); collected in shared/domain/levels.md sections 2.2 and 2.3.
"""

from __future__ import annotations

from datetime import date

import pytest

from peermatch.costs import pair_terms
from peermatch.errors import LevelError
from peermatch.explain import pair_reasons
from peermatch.i18n import translate
from peermatch.levels import REFERENCE_RANGES, parse_level, parse_maths, parse_reading
from peermatch.model import Pupil, Quality, Subject
from peermatch.rules import Rules


@pytest.mark.parametrize(
    ("written", "code", "low", "high"),
    [
        ("AVI M4\u2013E4", "M4\u2013E4", 3, 4), ("M5-E5", "M5\u2013E5", 5, 6), ("M4 t/m E4", "M4\u2013E4", 3, 4),
        ("avi-m4 - avi-e4", "M4\u2013E4", 3, 4), ("E6/M7", "E6\u2013M7", 8, 9), ("Start-M3", "Start\u2013M3", 0, 1),
        ("E7 - Plus", "E7\u2013Plus", 10, 11), ("M5 - M5", "M5", 5, 5),
    ],
)  # fmt: skip
def test_an_avi_range_is_a_range_from_its_lower_to_its_upper_bound(
    written: str, code: str, low: float, high: float
) -> None:
    level = parse_reading(written)
    assert (level.code, level.low, level.high, level.written) == (code, low, high, written)
    assert level.note == ("levels.note.range" if low != high else None)
    assert not level.converted  # it is on the new scale, not the old one


def test_a_range_counts_at_its_lower_bound_for_a_tutor_and_its_upper_bound_for_a_tutee() -> None:
    level = parse_reading("AVI M4\u2013E4")
    assert (level.as_tutor, level.as_tutee) == (3, 4)
    rules = Rules(Subject.LEZEN, reference_date=date(2026, 3, 1))
    tutor = Pupil("1", "Tess", birth_date=date(2015, 1, 1), reading=parse_reading("M5-E6"))
    tutee = Pupil("2", "Ravi", birth_date=date(2016, 1, 1), reading=level)
    # M5 (5) as tutor minus E4 (4) as tutee: a margin of 1, not the 3 that the middles of the ranges give
    assert pair_terms(tutor, tutee, rules).margin == 1


def test_a_quality_word_after_a_range_is_kept() -> None:
    level = parse_reading("M5-E5 instructie")
    assert (level.code, level.quality) == ("M5\u2013E5", Quality.INSTRUCTIE)


def test_a_maths_range_of_functioneringsniveaus_is_read_too() -> None:
    level = parse_maths("E6-B8")
    assert (level.code, level.low, level.high, level.subject) == ("E6\u2013B8", 8, 10.5, Subject.REKENEN)


@pytest.mark.parametrize("subject", [Subject.LEZEN, Subject.REKENEN])
def test_a_reversed_range_is_refused(subject: Subject) -> None:
    with pytest.raises(LevelError) as caught:
        parse_level(subject, "E5-M4")
    assert caught.value.problems[0].code == "levels.range_reversed"
    assert "E5-M4" in translate("levels.range_reversed", "nl", value="E5-M4")


@pytest.mark.parametrize(("written", "bad"), [("M7-E8", "E8"), ("M8 - Plus", "M8"), ("AVI E7\u2013E8", "E8")])
def test_a_range_with_avi_m8_or_e8_is_still_refused_as_no_such_avi_level(written: str, bad: str) -> None:
    with pytest.raises(LevelError) as caught:
        parse_reading(written)
    assert caught.value.problems[0].code == "levels.avi_no_8"


@pytest.mark.parametrize(
    ("subject", "written", "code", "low", "high", "note"),
    [
        (Subject.LEZEN, "<M3", "<M3", 0, 1, "levels.note.below"),
        (Subject.LEZEN, ">E7", ">E7", 10, 11, "levels.note.above"),
        (Subject.REKENEN, "<M3", "<M3", 0, 1, "levels.note.below"),
        (Subject.REKENEN, ">E7", ">E7", 10, 11, "levels.note.above"),
        (Subject.REKENEN, "> M7", ">M7", 9, 11, "levels.note.above"),
    ],
)  # fmt: skip
def test_below_and_above_read_as_ranges_to_the_scales_end(
    subject: Subject, written: str, code: str, low: float, high: float, note: str
) -> None:
    level = parse_level(subject, written)
    assert (level.code, level.low, level.high, level.note) == (code, low, high, note)


@pytest.mark.parametrize(
    ("subject", "written"), [(Subject.LEZEN, "<Start"), (Subject.LEZEN, ">Plus"), (Subject.REKENEN, ">M8")]
)
def test_nothing_lies_beyond_the_ends_of_the_scale(subject: Subject, written: str) -> None:
    with pytest.raises(LevelError) as caught:
        parse_level(subject, written)
    assert caught.value.problems[0].code == "levels.beyond_end"


@pytest.mark.parametrize(
    ("written", "code", "low", "high"),
    [("1F", "1F", 8, 11), ("1f", "1F", 8, 11), ("1S", "1S", 9, 11), ("2F", "2F", 9, 11), ("<1F", "<1F", 1, 8)],
)
def test_referentieniveaus_rekenen_are_ranges_on_the_functioneringsniveau_scale(
    written: str, code: str, low: float, high: float
) -> None:
    level = parse_maths(written)
    assert (level.code, level.low, level.high, level.note) == (code, low, high, "levels.note.reference")
    assert REFERENCE_RANGES[code] == (low, high)


def test_the_referentieniveau_ranges_keep_their_order() -> None:
    below, fundamental, streef = (parse_maths(c) for c in ("<1F", "1F", "1S"))
    assert below.low < fundamental.low < streef.low
    assert below.high <= fundamental.low  # "not yet 1F" never counts above 1F


@pytest.mark.parametrize("written", ["2S", "3F", "3S", "4F"])
def test_secondary_school_referentieniveaus_are_refused(written: str) -> None:
    with pytest.raises(LevelError) as caught:
        parse_maths(written)
    assert caught.value.problems[0].code == "levels.reference_secondary"


@pytest.mark.parametrize("written", ["1F", "2F", "1S", "<1F"])
def test_a_referentieniveau_in_the_reading_column_is_refused_because_avi_is_technical_reading(written: str) -> None:
    with pytest.raises(LevelError) as caught:
        parse_reading(written)
    assert caught.value.problems[0].code == "levels.reference_reading"
    assert "technisch lezen" in translate("levels.reference_reading", "nl", value=written)
    assert "technical reading" in translate("levels.reference_reading", "en", value=written)


@pytest.mark.parametrize(("written", "code"), [("E8", "levels.avi_no_8"), ("M8", "levels.avi_no_8")])
def test_avi_e8_and_m8_stay_refused(written: str, code: str) -> None:
    with pytest.raises(LevelError) as caught:
        parse_reading(written)
    assert caught.value.problems[0].code == code


@pytest.mark.parametrize("band", ["I", "II", "III", "IV", "V", "A", "B", "C", "D", "E", "I+", "IV-"])
def test_cito_bands_stay_refused_with_the_existing_message(band: str) -> None:
    with pytest.raises(LevelError) as caught:
        parse_maths(band)
    assert caught.value.problems[0].code == "levels.maths_band"


def test_a_pair_with_a_range_says_how_the_range_was_counted() -> None:
    rules = Rules(Subject.LEZEN, reference_date=date(2026, 3, 1))
    tutor = Pupil("1", "Tess", birth_date=date(2014, 1, 1), reading=parse_reading("E6"))
    tutee = Pupil("2", "Ravi", birth_date=date(2016, 1, 1), reading=parse_reading("M4-E4"))
    reasons = pair_reasons(tutor, tutee, rules, pair_terms(tutor, tutee, rules), pinned=False)
    texts = [r.text("nl") for r in reasons if r.code == "levelfile.reason.range"]
    assert texts == [
        "Een niveau is een bereik (bijvoorbeeld M4–E4); daarom telt Tess op het laagste en Ravi op het hoogste "
        "niveau ervan."
    ]
