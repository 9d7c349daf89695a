"""The IB'er's Monday morning in a real browser (Debian's chromium), on the demo school with tutor activity:
worry signals first on Overzicht, triage one in Signalen (in behandeling with a note, then afgehandeld) and see
that state on Overzicht and Paren volgen too, follow that pair's check-ins, then the charts and downloads on
Resultaten (a second quick click on a download gets the file too). Set PEERMATCH_SCREENSHOTS=1 to also save
docs/screenshots/overzicht.png and docs/screenshots/resultaten.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from test_match_in_browser import PASSWORDS, TIMEOUT_MS, go_to, log_in, metric_value, screenshot, wait_for_app_run

pytestmark = pytest.mark.e2e

WORRY_TEXTS = re.compile("thuis niet mag lezen|uitlachen op het plein")  # the seeded check-ins' worry texts


def _save_triage(page: Page, alert: Locator, alert_id: str, state: str, note: str) -> None:
    """Fill the open alert's triage form: the note, the next state, Opslaan."""
    alert.locator(f".st-key-note_{alert_id} textarea").fill(note)
    alert.locator(f".st-key-to_{alert_id}").get_by_text(state, exact=True).click()
    alert.get_by_role("button", name="Opslaan", exact=True).click()
    wait_for_app_run(page)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text(f"Opgeslagen: {state}.", timeout=TIMEOUT_MS)


