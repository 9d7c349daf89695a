"""The matcher end to end: pairs, objectives, pins, forbids, determinism, output and speed."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest
from conftest_matching import REF, make_rules, pupil, tutee, tutor

import peermatch.matching as matching
from peermatch.errors import RuleError
from peermatch.matching import match
from peermatch.model import Pupil, Role, Subject
from peermatch.rules import Objective, Weights


def _pairs(result: matching.MatchResult) -> set[tuple[str, str]]:
    return {(p.tutor_number, p.tutee_number) for p in result.pairs}


def _school(n: int, seed: int) -> list[Pupil]:
    """``n`` pupils in groep 3-8 with levels around their grade; groep 6-8 tutor, groep 3-5 are tutored."""
    rng = random.Random(seed)
    codes = ["Start", "M3", "E3", "M4", "E4", "M5", "E5", "M6", "E6", "M7", "E7", "Plus"]
    out = []
    for k in range(n):
        grade = 3 + k * 6 // n
        level = codes[min(max(round(rng.gauss(2 * grade - 5, 1.5)), 0), 11)]
        make = tutor if grade >= 6 else tutee
        out.append(
            make(
                f"{k:05d}", level=level, months=int((grade + 3.5) * 12 + rng.randint(-6, 6)), group=f"{grade}{k % 3}",
                grade=grade, motivation=rng.choice([None, 1, 2, 3, 4, 5]),
            )
        )  # fmt: skip
    return out


# --------------------------------------------------------------------------------------------- pairs


def test_a_tutee_is_paired_with_the_one_tutor_who_keeps_every_rule() -> None:
    pupils = [
        tutee("e", name="Sara", level="M4", months=104),
        tutor("t1", level="E4", months=120),  # only 1 level ahead
        tutor("t2", level="E6", months=150),  # 46 months older
        tutor("t3", level="E6", months=118, group="4A"),  # same class
        tutor("t4", name="Daan", level="E5", months=118, group="6B"),
    ]
    result = match(pupils, make_rules())
    assert _pairs(result) == {("t4", "e")}
    assert result.unpaired == ()
    assert set(result.unused_tutors) == {"t1", "t2", "t3"}


def test_a_pair_explains_itself_in_dutch_and_english() -> None:
    pupils = [tutee("e", name="Sara", level="M4", months=104), tutor("t", name="Daan", level="E5", months=118)]
    (pair,) = match(pupils, make_rules()).pairs
    assert pair.explanation("nl").startswith("Daan leest E5, Sara M4: 3 niveaus verschil. Daan is 1 jaar en 2 maanden")
    assert pair.explanation("en").startswith(
        "Daan reads at E5, Sara at M4: 3 levels apart. Daan is 1 year and 2 months"
    )
    assert pair.explanation() == pair.explanation("nl")
    assert sum(r.cost for r in pair.reasons) == pair.cost == 2 + 0 + 8  # age 14 vs 12; margin 3 = ideal; motivation ?


def test_most_pairs_pairs_everyone_it_can_even_if_a_cheaper_set_pairs_fewer() -> None:
    # t1 is ideal for both e1 and e2; only e1 can also use t2 (a poor pair). Most pairs: e1-t2, e2-t1.
    pupils = [
        tutee("e1", level="M4", months=104),
        tutee("e2", level="M4", months=104, group="4B"),
        tutor("t1", level="E5", months=116, motivation=5),
        tutor("t2", level="E7", months=138, motivation=1, not_with=("e2",)),
    ]
    result = match(pupils, make_rules())
    assert _pairs(result) == {("t2", "e1"), ("t1", "e2")}
    assert result.summary.paired == result.summary.max_possible_pairs == 2


def test_among_solutions_with_most_pairs_the_cheapest_is_chosen() -> None:
    pupils = [
        tutee("e1", level="M4", months=104),
        tutee("e2", level="E4", months=110, group="4B"),
        tutor("t1", level="E5", months=116),  # ideal for e1 (margin 3), margin 2 for e2
        tutor("t2", level="M6", months=122),  # margin 4 for e1, ideal for e2
    ]
    result = match(pupils, make_rules())
    assert _pairs(result) == {("t1", "e1"), ("t2", "e2")}
    assert result.summary.total_cost == sum(p.cost for p in result.pairs)


def test_when_tutors_are_scarce_the_tutee_furthest_behind_goes_first() -> None:
    pupils = [
        tutee("e1", level="M4", months=104, grade=4),  # on level for groep 4 (M4 = 3)
        tutee("e2", level="M4", months=104, grade=5, group="5A"),  # 2 levels behind groep 5
        tutor("t", level="E5", months=118),
    ]
    result = match(pupils, make_rules())
    assert _pairs(result) == {("t", "e2")}
    assert (
        "Kinde2 krijgt voorrang: 2 niveaus onder het gebruikelijke niveau in groep 5." in result.pairs[0].explanation()
    )
    assert [u.pupil_id for u in result.unpaired] == ["e1"]


def test_a_tutor_helps_as_many_tutees_as_the_capacity_allows() -> None:
    pupils = [tutee("e1"), tutee("e2", group="4B"), tutee("e3", group="4C"), tutor("t")]
    assert len(match(pupils, make_rules(capacity=1)).pairs) == 1
    assert len(match(pupils, make_rules(capacity=2)).pairs) == 2
    assert {p.tutor_number for p in match(pupils, make_rules(capacity=3)).pairs} == {"t"}


def test_tutees_without_a_level_or_birth_date_stay_unpaired_with_the_reason() -> None:
    pupils = [tutee("e1", name="Sara", level=None), tutee("e2", name="Ali", months=None), tutor("t")]
    result = match(pupils, make_rules())
    reasons = {u.pupil_id: u.reason("nl") for u in result.unpaired}
    assert reasons["e1"] == "Van Sara is geen AVI-niveau bekend."
    assert "geboortedatum van Ali ontbreekt" in reasons["e2"]
    assert {u.pupil_id: u.suggestion("en") for u in result.unpaired}["e1"] == "Enter Sara's AVI level."


def test_a_tutor_without_a_level_is_never_used() -> None:
    result = match([tutee("e"), tutor("t", level=None)], make_rules())
    assert result.pairs == ()
    assert result.unused_tutors == ("t",)


def test_open_pupils_take_part_through_the_programme_groups() -> None:
    pupils = [
        pupil("a", role=Role.OPEN, level="M4", months=104, group="4A", grade=4),
        pupil("b", role=Role.OPEN, level="E5", months=118, group="6A", grade=6),
        pupil("c", role=Role.OPEN, level="E5", months=118, group="5A", grade=5),
    ]
    rules = make_rules(tutor_groups=frozenset({"6", "5A"}), tutee_groups=frozenset({"4", "5"}))
    result = match(pupils, rules)
    assert _pairs(result) == {("b", "a")}
    assert result.summary.left_out == ("c",)  # OPEN and in both groups: takes no part
    assert (result.summary.tutees, result.summary.tutors) == (1, 1)


def test_duplicate_pupil_ids_are_refused() -> None:
    with pytest.raises(RuleError) as err:
        match([tutee("e"), tutor("e")], make_rules())
    assert "'e'" in err.value.message("nl")


def test_invalid_rules_are_refused_before_matching() -> None:
    with pytest.raises(RuleError):
        match([tutee("e"), tutor("t")], make_rules(capacity=5))


def test_without_a_reference_date_ages_count_from_today() -> None:
    result = match([tutee("e"), tutor("t")], make_rules(reference_date=None))
    assert result.summary.reference_date is not None
    assert len(result.pairs) == 1  # the gap stays 16 months whatever today is


# --------------------------------------------------------------------------------------------- objectives


def _poor_pair_roster() -> list[Pupil]:
    # e1 has only a poor pair (t1: 34 months older, 8 levels ahead); e2 has a good one.
    return [
        tutee("e1", level="Start", months=90),
        tutee("e2", level="M4", months=104, group="4B"),
        tutor("t1", level="E6", months=124, motivation=2),
        tutor("t2", level="E5", months=116, motivation=5, not_with=("e1",)),
    ]


def test_most_pairs_accepts_a_poor_pair_and_best_only_refuses_it() -> None:
    pupils = _poor_pair_roster()
    most = match(pupils, make_rules())
    best = match(pupils, make_rules(objective=Objective.BEST_ONLY))
    assert _pairs(most) == {("t1", "e1"), ("t2", "e2")}
    assert _pairs(best) == {("t2", "e2")}
    poor = next(p for p in most.pairs if p.tutee_number == "e1")
    assert poor.cost > Weights().poor_pair
    (left,) = best.unpaired
    assert left.kind == "poor"
    assert left.suggestion_code == "matching.suggestion.most_pairs"
    assert best.summary.max_possible_pairs == 2
    assert best.summary.paired == 1


def test_best_only_never_returns_a_pair_above_the_threshold() -> None:
    pupils = _school(300, seed=3)
    for threshold in (10, 20, 30):
        rules = make_rules(objective=Objective.BEST_ONLY, weights=Weights(poor_pair=threshold))
        result = match(pupils, rules)
        assert all(p.cost <= threshold for p in result.pairs)
    assert len(result.pairs) <= len(match(pupils, make_rules()).pairs)


# --------------------------------------------------------------------------------------------- pins and forbids


def test_a_pin_is_kept_even_when_another_pair_would_be_cheaper() -> None:
    pupils = [tutee("e"), tutor("good", level="E5", months=116, motivation=5), tutor("ok", level="E7", months=140)]
    assert _pairs(match(pupils, make_rules())) == {("good", "e")}
    result = match(pupils, make_rules(), pins=[("ok", "e")])
    assert _pairs(result) == {("ok", "e")}
    assert result.pairs[0].pinned
    assert result.summary.pinned == 1
    assert result.pairs[0].explanation("nl").startswith("Dit paar is vastgezet door de leerkracht.")


def test_a_pin_uses_up_the_tutors_capacity_and_the_rest_is_reoptimised() -> None:
    pupils = [tutee("e1"), tutee("e2", group="4B"), tutor("t1", motivation=5), tutor("t2", motivation=1)]
    result = match(pupils, make_rules(), pins=[("t1", "e2")])
    assert _pairs(result) == {("t1", "e2"), ("t2", "e1")}
    assert [p.pinned for p in sorted(result.pairs, key=lambda p: p.tutee_number)] == [False, True]


def test_a_pin_that_breaks_a_hard_rule_is_refused_naming_both_pupils() -> None:
    pupils = [tutee("e", name="Sara", level="M4"), tutor("t", name="Daan", level="E4")]
    with pytest.raises(RuleError) as err:
        match(pupils, make_rules(), pins=[("t", "e")])
    assert [p.code for p in err.value.problems] == ["matching.pin.margin"]
    assert "Daan – Sara" in err.value.message("nl")
    assert "Daan – Sara" in err.value.message("en")


@pytest.mark.parametrize(
    ("pins", "code"),
    [
        ([("ghost", "e1")], "matching.pin.unknown"),
        ([("e2", "e1")], "matching.pin.not_tutor"),
        ([("t1", "t2")], "matching.pin.not_tutee"),
        ([("t1", "e1"), ("t2", "e1")], "matching.pin.tutee_twice"),
        ([("t1", "e1"), ("t1", "e2")], "matching.pin.capacity"),
        ([("t1", "e3")], "matching.pin.forbidden"),
    ],
)
def test_impossible_pins_are_refused(pins: list[tuple[str, str]], code: str) -> None:
    pupils = [tutee("e1"), tutee("e2", group="4B"), tutee("e3", not_with=("t1",)), tutor("t1"), tutor("t2")]
    with pytest.raises(RuleError) as err:
        match(pupils, make_rules(), pins=pins)
    assert code in {p.code for p in err.value.problems}
    assert err.value.message("nl") != err.value.message("en")


def test_the_same_pin_given_twice_counts_once() -> None:
    result = match([tutee("e"), tutor("t")], make_rules(), pins=[("t", "e"), ("t", "e")])
    assert _pairs(result) == {("t", "e")}


@pytest.mark.parametrize("forbid", [("t1", "e"), ("e", "t1")])
def test_a_forbidden_pair_is_never_made_whichever_way_it_is_written(forbid: tuple[str, str]) -> None:
    pupils = [tutee("e"), tutor("t1", motivation=5), tutor("t2", motivation=1)]
    assert _pairs(match(pupils, make_rules())) == {("t1", "e")}
    assert _pairs(match(pupils, make_rules(), forbids=[forbid])) == {("t2", "e")}


@pytest.mark.parametrize("side", ["tutee", "tutor"])
def test_not_with_on_either_pupil_forbids_the_pair(side: str) -> None:
    e = tutee("e", not_with=("t1",) if side == "tutee" else ())
    t1 = tutor("t1", motivation=5, not_with=("e",) if side == "tutor" else ())
    assert _pairs(match([e, t1, tutor("t2", motivation=1)], make_rules())) == {("t2", "e")}


def test_a_forbid_naming_an_unknown_pupil_is_refused() -> None:
    with pytest.raises(RuleError) as err:
        match([tutee("e"), tutor("t")], make_rules(), forbids=[("t", "nobody")])
    assert "'nobody'" in err.value.message("en")


def test_not_with_naming_a_pupil_outside_the_list_is_ignored() -> None:
    assert len(match([tutee("e", not_with=("elsewhere",)), tutor("t")], make_rules()).pairs) == 1


# --------------------------------------------------------------------------------------------- determinism


def test_the_same_roster_in_another_row_order_gives_the_same_pairs() -> None:
    pupils = _school(600, seed=11)
    for capacity in (1, 2):
        rules = make_rules(capacity=capacity)
        first = match(pupils, rules)
        for seed in (1, 2):
            shuffled = pupils[:]
            random.Random(seed).shuffle(shuffled)
            again = match(shuffled, rules)
            assert again.pairs == first.pairs
            assert again.unpaired == first.unpaired


def test_dense_and_sparse_solvers_reach_the_same_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    pupils = _school(240, seed=5)
    rules = make_rules(capacity=2)
    monkeypatch.setattr(matching, "DENSE_MAX_CELLS", 10**9)
    dense = match(pupils, rules)
    monkeypatch.setattr(matching, "DENSE_MAX_CELLS", 0)
    sparse = match(pupils, rules)
    assert (dense.summary.solver, sparse.summary.solver) == ("dense", "sparse")
    assert (len(dense.pairs), dense.summary.total_cost) == (len(sparse.pairs), sparse.summary.total_cost)


def test_separate_parts_of_the_school_are_solved_on_their_own() -> None:
    far = [tutee("x", level="M4", months=60, group="1A"), tutor("y", level="E5", months=70, group="2A")]
    result = match([tutee("e"), tutor("t"), *far], make_rules())
    assert result.summary.components == 2
    assert _pairs(result) == {("t", "e"), ("y", "x")}


# --------------------------------------------------------------------------------------------- output


def test_the_result_turns_into_json_with_names_levels_and_explanations() -> None:
    pupils = [tutee("e", name="Sara"), tutor("t", name="Daan", level="E5", months=118), tutee("x", level=None)]
    payload = match(pupils, make_rules()).to_dict("en")
    json.dumps(payload)
    (pair,) = payload["pairs"]
    assert pair["tutor_name"] == "Daan"
    assert pair["tutee_name"] == "Sara"
    assert (pair["tutor_level"], pair["tutee_level"], pair["age_gap_months"]) == ("E5", "M4", 14)
    assert pair["explanation"].startswith("Daan reads at E5")
    (left,) = payload["unpaired"]
    assert left["pupil_id"] == "x"
    assert left["reason"]
    assert left["suggestion"]
    summary = payload["summary"]
    assert (summary["tutees"], summary["tutors"], summary["paired"], summary["unpaired"]) == (2, 1, 1, 1)
    assert set(summary["timings"]) == {"build_s", "solve_s", "explain_s"}
    assert payload["rules"]["reference_date"] == REF.isoformat()


def test_progress_is_reported_from_zero_to_one_with_short_messages() -> None:
    seen: list[tuple[float, str]] = []
    match([tutee("e"), tutor("t")], make_rules(), progress=lambda f, msg: seen.append((f, msg)), lang="en")
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0
    assert fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert all(msg and len(msg) < 40 for _, msg in seen)
    assert seen[-1][1] == "Done"


def test_a_school_of_a_thousand_pupils_is_matched_and_explained_quickly() -> None:
    pupils = _school(1000, seed=1)
    result = match(pupils, make_rules(capacity=1))
    s = result.summary
    assert s.paired > 300
    assert s.build_s + s.solve_s + s.explain_s < 1.0  # measured about 0.05 s; generous for a busy machine
    assert all(u.reason("nl") for u in result.unpaired)


def test_changing_a_rule_field_keeps_the_other_defaults() -> None:
    rules = replace(make_rules(), capacity=2)
    assert rules.margin == 2
    assert rules.capacity == 2


def test_maths_pairs_use_the_maths_levels_and_words() -> None:
    daan = pupil("t", role=Role.TUTOR, level=None, maths="E5", months=118, group="6A", name="Daan")
    sara = pupil("e", role=Role.TUTEE, level="E7", maths="M4", months=104, group="4A", name="Sara")
    ali = pupil("x", role=Role.TUTEE, level="M4", maths=None, months=104, group="4B", name="Ali")
    result = match([daan, sara, ali], make_rules(subject=Subject.REKENEN))
    assert _pairs(result) == {("t", "e")}
    assert result.pairs[0].explanation("nl").startswith("Daan rekent op niveau E5, Sara op M4: 3 niveaus verschil.")
    assert result.unpaired[0].reason("nl") == "Van Ali is geen rekenniveau (functioneringsniveau) bekend."


def test_the_most_possible_pairs_count_the_pins() -> None:
    pupils = [tutee("e1"), tutee("e2", group="4B"), tutee("e3", level="E7"), tutor("t1"), tutor("t2")]
    result = match(pupils, make_rules(), pins=[("t2", "e2")])
    assert result.summary.max_possible_pairs == 2
    assert result.summary.paired == 2
    assert result.summary.total_cost == sum(p.cost for p in result.pairs)
