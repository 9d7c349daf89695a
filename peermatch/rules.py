"""The teacher's matching rules: hard rules, soft-cost weights and the objective.

Hard rules (a proposed pair never breaks one; a pin that breaks one is refused):

* **margin** — ``tutor index - tutee index >= margin`` on the shared level index (a tutor counts at the low
  end of a converted old-AVI range, a tutee at the high end). Default 2: SLO asks a reading tutor to read
  "minstens twee niveaus hoger" (``shared/domain/levels.md`` §1.7, §2.6).
* **min_tutor_level** — the tutor's index is at least this (Praxisbulletin: tutor at least AVI 5 old-scale).
* **age gap** — ``min_age_gap_months <= tutor age - tutee age <= max_age_gap_months`` (tutor 0.5-3 years
  older by default). ``allow_same_age`` lowers the bound to ``SAME_AGE_MIN_GAP_MONTHS`` (-12): pupils of one
  jaargroep are up to about a year apart either way, so "same age" means the tutor may be up to a year
  *younger*; the level margin still guarantees the tutor is ahead in the subject.
* **willing** — only tutor candidates (role, groups) tutor; see :func:`tutor_candidate`.
* **different class** unless ``allow_same_class`` (an unknown, empty class never counts as the same class).
* **forbidden pairs** (the caller's forbids and every pupil's ``not_with``, both directions).
* **capacity** — at most ``capacity`` tutees per tutor (1-3).
* **same school** — a roster that holds several schools (``Pupil.school``) is matched per school unless
  ``across_schools``.

Soft costs are whole points, one term per :class:`Weights` field, so every pair can be explained term by
term; see ``peermatch.costs``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum

from peermatch.errors import Problem, RuleError
from peermatch.i18n import DEFAULT_LANG, translate
from peermatch.model import Pupil, Role, Subject

__all__ = [
    "MAX_CAPACITY",
    "MAX_LEVEL_INDEX",
    "NEUTRAL_MOTIVATION",
    "SAME_AGE_MIN_GAP_MONTHS",
    "Objective",
    "Rules",
    "Weights",
    "expected_index",
    "group_key",
    "in_groups",
    "levels_behind",
    "tutee_candidate",
    "tutor_candidate",
]

MAX_CAPACITY = 3
MAX_LEVEL_INDEX = 11.0
SAME_AGE_MIN_GAP_MONTHS = -12  # with allow_same_age: the tutor may be up to a year younger (same jaargroep)
NEUTRAL_MOTIVATION = 3  # an unknown motivation costs as much as a middling "3 of 5"
MAX_NEED_LEVELS = 6.0  # "behind" is capped at 6 levels (3 school years) so the bonus stays bounded
_MAX_WEIGHT = 1000
_MAX_GAP_MONTHS = 120


class Objective(StrEnum):
    """What the matcher optimises.

    ``MOST_PAIRS``: as many paired tutees as the hard rules allow, then the lowest total cost.
    ``BEST_ONLY``: never a *poor* pair (one costing more than ``Weights.poor_pair`` points), and leave a
    tutee unpaired when pairing them would add more than ``poor_pair`` points (plus their need bonus)
    to the total.
    """

    MOST_PAIRS = "most_pairs"
    BEST_ONLY = "best_only"


@dataclass(frozen=True)
class Weights:
    """Integer weights of the soft costs (points). ``describe`` gives the teacher's one-line explanation.

    Scale: one month away from the ideal age gap costs ``age_gap`` points; one level away from the ideal
    margin costs ``margin`` points (a level is half a school year, so 6 makes a level weigh like 6 months).
    """

    age_gap: int = 1  # per month the age gap is away from the ideal gap
    margin: int = 6  # per level the level margin is away from the ideal margin
    motivation: int = 4  # per step the tutor's motivation is below 5 (unknown counts as 3)
    need: int = 6  # bonus per level a tutee is behind the usual level of their grade (capped at 6 levels)
    # BEST_ONLY: a pair costing more than this is *poor* and never made. 40 lets one term be far off (a
    # tutor 2 years older than ideal = 24, or 6 levels ahead instead of 3 = 18) but not two at once.
    poor_pair: int = 40

    def validate(self) -> list[Problem]:
        problems = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_WEIGHT:
                problems.append(Problem("matching.rule.weight_range", value=str(value), params=_p(name=f.name)))
        return problems

    @staticmethod
    def describe(name: str, lang: str = DEFAULT_LANG) -> str:
        """The teacher's explanation of one weight, e.g. ``describe("age_gap")``."""
        return translate(f"matching.weight.{name}", lang)


def _p(**params: object) -> dict[str, object]:
    return dict(params)


