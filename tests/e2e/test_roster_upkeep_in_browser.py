"""A teacher's roster upkeep in a real browser (issue 15, item 5): juf Fatima marks a tutor of 7A as leaving on
*Leerlingen* and then sees on *Paren* that the tutor's pair stopped with the reason "verhuisd / vertrokken".

Its own server on its own demo database with the published reading programme 7A -> 5A (the shared activity
server of the tutor's and IB'er's tests is left untouched)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import _first_session, _streamlit_server
from playwright.sync_api import Browser, Page, expect
from test_match_in_browser import TIMEOUT_MS, click_button, go_to, log_in, wait_for_app_run

from peermatch.storage.engine import make_engine

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def upkeep_app(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A server on the demo school with its published programme; yields (url, database url)."""
    from peermatch.demo import generate_school
    from peermatch.demo_school.seed import seed_demo

    folder: Path = tmp_path_factory.mktemp("upkeep_streamlit")
    database_url = f"sqlite:///{folder / 'peermatch.db'}"
    seed_demo(database_url, generate_school(200, 2026), tutor_activity=True)
    with _streamlit_server(folder) as url:  # the server seeds the same file again: that changes nothing
        _first_session(browser, url)
        yield url, database_url


def _first_pair_tutor(database_url: str) -> tuple[int, str]:
    """The tutor of the published run's first pair (the first row on Paren): id and name as the pages write it."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.text(
                    "SELECT p.id, p.first_name, p.prefix, p.last_name FROM pairs"
                    " JOIN matching_runs r ON r.id = pairs.run_id JOIN pupils p ON p.id = pairs.tutor_id"
                    " WHERE r.status = 'published' AND pairs.status = 'active' ORDER BY pairs.id LIMIT 1"
                )
            ).one()
    finally:
        engine.dispose()
    return int(row[0]), " ".join(str(part) for part in row[1:] if part)


def _choose(page: Page, key: str, option: str | re.Pattern[str], *, typed: str = "") -> None:
    """Pick an option of a selectbox; ``typed`` filters a long (virtualised) list first."""
    page.locator(f".st-key-{key}").get_by_role("combobox").click()
    if typed:
        page.keyboard.type(typed)
    page.get_by_role("option", name=option).first.click()
    wait_for_app_run(page)


def test_a_teacher_marks_a_pupil_as_leaving_and_sees_their_pair_ended(page: Page, upkeep_app: tuple[str, str]) -> None:
    url, database_url = upkeep_app
    _, name = _first_pair_tutor(database_url)
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in(page, url, "juf.fatima")

    go_to(page, "Paren")
    pairs = page.locator(".st-key-published_pairs").get_by_test_id("stDataFrame")
    expect(pairs.get_by_test_id("glide-cell-0-0")).to_have_text(f"{name} (7A)", timeout=TIMEOUT_MS)
    expect(pairs.get_by_test_id("glide-cell-4-0")).to_have_text("", timeout=TIMEOUT_MS)

    go_to(page, "Leerlingen")
    page.get_by_role("tab", name="Groepen en niveaus").click()
    wait_for_app_run(page)
    _choose(page, "group", re.compile(r"^7A "))
    _choose(page, "leave_pupil_0", name, typed=name)
    click_button(page, "Meld vertrek")
    success = page.get_by_test_id("stAlertContentSuccess")
    expect(success).to_contain_text(f"{name} vertrekt op", timeout=TIMEOUT_MS)
    expect(success).to_contain_text("1 koppel beëindigd")
    expect(page.get_by_role("button", name="Terugdraaien")).to_be_visible()

    go_to(page, "Paren")
    pairs = page.locator(".st-key-published_pairs").get_by_test_id("stDataFrame")
    expect(pairs.get_by_test_id("glide-cell-0-0")).to_have_text(f"{name} (7A)", timeout=TIMEOUT_MS)
    expect(pairs.get_by_test_id("glide-cell-2-0")).to_have_text("gestopt", timeout=TIMEOUT_MS)
    expect(pairs.get_by_test_id("glide-cell-4-0")).to_have_text("verhuisd / vertrokken", timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)
