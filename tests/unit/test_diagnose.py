"""Why a tutee stays unpaired, the smallest change that pairs them, and the bottleneck groups."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from conftest_matching import make_rules, tutee, tutor

from peermatch.costs import Edges
from peermatch.diagnose import max_matching, reachable
from peermatch.matching import MatchResult, Unpaired, match
from peermatch.model import Pupil
from peermatch.rules import Objective, Rules


def _only_unpaired(pupils: list[Pupil], rules: Rules | None = None) -> Unpaired:
    (left,) = match(pupils, rules or make_rules()).unpaired
    return left


# --------------------------------------------------------------------------------------------- reasons


def test_no_tutor_far_enough_ahead_names_the_level_needed_and_the_best_there_is() -> None:
    left = _only_unpaired([tutee("e", name="Sara", level="E6"), tutor("t", level="M6")])
    assert left.kind == "level"
    assert left.reason("nl") == (
        "Geen tutor leest ver genoeg vooruit: Sara leest E6 en heeft een tutor op E7 of hoger nodig; "
        "de beste tutor leest M6."
    )
    assert "needs a tutor at E7 or higher; the best tutor reads at M6" in left.reason("en")
    assert left.suggestion_code == "matching.suggestion.extra_tutor_other_class"
    assert left.suggestion("nl") == (
        "Nog één tutor op E7 of hoger, niet uit 4A, die 6 maanden tot 3 jaar ouder is dan Sara, geeft Sara een tutor."
    )


def test_a_margin_of_one_is_suggested_when_that_is_enough() -> None:
    left = _only_unpaired([tutee("e", name="Sara", level="M4"), tutor("t", level="E4")])
    assert left.kind == "level"
    assert left.suggestion_code == "matching.suggestion.margin"
    assert left.suggestion("nl").startswith("Verklein het verplichte niveauverschil naar 1 niveau (nu 2 niveaus)")
    assert left.suggestion("en").startswith("Lower the required level margin to 1 level (now 2 levels)")


def test_a_lower_minimum_tutor_level_is_suggested_when_that_is_the_obstacle() -> None:
    rules = make_rules(min_tutor_level=7)  # M6
    left = _only_unpaired([tutee("e", name="Sara", level="E3"), tutor("t", level="E5")], rules)
    assert left.suggestion_code == "matching.suggestion.min_level"
    assert "naar E5 (nu M6)" in left.suggestion("nl")


def test_a_tutee_at_the_top_level_can_have_no_tutor_far_enough_ahead() -> None:
    left = _only_unpaired([tutee("e", name="Sara", level="Plus"), tutor("t", level="Plus")])
    assert left.reason_code == "matching.unpaired.level_top"
    assert left.suggestion_code is None
    assert left.suggestion("nl") == ""


@pytest.mark.parametrize(
    ("tutor_months", "kind", "suggestion"),
    [
        (144, "age_too_old", "Sta een leeftijdsverschil tot 3 jaar en 6 maanden toe (nu 3 jaar)"),  # 40 months
        (149, "age_too_old", "Sta een leeftijdsverschil tot 4 jaar toe (nu 3 jaar)"),  # 45 months
        (107, "age_too_young", "Sta tutors toe die minstens 0 maanden ouder zijn (nu 6 maanden)"),  # 3 months
        (102, "age_too_young", "Sta tutors van dezelfde leeftijd toe"),  # 2 months younger
    ],
)
def test_tutors_too_old_or_too_young_get_the_smallest_age_change(tutor_months: int, kind: str, suggestion: str) -> None:
    left = _only_unpaired([tutee("e", months=104), tutor("t", months=tutor_months)])
    assert left.kind == kind
    assert left.suggestion("nl").startswith(suggestion)


def test_tutors_on_both_sides_of_the_age_window_are_reported_together() -> None:
    left = _only_unpaired([tutee("e", name="Sara", months=104), tutor("old", months=150), tutor("young", months=100)])
    assert left.kind == "age_mixed"
    assert left.reason("nl") == (
        "2 tutor(s) zijn ver genoeg vooruit, maar te oud of te jong voor Sara (de regel: 6 maanden tot 3 jaar ouder)."
    )


def test_only_tutors_in_the_same_class_suggests_allowing_that() -> None:
    left = _only_unpaired([tutee("e", name="Sara", group="5B"), tutor("t", group="5B")])
    assert left.kind == "same_class"
    assert "(5B)" in left.reason("nl")
    assert left.suggestion("en") == "Allow pairs within the same class; then Sara can get a tutor."


def test_a_forbidden_pair_is_never_suggested_to_be_lifted() -> None:
    left = _only_unpaired([tutee("e", not_with=("t",)), tutor("t")])
    assert left.kind == "forbidden"
    assert left.suggestion_code == "matching.suggestion.extra_tutor_other_class"


def test_a_tutee_who_lost_the_only_tutor_to_a_needier_tutee_gets_capacity_two_suggested() -> None:
    pupils = [tutee("e1", name="Sara", grade=4), tutee("e2", grade=5, group="5A"), tutor("t")]
    left = _only_unpaired(pupils)
    assert left.pupil_id == "e1"
    assert left.reason_code == "matching.unpaired.taken_one"
    assert left.reason("nl").startswith("De enige tutor die bij Sara past, is al gekoppeld")
    assert left.suggestion("nl") == "Laat een tutor 2 kinderen helpen; dan kan Sara een tutor krijgen."


def test_at_the_largest_capacity_a_taken_tutee_gets_one_more_tutor_suggested() -> None:
    pupils = [tutee(f"e{k}", group=f"4{k}") for k in range(4)] + [tutor("t")]
    result = match(pupils, make_rules(capacity=3))
    (left,) = result.unpaired
    assert left.kind == "taken"
    assert left.suggestion_code == "matching.suggestion.extra_tutor_other_class"


def test_a_round_without_tutors_says_so() -> None:
    left = _only_unpaired([tutee("e")])
    assert left.kind == "no_tutors"
    assert left.suggestion_code is not None


def test_best_only_explains_a_poor_pair_and_suggests_most_pairs() -> None:
    pupils = [tutee("e", name="Sara", level="Start", months=90), tutor("t", level="E6", months=124, motivation=1)]
    left = _only_unpaired(pupils, make_rules(objective=Objective.BEST_ONLY))
    assert left.kind == "poor"
    assert "meer dan 40 strafpunten" in left.reason("nl")
    assert left.suggestion("nl") == "Kies 'zoveel mogelijk paren'; dan kan Sara een tutor krijgen."


def test_a_suggested_change_really_pairs_one_more_tutee() -> None:
    pupils = [tutee("e1", grade=4), tutee("e2", grade=5, group="5A"), tutor("t")]
    before = match(pupils, make_rules())
    assert before.unpaired[0].suggestion_code == "matching.suggestion.capacity"
    after = match(pupils, make_rules(capacity=2))
    assert after.summary.paired == before.summary.paired + 1


# --------------------------------------------------------------------------------------------- bottlenecks


def _bottleneck_school() -> MatchResult:
    tutees = [tutee(f"e{k}", level="E4", months=104, group=f"4{'AB'[k % 2]}", grade=4) for k in range(7)]
    tutors = [tutor(f"t{k}", level="E5", months=118, group="6A", grade=6) for k in range(4)]
    return match(tutees + tutors, make_rules())


def test_a_group_competing_for_too_few_tutors_is_reported_as_a_bottleneck() -> None:
    result = _bottleneck_school()
    (bottleneck,) = result.summary.bottlenecks
    assert bottleneck.message("nl") == (
        "7 kinderen in groep 4 hebben een tutor op E5 of hoger nodig; geschikte tutors voor hen: 4, met 4 plaatsen. "
        "Tekort: 3."
    )
    assert bottleneck.message("en").startswith("7 children in group 4 need a tutor at E5 or higher")
    assert len(bottleneck.tutee_numbers) == 7
    assert len(bottleneck.tutor_numbers) == 4
    assert result.to_dict()["summary"]["bottlenecks"] == [bottleneck.message("nl")]


def test_tutees_without_any_suitable_tutor_are_counted_per_grade() -> None:
    pupils = [tutee(f"e{k}", level="E7", grade=4) for k in range(3)] + [tutor("t", level="E6")]
    (bottleneck,) = match(pupils, make_rules()).summary.bottlenecks
    assert bottleneck.message("nl") == "3 kinderen in groep 4 hebben geen enkele tutor die aan de regels voldoet."


def test_there_is_no_bottleneck_when_everyone_is_paired() -> None:
    assert match([tutee("e"), tutor("t")], make_rules()).summary.bottlenecks == ()


# --------------------------------------------------------------------------------------------- graph helpers


def _random_graph(rng: np.random.Generator, n: int, m: int, p: float) -> Edges:
    mask = rng.random((n, m)) < p
    ti, tj = np.nonzero(mask)
    return Edges(ti.astype(np.int64), tj.astype(np.int64), np.zeros(ti.size, dtype=np.int64))


def _nx_graph(n: int, m: int, caps: np.ndarray, edges: Edges) -> tuple[nx.Graph, list[tuple[str, int]]]:
    """The capacity-expanded graph: tutor j becomes places (j, 0) .. (j, caps[j] - 1)."""
    graph = nx.Graph()
    top = [("e", i) for i in range(n)]
    graph.add_nodes_from(top)
    graph.add_nodes_from(("t", j, k) for j in range(m) for k in range(int(caps[j])))
    graph.add_edges_from((("e", int(i)), ("t", int(j), k)) for i, j in zip(edges.tutee, edges.tutor, strict=True)
                         for k in range(int(caps[j])))  # fmt: skip
    return graph, top


@pytest.mark.parametrize("seed", range(12))
def test_the_maximum_matching_with_capacities_matches_networkx(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 14)), int(rng.integers(1, 10))
    caps = rng.integers(1, 4, size=m)
    edges = _random_graph(rng, n, m, 0.25)
    assign = max_matching(n, caps, edges)
    graph, top = _nx_graph(n, m, caps, edges)
    expected = len(nx.bipartite.hopcroft_karp_matching(graph, top)) // 2
    assert int((assign >= 0).sum()) == expected
    assert all(np.bincount(assign[assign >= 0], minlength=m) <= caps)
    pairs = set(zip(edges.tutee.tolist(), edges.tutor.tolist(), strict=True))
    assert all((i, int(j)) in pairs for i, j in enumerate(assign) if j >= 0)


@pytest.mark.parametrize("seed", range(12))
def test_the_alternating_reach_gives_the_same_koenig_cover_as_networkx(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n, m = int(rng.integers(1, 14)), int(rng.integers(1, 10))
    caps = np.ones(m, dtype=np.int64)
    edges = _random_graph(rng, n, m, 0.2)
    assign = max_matching(n, caps, edges)
    tutees_z, tutors_z = reachable(n, m, edges, assign)
    ours = {("e", i) for i in range(n) if not tutees_z[i]} | {("t", j, 0) for j in range(m) if tutors_z[j]}
    graph, top = _nx_graph(n, m, caps, edges)
    matching: dict[tuple[str, int] | tuple[str, int, int], tuple[str, int] | tuple[str, int, int]]
    matching = {("e", i): ("t", int(j), 0) for i, j in enumerate(assign) if j >= 0}
    matching |= {v: k for k, v in matching.items()}
    theirs = nx.bipartite.to_vertex_cover(graph, matching, top_nodes=top)
    assert ours == theirs
    assert len(ours) == int((assign >= 0).sum())  # König: cover size = matching size
