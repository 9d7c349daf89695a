"""Pair tutors and tutees: validate, build, solve exactly, explain.

``match(pupils, rules)`` is the whole job:

1. Who takes part (``rules.tutor_candidate`` / ``tutee_candidate``), sorted by pupil id so a roster in
   another row order gives the same pairs. Tutees without a level or birth date stay unpaired, with a reason.
2. Pins are checked (a pin that breaks a hard rule, names an unknown pupil or a pupil in the wrong role,
   or overfills a tutor is refused with ``RuleError``) and fixed first: they use up tutor capacity.
3. Feasible edges and their integer costs are built vectorised (``peermatch.costs``).
4. The feasibility graph is split into connected parts; each part is an assignment problem solved
   exactly: tutors repeated once per place (capacity), one private "unpaired" column per tutee.

   * ``MOST_PAIRS``: the unpaired column costs ``D + need`` with ``D = n * (max pair cost + max need) + 1``,
     large but finite, so one more pair always beats any saving in cost: most pairs first, then the
     lowest ``sum(pair cost) - sum(need of the paired)``.
   * ``BEST_ONLY``: pairs costing more than ``weights.poor_pair`` are dropped, and the unpaired column
     costs ``poor_pair + need``.

   Small parts go to ``scipy.optimize.linear_sum_assignment`` (dense, forbidden cells a finite cost above
   every full solution), larger ones to ``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` on
   the feasible edges only. Both are exact; ties break the same way for the same input.

   A large roster is solved on **classes of interchangeable pupils** instead (``costs.Classes``: equal in
   every attribute a hard rule or a cost looks at; a pupil with a forbidden pair that could matter is a
   class of their own): a min-cost flow between classes (``peermatch.flow``) with the same unpaired
   costs, so the same optimum, then handed out to pupils in id order. A board of 50,000 pupils has ~130
   million feasible pupil pairs but ~1,600 × 2,700 classes. ``CLASS_MIN_EDGES`` / ``CLASS_EDGE_SHARE``
   decide; ``tests/unit/test_matching_classes.py`` holds both solvers to the same optimum.
5. Every pair gets its reasons; every unpaired tutee a reason and the smallest change that would pair
   them (``peermatch.diagnose``, worked out once per class, worded per pupil).

Pupils of different schools (``Pupil.school``) are never paired unless ``Rules.across_schools``. With
``max_memory_mb`` a roster estimated to need more memory is refused (``matchsize.too_big``) before the
large arrays are made.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

from peermatch.costs import Classes, Edges, Side, build_edges, pair_terms, pin_problems
from peermatch.diagnose import Bottleneck, ClassFlow, Diagnosis, Grouped, Unpaired, diagnose, missing_data
from peermatch.errors import Problem, RuleError
from peermatch.explain import PairReason, pair_reasons
from peermatch.flow import transport
from peermatch.i18n import DEFAULT_LANG, translate
from peermatch.model import Pupil, Role
from peermatch.rules import Objective, Rules, in_groups, tutee_candidate, tutor_candidate

__all__ = [
    "CLASS_EDGE_SHARE",
    "CLASS_MIN_EDGES",
    "DENSE_MAX_CELLS",
    "Bottleneck",
    "MatchResult",
    "MatchSummary",
    "Pair",
    "PairReason",
    "Progress",
    "Unpaired",
    "json_text",
    "match",
]

IntArray = npt.NDArray[np.int64]
Progress = Callable[[float, str], None]

# A part with at most this many matrix cells (tutees x (places + tutees)) is solved dense. Measured on
# pupil-like costs: dense wins up to about 80 tutees (0.9 ms vs 1.0 ms), sparse from there on
# (160 tutees: 5.5 ms vs 2.8 ms; 2,500: 2.5 s vs 0.65 s).
DENSE_MAX_CELLS = 10_000


# --------------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Pair:
    """One proposed (or pinned) pair, with the reasons in plain language."""

    tutor_number: str  # pupil numbers (``model.Pupil.pupil_id``)
    tutee_number: str
    cost: int
    pinned: bool
    reasons: tuple[PairReason, ...]
    tutor_name: str = ""
    tutee_name: str = ""
    tutor_group: str = ""
    tutee_group: str = ""
    tutor_level: str = ""
    tutee_level: str = ""
    age_gap_months: int = 0  # tutor's age minus tutee's age
    margin: float = 0.0  # tutor's level index minus tutee's (tutor low end, tutee high end)

    def explanation(self, lang: str = DEFAULT_LANG) -> str:
        """All reasons as one text, e.g. "Daan leest E6, Sara M4: 4 niveaus verschil. Daan is 1 jaar ..."."""
        return " ".join(r.text(lang) for r in self.reasons)

    def to_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        texts = [r.text(lang) for r in self.reasons]
        return {
            "tutor_id": self.tutor_number,  # the JSON / CSV column names stay
            "tutee_id": self.tutee_number,
            "tutor_name": self.tutor_name,
            "tutee_name": self.tutee_name,
            "tutor_group": self.tutor_group,
            "tutee_group": self.tutee_group,
            "tutor_level": self.tutor_level,
            "tutee_level": self.tutee_level,
            "age_gap_months": self.age_gap_months,
            "margin": self.margin,
            "cost": self.cost,
            "pinned": self.pinned,
            "explanation": " ".join(texts),
            "reasons": [
                {"code": r.code, "params": dict(r.params), "text": text, "cost": r.cost}
                for r, text in zip(self.reasons, texts, strict=True)
            ],
        }


@dataclass(frozen=True)
class MatchSummary:
    """Counts, cost and timings of one run, and the bottlenecks that keep tutees unpaired."""

    tutees: int  # tutees taking part (with or without level / birth date)
    tutors: int  # tutor candidates taking part
    paired: int  # pairs, pinned ones included
    max_possible_pairs: int  # the most pairs the hard rules allow (given the pins)
    total_cost: int  # sum of the pairs' costs
    objective: Objective
    build_s: float
    solve_s: float
    explain_s: float
    pinned: int = 0
    unpaired: int = 0  # tutees without a tutor (with or without level / birth date)
    bottlenecks: tuple[Bottleneck, ...] = ()
    left_out: tuple[str, ...] = ()  # role OPEN and in both tutor_groups and tutee_groups: takes no part
    reference_date: date | None = None  # the day ages were counted on
    components: int = 0  # independent parts solved
    solver: str = ""  # "dense", "sparse", "dense+sparse", "classes" or "" (nothing to solve)
    tutor_places: int = 0  # tutor candidates x capacity
    edges: int = 0  # feasible tutee-tutor pairs (every hard rule kept), pupil pairs
    classes: tuple[int, int] = (0, 0)  # classes of interchangeable tutees and tutors the solver saw

    @property
    def timings(self) -> dict[str, float]:
        return {"build_s": self.build_s, "solve_s": self.solve_s, "explain_s": self.explain_s}

    def to_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        return {
            "tutees": self.tutees,
            "tutors": self.tutors,
            "paired": self.paired,
            "pinned": self.pinned,
            "unpaired": self.unpaired,
            "max_possible_pairs": self.max_possible_pairs,
            "total_cost": self.total_cost,
            "objective": self.objective.value,
            "timings": self.timings,
            "bottlenecks": [b.message(lang) for b in self.bottlenecks],
            "left_out": list(self.left_out),
            "reference_date": self.reference_date.isoformat() if self.reference_date else None,
            "components": self.components,
            "solver": self.solver,
            "tutor_places": self.tutor_places,
            "edges": self.edges,
            "classes": {"tutees": self.classes[0], "tutors": self.classes[1]},
        }


@dataclass(frozen=True)
class MatchResult:
    """The draft: pairs, unpaired tutees (with reasons), tutors without a tutee, and a summary."""

    pairs: tuple[Pair, ...]
    unpaired: tuple[Unpaired, ...]
    unused_tutors: tuple[str, ...]
    summary: MatchSummary
    rules: Rules

    def to_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        """JSON-ready: pairs with explanations, unpaired with reason and suggestion, summary, rules."""
        return {
            "pairs": [p.to_dict(lang) for p in self.pairs],
            "unpaired": [u.to_dict(lang) for u in self.unpaired],
            "unused_tutors": list(self.unused_tutors),
            "summary": self.summary.to_dict(lang),
            "rules": _rules_dict(self.rules),
        }


def json_text(payload: Mapping[str, Any]) -> str:
    """``payload`` (``MatchResult.to_dict``) as JSON text, one pair / unpaired tutee / item per line.

    ``json.dumps(..., indent=2)`` runs Python's pure-Python encoder (minutes of a board's 14,000 pairs);
    this uses the C encoder per item and stays readable and diff-friendly.
    """
    parts = []
    for key, value in payload.items():
        name = json.dumps(key)
        if isinstance(value, list) and value:
            items = ",\n    ".join(json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f"  {name}: [\n    {items}\n  ]")
        else:
            parts.append(f"  {name}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _rules_dict(rules: Rules) -> dict[str, Any]:
    return {
        "subject": rules.subject.value,
        "margin": rules.margin,
        "min_tutor_level": rules.min_tutor_level,
        "min_age_gap_months": rules.min_age_gap_months,
        "max_age_gap_months": rules.max_age_gap_months,
        "allow_same_age": rules.allow_same_age,
        "allow_same_class": rules.allow_same_class,
        "capacity": rules.capacity,
        "objective": rules.objective.value,
        "weights": {k: getattr(rules.weights, k) for k in rules.weights.__dataclass_fields__},
        "ideal_age_gap_months": rules.ideal_age_gap_months,
        "ideal_margin": rules.ideal_margin,
        "tutor_groups": sorted(rules.tutor_groups),
        "tutee_groups": sorted(rules.tutee_groups),
        "reference_date": rules.reference_date.isoformat() if rules.reference_date else None,
        "across_schools": rules.across_schools,
    }


# --------------------------------------------------------------------------------------------- match


@dataclass(frozen=True)
class _Cast:
    """Who takes part, sorted by pupil id."""

    by_id: Mapping[str, Pupil]
    tutors: tuple[Pupil, ...]
    tutees: tuple[Pupil, ...]
    left_out: tuple[str, ...]


def match(
    pupils: Sequence[Pupil],
    rules: Rules,
    *,
    pins: Iterable[tuple[str, str]] = (),
    forbids: Iterable[tuple[str, str]] = (),
    taken: Mapping[str, int] | None = None,
    progress: Progress | None = None,
    lang: str = DEFAULT_LANG,
    max_memory_mb: float | None = None,
) -> MatchResult:
    """Pair tutees with tutors under ``rules``; ``pins`` are ``(tutor_number, tutee_number)`` pairs the teacher fixed,
    ``forbids`` pairs that must never be made (either way round). ``taken`` is, per tutor number, the places
    already used by pairs decided outside this match (a published programme's active pairs): a tutor has
    ``rules.capacity - taken`` places left. ``lang`` is for ``progress`` messages only. ``max_memory_mb``:
    refuse (``RuleError`` "matchsize.too_big") rather than start a solve estimated to need more memory.

    Raises ``RuleError`` for invalid rules, duplicate pupil ids, and pins or forbids that cannot be honoured.
    """
    t0 = time.perf_counter()
    report = _reporter(progress, lang)
    report(0.0, "matching.progress.start")
    rules.validate()
    if rules.reference_date is None:
        rules = _with_date(rules, date.today())
    cast = _cast(pupils, rules)
    forbidden = _forbidden(forbids, cast.by_id)
    taken = {k: v for k, v in (taken or {}).items() if v > 0}
    pinned = _check_pins(pins, cast, rules, forbidden, taken)
    report(0.1, "matching.progress.build")
    problem = _problem(cast, rules, pinned, taken, forbidden, max_memory_mb)
    t1 = time.perf_counter()
    report(0.3, "matching.progress.solve")
    solved = problem.solve()
    t2 = time.perf_counter()
    report(0.8, "matching.progress.explain")
    pairs = _pairs(cast, rules, pinned, problem.tutees, problem.tutors, solved.assign)
    diagnosis = diagnose(rules, problem.grouped, problem.hard, problem.usable, solved.flow, solved.assign)
    unpaired = _unpaired(cast, rules, diagnosis)
    t3 = time.perf_counter()
    used = {p.tutor_number for p in pairs}
    summary = MatchSummary(
        tutees=len(cast.tutees),
        tutors=len(cast.tutors),
        paired=len(pairs),
        max_possible_pairs=len(pinned) + diagnosis.max_pairs,
        total_cost=sum(p.cost for p in pairs),
        objective=rules.objective,
        build_s=t1 - t0,
        solve_s=t2 - t1,
        explain_s=t3 - t2,
        pinned=len(pinned),
        unpaired=len(unpaired),
        bottlenecks=diagnosis.bottlenecks,
        left_out=cast.left_out,
        reference_date=rules.reference_date,
        components=solved.components,
        solver=solved.solver,
        tutor_places=len(cast.tutors) * rules.capacity,
        edges=problem.pupil_edges,
        classes=(problem.grouped.tutees.count, problem.grouped.tutors.count),
    )
    report(1.0, "matching.progress.done")
    return MatchResult(
        pairs=tuple(pairs),
        unpaired=unpaired,
        unused_tutors=tuple(
            p.pupil_id for p in cast.tutors if p.pupil_id not in used and taken.get(p.pupil_id, 0) < rules.capacity
        ),
        summary=summary,
        rules=rules,
    )


def _reporter(progress: Progress | None, lang: str) -> Callable[[float, str], None]:
    def report(fraction: float, code: str) -> None:
        if progress is not None:
            progress(fraction, translate(code, lang))

    return report


def _with_date(rules: Rules, on: date) -> Rules:
    return replace(rules, reference_date=on)


def _cast(pupils: Sequence[Pupil], rules: Rules) -> _Cast:
    by_id: dict[str, Pupil] = {}
    duplicates: set[str] = set()
    for p in pupils:
        if p.pupil_id in by_id:
            duplicates.add(p.pupil_id)
        by_id[p.pupil_id] = p
    if duplicates:
        raise RuleError([Problem("matching.duplicate_id", value=d) for d in sorted(duplicates)])
    ordered = sorted(by_id.values(), key=lambda p: p.pupil_id)
    tutors = tuple(p for p in ordered if tutor_candidate(p, rules))
    tutees = tuple(p for p in ordered if tutee_candidate(p, rules))
    left_out = tuple(
        p.pupil_id
        for p in ordered
        if p.role is Role.OPEN and in_groups(p, rules.tutor_groups) and in_groups(p, rules.tutee_groups)
    )
    return _Cast(MappingProxyType(by_id), tutors, tutees, left_out)


def _forbidden(forbids: Iterable[tuple[str, str]], by_id: Mapping[str, Pupil]) -> frozenset[frozenset[str]]:
    """Forbidden pairs (unordered): the caller's forbids plus every pupil's ``not_with``."""
    out: set[frozenset[str]] = set()
    problems: list[Problem] = []
    for a, b in sorted({(str(a), str(b)) for a, b in forbids}):
        unknown = [x for x in (a, b) if x not in by_id]
        problems.extend(Problem("matching.forbid.unknown", value=x) for x in unknown)
        if not unknown and a != b:
            out.add(frozenset((a, b)))
    if problems:
        raise RuleError(problems)
    for pupil in by_id.values():
        out.update(frozenset((pupil.pupil_id, other)) for other in pupil.not_with if other in by_id)
    return frozenset(out)


def _check_pins(
    pins: Iterable[tuple[str, str]],
    cast: _Cast,
    rules: Rules,
    forbidden: frozenset[frozenset[str]],
    taken: Mapping[str, int],
) -> dict[str, str]:
    """Validated pins as ``{tutee_number: tutor_number}``; every problem with them in one ``RuleError``."""
    tutor_numbers = {p.pupil_id for p in cast.tutors}
    tutee_numbers = {p.pupil_id for p in cast.tutees}
    out: dict[str, str] = {}
    load: dict[str, int] = dict(taken)
    problems: list[Problem] = []
    for tutor_number, tutee_number in sorted({(str(a), str(b)) for a, b in pins}):
        found = _pin_roles(tutor_number, tutee_number, cast, tutor_numbers, tutee_numbers)
        if found:
            problems.extend(found)
            continue
        tutor, tutee = cast.by_id[tutor_number], cast.by_id[tutee_number]
        names = {"tutor": tutor.first_name or tutor_number, "tutee": tutee.first_name or tutee_number}
        if tutee_number in out:
            problems.append(
                Problem("matching.pin.tutee_twice", params={**names, "other": _name(cast.by_id[out[tutee_number]])})
            )
            continue
        problems.extend(pin_problems(tutor, tutee, rules, frozenset((tutor_number, tutee_number)) in forbidden))
        load[tutor_number] = load.get(tutor_number, 0) + 1
        if load[tutor_number] == max(rules.capacity, taken.get(tutor_number, 0)) + 1:  # said once per tutor
            problems.append(Problem("matching.pin.capacity", params={**names, "capacity": rules.capacity}))
        out[tutee_number] = tutor_number
    if problems:
        raise RuleError(problems)
    return out


def _pin_roles(
    tutor_number: str, tutee_number: str, cast: _Cast, tutor_numbers: set[str], tutee_numbers: set[str]
) -> list[Problem]:
    problems = [Problem("matching.pin.unknown", value=x) for x in (tutor_number, tutee_number) if x not in cast.by_id]
    if problems:
        return problems
    if tutor_number not in tutor_numbers:
        problems.append(Problem("matching.pin.not_tutor", params={"name": _name(cast.by_id[tutor_number])}))
    if tutee_number not in tutee_numbers:
        problems.append(Problem("matching.pin.not_tutee", params={"name": _name(cast.by_id[tutee_number])}))
    return problems


def _name(pupil: Pupil) -> str:
    return pupil.first_name or pupil.pupil_id


def _residual_caps(tutors: Side, rules: Rules, pinned: Mapping[str, str], taken: Mapping[str, int]) -> IntArray:
    caps = np.full(tutors.size, rules.capacity, dtype=np.int64)
    pos = {pid: k for k, pid in enumerate(tutors.ids)}
    for tutor_number in pinned.values():
        caps[pos[tutor_number]] -= 1
    for tutor_number, places in taken.items():
        if tutor_number in pos:
            caps[pos[tutor_number]] -= places
    return np.maximum(caps, 0)


def _unpaired_costs(tutees: Side, rules: Rules) -> tuple[IntArray, bool]:
    """Per tutee, the base cost of leaving them unpaired (before adding ``D`` per part), and most-pairs mode."""
    if rules.objective is Objective.BEST_ONLY:
        return tutees.need + rules.weights.poor_pair, False
    return tutees.need.copy(), True


# --------------------------------------------------------------------------------------------- problem

# Solve on classes of interchangeable pupils (``peermatch.costs.Classes``) when that shrinks the graph: at
# least CLASS_MIN_EDGES feasible pupil pairs, and class pairs at most CLASS_EDGE_SHARE of them. A small
# school stays on the pupil graph, where scipy's assignment solvers are quickest; a board of 50,000 pupils
# has about 130 million pupil pairs and a quarter of a million class pairs.
CLASS_MIN_EDGES = 200_000
CLASS_EDGE_SHARE = 0.5
# Memory estimate for the refusal (``max_memory_mb``), measured on ``peermatch demo`` rosters (bytes): the
# interpreter and libraries, per pupil (objects, arrays, output), per pupil pair solved on the pupil graph
# (edges, CSR, solver), per class pair (network arrays, Dijkstra, Dinic, diagnosis).
_BASE_BYTES = 150e6
_PUPIL_BYTES = 6e3
_PUPIL_EDGE_BYTES = 110.0
_CLASS_EDGE_BYTES = 250.0


@dataclass(frozen=True)
class _Problem:
    """What the solver and the diagnosis get: the pupil sides and their classes (singletons on the pupil
    graph), the class edges and the places left."""

    rules: Rules
    tutees: Side  # pupils, sorted by id
    tutors: Side
    caps: IntArray  # places left per tutor pupil
    grouped: Grouped
    hard: Edges  # class pairs that keep every hard rule
    usable: Edges  # of those, the ones the solver may use (open places; best-only: not poor)
    pupil_edges: int  # feasible pupil pairs (``hard`` counted per pupil)
    by_classes: bool

    def solve(self) -> _Solved:
        if not self.by_classes:
            unpaired = _unpaired_costs(self.tutees, self.rules)
            return _solve(self.tutees.size, self.caps, self.usable, unpaired).as_flow()
        return _solve_classes(self.grouped, self.usable, self.rules)


def _problem(
    cast: _Cast,
    rules: Rules,
    pinned: Mapping[str, str],
    taken: Mapping[str, int],
    forbidden: frozenset[frozenset[str]],
    max_memory_mb: float | None,
) -> _Problem:
    ready_tutees = [p for p in cast.tutees if missing_data(p, rules) is None and p.pupil_id not in pinned]
    ready_tutors = [p for p in cast.tutors if missing_data(p, rules) is None]
    groups: dict[str, int] = {}
    schools: dict[str, int] = {"": 0}
    tutees = Side.build(ready_tutees, rules, tutors=False, groups=groups, schools=schools)
    tutors = Side.build(ready_tutors, rules, tutors=True, groups=groups, schools=schools)
    caps = _residual_caps(tutors, rules, pinned, taken)
    banned = _forbidden_pairs(tutees, tutors, forbidden)
    grouped = _classes(tutees, tutors, caps, _that_matter(banned, tutees, tutors, rules), rules)
    hard = build_edges(grouped.tutees.side, grouped.tutors.side, rules, grouped.forbidden)
    pupil_edges = int((grouped.tutees.size[hard.tutee] * grouped.tutors.size[hard.tutor]).sum())
    pupils = tutees.size + tutors.size
    on_pupils = _BASE_BYTES + pupils * _PUPIL_BYTES + pupil_edges * _PUPIL_EDGE_BYTES
    on_classes = _BASE_BYTES + pupils * _PUPIL_BYTES + hard.size * _CLASS_EDGE_BYTES
    limit = None if max_memory_mb is None else max_memory_mb * 1e6
    by_classes = pupil_edges >= CLASS_MIN_EDGES and hard.size <= CLASS_EDGE_SHARE * pupil_edges
    if limit is not None and on_pupils > limit and on_classes < on_pupils:
        by_classes = True
    needed = on_classes if by_classes else on_pupils
    if limit is not None and needed > limit:
        params = {"needed": round(needed / 1e6), "limit": round(limit / 1e6)}
        raise RuleError(Problem("matchsize.too_big", params=params))
    if not by_classes:
        keys = {int(e) * tutors.size + int(t) for e, t in banned}
        grouped = Grouped(
            Classes.singletons(tutees), Classes.singletons(tutors), caps, keys, tutees.pupils, tutors.pupils
        )
        hard = build_edges(tutees, tutors, rules, keys)
    usable = hard.where(grouped.caps[hard.tutor] > 0)
    if rules.objective is Objective.BEST_ONLY:
        usable = usable.where(usable.cost <= rules.weights.poor_pair)
    return _Problem(rules, tutees, tutors, caps, grouped, hard, usable, pupil_edges, by_classes)


def _forbidden_pairs(tutees: Side, tutors: Side, forbidden: frozenset[frozenset[str]]) -> list[tuple[int, int]]:
    """Forbidden pairs among the sides as ``(tutee index, tutor index)``, sorted."""
    e_pos = {pid: k for k, pid in enumerate(tutees.ids)}
    t_pos = {pid: k for k, pid in enumerate(tutors.ids)}
    out = set()
    for pair in forbidden:
        a, b = tuple(pair)
        for e, t in ((a, b), (b, a)):
            if e in e_pos and t in t_pos:
                out.add((e_pos[e], t_pos[t]))
    return sorted(out)


def _that_matter(banned: list[tuple[int, int]], tutees: Side, tutors: Side, rules: Rules) -> list[tuple[int, int]]:
    """The forbidden pairs that some rules the diagnosis tries could allow (the others change nothing)."""
    if not banned:
        return banned
    loosest = replace(
        rules,
        margin=rules.margin - 1 if rules.margin - 1 >= 1 else rules.margin,
        min_tutor_level=(
            rules.min_tutor_level - 1
            if rules.min_tutor_level is not None and rules.min_tutor_level >= 1
            else rules.min_tutor_level
        ),
        max_age_gap_months=rules.max_age_gap_months + 12,
        allow_same_age=True,
        allow_same_class=True,
    )
    e_at = np.array([e for e, _ in banned], dtype=np.int64)
    t_at = np.array([t for _, t in banned], dtype=np.int64)
    edges = build_edges(tutees.take(e_at), tutors.take(t_at), loosest)
    possible = set(edges.tutee[edges.tutee == edges.tutor].tolist())
    return [pair for k, pair in enumerate(banned) if k in possible]


def _classes(tutees: Side, tutors: Side, caps: IntArray, banned: Sequence[tuple[int, int]], rules: Rules) -> Grouped:
    """Classes of interchangeable pupils: equal in everything a hard rule or a cost looks at.

    A class name only matters when it occurs on both sides (a tutee and a tutor in "5B"); a pupil with a
    forbidden pair is a class of their own, so forbidding never splits a class.
    """
    e_group, t_group = tutees.group, tutors.group
    if rules.allow_same_class:
        e_group, t_group = np.zeros_like(e_group), np.zeros_like(t_group)
    else:
        both = np.intersect1d(e_group[e_group >= 0], t_group[t_group >= 0])
        e_group = np.where(np.isin(e_group, both), e_group, -1)
        t_group = np.where(np.isin(t_group, both), t_group, -1)
    e_alone = np.full(tutees.size, -1, dtype=np.int64)
    t_alone = np.full(tutors.size, -1, dtype=np.int64)
    for e, t in banned:
        e_alone[e], t_alone[t] = e, t
    e_cls = Classes.of(tutees, (tutees.level, tutees.age, e_group, tutees.need, tutees.school, e_alone))
    t_cls = Classes.of(tutors, (tutors.level, tutors.age, t_group, tutors.motivation, caps, tutors.school, t_alone))
    keys = {int(e_cls.label[e]) * t_cls.count + int(t_cls.label[t]) for e, t in banned}
    t_caps = caps[t_cls.order[t_cls.start[:-1]]] if t_cls.count else np.zeros(0, np.int64)
    return Grouped(e_cls, t_cls, t_caps, keys, tutees.pupils, tutors.pupils)


def _solve_classes(grouped: Grouped, usable: Edges, rules: Rules) -> _Solved:
    """The exact optimum as a min-cost flow between classes, then handed out to pupils in id order."""
    n = len(grouped.tutee_pupils)
    assign = np.full(n, -1, dtype=np.int64)
    empty = np.zeros(0, np.int64)
    if usable.size == 0:
        return _Solved(assign, 0, "", ClassFlow(empty, empty, empty))
    e_cls, t_cls = grouped.tutees, grouped.tutors
    base, most_pairs = _unpaired_costs(e_cls.side, rules)
    dummy = base.astype(np.int64)
    if most_pairs:  # one more pair beats any saving in cost, as on the pupil graph
        dummy = dummy + n * (int(usable.cost.max()) + int(dummy.max())) + 1
    result = transport(e_cls.size, grouped.places, usable.tutee, usable.tutor, usable.cost, dummy, n)
    used = result.flow > 0
    flow = ClassFlow(usable.tutee[used], usable.tutor[used], result.flow[used])
    ne, nt = e_cls.count, t_cls.count
    graph = csr_matrix(
        (np.ones(usable.size, dtype=np.int8), (usable.tutee, ne + usable.tutor)), shape=(ne + nt, ne + nt)
    )
    _, labels = connected_components(graph, directed=False)
    parts = int(np.unique(labels[usable.tutee]).size)
    return _Solved(_expand(grouped, flow), parts, "classes", flow)


def _expand(grouped: Grouped, flow: ClassFlow) -> IntArray:
    """Pupils for a flow between classes: a tutee class's members in id order take its units (by tutor
    class); a tutor class's places go round its members in id order (one each before anyone gets two)."""
    assign = np.full(len(grouped.tutee_pupils), -1, dtype=np.int64)
    if flow.units.size == 0:
        return assign
    e_cls, t_cls = grouped.tutees, grouped.tutors
    order = np.lexsort((flow.tutor, flow.tutee))
    unit_e = np.repeat(flow.tutee[order], flow.units[order])
    unit_t = np.repeat(flow.tutor[order], flow.units[order])
    rank_e = np.arange(unit_e.size) - np.searchsorted(unit_e, unit_e, side="left")
    tutee_pupil = e_cls.order[e_cls.start[unit_e] + rank_e]
    by_tutor = np.argsort(unit_t, kind="stable")
    sorted_t = unit_t[by_tutor]
    rank_t = np.arange(sorted_t.size) - np.searchsorted(sorted_t, sorted_t, side="left")
    tutor_pupil = np.empty(unit_t.size, dtype=np.int64)
    tutor_pupil[by_tutor] = t_cls.order[t_cls.start[sorted_t] + rank_t % t_cls.size[sorted_t]]
    assign[tutee_pupil] = tutor_pupil
    return assign


