"""Names and free text never become links or formatting in a real browser (issue 11, item 8): a worry text
with a bare address, an e-mail, a www-name or markdown goes through ui.text.plain and stays text, while
Streamlit's markdown would otherwise make each of them a live link."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import _streamlit_server
from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e


def test_untrusted_text_is_shown_as_typed_and_never_linked(browser: Browser, tmp_path: Path) -> None:
    with _streamlit_server(tmp_path, "tests/e2e/text_page.py") as url:
        page = browser.new_page()
        try:
            page.goto(url, timeout=30_000)
            page.get_by_text("Control:").wait_for(timeout=30_000)
            links = page.eval_on_selector_all("[data-testid='stMarkdownContainer'] a", "els => els.map(e => e.href)")
            shown = page.eval_on_selector_all("[data-testid='stMarkdownContainer']", "els => els.map(e => e.innerText)")
            bold = page.eval_on_selector_all("[data-testid='stMarkdownContainer'] strong", "els => els.length")
        finally:
            page.close()
    assert links == ["https://control.example/"]
    assert bold == 0
    visible = [text.replace("\u2060", "") for text in shown]
    assert "Log opnieuw in op http://evil.example/login" in visible
    assert "Mail juf@evil.example" in visible
    assert "**vet** [klik](https://evil.example/x) $x$" in visible
