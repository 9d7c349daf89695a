"""The teacher's main path in a real browser: open the app, upload the demo roster, press "Maak koppels", read pairs.

Waiting follows Streamlit's own e2e helpers (``wait_for_app_run``): connected, script not running, no skeletons.
Set PEERMATCH_SCREENSHOTS=1 to also save full-page screenshots of the main pages to docs/screenshots/ (start,
programmas, koppelen, paren, proefkoppeling).
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from peermatch.demo_school.seed import demo_accounts

ROOT = Path(__file__).resolve().parents[2]
DEMO_CSV = ROOT / "data" / "demo_school.csv"
SCREENSHOTS = ROOT / "docs" / "screenshots"
TIMEOUT_MS = 20_000
PASSWORDS = {a.username: a.password for a in demo_accounts()}

pytestmark = pytest.mark.e2e


def wait_for_app_run(page: Page, *, initial_wait_ms: int = 250) -> None:
    """Until the app is idle: connected, the script finished, no loading skeletons (Streamlit's e2e recipe)."""
    page.wait_for_timeout(initial_wait_ms)
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=TIMEOUT_MS)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=TIMEOUT_MS)
    page.wait_for_timeout(100)


def open_app(page: Page, url: str) -> None:
    """Load the page and wait for its first run (the login form) to finish."""
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stTextInput").first).to_be_attached(timeout=TIMEOUT_MS)
    wait_for_app_run(page)


def log_in(page: Page, url: str, username: str = "juf.fatima") -> None:
    """Open the app and log in with a demo account; the start page follows."""
    open_app(page, url)
    page.locator(".st-key-login_username input").fill(username)
    page.locator(".st-key-login_password input").fill(PASSWORDS[username])
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    wait_for_app_run(page)
    expect(page.get_by_role("button", name=re.compile("Uitloggen|Log out"))).to_be_visible(timeout=TIMEOUT_MS)


def go_to(page: Page, title: str) -> None:
    """Click a page in the sidebar menu (in-app navigation keeps the login; a reload would not)."""
    exact = page.get_by_text(title, exact=True)  # "Paren" must not match "Paren volgen"
    page.get_by_test_id("stSidebarNavLink").filter(has=exact).click()
    wait_for_app_run(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=TIMEOUT_MS)


def click_button(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    wait_for_app_run(page)


def metric_value(page: Page, label: str) -> Locator:
    """The value of the metric whose label is exactly ``label`` ("Gekoppeld" must not match "Niet gekoppeld")."""
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label_el).get_by_test_id("stMetricValue")


def take_full_screenshot(page: Page, path: Path) -> None:
    """Streamlit scrolls inside stMain, so full_page alone stops at the viewport: grow the viewport to fit first."""
    height = page.get_by_test_id("stMain").evaluate("e => e.scrollHeight")
    width = page.viewport_size["width"] if page.viewport_size else 1400
    page.set_viewport_size({"width": width, "height": int(height) + 40})
    wait_for_app_run(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)


def screenshot(page: Page, name: str) -> None:
    """With PEERMATCH_SCREENSHOTS=1: the whole page to docs/screenshots/<name>.png, then the viewport back."""
    if os.environ.get("PEERMATCH_SCREENSHOTS") != "1":
        return
    size = page.viewport_size or {"width": 1400, "height": 1000}
    take_full_screenshot(page, SCREENSHOTS / f"{name}.png")
    page.set_viewport_size(size)
    wait_for_app_run(page)


def demo_names() -> set[str]:
    with DEMO_CSV.open(encoding="utf-8-sig", newline="") as fh:
        return {
            " ".join(p for p in (r["roepnaam"], r["tussenvoegsel"], r["achternaam"]) if p) for r in csv.DictReader(fh)
        }


