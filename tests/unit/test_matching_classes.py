"""The matcher on classes of interchangeable pupils reaches the same optimum as on the pupil graph.

Random small rosters with few distinct ages, levels and classes (so classes have many members), with pins,
forbids (``not_with`` too), capacities 1-3, places already taken, several schools and both objectives: the
class solver (forced) and the pupil solver (forced) make the same number of pairs at the same value of the
objective, and the diagnosis computed on classes equals the one computed per pupil for the same matching.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest
from conftest_matching import make_rules, pupil
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

import peermatch.flow as flow
import peermatch.matching as matching
from peermatch.costs import need_bonus
from peermatch.diagnose import Diagnosis, diagnose
from peermatch.errors import RuleError
from peermatch.flow import transport
from peermatch.matching import MatchResult, match
from peermatch.model import Pupil, Role
from peermatch.rules import Objective, Rules

TUTEE_LEVELS = ["M3", "E3", "M4", "E4", "Start"]
TUTOR_LEVELS = ["E5", "M6", "E6", "M7", "M4"]
GROUPS = ["4A", "5A", "6A", "7A", ""]


def _roster(rng: random.Random, schools: int) -> tuple[list[Pupil], list[tuple[str, str]], list[tuple[str, str]]]:
    """Pupils drawn from few values (classes of several members), plus pins and forbids to try."""
    pupils: list[Pupil] = []
    n_e, n_t = rng.randint(1, 14), rng.randint(1, 10)
    for k in range(n_e):
        pupils.append(
            pupil(
                f"e{k:02d}", role=Role.TUTEE, level=rng.choice(TUTEE_LEVELS) if rng.random() > 0.05 else None,
                months=rng.choice((96, 100, 104)), group=rng.choice(GROUPS), grade=rng.choice((4, 5, None)),
            )
        )  # fmt: skip
    for k in range(n_t):
        pupils.append(
            pupil(
                f"t{k:02d}", role=Role.TUTOR, level=rng.choice(TUTOR_LEVELS), months=rng.choice((110, 116, 130, 150)),
                group=rng.choice(GROUPS), motivation=rng.choice((None, 3, 5)),
            )
        )  # fmt: skip
    pupils = [_at_school(p, f"0{rng.randrange(schools)}AB") if schools > 1 else p for p in pupils]
    tutees = [p.pupil_id for p in pupils if p.role is Role.TUTEE]
    tutors = [p.pupil_id for p in pupils if p.role is Role.TUTOR]
    pins = [(rng.choice(tutors), rng.choice(tutees)) for _ in range(rng.choice((0, 0, 1, 2)))]
    forbids = [(rng.choice(tutors), rng.choice(tutees)) for _ in range(rng.choice((0, 1, 3)))]
    if rng.random() < 0.3:  # a pupil's own "not with"
        e = next(p for p in pupils if p.role is Role.TUTEE)
        pupils = [_not_with(p, rng.choice(tutors)) if p is e else p for p in pupils]
    return pupils, pins, forbids


def _at_school(p: Pupil, school: str) -> Pupil:
    return replace(p, school=school)


def _not_with(p: Pupil, other: str) -> Pupil:
    return replace(p, not_with=frozenset({other}))


def _rules(rng: random.Random) -> Rules:
    return make_rules(
        capacity=rng.choice((1, 1, 2, 3)),
        objective=rng.choice((Objective.MOST_PAIRS, Objective.BEST_ONLY)),
        allow_same_class=rng.random() < 0.3,
        allow_same_age=rng.random() < 0.2,
        margin=rng.choice((1.0, 2.0, 2.0)),
        across_schools=rng.random() < 0.3,
    )


def _scenarios(count: int) -> Iterator[tuple[int, list[Pupil], Rules, list[tuple[str, str]], list[tuple[str, str]]]]:
    for seed in range(count):
        rng = random.Random(seed)
        pupils, pins, forbids = _roster(rng, schools=rng.choice((1, 1, 2)))
        yield seed, pupils, _rules(rng), pins, forbids


def _force(monkeypatch: pytest.MonkeyPatch, classes: bool) -> None:
    monkeypatch.setattr(matching, "CLASS_MIN_EDGES", 0 if classes else 10**18)
    monkeypatch.setattr(matching, "CLASS_EDGE_SHARE", 1.0)
    monkeypatch.setattr(flow, "_FIRST_EDGES", 2)  # small rosters: let the pricing rounds work too
    monkeypatch.setattr(flow, "_PRICED_EDGES", 1)


def _objective(result: MatchResult, pupils: list[Pupil], rules: Rules) -> int:
    """What the solver minimises: the pairs' costs minus the need bonus of every paired tutee."""
    by_id = {p.pupil_id: p for p in pupils}
    return sum(p.cost - need_bonus(by_id[p.tutee_number], rules) for p in result.pairs)