def test_ib_triages_a_worry_follows_the_pair_and_sees_the_results(page: Page, activity_app: tuple[str, str]) -> None:
    url, _ = activity_app
    assert PASSWORDS["ib"] == "demo-ib-maasbrug"
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in(page, url, "ib")

    # Overzicht: the new worry signals come first, each with the tutor's words.
    go_to(page, "Overzicht")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Overzicht", level=1)).to_be_visible()
    first_section = main.get_by_role("heading", level=3).first
    expect(first_section).to_have_text(re.compile(r"^Open zorgsignalen \([1-9]\d*\)$"), timeout=TIMEOUT_MS)
    expect(main.get_by_test_id("stAlertContentError").filter(has_text=WORRY_TEXTS).first).to_be_visible()
    expect(main.get_by_test_id("stMetric")).to_have_count(4)  # counts by health
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "overzicht")

    # Signalen: the new worries are open; take one with the check-in text.
    go_to(page, "Signalen")
    worry = page.get_by_test_id("stExpander").filter(has_text="Zorgsignaal").filter(has_text=WORRY_TEXTS).first
    expect(worry.get_by_text(re.compile("^Uit de check-in: “"))).to_be_visible(timeout=TIMEOUT_MS)
    summary = (worry.locator("summary").text_content() or "").strip()
    assert "🆕" in summary, summary
    pair = summary.rsplit(" — ", 1)[1]
    note_key = worry.locator("[class*='st-key-note_']").first.get_attribute("class") or ""
    alert_id = re.search(r"st-key-note_([0-9a-f]{16})", note_key)
    assert alert_id, note_key
    key = alert_id[1]

    _save_triage(page, worry, key, "In behandeling", "Gesprek met de tutor en de juf van 5A gepland.")
    alert = page.get_by_test_id("stExpander").filter(has=page.locator(f".st-key-note_{key}"))
    expect(alert.locator("summary")).to_contain_text("⏳")  # no longer new: closed, with its new state
    alert.locator("summary").click()
    expect(alert.get_by_text("Stand: In behandeling", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    expect(alert.get_by_text(re.compile(r"· Intern begeleider \(demo\): In behandeling — Gesprek met"))).to_be_visible()

    # The same state on Overzicht: still an open worry, now "In behandeling", not sunk below other alerts.
    go_to(page, "Overzicht")
    open_worries = main.get_by_test_id("stAlertContentError")
    expect(open_worries.filter(has_text="In behandeling · ").filter(has_text=pair).first).to_be_visible(
        timeout=TIMEOUT_MS
    )
    opened = main.get_by_role("heading", level=3).first.text_content() or ""
    count_open = int(re.findall(r"\d+", opened)[0])
    go_to(page, "Signalen")
    alert = page.get_by_test_id("stExpander").filter(has=page.locator(f".st-key-note_{key}"))
    alert.locator("summary").click()

    _save_triage(page, alert, key, "Afgehandeld", "Ouders gebeld; de juf houdt het in de gaten.")
    expect(alert).to_have_count(0)  # done: out of the inbox
    page.get_by_test_id("stCheckbox").filter(has_text="Ook afgehandelde signalen tonen").locator("label").click()
    wait_for_app_run(page)
    expect(alert.locator("summary")).to_contain_text("✅", timeout=TIMEOUT_MS)

    # Overzicht: one open worry fewer; the handled one is listed as afgehandeld, not as open.
    go_to(page, "Overzicht")
    heading = main.get_by_role("heading", level=3).first
    expect(heading).to_have_text(re.compile(rf"^(Open zorgsignalen \({count_open - 1}\)|Geen open zorgsignalen\.)$"),
                                 timeout=TIMEOUT_MS)  # fmt: skip
    expect(open_worries.filter(has_text=pair).filter(has_text="Afgehandeld")).to_have_count(0)
    handled = main.get_by_test_id("stExpander").filter(has_text="Afgehandelde zorgsignalen")
    handled.locator("summary").click()
    expect(handled.get_by_text(re.compile(rf"Afgehandeld · .* — {re.escape(pair)}$")).first).to_be_visible(
        timeout=TIMEOUT_MS
    )

    # Paren volgen: the pair's signal says afgehandeld; the timeline shows its check-ins and the two triage steps.
    go_to(page, "Paren volgen")
    page.locator(".st-key-follow_pair").get_by_role("combobox").click()
    page.locator(".st-key-follow_pair input").fill(pair)  # the list is long: type to find the pair
    page.get_by_role("option", name=pair, exact=True).click()
    wait_for_app_run(page)
    signals = page.locator(".st-key-follow_signals")
    expect(signals.get_by_text(re.compile("^✅ Afgehandeld · Zorgsignaal")).first).to_be_visible(timeout=TIMEOUT_MS)
    held = metric_value(page, "Sessies gehouden / gepland")
    expect(held).to_have_text(re.compile(r"^[1-9]\d* / \d+$"), timeout=TIMEOUT_MS)
    timeline = main.get_by_test_id("stDataFrame").first
    expect(timeline).to_be_visible()
    expect(timeline.get_by_text("Sessie", exact=True).first).to_be_attached(timeout=TIMEOUT_MS)
    expect(timeline.get_by_text("Signaal", exact=True)).to_have_count(2)
    expect(timeline.get_by_text(WORRY_TEXTS).first).to_be_attached()  # the check-in's own words

    # Resultaten: four charts drawn (growth, dosage, fun, and the before/after scale), and the downloads for the
    # team and the municipality.
    go_to(page, "Resultaten")
    expect(main.get_by_role("heading", name="Zelfvertrouwen en plezier, voor en na")).to_be_visible(timeout=TIMEOUT_MS)
    charts = main.get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(4, timeout=TIMEOUT_MS)
    for index in range(4):
        expect(charts.nth(index).locator("canvas, svg").first).to_be_visible(timeout=TIMEOUT_MS)
    for label in ("Koppels (CSV)", "Koppels, sessies en resultaten (Excel)", "Programmarapport (PDF)",
                  "Brief downloaden (PDF)", "Brieven voor alle tutees (PDF, één per bladzijde)"):  # fmt: skip
        expect(main.get_by_test_id("stDownloadButton").filter(has_text=label)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    csv_button = main.get_by_test_id("stDownloadButton").filter(has_text="Koppels (CSV)").locator("button")
    with page.expect_download(timeout=TIMEOUT_MS) as first:
        csv_button.click()
    with page.expect_download(timeout=TIMEOUT_MS) as second:
        csv_button.click()  # at once, before any rerun could have replaced the button's file
    for download in (first.value, second.value):
        assert download.failure() is None
        assert Path(download.path()).read_bytes().startswith(b"\xef\xbb\xbf")  # the CSV, UTF-8 with its BOM
    screenshot(page, "resultaten")
