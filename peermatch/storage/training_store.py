"""Stored quiz attempts: record a tutor's try, their progress, and the teacher's readiness overview.

Who may see what: a pupil only their own attempts and progress (``AuthenticatedPupil``); a leerkracht
the pupils of their own groups; ib and beheerder the whole school (``AuthenticatedUser``).
Attempts are kept as :class:`peermatch.training.Attempt` with ``tutor_id = str(pupil id)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.errors import PermissionDeniedError, Problem
from peermatch.model import Subject
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.storage import audit
from peermatch.storage.access import load_group, load_pupil
from peermatch.storage.enums import AuditAction
from peermatch.storage.models import PupilRow, TrainingAttempt
from peermatch.storage.pupil_login import require_active_pupil
from peermatch.training.analysis import ItemStats, item_analysis
from peermatch.training.modules import Module, ModuleSet, parse_subject
from peermatch.training.progress import Readiness, TutorProgress, is_ready
from peermatch.training.quiz import Answer, AnswerRecord, Attempt, QuizResult, grade

__all__ = [
    "GroupReadiness",
    "QuizResult",
    "TutorReadiness",
    "attempts_of",
    "readiness_for_group",
    "record_attempt",
    "tutor_attempts",
    "tutor_progress",
]


def _attempt(row: TrainingAttempt) -> Attempt:
    return Attempt(
        module_id=row.module_id,
        number=row.attempt_no,
        taken_on=row.taken_on,
        correct=row.correct,
        total=row.total,
        passed=row.passed,
        tutor_id=str(row.pupil_id),
        module_version=row.module_version,
        answers=tuple(AnswerRecord(a["question_id"], a.get("chosen"), bool(a["correct"])) for a in row.answers or ()),
    )


def attempts_of(session: Session, *pupil_ids: int) -> list[Attempt]:
    """Every stored attempt of these pupils, oldest first. No permission check: callers check."""
    rows = session.scalars(
        sa.select(TrainingAttempt)
        .where(TrainingAttempt.pupil_id.in_(pupil_ids))
        .order_by(TrainingAttempt.pupil_id, TrainingAttempt.taken_on, TrainingAttempt.id)
    )
    return [_attempt(row) for row in rows]


def record_attempt(
    session: Session,
    pupil: AuthenticatedPupil,
    module: Module,
    answers: Mapping[str, Answer],
    *,
    today: date,
) -> QuizResult:
    """Grade the logged-in pupil's answers (``peermatch.training.grade``) and store the try as the next
    attempt at this module (1, 2, 3 ...). Returns the result with per-answer feedback to show.
    A :class:`TrainingModuleError` (unknown question or choice) stores nothing."""
    me = require_active_pupil(session, pupil)
    last = session.scalar(
        sa.select(sa.func.max(TrainingAttempt.attempt_no)).where(
            TrainingAttempt.pupil_id == me.id, TrainingAttempt.module_id == module.id
        )
    )
    result = grade(module, answers, attempt=(last or 0) + 1)
    attempt = result.to_attempt(today, str(me.id))
    session.add(
        TrainingAttempt(
            school_id=me.school_id,
            pupil_id=me.id,
            module_id=attempt.module_id,
            module_version=attempt.module_version,
            attempt_no=attempt.number,
            taken_on=attempt.taken_on,
            correct=attempt.correct,
            total=attempt.total,
            passed=attempt.passed,
            answers=[{"question_id": a.question_id, "chosen": a.chosen, "correct": a.correct} for a in attempt.answers],
        )
    )
    session.flush()
    return result


def _readable_pupil(session: Session, actor: AuthenticatedPupil | AuthenticatedUser, pupil_id: int | None) -> int:
    if isinstance(actor, AuthenticatedPupil):
        me = require_active_pupil(session, actor)
        if pupil_id is not None and pupil_id != me.id:
            raise PermissionDeniedError(Problem("pupil.denied.other_pupil"))
        return me.id
    if pupil_id is None:
        raise PermissionDeniedError(Problem("pupil.denied.not_a_pupil"))
    pupil = load_pupil(session, actor, pupil_id)
    audit.record(session, actor, pupil.school_id, AuditAction.VIEW, "training", pupil.id)
    return pupil.id


def tutor_attempts(
    session: Session, actor: AuthenticatedPupil | AuthenticatedUser, pupil_id: int | None = None
) -> list[Attempt]:
    """A tutor's attempts, oldest first. A pupil: their own only (``pupil_id`` omitted or their own id);
    staff: ``pupil_id`` within their groups (leerkracht) or school (ib, beheerder)."""
    return attempts_of(session, _readable_pupil(session, actor, pupil_id))


def tutor_progress(
    session: Session, actor: AuthenticatedPupil | AuthenticatedUser, pupil_id: int | None = None
) -> TutorProgress:
    """Best try per module for one tutor (same permission rules as :func:`tutor_attempts`)."""
    return TutorProgress.from_attempts(tutor_attempts(session, actor, pupil_id))


@dataclass(frozen=True)
class TutorReadiness:
    """One tutor in the teacher's overview."""

    pupil_id: int
    first_name: str
    last_name: str
    readiness: Readiness
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
    session: Session,
    actor: AuthenticatedUser,
    group_id: int,
    subject: Subject | str,
    modules: ModuleSet,
) -> GroupReadiness:
    """Readiness of every active pupil of the group in ``subject`` and the item analysis of the modules
    for that subject. A leerkracht: own groups only; ib and beheerder: the whole school."""
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    wanted = parse_subject(subject)
    group = load_group(session, actor, group_id)
    pupils = session.scalars(
        sa.select(PupilRow)
        .where(PupilRow.group_id == group.id, PupilRow.active)
        .order_by(PupilRow.first_name, PupilRow.id)
    ).all()
    attempts = attempts_of(session, *(p.id for p in pupils)) if pupils else []
    relevant = modules.modules_for(wanted)
    items = item_analysis(attempts, relevant)
    tutors = []
    for pupil in pupils:
        key = str(pupil.id)
        progress = TutorProgress.from_attempts(a for a in attempts if a.tutor_id == key)
        stuck = tuple((s.module_id, s.question_id) for s in items if key in s.stuck)
        tutors.append(TutorReadiness(pupil.id, pupil.first_name, pupil.last_name, is_ready(progress, wanted, modules),
                                     progress, stuck))  # fmt: skip
    audit.record(session, actor, group.school_id, AuditAction.VIEW, "training_group", group.id)
    return GroupReadiness(group.id, wanted, tuple(tutors), items)
