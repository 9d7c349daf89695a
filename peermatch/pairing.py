"""Glue between a programme and the matcher: rules from the programme, a proposal (result, drafts and the
summary to keep), suggestions applied to the rules, a replacement tutor with the least disruption, and a swap.

:func:`propose` is the one way from pupils, rules, pins and forbids to a match: the app (a stored programme)
and the command line (a file) both call it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from peermatch.costs import pin_problems
from peermatch.diagnose import Unpaired
from peermatch.drafts import PairDraft
from peermatch.errors import Problem, RuleError
from peermatch.explain import PairReason
from peermatch.i18n import DEFAULT_LANG
from peermatch.levels import MATHS_CODES, READING_CODES
from peermatch.matching import MatchResult, Pair, Progress, match
from peermatch.model import Pupil, Subject
from peermatch.rules import Objective, Rules, tutor_candidate

__all__ = [
    "DEFAULT_MAX_MEMORY_MB",
    "DEFAULT_RULES",
    "MIN_TUTOR_LEVELS",
    "RULE_KEYS",
    "PairIds",
    "Proposal",
    "TopUp",
    "apply_suggestion",
    "drafts",
    "explain",
    "min_level_index",
    "propose",
    "reasons_json",
    "replacement_tutor",
    "rules_for",
    "swap_tutors",
    "top_up",
    "unpaired_from_json",
    "unpaired_to_json",
]

DEFAULT_RULES: dict[str, Any] = {
    "margin": 2.0,
    "min_age_gap_months": 6,
    "max_age_gap_months": 36,
    "allow_same_age": False,
    "allow_same_class": False,
    "capacity": 1,
    "objective": Objective.MOST_PAIRS.value,
    "min_tutor_level": None,  # a level code ("E6", "Plus") or None: no minimum beyond the margin
}
RULE_KEYS = tuple(DEFAULT_RULES)
# A match estimated to need more memory is refused with a clear message (``matchsize.too_big``) instead of
# pressing a shared server into swap or an out-of-memory kill; a 50,000-pupil board needs about 0.5 GB.
DEFAULT_MAX_MEMORY_MB = 4000.0

# the minimum tutor levels a programme offers: the codes reading and maths share, then AVI Plus (= maths M8)
MIN_TUTOR_LEVELS: tuple[str, ...] = (*[c for c in READING_CODES if c in MATHS_CODES], "Plus")


def min_level_index(code: object) -> float | None:
    """The level index of a stored minimum tutor level ("E6"; "Plus" is AVI Plus or maths M8), None for none."""
    if code is None or str(code).strip() == "":
        return None
    text = str(code).strip()
    if text == "Plus":
        return READING_CODES["Plus"]
    if text not in MATHS_CODES:
        raise RuleError(
            Problem("matching.rule.min_level_code", value=text, params={"codes": ", ".join(MIN_TUTOR_LEVELS)})
        )
    return MATHS_CODES[text]


PairIds = tuple[str, str]  # (tutor number, tutee number)


def rules_for(
    subject: Subject,
    stored: Mapping[str, Any],
    tutor_groups: Sequence[str],
    tutee_groups: Sequence[str],
    *,
    reference_date: date | None = None,
) -> Rules:
    """The matcher's rules from a programme's stored rules (missing keys take the defaults)."""
    values = {**DEFAULT_RULES, **{k: v for k, v in stored.items() if k in DEFAULT_RULES}}
    return Rules(
        subject=subject,
        margin=float(values["margin"]),
        min_age_gap_months=int(values["min_age_gap_months"]),
        max_age_gap_months=int(values["max_age_gap_months"]),
        allow_same_age=bool(values["allow_same_age"]),
        allow_same_class=bool(values["allow_same_class"]),
        capacity=int(values["capacity"]),
        objective=Objective(values["objective"]),
        min_tutor_level=min_level_index(values["min_tutor_level"]),
        tutor_groups=frozenset(tutor_groups),
        tutee_groups=frozenset(tutee_groups),
        reference_date=reference_date,
    )


def reasons_json(pair: Pair) -> list[dict[str, Any]]:
    """The pair's reasons as codes with params and cost (JSON), to store and show in any language later."""
    return [{"code": r.code, "params": dict(r.params), "cost": r.cost} for r in pair.reasons]


def drafts(result: MatchResult) -> list[PairDraft]:
    """The result's pairs as storage drafts; explanations are stored as reason codes (shown in any language)."""
    return [PairDraft(p.tutor_number, p.tutee_number, float(p.cost), reasons_json(p), p.pinned) for p in result.pairs]


