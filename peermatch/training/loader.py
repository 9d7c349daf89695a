"""Reading ``peermatch/training_modules/<lang>/*.md`` and checking every field.

One broken file never stops the app: its problems (file, field, value, message in nl and en) go to
``ModuleSet.problems``, the file name to ``ModuleSet.skipped``, and the other modules load. Nothing
in this module raises for bad content. The format is documented for authors in
``peermatch/training_modules/README.md``.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, cast

import yaml

from peermatch.errors import Problem, Severity
from peermatch.i18n import LANGUAGES
from peermatch.training.modules import Choice, Module, ModuleSet, ModuleSubject, Question, reading_minutes

__all__ = [
    "CHOICE_COUNT",
    "ENV_ROOT",
    "MINUTES_RANGE",
    "QUESTION_COUNT",
    "REQUIRED_FIELDS",
    "REQUIRED_SECTIONS",
    "SUBJECTS",
    "default_root",
    "load_modules",
    "parse_module",
]

ENV_ROOT = "PEERMATCH_TRAINING_MODULES"  # overrides where the module folders are
REQUIRED_FIELDS = ("id", "title", "order", "minutes", "subject", "core", "version", "summary", "quiz")
SUBJECTS: tuple[ModuleSubject, ...] = ("lezen", "rekenen", "both")
MINUTES_RANGE = (3, 6)
QUESTION_COUNT = (3, 20)  # a pool: each try asks QUESTIONS_PER_ATTEMPT of them (tests ask for at least 8)
CHOICE_COUNT = (3, 4)
# Level-2 headings every body should have (a missing one is a warning, not an error).
REQUIRED_SECTIONS: dict[str, tuple[str, ...]] = {
    "nl": ("Tips", "Doen", "Niet doen", "Probeer het"),
    "en": ("Tips", "Do", "Don't", "Try it"),
}

_QUESTION_FIELDS = frozenset({"id", "question", "choices", "answer"})
_CHOICE_FIELDS = frozenset({"id", "text", "feedback"})
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_DEFAULT_CHOICE_IDS = "abcd"


def default_root() -> Path:
    """``$PEERMATCH_TRAINING_MODULES`` when set, else the modules shipped in the package (``training_modules``).

    They are package data, so an installed wheel finds them as well as a checkout does.
    """
    configured = os.environ.get(ENV_ROOT)
    if configured:
        return Path(configured)
    return Path(str(resources.files("peermatch") / "training_modules"))


def load_modules(lang: str = "nl", root: str | os.PathLike[str] | None = None) -> ModuleSet:
    """Every valid module of ``lang`` in reading order (``order``, then ``id``), plus all problems.

    Files whose name starts with ``_`` or ``.`` are drafts and are not read. Never raises for bad
    content: a broken file is skipped and reported, and a missing folder gives an empty set with a
    problem.
    """
    base = Path(root) if root is not None else default_root()
    if lang not in LANGUAGES:
        return ModuleSet(lang, problems=(Problem("training.unknown_language", value=lang),), root=base)
    folder = base / lang
    if not folder.is_dir():
        return ModuleSet(lang, problems=(Problem("training.no_folder", value=str(folder)),), root=base)
    files = sorted(p for p in folder.glob("*.md") if p.is_file() and not p.name.startswith(("_", ".")))
    if not files:
        return ModuleSet(lang, problems=(Problem("training.no_modules", value=str(folder)),), root=base)

    modules: list[Module] = []
    problems: list[Problem] = []
    skipped: list[str] = []
    first_file_of: dict[str, str] = {}
    for path in files:
        name = f"{lang}/{path.name}"
        try:
            raw = path.read_bytes()
        except OSError as exc:
            module, found = None, [Problem("training.unreadable", file=name, params={"detail": exc.strerror or ""})]
        else:
            module, found = parse_module(raw, name, lang)
        if module is not None and module.id in first_file_of:
            found.append(
                Problem("training.duplicate_id", file=name, column="id", value=module.id,
                        params={"other": first_file_of[module.id]})
            )  # fmt: skip
            module = None
        problems.extend(found)
        if module is None:
            skipped.append(name)
            problems.append(Problem("training.skipped", Severity.INFO, file=name))
            continue
        first_file_of[module.id] = name
        modules.append(module)

    modules.sort(key=lambda m: (m.order, m.id))
    for earlier, later in itertools.pairwise(modules):
        if earlier.order == later.order:
            problems.append(
                Problem("training.duplicate_order", Severity.WARNING, file=later.source, column="order",
                        value=str(later.order), params={"other": earlier.source})
            )  # fmt: skip
    return ModuleSet(lang, tuple(modules), tuple(problems), tuple(skipped), root=base)


def parse_module(raw: bytes | str, name: str = "module.md", lang: str = "nl") -> tuple[Module | None, list[Problem]]:
    """One module file's text -> the module (``None`` when it has an error) and its problems."""
    checker = _Checker(name)
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            checker.error("training.not_utf8", None)
            return None, checker.problems
    else:
        text = raw.removeprefix("\ufeff")

    split = _split_front_matter(text)
    if split is None:
        checker.error("training.no_front_matter", None)
        return None, checker.problems
    header, body = split
    try:
        data = yaml.safe_load(header)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else "?"  # +1 for 1-based, +1 for the opening '---'
        detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        checker.error("training.yaml_syntax", None, line=line, detail=detail)
        return None, checker.problems
    if not isinstance(data, dict):
        checker.error("training.not_mapping", None, value=data)
        return None, checker.problems
    module = checker.module(cast("dict[str, Any]", data), body, lang)
    return (None if checker.has_errors else module), checker.problems


