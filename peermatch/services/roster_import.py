"""Importing a class list: preview what it would change, then store it all or nothing (audited).

The roster comes from the core's reader (:func:`peermatch.roster.read_roster`); a roster with data
errors is never stored. Matching is on the pupil number; a later export of the same class adds dated
measurements (see :mod:`peermatch.storage.importing`).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from peermatch.auth.policy import AuthenticatedUser
from peermatch.errors import RosterInvalidError
from peermatch.model import Roster
from peermatch.services.database import Database
from peermatch.storage.importing import ImportReport, import_roster

__all__ = ["ImportReport", "commit_import", "preview_import"]


def _store(session: Session, actor: AuthenticatedUser, roster: Roster, measured_on: date, source: str) -> ImportReport:
    if not roster.ok:
        raise RosterInvalidError(roster.errors)
    return import_roster(session, actor.school_id, roster, measured_on=measured_on, source=source, actor=actor)


def preview_import(
    db: Database, actor: AuthenticatedUser, roster: Roster, *, measured_on: date, source: str = ""
) -> ImportReport:
    """What :func:`commit_import` would do with ``roster``, without keeping anything.

    A dry run: the very same import in a savepoint that is rolled back, so the preview and the import
    never disagree (new, changed and unchanged pupils, levels, refusals). Raises what the import raises.
    """
    with db.write() as session:
        savepoint = session.begin_nested()
        try:
            return _store(session, actor, roster, measured_on, source)
        finally:
            savepoint.rollback()


def commit_import(
    db: Database, actor: AuthenticatedUser, roster: Roster, *, measured_on: date, source: str = ""
) -> ImportReport:
    """Store ``roster`` in the actor's school, all or nothing, with an audit entry.

    Refuses a roster with errors (``RosterInvalidError``) and values too long for the database. A
    leerkracht may import only pupils of their own groups (and create no new groups); beheerder and
    ib import for the whole school. ``source`` (default: the roster's file name) is kept with each level.
    """
    with db.write() as session:
        return _store(session, actor, roster, measured_on, source)
