"""Load a record for the acting user: NotFoundError when it does not exist, PermissionDeniedError when
it is another school's or (for a leerkracht) another teacher's, and always for a board account (role
``bovenschools``: aggregates only, through ``services.board``). Every repository function goes through here.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, require_group_access, require_school
from peermatch.board_policy import refuse_board
from peermatch.errors import NotFoundError, Problem
from peermatch.storage.models import Group, MatchingRun, PairRow, Programme, PupilRow, School

__all__ = [
    "get_school",
    "load_group",
    "load_groups",
    "load_pair",
    "load_programme",
    "load_pupil",
    "load_run",
    "not_found",
    "programme_group_ids",
]


def not_found(what: str, value: object) -> NotFoundError:
    return NotFoundError(Problem(f"storage.not_found.{what}", value=str(value)))


def get_school(session: Session, school_id: int) -> School:
    school = session.get(School, school_id)
    if school is None:
        raise not_found("school", school_id)
    return school


def load_group(session: Session, actor: AuthenticatedUser, group_id: int) -> Group:
    refuse_board(actor)
    group = session.get(Group, group_id)
    if group is None:
        raise not_found("group", group_id)
    require_group_access(actor, group.school_id, group.id, group.name)
    return group


def load_groups(session: Session, actor: AuthenticatedUser, school_id: int, group_ids: Iterable[int]) -> list[Group]:
    """The groups, all of ``school_id`` and all accessible to ``actor``, in the order asked."""
    refuse_board(actor)
    require_school(actor, school_id)
    wanted = list(dict.fromkeys(group_ids))
    found = {g.id: g for g in session.scalars(sa.select(Group).where(Group.id.in_(wanted)))}
    groups = []
    for group_id in wanted:
        group = found.get(group_id)
        if group is None or group.school_id != school_id:
            raise not_found("group", group_id)
        require_group_access(actor, school_id, group.id, group.name)
        groups.append(group)
    return groups


def load_pupil(session: Session, actor: AuthenticatedUser, pupil_id: int) -> PupilRow:
    refuse_board(actor)
    pupil = session.get(PupilRow, pupil_id)
    if pupil is None:
        raise not_found("pupil", pupil_id)
    require_group_access(actor, pupil.school_id, pupil.group_id, pupil.group.name if pupil.group else "")
    return pupil


def programme_group_ids(programme: Programme) -> set[int]:
    return {g.id for g in (*programme.tutor_groups, *programme.tutee_groups)}


def load_programme(session: Session, actor: AuthenticatedUser, programme_id: int) -> Programme:
    """A leerkracht may use a programme only when every one of its groups is theirs."""
    refuse_board(actor)
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise not_found("programme", programme_id)
    require_school(actor, programme.school_id)
    for group in (*programme.tutor_groups, *programme.tutee_groups):
        require_group_access(actor, programme.school_id, group.id, group.name)
    return programme


def load_run(session: Session, actor: AuthenticatedUser, run_id: int) -> tuple[MatchingRun, Programme]:
    refuse_board(actor)
    run = session.get(MatchingRun, run_id)
    if run is None:
        raise not_found("run", run_id)
    require_school(actor, run.school_id)
    return run, load_programme(session, actor, run.programme_id)


def load_pair(session: Session, actor: AuthenticatedUser, pair_id: int) -> tuple[PairRow, MatchingRun, Programme]:
    refuse_board(actor)
    pair = session.get(PairRow, pair_id)
    if pair is None:
        raise not_found("pair", pair_id)
    require_school(actor, pair.school_id)
    run, programme = load_run(session, actor, pair.run_id)
    return pair, run, programme
