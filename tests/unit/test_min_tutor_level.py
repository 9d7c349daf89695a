"""The teacher's lever "minimum tutor level" (issue 13, item 7): stored on a programme, typed on the command line,
offered as a suggestion, and the children's pair card that speaks of maatjes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest_matching import tutee, tutor

import peermatch.printing as printing
from peermatch.cli import main
from peermatch.demo import generate_school, write_roster
from peermatch.diagnose import Unpaired
from peermatch.errors import RuleError
from peermatch.i18n import translate
from peermatch.levels import READING_CODES
from peermatch.matching import match
from peermatch.model import Subject
from peermatch.pairing import DEFAULT_RULES, MIN_TUTOR_LEVELS, apply_suggestion, rules_for
from peermatch.printing import PrintPair, pairs_pdf


def test_a_stored_minimum_level_becomes_the_rule_for_reading_and_for_maths() -> None:
    assert rules_for(Subject.LEZEN, {}, ["7A"], ["5A"]).min_tutor_level is None
    assert rules_for(Subject.LEZEN, {"min_tutor_level": "E6"}, ["7A"], ["5A"]).min_tutor_level == 8
    assert rules_for(Subject.REKENEN, {"min_tutor_level": "E6"}, ["7A"], ["5A"]).min_tutor_level == 8
    # Plus is AVI Plus for reading and M8 (the same index) for maths
    assert rules_for(Subject.LEZEN, {"min_tutor_level": "Plus"}, ["7A"], ["5A"]).min_tutor_level == 11
    assert rules_for(Subject.REKENEN, {"min_tutor_level": "Plus"}, ["7A"], ["5A"]).min_tutor_level == 11
    assert MIN_TUTOR_LEVELS[0] == "M3"
    assert MIN_TUTOR_LEVELS[-1] == "Plus"


def test_an_unknown_stored_level_is_refused_with_the_choices_named() -> None:
    with pytest.raises(RuleError) as caught:
        rules_for(Subject.LEZEN, {"min_tutor_level": "E9"}, ["7A"], ["5A"])
    (problem,) = caught.value.problems
    message = problem.message("nl")
    assert "E9" in message
    assert "M3" in message
    assert "Plus" in message


def test_the_programme_rule_keeps_tutors_below_the_minimum_out() -> None:
    pupils = [tutor("low", "E5"), tutee("e1", "M4")]
    without = match(pupils, rules_for(Subject.LEZEN, {}, ["6A"], ["4A"], reference_date=date(2026, 2, 1)))
    assert [p.tutor_number for p in without.pairs] == ["low"]
    stored = {"min_tutor_level": "E6"}
    strict = match(pupils, rules_for(Subject.LEZEN, stored, ["6A"], ["4A"], reference_date=date(2026, 2, 1)))
    assert not strict.pairs
    (unpaired,) = strict.unpaired
    assert unpaired.pupil_id == "e1"


def test_the_suggestion_to_lower_the_minimum_becomes_a_rule_change() -> None:
    lower = Unpaired(
        "e1", "x", suggestion_code="matching.suggestion.min_level", suggestion_params={"level": "E5", "now": "E6"}
    )
    assert apply_suggestion({"min_tutor_level": "E6"}, lower) == {**DEFAULT_RULES, "min_tutor_level": "E5"}


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_roster(generate_school(160, seed=11, today=date.today()), tmp_path_factory.mktemp("s") / "school.csv")


def _pairs(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["match", *args, "--format", "json"])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else {})


def test_the_command_line_takes_a_minimum_tutor_level(school: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, free = _pairs([str(school), "--subject", "lezen"], capsys)
    assert code == 0
    low_tutors = [p for p in free["pairs"] if READING_CODES.get(p["tutor_level"].removeprefix("AVI ").strip(), 0) < 10]
    assert low_tutors, "the demo school has tutors below E7 when no minimum is set"
    code, strict = _pairs([str(school), "--subject", "lezen", "--min-tutor-level", "AVI E7"], capsys)
    assert code == 0
    assert strict["pairs"], "some tutors read at E7 or Plus"
    levels = {p["tutor_level"].removeprefix("AVI ").strip() for p in strict["pairs"]}
    assert levels <= {"E7", "Plus"}, levels


def test_an_impossible_minimum_level_on_the_command_line_exits_1_with_a_message(
    school: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["match", str(school), "--subject", "lezen", "--min-tutor-level", "E9"]) == 1
    assert "E9" in capsys.readouterr().err


def test_the_pair_card_speaks_of_maatjes_and_the_teachers_list_of_tutor_and_tutee(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def recording(code: str, lang: str, **params: object) -> str:
        asked.append(code)
        return translate(code, lang, **params)

    monkeypatch.setattr(printing, "translate", recording)
    pdf = pairs_pdf("Tutorlezen", "Lezen", [PrintPair("Daan de Jong", "Daan", "7A", "Sara Öztürk", "Sara", "5A")])
    assert pdf.startswith(b"%PDF-")
    assert asked.count("ui.print.card_tutor") == 1
    assert asked.count("ui.print.card_tutee") == 1
    assert asked.count("ui.print.tutor") == 1  # the list page's heading only
    assert "maatje" in translate("ui.print.card_tutor", "nl")
    assert "maatje" in translate("ui.print.card_tutee", "nl")
