"""Groups and pupils as the acting user may see them.

The rows and their queries; :class:`GroupInfo` and :class:`PupilInfo` are core values
(:mod:`peermatch.records`), re-exported here for the callers that still import them from storage.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, joinedload

from peermatch.auth import AuthenticatedUser, require_role, require_school
from peermatch.board_policy import refuse_board
from peermatch.records import GroupInfo, PupilInfo
from peermatch.storage import audit
from peermatch.storage.access import load_group, load_groups, load_pupil
from peermatch.storage.enums import AuditAction, StaffRole
from peermatch.storage.models import Group, NotWith, PupilRow

__all__ = [
    "GroupInfo",
    "PupilInfo",
    "delete_pupil",
    "get_pupil",
    "list_groups",
    "list_pupils",
    "matchable",
    "not_with_numbers",
    "present",
    "pupil_info",
    "pupils_for_matching",
]


def pupil_info(p: PupilRow) -> PupilInfo:
    return PupilInfo(
        id=p.id,
        school_id=p.school_id,
        pupil_number=p.pupil_number,
        first_name=p.first_name,
        prefix=p.prefix,
        last_name=p.last_name,
        birth_date=p.birth_date,
        group_id=p.group_id,
        group_name=p.group.name if p.group else "",
        role=p.role,
        motivation=p.motivation,
        active=p.active,
        grade=p.group.grade if p.group else None,
        left_on=p.left_on,
        takes_part=p.takes_part,
    )


def present(today: date | None = None) -> sa.ColumnElement[bool]:
    """Pupils still at school on ``today`` (default: today): active and not yet left."""
    day = today or date.today()
    return sa.and_(PupilRow.active.is_(True), sa.or_(PupilRow.left_on.is_(None), PupilRow.left_on > day))


def matchable() -> sa.ColumnElement[bool]:
    """Pupils the matcher may pair: active, not leaving (from the moment they are marked) and taking part."""
    return sa.and_(PupilRow.active.is_(True), PupilRow.left_on.is_(None), PupilRow.takes_part.is_(True))


def list_groups(session: Session, actor: AuthenticatedUser, school_id: int) -> list[GroupInfo]:
    """The groups the actor may see (a leerkracht: their own), by name, with active pupil counts."""
    refuse_board(actor)
    require_school(actor, school_id)
    counts = (
        sa.select(PupilRow.group_id, sa.func.count().label("n"))
        .where(PupilRow.school_id == school_id, present())
        .group_by(PupilRow.group_id)
        .subquery()
    )
    query = (
        sa.select(Group, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.group_id == Group.id)
        .where(Group.school_id == school_id)
        .order_by(Group.grade, Group.name)
    )
    if not actor.school_wide:
        query = query.where(Group.id.in_(actor.group_ids))
    return [GroupInfo(g.id, g.school_id, g.name, g.grade, int(n)) for g, n in session.execute(query)]


def list_pupils(
    session: Session, actor: AuthenticatedUser, group_id: int, *, include_inactive: bool = False
) -> list[PupilInfo]:
    """The pupils of one group, by last name; the view is audited."""
    refuse_board(actor)
    group = load_group(session, actor, group_id)
    query = sa.select(PupilRow).options(joinedload(PupilRow.group)).where(PupilRow.group_id == group.id)
    if not include_inactive:
        query = query.where(present())
    pupils = session.scalars(query.order_by(PupilRow.last_name, PupilRow.first_name, PupilRow.pupil_number))
    audit.record(session, actor, group.school_id, AuditAction.VIEW, "group", group.id)
    return [pupil_info(p) for p in pupils]


def get_pupil(session: Session, actor: AuthenticatedUser, pupil_id: int) -> PupilInfo:
    refuse_board(actor)
    pupil = load_pupil(session, actor, pupil_id)
    audit.record(session, actor, pupil.school_id, AuditAction.VIEW, "pupil", pupil.id)
    return pupil_info(pupil)


def delete_pupil(session: Session, actor: AuthenticatedUser, pupil_id: int) -> None:
    """Delete a pupil for real, with their levels, pairs, pins and forbids (beheerder or ib)."""
    require_role(actor, StaffRole.BEHEERDER, StaffRole.IB)
    pupil = load_pupil(session, actor, pupil_id)
    school_id = pupil.school_id
    session.execute(sa.delete(PupilRow).where(PupilRow.id == pupil.id))
    session.expunge_all()  # rows the database cascaded away must not linger in this session
    audit.record(session, actor, school_id, AuditAction.DELETE, "pupil", pupil_id)


def not_with_numbers(session: Session, pupil_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """For each pupil id: the pupil numbers they must never be paired with (both directions)."""
    ids = list(pupil_ids)
    out: dict[int, set[str]] = {i: set() for i in ids}
    a, b = aliased(PupilRow), aliased(PupilRow)
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        rows = session.execute(
            sa.select(NotWith.pupil_a_id, a.pupil_number, NotWith.pupil_b_id, b.pupil_number)
            .join(a, a.id == NotWith.pupil_a_id)
            .join(b, b.id == NotWith.pupil_b_id)
            .where(sa.or_(NotWith.pupil_a_id.in_(chunk), NotWith.pupil_b_id.in_(chunk)))
        )
        for a_id, a_number, b_id, b_number in rows:
            if a_id in out:
                out[a_id].add(b_number)
            if b_id in out:
                out[b_id].add(a_number)
    return {i: frozenset(numbers) for i, numbers in out.items()}


def pupils_for_matching(
    session: Session,
    actor: AuthenticatedUser,
    school_id: int,
    group_ids: Iterable[int] | None = None,
    *,
    include_inactive: bool = False,
) -> list[PupilInfo]:
    """The pupils of some groups, sorted by pupil number (so the matcher's input is stable); audited.

    ``group_ids=None`` means every group the actor may see (for beheerder and ib: the whole school,
    including pupils without a group).
    """
    refuse_board(actor)
    require_school(actor, school_id)
    query = sa.select(PupilRow).options(joinedload(PupilRow.group)).where(PupilRow.school_id == school_id)
    if group_ids is not None:
        groups = load_groups(session, actor, school_id, group_ids)
        query = query.where(PupilRow.group_id.in_([g.id for g in groups]))
        for group in groups:
            audit.record(session, actor, school_id, AuditAction.VIEW, "group", group.id)
    elif not actor.school_wide:
        query = query.where(PupilRow.group_id.in_(actor.group_ids))
        for group_id in sorted(actor.group_ids):
            audit.record(session, actor, school_id, AuditAction.VIEW, "group", group_id)
    else:
        audit.record(session, actor, school_id, AuditAction.VIEW, "school", school_id)
    if not include_inactive:
        query = query.where(matchable())
    return [pupil_info(p) for p in session.scalars(query.order_by(PupilRow.pupil_number))]