# --------------------------------------------------------------------------------------------- solve


@dataclass(frozen=True)
class _Solved:
    assign: IntArray  # tutor index per tutee, -1 = unpaired
    components: int
    solver: str
    flow: ClassFlow = field(default_factory=lambda: ClassFlow(*(np.zeros(0, np.int64),) * 3))  # between classes

    def as_flow(self) -> _Solved:
        """The same with ``flow`` set from ``assign`` (every pupil a class of their own)."""
        matched = np.flatnonzero(self.assign >= 0)
        flow = ClassFlow(matched, self.assign[matched], np.ones(matched.size, dtype=np.int64))
        return replace(self, flow=flow)


def _solve(n: int, caps: IntArray, edges: Edges, unpaired: tuple[IntArray, bool]) -> _Solved:
    """Split into connected parts and solve each exactly."""
    assign = np.full(n, -1, dtype=np.int64)
    if edges.size == 0:
        return _Solved(assign, 0, "")
    m = caps.size
    ones = np.ones(edges.size, dtype=np.int8)
    graph = csr_matrix((ones, (edges.tutee, n + edges.tutor)), shape=(n + m, n + m))
    _, labels = connected_components(graph, directed=False)
    del graph
    edge_label = labels[edges.tutee]
    parts = np.unique(edge_label)
    if parts.size == 1:  # one part (common in one school): no regrouping, no copies
        rows, cols = np.flatnonzero(labels[:n] == parts[0]), np.flatnonzero(labels[n:] == parts[0])
        result, kind = _solve_part(rows, cols, caps, edges, unpaired, n, m)
        assign[rows] = result
        return _Solved(assign, 1, kind)
    order = np.argsort(edge_label, kind="stable")
    bounds = np.searchsorted(edge_label[order], np.append(parts, parts[-1] + 1))
    tutees_by_part = _members(labels[:n], parts)
    tutors_by_part = _members(labels[n:], parts)
    used: set[str] = set()
    for k, part in enumerate(parts):
        sub = edges.where(order[bounds[k] : bounds[k + 1]])
        rows, cols = tutees_by_part[int(part)], tutors_by_part[int(part)]
        result, kind = _solve_part(rows, cols, caps, sub, unpaired, n, m)
        assign[rows] = result
        used.add(kind)
    return _Solved(assign, len(parts), "+".join(sorted(used)))


