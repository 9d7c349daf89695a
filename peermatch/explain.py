"""Why a pair: the plain-language reasons the matcher gives for a pair, and the wording of numbers in them.

Reasons are i18n codes with params (see ``PairReason``), so a stored reason reads in any language later;
:func:`render` words months ("1 jaar en 2 maanden") and levels ("3 niveaus") per language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from peermatch.costs import PairTerms, need_bonus, subject_level
from peermatch.i18n import DEFAULT_LANG, translate
from peermatch.i18n.formatting import plural
from peermatch.model import Pupil
from peermatch.rules import Rules, group_key, levels_behind

__all__ = ["PairReason", "format_levels", "format_months", "pair_reasons", "render"]


@dataclass(frozen=True)
class PairReason:
    """One plain-language reason for a pair; ``cost`` is the points this part adds to the pair's cost.

    The reasons' costs add up to ``Pair.cost``. The tutee's priority (``matching.reason.need``) costs 0;
    its bonus is in ``params["bonus"]``.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    cost: int = 0

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return render(self.code, self.params, lang)


def pair_reasons(tutor: Pupil, tutee: Pupil, rules: Rules, terms: PairTerms, *, pinned: bool) -> tuple[PairReason, ...]:
    """Why this pair: level margin, age gap, motivation, class, the tutee's priority, a pin."""
    t_name, e_name = tutor.first_name or tutor.pupil_id, tutee.first_name or tutee.pupil_id
    names = {"tutor": t_name, "tutee": e_name}
    t_level, e_level = subject_level(tutor, rules), subject_level(tutee, rules)
    reasons: list[PairReason] = []
    if pinned:
        reasons.append(PairReason("matching.reason.pinned", names))
    level_params = {**names, "tutor_level": t_level.code, "tutee_level": e_level.code, "levels": terms.margin}
    reasons.append(PairReason(f"matching.reason.level_{rules.subject.value}", level_params, terms.margin_cost))
    if t_level.converted or e_level.converted:
        reasons.append(PairReason("matching.reason.converted", names))
    elif t_level.low != t_level.high or e_level.low != e_level.high:  # "M4–E4", "<M3", "1F" (peermatch.levels)
        reasons.append(PairReason("levelfile.reason.range", names))
    gap = terms.age_gap_months
    age_code = (
        "matching.reason.older" if gap > 0 else "matching.reason.younger" if gap < 0 else "matching.reason.same_age"
    )
    reasons.append(PairReason(age_code, {**names, "months": abs(gap)}, terms.age_cost))
    reasons.append(_motivation_reason(tutor, names, terms.motivation_cost))
    reasons.extend(_class_reasons(tutor, tutee, names))
    bonus = need_bonus(tutee, rules)
    if bonus > 0:
        behind = levels_behind(e_level.index, tutee.grade)
        params = {**names, "levels": behind, "grade": tutee.grade, "bonus": bonus}
        reasons.append(PairReason("matching.reason.need", params))  # a priority, not part of the pair's cost
    return tuple(reasons)


def _motivation_reason(tutor: Pupil, names: dict[str, str], cost: int) -> PairReason:
    m = tutor.motivation
    if m is None or not 1 <= m <= 5:
        return PairReason("matching.reason.motivation_unknown", names, cost)
    code = "high" if m >= 4 else "mid" if m == 3 else "low"
    return PairReason(f"matching.reason.motivation_{code}", {**names, "motivation": m}, cost)


def _class_reasons(tutor: Pupil, tutee: Pupil, names: dict[str, str]) -> list[PairReason]:
    if not group_key(tutor.group) or not group_key(tutee.group):
        return []
    if group_key(tutor.group) == group_key(tutee.group):
        return [PairReason("matching.reason.same_class", {**names, "group": tutee.group})]
    params = {**names, "tutor_group": tutor.group, "tutee_group": tutee.group}
    return [PairReason("matching.reason.other_class", params)]


# --------------------------------------------------------------------------------------------- text


@lru_cache(maxsize=4096)  # a big roster words the same few hundred gaps thousands of times
def format_months(months: int, lang: str = DEFAULT_LANG) -> str:
    """``14 -> "1 jaar en 2 maanden"`` / ``"1 year and 2 months"``; ``0 -> "0 maanden"``; ``-6 -> "-6 maanden"``."""
    if months < 0:
        return "-" + format_months(-months, lang)
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(plural("matching.unit.year", years, lang))
    if rest or not years:
        parts.append(plural("matching.unit.month", rest, lang))
    return translate("matching.unit.and", lang, a=parts[0], b=parts[1]) if len(parts) == 2 else parts[0]


@lru_cache(maxsize=1024)
def format_levels(levels: float, lang: str = DEFAULT_LANG) -> str:
    """``3 -> "3 niveaus"``, ``1 -> "1 niveau"``, ``1.5 -> "1,5 niveaus"`` / ``"1.5 levels"`` (CLDR's plurals)."""
    return plural("matching.unit.level", abs(levels), lang)


def render(code: str, params: Mapping[str, Any], lang: str = DEFAULT_LANG) -> str:
    """Translate ``code`` with ``params``, wording numbers per language.

    ``months`` (a signed gap) adds ``duration`` ("1 jaar en 2 maanden"); every other ``*_months`` value is
    replaced by its wording; ``levels`` and every ``*_levels`` value become "3 niveaus" / "3 levels".
    """
    p = dict(params)
    for key, value in params.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if key == "months":
            p["duration"] = format_months(int(value), lang)
        elif key.endswith("_months"):
            p[key] = format_months(int(value), lang)
        elif key == "levels" or key.endswith("_levels"):
            p[key] = format_levels(float(value), lang)
    return translate(code, lang, **p)
