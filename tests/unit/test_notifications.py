"""Tell people when it matters (issue 15, item 6): a new worry or help request mails the pair's teacher and
the IB'er, through a real local SMTP server (aiosmtpd), with no pupil text or name in the mail, only a
link; a weekly summary for the IB'er; both switchable per person; no SMTP host, no mail."""

from __future__ import annotations

import email
import socket
import time
from collections.abc import Iterator
from datetime import date
from email.message import Message

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory
from tutoring_world import Tutoring, build_tutoring, cheap_argon2, checkin_form, login_as

from peermatch.checkin_form import TuteeAnswers
from peermatch.errors import InvalidInputError, PermissionDeniedError
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services import Database, checkins, notifications
from peermatch.services.tutee import save_tutee_checkin
from peermatch.storage import pupil_codes
from peermatch.storage.checkin_store import SubmitResult
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import User

__all__ = ["backend", "cheap_argon2", "engine", "factory"]  # fixtures used by the tests below

TODAY = date(2025, 11, 20)
WORRY = "Daan zegt dat hij op het plein gepest wordt"


class Inbox:
    """What the SMTP server received: (envelope recipients, parsed message) per mail."""

    def __init__(self) -> None:
        self.mails: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:  # noqa: N802
        assert isinstance(envelope.content, bytes)
        self.mails.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for rcpt, m in self.mails if address in rcpt]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, dict[str, str]]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        "PEERMATCH_SMTP_HOST": "127.0.0.1",
        "PEERMATCH_SMTP_PORT": str(port),
        "PEERMATCH_SMTP_STARTTLS": "0",
        "PEERMATCH_SMTP_FROM": "peermatch@obs-test.nl",
        "PEERMATCH_PUBLIC_URL": "https://peermatch.obs-test.nl/",
    }
    try:
        yield inbox, env
    finally:
        controller.stop()


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)