def _members(labels: IntArray, parts: IntArray) -> dict[int, IntArray]:
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.append(parts, parts[-1] + 1))
    return {int(p): order[bounds[k] : bounds[k + 1]] for k, p in enumerate(parts)}


def _solve_part(
    rows: IntArray,
    cols: IntArray,
    caps: IntArray,
    edges: Edges,
    unpaired: tuple[IntArray, bool],
    n_all: int,
    m_all: int,
) -> tuple[IntArray, str]:
    """Assignment for one part; returns the (global) tutor index per row tutee, -1 for unpaired.

    Rows are the part's tutees in id order; columns are the tutors' places (a tutor with capacity k has
    k identical columns) followed by one private "unpaired" column per tutee.
    """
    n = rows.size
    ei, tj = _local(rows, edges.tutee, n_all), _local(cols, edges.tutor, m_all)
    part_caps = caps[cols]
    base, most_pairs = unpaired
    dummy = base[rows].astype(np.int64)
    if most_pairs:
        dummy += n * (int(edges.cost.max()) + int(dummy.max())) + 1
    start = np.concatenate(([0], np.cumsum(part_caps)[:-1]))
    places = int(part_caps.sum())
    dense = n * (places + n) <= DENSE_MAX_CELLS
    if bool((part_caps == 1).all()):
        r, c, w = ei, tj, edges.cost
    else:
        rep = part_caps[tj]
        offset = np.arange(int(rep.sum())) - np.repeat(np.cumsum(rep) - rep, rep)
        r, c, w = np.repeat(ei, rep), np.repeat(start[tj], rep) + offset, np.repeat(edges.cost, rep)
    if dense:
        col, kind = _dense(n, places, r, c, w, dummy), "dense"
    else:
        col, kind = _sparse(n, places, r, c, w, dummy), "sparse"
    out = np.full(n, -1, dtype=np.int64)
    paired = col < places
    slot_tutor = np.repeat(np.arange(cols.size), part_caps)
    out[paired] = cols[slot_tutor[col[paired]]]
    return out, kind


