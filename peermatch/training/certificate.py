"""The printable "Tutorbewijs": an A4 landscape certificate for a tutor who finished the training.

Uses the DejaVu fonts bundled in ``peermatch/fonts`` so every Dutch (and Turkish, Polish, ...)
letter prints and the PDF is self-contained. Only the child's first name goes on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from peermatch.errors import Problem, TrainingModuleError
from peermatch.i18n import LANGUAGES, translate
from peermatch.i18n.formatting import long_date
from peermatch.model import Subject
from peermatch.pdf import BLUE, FAMILY, GREY, INK, ORANGE, at_noon, pdf_document
from peermatch.training.modules import BOTH, Module

__all__ = ["certificate_pdf", "format_date"]


# Colours (RGB): a calm blue frame, a warm orange for the name, a sunny yellow for the stars.
_YELLOW = (245, 183, 0)
_PAPER = (255, 251, 240)
_GREEN = (46, 139, 87)

_PAGE_W, _PAGE_H = 297.0, 210.0
_LIST_TOP, _LIST_BOTTOM = 113.0, 163.0  # the area for the list of modules (mm)


def format_date(day: date, lang: str = "nl") -> str:
    """``23 november 2025`` (nl) / ``23 November 2025`` (en)."""
    return long_date(day, lang)


def certificate_pdf(
    first_name: str,
    subject: Subject | str,
    date: date,
    modules_passed: Sequence[Module | str],
    lang: str = "nl",
    *,
    school: str | None = None,
    compress: bool = True,
) -> bytes:
    """The certificate as PDF bytes.

    ``subject`` is ``lezen`` (leesmaatje), ``rekenen`` (rekenmaatje) or ``both``; ``modules_passed``
    are modules or their titles, printed in the given order. ``compress=False`` writes readable
    content streams (for tests). Raises :class:`TrainingModuleError` for an empty name, an unknown
    subject or an unknown language.
    """
    name = " ".join(first_name.split())
    if not name:
        raise TrainingModuleError(Problem("training.certificate_no_name"))
    role = str(subject.value if isinstance(subject, Subject) else subject).strip().lower()
    if role not in {Subject.LEZEN.value, Subject.REKENEN.value, BOTH}:
        raise TrainingModuleError(Problem("training.unknown_subject", value=str(subject)))
    if lang not in LANGUAGES:
        raise TrainingModuleError(Problem("training.unknown_language", value=lang))
    titles = [m.title if isinstance(m, Module) else " ".join(str(m).split()) for m in modules_passed]

    def t(code: str, **params: str) -> str:
        return translate(f"training.certificate.{code}", lang, **params)

    with pdf_document(t("pdf_title", name=name), lang, at_noon(date), landscape=True, margins=(0, 0, 0),
                      compress=compress) as pdf:  # fmt: skip
        pdf.add_page()

        _frame(pdf)
        _centred(pdf, 24, t("title"), 46, bold=True, colour=BLUE)
        _centred(pdf, 47, t("for"), 16, colour=GREY)
        _name(pdf, name)
        role_word = t(f"role_{role}")
        _centred(pdf, 84, t("sentence", role=f"**{role_word}**"), 18, colour=INK, markdown=True)
        if titles:
            _centred(pdf, 101, t("modules"), 13, bold=True, colour=BLUE)
            _module_list(pdf, titles)
        _footer(pdf, t("date", date=format_date(date, lang)), t("signature"), school)
        return bytes(pdf.output())


def _frame(pdf: FPDF) -> None:
    pdf.set_fill_color(*_PAPER)
    pdf.rect(0, 0, _PAGE_W, _PAGE_H, style="F")
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(2.4)
    pdf.rect(8, 8, _PAGE_W - 16, _PAGE_H - 16, round_corners=True, corner_radius=6)
    pdf.set_draw_color(*ORANGE)
    pdf.set_line_width(0.6)
    pdf.rect(12.5, 12.5, _PAGE_W - 25, _PAGE_H - 25, round_corners=True, corner_radius=4)
    pdf.set_fill_color(*_YELLOW)
    pdf.set_draw_color(*ORANGE)
    pdf.set_line_width(0.3)
    for x, y, size in ((27, 27, 7.5), (_PAGE_W - 27, 27, 7.5), (42, 22, 3.2), (_PAGE_W - 42, 22, 3.2),
                       (27, _PAGE_H - 27, 5), (_PAGE_W - 27, _PAGE_H - 27, 5)):  # fmt: skip
        pdf.star(x, y, size * 0.45, size, 5, rotate_degrees=-18, style="DF")


def _centred(
    pdf: FPDF, y: float, text: str, size: float, *, bold: bool = False, colour: tuple[int, int, int] = INK,
    markdown: bool = False,
) -> None:  # fmt: skip
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.set_xy(20, y)
    pdf.cell(_PAGE_W - 40, size * 0.5, text, align=Align.C, markdown=markdown)


def _name(pdf: FPDF, name: str) -> None:
    size = 42.0
    pdf.set_font(FAMILY, "B", size)
    while pdf.get_string_width(name) > 200 and size > 16:
        size -= 1
        pdf.set_font(FAMILY, "B", size)
    _centred(pdf, 58 + (42 - size) * 0.25, name, size, bold=True, colour=ORANGE)
    width = min(max(pdf.get_string_width(name) + 30, 110), 230)
    pdf.set_draw_color(*_YELLOW)
    pdf.set_line_width(1.2)
    pdf.line((_PAGE_W - width) / 2, 77, (_PAGE_W + width) / 2, 77)


def _module_list(pdf: FPDF, titles: list[str]) -> None:
    columns = 1 if len(titles) <= 4 else 2
    rows = -(-len(titles) // columns)
    column_w = 118.0 if columns == 2 else 170.0
    left = (_PAGE_W - column_w * columns - 8 * (columns - 1)) / 2
    line_h = min(7.0, (_LIST_BOTTOM - _LIST_TOP) / rows)
    size = min(12.0, line_h * 1.75)
    check_w = 7.0
    pdf.set_font(FAMILY, "", size)
    while size > 9 and max(pdf.get_string_width(title) for title in titles) > column_w - check_w:
        size -= 0.5  # shrink the whole list a little rather than cut a title
        pdf.set_font(FAMILY, "", size)
    if columns == 1:  # centre a short list on its own width
        column_w = min(column_w, max(pdf.get_string_width(title) for title in titles) + check_w + 2)
        left = (_PAGE_W - column_w) / 2

    def fit(title: str) -> str:
        if pdf.get_string_width(title) <= column_w - check_w:
            return title
        while title and pdf.get_string_width(title + "…") > column_w - check_w:
            title = title[:-1]
        return title.rstrip() + "…"

    for i, title in enumerate(titles):
        column, row = divmod(i, rows)
        x = left + column * (column_w + 8)
        y = _LIST_TOP + row * line_h
        pdf.set_xy(x, y)
        pdf.set_font(FAMILY, "B", size + 2)
        pdf.set_text_color(*_GREEN)
        pdf.cell(check_w, line_h, "✓")
        pdf.set_font(FAMILY, "", size)
        pdf.set_text_color(*INK)
        pdf.cell(column_w - check_w, line_h, fit(title), new_x=XPos.RIGHT, new_y=YPos.TOP)


def _footer(pdf: FPDF, date_text: str, signature: str, school: str | None) -> None:
    baseline = 180.0
    pdf.set_font(FAMILY, "", 13)
    pdf.set_text_color(*INK)
    pdf.set_xy(36, baseline - 7)
    pdf.cell(100, 7, date_text)
    if school:
        pdf.set_font(FAMILY, "", 10)
        pdf.set_text_color(*GREY)
        pdf.set_xy(36, baseline + 1)
        pdf.cell(100, 5, " ".join(school.split()))
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.4)
    pdf.line(_PAGE_W - 126, baseline, _PAGE_W - 36, baseline)
    pdf.set_font(FAMILY, "", 10)
    pdf.set_text_color(*GREY)
    pdf.set_xy(_PAGE_W - 126, baseline + 1.5)
    pdf.cell(90, 5, signature, align=Align.C)
