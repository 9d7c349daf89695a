"""Store a validated roster: upsert groups and pupils, add level measurements, keep not-with pairs.

All or nothing: the whole import runs in one SAVEPOINT inside the caller's transaction, so a failure
half-way leaves no trace even if the caller goes on using the session. Matching is on the pupil
number; a later export of the same class ADDS measurements dated ``measured_on`` (history) and
updates names and groups. Pupils missing from the file are left alone (a file may be one class).
Whether a roster may be stored at all (no data errors) is the service's rule
(:mod:`peermatch.services.roster_import`); here only what the database itself needs is checked: the
actor's school and groups, and values that fit their columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch import model
from peermatch.auth import AuthenticatedUser, require_group_access, require_school
from peermatch.errors import PermissionDeniedError, Problem, RosterInvalidError
from peermatch.storage import audit
from peermatch.storage.access import get_school
from peermatch.storage.enums import AuditAction
from peermatch.storage.measurements import put_measurement
from peermatch.storage.models import Group, LevelMeasurementRow, NotWith, PupilRow

__all__ = ["ImportReport", "import_roster"]

_LIMITS = (("pupil_id", 40), ("first_name", 100), ("prefix", 40), ("last_name", 100), ("group", 40))
_CHUNK = 500
_T = TypeVar("_T")


@dataclass(frozen=True)
class ImportReport:
    school_id: int
    groups_created: tuple[str, ...]
    pupils_created: int
    pupils_updated: int
    pupils_unchanged: int
    measurements_added: int
    measurements_changed: int
    not_with_added: int
    unresolved_not_with: tuple[tuple[str, str], ...]  # (pupil number, unknown pupil number)
    warnings: tuple[Problem, ...]
    dropped_columns: tuple[str, ...]


def _chunks(items: Sequence[_T]) -> Iterable[list[_T]]:
    for i in range(0, len(items), _CHUNK):
        yield list(items[i : i + _CHUNK])


def _check_lengths(roster: model.Roster) -> None:
    problems = [
        Problem(
            "storage.import.too_long",
            file=roster.source or None,
            row=p.row,
            column=field,
            value=value,
            params={"max": limit},
        )
        for p in roster.pupils
        for field, limit in _LIMITS
        if len(value := getattr(p, field)) > limit
    ]
    if problems:
        raise RosterInvalidError(problems)


def _upsert_groups(
    session: Session, actor: AuthenticatedUser, school_id: int, roster: model.Roster
) -> tuple[dict[str, Group], list[str]]:
    grades: dict[str, int | None] = {}
    for p in roster.pupils:
        if p.group and grades.get(p.group) is None:
            grades[p.group] = p.grade
    groups = {
        g.name: g
        for g in session.scalars(sa.select(Group).where(Group.school_id == school_id, Group.name.in_(list(grades))))
    }
    created = []
    for name, grade in sorted(grades.items()):
        group = groups.get(name)
        if group is None:
            if not actor.school_wide:
                raise PermissionDeniedError(Problem("auth.denied.group", value=name))
            group = groups[name] = Group(school_id=school_id, name=name, grade=grade)
            session.add(group)
            created.append(name)
        else:
            require_group_access(actor, school_id, group.id, group.name)
            if grade is not None and group.grade != grade:
                group.grade = grade
    session.flush()
    return groups, created


def _existing_pupils(session: Session, school_id: int, numbers: list[str]) -> dict[str, PupilRow]:
    found: dict[str, PupilRow] = {}
    for chunk in _chunks(numbers):
        query = sa.select(PupilRow).where(PupilRow.school_id == school_id, PupilRow.pupil_number.in_(chunk))
        found.update((p.pupil_number, p) for p in session.scalars(query))
    return found


def _apply(pupil: PupilRow, source: model.Pupil, group: Group | None) -> bool:
    """Copy the roster's values onto ``pupil``; True when anything changed."""
    values = {
        "first_name": source.first_name,
        "prefix": source.prefix,
        "last_name": source.last_name,
        "birth_date": source.birth_date,
        "group_id": group.id if group else None,
        "role": source.role,
        "motivation": source.motivation,
        "active": pupil.left_on is None or pupil.left_on > date.today(),  # a pupil who left stays gone
    }
    changed = False
    for name, value in values.items():
        if getattr(pupil, name) != value:
            setattr(pupil, name, value)
            changed = True
    return changed