def _local(members: IntArray, index: IntArray, size: int) -> IntArray:
    """Positions of ``index`` values within ``members`` (all present), by table look-up."""
    table = np.full(size, -1, dtype=np.int64)
    table[members] = np.arange(members.size)
    return table[index]


def _dense(n: int, places: int, r: IntArray, c: IntArray, w: IntArray, dummy: IntArray) -> IntArray:
    """``linear_sum_assignment`` on a full matrix; a forbidden cell costs more than leaving everyone unpaired."""
    from scipy.optimize import linear_sum_assignment  # here: scipy.optimize costs a second to import

    big = float(dummy.sum() + 1)
    matrix = np.full((n, places + n), big)
    matrix[r, c] = w
    matrix[np.arange(n), places + np.arange(n)] = dummy
    rows, cols = linear_sum_assignment(matrix)
    out = np.empty(n, dtype=np.int64)
    out[rows] = cols
    return out


def _sparse(n: int, places: int, r: IntArray, c: IntArray, w: IntArray, dummy: IntArray) -> IntArray:
    """``min_weight_full_bipartite_matching`` on feasible edges plus one unpaired column per tutee.

    Weights are shifted by +1 (the solver needs non-zero weights); every tutee is matched exactly once,
    so the shift adds the same ``n`` to every solution. The CSR arrays are laid out directly: the edges
    arrive grouped by row with increasing columns, and each row's unpaired column comes last.
    """
    per_row = np.bincount(r, minlength=n) + 1
    indptr = np.concatenate(([0], np.cumsum(per_row)))
    at_edge = np.arange(r.size) + r  # entry k of row r sits after r earlier unpaired columns
    at_dummy = indptr[1:] - 1
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    data = np.empty(int(indptr[-1]), dtype=np.float64)
    indices[at_edge], data[at_edge] = c, w + 1.0
    indices[at_dummy], data[at_dummy] = places + np.arange(n), dummy + 1.0
    graph = csr_matrix((data, indices, indptr), shape=(n, places + n))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    out = np.empty(n, dtype=np.int64)
    out[row_ind] = col_ind
    return out


