"""Check-ins: the tutor saves one (idempotently) and sees their own; teacher and IB'er list them.

``save_checkin`` reads and validates first (in a read transaction), then writes the insert alone in a
short write transaction, committed before it returns: show "opgeslagen" only after it returned. The
form's ``submission_id`` makes a retry safe: a double click, a resubmit or a race of two requests stores
one row and returns it every time (``created=False`` for the repeats). One check-in per pair and day: a
second one for the same day edits the first (``edited=True``; a worry raised stays raised). The worry signal is only in
:class:`StaffCheckIn`, for the group's leerkracht and the IB'er (see ``peermatch.storage.checkin_store``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.checkins import CheckInForm, validate
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services.database import Database
from peermatch.storage import checkin_store
from peermatch.storage.checkin_store import NewCheckIn, PupilCheckIn, StaffCheckIn, SubmitResult
from peermatch.storage.pupil_logins import require_active_pupil
from peermatch.storage.pupil_pairs import load_own_pair

__all__ = [
    "PupilCheckIn",
    "StaffCheckIn",
    "SubmitResult",
    "list_checkins",
    "my_checkins",
    "prepare_checkin",
    "save_checkin",
    "save_tutee_answers",
    "submit_checkin",
]


def _submission_id(form: CheckInForm) -> str:
    return str(form.submission_id).strip().lower()


def prepare_checkin(
    session: Session, pupil: AuthenticatedPupil, form: CheckInForm, *, today: date
) -> NewCheckIn | SubmitResult:
    """The reads and the validation before a check-in is stored: the stored check-in when this submission
    was stored before, else the validated check-in to insert. Writes nothing. Raises ``CheckInError``
    with every problem of the form, ``PermissionDeniedError`` for a pair that is not the pupil's own."""
    require_active_pupil(session, pupil)
    found = checkin_store.stored_checkin(session, pupil, _submission_id(form))
    if found is not None:
        return found
    pair = load_own_pair(session, pupil, form.pair_id)
    clean = validate(form, today=today, first_day=pair.start_date, last_day=pair.end_date)
    found = checkin_store.stored_checkin(session, pupil, clean.submission_id)
    if found is not None:
        return found
    return NewCheckIn(pair, checkin_store.tutee_first_name(session, pair), clean)


def submit_checkin(session: Session, pupil: AuthenticatedPupil, form: CheckInForm, *, today: date) -> SubmitResult:
    """:func:`save_checkin` inside the caller's transaction (flushed, not committed; the demo seed)."""
    prepared = prepare_checkin(session, pupil, form, today=today)
    if isinstance(prepared, SubmitResult):
        return prepared
    return checkin_store.insert_checkin(session, pupil, prepared)


def save_checkin(db: Database, pupil: AuthenticatedPupil, form: CheckInForm, *, today: date) -> SubmitResult:
    """Store the logged-in tutor's check-in for one of their own pairs, committed before this returns (so
    "opgeslagen" is true). A resubmit after a lost answer returns the stored check-in with ``created=False``.

    The write transaction holds the insert only (reads and validation come first, in a read transaction),
    so it can be retried as a whole on a busy database."""
    with db.read() as session:
        prepared = prepare_checkin(session, pupil, form, today=today)
    if isinstance(prepared, SubmitResult):
        return prepared
    try:
        # a whole class submits at the end of the moment: retried while the database is busy
        return db.write_retrying(lambda session: checkin_store.insert_checkin(session, pupil, prepared))
    except IntegrityError:  # the other request committed between our check and our commit
        with db.read() as session:
            found = checkin_store.stored_checkin(session, pupil, prepared.form.submission_id)
        if found is not None:
            return found
        # another submission for the same pair and day won the insert: this one edits it
        return db.write_retrying(lambda session: checkin_store.insert_checkin(session, pupil, prepared))


def save_tutee_answers(
    db: Database,
    pupil: AuthenticatedPupil,
    checkin_id: int,
    *,
    fun: int | None,
    learned: int | None,
    together: int | None = None,
) -> PupilCheckIn:
    """The tutee's own step of the logged-in tutor's check-in ``checkin_id`` (the device was handed over
    after the tutor's part was saved: the fallback for a tutee without a login of their own). Committed before
    it returns; retried while the database is busy."""
    return db.write_retrying(
        lambda session: checkin_store.set_tutee_answers(session, pupil, checkin_id, fun, learned, together)
    )


def my_checkins(
    db: Database, pupil: AuthenticatedPupil, *, pair_id: int | None = None, limit: int = 50
) -> list[PupilCheckIn]:
    """The logged-in tutor's own check-ins, newest first, without the worry signal."""
    with db.read() as session:
        return checkin_store.my_checkins(session, pupil, pair_id=pair_id, limit=limit)


def list_checkins(
    db: Database,
    actor: AuthenticatedUser,
    *,
    group_ids: Iterable[int] | None = None,
    since: date | None = None,
    limit: int = 500,
) -> list[StaffCheckIn]:
    """Check-ins of the actor's groups, worry signals first, then newest first (see
    ``peermatch.storage.checkin_store.list_checkins``). Audited."""
    with db.write() as session:
        return checkin_store.list_checkins(session, actor, group_ids=group_ids, since=since, limit=limit)
