"""Feasibility and soft costs of candidate pairs: vectorised for the solver, scalar for pins and reasons
(the reasons' wording is in ``peermatch.explain``).

Soft cost of a pair (whole points, one term per weight, see ``rules.Weights``)::

    age        = w.age_gap    * |age gap in months - ideal_age_gap_months|
    margin     = w.margin     * |level margin - ideal_margin|          (rounded half up)
    motivation = w.motivation * (5 - tutor motivation)                 (unknown motivation counts as 3)

A tutee's **need** is a bonus for being paired: ``w.need * levels behind the usual level of their grade``
(rounded half up; at most 6 levels). It is not part of a pair's cost; the solver charges it for leaving
the tutee unpaired, so when tutors are scarce the furthest-behind tutees go first.

The vectorised builder never loops over pairs in Python: it works on tutee-row chunks of a dense
boolean mask and keeps only the feasible edges (``Edges``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from peermatch.errors import Problem
from peermatch.levels import code_for_index
from peermatch.model import Level, Pupil
from peermatch.rules import MAX_LEVEL_INDEX, NEUTRAL_MOTIVATION, Rules, group_key, levels_behind

__all__ = [
    "Classes",
    "Edges",
    "PairTerms",
    "Side",
    "build_edges",
    "need_bonus",
    "pair_terms",
    "pin_problems",
    "round_half_up",
    "separate_schools",
    "subject_level",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_EPS = 1e-9  # levels are multiples of 0.5: compare margins with a little slack against float noise
_CHUNK_CELLS = 2_000_000  # tutee rows x tutors evaluated at once (bounds the mask's memory)


def round_half_up(value: float) -> int:
    """``2.5 -> 3``, ``0.5 -> 1`` (Python's ``round`` would give 2 and 0)."""
    return int(np.floor(value + 0.5))


# --------------------------------------------------------------------------------------------- arrays


@dataclass(frozen=True)
class Side:
    """One side of the problem (tutees or tutors) as arrays, in the order of ``pupils`` (sorted by id).

    ``level`` is the index the rules use: a tutee's high end, a tutor's low end. ``group`` is a code per
    class name (-1 for an unknown class, which never counts as the same class).
    """

    pupils: tuple[Pupil, ...]
    level: FloatArray
    age: IntArray
    group: IntArray
    motivation: IntArray
    need: IntArray
    school: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))  # a code per school ("" = 0)

    @property
    def size(self) -> int:
        return len(self.pupils)

    @property
    def ids(self) -> list[str]:
        return [p.pupil_id for p in self.pupils]

    def take(self, index: IntArray) -> Side:
        """The pupils at ``index`` (in that order)."""
        need = self.need[index] if self.need.size else self.need
        pupils = tuple(self.pupils[int(k)] for k in index)
        school = self.school[index] if self.school.size else self.school
        return Side(pupils, self.level[index], self.age[index], self.group[index], self.motivation[index], need, school)

    @staticmethod
    def build(
        pupils: Iterable[Pupil],
        rules: Rules,
        *,
        tutors: bool,
        groups: dict[str, int],
        schools: dict[str, int] | None = None,
    ) -> Side:
        """Arrays for pupils that all have a level in the subject and a birth date. ``groups`` and
        ``schools`` number class and school names (shared by both sides, so codes compare)."""
        ps = tuple(pupils)
        levels = [subject_level(p, rules) for p in ps]
        level = np.array([lv.low if tutors else lv.high for lv in levels], dtype=np.float64)
        on = rules.on
        age = np.array([_age(p, on) for p in ps], dtype=np.int64)
        group = np.array([_group_code(p.group, groups) for p in ps], dtype=np.int64)
        motivation = np.array([_motivation(p) for p in ps], dtype=np.int64)
        need = np.array([need_bonus(p, rules) for p in ps], dtype=np.int64) if not tutors else np.zeros(0, np.int64)
        codes = {"": 0} if schools is None else schools
        school = np.array([codes.setdefault(p.school.strip(), len(codes)) for p in ps], dtype=np.int64)
        return Side(ps, level, age, group, motivation, need, school)


