"""Drawing a quiz paper, grading it, what a tutor may see afterwards, and the attempt record that storage keeps.

A module has a pool of questions; each try asks :data:`QUESTIONS_PER_ATTEMPT` of them (:func:`draw`), with
the choices shuffled. The draw is seeded by the tutor, the module and the attempt number, so a rerun of the
page shows the same paper, and a retry gets a fresh one that avoids the questions of the try before when
the pool allows. The paper is stored with the attempt (the choice order per question), so the answer that is
checked is the one that was shown. After a failed try the tutor learns which questions were wrong and why
the chosen answer is wrong, not which answer is right (:func:`review`); after a pass every explanation is shown.

Retries are unlimited: every try is graded on its own and carries its attempt number; progress
(``progress.py``) counts the best one. Grading is pure: nothing is stored here.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from peermatch.attempts import AnswerRecord, Attempt, percent
from peermatch.errors import Problem, TrainingModuleError
from peermatch.training.modules import Module, Question

__all__ = [
    "DEFAULT_PASS_MARK",
    "QUESTIONS_PER_ATTEMPT",
    "AnswerRecord",
    "Asked",
    "Attempt",
    "Paper",
    "QuestionResult",
    "QuizResult",
    "ReviewItem",
    "draw",
    "grade",
    "next_attempt_number",
    "review",
]

QUESTIONS_PER_ATTEMPT = 3

DEFAULT_PASS_MARK = 80  # percent; 4 of 5 questions passes, with 3 or 4 questions every answer must be right

Answer = int | str | None  # a choice id, a 0-based choice position, or None for "not answered"


@dataclass(frozen=True)
class QuestionResult:
    """How one question went. ``chosen`` is a choice id (``None``: not answered)."""

    question_id: str
    chosen: str | None
    correct: bool
    correct_choice: str
    feedback: str | None  # the feedback of the chosen choice; None when not answered (show training.quiz.unanswered)
    shown: tuple[str, ...] = ()  # the choice ids in the order shown (empty: the module's own order)

    @property
    def answered(self) -> bool:
        return self.chosen is not None


def _passes(correct: int, total: int, pass_mark: float) -> bool:
    return total > 0 and correct * 100 >= pass_mark * total  # exact: no float rounding at the boundary


@dataclass(frozen=True)
class QuizResult:
    """The outcome of one try at a module's quiz."""

    module_id: str
    module_version: int
    attempt: int
    questions: tuple[QuestionResult, ...]
    pass_mark: float = DEFAULT_PASS_MARK

    @property
    def correct(self) -> int:
        return sum(q.correct for q in self.questions)

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def score(self) -> float:
        """Percentage right, 0-100, rounded to one decimal (for display; ``passed`` is exact)."""
        return percent(self.correct, self.total)

    @property
    def passed(self) -> bool:
        return _passes(self.correct, self.total, self.pass_mark)

    @property
    def wrong(self) -> tuple[QuestionResult, ...]:
        return tuple(q for q in self.questions if not q.correct)

    def to_attempt(self, taken_on: date, tutor_id: str = "") -> Attempt:
        """The record to store for this try."""
        return Attempt(
            module_id=self.module_id,
            number=self.attempt,
            taken_on=taken_on,
            correct=self.correct,
            total=self.total,
            passed=self.passed,
            tutor_id=tutor_id,
            module_version=self.module_version,
            answers=tuple(AnswerRecord(q.question_id, q.chosen, q.correct, q.shown) for q in self.questions),
        )


@dataclass(frozen=True)
class Asked:
    """One question on a paper: its id and its choice ids in the order they are shown."""

    question_id: str
    choice_order: tuple[str, ...]


@dataclass(frozen=True)
class Paper:
    """The questions one try asks, in the order shown, each with its shuffled choices."""

    module_id: str
    attempt: int
    asked: tuple[Asked, ...]

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(a.question_id for a in self.asked)

    def order_of(self, question_id: str) -> tuple[str, ...]:
        return next((a.choice_order for a in self.asked if a.question_id == question_id), ())


def _rng(seed_key: str, module_id: str, attempt: int) -> random.Random:
    digest = hashlib.sha256(f"{seed_key}\x1f{module_id}\x1f{attempt}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def draw(
    module: Module,
    *,
    attempt: int,
    seed_key: str,
    previous: Iterable[AnswerRecord] = (),
    count: int = QUESTIONS_PER_ATTEMPT,
) -> Paper:
    """The paper for try number ``attempt`` at ``module``: ``count`` questions of the pool, choices shuffled.

    The same ``seed_key`` (the tutor), module and attempt give the same paper, so a rerun of the page changes
    nothing. ``previous`` are the answers of the try before: the questions it asked come last in line (the
    ones answered wrongly the very last), so a retry gets fresh questions whenever the pool has enough.
    A pool of ``count`` questions or fewer is asked whole.
    """
    if attempt < 1:
        raise TrainingModuleError(Problem("training.bad_attempt", value=str(attempt)))
    rng = _rng(seed_key, module.id, attempt)
    before = {a.question_id: a.correct for a in previous}
    pool = list(module.quiz)
    rng.shuffle(pool)
    pool.sort(key=lambda q: 0 if q.id not in before else (1 if before[q.id] else 2))  # stable: shuffled within a tier
    chosen = pool[: max(count, 0)]
    rng.shuffle(chosen)
    asked = []
    for question in chosen:
        order = [c.id for c in question.choices]
        rng.shuffle(order)
        asked.append(Asked(question.id, tuple(order)))
    return Paper(module.id, attempt, tuple(asked))


