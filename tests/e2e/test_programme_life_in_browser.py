"""A programme's life after publishing, in a real browser (Debian's chromium), on a server of its own (the demo
school with a published reading programme 7A -> 5A and three weeks of check-ins) with a real local SMTP server
(aiosmtpd) behind it (issue 15, item 8):

- juf Fatima ends a pair ("verhuisd"), re-runs "Maak koppels" and publishes: the ended pair stays ended, every
  running pair keeps running under its own id, and the ended combination is not made again;
- she cancels the next moment on the programme page (schoolreisje): it is listed, the teachers' .ics leaves it out,
  and she undoes it;
- a tutor writes a worry in the check-in: juf Fatima gets a mail with the group and a link, never the worry.
"""

from __future__ import annotations

import email
import socket
import time
from collections.abc import Iterator
from datetime import date
from email.message import Message
from pathlib import Path
from typing import NamedTuple

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from conftest import _first_session, _streamlit_server
from playwright.sync_api import Browser, Page, expect
from test_match_in_browser import PASSWORDS, TIMEOUT_MS, go_to, log_in, wait_for_app_run
from test_tutor_in_browser import demo_login, pupil_log_in, write_worry

from peermatch.demo import generate_school
from peermatch.demo_school.seed import seed_demo
from peermatch.services import Database
from peermatch.services.calendar import programme_calendar
from peermatch.services.login import authenticate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.enums import PairStatus
from peermatch.storage.models import PairRow, User

pytestmark = pytest.mark.e2e

FATIMA_MAIL = "fatima@obs-demo.nl"


class Inbox:
    """What the SMTP server received, parsed."""

    def __init__(self) -> None:
        self.mails: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:  # noqa: N802
        assert isinstance(envelope.content, bytes)
        self.mails.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


class LifeServer(NamedTuple):
    url: str
    database_url: str
    inbox: Inbox


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def life(_require_chromium: None, browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LifeServer]:
    folder = tmp_path_factory.mktemp("life_streamlit")
    database_url = f"sqlite:///{folder / 'peermatch.db'}"
    seed_demo(database_url, generate_school(200, 2026), tutor_activity=True)
    engine = make_engine(database_url)
    try:
        with unit_of_work(session_factory(engine)) as s:
            s.execute(sa.update(User).where(User.username == "juf.fatima").values(email=FATIMA_MAIL))
    finally:
        engine.dispose()
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {"PEERMATCH_SMTP_HOST": "127.0.0.1", "PEERMATCH_SMTP_PORT": str(port), "PEERMATCH_SMTP_STARTTLS": "0",
           "PEERMATCH_SMTP_FROM": "peermatch@obs-demo.nl",
           "PEERMATCH_PUBLIC_URL": "https://peermatch.obs-demo.nl/"}  # fmt: skip
    try:
        with _streamlit_server(folder, database_url=database_url, env=env) as url:
            _first_session(browser, url)
            yield LifeServer(url, database_url, inbox)
    finally:
        controller.stop()


def _pairs(database_url: str) -> dict[int, tuple[int, int, PairStatus, str | None]]:
    """Every pair of a published run: id -> (tutor, tutee, status, end reason)."""
    engine = make_engine(database_url)
    try:
        with unit_of_work(session_factory(engine), read_only=True) as s:
            rows = s.execute(sa.select(PairRow.id, PairRow.tutor_id, PairRow.tutee_id, PairRow.status,
                                       PairRow.end_reason)).all()  # fmt: skip
    finally:
        engine.dispose()
    return {r.id: (r.tutor_id, r.tutee_id, r.status, r.end_reason) for r in rows}


