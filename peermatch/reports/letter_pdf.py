"""The parent letter: one page per pupil, in a tutor version and a tutee version, in the family's language.

Friendly and transparent, without stigma: it explains the leesmaatje/rekenmaatje, the weekly moment, what
the child does, what the school keeps (and for how long, from the school's retention setting), whom to ask
and how to reach the school. A reply slip at the foot ("Wat heeft uw kind nodig?") is cut off and returned.
It never calls a child weak or behind (a test checks the words). Only the child's first name is printed.

The texts come from :mod:`peermatch.reports.letter_texts` (Dutch, English, Turkish, Arabic, Polish), not from
the app's catalogues: a family's language is chosen per family, not by the staff member's screen. Arabic is
shaped (fpdf2's text shaping with uharfbuzz: joined letters, right to left) and set flush right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date as babel_date
from fpdf import FPDF

from peermatch.errors import Problem, ReportError
from peermatch.i18n import DEFAULT_LANG
from peermatch.i18n.formatting import long_date
from peermatch.pdf import BLUE, FAMILY, GREY, INK, ORANGE, a4
from peermatch.reports.letter_texts import LETTER_LANGUAGES, letter_template, right_to_left
from peermatch.retention import DEFAULT_RETENTION, Retention, add_months, school_year_end

__all__ = ["SLIP_CHOICES", "ParentLetter", "letter_date", "letter_text", "parent_letter_pdf", "parent_letters_pdf",
           "slip_text"]  # fmt: skip

ROLES = ("tutor", "tutee")
SUBJECTS = ("lezen", "rekenen")
SLIP_CHOICES = ("fine", "more_info", "talk", "tips", "nervous")  # the tick boxes of the reply slip, in order
_SLIP_HEIGHT = 75.5  # mm: cut line 8.5, title and question with its hint 11, 5 boxes 25, 2 lines 17.5, names 13.5


@dataclass(frozen=True)
class ParentLetter:
    """What one letter says. ``weekdays`` are the weekly moments (Monday = 0). ``contact`` is who parents can
    reach (e.g. "juf Anna de Vries, intern begeleider"; empty: the school), ``contact_detail`` how (a phone
    number or an e-mail address) and ``schoolyard`` whether the letter also invites them to talk to the
    teacher on the schoolyard: a letter needs one of the two. ``language`` is the family's (one of
    :data:`~peermatch.reports.letter_texts.LETTER_LANGUAGES`; empty: the language the caller asks for);
    ``retention`` the school's, for how long the letter says things are kept."""

    first_name: str
    role: str  # "tutor" or "tutee"
    subject: str  # "lezen" or "rekenen"
    school: str
    start: date
    weekdays: tuple[int, ...]
    minutes: int
    weeks: int
    contact: str
    contact_detail: str = ""
    signed_by: str = ""
    day: date | None = None  # the letter's date; the start date when not given
    schoolyard: bool = False
    language: str = ""
    retention: Retention = DEFAULT_RETENTION


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _paragraph(
    pdf: FPDF, width: float, height: float, text: str, rtl: bool, widths: dict[tuple[str, float, str], float]
) -> None:
    """``text`` wrapped in a column ``width`` wide (0: to the right margin) from the current x, line below line.

    Left to right it is fpdf's ``multi_cell``. Right to left the words are measured once each (shaped) and packed
    into lines here, each line set flush right as its own cell: fpdf's own line breaking shapes the text again at
    every character, which makes one Arabic letter take seconds instead of a fraction of one. ``widths`` remembers
    each word's width per font and size across the letters of one PDF (the same words come back in every letter)."""
    if not rtl:
        pdf.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT", align="L")
        return
    x = pdf.get_x()
    width = width or pdf.w - pdf.r_margin - x
    font = (pdf.font_family + pdf.font_style, pdf.font_size_pt)

    def measure(word: str) -> float:
        key = (*font, word)
        if key not in widths:
            widths[key] = pdf.get_string_width(word)
        return widths[key]

    room, space = width - 2 * pdf.c_margin, measure(" ")
    lines: list[list[str]] = [[]]
    used = 0.0
    for word in text.split():
        size = measure(word)
        if lines[-1] and used + space + size > room:
            lines.append([])
            used = 0.0
        used += (space if lines[-1] else 0.0) + size
        lines[-1].append(word)
    for line in lines:
        pdf.set_x(x)
        pdf.cell(width, height, " ".join(line), new_x="LMARGIN", new_y="NEXT", align="R")


