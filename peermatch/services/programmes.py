"""Tutoring programmes: check what the teacher filled in, and create, change, list or delete programmes.

A spec is checked here (:func:`check_spec`) before the repository stores it; the repository keeps the
rules the database itself needs (a unique name per school, the actor's groups only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from peermatch.auth.policy import AuthenticatedUser
from peermatch.errors import InvalidInputError, Problem
from peermatch.programme import Moment, ProgrammeInfo, ProgrammeSpec
from peermatch.records import GroupInfo
from peermatch.services.database import Database
from peermatch.storage import programmes, pupils

__all__ = [
    "Moment",
    "ProgrammeBoard",
    "ProgrammeInfo",
    "ProgrammeSpec",
    "check_spec",
    "create_programme",
    "delete_programme",
    "get_programme",
    "list_programmes",
    "programme_board",
    "save_programme",
    "update_programme",
    "with_sessions_from_moments",
]


@dataclass(frozen=True)
class ProgrammeBoard:
    """What the programmes page shows: the groups the actor may use and the programmes they may open."""

    groups: tuple[GroupInfo, ...]
    programmes: tuple[ProgrammeInfo, ...]


def _invalid(code: str, value: object = None) -> InvalidInputError:
    return InvalidInputError(Problem(code, value=None if value is None else str(value)))


def check_spec(spec: ProgrammeSpec) -> None:
    """Raise ``InvalidInputError`` for a programme that cannot be: no name, no groups, 0 weeks, a moment on
    weekday 8 (weekdays are ISO, 1-7) or ending before it starts, rules that are no JSON."""
    if not spec.name.strip() or len(spec.name.strip()) > 120:
        raise _invalid("storage.programme.name", spec.name)
    if not spec.tutor_group_ids or not spec.tutee_group_ids:
        raise _invalid("storage.programme.no_groups")
    for value, low, high, code in (
        (spec.weeks, 1, 60, "storage.programme.weeks"),
        (spec.sessions_per_week, 1, 7, "storage.programme.sessions_per_week"),
        (spec.minutes_per_session, 5, 240, "storage.programme.minutes_per_session"),
    ):
        if not low <= value <= high:
            raise _invalid(code, value)
    for moment in spec.moments:
        if not 1 <= moment.weekday <= 7 or moment.start >= moment.end:
            raise _invalid("storage.programme.moment", f"{moment.weekday} {moment.start:%H:%M}-{moment.end:%H:%M}")
    _check_moments_and_sessions(spec)
    try:
        json.dumps(dict(spec.rules))
    except (TypeError, ValueError) as exc:
        raise _invalid("storage.programme.rules", exc) from exc


def _check_moments_and_sessions(spec: ProgrammeSpec) -> None:
    """One session per weekly moment: two moments on one weekday are refused (a pair has one session and one
    check-in a day), and so is a "keer per week" that is not the number of moments (one Tuesday moment with
    "3 keer per week" would plan sessions on days without a moment)."""
    weekdays = [m.weekday for m in spec.moments]
    twice = sorted({d for d in weekdays if weekdays.count(d) > 1})
    if twice:
        raise InvalidInputError(Problem("calendar.programme.same_weekday", column="momenten",
                                        value=str(twice[0]), params={"weekday": twice[0]}))  # fmt: skip
    if spec.moments and spec.sessions_per_week != len(spec.moments):
        raise InvalidInputError(
            Problem("calendar.programme.per_week_mismatch", column="keer per week", value=str(spec.sessions_per_week),
                    params={"moments": len(spec.moments)})
        )  # fmt: skip


def with_sessions_from_moments(spec: ProgrammeSpec) -> ProgrammeSpec:
    """The spec with "keer per week" taken from its moments (one session per moment); unchanged without moments."""
    if not spec.moments:
        return spec
    return replace(spec, sessions_per_week=len(spec.moments))


def create_programme(db: Database, actor: AuthenticatedUser, spec: ProgrammeSpec) -> ProgrammeInfo:
    """A new programme in the actor's school; a leerkracht may only use their own groups. Audited."""
    check_spec(spec)
    with db.write() as session:
        return programmes.create_programme(session, actor, actor.school_id, spec)


def update_programme(db: Database, actor: AuthenticatedUser, programme_id: int, spec: ProgrammeSpec) -> ProgrammeInfo:
    """The programme with ``spec`` instead of what it was. Audited."""
    check_spec(spec)
    with db.write() as session:
        return programmes.update_programme(session, actor, programme_id, spec)


def save_programme(
    db: Database, actor: AuthenticatedUser, programme_id: int | None, spec: ProgrammeSpec
) -> ProgrammeInfo:
    """Create the programme (``programme_id`` None) or change the existing one."""
    if programme_id is None:
        return create_programme(db, actor, spec)
    return update_programme(db, actor, programme_id, spec)


def get_programme(db: Database, actor: AuthenticatedUser, programme_id: int) -> ProgrammeInfo:
    """One programme the actor may open."""
    with db.read() as session:
        return programmes.get_programme(session, actor, programme_id)


def list_programmes(db: Database, actor: AuthenticatedUser) -> list[ProgrammeInfo]:
    """The programmes of the actor's school they may open (a leerkracht: those whose groups are all theirs)."""
    with db.read() as session:
        return programmes.list_programmes(session, actor, actor.school_id)


def programme_board(db: Database, actor: AuthenticatedUser) -> ProgrammeBoard:
    """The groups and the programmes of the actor's school they may use, in one read."""
    with db.read() as session:
        groups = pupils.list_groups(session, actor, actor.school_id)
        found = programmes.list_programmes(session, actor, actor.school_id)
    return ProgrammeBoard(tuple(groups), tuple(found))


def delete_programme(
    db: Database, actor: AuthenticatedUser, programme_id: int, *, confirm_name: str | None = None
) -> None:
    """Delete the programme with its runs, pairs, pins and forbids. Audited. With pupil data (published pairs,
    check-ins) only the beheerder may, typing the programme's name as ``confirm_name``."""
    with db.write() as session:
        programmes.delete_programme(session, actor, programme_id, confirm_name=confirm_name)
