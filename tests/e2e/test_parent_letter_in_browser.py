"""A parent letter in the family's language in a real browser (Debian's chromium), on the demo school with tutor
activity: on Resultaten the IB'er picks Arabic for the first pupil's family, the choice is saved, and the download
(the deferred builder that AppTest cannot run) is a one-page PDF in Arabic with the DejaVu font embedded; the
screen stays Dutch.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from test_match_in_browser import TIMEOUT_MS, go_to, log_in, wait_for_app_run

pytestmark = pytest.mark.e2e


def test_the_ib_picks_arabic_for_a_family_and_downloads_the_letter(page: Page, activity_app: tuple[str, str]) -> None:
    url, _ = activity_app
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in(page, url, "ib")
    go_to(page, "Resultaten")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Brief voor ouders")).to_be_visible(timeout=TIMEOUT_MS)
    language = main.locator("[class*='st-key-letter_language_']")
    expect(language.get_by_role("combobox")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_app_run(page)  # a rerun still drawing the page closes a list opened meanwhile
    arabic = page.get_by_role("option", name="Arabisch — العربية", exact=True)
    for _ in range(3):  # open the list until the option shows (a late rerun may close it once)
        language.get_by_role("combobox").click()
        try:
            arabic.wait_for(state="visible", timeout=5_000)
            break
        except PlaywrightTimeoutError:
            wait_for_app_run(page)
    arabic.click()
    wait_for_app_run(page)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text(
        "Opgeslagen: de brief voor dit gezin komt voortaan in het Arabisch.", timeout=TIMEOUT_MS
    )
    expect(page.get_by_test_id("stException")).to_have_count(0)
    button = main.get_by_test_id("stDownloadButton").filter(has_text="Brief downloaden (PDF)").locator("button")
    with page.expect_download(timeout=TIMEOUT_MS) as letter:
        button.click()
    assert letter.value.failure() is None
    assert letter.value.suggested_filename.endswith("-ar.pdf")
    pdf = Path(letter.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert b"/Lang (ar)" in pdf
    assert re.search(rb"/BaseFont /MPDFAA\+DejaVuSans", pdf)
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1
    expect(main.get_by_role("heading", name="Brief voor ouders")).to_be_visible()  # the screen stays Dutch
