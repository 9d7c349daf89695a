"""Stored quiz attempts: a tutor's tries at the module quizzes, and who may read whose.

Rows only: grading, progress, readiness and the item analysis are the training core, used by
``peermatch.services.training``. Who may see what: a pupil only their own attempts
(``AuthenticatedPupil``); a leerkracht the pupils of their own groups; ib and beheerder the whole
school (``AuthenticatedUser``). Attempts are returned as :class:`peermatch.attempts.Attempt` with
``tutor_id = str(pupil id)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.attempts import AnswerRecord, Attempt
from peermatch.auth import AuthenticatedUser
from peermatch.errors import PermissionDeniedError, Problem
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.storage import audit
from peermatch.storage.access import load_group, load_pupil
from peermatch.storage.enums import AuditAction
from peermatch.storage.models import PupilRow, TrainingAttempt
from peermatch.storage.pupil_logins import require_active_pupil

__all__ = [
    "GroupTutors",
    "TutorName",
    "add_attempt",
    "attempts_of",
    "group_tutors",
    "last_attempt",
    "last_attempt_number",
    "readable_pupil",
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
        answers=tuple(
            AnswerRecord(a["question_id"], a.get("chosen"), bool(a["correct"]), tuple(a.get("shown") or ()))
            for a in row.answers or ()
        ),  # rows from before the choices were shuffled have no "shown"
    )


def attempts_of(session: Session, *pupil_ids: int) -> list[Attempt]:
    """Every stored attempt of these pupils, oldest first. No permission check: callers check."""
    rows = session.scalars(
        sa.select(TrainingAttempt)
        .where(TrainingAttempt.pupil_id.in_(pupil_ids))
        .order_by(TrainingAttempt.pupil_id, TrainingAttempt.taken_on, TrainingAttempt.id)
    )
    return [_attempt(row) for row in rows]


def last_attempt_number(session: Session, pupil: AuthenticatedPupil, module_id: str) -> int:
    """The number of the logged-in pupil's last try at this module (0: none yet)."""
    me = require_active_pupil(session, pupil)
    last = session.scalar(
        sa.select(sa.func.max(TrainingAttempt.attempt_no)).where(
            TrainingAttempt.pupil_id == me.id, TrainingAttempt.module_id == module_id
        )
    )
    return last or 0


def last_attempt(session: Session, pupil: AuthenticatedPupil, module_id: str) -> Attempt | None:
    """The logged-in pupil's latest try at this module (``None``: none yet)."""
    me = require_active_pupil(session, pupil)
    row = session.scalar(
        sa.select(TrainingAttempt)
        .where(TrainingAttempt.pupil_id == me.id, TrainingAttempt.module_id == module_id)
        .order_by(TrainingAttempt.attempt_no.desc())
        .limit(1)
    )
    return _attempt(row) if row is not None else None


def add_attempt(session: Session, pupil: AuthenticatedPupil, attempt: Attempt) -> None:
    """Store one graded try of the logged-in pupil (``attempt.number`` must be the next one: unique per module)."""
    session.add(
        TrainingAttempt(
            school_id=pupil.school_id,
            pupil_id=pupil.id,
            module_id=attempt.module_id,
            module_version=attempt.module_version,
            attempt_no=attempt.number,
            taken_on=attempt.taken_on,
            correct=attempt.correct,
            total=attempt.total,
            passed=attempt.passed,
            answers=[
                {"question_id": a.question_id, "chosen": a.chosen, "correct": a.correct, "shown": list(a.shown)}
                for a in attempt.answers
            ],
        )
    )
    session.flush()


def readable_pupil(session: Session, actor: AuthenticatedPupil | AuthenticatedUser, pupil_id: int | None) -> int:
    """The id of the pupil whose training ``actor`` asks for, or PermissionDeniedError.

    A pupil: their own only (``pupil_id`` omitted or their own id); staff: ``pupil_id`` within their
    groups (leerkracht) or school (ib, beheerder), and the view is audited."""
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


@dataclass(frozen=True)
class TutorName:
    pupil_id: int
    first_name: str
    last_name: str


@dataclass(frozen=True)
class GroupTutors:
    """The active pupils of one group (by first name) with all their attempts, for the teacher's overview."""

    group_id: int
    school_id: int
    tutors: tuple[TutorName, ...]
    attempts: tuple[Attempt, ...]


def group_tutors(session: Session, actor: AuthenticatedUser, group_id: int) -> GroupTutors:
    """Every active pupil of the group and their attempts. A leerkracht: own groups only; ib and beheerder:
    the whole school. Audited as a view of the group's training."""
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    group = load_group(session, actor, group_id)
    pupils = session.scalars(
        sa.select(PupilRow)
        .where(PupilRow.group_id == group.id, PupilRow.active)
        .order_by(PupilRow.first_name, PupilRow.id)
    ).all()
    attempts = attempts_of(session, *(p.id for p in pupils)) if pupils else []
    audit.record(session, actor, group.school_id, AuditAction.VIEW, "training_group", group.id)
    tutors = tuple(TutorName(p.id, p.first_name, p.last_name) for p in pupils)
    return GroupTutors(group.id, group.school_id, tutors, tuple(attempts))
