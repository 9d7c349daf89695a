"""Tiny factories for matcher tests: pupils built directly (no roster reader), ages exact on ``REF``."""

from __future__ import annotations

from datetime import date
from typing import Any

from peermatch.levels import parse_maths, parse_reading
from peermatch.model import Pupil, Role, Subject
from peermatch.rules import Rules

__all__ = ["REF", "born", "make_rules", "pupil", "tutee", "tutor"]

REF = date(2026, 2, 1)  # the day every test counts ages on


def born(months: int) -> date:
    """The birth date of a pupil who is exactly ``months`` old on ``REF`` (born on the 1st)."""
    total = REF.year * 12 + (REF.month - 1) - months
    return date(total // 12, total % 12 + 1, 1)


def pupil(
    pid: str,
    *,
    role: Role,
    level: str | None,
    months: int | None,
    group: str,
    name: str | None = None,
    grade: int | None = None,
    motivation: int | None = None,
    not_with: tuple[str, ...] = (),
    maths: str | None = None,
) -> Pupil:
    return Pupil(
        pupil_id=pid,
        first_name=name if name is not None else f"Kind{pid}",
        birth_date=born(months) if months is not None else None,
        group=group,
        grade=grade,
        reading=parse_reading(level) if level is not None else None,
        maths=parse_maths(maths) if maths is not None else None,
        role=role,
        motivation=motivation,
        not_with=frozenset(not_with),
    )


def tutor(pid: str, level: str | None = "E6", months: int | None = 120, group: str = "6A", **kw: Any) -> Pupil:
    """A willing tutor: by default groep 6, reads E6, 10 years old."""
    return pupil(pid, role=Role.TUTOR, level=level, months=months, group=group, **kw)


def tutee(pid: str, level: str | None = "M4", months: int | None = 104, group: str = "4A", **kw: Any) -> Pupil:
    """A tutee: by default groep 4, reads M4, 8 years 8 months old (16 months younger than the default tutor)."""
    return pupil(pid, role=Role.TUTEE, level=level, months=months, group=group, **kw)


def make_rules(**kw: Any) -> Rules:
    """Reading rules counted on ``REF``; any field can be overridden."""
    kw.setdefault("subject", Subject.LEZEN)
    kw.setdefault("reference_date", REF)
    return Rules(**kw)