def test_the_teacher_ends_a_pair_re_runs_and_publishes_and_the_ending_stays(page: Page, life: LifeServer) -> None:
    before = _pairs(life.database_url)
    running = {k for k, v in before.items() if v[2] is PairStatus.ACTIVE}
    assert len(running) >= 3
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in(page, life.url, "juf.fatima")
    go_to(page, "Paren")
    page.locator(".st-key-end_reason input").fill("verhuisd")
    page.locator(".st-key-end_reason input").press("Tab")
    wait_for_app_run(page)
    page.locator(".st-key-end_pair button").click()
    wait_for_app_run(page)
    expect(page.get_by_text("is gestopt.")).to_be_visible(timeout=TIMEOUT_MS)
    [ended] = [k for k, v in _pairs(life.database_url).items() if v[2] is PairStatus.ENDED and v[3] == "verhuisd"]

    go_to(page, "Koppelen")
    page.locator(".st-key-run_match button").click()
    wait_for_app_run(page)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=TIMEOUT_MS)
    page.locator(".st-key-publish button").click()
    wait_for_app_run(page)
    expect(page.get_by_text("De koppels zijn gepubliceerd.")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)

    after = _pairs(life.database_url)
    assert after[ended][2] is PairStatus.ENDED  # still ended, with its reason
    assert after[ended][3] == "verhuisd"
    still = {k for k, v in after.items() if v[2] is PairStatus.ACTIVE}
    assert running - {ended} <= still  # every running pair runs on under its own id
    combos = [(v[0], v[1]) for v in after.values() if v[2] is PairStatus.ACTIVE]
    assert (before[ended][0], before[ended][1]) not in combos  # the ended combination is not made again
    tutees = [tutee for _, tutee in combos]
    assert len(tutees) == len(set(tutees))  # no tutee has two pairs


def test_the_teacher_cancels_the_next_moment_sees_it_in_the_ics_and_undoes_it(page: Page, life: LifeServer) -> None:
    engine = make_engine(life.database_url)
    try:
        db = Database(session_factory(engine))
        fatima = authenticate(db, "juf.fatima", PASSWORDS["juf.fatima"])
        assert fatima is not None
        with unit_of_work(session_factory(engine), read_only=True) as s:
            row = s.execute(sa.text("SELECT id, name FROM programmes ORDER BY id")).first()
        assert row is not None
        programme_id, name = row
        assert isinstance(programme_id, int)
        assert isinstance(name, str)
        upcoming = programme_calendar(db, fatima, programme_id).upcoming(date.today())
    finally:
        engine.dispose()
    assert upcoming, "the demo programme has no moment left to cancel"
    day = next((d for d in upcoming if d > date.today()), upcoming[-1])
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in(page, life.url, "juf.fatima")
    go_to(page, "Tutorprogramma's")
    page.locator(".st-key-programme_choice").get_by_role("combobox").click()
    page.get_by_role("option", name=name, exact=True).click()
    wait_for_app_run(page)
    # Streamlit 1.67 draws the date picker over a native <input type="date">: its value is the ISO date
    page.locator(".st-key-cal_other_day input[type='date']").fill(day.isoformat())
    wait_for_app_run(page)
    page.locator(".st-key-cal_other_reason input").fill("schoolreisje")
    page.locator(".st-key-cal_other_submit button").click()
    wait_for_app_run(page)
    undo = page.locator(f".st-key-cal_undo_{day.isoformat()} button")
    expect(undo).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("schoolreisje").first).to_be_visible()
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.locator(".st-key-cal_ics").get_by_role("button", name="Agenda-bestand (.ics)").click()
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VCALENDAR" in ics
    assert "EXDATE" in ics
    assert day.strftime("%Y%m%d") in ics.split("EXDATE", 1)[1]

    undo.click()
    wait_for_app_run(page)
    expect(undo).to_have_count(0, timeout=TIMEOUT_MS)


def test_a_worry_in_the_check_in_mails_the_teacher_a_link_and_never_the_worry(page: Page, life: LifeServer) -> None:
    login = demo_login(life.database_url, 2)
    worry = "Hij zegt dat niemand met hem speelt"
    page.set_viewport_size({"width": 1280, "height": 900})
    pupil_log_in(page, life.url, login.personal_code)
    go_to(page, "Check-in")
    write_worry(page, worry)
    expect(page.get_by_text("Geef het apparaat aan")).to_be_visible(timeout=TIMEOUT_MS)

    deadline = time.monotonic() + 20
    while not any(FATIMA_MAIL in rcpt for rcpt, _ in life.inbox.mails) and time.monotonic() < deadline:
        time.sleep(0.2)
    mails = [m for rcpt, m in life.inbox.mails if FATIMA_MAIL in rcpt]
    assert len(mails) == 1
    body = mails[0].get_payload(decode=True)
    assert isinstance(body, bytes)
    text = body.decode(mails[0].get_content_charset() or "utf-8")
    assert "https://peermatch.obs-demo.nl/" in text
    assert worry not in text
    assert "niemand" not in text
    assert login.first_name not in text
    assert login.first_name not in str(mails[0]["Subject"])
