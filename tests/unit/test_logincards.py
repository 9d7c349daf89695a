"""Login cards: a real A4 PDF, 8 cards a page, with the first name, groep, class code, personal code or pictures."""

from __future__ import annotations

import re

import pytest
from test_training_certificate import pdf_text

from peermatch.errors import AuthError
from peermatch.logincards import login_cards_pdf
from peermatch.pupil_auth import CodeKind, LoginCard

CARDS = [
    LoginCard(1, "Zoë", "7A", "K7MQ3R", "H4TKW", CodeKind.TEXT, 1),
    LoginCard(2, "Mohammed-Amin", "7A", "K7MQ3R", "zon-anker-maan-zon-kroon", CodeKind.PICTURES, 2),
    *(LoginCard(10 + i, f"Kind{i}", "7A", "K7MQ3R", "ABCDE", CodeKind.TEXT, 3 + i) for i in range(7)),
]


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return login_cards_pdf(CARDS, "nl", school="OBS De Regenboog", compress=False)


def test_the_cards_are_an_a4_portrait_pdf_with_eight_cards_a_page(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert re.search(rb"/MediaBox \[0 0 595\.28 841\.89\]", pdf)
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 2  # 9 cards: 8 + 1


def test_every_card_shows_name_group_codes_and_the_dutch_instructions(pdf: bytes) -> None:
    text = pdf_text(pdf)
    assert text.count("K7MQ3R") == 9
    expected_texts = ("Zoë", "Mohammed-Amin", "Groep 7A", "H4TKW", "Zo log je in", "Klassencode",
                      "1. Tik de klassencode en je nummer in.", "Nummer", "zon", "anker", "maan",
                      "Mijn geheime plaatjes")  # fmt: skip
    for expected in (*expected_texts, "OBS De Regenboog"):
        assert expected in text, expected
    assert "☀" in text
    assert "⚓" in text
    assert "☾" in text
    assert "♛" in text
    assert "kroon" in text


def test_the_cards_can_be_printed_in_english_and_refuse_an_unknown_language() -> None:
    text = pdf_text(login_cards_pdf(CARDS[:1], "en", compress=False))
    assert "How to log in" in text
    assert "Group 7A" in text
    with pytest.raises(AuthError):
        login_cards_pdf(CARDS, "de")


def test_same_cards_same_bytes() -> None:
    assert login_cards_pdf(CARDS) == login_cards_pdf(CARDS)
