"""Stored quiz attempts on SQLite and PostgreSQL: numbering retries, progress, readiness per group,
item analysis of stored answers, and who may see whose training."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory
from tutoring_world import Tutoring, build_tutoring, cheap_argon2, login_as

from peermatch.errors import PermissionDeniedError, TrainingModuleError
from peermatch.model import Subject
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services import Database, pupil_home, training
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import TrainingAttempt
from peermatch.training import Module, ModuleSet, load_modules

__all__ = ["backend", "cheap_argon2", "engine", "factory"]  # fixtures used by the tests below

DAY = date(2025, 10, 1)


@pytest.fixture(scope="module")
def modules() -> ModuleSet:
    return load_modules("nl")


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)


def _right(module: Module) -> dict[str, str | int | None]:
    return {q.id: q.answer for q in module.quiz}


def _wrong_first(module: Module, wrong: int = 2) -> dict[str, str | int | None]:
    """The first ``wrong`` questions answered with a wrong choice, the rest right."""
    answers: dict[str, str | int | None] = _right(module)
    for q in module.quiz[:wrong]:
        answers[q.id] = next(c.id for c in q.choices if c.id != q.answer)
    return answers


Answers = dict[str, str | int | None]


def _take(
    factory: sessionmaker[Session], pupil: AuthenticatedPupil, module: Module, answers: Answers, day: date = DAY
) -> training.QuizResult:
    return training.record_attempt(Database(factory), pupil, module, answers, today=day)


def test_a_retry_gets_the_next_number_and_every_try_is_stored_with_its_answers(
    factory: sessionmaker[Session], tutoring: Tutoring, modules: ModuleSet
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    module = modules["kennismaken"]
    first = _take(factory, noor, module, _wrong_first(module))
    second = _take(factory, noor, module, _right(module), date(2025, 10, 2))
    assert (first.attempt, first.passed, first.correct) == (1, False, len(module.quiz) - 2)
    assert (second.attempt, second.passed) == (2, True)
    assert _take(factory, noor, modules["wachten"], _right(modules["wachten"])).attempt == 1
    with unit_of_work(factory, read_only=True) as session:
        rows = session.scalars(sa.select(TrainingAttempt).order_by(TrainingAttempt.id)).all()
        assert [(r.module_id, r.attempt_no, r.passed, r.module_version) for r in rows] == [
            ("kennismaken", 1, False, module.version), ("kennismaken", 2, True, module.version),
            ("wachten", 1, True, modules["wachten"].version),
        ]  # fmt: skip
        first_answer = rows[0].answers[0]
        assert set(first_answer) == {"question_id", "chosen", "correct", "shown"}
        assert first_answer["shown"] == []  # graded without a paper: the module's own order
        assert first_answer["question_id"] == module.quiz[0].id
        assert first_answer["chosen"] != module.quiz[0].answer
        assert first_answer["correct"] is False
    progress = training.tutor_progress(Database(factory), noor)
    assert progress.passed_ids == {"kennismaken", "wachten"}
    assert progress.modules["kennismaken"].attempts == 2
    assert progress.modules["kennismaken"].first_passed_on == date(2025, 10, 2)


def test_an_unknown_choice_stores_nothing(
    factory: sessionmaker[Session], tutoring: Tutoring, modules: ModuleSet
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    module = modules["kennismaken"]
    with pytest.raises(TrainingModuleError):
        _take(factory, noor, module, {module.quiz[0].id: "zz"})
    with unit_of_work(factory, read_only=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(TrainingAttempt)) == 0


def test_a_pupil_sees_only_their_own_training_and_staff_only_their_groups(
    factory: sessionmaker[Session], tutoring: Tutoring, modules: ModuleSet
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    _take(factory, noor, modules["kennismaken"], _right(modules["kennismaken"]))
    world = tutoring.world
    db = Database(factory)
    assert len(training.tutor_attempts(db, noor, noor.id)) == 1
    with pytest.raises(PermissionDeniedError):
        training.tutor_attempts(db, noor, tutoring.pupils["Fatima"])
    assert training.tutor_progress(db, world.juf, noor.id).passed_ids == {"kennismaken"}
    assert training.tutor_progress(db, world.ib, noor.id).passed_ids == {"kennismaken"}
    with pytest.raises(PermissionDeniedError):
        training.tutor_progress(db, world.meester, noor.id)
    with pytest.raises(PermissionDeniedError):
        training.tutor_progress(db, world.other_ib, noor.id)
    with pytest.raises(PermissionDeniedError):
        training.readiness_for_group(db, noor, world.groups["7A"], "lezen", modules)  # type: ignore[arg-type]
    with pytest.raises(PermissionDeniedError):
        training.readiness_for_group(db, world.meester, world.groups["7A"], "lezen", modules)


def test_readiness_for_a_group_shows_who_is_ready_and_who_is_stuck_on_which_question(
    factory: sessionmaker[Session], tutoring: Tutoring, modules: ModuleSet
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    fatima = login_as(factory, tutoring.cards["Fatima"])
    for module in modules.core_for(Subject.LEZEN):
        _take(factory, noor, module, _right(module))
    _take(factory, fatima, modules["kennismaken"], _right(modules["kennismaken"]))
    wachten = modules["wachten"]
    _take(factory, fatima, wachten, _wrong_first(wachten, 2))
    _take(factory, fatima, wachten, _wrong_first(wachten, 1))  # still 4/5 ... passes at 80 %
    verbeteren = modules["verbeteren"]
    _take(factory, fatima, verbeteren, _wrong_first(verbeteren, 3))
    training.sign_off_practice(Database(factory), tutoring.world.juf, noor.id, "samen-lezen", modules, today=DAY)
    overview = training.readiness_for_group(Database(factory), tutoring.world.juf, tutoring.world.groups["7A"],
                                            Subject.LEZEN, modules)  # fmt: skip
    assert [t.first_name for t in overview.tutors] == ["Fatima", "Noor"]
    assert [t.first_name for t in overview.ready] == ["Noor"]
    fatima_row = overview.not_ready[0]
    assert fatima_row.readiness.passed[:1] == ("kennismaken",)
    assert "wachten" in fatima_row.progress.passed_ids
    assert fatima_row.stuck_on == tuple(("verbeteren", q.id) for q in verbeteren.quiz[:3])
    most_missed = overview.items[0]
    assert (most_missed.module_id, most_missed.question_id) == ("wachten", wachten.quiz[0].id)
    assert (most_missed.attempts, most_missed.wrong) == (3, 2)  # Noor right once, Fatima wrong twice
    stuck = {(s.module_id, s.question_id): s.stuck for s in overview.items if s.stuck}
    assert stuck == {("verbeteren", q.id): (str(fatima.id),) for q in verbeteren.quiz[:3]}
    assert overview.first_name(str(fatima.id)) == "Fatima"
    assert all(s.module_id != "rekenen-hardop" for s in overview.items)  # only the lezen path


def test_the_tutor_home_shows_the_tutors_own_progress_and_readiness(
    factory: sessionmaker[Session], tutoring: Tutoring, modules: ModuleSet
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    for module in modules.core_for(Subject.LEZEN):
        _take(factory, noor, module, _right(module))
    home = pupil_home.tutor_view(Database(factory), noor, modules=modules)
    assert [(r.subject, r.quizzes_passed, r.ready) for r in home.readiness] == [(Subject.LEZEN, True, False)]
    training.sign_off_practice(Database(factory), tutoring.world.juf, noor.id, "kennismaken", modules, today=DAY)
    home = pupil_home.tutor_view(Database(factory), noor, modules=modules)
    assert [(r.subject, r.ready) for r in home.readiness] == [(Subject.LEZEN, True)]
    assert len(home.progress.passed_ids) == len(modules.core_for(Subject.LEZEN))
