"""Why a tutee stayed unpaired, the smallest change that would pair them, and the bottleneck groups.

**Reason** (first rule that leaves the tutee without any tutor, in this order): no level / no birth date,
no tutors at all, no tutor far enough ahead (``level``), tutors ahead but too old or too young (``age``),
only tutors in the same class (``same_class``), only forbidden pairs (``forbidden``), only poor pairs
(``poor``, best-only), or suitable tutors exist but are all taken (``taken``) — or, best-only, a tutor is
free but the pair would make the total worse (``best_only_left``).

**Suggestion**: candidate relaxations in a fixed order of size (e.g. age bound +6 months before +12;
capacity +1; margin -1), each *checked*: with the relaxed rules, is there a matching with one pair more
that includes this tutee? Starting from the current maximum matching ``M`` (valid under the relaxed
rules too), that holds exactly when an augmenting path exists in the relaxed graph and the tutee has a
suitable tutor there (any tutee with an edge is covered by some maximum matching). One breadth-first
search per relaxation answers it for every unpaired tutee at once. The fallback is "one more tutor at
level X or higher", which always pairs them.

**Bottlenecks**: the vertices reachable from unpaired tutees by alternating paths (König's construction;
the tutors among them form the tutor half of a minimum vertex cover) split into parts where ``a`` tutees
compete for ``p < a`` places. networkx finds the same sets on small graphs (``tests/unit/test_diagnose``);
here scipy does it, because networkx needs seconds for a school of 10,000.

**Classes**: everything above runs on classes of interchangeable pupils (``Grouped``; with
``Classes.singletons`` the plain pupil graph): rule counts weighted by class size, augmenting-path checks
on the class flow, and König's set taken whole per class (it is the same for every maximum matching, so
members of a class are in or out together). Only the wording is per unpaired pupil, so the cost grows
with the classes and the unpaired tutees, not with the pupil pairs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components, maximum_flow

from peermatch.costs import Classes, Edges, Side, build_edges, separate_schools
from peermatch.explain import render
from peermatch.i18n import DEFAULT_LANG, translate
from peermatch.levels import code_for_index
from peermatch.model import Pupil
from peermatch.rules import MAX_CAPACITY, MAX_LEVEL_INDEX, Objective, Rules

__all__ = [
    "Bottleneck",
    "ClassFlow",
    "Diagnosis",
    "Grouped",
    "Unpaired",
    "diagnose",
    "max_matching",
    "missing_data",
    "reachable",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_EPS = 1e-9
_CHUNK_CELLS = 2_000_000
_MAX_BOTTLENECKS = 10
_MAX_GROUPS_SHOWN = 4


@dataclass(frozen=True)
class Unpaired:
    """A tutee without a tutor: why (``reason_code``) and the smallest change that would pair them."""

    pupil_id: str
    reason_code: str
    reason_params: Mapping[str, Any] = field(default_factory=dict)
    suggestion_code: str | None = None
    suggestion_params: Mapping[str, Any] = field(default_factory=dict)
    name: str = ""
    group: str = ""
    level: str = ""  # the tutee's level code in the subject ("" when unknown)
    # The reason in one word: no_level, no_birth_date, no_tutors, level, age_too_old, age_too_young,
    # age_mixed, same_class, forbidden, poor, best_only_left, taken (the message code may be a variant).
    kind: str = ""

    def reason(self, lang: str = DEFAULT_LANG) -> str:
        return render(self.reason_code, self.reason_params, lang)

    def suggestion(self, lang: str = DEFAULT_LANG) -> str:
        return render(self.suggestion_code, self.suggestion_params, lang) if self.suggestion_code else ""

    def to_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        return {
            "pupil_id": self.pupil_id,
            "name": self.name,
            "group": self.group,
            "level": self.level,
            "reason": self.reason(lang),
            "suggestion": self.suggestion(lang),
            "kind": self.kind,
            "reason_code": self.reason_code,
            "reason_params": dict(self.reason_params),
            "suggestion_code": self.suggestion_code,
            "suggestion_params": dict(self.suggestion_params),
        }


@dataclass(frozen=True)
class Bottleneck:
    """A group of tutees competing for too few suitable tutors, e.g. "7 leerlingen in groep 4 ..."."""

    code: str
    params: Mapping[str, Any]
    tutee_numbers: tuple[str, ...]
    tutor_numbers: tuple[str, ...] = ()

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return render(self.code, {**self.params, "who": _who(self.params, lang)}, lang)


def _who(params: Mapping[str, Any], lang: str) -> str:
    """ "groep 4", "groep 3, 4 en 5", or the class names when a grade is unknown."""
    grades, groups = params.get("grades", ()), params.get("groups", ())
    if len(grades) == 1:
        return translate("matching.bottleneck.grade", lang, grade=grades[0])
    if grades:
        head = ", ".join(str(g) for g in grades[:-1])
        return translate("matching.bottleneck.grades", lang, grades=head, last=grades[-1])
    if not groups:
        return translate("matching.bottleneck.unknown_group", lang)
    shown = ", ".join(groups[:_MAX_GROUPS_SHOWN])
    return shown + (" …" if len(groups) > _MAX_GROUPS_SHOWN else "")


@dataclass(frozen=True)
class Diagnosis:
    unpaired: tuple[Unpaired, ...]
    bottlenecks: tuple[Bottleneck, ...]
    max_pairs: int  # the most pairs the hard rules allow (besides pins)


def missing_data(pupil: Pupil, rules: Rules) -> Unpaired | None:
    """An ``Unpaired`` when the pupil lacks the level or birth date that pairing needs, else ``None``."""
    params = {"name": _name(pupil)}
    if pupil.level(rules.subject) is None:
        subject = rules.subject.value
        no_level, add_level = f"matching.unpaired.no_level_{subject}", f"matching.suggestion.add_level_{subject}"
        return _unpaired(pupil, rules, "no_level", no_level, params, add_level)
    if pupil.birth_date is None:
        code, suggestion = "matching.unpaired.no_birth_date", "matching.suggestion.add_birth_date"
        return _unpaired(pupil, rules, "no_birth_date", code, params, suggestion)
    return None


def _name(pupil: Pupil) -> str:
    return pupil.first_name or pupil.pupil_id


def _unpaired(
    pupil: Pupil,
    rules: Rules,
    kind: str,
    code: str,
    params: Mapping[str, Any],
    suggestion: str | None,
    s_params: Mapping[str, Any] | None = None,
) -> Unpaired:
    level = pupil.level(rules.subject)
    s_all = {**params, **(s_params or {})} if suggestion else {}
    return Unpaired(
        pupil.pupil_id,
        code,
        dict(params),
        suggestion,
        s_all,
        pupil.display_name,
        pupil.group,
        level.code if level else "",
        kind,
    )


# --------------------------------------------------------------------------------------------- graphs


def reachable(n: int, m: int, edges: Edges, assign: IntArray) -> tuple[BoolArray, BoolArray]:
    """Tutees and tutors reachable from unmatched tutees by alternating paths (König's set ``Z``).

    ``assign`` is a matching (tutor index per tutee, -1 = unmatched). A tutee reaches every tutor it has
    an edge to; a tutor reaches the tutees matched to it.
    """
    matched = assign >= 0
    flow = ClassFlow(np.flatnonzero(matched), assign[matched], np.ones(int(matched.sum()), dtype=np.int64))
    return _reach(np.ones(n, dtype=np.int64), m, edges, flow)


def max_matching(n: int, caps: IntArray, edges: Edges) -> IntArray:
    """A maximum matching with tutor capacities (Dinic's max flow; scipy's Hopcroft-Karp stalls on
    large dense school graphs). Returns the tutor index per tutee, -1 = unmatched."""
    assign = np.full(n, -1, dtype=np.int64)
    flow = _max_flow(np.ones(n, dtype=np.int64), caps, edges)
    assign[flow.tutee] = flow.tutor
    return assign


@dataclass(frozen=True)
class ClassFlow:
    """A matching between classes: ``units`` tutees of class ``tutee[k]`` with tutors of class ``tutor[k]``.

    With every pupil a class of their own (``Classes.singletons``) it is an ordinary matching.
    """

    tutee: IntArray
    tutor: IntArray
    units: IntArray

    def paired(self, classes: int) -> IntArray:
        """Paired tutees per tutee class."""
        return np.bincount(self.tutee, weights=self.units, minlength=classes).astype(np.int64)

    def load(self, classes: int) -> IntArray:
        """Used places per tutor class."""
        return np.bincount(self.tutor, weights=self.units, minlength=classes).astype(np.int64)


def _reach(size: IntArray, m: int, edges: Edges, flow: ClassFlow) -> tuple[BoolArray, BoolArray]:
    """Classes reachable from tutee classes with an unmatched member, by alternating paths.

    Pupils of one class are interchangeable, so a class is reached as a whole (the set König's construction
    finds is the same for every maximum matching, and so invariant under swapping two members).
    """
    n = size.size
    free = np.flatnonzero(flow.paired(n) < size)
    used = flow.units > 0
    source = n + m
    rows = np.concatenate((np.full(free.size, source), edges.tutee, n + flow.tutor[used]))
    cols = np.concatenate((free, n + edges.tutor, flow.tutee[used]))
    graph = csr_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(n + m + 1, n + m + 1))
    order = breadth_first_order(graph, source, directed=True, return_predecessors=False)
    seen = np.zeros(n + m + 1, dtype=np.bool_)
    seen[order] = True
    return seen[:n], seen[n : n + m]


def _max_flow(size: IntArray, places: IntArray, edges: Edges) -> ClassFlow:
    """A maximum matching between classes (``size`` tutees per tutee class, ``places`` per tutor class)."""
    n, m = size.size, places.size
    if edges.size == 0:
        empty = np.zeros(0, np.int64)
        return ClassFlow(empty, empty, empty)
    source, sink = n + m, n + m + 1
    rows = np.concatenate((np.full(n, source), edges.tutee, n + np.arange(m)))
    cols = np.concatenate((np.arange(n), n + edges.tutor, np.full(m, sink)))
    capacity = np.concatenate((size, size[edges.tutee], places)).astype(np.int32)
    graph = csr_matrix((capacity, (rows, cols)), shape=(n + m + 2, n + m + 2))
    flow = maximum_flow(graph, source, sink, method="dinic").flow
    units = np.asarray(flow[edges.tutee, n + edges.tutor]).reshape(-1).astype(np.int64)
    used = units > 0
    return ClassFlow(edges.tutee[used], edges.tutor[used], units[used])


def _can_grow(size: IntArray, places: IntArray, edges: Edges, flow: ClassFlow) -> bool:
    """Whether ``flow`` (a maximum matching of a subgraph) has an augmenting path in ``edges`` with ``places``."""
    _, tutors = _reach(size, places.size, edges, flow)
    return bool(((flow.load(places.size) < places) & tutors).any())


# --------------------------------------------------------------------------------------------- diagnose


@dataclass(frozen=True)
class Grouped:
    """The problem on classes of interchangeable pupils (``peermatch.costs.Classes``).

    ``caps``: places left per member of each tutor class; ``forbidden``: keys ``tutee class * tutor classes
    + tutor class`` of forbidden class pairs (a pupil with a forbidden pair is a class of their own).
    """

    tutees: Classes
    tutors: Classes
    caps: IntArray
    forbidden: Collection[int]
    tutee_pupils: tuple[Pupil, ...]  # the pupils the classes were made of, in their (id) order
    tutor_pupils: tuple[Pupil, ...]

    @property
    def places(self) -> IntArray:
        return self.tutors.size * self.caps


@dataclass(frozen=True)
class _Context:
    rules: Rules
    grouped: Grouped
    matching: ClassFlow  # a maximum matching of the usable graph
    usable: Edges
    hard: Edges  # every class pair that keeps the hard rules, whatever the capacity left

    @property
    def tutees(self) -> Side:
        return self.grouped.tutees.side

    @property
    def tutors(self) -> Side:
        return self.grouped.tutors.side


def diagnose(
    rules: Rules,
    grouped: Grouped,
    hard: Edges,
    usable: Edges,
    flow: ClassFlow,
    assign: IntArray,
) -> Diagnosis:
    """Reasons, suggestions and bottlenecks for the tutees ``assign`` leaves unpaired.

    ``hard``: class pairs keeping every hard rule (any capacity); ``usable``: the ones the solver could use
    (open capacity, and for best-only not poor); ``flow``: the solver's matching between classes, and
    ``assign`` the same per pupil (tutor pupil index per tutee pupil, -1 = unpaired). Costs per class and
    per unpaired pupil, never per pupil pair.
    """
    e_cls = grouped.tutees
    caps = grouped.caps
    open_hard = hard.where(caps[hard.tutor] > 0)
    best_only = rules.objective is Objective.BEST_ONLY
    if best_only:
        max_pairs = int(_max_flow(e_cls.size, grouped.places, open_hard).units.sum())
    else:
        max_pairs = int((assign >= 0).sum())
    left = np.flatnonzero(assign < 0)
    if left.size == 0:
        return Diagnosis((), (), max_pairs)
    matching = _max_flow(e_cls.size, grouped.places, usable) if best_only else flow
    ctx = _Context(rules, grouped, matching, usable, hard)
    left_classes = np.unique(e_cls.label[left])
    kinds = _classify(ctx, left_classes, open_hard)
    checker = _Checker(ctx, open_hard)
    verdicts = {
        int(c): _verdict(ctx, int(c), kind, params, checker, _relaxations(rules, kind))
        for c, (kind, params) in zip(left_classes, kinds, strict=True)
    }
    unpaired = tuple(_explain(ctx, verdicts[int(e_cls.label[i])], _tutee(grouped, int(i))) for i in left)
    return Diagnosis(unpaired, _bottlenecks(ctx), max_pairs)


def _tutee(grouped: Grouped, index: int) -> Pupil:
    """The tutee pupil at ``index`` of the pupil side the classes were made from."""
    return grouped.tutee_pupils[index]


def _classify(ctx: _Context, left: IntArray, open_hard: Edges) -> list[tuple[str, dict[str, Any]]]:
    """The reason kind and its numbers for each tutee class with unpaired members (vectorised over classes)."""
    rules, tutees, tutors = ctx.rules, ctx.tutees, ctx.tutors
    m = tutors.size
    if m == 0:
        return [("no_tutors", {}) for _ in left]
    usable_deg = np.bincount(ctx.usable.tutee, minlength=tutees.size)
    open_deg = np.bincount(open_hard.tutee, minlength=tutees.size)
    free_tutor = ctx.matching.load(m) < ctx.grouped.places
    has_free = np.zeros(tutees.size, dtype=np.bool_)
    has_free[ctx.usable.tutee[free_tutor[ctx.usable.tutor]]] = True
    counts = _rule_counts(ctx, left)
    out = []
    for k, i in enumerate(left):
        c = {key: int(v[k]) for key, v in counts.items()}
        out.append(_kind(rules, c, int(usable_deg[i]), int(open_deg[i]), bool(has_free[i])))
    return out


def _rule_counts(ctx: _Context, left: IntArray) -> dict[str, IntArray]:
    """Per tutee class: how many tutor pupils pass the level rules (and the school), then also age, class,
    forbids."""
    rules, tutees, tutors = ctx.rules, ctx.tutees, ctx.tutors
    m = tutors.size
    weight = ctx.grouped.tutors.size
    tutor_ok = np.ones(m, dtype=np.bool_)
    if rules.min_tutor_level is not None:
        tutor_ok &= tutors.level >= rules.min_tutor_level - _EPS
    low, high = rules.lowest_age_gap_months, rules.max_age_gap_months
    forbidden = np.fromiter(ctx.grouped.forbidden, dtype=np.int64) if ctx.grouped.forbidden else np.zeros(0, np.int64)
    per_school = separate_schools(tutees, tutors, rules)
    names = ("level", "too_old", "too_young", "age", "class", "allowed")
    parts: dict[str, list[IntArray]] = {k: [] for k in names}
    rows = max(1, _CHUNK_CELLS // m)
    for start in range(0, left.size, rows):
        e = left[start : start + rows]
        level = (tutors.level[None, :] - tutees.level[e, None] >= rules.margin - _EPS) & tutor_ok[None, :]
        if per_school:
            level &= tutees.school[e, None] == tutors.school[None, :]
        gap = tutors.age[None, :] - tutees.age[e, None]
        age = level & (gap >= low) & (gap <= high)
        same = (tutees.group[e, None] == tutors.group[None, :]) & (tutees.group[e, None] >= 0)
        cls = age & (~same if not rules.allow_same_class else True)
        banned = np.isin(e[:, None] * m + np.arange(m)[None, :], forbidden)
        values = (level, level & (gap > high), level & (gap < low), age, cls, cls & ~banned)
        for key, mask in zip(names, values, strict=True):
            parts[key].append((mask.astype(np.int64) @ weight).astype(np.int64))
    return {k: np.concatenate(v) for k, v in parts.items()}


def _kind(
    rules: Rules, c: dict[str, int], usable_deg: int, open_deg: int, has_free: bool
) -> tuple[str, dict[str, Any]]:
    if c["level"] == 0:
        return "level", {}
    if c["age"] == 0:
        direction = "too_old" if c["too_young"] == 0 else "too_young" if c["too_old"] == 0 else "mixed"
        return f"age_{direction}", {"count": c["level"]}
    if c["class"] == 0:
        return "same_class", {"count": c["age"]}
    if c["allowed"] == 0:
        return "forbidden", {"count": c["class"]}
    if rules.objective is Objective.BEST_ONLY and usable_deg == 0 and open_deg > 0:
        return "poor", {"threshold": rules.weights.poor_pair}
    if rules.objective is Objective.BEST_ONLY and usable_deg > 0 and has_free:
        return "best_only_left", {}
    return "taken", {"count": c["allowed"]}


# --------------------------------------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class _Relaxation:
    key: str
    code: str
    params: Mapping[str, Any]
    rules: Rules | None = None  # relaxed hard rules, or None for "same rules"
    extra_place: bool = False  # capacity + 1
    all_pairs: bool = False  # best-only -> most pairs


class _Checker:
    """Answers "does this relaxation let a tutee of class i be paired too?", one graph search per relaxation."""

    def __init__(self, ctx: _Context, open_hard: Edges) -> None:
        self.ctx = ctx
        self.open_hard = open_hard
        self.cache: dict[str, tuple[bool, IntArray]] = {}

    def helps(self, relaxation: _Relaxation, tutee: int) -> bool:
        if not self._has_tutor(relaxation, tutee):  # cheap: one row of the relaxed rules
            return False
        if relaxation.key not in self.cache:
            self.cache[relaxation.key] = self._evaluate(relaxation)
        grows, degree = self.cache[relaxation.key]
        return grows and bool(degree[tutee] > 0)

    def _has_tutor(self, relaxation: _Relaxation, tutee: int) -> bool:
        """Whether the class has any suitable tutor under the relaxed rules (before looking at the others)."""
        if relaxation.rules is None:
            return True
        ctx, m = self.ctx, self.ctx.tutors.size
        row = np.array([tutee], dtype=np.int64)
        forbidden = {k - tutee * m for k in ctx.grouped.forbidden if tutee * m <= k < (tutee + 1) * m}
        edges = build_edges(ctx.tutees.take(row), ctx.tutors, relaxation.rules, forbidden)
        if ctx.rules.objective is Objective.BEST_ONLY:
            edges = edges.where(edges.cost <= ctx.rules.weights.poor_pair)
        return bool((ctx.grouped.caps[edges.tutor] > 0).any())

    def _evaluate(self, relaxation: _Relaxation) -> tuple[bool, IntArray]:
        ctx = self.ctx
        caps = ctx.grouped.caps + 1 if relaxation.extra_place else ctx.grouped.caps
        if relaxation.all_pairs:
            edges = self.open_hard
        else:
            rules = relaxation.rules
            edges = build_edges(ctx.tutees, ctx.tutors, rules, ctx.grouped.forbidden) if rules else ctx.hard
            if ctx.rules.objective is Objective.BEST_ONLY:
                edges = edges.where(edges.cost <= ctx.rules.weights.poor_pair)
            edges = edges.where(caps[edges.tutor] > 0)
        grows = _can_grow(ctx.grouped.tutees.size, ctx.grouped.tutors.size * caps, edges, ctx.matching)
        return grows, np.bincount(edges.tutee, minlength=ctx.tutees.size)


def _relaxations(rules: Rules, kind: str) -> list[_Relaxation]:
    """Candidate changes for one reason kind, smallest first."""
    r = rules
    older = [
        _Relaxation(f"max_age+{d}", "matching.suggestion.max_age",
                    {"value_months": r.max_age_gap_months + d, "now_months": r.max_age_gap_months},
                    replace(r, max_age_gap_months=r.max_age_gap_months + d))
        for d in (6, 12)
    ]  # fmt: skip
    younger: list[_Relaxation] = []
    if not r.allow_same_age and r.min_age_gap_months > 0:
        low = max(r.min_age_gap_months - 6, 0)
        younger.append(
            _Relaxation("min_age-6", "matching.suggestion.min_age",
                        {"value_months": low, "now_months": r.min_age_gap_months}, replace(r, min_age_gap_months=low))
        )  # fmt: skip
    if not r.allow_same_age:
        younger.append(_Relaxation("same_age", "matching.suggestion.same_age", {}, replace(r, allow_same_age=True)))
    options: dict[str, list[_Relaxation]] = {
        "level": _level_relaxations(r),
        "age_too_old": older,
        "age_too_young": younger,
        "age_mixed": older[:1] + younger[:1] + older[1:] + younger[1:],
        "same_class": [
            _Relaxation("same_class", "matching.suggestion.same_class", {}, replace(r, allow_same_class=True))
        ],
        "taken": [
            _Relaxation("capacity", "matching.suggestion.capacity", {"capacity": r.capacity + 1}, extra_place=True)
        ] if r.capacity < MAX_CAPACITY else [],
        "poor": [_Relaxation("most_pairs", "matching.suggestion.most_pairs", {}, all_pairs=True)],
        "best_only_left": [_Relaxation("most_pairs", "matching.suggestion.most_pairs", {}, all_pairs=True)],
    }  # fmt: skip
    return options.get(kind, [])


def _level_relaxations(r: Rules) -> list[_Relaxation]:
    out = []
    if r.margin - 1 >= 1:
        out.append(
            _Relaxation("margin-1", "matching.suggestion.margin",
                        {"value_levels": r.margin - 1, "now_levels": r.margin}, replace(r, margin=r.margin - 1))
        )  # fmt: skip
    if r.min_tutor_level is not None and r.min_tutor_level >= 1:
        low = r.min_tutor_level - 1
        params = {"level": code_for_index(r.subject, low), "now": code_for_index(r.subject, r.min_tutor_level)}
        out.append(_Relaxation("min_level-1", "matching.suggestion.min_level", params, replace(r, min_tutor_level=low)))
    return out


@dataclass(frozen=True)
class _Verdict:
    """What one tutee class gets: reason kind, message code and numbers, and the change that pairs them
    (``relaxation``), or ``extra_tutor`` (one more tutor at the needed level), or nothing."""

    kind: str
    code: str
    params: Mapping[str, Any]
    required: float
    relaxation: _Relaxation | None
    extra_tutor: bool


def _verdict(
    ctx: _Context, i: int, kind: str, params: dict[str, Any], checker: _Checker, options: list[_Relaxation]
) -> _Verdict:
    """The reason and the first candidate change that pairs a tutee of class ``i`` (the same for every member)."""
    rules = ctx.rules
    required = rules.required_tutor_index(float(ctx.tutees.level[i]))
    reachable_level = required <= MAX_LEVEL_INDEX + _EPS
    base: dict[str, Any] = {**_age_params(rules), **params}
    code = f"matching.unpaired.{kind}"
    if kind == "level":
        code = f"matching.unpaired.level_{rules.subject.value}" if reachable_level else "matching.unpaired.level_top"
        best = float(ctx.tutors.level.max())
        base |= {"needed": code_for_index(rules.subject, required), "best": code_for_index(rules.subject, best)}
    elif kind == "taken" and params["count"] == 1:
        code = "matching.unpaired.taken_one"
    for relaxation in options:
        if checker.helps(relaxation, i):
            return _Verdict(kind, code, base, required, relaxation, False)
    extra = not (kind in ("poor", "best_only_left") or not reachable_level)
    return _Verdict(kind, code, base, required, None, extra)


def _explain(ctx: _Context, verdict: _Verdict, pupil: Pupil) -> Unpaired:
    """One unpaired tutee: the class's verdict in words with this pupil's name, level and class."""
    rules = ctx.rules
    level = pupil.level(rules.subject)
    base = {"name": _name(pupil), "tutee_level": level.code if level else "", **verdict.params}
    if verdict.kind == "same_class":
        base["group"] = pupil.group
    if verdict.relaxation is not None:
        r = verdict.relaxation
        return _unpaired(pupil, rules, verdict.kind, verdict.code, base, r.code, r.params)
    if not verdict.extra_tutor:
        return _unpaired(pupil, rules, verdict.kind, verdict.code, base, None)
    return _unpaired(pupil, rules, verdict.kind, verdict.code, base, *_extra_tutor(rules, pupil, verdict.required))


def _age_params(rules: Rules) -> dict[str, Any]:
    return {"low_months": rules.lowest_age_gap_months, "high_months": rules.max_age_gap_months}


def _extra_tutor(rules: Rules, pupil: Pupil, required: float) -> tuple[str, dict[str, Any]]:
    """ "One more tutor at level X or higher, 0.5-3 years older (from another class)": always pairs them."""
    params = {"level": code_for_index(rules.subject, required), **_age_params(rules)}
    if not rules.allow_same_class and pupil.group.strip():
        return "matching.suggestion.extra_tutor_other_class", {**params, "group": pupil.group}
    return "matching.suggestion.extra_tutor", params


# --------------------------------------------------------------------------------------------- bottlenecks


def _bottlenecks(ctx: _Context) -> tuple[Bottleneck, ...]:
    """Groups of tutees that share too few suitable tutors, and tutees with no suitable tutor at all."""
    e_cls = ctx.grouped.tutees
    n, m = e_cls.count, ctx.grouped.tutors.count
    in_z, tutors_z = _reach(e_cls.size, m, ctx.usable, ctx.matching)
    edges = ctx.usable.where(in_z[ctx.usable.tutee])
    degree = np.bincount(edges.tutee, minlength=n)
    shared = _shared(ctx, in_z & (degree > 0), tutors_z, edges)
    lonely = _lonely(ctx, np.flatnonzero(in_z & (degree == 0) & (ctx.matching.paired(n) < e_cls.size)))
    return tuple(shared[:_MAX_BOTTLENECKS]) + lonely


def _pupils_of(classes: Classes, which: IntArray) -> IntArray:
    """The pupil indices of the classes ``which``, in pupil (id) order."""
    if which.size == 0:
        return np.zeros(0, np.int64)
    return np.sort(np.concatenate([classes.members(int(k)) for k in which]))


def _shared(ctx: _Context, tutees_z: BoolArray, tutors_z: BoolArray, edges: Edges) -> list[Bottleneck]:
    g = ctx.grouped
    n, m = g.tutees.count, g.tutors.count
    if not tutees_z.any():
        return []
    graph = csr_matrix((np.ones(edges.size), (edges.tutee, n + edges.tutor)), shape=(n + m, n + m))
    _, labels = connected_components(graph, directed=False)
    out = []
    for label in np.unique(labels[:n][tutees_z]):
        e_classes = np.flatnonzero(tutees_z & (labels[:n] == label))
        t_classes = np.flatnonzero(tutors_z & (labels[n:] == label))
        places = int(g.places[t_classes].sum())
        count = int(g.tutees.size[e_classes].sum())
        if count <= places:  # cannot happen for a maximum matching; keep the report honest anyway
            continue
        e, t = _pupils_of(g.tutees, e_classes), _pupils_of(g.tutors, t_classes)
        required = min(ctx.rules.required_tutor_index(float(x)) for x in ctx.tutees.level[e_classes])
        params = {
            "tutees": count, "tutors": int(t.size), "places": places, "short": count - places,
            "level": code_for_index(ctx.rules.subject, required), **_where(g.tutee_pupils, e),
        }  # fmt: skip
        out.append(
            Bottleneck(
                "matching.bottleneck.shared", params,
                tuple(g.tutee_pupils[k].pupil_id for k in e), tuple(g.tutor_pupils[k].pupil_id for k in t),
            )
        )  # fmt: skip
    return sorted(out, key=lambda b: (-int(b.params["short"]), b.tutee_numbers))


def _lonely(ctx: _Context, classes: IntArray) -> tuple[Bottleneck, ...]:
    """Tutees without any suitable tutor, gathered per jaargroep (or class when the grade is unknown)."""
    pupils = ctx.grouped.tutee_pupils
    groups: dict[str, list[int]] = {}
    for k in _pupils_of(ctx.grouped.tutees, classes):
        pupil = pupils[int(k)]
        key = str(pupil.grade) if pupil.grade is not None else f"~{pupil.group}"
        groups.setdefault(key, []).append(int(k))
    out = []
    for members in groups.values():
        code = "matching.bottleneck.none_one" if len(members) == 1 else "matching.bottleneck.none_many"
        e = np.array(members, dtype=np.int64)
        params = {"tutees": len(members), **_where(pupils, e)}
        out.append(Bottleneck(code, params, tuple(pupils[k].pupil_id for k in members)))
    return tuple(sorted(out, key=lambda b: (-int(b.params["tutees"]), b.tutee_numbers)))


def _where(pupils_all: Sequence[Pupil], idx: IntArray) -> dict[str, Any]:
    """The grades (when every tutee has one) and class names of some tutees, for "who" in a message."""
    pupils = [pupils_all[int(k)] for k in idx]
    known = all(p.grade is not None for p in pupils)
    return {
        "grades": tuple(sorted({p.grade for p in pupils if p.grade is not None})) if known else (),
        "groups": tuple(sorted({p.group for p in pupils if p.group.strip()})),
    }
