"""Tutoring programmes: which groups tutor which groups, in what subject, at which weekly moments.

The rows and their queries. :class:`Moment`, :class:`ProgrammeSpec` and :class:`ProgrammeInfo` are core
values (:mod:`peermatch.programme`), re-exported here; a spec is checked by the service
(:mod:`peermatch.services.programmes`) before it is stored here.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, can_read_group, require_school
from peermatch.board_policy import refuse_board
from peermatch.errors import ConflictError, InvalidInputError, PermissionDeniedError, Problem
from peermatch.programme import Moment, ProgrammeInfo, ProgrammeSpec
from peermatch.storage import audit
from peermatch.storage.access import get_school, load_groups, load_programme
from peermatch.storage.enums import AuditAction, RunStatus, StaffRole
from peermatch.storage.models import (
    CheckInRow,
    EvaluationTalk,
    MatchingRun,
    OutcomeAnswerRow,
    PairRow,
    Programme,
    ProgrammeMoment,
)

__all__ = [
    "Moment",
    "ProgrammeInfo",
    "ProgrammeSpec",
    "create_programme",
    "delete_programme",
    "get_programme",
    "list_programmes",
    "update_programme",
]


def _info(p: Programme) -> ProgrammeInfo:
    spec = ProgrammeSpec(
        name=p.name,
        subject=p.subject,
        tutor_group_ids=tuple(g.id for g in p.tutor_groups),
        tutee_group_ids=tuple(g.id for g in p.tutee_groups),
        moments=tuple(Moment(m.weekday, m.start, m.end) for m in p.moments),
        start_date=p.start_date,
        weeks=p.weeks,
        sessions_per_week=p.sessions_per_week,
        minutes_per_session=p.minutes_per_session,
        rules=dict(p.rules),
    )
    return ProgrammeInfo(p.id, p.school_id, spec)


def _name_taken(session: Session, school_id: int, name: str, except_id: int | None) -> bool:
    query = sa.select(Programme.id).where(Programme.school_id == school_id, Programme.name == name)
    if except_id is not None:
        query = query.where(Programme.id != except_id)
    return session.scalar(query) is not None


def _fill(session: Session, actor: AuthenticatedUser, programme: Programme, spec: ProgrammeSpec) -> None:
    name = spec.name.strip()
    if _name_taken(session, programme.school_id, name, programme.id):
        raise ConflictError(Problem("storage.programme.name_taken", value=name))
    programme.name = name
    programme.subject = spec.subject
    programme.tutor_groups = load_groups(session, actor, programme.school_id, spec.tutor_group_ids)
    programme.tutee_groups = load_groups(session, actor, programme.school_id, spec.tutee_group_ids)
    programme.moments = [ProgrammeMoment(weekday=m.weekday, start=m.start, end=m.end) for m in spec.moments]
    programme.start_date = spec.start_date
    programme.weeks = spec.weeks
    programme.sessions_per_week = spec.sessions_per_week
    programme.minutes_per_session = spec.minutes_per_session
    programme.rules = dict(spec.rules)


def create_programme(session: Session, actor: AuthenticatedUser, school_id: int, spec: ProgrammeSpec) -> ProgrammeInfo:
    """A new programme (``spec`` checked by the caller); a leerkracht may only use their own groups."""
    require_school(actor, school_id)
    get_school(session, school_id)
    programme = Programme(school_id=school_id)
    _fill(session, actor, programme, spec)
    session.add(programme)
    session.flush()
    audit.record(session, actor, school_id, AuditAction.CREATE, "programme", programme.id)
    return _info(programme)


def update_programme(
    session: Session, actor: AuthenticatedUser, programme_id: int, spec: ProgrammeSpec
) -> ProgrammeInfo:
    """The programme with ``spec`` (checked by the caller) instead of what it was."""
    programme = load_programme(session, actor, programme_id)
    _fill(session, actor, programme, spec)
    session.flush()
    audit.record(session, actor, programme.school_id, AuditAction.UPDATE, "programme", programme.id)
    return _info(programme)


def get_programme(session: Session, actor: AuthenticatedUser, programme_id: int) -> ProgrammeInfo:
    return _info(load_programme(session, actor, programme_id))


def list_programmes(session: Session, actor: AuthenticatedUser, school_id: int) -> list[ProgrammeInfo]:
    """The programmes the actor may open (a leerkracht: those whose groups are all theirs), by name."""
    refuse_board(actor)
    require_school(actor, school_id)
    programmes = session.scalars(sa.select(Programme).where(Programme.school_id == school_id).order_by(Programme.name))
    return [
        _info(p)
        for p in programmes
        if all(can_read_group(actor, school_id, g.id) for g in (*p.tutor_groups, *p.tutee_groups))
    ]


def _pupil_data(session: Session, programme_id: int) -> int:
    """How many rows of what pupils did hang from the programme: check-ins, evaluation talks, answers to the
    before/after scale, published pairs."""
    pairs = (
        sa.select(PairRow.id)
        .join(MatchingRun, MatchingRun.id == PairRow.run_id)
        .where(MatchingRun.programme_id == programme_id)
    )
    published = pairs.where(MatchingRun.status == RunStatus.PUBLISHED)
    counted = 0
    for query in (
        sa.select(CheckInRow.id).where(CheckInRow.pair_id.in_(pairs)),
        sa.select(EvaluationTalk.id).where(EvaluationTalk.pair_id.in_(pairs)),
        sa.select(OutcomeAnswerRow.id).where(OutcomeAnswerRow.pair_id.in_(pairs)),
        published,
    ):
        counted += int(session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0)
    return counted


def delete_programme(
    session: Session, actor: AuthenticatedUser, programme_id: int, *, confirm_name: str | None = None
) -> None:
    """Delete the programme with its runs, pairs, pins and forbids.

    A programme with pupil data (published pairs, check-ins, evaluation talks) is refused for everyone but the
    beheerder, who must type its name (``confirm_name``); its end is then audited with the counts."""
    programme = load_programme(session, actor, programme_id)
    school_id = programme.school_id
    data = _pupil_data(session, programme.id)
    if data:
        if actor.role is not StaffRole.BEHEERDER:
            raise PermissionDeniedError(Problem("privacy_admin.programme.has_data", value=programme.name))
        if (
            confirm_name is None
            or " ".join(confirm_name.split()).casefold() != " ".join(programme.name.split()).casefold()
        ):
            raise InvalidInputError(Problem("privacy_admin.programme.confirm", value=confirm_name or ""))
    session.execute(sa.delete(Programme).where(Programme.id == programme_id))
    session.expunge_all()
    audit.record(session, actor, school_id, AuditAction.DELETE, "programme", programme_id, detail=f"rows={data}")