def _run(
    monkeypatch: pytest.MonkeyPatch, classes: bool, pupils: list[Pupil], rules: Rules, pins: list[tuple[str, str]],
    forbids: list[tuple[str, str]],
) -> MatchResult | None:  # fmt: skip
    _force(monkeypatch, classes)
    try:
        return match(pupils, rules, pins=pins, forbids=forbids, taken={"t00": 1})
    except RuleError:
        return None


def test_the_class_solver_finds_the_same_optimum_as_the_pupil_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    solved_by_classes = 0
    for seed, pupils, rules, pins, forbids in _scenarios(300):
        on_classes = _run(monkeypatch, True, pupils, rules, pins, forbids)
        on_pupils = _run(monkeypatch, False, pupils, rules, pins, forbids)
        if on_pupils is None:  # an impossible pin is refused either way
            assert on_classes is None, seed
            continue
        assert on_classes is not None, seed
        assert len(on_classes.pairs) == len(on_pupils.pairs), seed
        assert _objective(on_classes, pupils, rules) == _objective(on_pupils, pupils, rules), seed
        assert on_classes.summary.max_possible_pairs == on_pupils.summary.max_possible_pairs, seed
        assert on_classes.summary.edges == on_pupils.summary.edges, seed
        assert {u.pupil_id for u in on_classes.unpaired} | {p.tutee_number for p in on_classes.pairs} == {
            u.pupil_id for u in on_pupils.unpaired
        } | {p.tutee_number for p in on_pupils.pairs}, seed
        pinned = {(t, e) for t, e in pins}
        assert {(p.tutor_number, p.tutee_number) for p in on_classes.pairs if p.pinned} <= pinned
        solved_by_classes += on_classes.summary.solver == "classes"
    assert solved_by_classes > 150  # most scenarios had something to solve


def test_a_class_pair_never_breaks_a_rule_a_school_or_a_capacity(monkeypatch: pytest.MonkeyPatch) -> None:
    for seed, pupils, rules, pins, forbids in _scenarios(150):
        result = _run(monkeypatch, True, pupils, rules, pins, forbids)
        if result is None:
            continue
        by_id = {p.pupil_id: p for p in pupils}
        banned = {frozenset(f) for f in forbids} | {frozenset((p.pupil_id, o)) for p in pupils for o in p.not_with}
        load: dict[str, int] = {"t00": 1}
        for pair in result.pairs:
            tutor, tutee = by_id[pair.tutor_number], by_id[pair.tutee_number]
            load[tutor.pupil_id] = load.get(tutor.pupil_id, 0) + 1
            if not pair.pinned:
                assert frozenset((tutor.pupil_id, tutee.pupil_id)) not in banned, seed
                assert rules.across_schools or tutor.school == tutee.school, seed
        assert all(v <= rules.capacity for v in load.values()), seed  # places taken outside count too


def _diagnoses(monkeypatch: pytest.MonkeyPatch, pupils: list[Pupil], rules: Rules) -> tuple[Diagnosis, Diagnosis]:
    """The diagnosis of one matching (the class solver's), computed on classes and on single pupils."""
    cast = matching._cast(pupils, rules)
    forbidden = matching._forbidden((), cast.by_id)
    _force(monkeypatch, True)
    grouped = matching._problem(cast, rules, {}, {}, forbidden, None)
    solved = grouped.solve()
    on_classes = diagnose(rules, grouped.grouped, grouped.hard, grouped.usable, solved.flow, solved.assign)
    _force(monkeypatch, False)
    single = matching._problem(cast, rules, {}, {}, forbidden, None)
    flow = matching._Solved(solved.assign, 0, "").as_flow().flow
    on_pupils = diagnose(rules, single.grouped, single.hard, single.usable, flow, solved.assign)
    return on_classes, on_pupils


def test_the_diagnosis_on_classes_equals_the_diagnosis_per_pupil(monkeypatch: pytest.MonkeyPatch) -> None:
    compared = 0
    for seed, pupils, rules, _, _ in _scenarios(200):
        rules = make_rules(
            capacity=rules.capacity,
            allow_same_class=rules.allow_same_class,
            margin=rules.margin,
            across_schools=rules.across_schools,
        )  # fmt: skip  (most pairs: the matching the diagnosis starts from is the solver's own)
        on_classes, on_pupils = _diagnoses(monkeypatch, pupils, rules)
        assert on_classes == on_pupils, seed
        compared += bool(on_classes.unpaired)
    assert compared > 40


def test_the_same_roster_in_any_order_gives_the_same_pairs_on_classes(monkeypatch: pytest.MonkeyPatch) -> None:
    _force(monkeypatch, True)
    for seed, pupils, rules, pins, forbids in _scenarios(40):
        try:
            first = match(pupils, rules, pins=pins, forbids=forbids)
        except RuleError:
            continue
        shuffled = pupils[:]
        random.Random(seed).shuffle(shuffled)
        again = match(shuffled, rules, pins=pins, forbids=forbids)
        assert (again.pairs, again.unpaired) == (first.pairs, first.unpaired), seed


