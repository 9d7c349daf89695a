"""Printable pair list and pair cards (A4 PDF) for the classroom wall.

Uses the DejaVu fonts bundled in ``peermatch/fonts`` (every Dutch letter prints, the PDF is
self-contained). The list carries names and groups; a card carries first names only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from peermatch.i18n import DEFAULT_LANG, translate
from peermatch.pdf import BLUE, FAMILY, GREY, INK, ORANGE, pdf_document

__all__ = ["PrintPair", "pairs_pdf"]

_CARD_W, _CARD_H, _MARGIN, _GAP = 90.0, 60.0, 12.0, 6.0


@dataclass(frozen=True)
class PrintPair:
    tutor_name: str
    tutor_first_name: str
    tutor_group: str
    tutee_name: str
    tutee_first_name: str
    tutee_group: str


def _list_page(pdf: FPDF, title: str, subtitle: str, pairs: Sequence[PrintPair], lang: str) -> None:
    pdf.add_page()
    pdf.set_text_color(*BLUE)
    pdf.set_font(FAMILY, "B", 18)
    pdf.cell(0, 10, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*GREY)
    pdf.set_font(FAMILY, "", 11)
    pdf.cell(0, 7, subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_text_color(*INK)
    headings = (translate("ui.print.tutor", lang), translate("ui.print.tutee", lang))
    with pdf.table(col_widths=(50, 50), text_align="LEFT", line_height=7) as table:
        table.row(headings)
        for p in pairs:
            table.row((f"{p.tutor_name} ({p.tutor_group})", f"{p.tutee_name} ({p.tutee_group})"))


def _card(pdf: FPDF, x: float, y: float, pair: PrintPair, subtitle: str, lang: str) -> None:
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.8)
    pdf.rect(x, y, _CARD_W, _CARD_H, round_corners=True, style="D")
    pdf.set_xy(x + 5, y + 6)
    pdf.set_text_color(*GREY)
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(_CARD_W - 10, 5, translate("ui.print.card_title", lang))
    for i, (label, name, colour) in enumerate(
        (
            # the children's card speaks of maatjes, like the app does; the teacher's list keeps tutor/tutee
            (translate("ui.print.card_tutor", lang), pair.tutor_first_name, BLUE),
            (translate("ui.print.card_tutee", lang), pair.tutee_first_name, ORANGE),
        )
    ):
        pdf.set_xy(x + 5, y + 16 + i * 16)
        pdf.set_text_color(*GREY)
        pdf.set_font(FAMILY, "", 9)
        pdf.cell(_CARD_W - 10, 5, label)
        pdf.set_xy(x + 5, y + 21 + i * 16)
        pdf.set_text_color(*colour)
        pdf.set_font(FAMILY, "B", 16)
        pdf.cell(_CARD_W - 10, 8, name)
    pdf.set_xy(x + 5, y + _CARD_H - 9)
    pdf.set_text_color(*GREY)
    pdf.set_font(FAMILY, "", 8)
    pdf.cell(_CARD_W - 10, 5, subtitle[:70])


def _cards(pdf: FPDF, pairs: Sequence[PrintPair], subtitle: str, lang: str) -> None:
    per_page = 8
    for start in range(0, len(pairs), per_page):
        pdf.add_page()
        for i, pair in enumerate(pairs[start : start + per_page]):
            col, row = i % 2, i // 2
            _card(pdf, _MARGIN + col * (_CARD_W + _GAP), _MARGIN + row * (_CARD_H + _GAP), pair, subtitle, lang)


def pairs_pdf(title: str, subtitle: str, pairs: Sequence[PrintPair], lang: str = DEFAULT_LANG) -> bytes:
    """Page 1: the pair list (names and groups); then pair cards, eight per A4 page (first names only)."""
    with pdf_document(title, lang, None, page_break=12) as pdf:
        _list_page(pdf, title, subtitle, pairs, lang)
        pdf.set_auto_page_break(auto=False)
        _cards(pdf, pairs, subtitle, lang)
        return bytes(pdf.output())
