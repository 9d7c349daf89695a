"""Grading quizzes, progress over retries, readiness per subject and the teacher's item analysis."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peermatch.errors import PeerMatchError, TrainingModuleError
from peermatch.model import Subject
from peermatch.training import (
    Attempt,
    Choice,
    Module,
    ModuleSet,
    Question,
    TutorProgress,
    grade,
    is_ready,
    item_analysis,
    load_modules,
    next_attempt_number,
    progress_by_tutor,
)

DAY = date(2025, 11, 3)


def make_question(qid: str, answer: str = "b") -> Question:
    choices = tuple(Choice(c, f"keuze {c}", f"uitleg bij {c}") for c in "abc")
    return Question(qid, f"Vraag {qid}?", choices, answer)


def make_module(mid: str = "wachten", questions: int = 5, *, subject: str = "both", core: bool = True) -> Module:
    quiz = tuple(make_question(f"q{i}") for i in range(1, questions + 1))
    return Module(mid, mid.title(), 1, 4, subject, core, 2, "samenvatting", quiz, "## Tekst\n")  # type: ignore[arg-type]


def all_right(module: Module) -> dict[str, str | int | None]:
    return {q.id: q.answer for q in module.quiz}


# -- grading ---------------------------------------------------------------------------------------


def test_all_answers_right_scores_100_and_passes_with_the_feedback_of_each_choice() -> None:
    module = make_module()
    result = grade(module, all_right(module))
    assert (result.correct, result.total, result.score, result.passed) == (5, 5, 100.0, True)
    assert [q.feedback for q in result.questions] == ["uitleg bij b"] * 5
    assert (result.module_id, result.module_version, result.attempt) == ("wachten", 2, 1)


def test_some_wrong_answers_are_marked_per_question_with_the_feedback_of_the_chosen_choice() -> None:
    module = make_module()
    result = grade(module, {**all_right(module), "q2": "a", "q4": "c"})
    assert [q.correct for q in result.questions] == [True, False, True, False, True]
    assert (result.questions[1].chosen, result.questions[1].correct_choice) == ("a", "b")
    assert result.questions[1].feedback == "uitleg bij a"
    assert [q.question_id for q in result.wrong] == ["q2", "q4"]
    assert (result.score, result.passed) == (60.0, False)


def test_four_of_five_is_exactly_the_80_percent_pass_mark_and_passes() -> None:
    module = make_module()
    result = grade(module, {**all_right(module), "q5": "a"})
    assert (result.score, result.passed) == (80.0, True)


def test_three_of_four_misses_80_percent_but_passes_a_pass_mark_of_75() -> None:
    module = make_module(questions=4)
    answers = {**all_right(module), "q1": "c"}
    assert grade(module, answers).passed is False
    assert grade(module, answers, pass_mark=75).passed is True


def test_the_pass_mark_boundary_is_exact_without_float_rounding() -> None:
    module = make_module(questions=3)
    answers = {**all_right(module), "q3": "a"}  # 2 of 3 = 66.666...%
    assert grade(module, answers, pass_mark=200 / 3).passed is True
    assert grade(module, answers, pass_mark=66.67).passed is False
    assert grade(module, answers).score == 66.7


def test_an_unanswered_question_counts_as_wrong_and_has_no_feedback() -> None:
    module = make_module()
    answers = all_right(module)
    del answers["q1"]
    answers["q2"] = None
    result = grade(module, answers)
    assert [(q.answered, q.correct, q.feedback) for q in result.questions[:2]] == [(False, False, None)] * 2
    assert (result.correct, result.passed) == (3, False)


def test_an_answer_may_be_a_choice_position_counting_from_zero() -> None:
    module = make_module(questions=3)
    result = grade(module, {"q1": 1, "q2": 0, "q3": "b"})
    assert [q.chosen for q in result.questions] == ["b", "a", "b"]
    assert result.correct == 2


@pytest.mark.parametrize("bad", ["z", 3, -1, True])
def test_an_unknown_choice_is_refused_cleanly_with_the_question_and_value(bad: str | int) -> None:
    module = make_module()
    with pytest.raises(TrainingModuleError) as caught:
        grade(module, {**all_right(module), "q3": bad})
    [problem] = caught.value.problems
    assert (problem.code, problem.column, problem.value) == ("training.unknown_choice", "q3", str(bad))
    assert "q3" in problem.message("nl")
    assert "a, b, c" in problem.message("en")
    assert isinstance(caught.value, PeerMatchError)


def test_an_answer_to_a_question_the_module_does_not_have_is_refused() -> None:
    module = make_module()
    with pytest.raises(TrainingModuleError) as caught:
        grade(module, {**all_right(module), "q9": "a"})
    assert [p.code for p in caught.value.problems] == ["training.unknown_question"]


@pytest.mark.parametrize("mark", [0, -5, 101, True])
def test_a_pass_mark_outside_1_to_100_is_refused(mark: float) -> None:
    with pytest.raises(TrainingModuleError):
        grade(make_module(), {}, pass_mark=mark)


@given(st.lists(st.booleans(), min_size=3, max_size=5), st.integers(1, 100))
def test_passing_means_at_least_the_pass_mark_of_questions_right(rights: list[bool], mark: int) -> None:
    module = make_module(questions=len(rights))
    answers = {f"q{i}": ("b" if right else "c") for i, right in enumerate(rights, start=1)}
    result = grade(module, answers, pass_mark=mark)
    assert 0 <= result.score <= 100
    assert result.correct == sum(rights)
    assert result.passed == (sum(rights) / len(rights) * 100 >= mark - 1e-9)


# -- attempts and progress -------------------------------------------------------------------------


def attempt(module: str, number: int, correct: int, passed: bool, on: date = DAY, tutor: str = "t1") -> Attempt:
    return Attempt(module, number, on, correct, 5, passed, tutor_id=tutor)


def test_a_graded_quiz_becomes_an_attempt_record_with_its_number_and_answers() -> None:
    module = make_module()
    result = grade(module, {**all_right(module), "q2": "a"}, attempt=3)
    record = result.to_attempt(datetime(2025, 11, 3, 14, 30), tutor_id="t7")
    assert (record.module_id, record.number, record.taken_on, record.tutor_id) == ("wachten", 3, DAY, "t7")
    assert (record.correct, record.total, record.passed, record.score, record.module_version) == (4, 5, True, 80.0, 2)
    assert [(a.question_id, a.chosen, a.correct) for a in record.answers][:2] == [("q1", "b", True), ("q2", "a", False)]


def test_retries_are_unlimited_and_numbered() -> None:
    tries = [attempt("wachten", n, 2, False) for n in range(1, 8)]
    assert next_attempt_number(tries, "wachten") == 8
    assert next_attempt_number(tries, "complimenten") == 1
    assert next_attempt_number(tries, "wachten", tutor_id="someone-else") == 1


def test_the_best_try_counts_and_a_later_worse_try_does_not_undo_a_pass() -> None:
    progress = TutorProgress.from_attempts([
        attempt("wachten", 1, 2, False, date(2025, 11, 3)),
        attempt("wachten", 2, 5, True, date(2025, 11, 4)),
        attempt("wachten", 3, 3, False, date(2025, 11, 6)),
    ])  # fmt: skip
    mine = progress.get("wachten")
    assert mine is not None
    assert (mine.best_score, mine.passed, mine.attempts) == (100.0, True, 3)
    assert (mine.last_attempt_on, mine.first_passed_on) == (date(2025, 11, 6), date(2025, 11, 4))
    assert progress.passed_ids == {"wachten"}


def test_a_module_never_passed_shows_its_best_score_and_no_pass_date() -> None:
    progress = TutorProgress.from_attempts([attempt("wachten", 1, 1, False), attempt("wachten", 2, 3, False)])
    mine = progress.get("wachten")
    assert mine is not None
    assert (mine.best_score, mine.passed, mine.first_passed_on) == (60.0, False, None)
    assert progress.get("complimenten") is None
    assert not progress.passed("complimenten")


def test_progress_of_one_tutor_refuses_attempts_of_several_but_a_class_overview_splits_them() -> None:
    mixed = [attempt("wachten", 1, 5, True, tutor="t1"), attempt("wachten", 1, 1, False, tutor="t2")]
    with pytest.raises(TrainingModuleError):
        TutorProgress.from_attempts(mixed)
    overview = progress_by_tutor(mixed)
    assert {tutor: p.passed("wachten") for tutor, p in overview.items()} == {"t1": True, "t2": False}


def test_an_impossible_attempt_record_is_refused() -> None:
    with pytest.raises(ValueError, match="impossible"):
        Attempt("wachten", 1, DAY, 6, 5, True)
    with pytest.raises(ValueError, match="impossible"):
        Attempt("wachten", 0, DAY, 1, 5, False)


# -- readiness -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> ModuleSet:
    return load_modules("nl")


def passed_all(modules: ModuleSet, subject: Subject) -> TutorProgress:
    return TutorProgress.from_attempts(attempt(m.id, 1, 5, True) for m in modules.core_for(subject))


def test_a_reading_tutor_is_ready_after_the_general_and_reading_modules_without_the_maths_one(
    shipped: ModuleSet,
) -> None:
    progress = passed_all(shipped, Subject.LEZEN)
    reading = is_ready(progress, "lezen", shipped, practised={"samen-lezen"})
    assert reading.ready
    assert bool(reading)
    assert "samen-lezen" in reading.required
    assert "rekenen-hardop" not in reading.required
    maths = is_ready(progress, Subject.REKENEN, shipped, practised={"samen-lezen"})
    assert not maths.ready
    assert maths.practised == ()  # a reading role-play is no practice for a maths tutor
    assert maths.missing == ("rekenen-hardop",)


def test_readiness_lists_what_is_missing_in_reading_order(shipped: ModuleSet) -> None:
    core = [m.id for m in shipped.core_for("rekenen")]
    progress = TutorProgress.from_attempts(
        [attempt(mid, 1, 5, True) for mid in core[2:]] + [attempt(core[0], 1, 2, False)]
    )
    readiness = is_ready(progress, "rekenen", shipped)
    assert (readiness.ready, readiness.missing) == (False, tuple(core[:2]))
    assert (readiness.done, readiness.total) == (len(core) - 2, len(core))


def test_a_module_that_is_not_core_is_not_needed_for_readiness() -> None:
    modules = [make_module("kern"), make_module("extra", core=False), make_module("som", subject="rekenen")]
    progress = TutorProgress.from_attempts([attempt("kern", 1, 5, True)])
    assert is_ready(progress, "lezen", modules, ["kern"]).ready
    assert is_ready(progress, "rekenen", modules).missing == ("som",)


def test_passed_quizzes_without_a_signed_off_practice_are_not_ready_to_start(shipped: ModuleSet) -> None:
    progress = passed_all(shipped, Subject.LEZEN)
    unseen = is_ready(progress, "lezen", shipped)
    assert (unseen.quizzes_passed, unseen.practice_signed, unseen.ready) == (True, False, False)
    seen = is_ready(progress, "lezen", shipped, practised=["kennismaken", "weg-uit-de-training"])
    assert (seen.practised, seen.ready) == (("kennismaken",), True)  # a module that is gone counts for nothing
    not_passed = is_ready(TutorProgress(), "lezen", shipped, practised=["kennismaken"])
    assert (not_passed.practice_signed, not_passed.ready) == (True, False)


def test_nobody_is_ready_when_there_are_no_core_modules_at_all() -> None:
    readiness = is_ready(TutorProgress(), "lezen", ModuleSet("nl"))
    assert (readiness.ready, readiness.required) == (False, ())


def test_an_unknown_subject_is_refused_with_a_problem() -> None:
    with pytest.raises(TrainingModuleError) as caught:
        is_ready(TutorProgress(), "taal", [make_module()])
    assert caught.value.problems[0].code == "training.unknown_subject"


# -- item analysis ---------------------------------------------------------------------------------


def graded(module: Module, tutor: str, number: int, wrong: dict[str, str | None]) -> Attempt:
    answers: dict[str, str | int | None] = {**all_right(module), **wrong}
    return grade(module, answers, attempt=number).to_attempt(DAY, tutor_id=tutor)


def test_item_analysis_puts_the_most_missed_question_first_with_its_most_chosen_wrong_answer() -> None:
    module = make_module()
    attempts = [
        graded(module, "t1", 1, {"q3": "a", "q1": "c"}),
        graded(module, "t2", 1, {"q3": "a"}),
        graded(module, "t3", 1, {"q3": "c"}),
        graded(module, "t3", 2, {"q3": "a"}),
        graded(module, "t4", 1, {"q3": None}),
    ]
    first, second, *rest = item_analysis(attempts)
    assert (first.module_id, first.question_id) == ("wachten", "q3")
    assert (first.attempts, first.wrong, first.unanswered) == (5, 5, 1)
    assert (first.most_chosen_wrong, first.most_chosen_wrong_count, first.wrong_rate) == ("a", 3, 1.0)
    assert (second.question_id, second.wrong, second.most_chosen_wrong) == ("q1", 1, "c")
    assert all(s.wrong == 0 and s.most_chosen_wrong is None for s in rest)


def test_item_analysis_names_the_tutors_still_stuck_but_not_those_who_passed_later() -> None:
    module = make_module()
    attempts = [
        graded(module, "t1", 1, {"q2": "a", "q4": "a"}),  # 60 %: stuck
        graded(module, "t2", 1, {"q2": "a", "q4": "a"}),
        graded(module, "t2", 2, {"q2": "a"}),  # 80 %: passed, no longer stuck
    ]
    stats = {s.question_id: s for s in item_analysis(attempts)}
    assert stats["q2"].stuck == ("t1",)
    assert stats["q4"].stuck == ("t1",)
    assert stats["q1"].stuck == ()


def test_item_analysis_with_the_modules_lists_untried_questions_and_ignores_attempts_without_answers() -> None:
    tried, untried = make_module("wachten", 3), make_module("complimenten", 3)
    attempts = [graded(tried, "t1", 1, {"q1": "a"}), Attempt("wachten", 2, DAY, 3, 3, True, tutor_id="t1")]
    stats = item_analysis(attempts, [tried, untried])
    assert [(s.module_id, s.question_id) for s in stats][:1] == [("wachten", "q1")]
    assert [(s.module_id, s.attempts) for s in stats if s.module_id == "complimenten"] == [("complimenten", 0)] * 3
    assert stats[0].attempts == 1
