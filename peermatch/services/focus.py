"""The weekly focus use cases: the teacher sets, replaces or removes a programme's focus for a week; a tutor reads
this week's focus of their own pairs (:mod:`peermatch.focus`, stored by ``storage.focus_store``)."""

from __future__ import annotations

from datetime import date

from peermatch.auth import AuthenticatedUser
from peermatch.errors import InvalidInputError, Problem
from peermatch.focus import FocusKind, WeeklyFocus, clean_focus_text
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services.database import Database
from peermatch.storage import focus_store as store

__all__ = ["clear_weekly_focus", "pupil_weekly_focus", "set_weekly_focus", "weekly_focuses"]


def weekly_focuses(db: Database, actor: AuthenticatedUser, programme_id: int) -> list[WeeklyFocus]:
    """The focus of every week of a programme the actor may open, newest week first."""
    with db.read() as session:
        return store.weekly_focuses(session, actor, programme_id)


def set_weekly_focus(
    db: Database, actor: AuthenticatedUser, programme_id: int, week: date, kind: FocusKind | str, text: str
) -> WeeklyFocus:
    """Set the focus of the week of ``week`` (replacing one set before). The text: 1-300 characters, plain."""
    try:
        focus_kind = FocusKind(kind)
    except ValueError:
        raise InvalidInputError(Problem("focus.error.kind", column="soort", value=str(kind))) from None
    clean = clean_focus_text(text)
    with db.write() as session:
        return store.set_focus(session, actor, programme_id, week, focus_kind, clean)


def clear_weekly_focus(db: Database, actor: AuthenticatedUser, programme_id: int, week: date) -> bool:
    """Remove the focus of the week of ``week``; False when there was none."""
    with db.write() as session:
        return store.clear_focus(session, actor, programme_id, week)


def pupil_weekly_focus(db: Database, pupil: AuthenticatedPupil, today: date) -> dict[int, WeeklyFocus]:
    """This week's focus of each of the pupil's own active pairs that has one (pair id -> focus)."""
    with db.read() as session:
        return store.pupil_focus(session, pupil, today)
