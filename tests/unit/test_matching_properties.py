"""Matching invariants on random small rosters, checked against an independent oracle.

The oracle below re-implements the hard rules and the cost terms from the spec (``rules.py``), per pair and
without numpy, and networkx / brute force provide the maximum number of pairs and the optimal cost.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Any

import networkx as nx
from conftest_matching import REF, make_rules, pupil
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peermatch.errors import RuleError
from peermatch.matching import MatchResult, match
from peermatch.model import Pupil, Role
from peermatch.rules import Objective, Rules, Weights

TUTEE_CODES = ["Start", "M3", "E3", "M4", "E4", "M5", "E5", "M6", "AVI 5", "Plus"]
TUTOR_CODES = ["E4", "M5", "E5", "M6", "E6", "M7", "E7", "Plus", "AVI 8", "M3"]
GROUPS = ["4A", "4B", "5A", "6A", ""]
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------------------------- oracle


def _age(p: Pupil, on: date) -> int | None:
    b = p.birth_date
    if b is None:
        return None
    return (on.year - b.year) * 12 + on.month - b.month - (1 if on.day < b.day else 0)


def _forbidden(t: Pupil, e: Pupil, forbids: set[frozenset[str]]) -> bool:
    return frozenset((t.pupil_id, e.pupil_id)) in forbids or e.pupil_id in t.not_with or t.pupil_id in e.not_with


def feasible(t: Pupil, e: Pupil, rules: Rules, forbids: set[frozenset[str]]) -> bool:
    """Every hard rule except capacity, straight from the spec."""
    if t.reading is None or e.reading is None or t.birth_date is None or e.birth_date is None:
        return False
    if t.reading.low - e.reading.high < rules.margin - 1e-9:
        return False
    if rules.min_tutor_level is not None and t.reading.low < rules.min_tutor_level - 1e-9:
        return False
    gap = (_age(t, REF) or 0) - (_age(e, REF) or 0)
    low = min(rules.min_age_gap_months, -12) if rules.allow_same_age else rules.min_age_gap_months
    if not low <= gap <= rules.max_age_gap_months:
        return False
    same = t.group.strip().casefold() == e.group.strip().casefold() != ""
    if same and not rules.allow_same_class:
        return False
    return not _forbidden(t, e, forbids)


def cost(t: Pupil, e: Pupil, rules: Rules) -> int:
    assert t.reading is not None
    assert e.reading is not None
    w = rules.weights
    gap = (_age(t, REF) or 0) - (_age(e, REF) or 0)
    margin = t.reading.low - e.reading.high
    motivation = t.motivation if t.motivation in (1, 2, 3, 4, 5) else 3
    return (
        w.age_gap * abs(gap - rules.ideal_age_gap_months)
        + math.floor(w.margin * abs(margin - rules.ideal_margin) + 0.5 + 1e-9)
        + w.motivation * (5 - (motivation or 3))
    )


def need(e: Pupil, rules: Rules) -> int:
    if e.grade is None or e.reading is None:
        return 0
    expected = min(max(2 * e.grade - 5, 0), 11)
    behind = min(max(expected - e.reading.index, 0.0), 6.0)
    return math.floor(rules.weights.need * behind + 0.5)


# --------------------------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    pupils: list[Pupil]
    rules: Rules
    forbids: list[tuple[str, str]]
    pins: list[tuple[str, str]]

    @property
    def tutees(self) -> list[Pupil]:
        return [p for p in self.pupils if p.role is Role.TUTEE]

    @property
    def tutors(self) -> list[Pupil]:
        return [p for p in self.pupils if p.role is Role.TUTOR]

    @property
    def forbid_set(self) -> set[frozenset[str]]:
        return {frozenset(f) for f in self.forbids}

    def ok(self, t: Pupil, e: Pupil, rules: Rules | None = None) -> bool:
        return feasible(t, e, rules or self.rules, self.forbid_set)


@st.composite
def scenarios(draw: st.DrawFn, max_tutees: int = 7, max_tutors: int = 6, pins: bool = True) -> Scenario:
    n_e, n_t = draw(st.integers(1, max_tutees)), draw(st.integers(0, max_tutors))
    ids = draw(st.permutations([f"{k:02d}" for k in range(n_e + n_t)]))
    low_level, high_level = st.sampled_from(TUTEE_CODES), st.sampled_from(TUTOR_CODES)
    tutees = [
        pupil(
            ids[k], role=Role.TUTEE, level=None if draw(st.integers(0, 9)) == 0 else draw(low_level),
            months=draw(st.integers(88, 124)), group=draw(st.sampled_from(GROUPS)),
            grade=draw(st.one_of(st.none(), st.integers(3, 6))),
        )
        for k in range(n_e)
    ]  # fmt: skip
    tutors = [
        pupil(
            ids[n_e + k], role=Role.TUTOR, level=draw(high_level), months=draw(st.integers(100, 150)),
            group=draw(st.sampled_from(GROUPS)), motivation=draw(st.one_of(st.none(), st.integers(1, 5))),
            not_with=tuple(draw(st.lists(st.sampled_from([e.pupil_id for e in tutees]), max_size=1))),
        )
        for k in range(n_t)
    ]  # fmt: skip
    weights = Weights(
        age_gap=draw(st.integers(0, 3)), margin=draw(st.integers(0, 8)), motivation=draw(st.integers(0, 5)),
        need=draw(st.integers(0, 8)), poor_pair=draw(st.integers(5, 60)),
    )  # fmt: skip
    rules = make_rules(
        margin=draw(st.sampled_from([1, 1.5, 2, 2, 3])),
        min_tutor_level=draw(st.one_of(st.none(), st.sampled_from([4.0, 6.0, 8.0]))),
        min_age_gap_months=draw(st.sampled_from([0, 6, 12])),
        max_age_gap_months=draw(st.sampled_from([24, 36, 48])),
        allow_same_age=draw(st.booleans()),
        allow_same_class=draw(st.booleans()),
        capacity=draw(st.integers(1, 3)),
        objective=draw(st.sampled_from(list(Objective))),
        weights=weights,
    )
    all_pairs = [(t.pupil_id, e.pupil_id) for t in tutors for e in tutees]
    forbids = draw(st.lists(st.sampled_from(all_pairs), max_size=3, unique=True)) if all_pairs else []
    forbids = [f if draw(st.booleans()) else (f[1], f[0]) for f in forbids]  # either way round
    scenario = Scenario(tutees + tutors, rules, forbids, [])
    chosen: list[tuple[str, str]] = []
    if pins:
        allowed = [(t.pupil_id, e.pupil_id) for t in tutors for e in tutees if scenario.ok(t, e)]
        wanted = draw(st.lists(st.sampled_from(allowed), max_size=3, unique=True)) if allowed else []
        load: dict[str, int] = {}
        for t_id, e_id in wanted:
            if all(e_id != e for _, e in chosen) and load.get(t_id, 0) < rules.capacity:
                chosen.append((t_id, e_id))
                load[t_id] = load.get(t_id, 0) + 1
    return replace(scenario, pins=chosen)


def run(s: Scenario, rules: Rules | None = None) -> MatchResult:
    return match(s.pupils, rules or s.rules, pins=s.pins, forbids=s.forbids)


def residual(s: Scenario, rules: Rules | None = None) -> tuple[list[Pupil], dict[str, int]]:
    """Tutees still to pair (with data, not pinned) and tutor places left after the pins."""
    rules = rules or s.rules
    pinned = {e for _, e in s.pins}
    tutees = [e for e in s.tutees if e.pupil_id not in pinned and e.reading is not None]
    places = {t.pupil_id: rules.capacity - sum(1 for tp, _ in s.pins if tp == t.pupil_id) for t in s.tutors}
    return tutees, places


def most_pairs_possible(s: Scenario, rules: Rules | None = None, extra: Sequence[Pupil] = ()) -> tuple[int, nx.Graph]:
    """Pins plus a maximum matching (networkx) of the capacity-expanded feasibility graph."""
    rules = rules or s.rules
    tutees, places = residual(s, rules)
    tutors = s.tutors + list(extra)
    places |= {t.pupil_id: 1 for t in extra}
    graph = nx.Graph()
    graph.add_nodes_from(e.pupil_id for e in tutees)
    for t in tutors:
        for k in range(places[t.pupil_id]):
            graph.add_node((t.pupil_id, k))
            graph.add_edges_from((e.pupil_id, (t.pupil_id, k)) for e in tutees if s.ok(t, e, rules))
    size = len(nx.bipartite.hopcroft_karp_matching(graph, [e.pupil_id for e in tutees])) // 2
    return len(s.pins) + size, graph


# --------------------------------------------------------------------------------------------- properties


@PROPERTY
@given(scenarios())
def test_no_pair_ever_breaks_a_hard_rule_and_no_tutor_is_overfilled(s: Scenario) -> None:
    result = run(s)
    by_id = {p.pupil_id: p for p in s.pupils}
    for pair in result.pairs:
        assert s.ok(by_id[pair.tutor_number], by_id[pair.tutee_number]), pair
        assert pair.cost == cost(by_id[pair.tutor_number], by_id[pair.tutee_number], s.rules)
        assert sum(r.cost for r in pair.reasons) == pair.cost
    load: dict[str, int] = {}
    for pair in result.pairs:
        load[pair.tutor_number] = load.get(pair.tutor_number, 0) + 1
    assert all(v <= s.rules.capacity for v in load.values())
    assert len({p.tutee_number for p in result.pairs}) == len(result.pairs)


@PROPERTY
@given(scenarios())
def test_every_pin_is_honoured_and_every_forbid_respected(s: Scenario) -> None:
    result = run(s)
    made = {(p.tutor_number, p.tutee_number): p.pinned for p in result.pairs}
    assert all(made.get(pin) is True for pin in s.pins)
    assert sum(made.values()) == len(s.pins)
    for a, b in s.forbids:
        assert (a, b) not in made
        assert (b, a) not in made


@PROPERTY
@given(scenarios(), st.randoms(use_true_random=False))
def test_the_same_input_in_any_order_gives_the_same_result(s: Scenario, rnd: Any) -> None:
    first = run(s)
    shuffled = s.pupils[:]
    rnd.shuffle(shuffled)
    again = run(replace(s, pupils=shuffled, forbids=s.forbids[::-1], pins=s.pins[::-1]))
    assert again.pairs == first.pairs
    assert again.unpaired == first.unpaired
    assert again.unused_tutors == first.unused_tutors


@PROPERTY
@given(scenarios())
def test_most_pairs_pairs_as_many_tutees_as_the_hard_rules_allow(s: Scenario) -> None:
    best_possible, _ = most_pairs_possible(s)
    result = run(s)
    assert result.summary.max_possible_pairs == best_possible
    if s.rules.objective is Objective.MOST_PAIRS:
        assert len(result.pairs) == best_possible
    else:
        assert len(result.pairs) <= best_possible
        assert all(p.cost <= s.rules.weights.poor_pair for p in result.pairs if not p.pinned)


@PROPERTY
@given(scenarios())
def test_every_tutee_is_either_paired_or_explained_in_both_languages(s: Scenario) -> None:
    result = run(s)
    paired = {p.tutee_number for p in result.pairs}
    unpaired = {u.pupil_id for u in result.unpaired}
    assert paired | unpaired == {e.pupil_id for e in s.tutees}
    assert not paired & unpaired
    for u in result.unpaired:
        assert u.reason("nl")
        assert u.reason("en")
        assert "{" not in u.reason("nl") + u.reason("en")
        assert "{" not in u.suggestion("nl") + u.suggestion("en")
    for p in result.pairs:
        assert p.explanation("nl")
        assert "{" not in p.explanation("nl") + p.explanation("en")
    for b in result.summary.bottlenecks:
        assert "{" not in b.message("nl") + b.message("en")


def brute_force(s: Scenario) -> tuple[int, int]:
    """The best objective over every assignment of the residual tutees: (-pairs, cost) or (0, cost)."""
    rules = s.rules
    tutees, places = residual(s)
    tutors = s.tutors
    best_only = rules.objective is Objective.BEST_ONLY
    threshold = rules.weights.poor_pair

    @cache
    def best(k: int, left: tuple[int, ...]) -> tuple[int, int]:
        if k == len(tutees):
            return (0, 0)
        e = tutees[k]
        skip = best(k + 1, left)
        options = [(skip[0], skip[1] + (threshold + need(e, rules) if best_only else 0))]
        for j, t in enumerate(tutors):
            if left[j] == 0 or not s.ok(t, e):
                continue
            c = cost(t, e, rules)
            if best_only and c > threshold:
                continue
            rest = best(k + 1, (*left[:j], left[j] - 1, *left[j + 1 :]))
            options.append((rest[0] - (0 if best_only else 1), rest[1] + c - (0 if best_only else need(e, rules))))
        return min(options)

    return best(0, tuple(max(places[t.pupil_id], 0) for t in tutors))


@PROPERTY
@given(scenarios(max_tutees=6, max_tutors=5))
def test_the_solution_is_as_good_as_brute_force(s: Scenario) -> None:
    result = run(s)
    by_id = {p.pupil_id: p for p in s.pupils}
    free = [p for p in result.pairs if not p.pinned]
    rules = s.rules
    if rules.objective is Objective.BEST_ONLY:
        paired = {p.tutee_number for p in free}
        tutees, _ = residual(s)
        unpaired = sum(rules.weights.poor_pair + need(e, rules) for e in tutees if e.pupil_id not in paired)
        ours = (0, sum(p.cost for p in free) + unpaired)
    else:
        ours = (-len(free), sum(p.cost - need(by_id[p.tutee_number], rules) for p in free))
    assert ours == brute_force(s)


_RELAX: dict[str, Callable[[Rules], Rules]] = {
    "matching.suggestion.capacity": lambda r: replace(r, capacity=r.capacity + 1),
    "matching.suggestion.same_class": lambda r: replace(r, allow_same_class=True),
    "matching.suggestion.same_age": lambda r: replace(r, allow_same_age=True),
    "matching.suggestion.most_pairs": lambda r: replace(r, objective=Objective.MOST_PAIRS),
}


def _relaxed(rules: Rules, code: str, params: dict[str, Any]) -> Rules:
    if code in _RELAX:
        return _RELAX[code](rules)
    if code == "matching.suggestion.max_age":
        return replace(rules, max_age_gap_months=params["value_months"])
    if code == "matching.suggestion.min_age":
        return replace(rules, min_age_gap_months=params["value_months"])
    if code == "matching.suggestion.margin":
        return replace(rules, margin=params["value_levels"])
    assert code == "matching.suggestion.min_level", code
    return replace(rules, min_tutor_level=(rules.min_tutor_level or 0) - 1)


@PROPERTY
@given(scenarios(pins=False))
def test_a_suggested_change_really_makes_room_for_that_tutee(s: Scenario) -> None:
    rules = replace(s.rules, objective=Objective.MOST_PAIRS)
    s = replace(s, rules=rules)
    result = run(s)
    for u in result.unpaired:
        code = u.suggestion_code
        if code is None or u.kind in ("no_level", "no_birth_date"):
            continue
        extra: list[Pupil] = []
        relaxed = rules
        if code.startswith("matching.suggestion.extra_tutor"):
            e = next(p for p in s.tutees if p.pupil_id == u.pupil_id)
            low = min(rules.min_age_gap_months, -12) if rules.allow_same_age else rules.min_age_gap_months
            extra = [pupil("new", role=Role.TUTOR, level=u.suggestion_params["level"], months=(_age(e, REF) or 0) + low,
                           group="ZZ", motivation=5)]  # fmt: skip
        else:
            relaxed = _relaxed(rules, code, dict(u.suggestion_params))
        try:
            relaxed.validate()
        except RuleError:  # pragma: no cover - a suggestion must always be valid rules
            raise AssertionError(code) from None
        size, graph = most_pairs_possible(s, relaxed, extra)
        assert size >= result.summary.paired + 1, code
        assert graph.degree(u.pupil_id) > 0, code
