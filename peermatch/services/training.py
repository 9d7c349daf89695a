"""Tutor training: a tutor takes a quiz (graded by the core, then stored), progress, and the teacher's
readiness overview of a group with the item analysis.

Who may see what: a pupil only their own attempts and progress (``AuthenticatedPupil``); a leerkracht
the pupils of their own groups; ib and beheerder the whole school (``AuthenticatedUser``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from peermatch.attempts import Attempt
from peermatch.auth import AuthenticatedUser
from peermatch.errors import InvalidInputError, PermissionDeniedError, Problem
from peermatch.model import Subject
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services.database import Database
from peermatch.storage import practice_store, training_store
from peermatch.training.analysis import ItemStats, item_analysis
from peermatch.training.modules import Module, ModuleSet, parse_subject
from peermatch.training.progress import Readiness, TutorProgress, is_ready
from peermatch.training.quiz import Answer, Paper, QuizResult, draw, grade

__all__ = [
    "GroupReadiness",
    "Paper",
    "QuizResult",
    "TutorReadiness",
    "quiz_paper",
    "quiz_paper_in",
    "readiness_for_group",
    "record_attempt",
    "record_attempt_in",
    "sign_off_practice",
    "tutor_attempts",
    "tutor_progress",
    "undo_practice",
]


def quiz_paper_in(session: Session, pupil: AuthenticatedPupil, module: Module) -> Paper:
    """:func:`quiz_paper` inside the caller's transaction."""
    last = training_store.last_attempt(session, pupil, module.id)
    number = last.number + 1 if last else 1
    return draw(module, attempt=number, seed_key=str(pupil.id), previous=last.answers if last else ())


def quiz_paper(db: Database, pupil: AuthenticatedPupil, module: Module) -> Paper:
    """The questions the logged-in pupil's next try at ``module`` asks, with the choices in the order to show.

    The same until that try is stored (a rerun or a second device shows the same paper); the next try draws
    afresh, away from the questions of this one when the pool allows."""
    with db.read() as session:
        return quiz_paper_in(session, pupil, module)


def record_attempt_in(
    session: Session,
    pupil: AuthenticatedPupil,
    module: Module,
    answers: Mapping[str, Answer],
    *,
    today: date,
    graded: QuizResult | None = None,
    paper: Paper | None = None,
) -> QuizResult:
    """:func:`record_attempt` inside the caller's transaction (the demo seed stores many tries in one).

    ``graded`` is the result of ``grade(module, answers, paper=paper)`` when the caller graded already."""
    result = graded or grade(module, answers, paper=paper)
    number = training_store.last_attempt_number(session, pupil, module.id) + 1
    result = dataclasses.replace(result, attempt=number)
    training_store.add_attempt(session, pupil, result.to_attempt(today, str(pupil.id)))
    return result


def record_attempt(
    db: Database,
    pupil: AuthenticatedPupil,
    module: Module,
    answers: Mapping[str, Answer],
    *,
    today: date,
    paper: Paper | None = None,
) -> QuizResult:
    """Grade the logged-in pupil's answers (``peermatch.training.grade``) to the questions of ``paper`` (the
    one :func:`quiz_paper` gave and the page showed; without one, every question of the module) and store
    the try, with the order its choices were shown in, as the next attempt at this module (1, 2, 3 ...).
    Returns the result; ``peermatch.training.review`` says what of it to show.

    The answers are graded before the write transaction: a :class:`TrainingModuleError` (a question
    that was not asked, an unknown choice) stores nothing and takes no lock."""
    graded = grade(module, answers, paper=paper)
    return db.write_retrying(
        lambda session: record_attempt_in(session, pupil, module, answers, today=today, graded=graded)
    )


def _attempts(session: Session, actor: AuthenticatedPupil | AuthenticatedUser, pupil_id: int | None) -> list[Attempt]:
    return training_store.attempts_of(session, training_store.readable_pupil(session, actor, pupil_id))


def tutor_attempts(
    db: Database, actor: AuthenticatedPupil | AuthenticatedUser, pupil_id: int | None = None
) -> list[Attempt]:
    """A tutor's attempts, oldest first. A pupil: their own only (``pupil_id`` omitted or their own id);
    staff: ``pupil_id`` within their groups (leerkracht) or school (ib, beheerder), audited."""
    with db.write() as session:
        return _attempts(session, actor, pupil_id)


