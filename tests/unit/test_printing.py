"""The printable pair list and pair cards: a real PDF, one list page plus a card page per eight pairs."""

from __future__ import annotations

import re

from peermatch.printing import PrintPair, pairs_pdf

PAIR = PrintPair("Daan de Jong", "Daan", "7A", "Sara Öztürk", "Sara", "5A")


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_the_pdf_has_a_list_page_and_card_pages() -> None:
    pdf = pairs_pdf("Tutorlezen groep 7 → 5", "Lezen · dinsdag 10:30-11:00", [PAIR] * 9)
    assert pdf.startswith(b"%PDF-")
    assert _pages(pdf) == 3  # list + 8 cards + 1 card


def test_no_pairs_still_gives_a_printable_list() -> None:
    pdf = pairs_pdf("Leeg", "", [])
    assert _pages(pdf) == 1


def test_fonts_are_embedded_so_every_letter_prints() -> None:
    pdf = pairs_pdf("Öztürk", "", [PAIR], lang="en")
    assert b"DejaVu" in pdf  # the font subset is embedded: the PDF is self-contained
