"""Several app servers, one PostgreSQL (issue 14, part 4): two `streamlit run app.py` processes share one
PostgreSQL database (as `deploy/` runs them behind nginx with sticky sessions). A worry a tutor writes through
the first process is a signal on the IB'er's Signalen page in the second: nothing the other needs lives in one
process's memory.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import NamedTuple

import pytest
from conftest import ROOT, _first_session, _streamlit_server
from playwright.sync_api import Browser, Page, expect
from test_match_in_browser import TIMEOUT_MS, go_to, log_in
from test_tutor_in_browser import demo_login, pupil_log_in, write_worry

from peermatch.demo import generate_school
from peermatch.demo_school.seed import seed_demo

sys.path.insert(0, str(ROOT / "tests" / "unit"))
import pg  # the throwaway PostgreSQL server of the storage tests

pytestmark = pytest.mark.e2e


class TwoServers(NamedTuple):
    first: str
    second: str
    database_url: str


@pytest.fixture(scope="module")
def servers(
    _require_chromium: None, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TwoServers]:
    server = pg.require_server()
    name, database_url = server.create_database()
    try:
        seed_demo(database_url, generate_school(200, 2026), tutor_activity=True)
        folder = tmp_path_factory.mktemp("two_servers")
        with (
            _streamlit_server(folder, database_url=database_url) as first,
            _streamlit_server(folder, database_url=database_url) as second,
        ):
            _first_session(browser, first)
            _first_session(browser, second)
            yield TwoServers(first, second, database_url)
    finally:
        server.drop_database(name)


def test_a_worry_written_through_one_server_is_a_signal_through_the_other(
    browser: Browser, servers: TwoServers
) -> None:
    assert servers.first != servers.second
    login = demo_login(servers.database_url, 1)  # the ready tutor, with a running pair
    worry = "Zij durft niet meer hardop te lezen in de klas"
    pupil = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        pupil_log_in(pupil, servers.first, login.personal_code)
        go_to(pupil, "Check-in")
        write_worry(pupil, worry)
        expect(pupil.get_by_text("Geef het apparaat aan")).to_be_visible(timeout=TIMEOUT_MS)
    finally:
        pupil.close()
    ib: Page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        log_in(ib, servers.second, "ib")
        go_to(ib, "Signalen")
        expect(ib.get_by_text(worry).first).to_be_visible(timeout=TIMEOUT_MS)
    finally:
        ib.close()
