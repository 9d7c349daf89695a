"""The values of a training module: choices, questions, the module itself and a loaded set.

A module is data (``peermatch/training_modules/<lang>/*.md``: YAML front matter + Markdown body); the loader
turns each valid file into a frozen :class:`Module`. Nothing here reads files or renders Markdown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from peermatch.errors import Problem, Severity, TrainingModuleError
from peermatch.model import Subject

__all__ = [
    "BOTH",
    "READING_WORDS_PER_MINUTE",
    "Choice",
    "Module",
    "ModuleSet",
    "ModuleSubject",
    "Question",
    "parse_subject",
    "reading_minutes",
]

BOTH = "both"
ModuleSubject = Literal["lezen", "rekenen", "both"]

# Silent reading speed we plan with for 9-12-year-old tutors reading an informative Dutch text.
# Deliberately on the slow side, so that ``minutes`` is enough time for most tutors.
READING_WORDS_PER_MINUTE = 120

_WORD = re.compile(r"\w+")
_TRY_IT = {"nl": "Probeer het", "en": "Try it"}  # the heading of the exercise a teacher watches (practice sign-off)
_SECTION = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def reading_minutes(markdown: str) -> int:
    """Whole minutes (at least 1) to read ``markdown`` silently at READING_WORDS_PER_MINUTE."""
    return max(1, math.ceil(len(_WORD.findall(markdown)) / READING_WORDS_PER_MINUTE))


def parse_subject(value: Subject | str) -> Subject:
    """``lezen`` / ``rekenen`` (or the enum) as a :class:`Subject`; anything else is refused."""
    if isinstance(value, Subject):
        return value
    try:
        return Subject(str(value).strip().lower())
    except ValueError:
        raise TrainingModuleError(Problem("training.unknown_subject", value=str(value))) from None


@dataclass(frozen=True)
class Choice:
    """One answer option of a quiz question, with the feedback a tutor sees after choosing it."""

    id: str
    text: str
    feedback: str


@dataclass(frozen=True)
class Question:
    """A multiple-choice question; ``answer`` is the id of the correct choice."""

    id: str
    question: str
    choices: tuple[Choice, ...]
    answer: str

    @property
    def answer_index(self) -> int:
        """0-based position of the correct choice."""
        return [c.id for c in self.choices].index(self.answer)

    @property
    def correct_choice(self) -> Choice:
        return self.choices[self.answer_index]

    def choice(self, key: int | str) -> Choice | None:
        """The choice with this id, or at this 0-based position; ``None`` when there is none."""
        if isinstance(key, bool):
            return None
        if isinstance(key, int):
            return self.choices[key] if 0 <= key < len(self.choices) else None
        return next((c for c in self.choices if c.id == key), None)


@dataclass(frozen=True)
class Module:
    """A training module as written by an author (front matter) plus its Markdown ``body``."""

    id: str
    title: str
    order: int
    minutes: int
    subject: ModuleSubject
    core: bool
    version: int
    summary: str
    quiz: tuple[Question, ...]
    body: str
    lang: str = "nl"
    source: str = ""  # file name relative to the modules root, e.g. "nl/01-kennismaken.md"

    @property
    def word_count(self) -> int:
        return len(_WORD.findall(self.body))

    @property
    def reading_time(self) -> int:
        """Whole minutes a tutor needs to read the body (at least 1), at READING_WORDS_PER_MINUTE."""
        return reading_minutes(self.body)

    def applies_to(self, subject: Subject | str) -> bool:
        """True when a tutor in ``subject`` should see this module (its own subject, or ``both``)."""
        return self.subject == BOTH or self.subject == parse_subject(subject).value

    def is_core_for(self, subject: Subject | str) -> bool:
        """True when a tutor in ``subject`` must pass this module before tutoring."""
        return self.core and self.applies_to(subject)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.quiz if q.id == question_id), None)

    @property
    def try_it(self) -> str:
        """The Markdown under ``## Probeer het`` (en: ``## Try it``), up to the next heading: the exercise a
        teacher watches before signing off the tutor's practice. Empty when the module has none."""
        wanted = _TRY_IT.get(self.lang, _TRY_IT["nl"]).casefold()
        headings = list(_SECTION.finditer(self.body))
        for here, after in zip(headings, [*headings[1:], None], strict=True):
            if here.group(1).strip().casefold() == wanted:
                return self.body[here.end() : after.start() if after else len(self.body)].strip()
        return ""


@dataclass(frozen=True)
class ModuleSet:
    """The valid modules of one language, in reading order, and the problems found while loading.

    A file with an error is not in ``modules``: its name is in ``skipped`` and its problems in
    ``problems`` (warnings are listed too; a module with only warnings is loaded).
    """

    lang: str
    modules: tuple[Module, ...] = ()
    problems: tuple[Problem, ...] = ()
    skipped: tuple[str, ...] = ()
    root: Path | None = field(default=None, compare=False)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules)

    def __len__(self) -> int:
        return len(self.modules)

    def __contains__(self, module_id: object) -> bool:
        return any(m.id == module_id for m in self.modules)

    def __getitem__(self, module_id: str) -> Module:
        found = self.get(module_id)
        if found is None:
            raise KeyError(module_id)
        return found

    def get(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.modules)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def modules_for(self, subject: Subject | str) -> tuple[Module, ...]:
        """The modules a tutor in ``subject`` sees (that subject's and the general ones), in order."""
        return tuple(m for m in self.modules if m.applies_to(subject))

    def core_for(self, subject: Subject | str) -> tuple[Module, ...]:
        """The modules a tutor in ``subject`` must pass before the first session, in order."""
        return tuple(m for m in self.modules if m.is_core_for(subject))
