"""A pupil's reading and maths levels: the newest per subject of a group, and new dated measurements.

A changed level never overwrites the old one: it is a new measurement on its own date (a history).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from peermatch.auth.policy import AuthenticatedUser
from peermatch.levels import parse_typed_level
from peermatch.model import Level, Subject
from peermatch.records import MeasurementInfo, PupilInfo
from peermatch.services.database import Database
from peermatch.storage import measurements, pupils

__all__ = ["LevelEntry", "PupilLevels", "add_measurement", "group_levels", "record_levels"]


@dataclass(frozen=True)
class PupilLevels:
    """A pupil of a group with their newest measurement per subject."""

    pupil: PupilInfo
    latest: Mapping[Subject, MeasurementInfo]

    def code(self, subject: Subject) -> str:
        """The newest level's code in ``subject``, "" when there is none."""
        found = self.latest.get(subject)
        return found.code if found else ""


@dataclass(frozen=True)
class LevelEntry:
    """A level as the teacher typed it for one pupil (e.g. "E7" or "AVI 6")."""

    pupil_id: int
    subject: Subject
    written: str


def group_levels(db: Database, actor: AuthenticatedUser, group_id: int) -> list[PupilLevels]:
    """The active pupils of one group, by last name, with their newest levels; the view is audited."""
    with db.write() as session:
        found = pupils.list_pupils(session, actor, group_id)
        latest = measurements.latest_levels_of(session, [p.id for p in found])
    return [PupilLevels(p, latest[p.id]) for p in found]


def add_measurement(
    db: Database, actor: AuthenticatedUser, pupil_id: int, level: Level, *, measured_on: date, source: str = ""
) -> MeasurementInfo:
    """Record a new level for one pupil (e.g. after a test) on ``measured_on``, keeping the history; audited."""
    with db.write() as session:
        return measurements.add_measurement(session, actor, pupil_id, level, measured_on=measured_on, source=source)


def record_levels(
    db: Database, actor: AuthenticatedUser, entries: Iterable[LevelEntry], *, measured_on: date, source: str = "app"
) -> int:
    """Parse and store the typed levels as measurements on ``measured_on``, all or nothing; how many were stored.

    A notation on no known scale raises ``LevelError`` and stores none of them, and so does a bare AVI number
    such as ``4`` (AVI M4, E4 or the old AVI 4?): a typed level is never guessed (``levels.ambiguous`` names the
    value and the choices). A file import reads old AVI numbers as ranges instead (:mod:`peermatch.levels`).
    """
    stored = 0
    with db.write() as session:
        for entry in entries:
            level = parse_typed_level(entry.subject, entry.written)
            measurements.add_measurement(session, actor, entry.pupil_id, level, measured_on=measured_on, source=source)
            stored += 1
    return stored
