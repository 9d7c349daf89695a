"""Plain values about a school's groups, pupils and level measurements, as the repositories return them.

Core values (no database): the repositories in ``peermatch.storage`` build them from rows, the services
and pages read them, and :func:`as_model_pupil` turns one back into the matcher's ``model.Pupil``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from peermatch import model
from peermatch.model import Level, Quality, Role, Subject
from peermatch.vocabulary import Scale

__all__ = ["GroupInfo", "MeasurementInfo", "PupilInfo", "as_model_pupil", "scale_of"]


@dataclass(frozen=True)
class GroupInfo:
    """A group (class) of a school with the number of its active pupils."""

    id: int
    school_id: int
    name: str
    grade: int | None
    pupil_count: int


@dataclass(frozen=True)
class PupilInfo:
    """A stored pupil; ``grade`` is the grade of their group (None without a group)."""

    id: int
    school_id: int
    pupil_number: str
    first_name: str
    prefix: str
    last_name: str
    birth_date: date | None
    group_id: int | None
    group_name: str
    role: Role
    motivation: int | None
    active: bool
    grade: int | None = None
    left_on: date | None = None  # leaves (or left) the school on this date; their pairs ended then
    takes_part: bool = True  # False: "doet niet mee", left out of matching

    def gone(self, today: date) -> bool:
        """True from the day the pupil leaves."""
        return self.left_on is not None and self.left_on <= today

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.prefix, self.last_name) if part)


@dataclass(frozen=True)
class MeasurementInfo:
    """One dated level measurement of a pupil (the history is never overwritten)."""

    id: int
    pupil_id: int
    subject: Subject
    scale: Scale
    code: str
    index_low: float
    index_high: float
    quality: Quality | None
    written: str
    note: str | None
    measured_on: date
    source: str

    @property
    def level(self) -> Level:
        """Back to the matcher's value."""
        return Level(
            subject=self.subject,
            code=self.code,
            low=self.index_low,
            high=self.index_high,
            quality=self.quality,
            written=self.written,
            converted=self.scale is Scale.AVI_OLD,
            note=self.note,
        )


def scale_of(level: Level) -> Scale:
    """The scale a level is stored on: maths on the Cito functioneringsniveau, reading on AVI (old or 2009)."""
    if level.subject is Subject.REKENEN:
        return Scale.FUNCTIONERINGSNIVEAU
    return Scale.AVI_OLD if level.converted else Scale.AVI2009


def as_model_pupil(
    pupil: PupilInfo, levels: Mapping[Subject, MeasurementInfo], not_with: frozenset[str]
) -> model.Pupil:
    """The stored pupil as the matcher needs them: the newest level per subject, not-with pairs by number."""
    reading, maths = levels.get(Subject.LEZEN), levels.get(Subject.REKENEN)
    return model.Pupil(
        pupil_id=pupil.pupil_number,
        first_name=pupil.first_name,
        last_name=pupil.last_name,
        prefix=pupil.prefix,
        birth_date=pupil.birth_date,
        group=pupil.group_name,
        grade=pupil.grade,
        reading=reading.level if reading else None,
        maths=maths.level if maths else None,
        role=pupil.role,
        motivation=pupil.motivation,
        not_with=not_with,
    )
