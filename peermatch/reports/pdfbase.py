"""The shared set-up of PeerMatch's A4 documents: DejaVu fonts from ``peermatch/fonts``, metadata,
a fixed creation date (same input, same bytes) and optional uncompressed output for tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, time
from importlib import resources

from fpdf import FPDF

__all__ = ["BLUE", "FAMILY", "GREY", "INK", "LIGHT", "ORANGE", "a4"]

FAMILY = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
BLUE = (31, 78, 121)
ORANGE = (214, 96, 28)
INK = (40, 40, 40)
GREY = (110, 110, 110)
LIGHT = (232, 240, 248)


@contextmanager
def a4(title: str, lang: str, day: date, *, compress: bool = True) -> Iterator[FPDF]:
    """A portrait A4 document with 20 mm margins and the DejaVu family registered."""
    with ExitStack() as stack:
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_compression(compress)
        pdf.set_margins(20, 18, 20)
        pdf.set_auto_page_break(True, margin=18)
        fonts = resources.files("peermatch") / "fonts"
        for style, file_name in _FONT_FILES.items():
            path = stack.enter_context(resources.as_file(fonts / file_name))
            pdf.add_font(FAMILY, style, str(path))
        pdf.set_title(title)
        pdf.set_author("PeerMatch")
        pdf.set_creator("PeerMatch")
        pdf.set_lang(lang)
        pdf.set_creation_date(datetime.combine(day, time(12), tzinfo=UTC))
        pdf.add_page()
        yield pdf
