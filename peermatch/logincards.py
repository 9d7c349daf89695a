"""Printable login cards for pupils: A4 portrait, 8 cards per page (2 x 4), cut along the dotted lines.

Each card shows the pupil's first name and groep, the class code and the pupil's number, the personal code (or
its five pictures, drawn with glyphs of the bundled DejaVu font, with their names underneath) and short
instructions ("Zo log je in"). Only first names: no last names, birth dates or levels.
The plain codes exist only in the cards returned by ``storage.pupil_codes.generate_codes`` /
``reset_code``: print them right away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import Align

from peermatch.errors import AuthError, Problem
from peermatch.i18n import LANGUAGES, translate
from peermatch.pdf import BLUE, FAMILY, INK, ORANGE, pdf_document
from peermatch.pupil_auth import CodeKind, LoginCard

__all__ = ["CARDS_PER_PAGE", "login_cards_pdf"]

CARDS_PER_PAGE = 8
_PAGE_W, _PAGE_H = 210.0, 297.0
_MARGIN_X, _MARGIN_Y = 10.0, 12.0
_COLS, _ROWS = 2, 4
_CARD_W = (_PAGE_W - 2 * _MARGIN_X) / _COLS  # 95 mm
_CARD_H = (_PAGE_H - 2 * _MARGIN_Y) / _ROWS  # 68.25 mm
_PAD = 5.0

_GREY = (120, 120, 120)
_PALE = (235, 243, 250)
_CREAM = (255, 248, 230)


def login_cards_pdf(
    cards: Sequence[LoginCard],
    lang: str = "nl",
    *,
    school: str | None = None,
    created: datetime | None = None,
    compress: bool = True,
) -> bytes:
    """The login cards as PDF bytes, 8 per A4 page, in the order given.

    ``compress=False`` writes readable content streams (for tests); ``created`` fixes the creation
    date (same input, same bytes). Raises :class:`AuthError` for an unknown language.
    """
    if lang not in LANGUAGES:
        raise AuthError(Problem("training.unknown_language", value=lang))

    def t(code: str, **params: str) -> str:
        return translate(f"pupil.card.{code}", lang, **params)

    groups = sorted({card.group_name for card in cards})
    title = t("pdf_title", group=", ".join(groups))
    with pdf_document(title, lang, created or datetime(2000, 1, 1, tzinfo=UTC), margins=(0, 0, 0),
                      compress=compress) as pdf:  # fmt: skip
        for start in range(0, max(len(cards), 1), CARDS_PER_PAGE):
            pdf.add_page()
            _cut_lines(pdf)
            for i, card in enumerate(cards[start : start + CARDS_PER_PAGE]):
                row, col = divmod(i, _COLS)
                _card(pdf, card, _MARGIN_X + col * _CARD_W, _MARGIN_Y + row * _CARD_H, t, lang, school)
        return bytes(pdf.output())


def _cut_lines(pdf: FPDF) -> None:
    pdf.set_draw_color(*_GREY)
    pdf.set_line_width(0.2)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=1.5, gap=1.5)
        for col in range(_COLS + 1):
            x = _MARGIN_X + col * _CARD_W
            pdf.line(x, 4, x, _PAGE_H - 4)
        for row in range(_ROWS + 1):
            y = _MARGIN_Y + row * _CARD_H
            pdf.line(4, y, _PAGE_W - 4, y)


def _text(pdf: FPDF, x: float, y: float, w: float, text: str, size: float, *, bold: bool = False,
          colour: tuple[int, int, int] = INK, align: Align = Align.L, spacing: float = 0.0) -> None:  # fmt: skip
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.set_char_spacing(spacing)
    pdf.set_xy(x, y)
    pdf.cell(w, size * 0.45, text, align=align)
    pdf.set_char_spacing(0)


def _fit(pdf: FPDF, text: str, width: float, size: float, bold: bool = True, floor: float = 8) -> float:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    while size > floor and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font(FAMILY, "B" if bold else "", size)
    return size


def _card(
    pdf: FPDF, card: LoginCard, x: float, y: float, tr: Callable[..., str], lang: str, school: str | None
) -> None:
    inner_x, inner_w = x + _PAD, _CARD_W - 2 * _PAD
    pdf.set_fill_color(*_CREAM)
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.6)
    pdf.rect(x + 2.5, y + 2.5, _CARD_W - 5, _CARD_H - 5, style="DF", round_corners=True, corner_radius=3)

    _text(pdf, inner_x, y + 5.5, inner_w, tr("title"), 8, colour=_GREY)
    if school:
        _text(pdf, inner_x + 30, y + 5.5, inner_w - 30, " ".join(school.split()), 6.5, colour=_GREY, align=Align.R)
    name = " ".join(card.first_name.split())
    _text(pdf, inner_x, y + 9.5, inner_w * 0.68, name, _fit(pdf, name, inner_w * 0.68, 17), bold=True, colour=ORANGE)
    _text(pdf, inner_x + inner_w * 0.62, y + 10.5, inner_w * 0.38, tr("group", group=card.group_name), 11,
          bold=True, colour=BLUE, align=Align.R)  # fmt: skip

    # The two codes, each in a pale box: label left, code right.
    box_y = y + 19.0
    pdf.set_fill_color(*_PALE)
    pdf.set_draw_color(*_PALE)
    class_w = inner_w * 0.68  # the class code, and beside it the pupil's number
    pdf.rect(inner_x, box_y, class_w, 9, style="F", round_corners=True, corner_radius=1.5)
    _text(pdf, inner_x + 2, box_y + 2.6, 20, tr("class_code"), 8, colour=INK)
    code_w = class_w - 23  # right of the label; 0.6 mm between the letters (6 of them)
    code_size = _fit(pdf, card.class_code, code_w - 4, 15)
    _text(pdf, inner_x + 21, box_y + 1.4, code_w, card.class_code, code_size, bold=True, colour=BLUE,
          align=Align.R, spacing=0.6)  # fmt: skip
    number_x, number_w = inner_x + class_w + 2, inner_w - class_w - 2
    pdf.rect(number_x, box_y, number_w, 9, style="F", round_corners=True, corner_radius=1.5)
    _text(pdf, number_x + 1.5, box_y + 2.7, 14, translate("login_guard.card_number", lang), 7.5, colour=INK)
    _text(pdf, number_x + 12, box_y + 1.4, number_w - 13.5, str(card.number), 15, bold=True, colour=BLUE,
          align=Align.R)  # fmt: skip

    code_y = box_y + 11
    if card.kind is CodeKind.PICTURES:
        height = 19.0
        pdf.rect(inner_x, code_y, inner_w, height, style="F", round_corners=True, corner_radius=1.5)
        _text(pdf, inner_x + 2, code_y + 1.6, inner_w, tr("pictures"), 8)
        slot = (inner_w - 2) / len(card.pictures)  # 5 pictures across the card, numbered in their order
        for i, picture in enumerate(card.pictures):
            px = inner_x + 1 + i * slot
            _text(pdf, px + 0.5, code_y + 6.4, 3, str(i + 1), 6, colour=_GREY)
            _text(pdf, px, code_y + 5.8, slot, picture.symbol, 18, colour=ORANGE, align=Align.C)
            name = translate(f"pupil.picture.{picture.key}", lang)
            _text(pdf, px, code_y + 14.3, slot, name, _fit(pdf, name, slot - 1, 7, bold=False, floor=5), align=Align.C)
    else:
        height = 9.0
        pdf.rect(inner_x, code_y, inner_w, height, style="F", round_corners=True, corner_radius=1.5)
        _text(pdf, inner_x + 2, code_y + 2.6, 40, tr("personal_code"), 8.5)
        _text(pdf, inner_x + 30, code_y + 1.4, inner_w - 32, card.personal_code, 15, bold=True, colour=ORANGE,
              align=Align.R, spacing=1.2)  # fmt: skip

    steps_y = code_y + height + 2.2
    _text(pdf, inner_x, steps_y, inner_w, tr("how"), 8.5, bold=True, colour=BLUE)
    step2 = tr("step2_pictures") if card.kind is CodeKind.PICTURES else tr("step2")
    for i, step in enumerate((tr("step1"), step2, tr("step3"))):
        _text(pdf, inner_x, steps_y + 4.0 + i * 3.6, inner_w, step, 7.5)