_UNPAIRED_FIELDS = ("pupil_id", "reason_code", "reason_params", "suggestion_code", "suggestion_params", "name",
                    "group", "level", "kind")  # fmt: skip


def unpaired_to_json(result: MatchResult) -> list[dict[str, Any]]:
    """The unpaired tutees as codes and params (JSON), to keep with a run and show in any language later."""
    items = [{f: getattr(u, f) for f in _UNPAIRED_FIELDS} for u in result.unpaired]
    loaded: list[dict[str, Any]] = json.loads(json.dumps(items, default=str))
    return loaded


@dataclass(frozen=True)
class Proposal:
    """A match ready to show (``result``) and to store (``drafts``, and ``summary`` to keep with the run)."""

    result: MatchResult
    drafts: tuple[PairDraft, ...]
    summary: dict[str, Any]  # the result's summary in ``lang``, with the unpaired tutees as codes


def propose(
    pupils: Sequence[Pupil],
    rules: Rules,
    *,
    pins: Iterable[PairIds] = (),
    forbids: Iterable[PairIds] = (),
    taken: Mapping[str, int] | None = None,
    lang: str = DEFAULT_LANG,
    progress: Progress | None = None,
    max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB,
) -> Proposal:
    """Match ``pupils`` under ``rules`` (pins kept, forbids never made, ``taken`` places per tutor already used):
    the result, its drafts and its summary.

    Raises ``RuleError`` as :func:`peermatch.matching.match` does (invalid rules, impossible pins, a roster
    estimated to need more than ``max_memory_mb`` ...).
    """
    result = match(
        pupils,
        rules,
        pins=pins,
        forbids=forbids,
        taken=taken,
        lang=lang,
        progress=progress,
        max_memory_mb=max_memory_mb,
    )
    by_id = {p.pupil_id: p for p in pupils}
    unused = [{"pupil_id": n, "name": by_id[n].first_name, "group": by_id[n].group} for n in result.unused_tutors]
    summary = {**result.summary.to_dict(lang), "unpaired_detail": unpaired_to_json(result), "unused_tutors": unused}
    return Proposal(result, tuple(drafts(result)), summary)


@dataclass(frozen=True)
class TopUp:
    """What the matcher gets when a programme already has published pairs: those decisions are facts.

    ``pupils`` without the tutees of active pairs (they keep their maatje), ``pins`` without pins on those
    tutees (``skipped_pins`` names them), ``forbids`` plus every pair that was ended (it never comes back;
    only those between pupils still taking part), and ``taken``: per tutor, the places its active pairs use.
    """

    pupils: tuple[Pupil, ...]
    pins: tuple[PairIds, ...]
    forbids: tuple[PairIds, ...]
    taken: Mapping[str, int]
    skipped_pins: tuple[PairIds, ...]


def top_up(
    pupils: Sequence[Pupil],
    pins: Iterable[PairIds],
    forbids: Iterable[PairIds],
    *,
    active: Iterable[PairIds],
    ended: Iterable[PairIds],
) -> TopUp:
    """Re-optimise only the tutees without an active pair: ``active`` and ``ended`` are the published run's
    pairs ``(tutor number, tutee number)`` that run and that were ended (by a teacher, not superseded)."""
    active = list(active)
    busy = {tutee for _, tutee in active}
    taken: dict[str, int] = {}
    for tutor, _ in active:
        taken[tutor] = taken.get(tutor, 0) + 1
    pins = sorted(set(pins))
    left = tuple(p for p in pupils if p.pupil_id not in busy)
    ids = {p.pupil_id for p in left}
    return TopUp(
        pupils=left,
        pins=tuple(pin for pin in pins if pin[1] not in busy),
        forbids=tuple(sorted(f for f in {*forbids, *ended} if f[0] in ids and f[1] in ids)),
        taken=taken,
        skipped_pins=tuple(pin for pin in pins if pin[1] in busy and pin not in active),
    )


def unpaired_from_json(items: Any) -> list[Unpaired]:
    """Back from :func:`unpaired_to_json` (items that do not fit are skipped)."""
    out = []
    for item in items or ():
        if isinstance(item, Mapping) and "pupil_id" in item and "reason_code" in item:
            out.append(Unpaired(**{f: item[f] for f in _UNPAIRED_FIELDS if f in item}))
    return out