@dataclass(frozen=True)
class Rules:
    """One matching run's rules. Call :meth:`validate` (``match`` does) before trusting them."""

    subject: Subject
    margin: float = 2  # tutor index - tutee index >= margin ("2 AVI levels", SLO)
    min_tutor_level: float | None = None  # the tutor's index is at least this
    min_age_gap_months: int = 6  # tutor older by at least half a year ...
    max_age_gap_months: int = 36  # ... and at most three years
    allow_same_age: bool = False  # lower age bound becomes SAME_AGE_MIN_GAP_MONTHS (-12)
    allow_same_class: bool = False
    capacity: int = 1  # tutees per tutor, 1..3
    objective: Objective = Objective.MOST_PAIRS
    weights: Weights = field(default_factory=Weights)
    ideal_age_gap_months: int = 12  # about a year older (Rotterdam research; levels.md §2.6)
    # Ideal 3, one above the hard minimum: the tutor must *master* the text the tutee practises at their
    # instructieniveau, a level measured once or twice a year is easily one level off, and a margin of 2
    # sits on the edge of the rule. Much larger gaps are discouraged too ("don't pair highest with lowest").
    ideal_margin: float = 3
    tutor_groups: frozenset[str] = frozenset()  # group names or grades ("7", "7B") whose pupils may tutor
    tutee_groups: frozenset[str] = frozenset()
    reference_date: date | None = None  # the day ages are counted on; None = today
    across_schools: bool = False  # a roster of several schools: pairs may cross schools (never, by default)

    @property
    def lowest_age_gap_months(self) -> int:
        """The effective lower bound of the age gap (``allow_same_age`` lowers it)."""
        if self.allow_same_age:
            return min(self.min_age_gap_months, SAME_AGE_MIN_GAP_MONTHS)
        return self.min_age_gap_months

    @property
    def on(self) -> date:
        """The reference date for ages."""
        return self.reference_date or date.today()

    def required_tutor_index(self, tutee_index: float) -> float:
        """The lowest tutor index that satisfies the level rules for a tutee at ``tutee_index``."""
        need = tutee_index + self.margin
        return max(need, self.min_tutor_level) if self.min_tutor_level is not None else need

    def problems(self) -> list[Problem]:
        """Everything wrong with these rules (empty when valid)."""
        out: list[Problem] = []
        if not isinstance(self.subject, Subject):
            out.append(Problem("matching.rule.subject", value=str(self.subject)))
        if not 0 <= self.margin <= MAX_LEVEL_INDEX or (self.margin * 2) % 1:
            out.append(Problem("matching.rule.margin_range", value=str(self.margin)))
        if self.min_tutor_level is not None and not 0 <= self.min_tutor_level <= MAX_LEVEL_INDEX:
            out.append(Problem("matching.rule.min_level_range", value=str(self.min_tutor_level)))
        if not -_MAX_GAP_MONTHS <= self.min_age_gap_months <= self.max_age_gap_months <= _MAX_GAP_MONTHS:
            out.append(
                Problem(
                    "matching.rule.age_range",
                    params=_p(low=self.min_age_gap_months, high=self.max_age_gap_months),
                )
            )
        if isinstance(self.capacity, bool) or not isinstance(self.capacity, int) or not 1 <= self.capacity <= 3:
            out.append(Problem("matching.rule.capacity_range", value=str(self.capacity)))
        if not isinstance(self.objective, Objective):
            out.append(Problem("matching.rule.objective", value=str(self.objective)))
        if not -_MAX_GAP_MONTHS <= self.ideal_age_gap_months <= _MAX_GAP_MONTHS:
            out.append(Problem("matching.rule.ideal_age_range", value=str(self.ideal_age_gap_months)))
        if not 0 <= self.ideal_margin <= MAX_LEVEL_INDEX:
            out.append(Problem("matching.rule.ideal_margin_range", value=str(self.ideal_margin)))
        out.extend(self.weights.validate())
        return out

    def validate(self) -> None:
        """Raise :class:`RuleError` listing every problem, or return quietly."""
        problems = self.problems()
        if problems:
            raise RuleError(problems)


def group_key(name: str) -> str:
    """How class names compare: trimmed, case-insensitive (``" 5b"`` is ``"5B"``)."""
    return name.strip().casefold()


def in_groups(pupil: Pupil, groups: frozenset[str]) -> bool:
    """Whether the pupil's class name or jaargroep (as text) is one of ``groups``."""
    keys = {group_key(g) for g in groups}
    own = {group_key(pupil.group)} if pupil.group.strip() else set()
    if pupil.grade is not None:
        own.add(str(pupil.grade))
    return bool(own & keys)


def tutor_candidate(pupil: Pupil, rules: Rules) -> bool:
    """TUTOR (in ``tutor_groups`` when set) or OPEN in ``tutor_groups``; never TUTEE, NONE."""
    if pupil.role is Role.TUTOR:
        return not rules.tutor_groups or in_groups(pupil, rules.tutor_groups)
    if pupil.role is Role.OPEN:
        return in_groups(pupil, rules.tutor_groups) and not in_groups(pupil, rules.tutee_groups)
    return False


def tutee_candidate(pupil: Pupil, rules: Rules) -> bool:
    """TUTEE (in ``tutee_groups`` when set) or OPEN in ``tutee_groups``; an OPEN pupil in both takes no part."""
    if pupil.role is Role.TUTEE:
        return not rules.tutee_groups or in_groups(pupil, rules.tutee_groups)
    if pupil.role is Role.OPEN:
        return in_groups(pupil, rules.tutee_groups) and not in_groups(pupil, rules.tutor_groups)
    return False


def expected_index(grade: int | None) -> float | None:
    """The usual level mid-year in a jaargroep: groep 3 -> M3 (1), groep 5 -> M5 (5), groep 8 -> 11."""
    if grade is None:
        return None
    return float(min(max(2 * grade - 5, 0), int(MAX_LEVEL_INDEX)))


def levels_behind(level_index: float, grade: int | None) -> float:
    """How many levels a pupil is below the usual level of their grade (0 when at or above it), capped."""
    expected = expected_index(grade)
    if expected is None:
        return 0.0
    return min(max(expected - level_index, 0.0), MAX_NEED_LEVELS)
