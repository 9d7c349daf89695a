"""The farewell card (issue 13, item 4): at the end of the programme each child fills in a card for the other,
to take home. One A4 page per pair, cut in two: the tutor's card for the tutee above, the tutee's card for the
tutor below, each with a few prompts and lines to write on. First names only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from peermatch.i18n import DEFAULT_LANG, translate
from peermatch.pdf import BLUE, FAMILY, GREY, INK, ORANGE, pdf_document

__all__ = ["FarewellPair", "farewell_cards_pdf"]

_W, _H, _M = 186.0, 130.0, 12.0  # one card: the width and height inside the page's margins
_LINES_PER_PROMPT = 2


@dataclass(frozen=True)
class FarewellPair:
    tutor_first_name: str
    tutee_first_name: str
    subject: str  # "lezen" or "rekenen": the prompts speak of reading or maths


def _card(pdf: FPDF, y: float, to: str, by: str, prompts: Sequence[str], colour: tuple[int, int, int],
          lang: str) -> None:  # fmt: skip
    pdf.set_draw_color(*colour)
    pdf.set_line_width(0.8)
    pdf.rect(_M, y, _W, _H, round_corners=True, style="D")
    pdf.set_xy(_M + 6, y + 6)
    pdf.set_text_color(*colour)
    pdf.set_font(FAMILY, "B", 18)
    pdf.cell(_W - 12, 10, translate("farewell.card.title", lang, name=to), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    line_y = y + 22
    for prompt in prompts:
        pdf.set_xy(_M + 6, line_y)
        pdf.set_text_color(*INK)
        pdf.set_font(FAMILY, "", 11)
        pdf.cell(_W - 12, 6, prompt)
        pdf.set_draw_color(*GREY)
        pdf.set_line_width(0.2)
        for i in range(_LINES_PER_PROMPT):
            ruled = line_y + 14 + i * 9
            pdf.line(_M + 6, ruled, _M + _W - 6, ruled)
        line_y += 8 + _LINES_PER_PROMPT * 9 + 4
    pdf.set_xy(_M + 6, y + _H - 12)
    pdf.set_text_color(*GREY)
    pdf.set_font(FAMILY, "", 11)
    pdf.cell(_W - 12, 6, translate("farewell.card.from", lang, name=by))


def farewell_cards_pdf(pairs: Sequence[FarewellPair], title: str, lang: str = DEFAULT_LANG) -> bytes:
    """A page per pair: the tutor's card for the tutee, then the tutee's card for the tutor. No pairs: one page
    that says so (a download is never empty)."""
    with pdf_document(title, lang, None) as pdf:
        pdf.set_auto_page_break(auto=False)
        if not pairs:
            pdf.add_page()
            pdf.set_font(FAMILY, "", 12)
            pdf.set_text_color(*INK)
            pdf.cell(0, 10, translate("farewell.card.none", lang))
        for pair in pairs:
            pdf.add_page()
            tutor_prompts = [translate(f"farewell.card.tutor_{i}_{pair.subject}", lang) for i in (1, 2, 3)]
            tutee_prompts = [translate(f"farewell.card.tutee_{i}_{pair.subject}", lang) for i in (1, 2, 3)]
            _card(pdf, _M, pair.tutee_first_name, pair.tutor_first_name, tutor_prompts, BLUE, lang)
            _card(pdf, _M + _H + 11, pair.tutor_first_name, pair.tutee_first_name, tutee_prompts, ORANGE, lang)
        return bytes(pdf.output())
