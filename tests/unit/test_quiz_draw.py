"""Quiz papers: a few questions drawn from the pool, fresh on a retry, choices shuffled and kept with the
attempt, and no right answer given away before the retry (only after a pass)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory
from tutoring_world import Tutoring, build_tutoring, cheap_argon2, login_as

from peermatch.errors import TrainingModuleError
from peermatch.services import Database, training
from peermatch.training import (
    QUESTIONS_PER_ATTEMPT,
    Asked,
    Choice,
    Module,
    Paper,
    Question,
    draw,
    grade,
    review,
)

__all__ = ["backend", "cheap_argon2", "engine", "factory"]  # fixtures used by the tests below

DAY = date(2025, 11, 3)


def make_module(questions: int = 8) -> Module:
    quiz = tuple(
        Question(f"q{i}", f"Vraag {i}?", tuple(Choice(c, f"keuze {i}{c}", f"uitleg {i}{c}") for c in "abcd"), "b")
        for i in range(1, questions + 1)
    )
    return Module("wachten", "Wachten", 1, 4, "both", True, 1, "samenvatting", quiz, "## Tekst\n")


def answers_for(module: Module, paper: Paper, right: bool) -> dict[str, str | int | None]:
    out: dict[str, str | int | None] = {}
    for asked in paper.asked:
        question = module.question(asked.question_id)
        assert question is not None
        out[question.id] = question.answer if right else next(c for c in asked.choice_order if c != question.answer)
    return out


def test_a_paper_asks_three_different_questions_of_the_pool_with_every_choice_once() -> None:
    module = make_module()
    paper = draw(module, attempt=1, seed_key="17")
    assert len(paper.asked) == QUESTIONS_PER_ATTEMPT == 3
    assert len(set(paper.question_ids)) == 3
    assert set(paper.question_ids) <= {q.id for q in module.quiz}
    assert all(sorted(a.choice_order) == ["a", "b", "c", "d"] for a in paper.asked)


def test_the_same_tutor_module_and_attempt_give_the_same_paper_so_a_rerun_changes_nothing() -> None:
    module = make_module()
    assert draw(module, attempt=1, seed_key="17") == draw(module, attempt=1, seed_key="17")
    papers = {draw(module, attempt=1, seed_key=str(tutor)) for tutor in range(30)}
    assert len(papers) > 20  # another tutor gets another paper


def test_the_choices_are_shuffled_so_the_right_one_is_not_always_in_its_written_place() -> None:
    module = make_module()
    places = Counter(
        a.choice_order.index("b") for tutor in range(60) for a in draw(module, attempt=1, seed_key=str(tutor)).asked
    )
    assert set(places) == {0, 1, 2, 3}
    assert max(places.values()) < 0.4 * sum(places.values())


def test_a_retry_draws_fresh_questions_while_the_pool_allows() -> None:
    module = make_module(8)
    first = draw(module, attempt=1, seed_key="5")
    failed = grade(module, answers_for(module, first, right=False), paper=first).to_attempt(DAY)
    second = draw(module, attempt=2, seed_key="5", previous=failed.answers)
    assert set(second.question_ids).isdisjoint(first.question_ids)


def test_with_a_small_pool_the_just_failed_questions_come_back_last() -> None:
    module = make_module(4)
    first = Paper("wachten", 1, tuple(Asked(q, ("a", "b", "c", "d")) for q in ("q1", "q2", "q3")))
    answers: dict[str, str | int | None] = {"q1": "a", "q2": "b", "q3": "b"}  # q1 wrong
    done = grade(module, answers, paper=first).to_attempt(DAY)
    for tutor in range(20):
        second = draw(module, attempt=2, seed_key=str(tutor), previous=done.answers)
        assert "q4" in second.question_ids  # the one not asked before
        assert "q1" not in second.question_ids  # the wrong one waits while right ones can fill the paper


def test_a_pool_no_bigger_than_a_paper_is_asked_whole() -> None:
    module = make_module(3)
    assert sorted(draw(module, attempt=1, seed_key="1").question_ids) == ["q1", "q2", "q3"]


def test_grading_a_paper_grades_only_its_questions_and_keeps_the_order_shown() -> None:
    module = make_module()
    paper = draw(module, attempt=1, seed_key="9")
    result = grade(module, answers_for(module, paper, right=True), paper=paper)
    assert (result.correct, result.total, result.passed) == (3, 3, True)
    assert [q.question_id for q in result.questions] == list(paper.question_ids)
    record = result.to_attempt(DAY, tutor_id="9")
    assert [a.shown for a in record.answers] == [a.choice_order for a in paper.asked]


def test_a_position_answer_counts_in_the_order_the_choices_were_shown() -> None:
    module = make_module()
    paper = Paper("wachten", 1, (Asked("q2", ("d", "b", "a", "c")),))
    assert grade(module, {"q2": 1}, paper=paper).questions[0].chosen == "b"
    assert grade(module, {"q2": 0}, paper=paper).questions[0].chosen == "d"


def test_an_answer_to_a_question_not_on_the_paper_or_a_paper_that_no_longer_fits_is_refused() -> None:
    module = make_module()
    paper = Paper("wachten", 1, (Asked("q2", ("a", "b", "c", "d")),))
    with pytest.raises(TrainingModuleError) as caught:
        grade(module, {"q2": "b", "q5": "b"}, paper=paper)
    assert [p.code for p in caught.value.problems] == ["training.unknown_question"]
    changed = Paper(
        "wachten",
        1,
        (Asked("q2", ("a", "b", "c")),),
    )
    with pytest.raises(TrainingModuleError) as caught:
        grade(module, {}, paper=changed)
    assert [p.code for p in caught.value.problems] == ["practice.paper_changed"]


def test_after_a_failed_try_the_review_says_why_the_choice_is_wrong_but_not_which_is_right() -> None:
    module = make_module()
    paper = Paper("wachten", 1, tuple(Asked(q, ("a", "b", "c", "d")) for q in ("q1", "q2", "q3")))
    result = grade(module, {"q1": "b", "q2": "c", "q3": None}, paper=paper)
    assert not result.passed
    items = review(module, result)
    assert [(i.question_id, i.correct) for i in items] == [("q1", True), ("q2", False), ("q3", False)]
    assert (items[1].chosen_text, items[1].explanation) == ("keuze 2c", "uitleg 2c")
    assert all(i.right_text is None and i.right_feedback is None for i in items)
    shown = " ".join(f"{i.chosen_text} {i.explanation}" for i in items if not i.correct)
    for withheld in ("keuze 2b", "uitleg 2b", "keuze 3b", "uitleg 3b"):
        assert withheld not in shown


def test_after_a_pass_the_review_shows_the_explanations_and_the_right_answer_of_a_miss() -> None:
    module = make_module()
    paper = Paper("wachten", 1, tuple(Asked(q, ("a", "b", "c", "d")) for q in ("q1", "q2", "q3", "q4", "q5")))
    result = grade(module, {"q1": "b", "q2": "b", "q3": "b", "q4": "b", "q5": "a"}, paper=paper)
    assert result.passed  # 4 of 5
    items = review(module, result)
    assert [i.explanation for i in items[:4]] == ["uitleg 1b", "uitleg 2b", "uitleg 3b", "uitleg 4b"]
    assert (items[4].right_text, items[4].right_feedback) == ("keuze 5b", "uitleg 5b")


# -- stored --------------------------------------------------------------------------------------


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)


def test_the_stored_paper_is_the_one_shown_and_the_next_try_gets_a_new_one(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    noor = login_as(factory, tutoring.cards["Noor"])
    module = make_module()
    paper = training.quiz_paper(db, noor, module)
    assert training.quiz_paper(db, noor, module) == paper  # a rerun of the page: the same paper
    result = training.record_attempt(db, noor, module, answers_for(module, paper, right=False), today=DAY,
                                     paper=paper)  # fmt: skip
    assert (result.attempt, result.correct, result.total) == (1, 0, 3)
    [stored] = training.tutor_attempts(db, noor)
    assert [(a.question_id, a.shown) for a in stored.answers] == [(a.question_id, a.choice_order) for a in paper.asked]
    retry = training.quiz_paper(db, noor, module)
    assert retry.attempt == 2
    assert set(retry.question_ids).isdisjoint(paper.question_ids)
