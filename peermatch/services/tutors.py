"""The staff Tutors page's lists: the groups the actor may see and the pupils of one group.

Readiness is ``peermatch.services.training``, login cards ``peermatch.services.pupil_codes``, the
check-ins ``peermatch.services.checkins``.
"""

from __future__ import annotations

from peermatch.auth import AuthenticatedUser
from peermatch.services.database import Database
from peermatch.storage.pupils import GroupInfo, PupilInfo, list_groups, list_pupils

__all__ = ["GroupInfo", "PupilInfo", "group_pupils", "tutor_groups"]


def tutor_groups(db: Database, actor: AuthenticatedUser) -> list[GroupInfo]:
    """The groups of the actor's school the actor may see (a leerkracht: their own), by groep and name."""
    with db.read() as session:
        return list_groups(session, actor, actor.school_id)


def group_pupils(db: Database, actor: AuthenticatedUser, group_id: int) -> list[PupilInfo]:
    """The pupils of one group (the view is audited)."""
    with db.write() as session:
        return list_pupils(session, actor, group_id)
