"""A tutor in a real browser (Debian's chromium): log in with the codes of a demo login card, pass a module
quiz, submit a check-in. Set PEERMATCH_SCREENSHOTS=1 to also save docs/screenshots/tutor_home.png and
docs/screenshots/module.png.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_match_in_browser import TIMEOUT_MS, go_to, open_app, take_full_screenshot, wait_for_app_run

from peermatch.demo_school.activity import DEMO_LOGINS
from peermatch.demo_school.seed import DEMO_CLASS_CODE, DemoPupilLogin, demo_pupil_logins
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.training import load_modules

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def tutor_app(activity_app: tuple[str, str]) -> tuple[str, str, str]:
    """The server on the demo school with tutor activity (conftest's ``activity_app``), and a fresh tutor's code."""
    url, database_url = activity_app
    login = demo_login(database_url, 0)  # the tutor without any training yet
    return url, login.personal_code, login.first_name


def _screenshot(page: Page, name: str) -> None:
    if os.environ.get("PEERMATCH_SCREENSHOTS") != "1":
        return
    size = page.viewport_size or {"width": 1400, "height": 1000}
    take_full_screenshot(page, SCREENSHOTS / f"{name}.png")
    page.set_viewport_size(size)
    wait_for_app_run(page)


def demo_login(database_url: str, index: int) -> DemoPupilLogin:
    """The demo school's ``index``-th pupil login card (0: the tutor without any training yet)."""
    engine = make_engine(database_url)
    try:
        with unit_of_work(session_factory(engine), read_only=True) as s:
            return demo_pupil_logins(s)[index]
    finally:
        engine.dispose()


def write_worry(page: Page, worry: str) -> None:
    """On the check-in page: tick "Ik maak me zorgen", write the worry, save the tutor's part."""
    page.locator(".st-key-ci_worry_0 label").click()
    page.locator(".st-key-ci_worry_text_0 textarea").fill(worry)
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    wait_for_app_run(page)


DEMO_NUMBERS = {code: number for number, (code, _) in enumerate(DEMO_LOGINS, start=1)}  # the numbers on the cards


def pupil_log_in(
    page: Page, url: str, code: str, *, class_code: str = DEMO_CLASS_CODE, number: int | None = None
) -> None:
    """Log in on the pupils' page with a class code (the demo's by default), the card's number (a demo tutor's by
    default) and a personal code, as a child types them."""
    open_app(page, url)
    go_to(page, "Inloggen voor leerlingen")
    typed = (("pupil_class_code", class_code.lower()), ("pupil_number", str(number or DEMO_NUMBERS[code])),
             ("pupil_personal_code", code))  # fmt: skip
    for key, value in typed:
        page.locator(f".st-key-{key} input").fill(value)
        page.locator(f".st-key-{key} input").press("Tab")
        wait_for_app_run(page)
    page.locator(".st-key-pupil_login_submit button").click()
    wait_for_app_run(page)


def test_a_pupil_logs_in_with_a_card_passes_a_quiz_and_checks_in(page: Page, tutor_app: tuple[str, str, str]) -> None:
    url, code, first_name = tutor_app
    page.set_viewport_size({"width": 1280, "height": 900})
    pupil_log_in(page, url, code)
    hello = page.get_by_role("heading", name=f"Hoi {first_name}!", exact=True, level=1)
    expect(hello).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Mijn maatje").first).to_be_visible()
    expect(page.get_by_test_id("stSidebarNavLink")).to_have_count(3)  # only the tutor's pages
    _screenshot(page, "tutor_home")

    module = load_modules("nl").modules[0]
    go_to(page, "Training")
    page.locator(f".st-key-open_{module.id} button").click()
    wait_for_app_run(page)
    expect(page.get_by_role("heading", name=module.title, level=1)).to_be_visible(timeout=TIMEOUT_MS)
    _screenshot(page, "module")
    for box in page.locator(f"[class*='st-key-q_{module.id}_']").all():  # 3 of the pool, choices shuffled
        key = next(c for c in (box.get_attribute("class") or "").split() if c.startswith(f"st-key-q_{module.id}_"))
        question = module.question(key.rsplit("_", 1)[-1])
        assert question is not None, key
        box.get_by_text(question.correct_choice.text, exact=True).click()
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    wait_for_app_run(page)
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="Gehaald!")).to_be_visible(timeout=TIMEOUT_MS)

    go_to(page, "Check-in")
    page.locator(".st-key-ci_activity_0 input").fill("Boek: De Gorgels, blz. 20-23")
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    wait_for_app_run(page)
    expect(page.get_by_text("Geef het apparaat aan")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_the_tutor_hands_over_the_phone_and_the_worry_is_not_on_it(page: Page, activity_app: tuple[str, str]) -> None:
    """A tutor on the class's shared device writes a worry and saves; the hand-over screen names the tutee
    and the worry is nowhere in the page (not even hidden); the tutee taps two faces; one check-in holds both."""
    url, database_url = activity_app
    login = demo_login(database_url, 1)
    worry = "Ze zegt dat ze thuis vaak alleen is"
    page.set_viewport_size({"width": 1280, "height": 900})
    pupil_log_in(page, url, login.personal_code)
    go_to(page, "Check-in")
    write_worry(page, worry)

    expect(page.get_by_text("Geef het apparaat aan")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("textarea")).to_have_count(0)  # waits until the form's stale elements are gone
    assert worry not in page.content()  # not on the screen, not in the DOM
    assert "thuis vaak alleen" not in page.content()
    page.locator('[class*="st-key-tutee_tutee_fun_"]').get_by_text("😄").click()
    page.locator('[class*="st-key-tutee_tutee_learned_"]').get_by_text("🙂").click()
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    wait_for_app_run(page)
    expect(page.get_by_text("Geef het apparaat terug")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT worry, worry_text, tutee_fun, tutee_learned FROM checkins WHERE worry_text LIKE ?",
                (f"%{worry}%",),
            ).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [(1, worry, 5, 4)]


def test_a_module_opened_far_down_the_list_starts_at_its_title(page: Page, tutor_app: tuple[str, str, str]) -> None:
    url, code, _ = tutor_app
    page.set_viewport_size({"width": 1280, "height": 600})  # a small laptop: the list is many screens long
    pupil_log_in(page, url, code)
    go_to(page, "Training")
    buttons = page.locator("[class*='st-key-open_'] button")
    expect(buttons.first).to_be_visible(timeout=TIMEOUT_MS)
    key = buttons.last.locator("xpath=ancestor::*[contains(@class, 'st-key-open_')][1]").get_attribute("class") or ""
    [last] = [m for m in load_modules("nl").modules if f"st-key-open_{m.id}" in key.split()]  # the list's last
    button = buttons.last
    button.scroll_into_view_if_needed()
    main = page.get_by_test_id("stMain")
    assert main.evaluate("el => el.scrollTop") + page.evaluate("window.scrollY") > 500  # far down the list
    button.click()
    wait_for_app_run(page)
    title = page.get_by_role("heading", name=last.title, level=1)
    expect(title).to_be_visible(timeout=TIMEOUT_MS)
    expect(title).to_be_in_viewport()
    assert main.evaluate("el => el.scrollTop") == 0
    page.locator(".st-key-training_back button").click()
    wait_for_app_run(page)
    expect(page.get_by_role("heading", name="Training", level=1)).to_be_in_viewport(timeout=TIMEOUT_MS)
