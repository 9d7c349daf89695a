"""A tutoring programme as plain values: which groups tutor which, in what subject, at which weekly moments.

Core values (no database): the teacher's form builds a :class:`ProgrammeSpec`, the services check and
store it, the repositories return it inside a :class:`ProgrammeInfo`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from peermatch.model import Subject

__all__ = ["Moment", "ProgrammeInfo", "ProgrammeSpec"]


@dataclass(frozen=True)
class Moment:
    """A fixed weekly moment of a programme.

    ``weekday`` is the ISO weekday: 1 (Monday) to 7 (Sunday), as ``date.isoweekday()`` returns it (not
    ``date.weekday()``, which counts from 0). ``start`` lies before ``end`` on that day.
    """

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class ProgrammeSpec:
    """What the teacher fills in; ``rules`` holds the matching rules (margin, age gaps, capacity ...)."""

    name: str
    subject: Subject
    tutor_group_ids: tuple[int, ...]
    tutee_group_ids: tuple[int, ...]
    moments: tuple[Moment, ...] = ()
    start_date: date | None = None
    weeks: int = 10
    sessions_per_week: int = 1
    minutes_per_session: int = 30
    rules: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProgrammeInfo:
    """A stored programme: its id, its school and what it is."""

    id: int
    school_id: int
    spec: ProgrammeSpec
