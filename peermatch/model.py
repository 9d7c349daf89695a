"""The values every part of the core shares: subjects, roles, levels and pupils.

Frozen dataclasses only; behaviour lives in the modules that own it (``levels`` parses, ``roster``
reads and validates, ``rules`` and ``matching`` pair).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from peermatch.errors import Problem, ProblemList

__all__ = ["Level", "Pupil", "Quality", "Role", "Roster", "Subject"]


class Subject(StrEnum):
    LEZEN = "lezen"  # technical reading, AVI-2009
    REKENEN = "rekenen"  # maths, Cito functioneringsniveau


class Quality(StrEnum):
    """How well a pupil reads a level (AVI): mastered, practising, too hard."""

    BEHEERSING = "beheersing"
    INSTRUCTIE = "instructie"
    FRUSTRATIE = "frustratie"


class Role(StrEnum):
    """What the roster says about a pupil's part in tutoring (column ``rol``)."""

    TUTOR = "tutor"  # willing and able to tutor
    TUTEE = "tutee"  # gets a tutor
    OPEN = ""  # not stated: the programme's groups decide
    NONE = "geen"  # does not take part (e.g. an unwilling tutor)


@dataclass(frozen=True)
class Level:
    """A level on the shared ordered index (Start=0, M3=1, E3=2 ... E7=10, B8=10.5, M8=Plus=11).

    A level converted from the old AVI 1-9 scale is a *range* ``low..high``; a level on the new
    scales has ``low == high``. For matching, a tutor counts at ``low`` and a tutee at ``high``
    (pessimistic), and the teacher is shown that the value was converted.
    """

    subject: Subject
    code: str  # canonical code, e.g. "M4", "Plus", "AVI 5 (oud)"
    low: float
    high: float
    quality: Quality | None = None
    written: str = ""  # exactly as in the file
    converted: bool = False  # converted from the old AVI 1-9 scale
    note: str | None = None  # i18n code of a remark, e.g. "levels.note.avi_uit"

    @property
    def index(self) -> float:
        """The single index when the level is exact; the middle of the range otherwise."""
        return (self.low + self.high) / 2

    @property
    def as_tutor(self) -> float:
        return self.low

    @property
    def as_tutee(self) -> float:
        return self.high


@dataclass(frozen=True)
class Pupil:
    """One pupil as the matcher needs them. ``pupil_id`` is text (leading zeros kept)."""

    pupil_id: str
    first_name: str
    last_name: str = ""
    prefix: str = ""  # tussenvoegsel
    birth_date: date | None = None
    group: str = ""  # class name as the school writes it: "5B", "Vlinders", "1/2A"
    grade: int | None = None  # jaargroep 1-8 (VO leerjaar as 9-14)
    reading: Level | None = None
    maths: Level | None = None
    role: Role = Role.OPEN
    motivation: int | None = None  # 1-5
    not_with: frozenset[str] = field(default_factory=frozenset)
    row: int | None = None  # row in the source file, for messages
    school: str = ""  # BRIN code or school name when one roster holds several schools ("" = the only one)

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.prefix, self.last_name) if part)

    def level(self, subject: Subject) -> Level | None:
        return self.reading if subject is Subject.LEZEN else self.maths

    def age_months(self, on: date) -> int | None:
        """Whole months of age on ``on``."""
        if self.birth_date is None:
            return None
        b = self.birth_date
        months = (on.year - b.year) * 12 + (on.month - b.month)
        if on.day < b.day:
            months -= 1
        return months


@dataclass(frozen=True)
class Roster(ProblemList):
    """A roster as read from one file: the pupils, and every problem found (errors and warnings)."""

    pupils: tuple[Pupil, ...]
    problems: tuple[Problem, ...] = ()
    source: str = ""
    dropped_columns: tuple[str, ...] = ()  # columns we refuse to keep (privacy), as written
    ignored_columns: tuple[str, ...] = ()  # columns we do not use, as written
    reference_date: date | None = None  # "today" used for ages; the file's peildatum if it has one

    def by_id(self) -> dict[str, Pupil]:
        return {p.pupil_id: p for p in self.pupils}