# --------------------------------------------------------------------------------------------- output


def _pairs(
    cast: _Cast, rules: Rules, pinned: Mapping[str, str], tutees: Side, tutors: Side, assign: IntArray
) -> list[Pair]:
    chosen = [(tutor_number, tutee_number, True) for tutee_number, tutor_number in pinned.items()]
    chosen += [(tutors.pupils[j].pupil_id, tutees.pupils[i].pupil_id, False) for i, j in enumerate(assign) if j >= 0]
    out = [_pair(cast.by_id[t], cast.by_id[e], rules, pinned=pin) for t, e, pin in chosen]
    return sorted(out, key=lambda p: (p.tutor_number, p.tutee_number))


def _pair(tutor: Pupil, tutee: Pupil, rules: Rules, *, pinned: bool) -> Pair:
    terms = pair_terms(tutor, tutee, rules)
    t_level, e_level = tutor.level(rules.subject), tutee.level(rules.subject)
    return Pair(
        tutor_number=tutor.pupil_id,
        tutee_number=tutee.pupil_id,
        cost=terms.cost,
        pinned=pinned,
        reasons=pair_reasons(tutor, tutee, rules, terms, pinned=pinned),
        tutor_name=tutor.display_name,
        tutee_name=tutee.display_name,
        tutor_group=tutor.group,
        tutee_group=tutee.group,
        tutor_level=t_level.code if t_level else "",
        tutee_level=e_level.code if e_level else "",
        age_gap_months=terms.age_gap_months,
        margin=terms.margin,
    )


def _unpaired(cast: _Cast, rules: Rules, diagnosis: Diagnosis) -> tuple[Unpaired, ...]:
    """Tutees without data (from ``missing_data``) and the solver's unpaired, sorted by id."""
    out = list(diagnosis.unpaired)
    for pupil in cast.tutees:
        missing = missing_data(pupil, rules)
        if missing is not None:
            out.append(missing)
    return tuple(sorted(out, key=lambda u: u.pupil_id))