def explain(explanation: Any, lang: str = DEFAULT_LANG) -> str:
    """A stored explanation (reason codes with params, or plain text) as one text."""
    if isinstance(explanation, str):
        return explanation
    parts = []
    for item in explanation or ():
        if isinstance(item, Mapping) and "code" in item:
            parts.append(PairReason(str(item["code"]), dict(item.get("params") or {})).text(lang))
        else:
            parts.append(str(item))
    return " ".join(parts)


_SUGGESTION_CHANGES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "matching.suggestion.margin": lambda p: {"margin": float(p["value_levels"])},
    "matching.suggestion.capacity": lambda p: {"capacity": int(p["capacity"])},
    "matching.suggestion.max_age": lambda p: {"max_age_gap_months": int(p["value_months"])},
    "matching.suggestion.min_age": lambda p: {"min_age_gap_months": int(p["value_months"])},
    "matching.suggestion.same_age": lambda p: {"allow_same_age": True},
    "matching.suggestion.same_class": lambda p: {"allow_same_class": True},
    "matching.suggestion.most_pairs": lambda p: {"objective": Objective.MOST_PAIRS.value},
    "matching.suggestion.min_level": lambda p: {"min_tutor_level": str(p["level"])},
}


def apply_suggestion(stored: Mapping[str, Any], unpaired: Unpaired) -> dict[str, Any] | None:
    """The programme's rules with the unpaired tutee's suggested change applied; None when the suggestion
    is not a rule change (e.g. "fill in the level" or "one more tutor at E6")."""
    change = _SUGGESTION_CHANGES.get(unpaired.suggestion_code or "")
    if change is None:
        return None
    params = dict(unpaired.suggestion_params)
    try:
        return {**DEFAULT_RULES, **stored, **change(params)}
    except (KeyError, TypeError, ValueError):
        return None


def replacement_tutor(
    pupils: Sequence[Pupil],
    rules: Rules,
    tutee_number: str,
    *,
    load: Mapping[str, int],
    exclude: Sequence[str] = (),
) -> Pair | None:
    """The best tutor for one tutee among tutors with a free place, leaving every other pair untouched.

    ``load`` is the number of active tutees per tutor; tutors at ``rules.capacity`` and those in ``exclude``
    (e.g. the tutor who left) are not considered. Returns None when no free tutor meets the hard rules.
    """
    tutee = next((p for p in pupils if p.pupil_id == tutee_number), None)
    if tutee is None:
        return None
    free = [
        p
        for p in pupils
        if p.pupil_id != tutee_number
        and p.pupil_id not in exclude
        and load.get(p.pupil_id, 0) < rules.capacity
        and tutor_candidate(p, rules)
    ]
    if not free:
        return None
    one_place = replace(rules, capacity=1, objective=Objective.MOST_PAIRS)
    result = match([tutee, *free], one_place)
    return result.pairs[0] if result.pairs else None


def swap_tutors(
    pupils: Sequence[Pupil],
    rules: Rules,
    first: PairIds,
    second: PairIds,
    *,
    forbids: Collection[PairIds] = (),
) -> tuple[PairIds, PairIds]:
    """The two pairs with their tutors swapped: ``(tutor2, tutee1), (tutor1, tutee2)``.

    Raises ``RuleError`` with every hard rule a new pair would break (level margin, age gap, same class,
    a forbidden pair or a pupil's ``not_with``, as in the matcher ...), each message naming both pupils, so
    nothing is swapped half. Loads do not change, so capacity is never the problem; the same tutor twice
    (nothing to swap) is refused.
    """
    by_id = {p.pupil_id: p for p in pupils}
    (tutor1, tutee1), (tutor2, tutee2) = first, second
    unknown = [x for x in (tutor1, tutee1, tutor2, tutee2) if x not in by_id]
    if unknown:
        raise RuleError([Problem("matching.pin.unknown", value=x) for x in unknown])
    if tutor1 == tutor2 or tutee1 == tutee2:
        tutor = by_id[tutor1]
        raise RuleError(Problem("matching.swap.same_tutor", params={"tutor": tutor.first_name or tutor1}))
    forbidden = {(str(a), str(b)) for a, b in forbids}
    new = ((tutor2, tutee1), (tutor1, tutee2))
    problems: list[Problem] = []
    for new_tutor, new_tutee in new:
        t, e = by_id[new_tutor], by_id[new_tutee]
        barred = (new_tutor, new_tutee) in forbidden or new_tutee in t.not_with or new_tutor in e.not_with
        problems += pin_problems(t, e, rules, barred)
    if problems:
        raise RuleError(problems)
    return new
