"""Tell people when it matters: a mail to the pair's teacher and the IB'er about a new worry or help request,
a weekly summary for the IB'er, and each person's own mail settings (address, both switches).

Mails go through the deployment's SMTP server (``peermatch.notifications.MailSettings.from_env``; no host
set: nothing is sent). A failed send is logged and never reaches the child who saved the check-in: the
check-in is stored first, the mail is sent afterwards (in a thread, so the child does not wait for it).
No pupil text or name is in a mail, only the group and a link.
"""

from __future__ import annotations

import logging
import os
import smtplib
import threading
from collections.abc import Mapping, Sequence
from datetime import date
from email.message import EmailMessage

from peermatch.auth import AuthenticatedUser
from peermatch.notifications import MailSettings, WeeklyCounts, clean_email, signal_message, weekly_message
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services.database import Database
from peermatch.storage import notify_store
from peermatch.storage.checkin_store import SubmitResult
from peermatch.storage.notify_store import MailPrefs
from peermatch.storage.tutee_store import TuteeSaved

__all__ = [
    "MailPrefs",
    "announce_signal",
    "announce_tutee_message",
    "mail_configured",
    "mail_prefs",
    "send_mails",
    "send_weekly_summaries",
    "set_mail_prefs",
]

log = logging.getLogger(__name__)
SMTP_TIMEOUT_S = 15.0


def mail_configured(env: Mapping[str, str] = os.environ) -> bool:
    return MailSettings.from_env(env) is not None


def send_mails(settings: MailSettings, messages: Sequence[EmailMessage]) -> int:
    """Send over one SMTP connection (STARTTLS and login when set); the number sent. Errors are logged."""
    if not messages:
        return 0
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_S) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.user and settings.password:
                smtp.login(settings.user, settings.password)
            for message in messages:
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.error("PeerMatch could not send %d mail(s) via %s:%s: %s", len(messages), settings.host, settings.port, exc)
        return 0
    return len(messages)


def announce_signal(
    db: Database,
    pupil: AuthenticatedPupil,
    saved: SubmitResult,
    *,
    lang: str = "nl",
    env: Mapping[str, str] = os.environ,
    wait: bool = False,
) -> int:
    """Mail the pair's teachers and the IB'ers about each signal the save raised anew (``saved.raised``).

    Returns the number of mails handed to the sender (0 without signals, SMTP settings or recipients). The
    sending runs in a thread unless ``wait`` (the tests and the command line wait for it)."""
    settings = MailSettings.from_env(env)
    if settings is None or not saved.raised:
        return 0
    with db.read() as session:
        recipients = notify_store.signal_recipients(session, pupil, saved.checkin.id)
    messages = [signal_message(settings, to, kind, recipients.group, lang) for kind in saved.raised
                for to in recipients.emails]  # fmt: skip
    return _send(settings, messages, wait)


def announce_tutee_message(
    db: Database,
    pupil: AuthenticatedPupil,
    saved: TuteeSaved,
    *,
    lang: str = "nl",
    env: Mapping[str, str] = os.environ,
    wait: bool = False,
) -> int:
    """Mail the pair's teachers and the IB'ers that the logged-in tutee wants to tell the juf something, when this
    save raised it (``saved.told_anew``): a child's private message must not wait until someone opens Signalen.
    Only a link, no name or text; the same recipients, settings and thread as :func:`announce_signal`."""
    settings = MailSettings.from_env(env)
    if settings is None or not saved.told_anew:
        return 0
    with db.read() as session:
        recipients = notify_store.tutee_message_recipients(session, pupil, saved.pair_id, saved.session_date)
    messages = [signal_message(settings, to, "tutee", recipients.group, lang) for to in recipients.emails]
    return _send(settings, messages, wait)


def _send(settings: MailSettings, messages: list[EmailMessage], wait: bool) -> int:
    """Hand ``messages`` to the sender: in a thread (a page run never waits for SMTP) unless ``wait``."""
    if not messages:
        return 0
    if wait:
        return send_mails(settings, messages)
    threading.Thread(target=send_mails, args=(settings, messages), daemon=True, name="peermatch-mail").start()
    return len(messages)


def send_weekly_summaries(db: Database, *, today: date, lang: str = "nl", env: Mapping[str, str] = os.environ) -> int:
    """The weekly summary to every IB'er who wants it (``peermatch weekly-summary``, e.g. from a timer on
    Friday afternoon). Counts only. Returns the number of mails sent."""
    settings = MailSettings.from_env(env)
    if settings is None:
        return 0
    messages = []
    with db.read() as session:
        for recipient in notify_store.weekly_recipients(session):
            counts = WeeklyCounts(*notify_store.week_in_numbers(session, recipient.school_id, today))
            messages.append(weekly_message(settings, recipient.email, recipient.school, counts, lang))
    return send_mails(settings, messages)


def mail_prefs(db: Database, actor: AuthenticatedUser) -> MailPrefs:
    """The actor's own address and switches."""
    with db.read() as session:
        return notify_store.mail_prefs(session, actor)


def set_mail_prefs(db: Database, actor: AuthenticatedUser, email: str, *, signals: bool, weekly: bool) -> MailPrefs:
    """Store the actor's own address (checked; empty = no mail) and switches. Audited."""
    prefs = MailPrefs(clean_email(email), signals, weekly)
    with db.write() as session:
        return notify_store.set_mail_prefs(session, actor, prefs)