def test_upload_demo_roster_and_make_pairs(page: Page, app_url: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in(page, app_url)
    go_to(page, "Proefkoppeling")
    expect(page.get_by_role("heading", name="Proefkoppeling", level=1)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(DEMO_CSV)
    wait_for_app_run(page)
    expect(metric_value(page, "Leerlingen")).to_have_text("200", timeout=TIMEOUT_MS)
    expect(metric_value(page, "Fouten")).to_have_text("0")

    page.get_by_test_id("stBaseButton-primaryFormSubmit").filter(has_text="Maak koppels").click()
    wait_for_app_run(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    pairs = page.locator(".st-key-pairs_table").get_by_test_id("stDataFrame")
    expect(pairs).to_be_visible(timeout=TIMEOUT_MS)

    paired_text = metric_value(page, "Gekoppeld").inner_text()
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", paired_text)
    assert found, paired_text
    paired, tutees = int(found[1]), int(found[2])
    assert 0 < paired <= tutees

    # The grid draws on a canvas; its (visually hidden) accessible table carries the texts: "Naam (groep, niveau)".
    first_cell = pairs.get_by_test_id("glide-cell-0-0")
    expect(first_cell).to_have_text(re.compile(r"^.+ \(\w+, [^)]+\)$"), timeout=TIMEOUT_MS)
    tutor = (first_cell.text_content() or "").rsplit(" (", 1)[0]
    assert tutor in demo_names()

    screenshot(page, "proefkoppeling")


def choose_language(page: Page, label: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("combobox").click()
    page.get_by_role("option", name=label).click()
    wait_for_app_run(page)


def test_language_switch_sticks_across_reruns(page: Page, app_url: str) -> None:
    """The sidebar switch turns the page English and stays through the next rerun (here: the demo button)."""
    log_in(page, app_url)
    go_to(page, "Proefkoppeling")
    choose_language(page, "English")
    expect(page.get_by_role("heading", name="Trial matching", level=1)).to_be_visible(timeout=TIMEOUT_MS)

    page.get_by_test_id("stButton").filter(has_text="Try the demo school").locator("button").click()
    wait_for_app_run(page)
    expect(metric_value(page, "Pupils")).to_have_text("200", timeout=TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Trial matching", level=1)).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_role("combobox")).to_have_value("English")
    # Only our own menu (translated): no pages-directory navigation leaked in.
    expect(page.get_by_test_id("stSidebarNavLink")).to_have_count(12)  # 6 + Tutors + 4 IB pages + My account
    expect(page.get_by_test_id("stSidebarNavLink").filter(has_text="My account")).to_have_count(1)
    expect(page.get_by_test_id("stSidebarNavLink").filter(has_text="Tutoring programmes")).to_have_count(1)


def test_cold_server_keeps_the_first_language_choice(page: Page, cold_app_url: str) -> None:
    open_app(page, cold_app_url)
    choose_language(page, "English")
    expect(page.get_by_role("heading", name="Log in to PeerMatch", level=1)).to_be_visible(timeout=1_500)


NEW_CLASS = (
    b"leerlingnummer,roepnaam,achternaam,geboortedatum,groep,avi,rekenen\n"
    b"90001,Noor,Visser,12-03-2017,6B,E5,M6\n"
    b"90002,Milan,de Boer,01-09-2016,6B,M6,E5\n"
)


def test_log_in_import_create_a_programme_match_publish_and_see_pairs(page: Page, app_url: str, tmp_path: Path) -> None:
    """The whole story on the real server and database, as the intern begeleider (whole school)."""
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in(page, app_url, "ib")
    expect(page.get_by_role("heading", name="Welkom, Intern begeleider (demo)", level=1)).to_be_visible()
    screenshot(page, "start")

    go_to(page, "Leerlingen")
    roster = tmp_path / "groep6b.csv"
    roster.write_bytes(NEW_CLASS)
    class_list = page.get_by_role("region", name=re.compile("^Leerlingenlijst"))  # not the level files beside it
    class_list.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(roster)
    wait_for_app_run(page)
    expect(metric_value(page, "Leerlingen")).to_have_text("2", timeout=TIMEOUT_MS)
    click_button(page, "Importeren")
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("2 nieuwe leerlingen", timeout=TIMEOUT_MS)

    go_to(page, "Tutorprogramma's")
    page.locator(".st-key-prog0_name input").fill("Tutorlezen 7 naar 5")
    for key, group in (("prog0_tutor_groups", "7A"), ("prog0_tutee_groups", "5A")):
        page.locator(f".st-key-{key}").get_by_role("combobox").click()
        page.get_by_role("option", name=group, exact=True).click()
        page.keyboard.press("Escape")
    # A second weekly moment (donderdag); adding the row keeps what was typed in the form.
    click_button(page, "➕ Nog een moment")
    expect(page.locator(".st-key-prog0_name input")).to_have_value("Tutorlezen 7 naar 5")
    page.locator(".st-key-prog0_weekday_1").get_by_role("combobox").click()
    page.get_by_role("option", name="donderdag", exact=True).click()
    wait_for_app_run(page)
    screenshot(page, "programmas")
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    wait_for_app_run(page)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("is opgeslagen", timeout=TIMEOUT_MS)
    stored = page.locator("[class*='_weekday_1']").get_by_role("combobox")  # the saved programme's form (prog<id>)
    expect(stored).to_have_value("donderdag")

    go_to(page, "Koppelen")
    click_button(page, "Maak koppels")
    expect(page.locator(".st-key-draft_pairs").get_by_test_id("stDataFrame")).to_be_visible(timeout=TIMEOUT_MS)
    screenshot(page, "koppelen")
    click_button(page, "Publiceren")
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("gepubliceerd", timeout=TIMEOUT_MS)

    go_to(page, "Paren")
    pairs = page.locator(".st-key-published_pairs").get_by_test_id("stDataFrame")
    expect(pairs).to_be_visible(timeout=TIMEOUT_MS)
    expect(pairs.get_by_test_id("glide-cell-0-0")).to_have_text(re.compile(r"^.+ \(7A\)$"), timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "paren")
