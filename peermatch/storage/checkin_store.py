"""Stored check-ins: the tutor's insert (idempotent), the tutor's own list, the teacher's and IB'er's list.

Rows and queries only: validating a form is ``peermatch.checkins.validate``, called by
``peermatch.services.checkins`` (``save_checkin``) before the write transaction, which holds just
:func:`insert_checkin`.

* The form's ``submission_id`` (a uuid made when the form is shown) is unique in the database: a
  double click, a resubmit or a race of two requests stores one row and returns it every time.
* One check-in per pair and day (a unique index): a second one for the same day edits the first.
* The worry signal (``worry``, ``worry_text``) is only in :class:`StaffCheckIn`, and filled in only for
  the leerkracht of the tutor's or the tutee's group and for the IB'er. A beheerder (accounts and
  settings) sees the check-ins with the worry signal blanked and no worry-first ordering.
  PupilRow-facing results (:class:`PupilCheckIn`) have no such fields at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from peermatch.auth import AuthenticatedUser
from peermatch.board_policy import refuse_board
from peermatch.checkin_form import TUTOR_OWN_MARK, CheckInForm, SessionStatus
from peermatch.errors import InvalidInputError, PermissionDeniedError, Problem
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.storage import audit
from peermatch.storage.access import load_groups
from peermatch.storage.enums import AuditAction, StaffRole
from peermatch.storage.models import CheckInRow, Group, PupilRow
from peermatch.storage.pupil_logins import require_active_pupil
from peermatch.storage.pupil_pairs import OwnPair, load_own_pair

__all__ = [
    "WORRY_READERS",
    "NewCheckIn",
    "PupilCheckIn",
    "StaffCheckIn",
    "SubmitResult",
    "insert_checkin",
    "list_checkins",
    "my_checkins",
    "set_tutee_answers",
    "stored_checkin",
    "tutee_first_name",
]

WORRY_READERS = frozenset({StaffRole.LEERKRACHT, StaffRole.IB})  # the group's teacher and the IB'er


@dataclass(frozen=True)
class PupilCheckIn:
    """A check-in as its tutor may see it again: no worry signal (that is for the teacher and IB'er only)."""

    id: int
    submission_id: str
    pair_id: int
    tutee_first_name: str
    session_date: date
    status: SessionStatus
    minutes: int | None
    activity: str
    tutor_mood: int | None
    went_well: str
    was_hard: str
    try_next: str
    needs_help: bool
    tutee_fun: int | None
    tutee_learned: int | None
    created_at: datetime
    tutor_together: int | None = None  # the tutor's own "Hoe ging het samen?" (never the tutee's answers)


@dataclass(frozen=True)
class StaffCheckIn:
    """A check-in in the teacher's and IB'er's list, with the worry signal."""

    id: int
    pair_id: int
    tutor_id: int
    tutor_first_name: str
    tutor_group: str
    tutee_id: int
    tutee_first_name: str
    tutee_group: str
    session_date: date
    status: SessionStatus
    minutes: int | None
    activity: str
    tutor_mood: int | None
    went_well: str
    was_hard: str
    try_next: str
    needs_help: bool
    worry: bool
    worry_text: str
    tutee_fun: int | None
    tutee_learned: int | None
    created_at: datetime
    # migration 0018: the relationship of both, the tutor's own trouble and the tutee's private message (the
    # texts, like the worry, only for WORRY_READERS); tutor_checked_in False: only the tutee answered so far
    tutor_together: int | None = None
    tutee_together: int | None = None
    tutor_own: bool = False
    tutor_own_text: str = ""
    tutee_says: bool = False
    tutee_says_text: str = ""
    tutor_checked_in: bool = True


@dataclass(frozen=True)
class SubmitResult:
    checkin: PupilCheckIn
    created: bool  # False: this submission was stored before (a double click or resubmit), or it edited
    edited: bool = False  # True: the pair had a check-in for that day already; this one changed it
    raised: tuple[str, ...] = ()  # signals this save raised anew: "worry", "help" (for the notification mail)


def _pupil_view(row: CheckInRow, tutee_first_name: str) -> PupilCheckIn:
    return PupilCheckIn(
        id=row.id,
        submission_id=row.submission_id,
        pair_id=row.pair_id,
        tutee_first_name=tutee_first_name,
        session_date=row.session_date,
        status=SessionStatus(row.status),
        minutes=row.minutes,
        activity=row.activity,
        tutor_mood=row.tutor_mood,
        went_well=row.went_well,
        was_hard=row.was_hard,
        try_next=row.try_next,
        needs_help=row.needs_help,
        tutee_fun=row.tutee_fun,
        tutee_learned=row.tutee_learned,
        created_at=row.created_at,
        tutor_together=row.tutor_together,
    )


def stored_checkin(session: Session, pupil: AuthenticatedPupil, submission_id: str) -> SubmitResult | None:
    """The check-in stored before under this (normalised) submission id, with ``created=False``; None when
    there is none. PermissionDeniedError when it is another pupil's submission."""
    row = session.scalar(sa.select(CheckInRow).where(CheckInRow.submission_id == submission_id))
    if row is None:
        return None
    if row.tutor_id != pupil.id:
        raise PermissionDeniedError(Problem("checkins.denied.submission"))
    tutee = session.get_one(PupilRow, row.tutee_id)
    return SubmitResult(_pupil_view(row, tutee.first_name), created=False)


@dataclass(frozen=True)
class NewCheckIn:
    """A check-in ready to insert: a validated form (``peermatch.checkins.validate``) for one of the tutor's
    own pairs (``load_own_pair``), with the tutee's first name for the answer."""

    pair: OwnPair
    tutee_first_name: str
    form: CheckInForm


def tutee_first_name(session: Session, pair: OwnPair) -> str:
    """The first name of the pair's tutee (what the tutor sees in their own check-ins)."""
    return session.get_one(PupilRow, pair.tutee_id).first_name


def _day_row(session: Session, pair_id: int, day: date) -> CheckInRow | None:
    return session.scalar(sa.select(CheckInRow).where(CheckInRow.pair_id == pair_id, CheckInRow.session_date == day))


def join_texts(*texts: str, limit: int = 500) -> str:
    """Texts joined with " | ", each once, empty ones left out, cut at ``limit`` characters."""
    return " | ".join(dict.fromkeys(text for text in texts if text))[:limit]


def _own_trouble(row: CheckInRow, clean: CheckInForm) -> bool:
    """Add the tutor's own trouble ("Ik wil zelf iets vertellen") to the row; True when it was raised anew."""
    if not clean.tutor_own:
        return False
    before = row.tutor_own
    row.tutor_own = True
    row.tutor_own_text = join_texts(row.tutor_own_text, clean.tutor_own_text)
    if clean.tutor_own_text:
        row.worry_text = join_texts(row.worry_text, TUTOR_OWN_MARK + clean.tutor_own_text)
    row.worry = True
    return not before


def _edit(row: CheckInRow, clean: CheckInForm, tutee_first_name: str) -> SubmitResult:
    """A second check-in of the pair for the same day changes the first: the tutor's new answers replace
    theirs; a worry already raised stays (only staff close a signal), a new worry text is added to it; the
    tutee's earlier answers stay unless new ones are given. When only the tutee had answered that day (on
    their own login, ``tutor_checked_in`` false), this is the tutor's first check-in of the day: ``created``."""
    first = not row.tutor_checked_in
    if first:  # the tutor's form takes the row over: a resubmit of it finds it by its submission id
        row.submission_id = clean.submission_id
    row.tutor_checked_in = True
    row.status = SessionStatus(clean.status).value
    row.minutes, row.activity, row.tutor_mood = clean.minutes, clean.activity, clean.tutor_mood
    row.went_well, row.was_hard, row.try_next = clean.went_well, clean.was_hard, clean.try_next
    raised = tuple(kind for kind, before, now in (("worry", row.worry, clean.worry), ("help", row.needs_help,
                   clean.needs_help)) if now and not before)  # fmt: skip
    row.needs_help = clean.needs_help
    worried_before = row.worry
    row.worry, row.worry_text = row.worry or clean.worry, join_texts(row.worry_text, clean.worry_text)
    if _own_trouble(row, clean) and not worried_before and "worry" not in raised:
        raised = (*raised, "worry")
    row.tutor_together = clean.tutor_together
    if SessionStatus(clean.status) is not SessionStatus.HELD:
        row.tutee_fun = row.tutee_learned = row.tutee_together = None
    else:
        row.tutee_fun = clean.tutee_fun if clean.tutee_fun is not None else row.tutee_fun
        row.tutee_learned = clean.tutee_learned if clean.tutee_learned is not None else row.tutee_learned
    view = _pupil_view(row, tutee_first_name)
    return SubmitResult(view, created=first, edited=not first, raised=raised)


def _edit_day(session: Session, pair_id: int, clean: CheckInForm, tutee_first_name: str) -> SubmitResult | None:
    """Edit the pair's check-in of that day (flushed), or None when it has none."""
    existing = _day_row(session, pair_id, clean.session_date)
    if existing is None:
        return None
    result = _edit(existing, clean, tutee_first_name)
    session.flush()
    return result


def insert_checkin(session: Session, pupil: AuthenticatedPupil, new: NewCheckIn) -> SubmitResult:
    """Insert the check-in (flushed, not committed); the insert and nothing else, so a write transaction
    around it is short. A concurrent submit of the same form that stored its row first wins: its row is
    returned with ``created=False``. One check-in per pair and day: when the pair has one for that day
    already (also one a concurrent request stored first), this one edits it (``edited=True``)."""
    clean, pair = new.form, new.pair
    edited = _edit_day(session, pair.pair_id, clean, new.tutee_first_name)
    if edited is not None:
        return edited
    row = CheckInRow(
        school_id=pupil.school_id,
        submission_id=clean.submission_id,
        pair_id=pair.pair_id,
        tutor_id=pair.tutor_id,
        tutee_id=pair.tutee_id,
        session_date=clean.session_date,
        status=SessionStatus(clean.status).value,
        minutes=clean.minutes,
        activity=clean.activity,
        tutor_mood=clean.tutor_mood,
        went_well=clean.went_well,
        was_hard=clean.was_hard,
        try_next=clean.try_next,
        needs_help=clean.needs_help,
        worry=clean.worry,
        worry_text=clean.worry_text,
        tutee_fun=clean.tutee_fun,
        tutee_learned=clean.tutee_learned,
        tutor_together=clean.tutor_together,
        tutor_own=False,
        tutor_own_text="",
    )
    _own_trouble(row, clean)
    try:
        with session.begin_nested():  # a concurrent submit of the same form wins the race: use its row
            session.add(row)
    except IntegrityError:
        found = stored_checkin(session, pupil, clean.submission_id) or _edit_day(
            session, pair.pair_id, clean, new.tutee_first_name
        )
        if found is None:
            raise
        return found
    raised = tuple(kind for kind, now in (("worry", clean.worry or clean.tutor_own), ("help", clean.needs_help)) if now)
    return SubmitResult(_pupil_view(row, new.tutee_first_name), created=True, raised=raised)


def set_tutee_answers(
    session: Session,
    pupil: AuthenticatedPupil,
    checkin_id: int,
    fun: int | None,
    learned: int | None,
    together: int | None = None,
) -> PupilCheckIn:
    """The tutee's part of a check-in, given on the tutor's device after the tutor's part was stored (the
    fallback for a tutee without a login of their own): only on the logged-in tutor's own check-in of a
    session that was held, answers 1-5 (None: not answered)."""
    require_active_pupil(session, pupil)
    row = session.get(CheckInRow, checkin_id)
    if row is None or row.tutor_id != pupil.id:
        raise PermissionDeniedError(Problem("checkins.denied.submission"))
    if SessionStatus(row.status) is not SessionStatus.HELD:
        raise InvalidInputError(Problem("checkins.tutee.not_held"))
    for name, value in (("tutee_fun", fun), ("tutee_learned", learned), ("tutee_together", together)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5):
            raise InvalidInputError(Problem(f"checkins.invalid.{name}", value=str(value)[:20]))
    row.tutee_fun, row.tutee_learned = fun, learned
    if together is not None:
        row.tutee_together = together
    session.flush()
    return _pupil_view(row, session.get_one(PupilRow, row.tutee_id).first_name)


def my_checkins(
    session: Session, pupil: AuthenticatedPupil, *, pair_id: int | None = None, limit: int = 50
) -> list[PupilCheckIn]:
    """The logged-in tutor's own check-ins, newest first, without the worry signal."""
    me = require_active_pupil(session, pupil)
    tutee = aliased(PupilRow)
    query = (
        sa.select(CheckInRow, tutee.first_name)
        .join(tutee, tutee.id == CheckInRow.tutee_id)
        .where(CheckInRow.tutor_id == me.id, CheckInRow.tutor_checked_in)
        .order_by(CheckInRow.session_date.desc(), CheckInRow.id.desc())
        .limit(limit)
    )
    if pair_id is not None:
        load_own_pair(session, pupil, pair_id)
        query = query.where(CheckInRow.pair_id == pair_id)
    return [_pupil_view(row, name) for row, name in session.execute(query)]


def list_checkins(
    session: Session,
    actor: AuthenticatedUser,
    *,
    group_ids: Iterable[int] | None = None,
    since: date | None = None,
    limit: int = 500,
) -> list[StaffCheckIn]:
    """Check-ins of the actor's groups (the tutor's or the tutee's group), worry signals first, then
    newest first. A leerkracht sees only check-ins that involve their own groups; ib and beheerder the
    whole school (the beheerder without worry signals). ``group_ids`` narrows the list (each must be
    accessible). Audited."""
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    refuse_board(actor)
    if group_ids is not None:
        wanted: set[int] | None = {g.id for g in load_groups(session, actor, actor.school_id, group_ids)}
    else:
        wanted = None if actor.school_wide else set(actor.group_ids)
    tutor, tutee = aliased(PupilRow), aliased(PupilRow)
    tutor_group, tutee_group = aliased(Group), aliased(Group)
    query = (
        sa.select(CheckInRow, tutor.first_name, tutor_group.name, tutee.first_name, tutee_group.name)
        .join(tutor, tutor.id == CheckInRow.tutor_id)
        .join(tutee, tutee.id == CheckInRow.tutee_id)
        .outerjoin(tutor_group, tutor_group.id == tutor.group_id)
        .outerjoin(tutee_group, tutee_group.id == tutee.group_id)
        .where(CheckInRow.school_id == actor.school_id)
        .limit(limit)
    )
    sees_worries = actor.role in WORRY_READERS
    if sees_worries:
        query = query.order_by(CheckInRow.worry.desc())
    query = query.order_by(CheckInRow.session_date.desc(), CheckInRow.id.desc())
    if wanted is not None:
        query = query.where(sa.or_(tutor.group_id.in_(wanted), tutee.group_id.in_(wanted)))
    if since is not None:
        query = query.where(CheckInRow.session_date >= since)
    out = [
        StaffCheckIn(
            id=row.id,
            pair_id=row.pair_id,
            tutor_id=row.tutor_id,
            tutor_first_name=tutor_name,
            tutor_group=tutor_group_name or "",
            tutee_id=row.tutee_id,
            tutee_first_name=tutee_name,
            tutee_group=tutee_group_name or "",
            session_date=row.session_date,
            status=SessionStatus(row.status),
            minutes=row.minutes,
            activity=row.activity,
            tutor_mood=row.tutor_mood,
            went_well=row.went_well,
            was_hard=row.was_hard,
            try_next=row.try_next,
            needs_help=row.needs_help,
            worry=row.worry and sees_worries,
            worry_text=row.worry_text if sees_worries else "",
            tutee_fun=row.tutee_fun,
            tutee_learned=row.tutee_learned,
            created_at=row.created_at,
            tutor_together=row.tutor_together,
            tutee_together=row.tutee_together,
            tutor_own=row.tutor_own and sees_worries,
            tutor_own_text=row.tutor_own_text if sees_worries else "",
            tutee_says=row.tutee_says and sees_worries,
            tutee_says_text=row.tutee_says_text if sees_worries else "",
            tutor_checked_in=row.tutor_checked_in,
        )
        for row, tutor_name, tutor_group_name, tutee_name, tutee_group_name in session.execute(query)
    ]
    audit.record(session, actor, actor.school_id, AuditAction.VIEW, "checkins", None)
    return out
