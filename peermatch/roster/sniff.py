"""What kind of file this is, and how its text is encoded.

Content decides, the file name is only a hint: XLSX is a zip (``PK\\x03\\x04``), EDEXML is XML (its
root must be ``EDEX`` or UWLR's ``leerlinggegevens``, checked by the EDEXML reader), everything else must be
CSV text. Text is UTF-8 (with or without BOM), UTF-16 with BOM (or recognisably without) or cp1252, tried in
that order. A binary file in disguise (NUL bytes, control characters, undecodable bytes) is refused.

Two kinds of text are refused by name, and their messages never repeat a line of the file (that line is a
pupil's record): an **EDEX2000** file (the fixed-width predecessor of EDEXML, ``EDEXLL.TXT`` and its
siblings ``EDEXGR`` / ``EDEXLK`` / ``EDEXLG``), and any file whose first row holds data instead of column
names (:func:`refuse_headerless`). The EDEX2000 record layout (``EDEXLL.TXT``: achternaam 40, tussenvoegsel
10, voornaam 20, geboortedatum 8, geslacht 1, etniciteit 1, leerlingkey 5, groepskey 5, schooljaar 9, ...;
145 characters; ``EDEXGR.TXT``: groepsnaam 30, jaargroep 1, groepkey 5, schooljaar 9, ...) is the one
public importers read (a public PHP importer, ``Fiftytwo\\Edex\\Import\\Edexll`` / ``Edexgr``; the CITO LVS
layout document republished at serveropschool.nl "Edex"; nl.wikipedia.org/wiki/Edex: EDEX2000 is four
fixed-width ASCII files, EDEXLL.TXT always present). The school year, filled in every record at a fixed
place, is what gives such a file away.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence

from peermatch.errors import MissingColumnsError, Problem, UnsupportedFileError
from peermatch.roster.headers import recognised_fields
from peermatch.roster.table import Format

__all__ = ["decode_text", "detect_format", "looks_like_edex2000", "refuse_headerless"]

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls / .doc
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"PK\x05\x06")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")  # not tab, newline, form feed or carriage return
_MAX_CONTROL_SHARE = 0.01


def _unsupported(code: str, file: str | None) -> UnsupportedFileError:
    return UnsupportedFileError(Problem(code, file=file))


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:200]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    if not any(head[1::2]) and all(head[0::2]):
        return "utf-16-le"
    if not any(head[0::2]) and all(head[1::2]):
        return "utf-16-be"
    return None


def decode_text(data: bytes, file: str | None = None) -> str:
    """The text of a CSV (or XML sniff) without BOM; :class:`UnsupportedFileError` if it is no text."""
    text: str | None = None
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    elif (utf16 := _utf16_without_bom(data)) is not None:
        encodings = (utf16,)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise _unsupported("roster.file.encoding" if b"\x00" not in data else "roster.file.binary", file)
    if "\x00" in text:
        raise _unsupported("roster.file.binary", file)
    controls = len(_CONTROL.findall(text))
    if controls and controls > _MAX_CONTROL_SHARE * len(text):
        raise _unsupported("roster.file.binary", file)
    return text


def _looks_like_xml(data: bytes) -> bool:
    head = data[:1024]
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore").lstrip().startswith("<")
    return head.lstrip().startswith(b"<")


_EDEX2000_NAME = re.compile(r"edex(ll|lk|gr|lg)\.txt")
_SCHOOLYEAR = re.compile(r"[0-9]{4}\D?[0-9]{4}")  # 2024-2025, 2024/2025, 20242025 (9 characters wide)
_EDEX2000_LINES = 20
_EDEX2000_HEAD = 32_768


def _edex2000_record(line: str) -> bool:
    """A pupil record of EDEXLL.TXT or a group record of EDEXGR.TXT, by the fixed positions of their fields."""
    if any(sep in line for sep in ";\t"):
        return False
    if len(line) >= 99 and _SCHOOLYEAR.fullmatch(line[90:99]) and not line[70:78].strip("0123456789 "):
        return True  # EDEXLL: schooljaar at 91-99, geboortedatum (digits or blank) at 71-78
    return 45 <= len(line) <= 60 and _SCHOOLYEAR.fullmatch(line[36:45]) is not None  # EDEXGR: schooljaar at 37-45


def looks_like_edex2000(data: bytes, filename: str | None = None) -> bool:
    """Whether this is an EDEX2000 fixed-width file: its name (``EDEXLL.TXT``, ...) or its first records."""
    if filename and _EDEX2000_NAME.fullmatch(filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].lower()):
        return True
    head = data[:_EDEX2000_HEAD]
    lines = [line for line in head.decode("cp1252", errors="replace").splitlines() if line.strip()]
    if len(data) > len(head):
        lines = lines[:-1]  # the last line may be cut short
    return bool(lines) and all(_edex2000_record(line) for line in lines[:_EDEX2000_LINES])


# A date, a pupil number, or a fixed-width record read as one cell: never a column name.
_DATA_CELL = re.compile(r"[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{2,4}|[0-9]{3,}|(?:\S+ {3,}){2,}\S.*", re.DOTALL)


def refuse_headerless(headers: Sequence[str], filename: str | None) -> None:
    """Raise :class:`MissingColumnsError` when the "header" names no column we know and holds data instead.

    The message names neither the header nor the data: the first row of a header-less file is a pupil.
    """
    if recognised_fields(headers) == 0 and any(_DATA_CELL.fullmatch(h.strip()) for h in headers if h):
        raise MissingColumnsError(Problem("edex.no_header", file=filename))


def detect_format(data: bytes, filename: str | None = None) -> Format:
    """CSV, XLSX or XML from the first bytes; refuses known binary formats with a helpful message."""
    name = (filename or "").lower()
    if data.startswith(_ZIP):
        return Format.XLSX
    if data.startswith(_OLE2):
        raise _unsupported("roster.file.xls_old", filename)
    if data.startswith(_BINARY_MAGIC):
        raise _unsupported("roster.file.unsupported", filename)
    if _looks_like_xml(data):
        head = data[:2048].lower()
        if b"<html" in head or name.endswith((".html", ".htm")):
            raise _unsupported("roster.file.unsupported", filename)
        return Format.XML
    if looks_like_edex2000(data, filename):
        raise UnsupportedFileError(Problem("edex.edex2000", file=filename))
    return Format.CSV
