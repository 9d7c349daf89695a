"""Broader outcomes (issue 13, item 6): a 3-item before/after scale for the tutor and the tutee, pure.

At the start and at the end of a programme both children answer three short statements about themselves in the
programme's subject: confidence ("Ik kan goed lezen"), pleasure ("Ik lees graag") and courage in front of others
("Ik durf hardop voor te lezen"). Each is a tap on one of five faces (1-5), with a picture and words, as the
check-in's "Hoe ging het samen?". *Resultaten* sets the change beside the level growth (:func:`summarise`).

When it is asked (:func:`due_moment`): "voor" from the pair's first session (the kennismaking) until answered,
"na" in the last two planned sessions ("nog 2 keer samen", :mod:`peermatch.pair_stage`) and after the plan ended.
A "voor" not given before the ending is not asked any more (it would no longer be a before). One answer per pupil,
pair and moment: the first one is kept (a second save returns it, nothing is overwritten).
Texts are in ``i18n/outcome.*.toml``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from peermatch.errors import InvalidInputError, Problem
from peermatch.i18n import DEFAULT_LANG, translate
from peermatch.model import Subject
from peermatch.pair_stage import PairStage, Stage

__all__ = [
    "ITEMS",
    "MIN_CELL",
    "ItemChange",
    "Moment",
    "OutcomeAnswer",
    "OutcomeItem",
    "OutcomeRecord",
    "Side",
    "due_moment",
    "summarise",
    "validate_answer",
]

MIN_CELL = 5  # fewer pupils than this: no average is shown (small groups make children recognisable)


class Moment(StrEnum):
    BEFORE = "voor"
    AFTER = "na"


class Side(StrEnum):
    """Whose answer: the pair's tutor or its tutee."""

    TUTOR = "tutor"
    TUTEE = "tutee"


@dataclass(frozen=True)
class OutcomeItem:
    """One statement: ``key`` is the answer's field; ``picture`` goes with the words (for young readers)."""

    key: str
    picture: str

    def text(self, subject: Subject | str, lang: str = DEFAULT_LANG) -> str:
        return translate(f"outcome.item.{Subject(subject).value}.{self.key}", lang)

    def short(self, lang: str = DEFAULT_LANG) -> str:
        """The item's name for staff (a table column): "Zelfvertrouwen", "Plezier", "Durven"."""
        return translate(f"outcome.short.{self.key}", lang)


ITEMS = (OutcomeItem("confidence", "💪"), OutcomeItem("pleasure", "😊"), OutcomeItem("courage", "🗣️"))


@dataclass(frozen=True)
class OutcomeAnswer:
    """What the scale's screen sends for one pair and moment: three faces 1-5."""

    pair_id: int
    moment: Moment | str
    confidence: int | None = None
    pleasure: int | None = None
    courage: int | None = None

    def values(self) -> tuple[int, int, int]:
        return (int(self.confidence or 0), int(self.pleasure or 0), int(self.courage or 0))


def validate_answer(answer: OutcomeAnswer) -> OutcomeAnswer:
    """The answer with its moment as :class:`Moment`, or :class:`InvalidInputError` with every problem: the
    moment "voor" or "na", and each of the three faces given, a whole number 1-5."""
    problems: list[Problem] = []
    try:
        moment = Moment(answer.moment)
    except ValueError:
        problems.append(Problem("outcome.invalid.moment", value=str(answer.moment)[:20]))
        moment = Moment.BEFORE
    for item in ITEMS:
        value = getattr(answer, item.key)
        if value is None:
            problems.append(Problem(f"outcome.invalid.missing_{item.key}"))
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            problems.append(Problem(f"outcome.invalid.{item.key}", value=str(value)[:20]))
    if problems:
        raise InvalidInputError(problems)
    return OutcomeAnswer(answer.pair_id, moment, answer.confidence, answer.pleasure, answer.courage)


def due_moment(stage: PairStage | None, answered: Collection[Moment]) -> Moment | None:
    """The moment to ask now, or None. ``stage`` None (a pair without a plan yet) counts as the start."""
    current = stage.stage if stage is not None else Stage.FIRST
    if current in (Stage.FIRST, Stage.RUNNING):
        return Moment.BEFORE if Moment.BEFORE not in answered else None
    return Moment.AFTER if Moment.AFTER not in answered else None


@dataclass(frozen=True)
class OutcomeRecord:
    """One stored answer, as the aggregation needs it: the pupil, their side in the pair, the moment, 3 faces."""

    pair_id: int
    pupil_id: int
    side: Side
    moment: Moment
    values: tuple[int, int, int]  # in the order of ITEMS


@dataclass(frozen=True)
class ItemChange:
    """One item for one side. Means are None when fewer than :data:`MIN_CELL` pupils gave them (``n_*`` stays:
    the counts are no risk); ``change`` is the mean of after minus before over the pupils who gave both."""

    side: Side
    item: str
    n_before: int
    mean_before: float | None
    n_after: int
    mean_after: float | None
    n_both: int
    change: float | None

    @property
    def suppressed(self) -> bool:
        return any(0 < n < MIN_CELL for n in (self.n_before, self.n_after, self.n_both))


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if len(values) >= MIN_CELL else None


def summarise(records: Iterable[OutcomeRecord]) -> tuple[ItemChange, ...]:
    """Per side (tutor, tutee) and item: the mean before and after and the change over those with both."""
    answers: dict[tuple[Side, int, int], dict[Moment, tuple[int, int, int]]] = {}
    for r in records:
        answers.setdefault((r.side, r.pair_id, r.pupil_id), {})[r.moment] = r.values
    out: list[ItemChange] = []
    for side in Side:
        mine = [m for (s, _, _), m in answers.items() if s is side]
        for i, item in enumerate(ITEMS):
            before = [m[Moment.BEFORE][i] for m in mine if Moment.BEFORE in m]
            after = [m[Moment.AFTER][i] for m in mine if Moment.AFTER in m]
            both = [m[Moment.AFTER][i] - m[Moment.BEFORE][i] for m in mine if len(m) == 2]
            out.append(ItemChange(side, item.key, len(before), _mean(before), len(after), _mean(after), len(both),
                                  _mean(both)))  # fmt: skip
    return tuple(out)
