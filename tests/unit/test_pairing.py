"""Glue between stored programmes and the matcher: rules, drafts, explanations, suggestions, replacement tutor."""

from __future__ import annotations

import pytest
from conftest_matching import REF, make_rules, tutee, tutor

from peermatch.diagnose import Unpaired
from peermatch.errors import RuleError
from peermatch.matching import match
from peermatch.model import Subject
from peermatch.pairing import (
    DEFAULT_RULES,
    apply_suggestion,
    drafts,
    explain,
    replacement_tutor,
    rules_for,
    swap_tutors,
    unpaired_from_json,
    unpaired_to_json,
)
from peermatch.rules import Objective


def test_rules_for_a_programme_take_the_defaults_for_what_is_not_stored() -> None:
    rules = rules_for(Subject.LEZEN, {"margin": 1.5, "objective": "best_only", "junk": 3}, ["7A"], ["5A"])
    assert rules.margin == 1.5
    assert rules.objective is Objective.BEST_ONLY
    assert rules.capacity == DEFAULT_RULES["capacity"]
    assert rules.tutor_groups == frozenset({"7A"})
    assert rules.tutee_groups == frozenset({"5A"})


def test_drafts_keep_the_pairs_and_their_reasons_for_any_language() -> None:
    result = match([tutor("t1"), tutee("e1")], make_rules())
    (draft,) = drafts(result)
    assert (draft.tutor_number, draft.tutee_number, draft.pinned) == ("t1", "e1", False)
    assert explain(draft.explanation, "nl") == result.pairs[0].explanation("nl")
    assert explain(draft.explanation, "en") == result.pairs[0].explanation("en")
    assert explain("al tekst") == "al tekst"


def test_a_margin_suggestion_becomes_a_rule_change_and_a_level_suggestion_does_not() -> None:
    margin = Unpaired("e1", "x", suggestion_code="matching.suggestion.margin", suggestion_params={"value_levels": 1.0})
    assert apply_suggestion({"capacity": 2}, margin) == {**DEFAULT_RULES, "capacity": 2, "margin": 1.0}
    capacity = Unpaired("e1", "x", suggestion_code="matching.suggestion.capacity", suggestion_params={"capacity": 2})
    assert apply_suggestion({}, capacity) == {**DEFAULT_RULES, "capacity": 2}
    level = Unpaired("e1", "x", suggestion_code="matching.suggestion.add_level_lezen")
    assert apply_suggestion({}, level) is None


def test_replacement_takes_only_a_free_tutor_and_never_the_one_who_left() -> None:
    pupils = [tutor("t1"), tutor("t2", level="E7"), tutor("t3"), tutee("e1"), tutee("e2")]
    rules = make_rules(reference_date=REF)
    pair = replacement_tutor(pupils, rules, "e1", load={"t2": 1}, exclude=["t1"])
    assert pair is not None
    assert (pair.tutor_number, pair.tutee_number) == ("t3", "e1")  # t1 left, t2 is busy


def test_no_replacement_when_every_suitable_tutor_is_busy() -> None:
    pupils = [tutor("t1"), tutor("t2"), tutee("e1")]
    assert replacement_tutor(pupils, make_rules(reference_date=REF), "e1", load={"t2": 1}, exclude=["t1"]) is None
    assert replacement_tutor(pupils, make_rules(reference_date=REF), "nobody", load={}) is None


def test_unpaired_tutees_survive_a_round_trip_through_json() -> None:
    result = match([tutor("t1"), tutee("e1"), tutee("e2")], make_rules(reference_date=REF))
    assert result.unpaired
    back = unpaired_from_json(unpaired_to_json(result))
    assert [(u.pupil_id, u.reason("en"), u.suggestion("nl")) for u in back] == [
        (u.pupil_id, u.reason("en"), u.suggestion("nl")) for u in result.unpaired
    ]
    assert unpaired_from_json([{"junk": 1}, "x", None]) == []


def test_swapping_two_tutors_gives_the_two_crossed_pairs() -> None:
    pupils = [tutor("t1"), tutor("t2", level="E7"), tutee("e1"), tutee("e2")]
    new = swap_tutors(pupils, make_rules(reference_date=REF), ("t1", "e1"), ("t2", "e2"))
    assert new == (("t2", "e1"), ("t1", "e2"))


def test_a_swap_that_breaks_a_hard_rule_is_refused_with_the_rule_named() -> None:
    pupils = [tutor("t1"), tutor("t2"), tutee("e1"), tutee("e2", level="M6")]  # t1 (E6) is not 2 levels past M6
    with pytest.raises(RuleError) as caught:
        swap_tutors(pupils, make_rules(reference_date=REF), ("t2", "e1"), ("t1", "e2"))
    (problem,) = caught.value.problems
    assert problem.code == "matching.pin.margin"
    assert "Kindt2" in caught.value.message("nl")
    assert "Kinde2" in caught.value.message("nl")


def test_a_swap_into_a_forbidden_pair_or_with_one_tutor_is_refused() -> None:
    pupils = [tutor("t1"), tutor("t2"), tutee("e1"), tutee("e2")]
    rules = make_rules(reference_date=REF)
    with pytest.raises(RuleError) as forbidden:
        swap_tutors(pupils, rules, ("t1", "e1"), ("t2", "e2"), forbids=[("t2", "e1")])
    assert [p.code for p in forbidden.value.problems] == ["matching.pin.forbidden"]
    with pytest.raises(RuleError) as same:
        swap_tutors(pupils, rules, ("t1", "e1"), ("t1", "e2"))
    assert "dezelfde tutor" in same.value.message("nl")