def _language(letter: ParentLetter, lang: str) -> str:
    return letter.language or lang


def _validate(letter: ParentLetter, lang: str) -> str:
    name = _one_line(letter.first_name)
    if not name:
        raise ReportError(Problem("reports.letter.no_name"))
    if letter.role not in ROLES:
        raise ReportError(Problem("reports.letter.unknown_role", value=letter.role))
    if letter.subject not in SUBJECTS:
        raise ReportError(Problem("reports.letter.unknown_subject", value=letter.subject))
    if lang not in LETTER_LANGUAGES:
        raise ReportError(Problem("reports.letter.unknown_language", value=lang))
    if not letter.weekdays or not all(0 <= d <= 6 for d in letter.weekdays):
        raise ReportError(Problem("reports.letter.no_moment", value=str(list(letter.weekdays))))
    if not _one_line(letter.contact_detail) and not letter.schoolyard:
        raise ReportError(Problem("reports.letter.no_contact", value=name))
    return name


def letter_date(day: date, lang: str) -> str:
    """``5 oktober 2026``, ``5 Ekim 2026``, ``5 października 2026``, ``5 أكتوبر 2026``: CLDR's long date."""
    if lang in ("nl", "en"):
        return long_date(day, lang)
    return babel_date(day, "d MMMM y", locale=lang)


def _days(weekdays: Sequence[int], lang: str) -> str:
    names = [letter_template(f"weekday.{d}", lang) for d in sorted(set(weekdays))]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + letter_template("words.and", lang) + names[-1]


def _params(letter: ParentLetter, name: str, lang: str) -> dict[str, Any]:
    contact = _one_line(letter.contact)
    who = contact or letter_template("words.the_school", lang)
    kept = school_year_end(letter.start)
    checkins = max(letter.retention.checkin_months, letter.retention.pair_months)
    return {
        "name": name,
        "school": _one_line(letter.school),
        "start": letter_date(letter.start, lang),
        "days": _days(letter.weekdays, lang),
        "per_week": len(set(letter.weekdays)),
        "minutes": letter.minutes,
        "weeks": letter.weeks,
        "who": who,
        "ask": who,
        "detail": _one_line(letter.contact_detail),
        "kept_until": letter_date(add_months(kept, checkins), lang),
        "worries_until": letter_date(add_months(kept, letter.retention.worry_months), lang),
        "buddy": letter_template(f"buddy.{letter.subject}", lang),
        "activity": letter_template(f"activity.{letter.subject}", lang),
    }


def _filler(letter: ParentLetter, lang: str) -> Any:
    name = _validate(letter, lang)
    params = _params(letter, name, lang)

    def t(code: str) -> str:
        return letter_template(code, lang).format(**params)

    return t


def _contact(letter: ParentLetter, t: Any) -> str:
    sentences = []
    if _one_line(letter.contact_detail):
        sentences.append(t("letter.contact_detail"))
        if letter.schoolyard:
            sentences.append(t("letter.schoolyard_also"))
    else:
        sentences.append(t("letter.schoolyard_only"))
    return " ".join([*sentences, t("letter.more")])


