"""Who gets a notification mail, a staff member's own mail settings, and a school's week in numbers.

The recipients of a signal mail are the active leerkrachten of the tutor's or the tutee's group and the
school's active IB'ers, each only with an address and ``notify_signals`` on; the weekly summary goes to the
IB'ers with ``notify_weekly`` on. Addresses only: no pupil data leaves through these queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.errors import PermissionDeniedError, Problem
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.storage import audit
from peermatch.storage.enums import AuditAction, StaffRole
from peermatch.storage.models import CheckInRow, Group, PairRow, PupilRow, School, User, UserGroup
from peermatch.storage.runs import running_pair_ids

__all__ = [
    "MailPrefs",
    "SignalRecipients",
    "WeeklyRecipient",
    "mail_prefs",
    "set_mail_prefs",
    "signal_recipients",
    "tutee_message_recipients",
    "week_in_numbers",
    "weekly_recipients",
]

QUIET_DAYS = 10


@dataclass(frozen=True)
class MailPrefs:
    email: str | None
    signals: bool
    weekly: bool


@dataclass(frozen=True)
class SignalRecipients:
    group: str  # the tutor's group name (what the mail may say)
    emails: tuple[str, ...]


@dataclass(frozen=True)
class WeeklyRecipient:
    school_id: int
    school: str
    email: str


def mail_prefs(session: Session, actor: AuthenticatedUser) -> MailPrefs:
    user = session.get_one(User, actor.id)
    return MailPrefs(user.email, user.notify_signals, user.notify_weekly)


def set_mail_prefs(session: Session, actor: AuthenticatedUser, prefs: MailPrefs) -> MailPrefs:
    """The actor's own address and switches (nobody sets another person's: the id is the actor's)."""
    user = session.get_one(User, actor.id)
    user.email, user.notify_signals, user.notify_weekly = prefs.email, prefs.signals, prefs.weekly
    session.flush()
    audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "user", user.id)
    return mail_prefs(session, actor)


def signal_recipients(session: Session, pupil: AuthenticatedPupil, checkin_id: int) -> SignalRecipients:
    """Who is told about a signal in the logged-in tutor's own check-in ``checkin_id``."""
    row = session.get(CheckInRow, checkin_id)
    if row is None or row.tutor_id != pupil.id:
        raise PermissionDeniedError(Problem("checkins.denied.submission"))
    return _recipients(session, row)


def tutee_message_recipients(
    session: Session, pupil: AuthenticatedPupil, pair_id: int, session_date: date
) -> SignalRecipients:
    """Who is told that the logged-in tutee wants to tell the juf something ("Ik wil de juf iets vertellen") in
    their check-in of ``pair_id`` on ``session_date``: the same people as for a tutor's worry."""
    row = session.scalar(
        sa.select(CheckInRow).where(CheckInRow.pair_id == pair_id, CheckInRow.session_date == session_date)
    )
    if row is None or row.tutee_id != pupil.id or row.school_id != pupil.school_id:
        raise PermissionDeniedError(Problem("checkins.denied.submission"))
    return _recipients(session, row)


def _recipients(session: Session, row: CheckInRow) -> SignalRecipients:
    """The IB'ers of the school and the teachers of the pair's groups who want the signal mails (the group named
    in the mail is the tutor's)."""
    group_ids = set(
        session.scalars(sa.select(PupilRow.group_id).where(PupilRow.id.in_((row.tutor_id, row.tutee_id))))
    ) - {None}
    tutor_group = session.scalar(
        sa.select(Group.name).join(PupilRow, PupilRow.group_id == Group.id).where(PupilRow.id == row.tutor_id)
    )
    teaches = sa.select(UserGroup.user_id).where(UserGroup.group_id.in_(group_ids))
    query = sa.select(User.email).where(
        User.school_id == row.school_id,
        User.active.is_(True),
        User.notify_signals.is_(True),
        User.email.is_not(None),
        sa.or_(User.role == StaffRole.IB, sa.and_(User.role == StaffRole.LEERKRACHT, User.id.in_(teaches))),
    )
    emails = tuple(sorted({e for e in session.scalars(query) if e}))
    return SignalRecipients(tutor_group or "?", emails)


def weekly_recipients(session: Session) -> list[WeeklyRecipient]:
    """Every active IB'er with an address and the weekly summary on, with their school."""
    query = (
        sa.select(User.school_id, School.name, User.email)
        .join(School, School.id == User.school_id)
        .where(User.role == StaffRole.IB, User.active.is_(True), User.notify_weekly.is_(True), User.email.is_not(None))
        .order_by(User.school_id, User.email)
    )
    return [WeeklyRecipient(school_id, school, email) for school_id, school, email in session.execute(query) if email]


def week_in_numbers(session: Session, school_id: int, today: date) -> tuple[int, int, int, int, int]:
    """(active pairs, check-ins, worries, help requests in the 7 days up to ``today``, quiet active pairs),
    counted by the database."""
    running = running_pair_ids().where(PairRow.school_id == school_id)
    week = CheckInRow.session_date.between(today - timedelta(6), today)
    checkins, worries, helps = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(CheckInRow.worry.is_(True)),
            sa.func.count().filter(CheckInRow.needs_help.is_(True)),
        ).where(CheckInRow.school_id == school_id, week)
    ).one()
    heard = sa.select(CheckInRow.pair_id).where(CheckInRow.session_date > today - timedelta(QUIET_DAYS))
    active = session.scalar(sa.select(sa.func.count()).select_from(running.subquery())) or 0
    quiet = (
        session.scalar(sa.select(sa.func.count()).select_from(running.where(PairRow.id.not_in(heard)).subquery())) or 0
    )
    return active, checkins, worries, helps, quiet
