"""Item analysis for the teacher: which quiz question trips tutors up, and who is stuck on it.

Question and choice ids are stable (authors give a question a new id when its meaning changes), so
attempts of several versions of a module can be counted together.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from peermatch.training.modules import Module, ModuleSet
from peermatch.training.quiz import Attempt

__all__ = ["ItemStats", "item_analysis"]


@dataclass(frozen=True)
class ItemStats:
    """How one question went over all recorded attempts."""

    module_id: str
    question_id: str
    attempts: int  # attempts that contained this question
    wrong: int  # answered wrongly or not answered
    unanswered: int
    most_chosen_wrong: str | None  # the wrong choice id picked most often (ties: lowest id)
    most_chosen_wrong_count: int
    stuck: tuple[str, ...]  # tutors who have not passed the module and got this question wrong last time

    @property
    def wrong_rate(self) -> float:
        """Share of attempts with this question wrong, 0.0-1.0."""
        return self.wrong / self.attempts if self.attempts else 0.0


def item_analysis(
    attempts: Iterable[Attempt], modules: ModuleSet | Iterable[Module] | None = None
) -> tuple[ItemStats, ...]:
    """Per question: attempts, wrong count, most chosen wrong answer and stuck tutors; most missed first.

    Only attempts that recorded their answers count. With ``modules``, only their current questions
    are listed, including questions nobody tried yet (0 attempts), and ties keep reading order.
    """
    records = [a for a in attempts if a.answers]
    seen: Counter[tuple[str, str]] = Counter()
    wrong: Counter[tuple[str, str]] = Counter()
    unanswered: Counter[tuple[str, str]] = Counter()
    wrong_choices: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for attempt in records:
        for answer in attempt.answers:
            key = (attempt.module_id, answer.question_id)
            seen[key] += 1
            if answer.correct:
                continue
            wrong[key] += 1
            if answer.chosen is None:
                unanswered[key] += 1
            else:
                wrong_choices[key][answer.chosen] += 1

    # The latest attempt of each tutor at each module, and who has passed it.
    latest: dict[tuple[str, str], Attempt] = {}
    passed: set[tuple[str, str]] = set()
    for attempt in records:
        key = (attempt.tutor_id, attempt.module_id)
        if attempt.passed:
            passed.add(key)
        current = latest.get(key)
        if current is None or (attempt.taken_on, attempt.number) > (current.taken_on, current.number):
            latest[key] = attempt
    stuck: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (tutor, module_id), attempt in sorted(latest.items()):
        if (tutor, module_id) in passed:
            continue
        for answer in attempt.answers:
            if not answer.correct:
                stuck[(module_id, answer.question_id)].append(tutor)

    keys = [(m.id, q.id) for m in modules for q in m.quiz] if modules is not None else sorted(seen)
    position = {key: i for i, key in enumerate(keys)}

    stats: list[ItemStats] = []
    for key in keys:
        counts = wrong_choices.get(key, Counter())
        top = min(counts.items(), key=lambda item: (-item[1], item[0]), default=None)
        stats.append(
            ItemStats(
                module_id=key[0],
                question_id=key[1],
                attempts=seen[key],
                wrong=wrong[key],
                unanswered=unanswered[key],
                most_chosen_wrong=top[0] if top else None,
                most_chosen_wrong_count=top[1] if top else 0,
                stuck=tuple(stuck.get(key, ())),
            )
        )
    stats.sort(key=lambda s: (-s.wrong_rate, -s.wrong, position[(s.module_id, s.question_id)]))
    return tuple(stats)
