"""The parent letter: one page per pupil, in a tutor version and a tutee version.

Friendly and transparent, without stigma: it explains the leesmaatje/rekenmaatje, the weekly
moment, what the child does, what stays private and who to contact. It never calls a child weak or
behind (a test checks the words). Only the child's first name is printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fpdf import FPDF

from peermatch.errors import Problem, ReportError
from peermatch.i18n import DEFAULT_LANG, LANGUAGES, translate
from peermatch.pdf import BLUE, FAMILY, GREY, INK, ORANGE, a4
from peermatch.training.certificate import format_date

__all__ = ["ParentLetter", "letter_text", "parent_letter_pdf"]

ROLES = ("tutor", "tutee")
SUBJECTS = ("lezen", "rekenen")


@dataclass(frozen=True)
class ParentLetter:
    """What one letter says. ``weekdays`` are the weekly moments (Monday = 0); ``contact`` is who
    parents can reach (e.g. "juf Anna de Vries, intern begeleider") and ``contact_detail`` how."""

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


def _validate(letter: ParentLetter, lang: str) -> str:
    name = " ".join(letter.first_name.split())
    if not name:
        raise ReportError(Problem("reports.letter.no_name"))
    if letter.role not in ROLES:
        raise ReportError(Problem("reports.letter.unknown_role", value=letter.role))
    if letter.subject not in SUBJECTS:
        raise ReportError(Problem("reports.letter.unknown_subject", value=letter.subject))
    if lang not in LANGUAGES:
        raise ReportError(Problem("reports.unknown_language", value=lang))
    if not letter.weekdays or not all(0 <= d <= 6 for d in letter.weekdays):
        raise ReportError(Problem("reports.letter.no_moment", value=str(list(letter.weekdays))))
    return name


def _days(weekdays: Sequence[int], lang: str) -> str:
    names = [translate(f"reports.weekday.{d}", lang) for d in sorted(set(weekdays))]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + translate("reports.and", lang) + names[-1]


def letter_text(letter: ParentLetter, lang: str = DEFAULT_LANG) -> tuple[str, list[tuple[str, str]]]:
    """The letter's title and its (heading, paragraph) parts, filled in: the PDF prints exactly this."""
    name = _validate(letter, lang)
    params = {
        "name": name,
        "school": " ".join(letter.school.split()),
        "start": format_date(letter.start, lang),
        "days": _days(letter.weekdays, lang),
        "per_week": len(set(letter.weekdays)),
        "minutes": letter.minutes,
        "weeks": letter.weeks,
        "contact": " ".join(letter.contact.split()),
        "detail": (" (" + " ".join(letter.contact_detail.split()) + ")") if letter.contact_detail.strip() else "",
        "buddy": translate(f"reports.letter.buddy.{letter.subject}", lang),
        "activity": translate(f"reports.letter.activity.{letter.subject}", lang),
    }

    def t(code: str) -> str:
        return translate(f"reports.letter.{code}", lang, **params)

    role = letter.role
    parts = [
        ("", t(f"{role}.intro")),
        (t("how_heading"), t(f"{role}.how")),
        (t("why_heading"), t(f"{role}.why")),
        (t("home_heading"), t(f"{role}.home")),
        (t("privacy_heading"), t(f"{role}.privacy")),
        (t("contact_heading"), t("contact")),
    ]
    return t(f"{role}.title"), parts


def parent_letter_pdf(letter: ParentLetter, lang: str = DEFAULT_LANG, *, compress: bool = True) -> bytes:
    """The letter as PDF bytes (A4 portrait). Raises :class:`ReportError` for a missing name, an
    unknown role, subject or language, or no weekly moment."""
    return parent_letters_pdf([letter], lang, compress=compress)


def parent_letters_pdf(letters: Sequence[ParentLetter], lang: str = DEFAULT_LANG, *, compress: bool = True) -> bytes:
    """Several letters in one PDF, each starting on a new page: to print for every new tutee at once.
    Every letter is checked before anything is drawn (a :class:`ReportError` names the first bad one)."""
    if not letters:
        raise ReportError(Problem("reports.letter.none"))
    texts = [letter_text(letter, lang) for letter in letters]
    first = letters[0]
    with a4(texts[0][0], lang, first.day or first.start, compress=compress) as pdf:
        for n, (letter, (title, parts)) in enumerate(zip(letters, texts, strict=True)):
            if n:
                pdf.add_page()
            _write_letter(pdf, letter, title, parts, lang)
        return bytes(pdf.output())


def _write_letter(pdf: FPDF, letter: ParentLetter, title: str, parts: list[tuple[str, str]], lang: str) -> None:
    day = letter.day or letter.start
    _letterhead(pdf, " ".join(letter.school.split()), format_date(day, lang))
    pdf.set_font(FAMILY, "B", 18)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(3)
    pdf.set_font(FAMILY, "", 11)
    pdf.set_text_color(*INK)
    name = " ".join(letter.first_name.split())
    pdf.multi_cell(0, 6, translate("reports.letter.salutation", lang, name=name), new_x="LMARGIN", new_y="NEXT",
                   align="L")  # fmt: skip
    for heading, paragraph in parts:
        pdf.ln(2.5)
        if heading:
            pdf.set_font(FAMILY, "B", 11.5)
            pdf.set_text_color(*ORANGE)
            pdf.cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font(FAMILY, "", 11)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 5.8, paragraph, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(6)
    pdf.multi_cell(0, 6, translate("reports.letter.closing", lang), new_x="LMARGIN", new_y="NEXT", align="L")
    if letter.signed_by.strip():
        pdf.ln(8)
        pdf.set_font(FAMILY, "B", 11)
        pdf.multi_cell(0, 6, " ".join(letter.signed_by.split()), new_x="LMARGIN", new_y="NEXT", align="L")


def _letterhead(pdf: FPDF, school: str, day: str) -> None:
    pdf.set_font(FAMILY, "B", 12)
    pdf.set_text_color(*BLUE)
    pdf.cell(110, 7, school)
    pdf.set_font(FAMILY, "", 10)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 7, day, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*ORANGE)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(8)
