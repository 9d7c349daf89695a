"""A quiz that cannot be passed without reading, in a real browser (Debian's chromium): a tutor who always
picks the longest answer fails each rewritten module (01-04), and the failed try shows why the chosen
answers are wrong without naming the right ones. Uses the demo school with tutor activity (conftest)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from test_match_in_browser import TIMEOUT_MS, go_to, wait_for_app_run
from test_tutor_in_browser import demo_login, pupil_log_in

from peermatch.training import Module, Question, load_modules

pytestmark = pytest.mark.e2e

REWRITTEN = load_modules("nl").modules[:4]  # 01-04: the longest choice is right in at most 2 of 9 questions


def asked_on_page(page: Page, module: Module) -> list[tuple[Question, str]]:
    """The questions of the paper on the page and their radio group's key class (st-key-q_<module>_<try>_<id>)."""
    prefix = f"st-key-q_{module.id}_"
    expect(page.locator(f"[class*='{prefix}']").first).to_be_visible(timeout=TIMEOUT_MS)  # the paper is drawn
    found = []
    for box in page.locator(f"[class*='{prefix}']").all():
        key = next(c for c in (box.get_attribute("class") or "").split() if c.startswith(prefix))
        question = module.question(key.rsplit("_", 1)[-1])
        assert question is not None, key
        found.append((question, key))
    return found


def _longest(question: Question) -> str:
    return max(question.choices, key=lambda c: len(c.text)).text


def test_a_tutor_who_always_picks_the_longest_answer_fails_every_rewritten_module(
    page: Page, activity_app: tuple[str, str]
) -> None:
    url, database_url = activity_app
    login = demo_login(database_url, 2)
    page.set_viewport_size({"width": 1280, "height": 900})
    pupil_log_in(page, url, login.personal_code)
    go_to(page, "Training")
    for module in REWRITTEN:
        page.locator(f".st-key-open_{module.id} button").click()
        wait_for_app_run(page)
        expect(page.get_by_role("heading", name=module.title, level=1)).to_be_visible(timeout=TIMEOUT_MS)
        on_page = asked_on_page(page, module)
        assert len(on_page) == 3, module.id
        for question, key in on_page:
            page.locator(f".{key}").get_by_text(_longest(question), exact=True).click()
        asked = [question for question, _ in on_page]
        page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
        wait_for_app_run(page)

        expect(page.get_by_text("Lees de uitleg en probeer het nog een keer")).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="Gehaald!")).to_have_count(0)
        text = page.get_by_test_id("stMain").inner_text()
        for question in asked:
            if _longest(question) != question.correct_choice.text:
                assert question.correct_choice.text not in text, (module.id, question.id)  # not given away
        expect(page.get_by_test_id("stException")).to_have_count(0)
        page.locator(".st-key-training_back button").click()
        wait_for_app_run(page)
