"""The weekly focus as stored (``weekly_focus``): set, replaced and removed by whoever may open the programme
(a leerkracht for the programmes of their own groups), read by the same staff, and by a tutor for the programmes
of their own active pairs only. Changes are audited. What a focus is: :mod:`peermatch.focus`.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.errors import PermissionDeniedError, Problem
from peermatch.focus import FocusKind, WeeklyFocus, week_start
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.storage import audit
from peermatch.storage.access import load_programme
from peermatch.storage.enums import AuditAction
from peermatch.storage.models import WeeklyFocusRow, utcnow
from peermatch.storage.pupil_pairs import own_pairs

__all__ = ["clear_focus", "pupil_focus", "set_focus", "weekly_focuses"]


def _staff(actor: object) -> AuthenticatedUser:
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    return actor


def _focus(row: WeeklyFocusRow) -> WeeklyFocus:
    return WeeklyFocus(row.programme_id, row.week, FocusKind(row.kind), row.text, row.by_name)


def _row(session: Session, programme_id: int, week: date) -> WeeklyFocusRow | None:
    return session.scalar(
        sa.select(WeeklyFocusRow).where(WeeklyFocusRow.programme_id == programme_id, WeeklyFocusRow.week == week)
    )


def weekly_focuses(session: Session, actor: AuthenticatedUser, programme_id: int) -> list[WeeklyFocus]:
    """Every week's focus of a programme the actor may open, newest week first."""
    programme = load_programme(session, _staff(actor), programme_id)
    query = sa.select(WeeklyFocusRow).where(WeeklyFocusRow.programme_id == programme.id)
    rows = session.scalars(query.order_by(WeeklyFocusRow.week.desc()))
    return [_focus(r) for r in rows]


def set_focus(
    session: Session, actor: AuthenticatedUser, programme_id: int, week: date, kind: FocusKind, text: str
) -> WeeklyFocus:
    """Set (or replace) the focus of ``week`` (any day of it) for a programme the actor may open. ``text`` must be
    clean already (:func:`peermatch.focus.clean_focus_text`). Audited."""
    actor = _staff(actor)
    programme = load_programme(session, actor, programme_id)
    monday = week_start(week)
    by = actor.display_name or actor.username
    row = _row(session, programme.id, monday)
    action = AuditAction.UPDATE if row is not None else AuditAction.CREATE
    if row is None:
        row = WeeklyFocusRow(school_id=programme.school_id, programme_id=programme.id, week=monday)
        session.add(row)
    row.kind, row.text, row.by_name, row.updated_at = kind.value, text, by, utcnow()
    session.flush()
    audit.record(session, actor, programme.school_id, action, "weekly_focus", f"{programme.id}:{monday.isoformat()}")
    return _focus(row)


def clear_focus(session: Session, actor: AuthenticatedUser, programme_id: int, week: date) -> bool:
    """Remove the focus of ``week``; False when there was none. Audited."""
    programme = load_programme(session, _staff(actor), programme_id)
    monday = week_start(week)
    row = _row(session, programme.id, monday)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    audit.record(session, actor, programme.school_id, AuditAction.DELETE, "weekly_focus",
                 f"{programme.id}:{monday.isoformat()}")  # fmt: skip
    return True


def pupil_focus(session: Session, pupil: AuthenticatedPupil, today: date) -> dict[int, WeeklyFocus]:
    """This week's focus per active pair the pupil tutors (pair id -> focus); pairs without one are left out."""
    pairs = own_pairs(session, pupil)  # checks the login is still valid
    programmes = {p.programme_id for p in pairs}
    if not programmes:
        return {}
    rows = session.scalars(
        sa.select(WeeklyFocusRow).where(
            WeeklyFocusRow.programme_id.in_(programmes), WeeklyFocusRow.week == week_start(today)
        )
    )
    by_programme = {r.programme_id: _focus(r) for r in rows}
    return {p.pair_id: by_programme[p.programme_id] for p in pairs if p.programme_id in by_programme}