def _split_front_matter(text: str) -> tuple[str, str] | None:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :])
    return None


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


class _Checker:
    """Collects the problems of one file while building its module."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def error(self, code: str, where: str | None, *, value: Any = None, **params: Any) -> None:
        self._add(code, Severity.ERROR, where, value, params)

    def warn(self, code: str, where: str | None, *, value: Any = None, **params: Any) -> None:
        self._add(code, Severity.WARNING, where, value, params)

    def _add(self, code: str, severity: Severity, where: str | None, value: Any, params: dict[str, Any]) -> None:
        shown = None if value is None else _show(value)
        self.problems.append(Problem(code, severity, file=self.file, column=where, value=shown, params=params))

    # -- typed fields ---------------------------------------------------------------------------

    def present(self, data: Mapping[str, Any], key: str, where: str) -> bool:
        if key not in data or data[key] is None:
            self.error("training.missing_field", where)
            return False
        return True

    def text(self, data: Mapping[str, Any], key: str, where: str, *, numbers: bool = False) -> str:
        if not self.present(data, key, where):
            return ""
        value = data[key]
        if numbers and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error("training.not_text", where, value=value)
            return ""
        if not value.strip():
            self.error("training.empty_text", where)
        return value.strip()

    def integer(self, data: Mapping[str, Any], key: str, where: str, low: int | None = None,
                high: int | None = None) -> int:  # fmt: skip
        if not self.present(data, key, where):
            return 0
        value = data[key]
        if not isinstance(value, int) or isinstance(value, bool):
            self.error("training.not_integer", where, value=value)
            return 0
        if (low is not None and value < low) or (high is not None and value > high):
            self.error("training.out_of_range", where, value=value, low=low, high=high)
        return value

    def slug(self, data: Mapping[str, Any], key: str, where: str) -> str:
        if not self.present(data, key, where):
            return ""
        value = data[key]
        if not isinstance(value, str) or not _SLUG.match(value):
            self.error("training.not_slug", where, value=value)
            return ""
        return value

    def unknown_fields(self, data: Mapping[str, Any], known: frozenset[str] | tuple[str, ...], where: str) -> None:
        for key in data:
            if key not in known:
                self.warn("training.unknown_field", f"{where}{key}", value=key)

    # -- the module -----------------------------------------------------------------------------

    def module(self, data: dict[str, Any], body: str, lang: str) -> Module | None:
        self.unknown_fields(data, REQUIRED_FIELDS, "")
        module_id = self.slug(data, "id", "id")
        title = self.text(data, "title", "title")
        order = self.integer(data, "order", "order")
        minutes = self.integer(data, "minutes", "minutes", *MINUTES_RANGE)
        version = self.integer(data, "version", "version", 1)
        summary = self.text(data, "summary", "summary")
        if "\n" in summary:
            self.warn("training.summary_lines", "summary")
            summary = " ".join(summary.split())
        subject: ModuleSubject = "both"
        if self.present(data, "subject", "subject"):
            if data["subject"] in SUBJECTS:
                subject = data["subject"]
            else:
                self.error("training.unknown_module_subject", "subject", value=data["subject"])
        core = False
        if self.present(data, "core", "core"):
            if isinstance(data["core"], bool):
                core = data["core"]
            else:
                self.error("training.not_boolean", "core", value=data["core"])
        quiz = self.quiz(data)
        self.body(body, lang, minutes)
        if self.has_errors:
            return None
        return Module(module_id, title, order, minutes, subject, core, version, summary, quiz, body.strip() + "\n",
                      lang=lang, source=self.file)  # fmt: skip

    def quiz(self, data: Mapping[str, Any]) -> tuple[Question, ...]:
        if not self.present(data, "quiz", "quiz"):
            return ()
        items = data["quiz"]
        if not isinstance(items, list):
            self.error("training.not_list", "quiz", value=items)
            return ()
        low, high = QUESTION_COUNT
        if not low <= len(items) <= high:
            self.error("training.question_count", "quiz", value=len(items), low=low, high=high)
        questions: list[Question] = []
        seen: set[str] = set()
        for number, item in enumerate(items, start=1):
            question = self.question(item, number)
            if question is None:
                continue
            if question.id in seen:
                self.error("training.duplicate_question_id", f"quiz[{question.id}].id", value=question.id)
            seen.add(question.id)
            questions.append(question)
        return tuple(questions)

    def question(self, item: Any, number: int) -> Question | None:
        label = f"#{number}"
        if isinstance(item, dict) and isinstance(item.get("id"), str) and _SLUG.match(item["id"]):
            label = item["id"]
        where = f"quiz[{label}]"
        if not isinstance(item, dict):
            self.error("training.not_mapping", where, value=item)
            return None
        self.unknown_fields(item, _QUESTION_FIELDS, f"{where}.")
        question_id = self.slug(item, "id", f"{where}.id")
        text = self.text(item, "question", f"{where}.question")
        choices = self.choices(item, where)
        answer = self.answer(item, where, choices)
        if not (question_id and text and choices and answer):
            return None
        return Question(question_id, text, choices, answer)

    def choices(self, item: Mapping[str, Any], where: str) -> tuple[Choice, ...]:
        if not self.present(item, "choices", f"{where}.choices"):
            return ()
        raw = item["choices"]
        if not isinstance(raw, list):
            self.error("training.not_list", f"{where}.choices", value=raw)
            return ()
        low, high = CHOICE_COUNT
        if not low <= len(raw) <= high:
            self.error("training.choice_count", f"{where}.choices", value=len(raw), low=low, high=high)
            return ()
        choices: list[Choice] = []
        ok = True
        for position, entry in enumerate(raw):
            spot = f"{where}.choices[#{position + 1}]"
            if not isinstance(entry, dict):
                self.error("training.not_mapping", spot, value=entry)
                ok = False
                continue
            self.unknown_fields(entry, _CHOICE_FIELDS, f"{spot}.")
            choice_id = self.slug(entry, "id", f"{spot}.id") if "id" in entry else _DEFAULT_CHOICE_IDS[position]
            text = self.text(entry, "text", f"{spot}.text", numbers=True)
            feedback = self.text(entry, "feedback", f"{spot}.feedback")
            ok = ok and bool(choice_id and text and feedback)
            choices.append(Choice(choice_id, text, feedback))
        ids = [c.id for c in choices]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1 and i}):
            self.error("training.duplicate_choice_id", f"{where}.choices", value=duplicate)
            ok = False
        return tuple(choices) if ok else ()

    def answer(self, item: Mapping[str, Any], where: str, choices: tuple[Choice, ...]) -> str:
        if not self.present(item, "answer", f"{where}.answer"):
            return ""
        value = item["answer"]
        if isinstance(value, bool) or not isinstance(value, int | str):
            self.error("training.answer_type", f"{where}.answer", value=value)
            return ""
        if not choices:
            return ""  # the choices already have a problem; the answer cannot be checked
        ids = [c.id for c in choices]
        if isinstance(value, int):
            if not 0 <= value < len(choices):
                self.error("training.answer_out_of_range", f"{where}.answer", value=value, high=len(choices) - 1,
                           ids=", ".join(ids))  # fmt: skip
                return ""
            return ids[value]
        if value not in ids:
            self.error("training.answer_unknown", f"{where}.answer", value=value, ids=", ".join(ids))
            return ""
        return value

    def body(self, body: str, lang: str, minutes: int) -> None:
        if not body.strip():
            self.error("training.empty_body", "body")
            return
        headings = {h.strip().replace("’", "'").casefold() for h in _HEADING.findall(body)}
        for section in REQUIRED_SECTIONS.get(lang, ()):
            if section.casefold() not in headings:
                self.warn("training.missing_section", "body", value=section)
        reading = reading_minutes(body)
        if minutes and reading > minutes:
            self.warn("training.too_long", "body", reading=reading, minutes=minutes)