def tutor_progress(
    db: Database, actor: AuthenticatedPupil | AuthenticatedUser, pupil_id: int | None = None
) -> TutorProgress:
    """Best try per module for one tutor (same permission rules as :func:`tutor_attempts`)."""
    return TutorProgress.from_attempts(tutor_attempts(db, actor, pupil_id))


@dataclass(frozen=True)
class TutorReadiness:
    """One tutor in the teacher's overview."""

    pupil_id: int
    first_name: str
    last_name: str
    readiness: Readiness  # ready: the quizzes passed and a practice signed off
    progress: TutorProgress
    stuck_on: tuple[tuple[str, str], ...]  # (module id, question id) the tutor got wrong last time and has not passed


@dataclass(frozen=True)
class GroupReadiness:
    """The teacher's view of a group: who is ready to start in ``subject``, and which questions trip tutors up."""

    group_id: int
    subject: Subject
    tutors: tuple[TutorReadiness, ...]  # by first name
    items: tuple[ItemStats, ...]  # most missed first; ItemStats.stuck holds pupil ids as text

    @property
    def ready(self) -> tuple[TutorReadiness, ...]:
        return tuple(t for t in self.tutors if t.readiness.ready)

    @property
    def not_ready(self) -> tuple[TutorReadiness, ...]:
        return tuple(t for t in self.tutors if not t.readiness.ready)

    def first_name(self, tutor_id: str) -> str:
        """The first name for an id in ``ItemStats.stuck``."""
        return next((t.first_name for t in self.tutors if str(t.pupil_id) == tutor_id), tutor_id)


def readiness_for_group(
    db: Database,
    actor: AuthenticatedUser,
    group_id: int,
    subject: Subject | str,
    modules: ModuleSet,
) -> GroupReadiness:
    """Readiness of every active pupil of the group in ``subject`` and the item analysis of the modules
    for that subject. A leerkracht: own groups only; ib and beheerder: the whole school. Audited."""
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    wanted = parse_subject(subject)
    with db.write() as session:
        group = training_store.group_tutors(session, actor, group_id)
        signed = practice_store.signed_modules(session, *(t.pupil_id for t in group.tutors))
    items = item_analysis(group.attempts, modules.modules_for(wanted))
    tutors = []
    for pupil in group.tutors:
        key = str(pupil.pupil_id)
        progress = TutorProgress.from_attempts(a for a in group.attempts if a.tutor_id == key)
        stuck = tuple((s.module_id, s.question_id) for s in items if key in s.stuck)
        readiness = is_ready(progress, wanted, modules, signed.get(pupil.pupil_id, ()))
        tutors.append(TutorReadiness(pupil.pupil_id, pupil.first_name, pupil.last_name, readiness, progress, stuck))
    return GroupReadiness(group.group_id, wanted, tuple(tutors), tuple(items))


def _practice_module(modules: ModuleSet, module_id: str) -> str:
    if module_id not in modules:
        raise InvalidInputError(Problem("practice.unknown_module", value=module_id))
    return module_id


def sign_off_practice(
    db: Database, actor: AuthenticatedUser, pupil_id: int, module_id: str, modules: ModuleSet, *, today: date
) -> bool:
    """The teacher saw the tutor do the role-play of ``module_id`` ("Probeer het"): one of the two things
    "Klaar om te starten" needs (the other: the passed quizzes). A leerkracht: pupils of her own groups; ib
    and beheerder: the whole school. Audited. ``False`` when it was signed off already (nothing changes)."""
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    wanted = _practice_module(modules, module_id)
    return db.write_retrying(lambda session: practice_store.add_signoff(session, actor, pupil_id, wanted, today))


def undo_practice(db: Database, actor: AuthenticatedUser, pupil_id: int, module_id: str) -> bool:
    """Take back a practice sign-off (a wrong tap). Same permissions as :func:`sign_off_practice`; audited.
    ``False`` when there was none."""
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    with db.write() as session:
        return practice_store.remove_signoff(session, actor, pupil_id, module_id)