def letter_text(letter: ParentLetter, lang: str = DEFAULT_LANG) -> tuple[str, list[tuple[str, str]]]:
    """The letter's title and its (heading, paragraph) parts, filled in, in the letter's language (its own
    ``language``, else ``lang``): the PDF prints exactly this, then :func:`slip_text`."""
    t = _filler(letter, _language(letter, lang))
    role = letter.role
    parts = [
        ("", t("letter.salutation")),
        ("", t(f"{role}.intro")),
        (t("letter.how_heading"), t(f"{role}.how")),
        (t("letter.why_heading"), t(f"{role}.why")),
        (t("letter.home_heading"), t(f"{role}.home")),
        (t("letter.privacy_heading"), t(f"{role}.privacy")),
        (t("letter.contact_heading"), _contact(letter, t)),
    ]
    return t(f"{role}.title"), parts


def slip_text(letter: ParentLetter, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """The reply slip's texts filled in: ``cut``, ``title``, ``question``, ``tick``, one per
    :data:`SLIP_CHOICES`, ``other``, ``parent`` and ``signature``."""
    t = _filler(letter, _language(letter, lang))
    codes = ("cut", "title", "question", "tick", *SLIP_CHOICES, "other", "parent", "signature")
    return {code: t(f"slip.{code}") for code in codes}


def parent_letter_pdf(letter: ParentLetter, lang: str = DEFAULT_LANG, *, compress: bool = True) -> bytes:
    """The letter as PDF bytes (A4 portrait). Raises :class:`ReportError` for a missing name, an
    unknown role, subject or language, no weekly moment or no way to reach the school."""
    return parent_letters_pdf([letter], lang, compress=compress)


def parent_letters_pdf(letters: Sequence[ParentLetter], lang: str = DEFAULT_LANG, *, compress: bool = True) -> bytes:
    """Several letters in one PDF, each starting on a new page and each in its family's language: to print for
    every new tutee at once. Every letter is checked before anything is drawn (a :class:`ReportError` names the
    first bad one)."""
    if not letters:
        raise ReportError(Problem("reports.letter.none"))
    texts = [(letter_text(letter, lang), slip_text(letter, lang)) for letter in letters]
    first = letters[0]
    widths: dict[tuple[str, float, str], float] = {}
    with a4(texts[0][0][0], _language(first, lang), first.day or first.start, compress=compress) as pdf:
        for n, (letter, ((title, parts), slip)) in enumerate(zip(letters, texts, strict=True)):
            if n:
                pdf.add_page()
            language = _language(letter, lang)
            rtl = right_to_left(language)
            if rtl:
                pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
            _write_letter(pdf, letter, title, parts, language, rtl, widths)
            _write_slip(pdf, slip, rtl, widths)
            if rtl:
                pdf.set_text_shaping(False)
        return bytes(pdf.output())


def _write_letter(pdf: FPDF, letter: ParentLetter, title: str, parts: list[tuple[str, str]], lang: str,
                  rtl: bool, widths: dict[tuple[str, float, str], float]) -> None:  # fmt: skip
    align = "R" if rtl else "L"
    _letterhead(pdf, _one_line(letter.school), letter_date(letter.day or letter.start, lang), rtl)
    pdf.set_font(FAMILY, "B", 15)
    pdf.set_text_color(*BLUE)
    _paragraph(pdf, 0, 7, title, rtl, widths)
    pdf.ln(1)
    for heading, paragraph in parts:
        pdf.ln(0.8)
        if heading:
            pdf.set_font(FAMILY, "B", 10)
            pdf.set_text_color(*ORANGE)
            pdf.cell(0, 5, heading, new_x="LMARGIN", new_y="NEXT", align=align)
        pdf.set_font(FAMILY, "", 9.5)
        pdf.set_text_color(*INK)
        _paragraph(pdf, 0, 4.5, paragraph, rtl, widths)
    pdf.ln(2.5)
    pdf.cell(0, 5, letter_template("letter.closing", lang), new_x="LMARGIN", new_y="NEXT", align=align)
    if letter.signed_by.strip():
        pdf.ln(2)
        pdf.set_font(FAMILY, "B", 9.5)
        pdf.cell(0, 5, _one_line(letter.signed_by), new_x="LMARGIN", new_y="NEXT", align=align)


def _write_slip(pdf: FPDF, slip: dict[str, str], rtl: bool, widths: dict[tuple[str, float, str], float]) -> None:
    """The reply slip at the foot of the page (at the top of a page of its own when the letter leaves no room): a
    dashed cut line with scissors, the question, a box per choice, a line to write on, the parent's name and
    signature."""
    bottom = pdf.h - pdf.b_margin
    if pdf.get_y() + 2 + _SLIP_HEIGHT > bottom:
        pdf.add_page()
    else:
        pdf.set_y(bottom - _SLIP_HEIGHT)
    align = "R" if rtl else "L"
    left, right = pdf.l_margin, pdf.w - pdf.r_margin
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.3)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=2, gap=1.5)
        pdf.line(left, pdf.get_y() + 2, right, pdf.get_y() + 2)
    pdf.set_font(FAMILY, "", 8)
    pdf.set_text_color(*GREY)
    pdf.ln(3)
    cut = slip["cut"] + "  \u2702" if rtl else "\u2702  " + slip["cut"]
    pdf.cell(0, 4, cut, new_x="LMARGIN", new_y="NEXT", align=align)
    pdf.ln(1.5)
    pdf.set_font(FAMILY, "B", 10.5)
    pdf.set_text_color(*BLUE)
    pdf.cell(0, 5.5, slip["title"], new_x="LMARGIN", new_y="NEXT", align=align)
    pdf.set_font(FAMILY, "B", 10)
    pdf.set_text_color(*INK)
    y = pdf.get_y()
    asked = pdf.get_string_width(slip["question"]) + 2 * pdf.c_margin
    pdf.cell(0, 5.5, slip["question"], align=align)  # the question, then its hint beside it in small grey
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(*GREY)
    pdf.set_xy(left if rtl else left + asked, y)
    pdf.cell(pdf.epw - asked, 5.5, slip["tick"], new_x="LMARGIN", new_y="NEXT", align=align)
    pdf.set_font(FAMILY, "", 9.5)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*INK)
    box, gap = 3.5, 2.5
    for choice in SLIP_CHOICES:
        pdf.ln(0.6)
        pdf.rect(right - box if rtl else left, pdf.get_y() + 0.4, box, box)
        pdf.set_x(left if rtl else left + box + gap)
        _paragraph(pdf, pdf.epw - box - gap, 4.4, slip[choice], rtl, widths)
    pdf.ln(1.5)
    pdf.cell(0, 5, slip["other"], new_x="LMARGIN", new_y="NEXT", align=align)
    pdf.set_draw_color(*GREY)
    for _ in range(2):
        pdf.ln(5.5)
        pdf.line(left, pdf.get_y(), right, pdf.get_y())
    pdf.ln(2.5)
    half = pdf.epw / 2
    y = pdf.get_y()
    for n, code in enumerate(("parent", "signature")):
        x = (right - (n + 1) * half) if rtl else left + n * half
        pdf.set_xy(x, y)
        pdf.cell(half - 4, 5, slip[code], align=align)
        pdf.line(x, y + 10, x + half - 6, y + 10)
    pdf.set_xy(left, y + 11)


def _letterhead(pdf: FPDF, school: str, day: str, rtl: bool) -> None:
    """The school's name at the start of the line (the right in Arabic), the date at its end."""
    y = pdf.get_y()
    pdf.set_font(FAMILY, "B", 12)
    pdf.set_text_color(*BLUE)
    pdf.cell(0, 7, school, align="R" if rtl else "L")
    pdf.set_xy(pdf.l_margin, y)
    pdf.set_font(FAMILY, "", 10)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 7, day, align="L" if rtl else "R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*ORANGE)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(4)
