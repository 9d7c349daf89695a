"""The shared set-up of PeerMatch's A4 documents (reports, letters, pair cards, login cards, the
Tutorbewijs): DejaVu fonts from ``peermatch/fonts`` (every Dutch, Turkish, Polish ... letter prints and
the PDF is self-contained), the house colours, metadata, a fixed creation date when one is given (same
input, same bytes) and optional uncompressed output for tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, time
from importlib import resources

from fpdf import FPDF

__all__ = ["BLUE", "FAMILY", "GREY", "INK", "LIGHT", "ORANGE", "a4", "at_noon", "pdf_document"]

FAMILY = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
BLUE = (31, 78, 121)
ORANGE = (214, 96, 28)
INK = (40, 40, 40)
GREY = (110, 110, 110)
LIGHT = (232, 240, 248)


def at_noon(day: date) -> datetime:
    """A document's creation date from a day: noon UTC, so the same input gives the same bytes."""
    return datetime.combine(day, time(12), tzinfo=UTC)


@contextmanager
def pdf_document(
    title: str,
    lang: str,
    created: datetime | None,
    *,
    landscape: bool = False,
    margins: tuple[float, float, float] | None = None,
    page_break: float | None = None,
    compress: bool = True,
) -> Iterator[FPDF]:
    """An A4 document in mm with the DejaVu family registered and the metadata set; no page yet.

    ``margins`` (left, top, right) default to fpdf's; ``page_break`` is the bottom margin of automatic
    page breaks (``None``: the caller places everything itself). ``created`` ``None`` means now.
    """
    with ExitStack() as stack:
        pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format="A4")
        pdf.set_compression(compress)
        if margins is not None:
            pdf.set_margins(*margins)
        pdf.set_auto_page_break(page_break is not None, margin=page_break or 0)
        fonts = resources.files("peermatch") / "fonts"
        for style, file_name in _FONT_FILES.items():
            path = stack.enter_context(resources.as_file(fonts / file_name))
            pdf.add_font(FAMILY, style, str(path))
        pdf.set_title(title)
        pdf.set_author("PeerMatch")
        pdf.set_creator("PeerMatch")
        pdf.set_lang(lang)
        if created is not None:
            pdf.set_creation_date(created)
        yield pdf


@contextmanager
def a4(title: str, lang: str, day: date, *, compress: bool = True) -> Iterator[FPDF]:
    """The reports' page: portrait, 20 mm margins, automatic page breaks, the first page added."""
    with pdf_document(title, lang, at_noon(day), margins=(20, 18, 20), page_break=18, compress=compress) as pdf:
        pdf.add_page()
        yield pdf
