"""A tutee in a real browser (Debian's chromium): logs in with a card of their own, taps three faces and tells
the juf something, privately; then their tutor's check-in with taps only, timed: under 30 seconds of the test's
own clicks, and no hand-over (the tutee answered on their own login). Helpers of test_tutor_in_browser.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_match_in_browser import TIMEOUT_MS, go_to, wait_for_app_run
from test_tutor_in_browser import demo_login, pupil_log_in

from peermatch.storage.engine import make_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))
from tutee_login import give_tutee_a_login  # the same card helper as the AppTest

pytestmark = pytest.mark.e2e

SECRET = "Mijn maatje lacht me uit als ik het fout doe"


def _row(database_url: str, pair_id: int) -> tuple[object, ...]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            found = connection.exec_driver_sql(
                "SELECT tutor_checked_in, tutee_fun, tutee_learned, tutee_together, tutee_says, tutee_says_text, "
                "tutor_together FROM checkins WHERE pair_id = ? ORDER BY session_date DESC LIMIT 1",
                (pair_id,),
            ).first()
    finally:
        engine.dispose()
    assert found is not None
    return tuple(found)


def test_a_tutee_answers_privately_and_the_tutors_tap_only_check_in_takes_under_30_seconds(
    page: Page, activity_app: tuple[str, str]
) -> None:
    url, database_url = activity_app
    tutee = give_tutee_a_login(database_url, 2)  # the tutee of the third demo tutor only: the others keep hand-over
    page.set_viewport_size({"width": 1280, "height": 900})
    pupil_log_in(page, url, tutee.personal_code, class_code=tutee.class_code, number=tutee.number)
    expect(page.get_by_role("heading", name=f"Hoi {tutee.tutee_first_name}!", level=1)).to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(page.get_by_text(f"Jouw maatje is {tutee.tutor_first_name}.")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNavLink")).to_have_count(3)  # only the tutee's pages

    go_to(page, "Na het maatjes-moment")
    expect(page.get_by_role("heading", name="🤝 Ik vond het fijn met mijn maatje")).to_be_visible()
    expect(page.locator("iframe")).to_have_count(4)  # a "Lees voor" button per question and for the message
    page.locator(".st-key-tutee_fun_0").get_by_text("😄").click()
    page.locator(".st-key-tutee_learned_0").get_by_text("🙂").click()
    page.locator(".st-key-tutee_together_0").get_by_text("😄").click()
    page.locator(".st-key-tutee_tell_0 label").click()
    page.locator(".st-key-tutee_tell_text_0 input").fill(SECRET)
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    wait_for_app_run(page)
    expect(page.get_by_text("Je juf of meester weet nu dat je iets wilt vertellen")).to_be_visible(timeout=TIMEOUT_MS)
    assert SECRET not in page.content()
    assert _row(database_url, tutee.pair_id)[:6] == (0, 5, 4, 5, 1, SECRET)

    page.locator(".st-key-pupil_logout button").click()
    wait_for_app_run(page)
    tutor = demo_login(database_url, 2)
    pupil_log_in(page, url, tutor.personal_code)
    go_to(page, "Check-in")
    assert SECRET not in page.content()  # nothing of the tutee's answers on the tutor's screen
    started = time.monotonic()  # the tutor's own taps: how it went, how it went together, save
    page.locator(".st-key-ci_mood_0").get_by_text("🙂").click()
    page.locator(".st-key-ci_together_0").get_by_text("😄").click()
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    wait_for_app_run(page)
    expect(page.get_by_text(f"{tutee.tutee_first_name} beantwoordt de vragen zelf")).to_be_visible(timeout=TIMEOUT_MS)
    elapsed = time.monotonic() - started
    assert elapsed < 30, f"the tap-only check-in took {elapsed:.1f} s"
    expect(page.get_by_text("Geef het apparaat aan")).to_have_count(0)
    assert SECRET not in page.content()
    assert _row(database_url, tutee.pair_id) == (1, 5, 4, 5, 1, SECRET, 5)