def _upsert_pupils(
    session: Session, actor: AuthenticatedUser, school_id: int, roster: model.Roster, groups: dict[str, Group]
) -> tuple[dict[str, PupilRow], int, int, int]:
    existing = _existing_pupils(session, school_id, [p.pupil_id for p in roster.pupils])
    stored: dict[str, PupilRow] = {}
    created = updated = unchanged = 0
    for source in roster.pupils:
        group = groups.get(source.group) if source.group else None
        pupil = existing.get(source.pupil_id)
        if pupil is None:
            require_group_access(actor, school_id, group.id if group else None, source.group)
            pupil = PupilRow(school_id=school_id, pupil_number=source.pupil_id)
            _apply(pupil, source, group)
            session.add(pupil)
            created += 1
        else:
            require_group_access(actor, school_id, pupil.group_id, pupil.group.name if pupil.group else "")
            require_group_access(actor, school_id, group.id if group else None, source.group)
            if _apply(pupil, source, group):
                updated += 1
            else:
                unchanged += 1
        stored[source.pupil_id] = pupil
    session.flush()
    return stored, created, updated, unchanged


def _store_levels(
    session: Session, roster: model.Roster, stored: dict[str, PupilRow], *, measured_on: date, source: str
) -> tuple[int, int]:
    ids = [p.id for p in stored.values()]
    existing: dict[tuple[int, str], LevelMeasurementRow] = {}
    for chunk in _chunks(ids):
        query = sa.select(LevelMeasurementRow).where(
            LevelMeasurementRow.pupil_id.in_(chunk), LevelMeasurementRow.measured_on == measured_on
        )
        existing.update(((m.pupil_id, m.subject.value), m) for m in session.scalars(query))
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for p in roster.pupils:
        pupil = stored[p.pupil_id]
        for level in (p.reading, p.maths):
            if level is None:
                continue
            found = existing.get((pupil.id, level.subject.value))
            outcome = put_measurement(
                session, pupil, level, measured_on=measured_on, source=source, existing=found, look_up=False
            )
            counts[outcome] += 1
    session.flush()
    return counts["added"], counts["changed"]


def _store_not_with(
    session: Session, school_id: int, roster: model.Roster, stored: dict[str, PupilRow]
) -> tuple[int, tuple[tuple[str, str], ...]]:
    wanted = {(p.pupil_id, other) for p in roster.pupils for other in p.not_with if other != p.pupil_id}
    if not wanted:
        return 0, ()
    known = dict(stored)
    outside = sorted({other for _, other in wanted if other not in known})
    known.update(_existing_pupils(session, school_id, outside))
    unresolved = tuple(sorted((a, b) for a, b in wanted if b not in known))
    ids = [p.id for p in stored.values()]
    have: set[tuple[int, int]] = set()
    for chunk in _chunks(ids):
        query = sa.select(NotWith.pupil_a_id, NotWith.pupil_b_id).where(
            sa.or_(NotWith.pupil_a_id.in_(chunk), NotWith.pupil_b_id.in_(chunk))
        )
        have.update((a, b) for a, b in session.execute(query))
    added = 0
    for a, b in sorted(wanted):
        if b not in known:
            continue
        pair = tuple(sorted((known[a].id, known[b].id)))
        if pair not in have:
            session.add(NotWith(school_id=school_id, pupil_a_id=pair[0], pupil_b_id=pair[1]))
            have.add((pair[0], pair[1]))
            added += 1
    session.flush()
    return added, unresolved


def import_roster(
    session: Session,
    school_id: int,
    roster: model.Roster,
    *,
    measured_on: date,
    source: str = "",
    actor: AuthenticatedUser,
) -> ImportReport:
    """Store the (checked) ``roster`` for ``school_id`` in one go; raise and store nothing when anything is wrong.

    Refuses values too long for their column (``RosterInvalidError``). A leerkracht may import only
    pupils of their own groups (and create no new groups); beheerder and ib import for the whole school.
    """
    require_school(actor, school_id)
    _check_lengths(roster)
    get_school(session, school_id)
    source = source or roster.source
    with session.begin_nested():
        groups, groups_created = _upsert_groups(session, actor, school_id, roster)
        stored, created, updated, unchanged = _upsert_pupils(session, actor, school_id, roster, groups)
        added, changed = _store_levels(session, roster, stored, measured_on=measured_on, source=source)
        not_with_added, unresolved = _store_not_with(session, school_id, roster, stored)
        audit.record(session, actor, school_id, AuditAction.IMPORT, "roster")
        session.flush()
    return ImportReport(
        school_id=school_id,
        groups_created=tuple(groups_created),
        pupils_created=created,
        pupils_updated=updated,
        pupils_unchanged=unchanged,
        measurements_added=added,
        measurements_changed=changed,
        not_with_added=not_with_added,
        unresolved_not_with=unresolved,
        warnings=roster.warnings,
        dropped_columns=roster.dropped_columns,
    )
