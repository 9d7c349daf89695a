"""A tutor's progress through the modules, and whether they are ready to start tutoring.

Pure functions over stored :class:`Attempt` records; storage lives elsewhere. The best try counts:
a pass stays a pass, whatever comes after it. A pass of an older ``version`` of a module still
counts (a typo fix must not send every tutor back to the quiz).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from peermatch.errors import Problem, TrainingModuleError
from peermatch.model import Subject
from peermatch.training.modules import Module, ModuleSet, parse_subject
from peermatch.training.quiz import Attempt

__all__ = ["ModuleProgress", "Readiness", "TutorProgress", "is_ready", "progress_by_tutor"]


@dataclass(frozen=True)
class ModuleProgress:
    """One module for one tutor: best score, whether passed, how many tries, when."""

    module_id: str
    best_score: float  # percent, 0-100
    passed: bool
    attempts: int
    last_attempt_on: date
    first_passed_on: date | None = None


@dataclass(frozen=True)
class TutorProgress:
    """Module id -> progress, for one tutor."""

    modules: Mapping[str, ModuleProgress] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_attempts(cls, attempts: Iterable[Attempt]) -> TutorProgress:
        """Progress from one tutor's attempts (in any order). Attempts of several tutors are refused:
        use :func:`progress_by_tutor` for a class."""
        by_module: dict[str, list[Attempt]] = defaultdict(list)
        tutors: set[str] = set()
        for attempt in attempts:
            by_module[attempt.module_id].append(attempt)
            tutors.add(attempt.tutor_id)
        if len(tutors) > 1:
            raise TrainingModuleError(Problem("training.mixed_tutors", value=", ".join(sorted(tutors))))
        progress: dict[str, ModuleProgress] = {}
        for module_id, tries in by_module.items():
            passes = [a.taken_on for a in tries if a.passed]
            progress[module_id] = ModuleProgress(
                module_id=module_id,
                best_score=max(a.score for a in tries),
                passed=bool(passes),
                attempts=len(tries),
                last_attempt_on=max(a.taken_on for a in tries),
                first_passed_on=min(passes) if passes else None,
            )
        return cls(MappingProxyType(dict(sorted(progress.items()))))

    def get(self, module_id: str) -> ModuleProgress | None:
        return self.modules.get(module_id)

    def passed(self, module_id: str) -> bool:
        found = self.modules.get(module_id)
        return found is not None and found.passed

    @property
    def passed_ids(self) -> frozenset[str]:
        return frozenset(m for m, p in self.modules.items() if p.passed)


def progress_by_tutor(attempts: Iterable[Attempt]) -> dict[str, TutorProgress]:
    """Tutor id -> progress, for the teacher's overview of a whole group."""
    grouped: dict[str, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        grouped[attempt.tutor_id].append(attempt)
    return {tutor: TutorProgress.from_attempts(tries) for tutor, tries in sorted(grouped.items())}


@dataclass(frozen=True)
class Readiness:
    """Whether a tutor may start in ``subject``: every core module for that subject is passed, and a teacher
    has seen the tutor practise (a signed-off role-play of a module for that subject).

    With no core modules at all (e.g. every file failed to load) nobody is ready: an empty
    training must not let tutors start unprepared.
    """

    subject: Subject
    required: tuple[str, ...]  # the core module ids for the subject, in reading order
    passed: tuple[str, ...]
    missing: tuple[str, ...]
    practised: tuple[str, ...] = ()  # the modules for the subject whose role-play a teacher signed off

    @property
    def quizzes_passed(self) -> bool:
        return bool(self.required) and not self.missing

    @property
    def practice_signed(self) -> bool:
        return bool(self.practised)

    @property
    def ready(self) -> bool:
        return self.quizzes_passed and self.practice_signed

    @property
    def done(self) -> int:
        return len(self.passed)

    @property
    def total(self) -> int:
        return len(self.required)

    def __bool__(self) -> bool:
        return self.ready


def is_ready(
    progress: TutorProgress,
    subject: Subject | str,
    modules: ModuleSet | Iterable[Module],
    practised: Iterable[str] = (),
) -> Readiness:
    """Has the tutor passed every core module for ``subject`` (the general ones and that subject's), and has a
    teacher signed off a practice role-play (``practised``: module ids) of a module for that subject?"""
    wanted = parse_subject(subject)
    listed = tuple(modules)
    required = tuple(m.id for m in listed if m.is_core_for(wanted))
    passed = tuple(m for m in required if progress.passed(m))
    missing = tuple(m for m in required if not progress.passed(m))
    signed = set(practised)
    seen = tuple(m.id for m in listed if m.applies_to(wanted) and m.id in signed)
    return Readiness(wanted, required, passed, missing, seen)