def _addresses(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    """Every staff member of school 1 gets an address: <username>@obs-test.nl."""
    with unit_of_work(factory) as session:
        for user in session.scalars(sa.select(User).where(User.school_id == tutoring.world.school_id)):
            user.email = f"{user.username}@obs-test.nl"


def _noor_worries(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> tuple[Database, AuthenticatedPupil, SubmitResult]:
    """Every staff member has an address; Noor (7A, tutor of Daan in 5A: juf teaches both) saves a worry."""
    _addresses(factory, tutoring)
    db = Database(factory)
    noor = login_as(factory, tutoring.cards["Noor"])
    return db, noor, checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", worry_text=WORRY), today=TODAY)


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def test_a_new_worry_mails_the_pairs_teacher_and_the_ib_er_with_only_a_link(
    factory: sessionmaker[Session], tutoring: Tutoring, smtp: tuple[Inbox, dict[str, str]]
) -> None:
    inbox, env = smtp
    db, noor, saved = _noor_worries(factory, tutoring)

    sent = notifications.announce_signal(db, noor, saved, env=env, wait=True)

    assert sent == 2
    assert sorted(r for rcpt, _ in inbox.mails for r in rcpt) == ["ib@obs-test.nl", "juf@obs-test.nl"]
    (mail,) = inbox.to("juf@obs-test.nl")
    assert mail["Subject"] == "PeerMatch: nieuw zorgsignaal in groep 7A"
    assert mail["From"] == "peermatch@obs-test.nl"
    assert mail["Auto-Submitted"] == "auto-generated"
    body = _body(mail)
    assert "https://peermatch.obs-test.nl/signalen" in body
    raw = mail.as_string()
    for secret in ("gepest", "Daan", "Noor", "Jansen"):  # no worry text, no pupil name anywhere in the mail
        assert secret not in raw
    assert inbox.to("meester@obs-test.nl") == []  # another group's teacher is not told
    assert inbox.to("beheer@obs-test.nl") == []  # the beheerder reads no worries


def test_an_edit_that_raises_nothing_new_sends_nothing_and_a_help_request_does(
    factory: sessionmaker[Session], tutoring: Tutoring, smtp: tuple[Inbox, dict[str, str]]
) -> None:
    inbox, env = smtp
    db, noor, first = _noor_worries(factory, tutoring)
    assert notifications.announce_signal(db, noor, first, env=env, wait=True) == 2
    again = checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", worry_text=WORRY), today=TODAY)
    assert again.edited
    assert notifications.announce_signal(db, noor, again, env=env, wait=True) == 0  # the same worry: no second mail
    helped = checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", needs_help=True), today=TODAY)
    assert helped.raised == ("help",)
    assert notifications.announce_signal(db, noor, helped, env=env, wait=True) == 2
    subjects = sorted(str(m["Subject"]) for m in inbox.to("ib@obs-test.nl"))
    assert subjects == ["PeerMatch: een tutor vraagt om hulp (groep 7A)", "PeerMatch: nieuw zorgsignaal in groep 7A"]


def test_each_person_can_switch_the_mails_off_and_without_smtp_nothing_is_sent(
    factory: sessionmaker[Session], tutoring: Tutoring, smtp: tuple[Inbox, dict[str, str]]
) -> None:
    inbox, env = smtp
    _addresses(factory, tutoring)
    db = Database(factory)
    notifications.set_mail_prefs(db, tutoring.world.juf, "Juf.Bakker@OBS-Test.nl", signals=False, weekly=True)
    assert notifications.mail_prefs(db, tutoring.world.juf).email == "Juf.Bakker@obs-test.nl"
    noor = login_as(factory, tutoring.cards["Noor"])
    saved = checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", worry_text=WORRY), today=TODAY)
    assert notifications.announce_signal(db, noor, saved, env={}, wait=True) == 0  # no SMTP host configured
    assert inbox.mails == []
    assert notifications.announce_signal(db, noor, saved, env=env, wait=True) == 1
    assert [r for rcpt, _ in inbox.mails for r in rcpt] == ["ib@obs-test.nl"]
    with pytest.raises(InvalidInputError) as caught:
        notifications.set_mail_prefs(db, tutoring.world.ib, "ib at school", signals=True, weekly=True)
    assert "'ib at school' is geen e-mailadres" in caught.value.message("nl")


def test_the_weekly_summary_goes_to_the_ib_er_with_counts_only(
    factory: sessionmaker[Session], tutoring: Tutoring, smtp: tuple[Inbox, dict[str, str]]
) -> None:
    inbox, env = smtp
    db, _, _ = _noor_worries(factory, tutoring)

    assert notifications.send_weekly_summaries(db, today=TODAY, env=env) == 1

    (mail,) = inbox.to("ib@obs-test.nl")
    body = _body(mail)
    assert mail["Subject"] == "PeerMatch: de week van OBS Test"
    assert "lopende koppels: 3" in body
    assert "check-ins de afgelopen 7 dagen: 1" in body
    assert "zorgsignalen de afgelopen 7 dagen: 1" in body
    assert "koppels zonder check-in in 10 dagen: 2" in body
    assert "gepest" not in mail.as_string()
    notifications.set_mail_prefs(db, tutoring.world.ib, "ib@obs-test.nl", signals=True, weekly=False)
    assert notifications.send_weekly_summaries(db, today=TODAY, env=env) == 0


def test_an_unreachable_smtp_server_is_logged_and_the_check_in_stays(
    factory: sessionmaker[Session], tutoring: Tutoring, caplog: pytest.LogCaptureFixture
) -> None:
    db, noor, saved = _noor_worries(factory, tutoring)
    dead = {
        "PEERMATCH_SMTP_HOST": "127.0.0.1",
        "PEERMATCH_SMTP_PORT": str(_free_port()),
        "PEERMATCH_SMTP_STARTTLS": "0",
    }
    began = time.monotonic()
    assert notifications.announce_signal(db, noor, saved, env=dead, wait=True) == 0
    assert time.monotonic() - began < notifications.SMTP_TIMEOUT_S
    assert "could not send 2 mail(s)" in caplog.text
    assert WORRY not in caplog.text
    assert len(checkins.my_checkins(db, noor)) == 1


def test_a_tutees_message_to_the_juf_mails_the_same_people_once_with_only_a_link(
    factory: sessionmaker[Session], tutoring: Tutoring, smtp: tuple[Inbox, dict[str, str]]
) -> None:
    inbox, env = smtp
    _addresses(factory, tutoring)
    db = Database(factory)
    with unit_of_work(factory) as session:  # the tutees' login cards, made per group as on the Tutors page
        cards = {c.first_name: c for c in pupil_codes.generate_codes(session, tutoring.world.ib,
                                                                      tutoring.world.groups["5A"])}  # fmt: skip
    daan = login_as(factory, cards["Daan"])
    message = TuteeAnswers(tutoring.pairs["Noor"], 4, 4, 2, True, "Noor lacht me uit")

    saved = save_tutee_checkin(db, daan, message, today=TODAY)
    assert notifications.announce_tutee_message(db, daan, saved, env=env, wait=True) == 2

    assert sorted(r for rcpt, _ in inbox.mails for r in rcpt) == ["ib@obs-test.nl", "juf@obs-test.nl"]
    (mail,) = inbox.to("ib@obs-test.nl")
    assert mail["Subject"] == "PeerMatch: een tutee wil de juf iets vertellen (groep 7A)"
    assert "https://peermatch.obs-test.nl/signalen" in _body(mail)
    raw = mail.as_string()
    for secret in ("lacht", "Daan", "Noor", "Jansen"):  # neither the child's words nor a name
        assert secret not in raw
    again = save_tutee_checkin(db, daan, message, today=TODAY)  # the same message again that day: no second mail
    assert notifications.announce_tutee_message(db, daan, again, env=env, wait=True) == 0
    assert len(inbox.mails) == 2


def test_only_the_tutee_of_the_check_in_can_have_its_message_announced(
    factory: sessionmaker[Session], tutoring: Tutoring, smtp: tuple[Inbox, dict[str, str]]
) -> None:
    inbox, env = smtp
    db = Database(factory)
    with unit_of_work(factory) as session:
        cards = {c.first_name: c for c in pupil_codes.generate_codes(session, tutoring.world.ib,
                                                                      tutoring.world.groups["5A"])}  # fmt: skip
    daan = login_as(factory, cards["Daan"])
    saved = save_tutee_checkin(db, daan, TuteeAnswers(tutoring.pairs["Noor"], 4, 4, 4, True, "hoi"), today=TODAY)
    noor = login_as(factory, tutoring.cards["Noor"])  # the tutor of that pair, not its tutee

    with pytest.raises(PermissionDeniedError):
        notifications.announce_tutee_message(db, noor, saved, env=env, wait=True)
    assert inbox.mails == []
