"""The one-page teacher's guide (issue 13, item 7): how to run the buddy sessions of one programme, with the
session structure of its subject (reading after Paired Reading and PALS, maths after PALS and Pause-Prompt-Praise),
the teacher's role, the evaluation talks and the ending. The text lives in ``i18n/guide.*.toml`` with its sources.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from peermatch.i18n import DEFAULT_LANG, translate
from peermatch.model import Subject
from peermatch.pdf import BLUE, FAMILY, GREY, INK, pdf_document

__all__ = ["SECTIONS", "teacher_guide_pdf"]

# (title key, item keys); "{subject}" is the programme's subject
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("guide.before_title", tuple(f"guide.before_{i}" for i in range(1, 5))),
    ("guide.session_title_{subject}", tuple(f"guide.{{subject}}_{i}" for i in range(1, 6))),
    ("guide.role_title", tuple(f"guide.role_{i}" for i in range(1, 4))),
    ("guide.weeks_title", ("guide.weeks_1", "guide.weeks_2")),
    ("guide.end_title", ("guide.end_1", "guide.end_2")),
)


def _section(pdf: FPDF, title: str, items: Sequence[str], numbered: bool) -> None:
    pdf.ln(2)
    pdf.set_text_color(*BLUE)
    pdf.set_font(FAMILY, "B", 11.5)
    pdf.cell(0, 6, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, "", 9.5)
    for i, item in enumerate(items, 1):
        mark = f"{i}." if numbered else "•"
        pdf.cell(6, 4.6, mark)
        pdf.multi_cell(0, 4.6, item, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def teacher_guide_pdf(programme: str, subject: Subject, moments: str, minutes: int, lang: str = DEFAULT_LANG) -> bytes:
    """One A4 page: the guide for ``programme`` (its name, subject, moments as text and minutes per session)."""
    title = translate("guide.title", lang)
    with pdf_document(title, lang, None, margins=(14, 12, 14), page_break=10) as pdf:
        pdf.add_page()
        pdf.set_text_color(*BLUE)
        pdf.set_font(FAMILY, "B", 17)
        pdf.cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*GREY)
        pdf.set_font(FAMILY, "", 10)
        subject_name = translate(f"ui.subject.{subject.value}", lang)
        subtitle = translate("guide.subtitle", lang, programme=programme, subject=subject_name, moments=moments,
                             minutes=minutes)  # fmt: skip
        pdf.multi_cell(0, 5, subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for title_key, item_keys in SECTIONS:
            numbered = "{subject}" in title_key
            _section(pdf, translate(title_key.format(subject=subject.value), lang),
                     [translate(k.format(subject=subject.value), lang) for k in item_keys], numbered)  # fmt: skip
        pdf.ln(2)
        pdf.set_text_color(*GREY)
        pdf.set_font(FAMILY, "", 7.5)
        pdf.multi_cell(0, 3.6, translate("guide.sources", lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return bytes(pdf.output())
