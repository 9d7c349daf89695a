"""Grading a quiz, and the attempt record that storage keeps.

Retries are unlimited: every try is graded on its own and carries its attempt number; progress
(``progress.py``) counts the best one. Grading is pure: nothing is stored here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from peermatch.attempts import AnswerRecord, Attempt, percent
from peermatch.errors import Problem, TrainingModuleError
from peermatch.training.modules import Module

__all__ = [
    "DEFAULT_PASS_MARK",
    "AnswerRecord",
    "Attempt",
    "QuestionResult",
    "QuizResult",
    "grade",
    "next_attempt_number",
]

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
            answers=tuple(AnswerRecord(q.question_id, q.chosen, q.correct) for q in self.questions),
        )


def grade(
    module: Module,
    answers: Mapping[str, Answer],
    *,
    pass_mark: float = DEFAULT_PASS_MARK,
    attempt: int = 1,
) -> QuizResult:
    """Grade ``answers`` (question id -> choice id or 0-based position) against ``module``.

    A question missing from ``answers`` (or answered ``None``) counts as wrong. An answer to a
    question the module does not have, or a choice the question does not have, is refused with a
    :class:`TrainingModuleError` listing every such answer; nothing is graded then.
    """
    if isinstance(pass_mark, bool) or not 0 < pass_mark <= 100:
        raise TrainingModuleError(Problem("training.bad_pass_mark", value=str(pass_mark)))
    if attempt < 1:
        raise TrainingModuleError(Problem("training.bad_attempt", value=str(attempt)))

    problems: list[Problem] = []
    known = {q.id for q in module.quiz}
    for question_id in answers:
        if question_id not in known:
            problems.append(
                Problem("training.unknown_question", column=str(question_id), value=str(question_id),
                        params={"module": module.id})
            )  # fmt: skip

    results: list[QuestionResult] = []
    for question in module.quiz:
        given = answers.get(question.id)
        if given is None:
            results.append(QuestionResult(question.id, None, False, question.answer, None))
            continue
        choice = question.choice(given)
        if choice is None:
            problems.append(
                Problem("training.unknown_choice", column=question.id, value=str(given),
                        params={"module": module.id, "ids": ", ".join(c.id for c in question.choices)})
            )  # fmt: skip
            continue
        results.append(QuestionResult(question.id, choice.id, choice.id == question.answer, question.answer,
                                      choice.feedback))  # fmt: skip
    if problems:
        raise TrainingModuleError(problems)
    return QuizResult(module.id, module.version, attempt, tuple(results), pass_mark)


def next_attempt_number(attempts: Iterable[Attempt], module_id: str, tutor_id: str | None = None) -> int:
    """The number the next try at ``module_id`` gets (1 when there was none)."""
    numbers = [a.number for a in attempts if a.module_id == module_id and (tutor_id is None or a.tutor_id == tutor_id)]
    return max(numbers, default=0) + 1
