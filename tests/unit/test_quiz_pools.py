"""Every module's quiz is a pool that tests understanding: at least 8 questions (3 are asked per try), the
right answer not given away by its length, and the same questions and answers in Dutch and English.

Parametrised per module file, so a run shows which modules pass (modules are written by several authors)."""

from __future__ import annotations

from functools import cache

import pytest

from peermatch.training import Choice, Module, ModuleSet, Question, default_root, load_modules

MIN_POOL = 8
MAX_LONGEST_RIGHT = 0.40  # in no module may the longest choice be right in more than 40 % of the questions
LANGS = ("nl", "en")
FILES = sorted(p.name for p in (default_root() / "nl").glob("*.md") if not p.name.startswith(("_", ".")))


@cache
def _modules(lang: str) -> ModuleSet:
    return load_modules(lang)


def _module(lang: str, file: str) -> Module:
    found = next((m for m in _modules(lang) if m.source == f"{lang}/{file}"), None)
    problems = [(p.column, p.message("en")) for p in _modules(lang).problems if p.file == f"{lang}/{file}"]
    assert found is not None, problems
    return found


def longest_is_right(question: Question) -> bool:
    """Is the right choice the longest (or as long as the longest)? A tutor who always picks the longest gets it."""
    longest = max(len(c.text) for c in question.choices)
    return len(question.correct_choice.text) == longest


def test_every_module_file_is_listed() -> None:
    assert len(FILES) >= 12


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("file", FILES)
def test_the_pool_has_at_least_eight_questions(file: str, lang: str) -> None:
    module = _module(lang, file)
    assert len(module.quiz) >= MIN_POOL, f"{lang}/{file}: {len(module.quiz)} questions"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("file", FILES)
def test_the_longest_choice_is_right_in_at_most_40_percent_of_the_questions(file: str, lang: str) -> None:
    module = _module(lang, file)
    longest = [q.id for q in module.quiz if longest_is_right(q)]
    assert len(longest) <= MAX_LONGEST_RIGHT * len(module.quiz), f"{lang}/{file}: longest is right in {longest}"


@pytest.mark.parametrize("file", FILES)
def test_dutch_and_english_ask_the_same_questions_with_the_same_answers(file: str) -> None:
    nl, en = _module("nl", file), _module("en", file)

    def shape(module: Module) -> list[tuple[str, tuple[str, ...], str]]:
        return [(q.id, tuple(c.id for c in q.choices), q.answer) for q in module.quiz]

    assert nl.id == en.id
    assert shape(nl) == shape(en)


def test_a_tutor_who_always_picks_the_longest_choice_cannot_pass_a_rewritten_module() -> None:
    """Modules 01-04: the longest choice is right in at most 2 questions, so no paper of 3 is all longest."""
    for file in FILES[:4]:
        for lang in LANGS:
            module = _module(lang, file)
            assert sum(longest_is_right(q) for q in module.quiz) <= 2, f"{lang}/{file}"


def test_the_longest_choice_rule_counts_ties_as_longest() -> None:
    tie = Question("q", "Vraag?", (Choice("a", "even", "x"), Choice("b", "lang", "y"), Choice("c", "kort", "z")), "a")
    assert longest_is_right(tie)
    short = Question("q", "Vraag?", (Choice("a", "kort", "x"), Choice("b", "veel langer", "y")), "a")
    assert not longest_is_right(short)
