"""Matching rules, who takes part, hard-rule feasibility and the soft cost terms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
from conftest_matching import REF, make_rules, pupil, tutee, tutor

from peermatch.costs import (
    Side,
    build_edges,
    need_bonus,
    pair_terms,
    pin_problems,
)
from peermatch.errors import RuleError
from peermatch.explain import format_levels, format_months, pair_reasons
from peermatch.model import Pupil, Role, Subject
from peermatch.rules import (
    SAME_AGE_MIN_GAP_MONTHS,
    Objective,
    Rules,
    Weights,
    expected_index,
    levels_behind,
    tutee_candidate,
    tutor_candidate,
)


def _edges(
    tutees: list[Pupil], tutors: list[Pupil], rules: Rules, forbidden: set[int] | None = None
) -> set[tuple[str, str]]:
    groups: dict[str, int] = {}
    e = Side.build(tutees, rules, tutors=False, groups=groups)
    t = Side.build(tutors, rules, tutors=True, groups=groups)
    edges = build_edges(e, t, rules, forbidden or set())
    return {(t.ids[j], e.ids[i]) for i, j in zip(edges.tutee, edges.tutor, strict=True)}


# --------------------------------------------------------------------------------------------- rules


def test_the_defaults_follow_the_reading_guidance() -> None:
    rules = Rules(Subject.LEZEN)
    assert rules.margin == 2
    assert (rules.min_age_gap_months, rules.max_age_gap_months) == (6, 36)
    assert rules.capacity == 1
    assert rules.objective is Objective.MOST_PAIRS
    assert (rules.ideal_age_gap_months, rules.ideal_margin) == (12, 3)
    rules.validate()


@pytest.mark.parametrize("capacity", [0, 4, -1])
def test_a_capacity_outside_one_to_three_is_refused(capacity: int) -> None:
    with pytest.raises(RuleError) as err:
        make_rules(capacity=capacity).validate()
    assert [p.code for p in err.value.problems] == ["matching.rule.capacity_range"]
    assert "1, 2 of 3" in err.value.message("nl")
    assert "1, 2 or 3" in err.value.message("en")


def test_every_problem_with_the_rules_is_reported_at_once() -> None:
    bad = make_rules(margin=0.3, min_age_gap_months=40, max_age_gap_months=20, weights=Weights(age_gap=-1))
    with pytest.raises(RuleError) as err:
        bad.validate()
    codes = {p.code for p in err.value.problems}
    assert codes == {"matching.rule.margin_range", "matching.rule.age_range", "matching.rule.weight_range"}
    assert "age_gap" in err.value.message("en")


def test_each_weight_has_a_dutch_and_an_english_explanation() -> None:
    for name in ("age_gap", "margin", "motivation", "need", "poor_pair"):
        nl, en = Weights.describe(name, "nl"), Weights.describe(name, "en")
        assert nl != en
        assert "matching.weight" not in nl + en


def test_same_age_lets_the_tutor_be_up_to_a_year_younger() -> None:
    assert make_rules().lowest_age_gap_months == 6
    assert make_rules(allow_same_age=True).lowest_age_gap_months == SAME_AGE_MIN_GAP_MONTHS == -12


# --------------------------------------------------------------------------------------------- who takes part


def test_roles_decide_who_tutors_and_who_is_tutored() -> None:
    rules = make_rules()
    assert tutor_candidate(tutor("t"), rules)
    assert not tutee_candidate(tutor("t"), rules)
    assert tutee_candidate(tutee("e"), rules)
    assert not tutor_candidate(tutee("e"), rules)
    nobody = pupil("n", role=Role.NONE, level="E6", months=120, group="6A")
    open_pupil = pupil("o", role=Role.OPEN, level="E6", months=120, group="6A")
    for p in (nobody, open_pupil):  # OPEN takes part only through the programme's groups
        assert not tutor_candidate(p, rules)
        assert not tutee_candidate(p, rules)


def test_open_pupils_follow_the_tutor_and_tutee_groups_by_class_or_grade() -> None:
    rules = make_rules(tutor_groups=frozenset({"7"}), tutee_groups=frozenset({"4a"}))
    by_grade = pupil("o1", role=Role.OPEN, level="E6", months=130, group="7B", grade=7)
    by_class = pupil("o2", role=Role.OPEN, level="M4", months=100, group="4A ", grade=4)
    assert tutor_candidate(by_grade, rules)
    assert not tutee_candidate(by_grade, rules)
    assert tutee_candidate(by_class, rules)
    assert not tutor_candidate(by_class, rules)


def test_an_open_pupil_in_both_tutor_and_tutee_groups_takes_no_part() -> None:
    rules = make_rules(tutor_groups=frozenset({"5"}), tutee_groups=frozenset({"5B"}))
    both = pupil("o", role=Role.OPEN, level="E5", months=110, group="5B", grade=5)
    assert not tutor_candidate(both, rules)
    assert not tutee_candidate(both, rules)


def test_tutor_groups_also_limit_pupils_whose_role_is_tutor() -> None:
    rules = make_rules(tutor_groups=frozenset({"7"}))
    assert not tutor_candidate(tutor("t", group="6A", grade=6), rules)
    assert tutor_candidate(tutor("t", group="7A", grade=7), rules)


# --------------------------------------------------------------------------------------------- hard rules


def test_the_tutor_must_be_at_least_the_margin_ahead() -> None:
    rules = make_rules()
    e = [tutee("e", level="M4")]  # index 3
    assert _edges(e, [tutor("t", level="M5")], rules) == {("t", "e")}  # 5 - 3 = 2
    assert _edges(e, [tutor("t", level="E4")], rules) == set()  # 4 - 3 = 1
    assert _edges(e, [tutor("t", level="E4")], replace(rules, margin=1)) == {("t", "e")}


def test_a_converted_old_avi_level_counts_low_for_the_tutor_and_high_for_the_tutee() -> None:
    rules = make_rules()
    old_tutor = tutor("t", level="AVI 7")  # E5..M6 -> counts as E5 (6)
    assert _edges([tutee("e", level="M4")], [old_tutor], rules) == {("t", "e")}  # 6 - 3 = 3
    old_tutee = tutee("e", level="AVI 5")  # M4..M5 -> counts as M5 (5)
    assert _edges([old_tutee], [tutor("t", level="M6")], rules) == {("t", "e")}  # 7 - 5 = 2
    assert _edges([old_tutee], [tutor("t", level="E5")], rules) == set()  # 6 - 5 = 1


def test_the_tutor_must_reach_the_minimum_tutor_level() -> None:
    rules = make_rules(min_tutor_level=7)  # M6
    assert _edges([tutee("e", level="E3")], [tutor("t", level="E5")], rules) == set()
    assert _edges([tutee("e", level="E3")], [tutor("t", level="M6")], rules) == {("t", "e")}


@pytest.mark.parametrize(("gap", "ok"), [(5, False), (6, True), (36, True), (37, False), (-3, False)])
def test_the_age_gap_bounds_are_inclusive(gap: int, ok: bool) -> None:
    rules = make_rules()
    assert bool(_edges([tutee("e", months=100)], [tutor("t", months=100 + gap)], rules)) is ok


def test_same_age_allows_a_slightly_younger_tutor_but_not_more_than_a_year() -> None:
    rules = make_rules(allow_same_age=True)
    assert _edges([tutee("e", months=100)], [tutor("t", months=90)], rules) == {("t", "e")}
    assert _edges([tutee("e", months=100)], [tutor("t", months=87)], rules) == set()


def test_pupils_in_the_same_class_are_not_paired_unless_allowed() -> None:
    e, t = [tutee("e", group="5B")], [tutor("t", group=" 5b", months=120)]
    assert _edges(e, t, make_rules()) == set()
    assert _edges(e, t, make_rules(allow_same_class=True)) == {("t", "e")}


def test_an_unknown_class_never_counts_as_the_same_class() -> None:
    assert _edges([tutee("e", group="")], [tutor("t", group="")], make_rules()) == {("t", "e")}


def test_forbidden_pairs_are_left_out_of_the_candidates() -> None:
    rules = make_rules()
    e, t = [tutee("e1"), tutee("e2")], [tutor("t1"), tutor("t2")]
    # key = tutee index * number of tutors + tutor index: forbid e1-t2 (0 * 2 + 1)
    assert _edges(e, t, rules, {1}) == {("t1", "e1"), ("t1", "e2"), ("t2", "e2")}


# --------------------------------------------------------------------------------------------- soft costs


def test_each_cost_term_counts_points_from_its_ideal() -> None:
    rules = make_rules()
    terms = pair_terms(tutor("t", level="E6", months=120, motivation=2), tutee("e", level="M4", months=104), rules)
    assert terms.margin == 5
    assert terms.age_gap_months == 16
    assert terms.age_cost == 4  # |16 - 12| months x 1
    assert terms.margin_cost == 12  # |5 - 3| levels x 6
    assert terms.motivation_cost == 12  # (5 - 2) x 4
    assert terms.cost == 28


def test_an_unknown_motivation_costs_like_a_middling_three() -> None:
    rules = make_rules()
    unknown = pair_terms(tutor("t", motivation=None), tutee("e"), rules)
    three = pair_terms(tutor("t", motivation=3), tutee("e"), rules)
    assert unknown.motivation_cost == three.motivation_cost == 8


def test_a_half_level_margin_cost_is_rounded_half_up() -> None:
    rules = make_rules(subject=Subject.REKENEN, weights=Weights(margin=3))
    t = pupil("t", role=Role.TUTOR, level=None, maths="B8", months=150, group="8A")  # 10.5
    e = pupil("e", role=Role.TUTEE, level=None, maths="E5", months=130, group="6A")  # 6
    assert pair_terms(t, e, rules).margin_cost == 5  # 3 x 1.5 = 4.5 -> 5


def test_the_vectorised_costs_equal_the_per_pair_costs() -> None:
    rng = np.random.default_rng(7)
    codes = ["Start", "M3", "E3", "M4", "E4", "M5", "E5", "M6", "E6", "M7", "E7", "Plus", "AVI 6", "AVI 9"]

    def make(fn: Callable[..., Pupil], k: int) -> Pupil:
        return fn(
            f"{k}", level=str(rng.choice(codes)), months=int(rng.integers(70, 160)),
            group=str(rng.choice(["4A", "6A"])), motivation=None if rng.random() < 0.2 else int(rng.integers(1, 6)),
        )  # fmt: skip

    tutees, tutors = [make(tutee, k) for k in range(40)], [make(tutor, 100 + k) for k in range(40)]
    rules = make_rules(
        weights=Weights(age_gap=2, margin=5, motivation=3), ideal_margin=2.5, margin=0, allow_same_age=True,
        min_age_gap_months=-120, max_age_gap_months=120, allow_same_class=True,
    )  # fmt: skip
    groups: dict[str, int] = {}
    e, t = Side.build(tutees, rules, tutors=False, groups=groups), Side.build(tutors, rules, tutors=True, groups=groups)
    edges = build_edges(e, t, rules)
    assert edges.size > 500
    scalar = [pair_terms(tutors[j], tutees[i], rules).cost for i, j in zip(edges.tutee, edges.tutor, strict=True)]
    assert edges.cost.tolist() == scalar


def test_a_tutee_behind_their_grade_gets_a_bonus_for_being_paired() -> None:
    rules = make_rules()
    assert expected_index(5) == 5
    assert expected_index(3) == 1
    assert expected_index(8) == 11
    assert expected_index(None) is None
    assert levels_behind(3, 6) == 4  # M4 in groep 6 (usual: M6 = 7)
    assert levels_behind(9, 6) == 0  # ahead: no bonus
    assert levels_behind(0, 8) == 6  # capped at 6 levels
    assert need_bonus(tutee("e", level="M4", grade=6), rules) == 24
    assert need_bonus(tutee("e", level="M4", grade=None), rules) == 0


# --------------------------------------------------------------------------------------------- words


def test_durations_and_level_differences_read_naturally_in_both_languages() -> None:
    assert format_months(14, "nl") == "1 jaar en 2 maanden"
    assert format_months(14, "en") == "1 year and 2 months"
    assert format_months(24, "nl") == "2 jaar"
    assert format_months(24, "en") == "2 years"
    assert format_months(1, "nl") == "1 maand"
    assert format_months(0, "en") == "0 months"
    assert format_months(-6, "nl") == "-6 maanden"
    assert format_levels(3, "nl") == "3 niveaus"
    assert format_levels(1, "en") == "1 level"
    assert format_levels(1.5, "nl") == "1,5 niveaus"
    assert format_levels(1.5, "en") == "1.5 levels"


def test_a_pairs_reasons_name_the_levels_the_age_gap_and_the_class() -> None:
    rules = make_rules()
    t = tutor("t", name="Daan", level="E5", months=118, group="6B", motivation=5)
    e = tutee("e", name="Sara", level="M4", months=104, group="4A")
    text_nl = " ".join(r.text("nl") for r in pair_reasons(t, e, rules, pair_terms(t, e, rules), pinned=False))
    text_en = " ".join(r.text("en") for r in pair_reasons(t, e, rules, pair_terms(t, e, rules), pinned=False))
    assert "Daan leest E5, Sara M4: 3 niveaus verschil." in text_nl
    assert "Daan is 1 jaar en 2 maanden ouder dan Sara." in text_nl
    assert "Daan wil graag helpen (motivatie 5 van 5)." in text_nl
    assert "Daan zit in 6B, Sara in 4A." in text_nl
    assert "Daan reads at E5, Sara at M4: 3 levels apart." in text_en
    assert "Daan is 1 year and 2 months older than Sara." in text_en


def test_a_pin_that_breaks_rules_gets_one_problem_per_rule_naming_both_pupils() -> None:
    rules = make_rules()
    t = tutor("t", name="Daan", level="E4", months=100, group="4A")
    e = tutee("e", name="Sara", level="M4", months=104, group="4A")
    problems = pin_problems(t, e, rules, forbidden=True)
    codes = [p.code for p in problems]
    assert codes == ["matching.pin.margin", "matching.pin.age", "matching.pin.same_class", "matching.pin.forbidden"]
    assert all("Daan" in p.message("nl") and "Sara" in p.message("en") for p in problems)
    assert "maar 1 niveau(s) verder" in problems[0].message("nl")


def test_the_rules_remember_the_reference_date() -> None:
    assert make_rules().on == REF
