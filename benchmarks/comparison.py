"""The exact matcher side by side with networkx ``max_weight_matching`` and a greedy pass, and the tie-heavy case.

All three optimise the same objective as ``peermatch.matching`` with capacity 1: the most pairs, then the lowest
total of (pair cost - the tutee's need bonus). networkx gets weights ``BIG - (cost - need)`` with
``maxcardinality=True``; greedy takes the cheapest remaining feasible pair first.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date

import numpy as np
from scipy.optimize import linear_sum_assignment

from benchmarks._synthetic import REFERENCE_DATE, synthetic_pupils
from benchmarks.measure import fmt_s
from peermatch.costs import Edges, Side, build_edges, need_bonus
from peermatch.demo import generate_school
from peermatch.matching import match
from peermatch.model import Pupil, Role, Subject
from peermatch.roster import read_roster
from peermatch.rules import Rules, tutee_candidate, tutor_candidate

__all__ = ["compare_solvers", "ties_case"]

TODAY = date(2026, 11, 23)


def _demo_pupils(n: int) -> tuple[Pupil, ...]:
    import csv
    import io

    rows = generate_school(n, seed=2026, today=TODAY)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return read_roster(buffer.getvalue().encode(), filename="demo.csv").pupils


def _problem(pupils: Sequence[Pupil], rules: Rules) -> tuple[Side, Side, Edges, np.ndarray]:
    ordered = sorted(pupils, key=lambda p: p.pupil_id)
    usable = [p for p in ordered if p.level(rules.subject) is not None and p.birth_date is not None]
    groups: dict[str, int] = {}
    tutees = Side.build([p for p in usable if tutee_candidate(p, rules)], rules, tutors=False, groups=groups)
    tutors = Side.build([p for p in usable if tutor_candidate(p, rules)], rules, tutors=True, groups=groups)
    col = {p.pupil_id: j for j, p in enumerate(tutors.pupils)}
    forbidden = {i * tutors.size + col[o] for i, p in enumerate(tutees.pupils) for o in p.not_with if o in col}
    for j, t in enumerate(tutors.pupils):
        forbidden |= {i * tutors.size + j for i, p in enumerate(tutees.pupils) if p.pupil_id in t.not_with}
    edges = build_edges(tutees, tutors, rules, forbidden)
    need = np.array([need_bonus(p, rules) for p in tutees.pupils], dtype=np.int64)
    return tutees, tutors, edges, need


def _greedy(edges: Edges, need: np.ndarray) -> tuple[int, int, int]:
    value = edges.cost - need[edges.tutee]
    order = np.lexsort((edges.tutor, edges.tutee, value))
    used_e: set[int] = set()
    used_t: set[int] = set()
    total = cost = 0
    for k in order:
        e, t = int(edges.tutee[k]), int(edges.tutor[k])
        if e not in used_e and t not in used_t:
            used_e.add(e)
            used_t.add(t)
            total += int(value[k])
            cost += int(edges.cost[k])
    return len(used_e), total, cost


def _networkx(edges: Edges, need: np.ndarray) -> tuple[int, int, int]:
    import networkx as nx

    value = edges.cost - need[edges.tutee]
    big = int(value.max()) + 1 if value.size else 1
    graph = nx.Graph()
    for e, t, v, c in zip(edges.tutee.tolist(), edges.tutor.tolist(), value.tolist(), edges.cost.tolist(), strict=True):
        graph.add_edge(("e", e), ("t", t), weight=big - v, cost=c)
    mate = nx.max_weight_matching(graph, maxcardinality=True)
    total = sum(big - graph.edges[a, b]["weight"] for a, b in mate)
    return len(mate), total, sum(graph.edges[a, b]["cost"] for a, b in mate)


def _ours(pupils: Sequence[Pupil], rules: Rules) -> tuple[float, tuple[int, int, int]]:
    start = time.perf_counter()
    result = match(pupils, rules)
    elapsed = time.perf_counter() - start
    by_id = {p.pupil_id: p for p in pupils}
    objective = sum(p.cost - need_bonus(by_id[p.tutee_number], rules) for p in result.pairs)
    return elapsed, (len(result.pairs), objective, sum(p.cost for p in result.pairs))


def _row(name: str, seconds: float, got: tuple[int, int, int], best: tuple[int, int, int]) -> str:
    """``got`` and ``best`` are (paired, objective, sum of pair costs)."""
    if got[:2] == best[:2]:
        gap = "optimal"
    else:
        per_pair = (got[2] / max(got[0], 1)) / (best[2] / max(best[0], 1)) - 1
        gap = f"{got[0] - best[0]:+d} pairs; cost per pair {per_pair:+.0%}"
    return f"| {name} | {fmt_s(seconds)} | {got[0]} | {got[1]} | {got[2]} | {gap} |"


def compare_solvers(pupils_n: int, quick: bool) -> list[str]:
    lines = [
        "| pupils | solver | time | paired | objective (cost − need) | pair costs | vs PeerMatch |",
        "|---|---|---|---|---|---|---|",
    ]
    sizes = [pupils_n] if quick else [pupils_n, 1000, 6000]
    for n in sizes:
        pupils = _demo_pupils(n)
        rules = Rules(subject=Subject.LEZEN, reference_date=TODAY)
        t_ours, best = _ours(pupils, rules)
        _, _, edges, need = _problem(pupils, rules)
        rows = [_row("PeerMatch (scipy, exact)", t_ours, best, best)]
        start = time.perf_counter()
        greedy = _greedy(edges, need)
        rows.append(_row("greedy (cheapest pair first)", time.perf_counter() - start, greedy, best))
        if n <= 300:
            start = time.perf_counter()
            nx_result = _networkx(edges, need)
            rows.append(_row("networkx max_weight_matching", time.perf_counter() - start, nx_result, best))
        lines += [f"| {n:,} " + r for r in rows]
    return lines


def ties_case(quick: bool) -> list[str]:
    pool = synthetic_pupils(14_000, seed=7)
    tutees = [p for p in pool if p.role is Role.TUTEE][:5000]
    tutors = [p for p in pool if p.role is Role.TUTOR][:3000]
    pupils = tutees + tutors
    rules = Rules(subject=Subject.LEZEN, capacity=2, reference_date=REFERENCE_DATE)
    start = time.perf_counter()
    result = match(pupils, rules)
    wall = time.perf_counter() - start
    shuffled = list(reversed(pupils))
    again = match(shuffled, rules)
    same = {(p.tutor_number, p.tutee_number) for p in result.pairs} == {
        (p.tutor_number, p.tutee_number) for p in again.pairs
    }
    s = result.summary
    lines = [
        "| what | time | notes |",
        "|---|---|---|",
        f"| PeerMatch `match()` (build + solve + explain) | {fmt_s(wall)} | solve {fmt_s(s.solve_s)} ({s.solver},"
        f" {s.components} parts), {s.paired} paired; same pairs after reversing the input: {'yes' if same else 'NO'} |",
    ]
    if not quick:
        t_side, r_side, edges, need = _problem(pupils, rules)
        big = int((edges.cost - need[edges.tutee]).max()) * 10 + 1000
        dense = np.full((t_side.size, r_side.size * 2), big, dtype=np.int64)
        for copy in range(2):
            dense[edges.tutee, edges.tutor * 2 + copy] = edges.cost - need[edges.tutee]
        start = time.perf_counter()
        linear_sum_assignment(dense)
        took = fmt_s(time.perf_counter() - start)
        lines.append(
            f"| dense `linear_sum_assignment` on the same costs | {took} | {dense.shape[0]} × {dense.shape[1]} |"
        )
    return lines