@dataclass(frozen=True)
class Classes:
    """The pupils of one ``Side`` grouped into classes of interchangeable pupils.

    Two pupils share a class when every hard rule and every cost treats them alike: same level index, age in
    months, class name (when that matters), motivation and places left (tutors), need bonus (tutees), same
    school. A pupil with a forbidden pair is a class of their own. ``side`` holds one representative per
    class (its first member in id order), so ``build_edges`` on two ``Classes.side`` gives the class edges;
    every class edge stands for ``size[tutee class] * size[tutor class]`` pupil pairs.
    """

    side: Side  # one representative per class
    size: IntArray  # members per class
    order: IntArray  # pupil indices grouped by class, in id order within a class
    start: IntArray  # class k's members are order[start[k] : start[k + 1]]
    label: IntArray  # class per pupil

    @property
    def count(self) -> int:
        return int(self.size.size)

    def members(self, k: int) -> IntArray:
        return self.order[self.start[k] : self.start[k + 1]]

    @staticmethod
    def singletons(side: Side) -> Classes:
        """Every pupil a class of their own (the problem as it is)."""
        index = np.arange(side.size, dtype=np.int64)
        return Classes(side, np.ones(side.size, np.int64), index, np.arange(side.size + 1, dtype=np.int64), index)

    @staticmethod
    def of(side: Side, keys: Iterable[npt.NDArray[Any]]) -> Classes:
        """Classes of pupils whose ``keys`` (one array per attribute, one value per pupil) are all equal."""
        n = side.size
        if n == 0:
            return Classes.singletons(side)
        matrix = np.column_stack([np.asarray(k, dtype=np.float64) for k in keys])
        _, first, label = np.unique(matrix, axis=0, return_index=True, return_inverse=True)
        label = label.reshape(-1).astype(np.int64)
        # number classes by their first member, so class order follows pupil (id) order
        rank = np.empty(first.size, dtype=np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(first.size)
        label = rank[label]
        order = np.argsort(label, kind="stable").astype(np.int64)
        size = np.bincount(label, minlength=first.size).astype(np.int64)
        start = np.concatenate(([0], np.cumsum(size))).astype(np.int64)
        reps = order[start[:-1]]
        return Classes(side.take(reps), size, order, start, label)


def subject_level(pupil: Pupil, rules: Rules) -> Level:
    """The pupil's level in the rules' subject (callers filter out pupils without one first)."""
    level = pupil.level(rules.subject)
    if level is None:
        raise ValueError(f"pupil {pupil.pupil_id} has no level")  # callers filter these out first
    return level


def _age(pupil: Pupil, on: date) -> int:
    age = pupil.age_months(on)
    if age is None:
        raise ValueError(f"pupil {pupil.pupil_id} has no birth date")  # callers filter these out first
    return age


def _group_code(name: str, groups: dict[str, int]) -> int:
    key = group_key(name)
    if not key:
        return -1
    return groups.setdefault(key, len(groups))


def _motivation(pupil: Pupil) -> int:
    m = pupil.motivation
    return m if m is not None and 1 <= m <= 5 else NEUTRAL_MOTIVATION


def need_bonus(tutee: Pupil, rules: Rules) -> int:
    """The tutee's bonus for being paired: ``w.need`` per level behind their grade's usual level."""
    level = tutee.level(rules.subject)
    if level is None:
        return 0
    return round_half_up(rules.weights.need * levels_behind(level.index, tutee.grade))


@dataclass(frozen=True)
class Edges:
    """Feasible pairs as parallel arrays: tutee index, tutor index (into the two ``Side``s) and soft cost.

    Edges are in row-major order (by tutee, then tutor), so the same input always gives the same arrays.
    """

    tutee: IntArray
    tutor: IntArray
    cost: IntArray

    @property
    def size(self) -> int:
        return int(self.tutee.size)

    def where(self, keep: npt.NDArray[Any]) -> Edges:
        """The edges selected by ``keep`` (a boolean mask or an index array); ``self`` when the mask keeps all."""
        if keep.dtype == np.bool_ and bool(keep.all()):
            return self
        return Edges(self.tutee[keep], self.tutor[keep], self.cost[keep])


def build_edges(tutees: Side, tutors: Side, rules: Rules, forbidden: Collection[int] = ()) -> Edges:
    """Every pair that keeps the hard rules (except capacity), with its soft cost (as :func:`pair_terms`).

    ``forbidden`` holds keys ``tutee_index * tutors.size + tutor_index`` of forbidden pairs. Works on
    chunks of tutee rows so the masks stay small, in whole half-levels and months (small integers); the
    margin term comes from a table indexed by the margin, the motivation term from a per-tutor table.
    No Python loop over pairs.
    """
    n, m = tutees.size, tutors.size
    if n == 0 or m == 0:
        empty = np.zeros(0, np.int64)
        return Edges(empty, empty, empty)
    w = rules.weights
    tutor_ok = np.ones(m, dtype=np.bool_)
    if rules.min_tutor_level is not None:
        tutor_ok &= tutors.level >= rules.min_tutor_level - _EPS
    t_half, e_half = _halves(tutors.level), _halves(tutees.level)
    need_half = int(np.ceil(rules.margin * 2 - _EPS))
    span = int(2 * MAX_LEVEL_INDEX) + 1
    margin_table = np.floor(w.margin * np.abs(np.arange(-span, span + 1) / 2 - rules.ideal_margin) + 0.5 + _EPS)
    margin_cost = margin_table.astype(np.int64)
    tutor_cost = (w.motivation * (5 - tutors.motivation)).astype(np.int64)
    t_age, e_age = tutors.age.astype(np.int32), tutees.age.astype(np.int32)
    low, high = rules.lowest_age_gap_months, rules.max_age_gap_months
    rows = max(1, _CHUNK_CELLS // m)
    per_school = separate_schools(tutees, tutors, rules)
    parts: list[tuple[IntArray, IntArray, IntArray]] = []
    for start in range(0, n, rows):
        stop = min(n, start + rows)
        diff = t_half[None, :] - e_half[start:stop, None]
        gap = t_age[None, :] - e_age[start:stop, None]
        ok = (diff >= need_half) & (gap >= low) & (gap <= high) & tutor_ok[None, :]
        if per_school:
            ok &= tutees.school[start:stop, None] == tutors.school[None, :]
        if not rules.allow_same_class:
            tg = tutees.group[start:stop, None]
            ok &= (tg != tutors.group[None, :]) | (tg < 0)
        r, c = np.nonzero(ok)
        cost = np.abs(gap[ok].astype(np.int64) - rules.ideal_age_gap_months)
        if w.age_gap != 1:
            cost *= w.age_gap
        cost += margin_cost[diff[ok] + span]
        cost += tutor_cost[c]
        parts.append((r + start, c, cost))
    ti, tj, costs = (np.concatenate([p[k] for p in parts]) for k in range(3))
    edges = Edges(ti, tj, costs)
    if forbidden and ti.size:
        edges = edges.where(~np.isin(ti * m + tj, np.fromiter(forbidden, dtype=np.int64)))
    return edges


def separate_schools(tutees: Side, tutors: Side, rules: Rules) -> bool:
    """Whether pairs must stay within a school: the sides hold more than one school and the rules keep them apart."""
    if rules.across_schools or not tutees.school.size or not tutors.school.size:
        return False
    values = np.concatenate((tutees.school, tutors.school))
    return bool((values != values[0]).any())


def _halves(level: FloatArray) -> npt.NDArray[np.int32]:
    return np.floor(level * 2 + _EPS).astype(np.int32)


# --------------------------------------------------------------------------------------------- scalar


@dataclass(frozen=True)
class PairTerms:
    """One pair's numbers: the level margin and age gap the rules see, and the cost per term."""

    margin: float
    age_gap_months: int
    age_cost: int
    margin_cost: int
    motivation_cost: int

    @property
    def cost(self) -> int:
        return self.age_cost + self.margin_cost + self.motivation_cost


def pair_terms(tutor: Pupil, tutee: Pupil, rules: Rules) -> PairTerms:
    """The cost terms of one pair (both pupils need a level and a birth date)."""
    w = rules.weights
    margin = subject_level(tutor, rules).low - subject_level(tutee, rules).high
    gap = _age(tutor, rules.on) - _age(tutee, rules.on)
    return PairTerms(
        margin=margin,
        age_gap_months=gap,
        age_cost=w.age_gap * abs(gap - rules.ideal_age_gap_months),
        margin_cost=round_half_up(w.margin * abs(margin - rules.ideal_margin) + _EPS),
        motivation_cost=w.motivation * (5 - _motivation(tutor)),
    )


def pin_problems(tutor: Pupil, tutee: Pupil, rules: Rules, forbidden: bool) -> list[Problem]:
    """The hard rules a pinned pair would break, one ``Problem`` each (empty when the pair is allowed).

    Messages name both pupils and use plain numbers (months, levels), so they read the same in every
    language. Role and capacity are the caller's business (they depend on the whole run).
    """
    names: dict[str, Any] = {"tutor": tutor.first_name or tutor.pupil_id, "tutee": tutee.first_name or tutee.pupil_id}
    out: list[Problem] = []
    t_level, e_level = tutor.level(rules.subject), tutee.level(rules.subject)
    for who, level in ((tutor, t_level), (tutee, e_level)):
        if level is None:
            out.append(Problem("matching.pin.no_level", params={**names, "name": who.first_name or who.pupil_id}))
    if t_level is not None and e_level is not None:
        margin = t_level.low - e_level.high
        if margin < rules.margin - _EPS:
            out.append(
                Problem("matching.pin.margin", params={**names, "levels": f"{margin:g}", "need": f"{rules.margin:g}"})
            )
        if rules.min_tutor_level is not None and t_level.low < rules.min_tutor_level - _EPS:
            out.append(
                Problem("matching.pin.min_level", params={**names, "level": _code(rules, rules.min_tutor_level)})
            )
    for who in (tutor, tutee):
        if who.birth_date is None:
            out.append(Problem("matching.pin.no_birth_date", params={**names, "name": who.first_name or who.pupil_id}))
    if tutor.birth_date is not None and tutee.birth_date is not None:
        gap = _age(tutor, rules.on) - _age(tutee, rules.on)
        low, high = rules.lowest_age_gap_months, rules.max_age_gap_months
        if not low <= gap <= high:
            out.append(Problem("matching.pin.age", params={**names, "months": gap, "low": low, "high": high}))
    if not rules.allow_same_class and group_key(tutor.group) and group_key(tutor.group) == group_key(tutee.group):
        out.append(Problem("matching.pin.same_class", params={**names, "group": tutor.group}))
    if not rules.across_schools and tutor.school.strip() != tutee.school.strip():
        out.append(Problem("matchsize.pin_other_school", params=names))
    if forbidden:
        out.append(Problem("matching.pin.forbidden", params=names))
    return out


def _code(rules: Rules, index: float) -> str:
    return code_for_index(rules.subject, index)
