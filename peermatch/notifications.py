"""E-mail notifications: what a mail says, and the deployment's SMTP settings. Pure: sending is the service's.

A mail never holds pupil text or names: a new worry or help request only says *that* there is one, in
which group, with a link to PeerMatch (where reading it is audited); the weekly summary holds counts.

The SMTP server is set per deployment with environment variables (see ``deploy/peermatch.env.example``):
``PEERMATCH_SMTP_HOST`` (no host: no mail at all), ``PEERMATCH_SMTP_PORT`` (587), ``PEERMATCH_SMTP_FROM``,
``PEERMATCH_SMTP_USER`` / ``PEERMATCH_SMTP_PASSWORD`` (optional login), ``PEERMATCH_SMTP_STARTTLS``
(``1`` by default; ``0`` only for a relay on the same machine) and ``PEERMATCH_PUBLIC_URL`` for the link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from peermatch.errors import InvalidInputError, Problem
from peermatch.i18n import translate

__all__ = [
    "MAX_EMAIL",
    "MailSettings",
    "SignalKind",
    "WeeklyCounts",
    "clean_email",
    "signal_message",
    "weekly_message",
]

MAX_EMAIL = 254  # RFC 5321's limit for a forward path
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$")
SignalKind = str  # "worry", "help" or "tutee" (a tutee wants to tell the juf something)


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    sender: str
    user: str | None
    password: str | None
    starttls: bool
    public_url: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MailSettings | None:
        """The settings, or None when no ``PEERMATCH_SMTP_HOST`` is set (then nothing is sent)."""
        host = env.get("PEERMATCH_SMTP_HOST", "").strip()
        if not host:
            return None
        port = env.get("PEERMATCH_SMTP_PORT", "587").strip()
        return cls(
            host=host,
            port=int(port) if port.isdigit() else 587,
            sender=env.get("PEERMATCH_SMTP_FROM", "").strip() or f"peermatch@{host}",
            user=env.get("PEERMATCH_SMTP_USER") or None,
            password=env.get("PEERMATCH_SMTP_PASSWORD") or None,
            starttls=env.get("PEERMATCH_SMTP_STARTTLS", "1").strip() != "0",
            public_url=env.get("PEERMATCH_PUBLIC_URL", "http://localhost:8501").strip().rstrip("/"),
        )


@dataclass(frozen=True)
class WeeklyCounts:
    """The week of one school in numbers (no names, no texts)."""

    active_pairs: int
    checkins: int
    worries: int
    help_requests: int
    quiet_pairs: int  # active pairs without a check-in in the last 10 days


def clean_email(value: str) -> str | None:
    """The address trimmed and lower-cased in its domain; None for an empty value; ``InvalidInputError`` when
    it is not an address."""
    value = value.strip()
    if not value:
        return None
    if len(value) > MAX_EMAIL or not _EMAIL.match(value):
        raise InvalidInputError(Problem("notifications.invalid_email", value=value[:80]))
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def _message(settings: MailSettings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.sender, to, subject
    message["Date"], message["Message-ID"] = formatdate(localtime=True), make_msgid(domain="peermatch")
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to us
    message.set_content(body)
    return message


def signal_message(settings: MailSettings, to: str, kind: SignalKind, group: str, lang: str) -> EmailMessage:
    """The mail about a new worry (``kind="worry"``), help request (``"help"``) or tutee's message (``"tutee"``) in
    ``group``: only a link."""
    link = f"{settings.public_url}/signalen"
    subject = translate(f"notifications.{kind}.subject", lang, group=group)
    body = translate(f"notifications.{kind}.body", lang, group=group, link=link)
    return _message(settings, to, subject, body + "\n\n" + translate("notifications.footer", lang))


def weekly_message(settings: MailSettings, to: str, school: str, counts: WeeklyCounts, lang: str) -> EmailMessage:
    """The IB'er's weekly summary of a school: counts and a link to *Overzicht*."""
    subject = translate("notifications.weekly.subject", lang, school=school)
    body = translate(
        "notifications.weekly.body",
        lang,
        school=school,
        pairs=counts.active_pairs,
        checkins=counts.checkins,
        worries=counts.worries,
        help=counts.help_requests,
        quiet=counts.quiet_pairs,
        link=f"{settings.public_url}/overzicht",
    )
    return _message(settings, to, subject, body + "\n\n" + translate("notifications.footer", lang))