def grade(
    module: Module,
    answers: Mapping[str, Answer],
    *,
    pass_mark: float = DEFAULT_PASS_MARK,
    attempt: int = 1,
    paper: Paper | None = None,
) -> QuizResult:
    """Grade ``answers`` (question id -> choice id or 0-based position) against ``module``.

    With a ``paper`` only its questions are graded, in its order, and a position counts in the order the
    choices were shown; without one, every question of the module in the module's order.
    A question missing from ``answers`` (or answered ``None``) counts as wrong. An answer to a
    question that was not asked, or a choice the question does not have, is refused with a
    :class:`TrainingModuleError` listing every such answer; nothing is graded then.
    """
    if isinstance(pass_mark, bool) or not 0 < pass_mark <= 100:
        raise TrainingModuleError(Problem("training.bad_pass_mark", value=str(pass_mark)))
    if attempt < 1:
        raise TrainingModuleError(Problem("training.bad_attempt", value=str(attempt)))

    problems: list[Problem] = []
    asked: list[tuple[Question, tuple[str, ...]]]
    if paper is None:
        asked = [(q, ()) for q in module.quiz]
    else:
        asked = []
        for item in paper.asked:
            found = module.question(item.question_id)
            if found is None or sorted(item.choice_order) != sorted(c.id for c in found.choices):
                problems.append(
                    Problem("practice.paper_changed", column=item.question_id, value=item.question_id,
                            params={"module": module.id})
                )  # fmt: skip
                continue
            asked.append((found, item.choice_order))
    known = {q.id for q, _ in asked}
    for question_id in answers:
        if question_id not in known:
            problems.append(
                Problem("training.unknown_question", column=str(question_id), value=str(question_id),
                        params={"module": module.id})
            )  # fmt: skip

    results: list[QuestionResult] = []
    for question, shown in asked:
        given = answers.get(question.id)
        if given is None:
            results.append(QuestionResult(question.id, None, False, question.answer, None, shown))
            continue
        if shown and isinstance(given, int) and not isinstance(given, bool):
            given = shown[given] if 0 <= given < len(shown) else str(given)
        choice = question.choice(given)
        if choice is None:
            problems.append(
                Problem("training.unknown_choice", column=question.id, value=str(given),
                        params={"module": module.id, "ids": ", ".join(c.id for c in question.choices)})
            )  # fmt: skip
            continue
        results.append(QuestionResult(question.id, choice.id, choice.id == question.answer, question.answer,
                                      choice.feedback, shown))  # fmt: skip
    if problems:
        raise TrainingModuleError(problems)
    return QuizResult(module.id, module.version, attempt, tuple(results), pass_mark)


@dataclass(frozen=True)
class ReviewItem:
    """What a tutor sees of one question after a try.

    After a failed try: whether it was right, the chosen answer and why it is (not) right; never the right
    answer (``right_text`` and ``right_feedback`` are ``None``), so the retry still asks for understanding.
    After a pass: also the right answer and its explanation for a question answered wrongly."""

    question_id: str
    question: str
    correct: bool
    chosen_text: str | None  # None: not answered
    explanation: str | None  # the feedback of the chosen choice
    right_text: str | None = None
    right_feedback: str | None = None


def review(module: Module, result: QuizResult) -> tuple[ReviewItem, ...]:
    """The per-question feedback to show after ``result`` (see :class:`ReviewItem` for what is withheld)."""
    items = []
    for outcome in result.questions:
        question = module.question(outcome.question_id)
        if question is None:
            continue
        chosen = question.choice(outcome.chosen) if outcome.chosen is not None else None
        reveal = result.passed and not outcome.correct
        items.append(
            ReviewItem(
                question_id=question.id,
                question=question.question,
                correct=outcome.correct,
                chosen_text=chosen.text if chosen else None,
                explanation=chosen.feedback if chosen else None,
                right_text=question.correct_choice.text if reveal else None,
                right_feedback=question.correct_choice.feedback if reveal else None,
            )
        )
    return tuple(items)


def next_attempt_number(attempts: Iterable[Attempt], module_id: str, tutor_id: str | None = None) -> int:
    """The number the next try at ``module_id`` gets (1 when there was none)."""
    numbers = [a.number for a in attempts if a.module_id == module_id and (tutor_id is None or a.tutor_id == tutor_id)]
    return max(numbers, default=0) + 1
