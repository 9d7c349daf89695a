"""What kind of file this is, and how its text is encoded.

Content decides, the file name is only a hint: XLSX is a zip (``PK\\x03\\x04``), EDEXML is XML (its
root must be ``EDEX``, checked by the EDEXML reader), everything else must be CSV text. Text is
UTF-8 (with or without BOM), UTF-16 with BOM (or recognisably without) or cp1252, tried in that
order. A binary file in disguise (NUL bytes, control characters, undecodable bytes) is refused.
"""

from __future__ import annotations

import codecs
import re

from peermatch.errors import Problem, UnsupportedFileError
from peermatch.roster.table import Format

__all__ = ["decode_text", "detect_format"]

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
    return Format.CSV
