"""The shipped training modules: complete, valid, the same in Dutch and English, and kind in tone."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from peermatch.model import Subject
from peermatch.training import Module, ModuleSet, load_modules

GENERAL_TOPICS = (
    "kennismaken", "veilig-leren", "juiste-niveau", "voordoen-samen-doen", "wachten", "verbeteren",
    "hints-en-vragen", "uitleggen-samenvatten", "complimenten", "als-het-lastig-wordt", "bijhouden-terugkijken",
    "goed-afronden",
)  # fmt: skip


@pytest.fixture(scope="module")
def nl() -> ModuleSet:
    return load_modules("nl")


@pytest.fixture(scope="module")
def en() -> ModuleSet:
    return load_modules("en")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_shipped_module_loads_without_a_single_problem_or_warning(lang: str) -> None:
    modules = load_modules(lang)
    assert [(p.file, p.column, p.message("en")) for p in modules.problems] == []
    assert modules.skipped == ()


def test_there_are_at_least_twelve_modules_covering_every_general_topic_plus_one_per_subject(nl: ModuleSet) -> None:
    assert len(nl) >= 12
    assert set(GENERAL_TOPICS) <= set(nl.ids)
    assert [m.id for m in nl if m.subject == "lezen"] == ["samen-lezen"]
    assert [m.id for m in nl if m.subject == "rekenen"] == ["rekenen-hardop"]


def test_dutch_and_english_have_the_same_modules_questions_choices_and_answers(nl: ModuleSet, en: ModuleSet) -> None:
    def shape(module: Module) -> tuple[object, ...]:
        quiz = tuple((q.id, tuple(c.id for c in q.choices), q.answer) for q in module.quiz)
        return module.id, module.order, module.subject, module.core, module.minutes, module.version, quiz

    assert [shape(m) for m in nl] == [shape(m) for m in en]
    assert all(a.title != b.title for a, b in zip(nl, en, strict=True)), "an English title is still Dutch"


def test_every_quiz_has_a_pool_of_three_to_twenty_questions_of_three_or_four_choices_with_feedback(
    nl: ModuleSet, en: ModuleSet
) -> None:
    for module in (*nl, *en):  # at least 8 per module: tests/unit/test_quiz_pools.py, per module
        assert 3 <= len(module.quiz) <= 20, module.id
        for question in module.quiz:
            assert 3 <= len(question.choices) <= 4, (module.id, question.id)
            assert all(len(c.feedback) > 10 for c in question.choices), (module.id, question.id)
            assert "?" in question.question, (module.id, question.id)


def test_readiness_needs_the_general_modules_and_only_the_own_subject_module(nl: ModuleSet) -> None:
    lezen = {m.id for m in nl.core_for(Subject.LEZEN)}
    rekenen = {m.id for m in nl.core_for(Subject.REKENEN)}
    assert set(GENERAL_TOPICS) <= lezen & rekenen
    assert "samen-lezen" in lezen - rekenen
    assert "rekenen-hardop" in rekenen - lezen


def test_every_module_fits_in_its_three_to_six_minutes(nl: ModuleSet, en: ModuleSet) -> None:
    for module in (*nl, *en):
        assert 3 <= module.minutes <= 6
        assert module.reading_time <= module.minutes, (module.lang, module.id, module.word_count)


def test_every_module_opens_with_a_story_before_the_tips(nl: ModuleSet, en: ModuleSet) -> None:
    for module in (*nl, *en):
        story = module.body.split("\n## Tips", 1)[0]
        assert len(story.split()) >= 60, (module.lang, module.id)


def test_the_right_answer_is_not_always_in_the_same_place(nl: ModuleSet) -> None:
    places = Counter(q.answer_index for m in nl for q in m.quiz)
    total = sum(places.values())
    assert all(count <= total * 0.45 for count in places.values()), places


@pytest.mark.parametrize(
    "pattern",
    [
        r"\bbijles",
        r"\bzwak(ke)?\b",
        r"slechte (lezer|rekenaar)",
        r"achterstand",
        r"\bweak\b",
        r"poor reader",
        r"struggling",
        r"\bremedial",
    ],
)
def test_no_module_labels_the_tutee_or_calls_it_bijles(nl: ModuleSet, en: ModuleSet, pattern: str) -> None:
    for module in (*nl, *en):
        text = " ".join([module.title, module.summary, module.body, *(q.question for q in module.quiz)])
        text += " ".join(c.text + " " + c.feedback for q in module.quiz for c in q.choices)
        assert not re.search(pattern, text, re.IGNORECASE), (module.lang, module.id, pattern)


def test_the_module_on_hard_moments_says_when_to_get_the_teacher_and_that_it_is_not_telling_tales(
    nl: ModuleSet, en: ModuleSet
) -> None:
    dutch = nl["als-het-lastig-wordt"].body.lower()
    for words in ("verdrietig", "zorgen", "gepest", "onzeker", "geen klikken", "juf of meester", "geheim"):
        assert words in dutch, words
    english = en["als-het-lastig-wordt"].body.lower()
    for words in ("sad", "worries", "bullied", "unsure", "telling tales", "teacher", "secret"):
        assert words in english, words


def test_the_check_in_module_points_to_the_private_worry_signal(nl: ModuleSet, en: ModuleSet) -> None:
    assert "ik maak me zorgen" in nl["bijhouden-terugkijken"].body.lower()
    assert "i'm worried" in en["bijhouden-terugkijken"].body.lower()
