"""The school's groups and pupils as the acting user may see them, and back to ``model.Pupil`` for the matcher."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from peermatch import model
from peermatch.auth.policy import AuthenticatedUser
from peermatch.records import GroupInfo, PupilInfo, as_model_pupil
from peermatch.services.database import Database
from peermatch.storage import pupils
from peermatch.storage.measurements import latest_levels_of

__all__ = ["GroupInfo", "PupilInfo", "list_groups", "list_pupils", "matcher_pupils", "to_model_pupils"]


def list_groups(db: Database, actor: AuthenticatedUser) -> list[GroupInfo]:
    """The groups of the actor's school they may see (a leerkracht: their own), by grade and name."""
    with db.read() as session:
        return pupils.list_groups(session, actor, actor.school_id)


def list_pupils(
    db: Database, actor: AuthenticatedUser, group_id: int, *, include_inactive: bool = False
) -> list[PupilInfo]:
    """The pupils of one group, by last name; the view is audited."""
    with db.write() as session:
        return pupils.list_pupils(session, actor, group_id, include_inactive=include_inactive)


def to_model_pupils(
    session: Session,
    actor: AuthenticatedUser,
    school_id: int,
    group_ids: Iterable[int] | None = None,
    *,
    include_inactive: bool = False,
) -> list[model.Pupil]:
    """Stored pupils as the matcher needs them, inside the caller's transaction (for other services).

    The newest level per subject and the not-with pairs by number. ``group_ids=None`` means every
    group the actor may see (for beheerder and ib: the whole school, including pupils without a
    group). Sorted by pupil number, so the matcher's input is stable. The view is audited.
    """
    found = pupils.pupils_for_matching(session, actor, school_id, group_ids, include_inactive=include_inactive)
    levels = latest_levels_of(session, [p.id for p in found])
    avoid = pupils.not_with_numbers(session, [p.id for p in found])
    return [as_model_pupil(p, levels[p.id], avoid[p.id]) for p in found]


def matcher_pupils(
    db: Database, actor: AuthenticatedUser, group_ids: Iterable[int] | None = None, *, include_inactive: bool = False
) -> list[model.Pupil]:
    """:func:`to_model_pupils` of the actor's school in a transaction of its own."""
    with db.write() as session:
        return to_model_pupils(session, actor, actor.school_id, group_ids, include_inactive=include_inactive)