def test_interchangeable_pupils_are_solved_as_classes_by_default() -> None:
    tutees = [pupil(f"e{k:03d}", role=Role.TUTEE, level="M4", months=104, group="4A") for k in range(500)]
    tutors = [pupil(f"t{k:03d}", role=Role.TUTOR, level="E6", months=120, group="6A") for k in range(450)]
    result = match([*tutees, *tutors], make_rules())
    s = result.summary
    assert (s.solver, s.classes, s.edges, s.tutor_places) == ("classes", (1, 1), 500 * 450, 450)
    assert len(result.pairs) == 450
    assert len({p.tutor_number for p in result.pairs}) == 450
    assert {u.kind for u in result.unpaired} == {"taken"}
    assert result.unpaired[0].suggestion_code == "matching.suggestion.capacity"
    payload = result.to_dict("en")["summary"]
    assert (payload["tutees"], payload["tutor_places"], payload["edges"]) == (500, 450, 225_000)


def test_pupils_of_two_schools_are_never_paired_unless_asked() -> None:
    a = [pupil("e1", role=Role.TUTEE, level="M4", months=104, group="4A"),
         pupil("t1", role=Role.TUTOR, level="E6", months=120, group="6A")]  # fmt: skip
    b = [pupil("e2", role=Role.TUTEE, level="M4", months=104, group="4A"),
         pupil("t2", role=Role.TUTOR, level="M4", months=120, group="6A")]  # fmt: skip
    pupils = [replace(p, school="01AA") for p in a] + [replace(p, school="02BB") for p in b]
    apart = match(pupils, make_rules())
    assert {(p.tutor_number, p.tutee_number) for p in apart.pairs} == {("t1", "e1")}
    assert [u.pupil_id for u in apart.unpaired] == ["e2"]
    together = match(pupils, make_rules(across_schools=True))
    assert len(together.pairs) == 1  # t2 is not ahead of anyone; t1 can take either
    with pytest.raises(RuleError) as refused:
        match(pupils, make_rules(), pins=[("t1", "e2")])
    assert "matchsize.pin_other_school" in {p.code for p in refused.value.problems}


def test_a_roster_beyond_the_memory_limit_is_refused_with_a_clear_message() -> None:
    tutees = [pupil(f"e{k:03d}", role=Role.TUTEE, level="M4", months=104, group="4A") for k in range(50)]
    tutors = [pupil(f"t{k:03d}", role=Role.TUTOR, level="E6", months=120, group="6A") for k in range(50)]
    with pytest.raises(RuleError) as refused:
        match([*tutees, *tutors], make_rules(), max_memory_mb=10)
    (problem,) = refused.value.problems
    assert problem.code == "matchsize.too_big"
    assert "MB" in problem.message("nl")
    assert "MB" in problem.message("en")
    assert match([*tutees, *tutors], make_rules(), max_memory_mb=2000).summary.paired == 50


@pytest.mark.parametrize("first", [24, 1])
@pytest.mark.parametrize("seed", range(60))
def test_the_min_cost_flow_matches_a_linear_programme(seed: int, first: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """With one edge per class in the first round, the pricing rounds do the work (and must stay exact)."""
    monkeypatch.setattr(flow, "_FIRST_EDGES", first)
    monkeypatch.setattr(flow, "_PRICED_EDGES", first)
    rng = np.random.default_rng(seed)
    ne, nt = int(rng.integers(1, 9)), int(rng.integers(1, 9))
    tail, head = (a.astype(np.int64) for a in np.nonzero(rng.random((ne, nt)) < rng.uniform(0.1, 0.9)))
    cost = rng.integers(0, 40, size=tail.size).astype(np.int64)
    supply = rng.integers(0, 7, size=ne).astype(np.int64)
    places = rng.integers(0, 7, size=nt).astype(np.int64)
    unpaired_cost = rng.integers(0, 60, size=ne).astype(np.int64)
    result = transport(supply, places, tail, head, cost, unpaired_cost, int(supply.sum()))
    assert (np.bincount(tail, weights=result.flow, minlength=ne) + result.unpaired == supply).all()
    assert (np.bincount(head, weights=result.flow, minlength=nt) <= places).all()
    assert (result.flow >= 0).all()
    assert (result.unpaired >= 0).all()
    k = tail.size
    equal = csr_matrix(
        (np.ones(k + ne), (np.concatenate((tail, np.arange(ne))), np.arange(k + ne))), shape=(ne, k + ne)
    )
    upper = csr_matrix((np.ones(k), (head, np.arange(k))), shape=(nt, k + ne))
    c = np.concatenate((cost, unpaired_cost)).astype(float)
    lp = linprog(c, A_ub=upper, b_ub=places, A_eq=equal, b_eq=supply, method="highs")
    assert int(cost @ result.flow + unpaired_cost @ result.unpaired) == round(lp.fun)
