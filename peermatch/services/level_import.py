"""Adding levels from a pupil-tracking system to the pupils already stored: preview, then all or nothing.

The level files are read by the core (:func:`peermatch.roster.levels_file.read_level_file`) and matched to the
school's stored pupils the actor may see (:func:`peermatch.roster.combine.match_levels`: pupil number, or name
and birth date). Every reading becomes a dated measurement (the file's date, or ``measured_on`` for a file
without dates), so several rounds in one file become a history and the newest is the pupil's current level.
Nothing is stored while any row has an error (an unmatched pupil, a disagreeing birth date, a level on no scale).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from peermatch.auth.policy import AuthenticatedUser
from peermatch.errors import Problem, ProblemList, RosterInvalidError
from peermatch.records import as_model_pupil
from peermatch.roster.combine import match_levels
from peermatch.roster.levels_file import LevelFile
from peermatch.services.database import Database
from peermatch.storage import audit
from peermatch.storage.access import load_pupil
from peermatch.storage.enums import AuditAction
from peermatch.storage.measurements import put_measurement
from peermatch.storage.pupils import list_groups, list_pupils

__all__ = ["LevelImportReport", "commit_levels", "preview_levels"]


@dataclass(frozen=True)
class LevelImportReport(ProblemList):
    """What adding the level files does (or did): measurements per outcome, pupils reached, every problem."""

    added: int
    changed: int
    unchanged: int
    pupils: int
    known_pupils: int  # stored pupils the files were matched against
    problems: tuple[Problem, ...]

    @property
    def levels(self) -> int:
        return self.added + self.changed


def _store(
    session: Session, actor: AuthenticatedUser, files: Sequence[LevelFile], measured_on: date, *, strict: bool
) -> LevelImportReport:
    stored = [p for g in list_groups(session, actor, actor.school_id) for p in list_pupils(session, actor, g.id)]
    pupils = [as_model_pupil(p, {}, frozenset()) for p in stored]
    found = match_levels(pupils, files)
    if strict and not found.ok:
        raise RosterInvalidError(found.errors)
    ids = {p.pupil_number: p.id for p in stored}
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    if found.ok:
        for number, readings in found.readings.items():
            row = load_pupil(session, actor, ids[number])
            for reading in readings:
                day = reading.measured_on or measured_on
                source = f"{reading.file}:{reading.row}"
                counts[put_measurement(session, row, reading.level, measured_on=day, source=source)] += 1
                session.flush()
        audit.record(session, actor, actor.school_id, AuditAction.IMPORT, "levels")
        session.flush()
    return LevelImportReport(
        added=counts["added"],
        changed=counts["changed"],
        unchanged=counts["unchanged"],
        pupils=len(found.readings),
        known_pupils=len(stored),
        problems=found.problems,
    )


def preview_levels(
    db: Database, actor: AuthenticatedUser, files: Sequence[LevelFile], *, measured_on: date
) -> LevelImportReport:
    """What :func:`commit_levels` would do, without keeping anything (the same work in a rolled-back savepoint)."""
    with db.write() as session:
        savepoint = session.begin_nested()
        try:
            return _store(session, actor, files, measured_on, strict=False)
        finally:
            savepoint.rollback()


def commit_levels(
    db: Database, actor: AuthenticatedUser, files: Sequence[LevelFile], *, measured_on: date
) -> LevelImportReport:
    """Store every reading of ``files`` as a dated measurement, all or nothing, audited.

    Raises ``RosterInvalidError`` with every error (and stores nothing) when a row does not fit. A reading
    without a date in its file is stored on ``measured_on``.
    """
    with db.write() as session:
        return _store(session, actor, files, measured_on, strict=True)
