"""XLSX bytes -> :class:`RawTable`, streamed part by part in bounded memory and time, whatever the file.

The roster is the first worksheet with a recognisable header in its first 20 rows (title rows above it are
fine); row numbers are the real sheet rows. The workbook is a zip of XML parts, read here with expat directly
(no openpyxl, no tree): nothing in the file decides how much is unpacked or kept.

* Before anything is unpacked, the zip's directory is checked: at most ``MAX_XLSX_PARTS`` parts, each sheet and
  the shared strings at most ``MAX_XLSX_PART_BYTES``, every other part at most ``MAX_XLSX_OTHER_BYTES``, all of
  them together at most ``MAX_XLSX_UNPACKED_BYTES`` (a 520 KB file that unpacks to 199 MB is refused at once).
  While a part is streamed its bytes are counted again (Python's zipfile stops at the declared size and then
  fails the checksum, so a zip that lies about a size is a damaged file).
* A sheet is parsed as a stream of rows: ``<dimension>`` is never read, gaps between row numbers are counted as
  empty rows without being made, cells beyond the header's width are never kept, and at most
  ``MAX_XLSX_ELEMENTS`` XML elements of a sheet are looked at. Reading stops after ``MAX_EMPTY_RUN`` empty rows
  in a row (formatting down to row 1,048,576 ends there; pupils further down, up to row ``MAX_SCANNED_ROWS``,
  give a warning), after ``MAX_ROWS`` pupils (refused) and at a row number beyond ``MAX_SCANNED_ROWS`` (refused).
* At most ``MAX_XLSX_SHARED_STRINGS`` shared strings; no DTD (entity bombs) in any part.

Every zip or XML failure becomes an :class:`UnsupportedFileError`; a crossed bound a :class:`FileTooLargeError`
naming the bound (``limits.*``). Cell values are what openpyxl's values-only mode gave: text, int, float, bool,
and date-formatted numbers as ``datetime`` (``time``/``timedelta`` for time formats), 1900 or 1904 calendar.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from peermatch.errors import EmptyFileError, FileTooLargeError, Problem, Severity, UnsupportedFileError
from peermatch.roster import limits
from peermatch.roster.cells import Cell
from peermatch.roster.headers import recognised_fields
from peermatch.roster.limits import LocalNumber, limit_problem, too_many_rows
from peermatch.roster.table import Format, RawTable, is_blank

__all__ = ["HEADER_SEARCH_ROWS", "read_xlsx"]

HEADER_SEARCH_ROWS = 20
_CHUNK = 64 * 1024  # unpacked bytes handed to expat at a time: what one step of a sheet can make is this small
_WORKBOOK = "xl/workbook.xml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")

# Number formats (ECMA-376 18.8.30): the built-in date and time ids, and how a custom format shows a date.
_BUILTIN_DATES = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_BUILTIN_DURATIONS = frozenset({46})
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # quoted text, colours and locales
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE)
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


class _BrokenError(Exception):
    """The file is not a well-formed workbook (turned into ``roster.file.xlsx_broken``)."""


class _BoundError(Exception):
    """A bound was crossed inside a parser callback; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


def _refuse_dtd(*_args: object) -> None:
    raise _BrokenError("a DTD in a workbook part")


def _parser() -> Any:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = _CHUNK
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _unescape(text: str) -> str:
    """OOXML writes characters XML cannot hold as ``_xHHHH_``."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


@dataclass
class _Archive:
    """The zip and the budget of unpacked bytes that is left; parts are streamed through :meth:`feed`."""

    zip: zipfile.ZipFile
    file: str | None
    sizes: dict[str, int] = field(default_factory=dict)
    elements: int = 0  # XML elements looked at so far, in all parts

    def tick(self) -> None:
        self.elements += 1
        if self.elements > limits.MAX_XLSX_ELEMENTS:
            raise _BoundError(limit_problem("xlsx_elements", self.file, limit=limits.MAX_XLSX_ELEMENTS))

    def counted(self, start: Callable[[str, dict[str, str]], None]) -> Callable[[str, dict[str, str]], None]:
        """``start`` that first counts the element against the budget of the whole workbook."""

        def counting(tag: str, attrs: dict[str, str]) -> None:
            self.tick()
            start(tag, attrs)

        return counting

    def has(self, name: str) -> bool:
        return name in self.sizes

    def feed(self, name: str, parser: Any, *, steps: bool = False) -> Iterator[None]:
        """Parse part ``name`` with ``parser``; with ``steps``, yield after each chunk (the caller may stop)."""
        limit = limits.MAX_XLSX_PART_BYTES if _is_big_part(name) else limits.MAX_XLSX_OTHER_BYTES
        seen = 0
        try:
            with self.zip.open(name) as stream:
                while chunk := stream.read(_CHUNK):
                    seen += len(chunk)
                    if seen > limit:
                        raise _BoundError(_part_problem(name, self.file, limit))
                    parser.Parse(chunk, False)
                    if steps:
                        yield
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise _BrokenError(name) from exc
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
            raise _BrokenError(name) from exc
        if steps:
            yield

    def parse(self, name: str, parser: Any) -> None:
        for _ in self.feed(name, parser):
            pass


def _is_big_part(name: str) -> bool:
    return name.startswith("xl/worksheets/") or name.lower().endswith("sharedstrings.xml")


def _part_problem(name: str, file: str | None, limit: int) -> Problem:
    return limit_problem("xlsx_part", file, limit=limit, part=name, mb=True)


def _entries(data: bytes, file: str | None) -> None:
    """Refuse a zip whose central directory holds more than ``MAX_XLSX_PARTS`` entries, before zipfile reads it."""
    end = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        raise UnsupportedFileError(Problem("roster.file.xlsx_broken", file=file))
    count = int.from_bytes(data[end + 10 : end + 12], "little")
    directory = int.from_bytes(data[end + 12 : end + 16], "little")
    locator = end - 20
    if locator >= 0 and data[locator : locator + 4] == _ZIP64_LOCATOR:
        record = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if record + 48 <= len(data):
            count = int.from_bytes(data[record + 32 : record + 40], "little")
            directory = int.from_bytes(data[record + 40 : record + 48], "little")
    if count > limits.MAX_XLSX_PARTS or directory > limits.MAX_XLSX_PARTS * 1024:
        raise FileTooLargeError(limit_problem("xlsx_parts", file, limit=limits.MAX_XLSX_PARTS))


def _open(data: bytes, file: str | None) -> _Archive:
    """The archive, its declared sizes checked against every part bound before anything is unpacked."""
    _entries(data, file)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise UnsupportedFileError(Problem("roster.file.xlsx_broken", file=file)) from exc
    sizes = {info.filename: info.file_size for info in infos}
    if _WORKBOOK not in sizes:
        ods = "mimetype" in sizes and "content.xml" in sizes
        raise UnsupportedFileError(Problem("roster.file.ods" if ods else "roster.file.zip_not_xlsx", file=file))
    for name, size in sizes.items():
        limit = limits.MAX_XLSX_PART_BYTES if _is_big_part(name) else limits.MAX_XLSX_OTHER_BYTES
        if size > limit:
            raise FileTooLargeError(_part_problem(name, file, limit))
    if sum(sizes.values()) > limits.MAX_XLSX_UNPACKED_BYTES:
        limit = limits.MAX_XLSX_UNPACKED_BYTES
        raise FileTooLargeError(limit_problem("xlsx_unpacked", file, limit=limit, mb=True))
    return _Archive(archive, file, sizes)


# --- the small parts: workbook, relationships, styles, shared strings --------------------------------------


def _relationships(archive: _Archive, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type's last word, part name) of ``part``'s relationships (``xl/_rels/workbook.xml.rels``)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    found: dict[str, tuple[str, str]] = {}
    if not archive.has(rels):
        return found

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2], posixpath.normpath(path))

    parser = _parser()
    parser.StartElementHandler = archive.counted(start)
    archive.parse(rels, parser)
    return found


@dataclass
class _Book:
    sheets: list[str]  # part names of the worksheets, in workbook order
    shared_strings: str | None
    styles: str | None
    epoch: dt.datetime


def _book(archive: _Archive) -> _Book:
    rels = _relationships(archive, _WORKBOOK)
    sheet_ids: list[str] = []
    epoch = [_EPOCH_1900]

    def start(tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if name == "sheet":
            sheet_ids.append(next((v for k, v in attrs.items() if k == f"{_REL} id" or k.endswith(" id")), ""))
        elif name == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
            epoch[0] = _EPOCH_1904

    parser = _parser()
    parser.StartElementHandler = archive.counted(start)
    archive.parse(_WORKBOOK, parser)
    sheets = [rels[i][1] for i in sheet_ids if i in rels and rels[i][0] == "worksheet"]
    by_type = {kind: path for kind, path in rels.values()}
    shared = by_type.get("sharedStrings")
    if shared is None and archive.has("xl/sharedStrings.xml"):
        shared = "xl/sharedStrings.xml"
    return _Book(
        sheets=[s for s in sheets if archive.has(s)],
        shared_strings=shared if shared is not None and archive.has(shared) else None,
        styles=by_type.get("styles") if archive.has(by_type.get("styles", "")) else None,
        epoch=epoch[0],
    )


def _is_date_format(code: str) -> bool:
    return _DATE_LETTER.search(_FORMAT_NOISE.sub("", code.split(";")[0])) is not None


def _date_styles(archive: _Archive, part: str | None) -> list[int]:
    """Per cell style (``s``): 0 a number, 1 a date or time, 2 a duration."""
    if part is None:
        return []
    custom: dict[int, str] = {}
    kinds: list[int] = []
    in_cell_xfs = [False]

    def start(tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if name == "numFmt":
            with contextlib.suppress(ValueError):
                custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            in_cell_xfs[0] = True
        elif name == "xf" and in_cell_xfs[0]:
            try:
                number_format = int(attrs.get("numFmtId", "0"))
            except ValueError:
                number_format = 0
            code = custom.get(number_format)
            if code is not None:
                kind = 2 if _DURATION.match(code.split(";")[0]) else int(_is_date_format(code))
            else:
                kind = 2 if number_format in _BUILTIN_DURATIONS else int(number_format in _BUILTIN_DATES)
            kinds.append(kind)

    def end(tag: str) -> None:
        if _local(tag) == "cellXfs":
            in_cell_xfs[0] = False

    parser = _parser()
    parser.StartElementHandler, parser.EndElementHandler = archive.counted(start), end
    archive.parse(part, parser)
    return kinds


class _Text:
    """The text of ``<si>`` / ``<is>``: every ``<t>`` in it, the phonetic runs (``<rPh>``) left out."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.in_t = False
        self.in_phonetic = False

    def start(self, name: str) -> None:
        if name == "t" and not self.in_phonetic:
            self.in_t = True
        elif name == "rPh":
            self.in_phonetic = True

    def end(self, name: str) -> None:
        if name == "t":
            self.in_t = False
        elif name == "rPh":
            self.in_phonetic = False

    def take(self) -> str:
        text = _unescape("".join(self.pieces))
        self.pieces.clear()
        return text


def _shared_strings(archive: _Archive, part: str | None, file: str | None) -> list[str]:
    strings: list[str] = []
    if part is None:
        return strings
    text = _Text()
    limit = limits.MAX_XLSX_SHARED_STRINGS

    def start(tag: str, _attrs: dict[str, str]) -> None:
        text.start(_local(tag))

    def end(tag: str) -> None:
        name = _local(tag)
        if name == "si":
            if len(strings) >= limit:
                raise _BoundError(limit_problem("xlsx_shared_strings", file, limit=limit))
            strings.append(text.take())
        else:
            text.end(name)

    def chars(data: str) -> None:
        if text.in_t:
            text.pieces.append(data)

    parser = _parser()
    parser.StartElementHandler, parser.EndElementHandler = archive.counted(start), end
    parser.CharacterDataHandler = chars
    archive.parse(part, parser)
    return strings


# --- a sheet, row by row ----------------------------------------------------------------------------------


def _column(ref: str) -> int:
    """``"AB12"`` -> 28 (1-based); 0 when the reference has no letters."""
    column = 0
    for char in ref:
        code = ord(char) - 64
        if not 1 <= code <= 26:
            break
        column = column * 26 + code
    return column


def _from_serial(value: float, epoch: dt.datetime, kind: int) -> Cell:
    """A date-formatted number as openpyxl gave it: ``timedelta`` (durations), ``time`` (below 1), ``datetime``."""
    try:
        if kind == 2:
            return dt.timedelta(days=value)
        day, fraction = divmod(value, 1)
        moment = dt.timedelta(milliseconds=round(fraction * 86_400_000))
        if 0 <= value < 1 and moment.days == 0:
            return (dt.datetime.min + moment).time()
        if 0 < value < 60 and epoch == _EPOCH_1900:
            day += 1  # Excel counts 29 February 1900, which did not exist
        return epoch + dt.timedelta(days=day) + moment
    except (OverflowError, ValueError):
        return value


class _Sheet:
    """Expat callbacks that turn ``<sheetData>`` into finished rows, kept in ``ready`` until taken."""

    def __init__(self, archive: _Archive, strings: list[str], styles: list[int], epoch: dt.datetime) -> None:
        self.archive, self.strings, self.styles, self.epoch = archive, strings, styles, epoch
        self.width = limits.MAX_COLUMNS  # cells beyond it are never kept (the header's width once it is known)
        self.ready: list[tuple[int, list[Cell], bool]] = []  # (row number, cells, a value beyond the width)
        self.row_number = 0
        self.cells: list[Cell] = []
        self.beyond = False
        self.column = 0
        self.keep = False
        self.kind = ""
        self.style = 0
        self.value: list[str] = []
        self.in_value = False
        self.text = _Text()
        self.in_inline = False
        self.has_value = False
        self.in_data = False  # inside <sheetData> (elements elsewhere are only counted)
        self.header_found = False  # then cells beyond ``width`` are skipped without looking (see _skip)
        self.skipped = False
        self.max_elements = limits.MAX_XLSX_ELEMENTS
        self.parser = _parser()
        self.parser.StartElementHandler, self.parser.EndElementHandler = self.start, self.end
        self.parser.CharacterDataHandler = self.chars
        self.names: dict[str, str] = {}  # tag -> local name

    def _name(self, tag: str) -> str:
        name = self.names.get(tag)
        if name is None:
            name = self.names[tag] = _local(tag)
        return name

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        archive = self.archive
        archive.elements += 1
        if archive.elements > self.max_elements:
            archive.tick()  # raises
        name = self.names.get(tag) or self._name(tag)
        if not self.in_data:
            self.in_data = name == "sheetData"
        elif name == "c":
            ref = attrs.get("r")
            column = _column(ref) if ref else 0
            self.column = column if column > self.column else self.column + 1
            self.has_value = False
            if self.column > self.width:
                self.keep = False
                if self.header_found:  # the rest of this row is never needed: only count its elements
                    self._skip()
                return
            self.keep = True
            self.kind = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = int(style) if style and style.isdigit() else 0
        elif name == "v":
            self.in_value = True
            self.has_value = True
        elif name == "is":
            self.in_inline = True
            self.has_value = True
        elif self.in_inline:
            self.text.start(name)
        elif name == "row":
            ref = attrs.get("r")
            number = int(ref) if ref and ref.isdigit() else 0
            self.row_number = number if number > self.row_number else self.row_number + 1
            self.cells = []
            self.beyond = False
            self.column = 0

    def _skip(self) -> None:
        """Until the next ``<row>``, only count elements: no end or text callbacks (a row of a million cells)."""
        parser = self.parser
        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = self.skipping, None, None
        self.skipped = True

    def skipping(self, tag: str, attrs: dict[str, str]) -> None:
        archive = self.archive
        archive.elements += 1
        if archive.elements > self.max_elements:
            archive.tick()  # raises
        if tag.endswith("row") and (self.names.get(tag) or self._name(tag)) == "row":
            self.finish()
            self.start(tag, attrs)

    def finish(self) -> None:
        """Hand over the row whose end was skipped, and listen to everything again."""
        if self.skipped:
            self.skipped = False
            self.ready.append((self.row_number, self.cells, self.beyond))
            self.in_value = self.in_inline = False
            parser = self.parser
            parser.StartElementHandler, parser.EndElementHandler = self.start, self.end
            parser.CharacterDataHandler = self.chars

    def end(self, tag: str) -> None:
        name = self.names.get(tag) or self._name(tag)
        if not self.in_data:
            return
        if name == "c":
            if self.keep:
                value = self._value()
                if value is not None:
                    self.cells.extend([None] * (self.column - 1 - len(self.cells)))
                    self.cells.append(value)
            elif self.has_value:
                self.beyond = True
            self.value.clear()
            self.text.pieces.clear()
        elif name == "v":
            self.in_value = False
        elif name == "is":
            self.in_inline = False
        elif self.in_inline:
            self.text.end(name)
        elif name == "row":
            self.ready.append((self.row_number, self.cells, self.beyond))
        elif name == "sheetData":
            self.in_data = False

    def chars(self, data: str) -> None:
        if not self.keep:
            return
        if self.in_value:
            self.value.append(data)
        elif self.in_inline and self.text.in_t:
            self.text.pieces.append(data)

    def _value(self) -> Cell:
        kind = self.kind
        if kind == "inlineStr":
            return self.text.take() if self.has_value else None
        raw = "".join(self.value)
        if not self.has_value:
            return None
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError) as exc:
                raise _BrokenError("a shared string that does not exist") from exc
        if kind in ("str", "e"):
            return _unescape(raw)
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        try:
            number: int | float = float(raw) if any(c in raw for c in ".eE") else int(raw)
        except ValueError:
            return raw
        kind_of_style = self.styles[self.style] if self.style < len(self.styles) else 0
        return _from_serial(number, self.epoch, kind_of_style) if kind_of_style else number


def _rows(archive: _Archive, part: str, sheet: _Sheet) -> Generator[tuple[int, list[Cell], bool], None, None]:
    for _ in archive.feed(part, sheet.parser, steps=True):
        if sheet.ready:
            ready, sheet.ready = sheet.ready, []
            yield from ready
    sheet.finish()
    yield from sheet.ready


def _header_width(cells: Sequence[Cell]) -> int:
    width = len(cells)
    while width and (cells[width - 1] is None or str(cells[width - 1]).strip() == ""):
        width -= 1
    return width


def _header_text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip()


def _body(
    rows: Iterator[tuple[int, list[Cell], bool]], sheet: _Sheet, header_row: int, file: str | None, bounds: _Bounds
) -> tuple[list[tuple[int, Sequence[Cell]]], tuple[Problem, ...]]:
    """The pupil rows after the header, up to the first run of ``MAX_EMPTY_RUN`` empty rows (gaps included).

    After such a run the sheet is only looked through, up to row ``MAX_SCANNED_ROWS``: a non-empty row there
    gives a warning (the pupils below the empty rows are not read); before it, a row beyond that number is
    refused.
    """
    kept: list[tuple[int, Sequence[Cell]]] = []
    last = header_row  # the last non-empty row
    looking = False
    for number, cells, _beyond in rows:
        values = cells[: sheet.width]
        blank = is_blank(values)
        if not looking and number - last - (0 if blank else 1) >= limits.MAX_EMPTY_RUN:
            looking = True
        if looking:
            if number > limits.MAX_SCANNED_ROWS:
                break
            if not blank:
                params = {"limit": LocalNumber(limits.MAX_EMPTY_RUN)}
                return kept, (Problem("limits.empty_run", Severity.WARNING, file=file, row=last, params=params),)
            continue
        if number > limits.MAX_SCANNED_ROWS:
            raise FileTooLargeError(limit_problem("scanned_rows", file, limit=limits.MAX_SCANNED_ROWS))
        if blank:
            continue
        last = number
        kept.append((number, values))
        if len(kept) > bounds.max_rows:
            raise FileTooLargeError(too_many_rows(file, max_rows=bounds.max_rows, max_bytes=bounds.max_bytes))
    return kept, ()


@dataclass(frozen=True)
class _Bounds:
    max_rows: int
    max_bytes: int


def _read_sheet(
    archive: _Archive, part: str, sheet: _Sheet, bounds: _Bounds
) -> tuple[RawTable | None, tuple[str, ...] | None]:
    """The roster on this sheet, or ``(None, first non-empty row)`` when it has no recognisable header."""
    file = archive.file
    first_row: tuple[str, ...] | None = None
    rows = _rows(archive, part, sheet)
    for number, cells, beyond in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        if beyond:
            raise FileTooLargeError(limit_problem("columns", file, limit=limits.MAX_COLUMNS, row=number))
        if is_blank(cells):
            continue
        if first_row is None:
            first_row = tuple(_header_text(c) for c in cells[: _header_width(cells)])
        if recognised_fields([_header_text(c) for c in cells]) >= 2:
            sheet.width = _header_width(cells)
            sheet.header_found = True
            headers = tuple(_header_text(c) for c in cells[: sheet.width])
            body, notes = _body(rows, sheet, number, file, bounds)
            return RawTable(format=Format.XLSX, headers=headers, rows=body, header_row=number, notes=notes), None
    rows.close()
    return None, first_row


def _read(data: bytes, file: str | None, bounds: _Bounds) -> RawTable:
    archive = _open(data, file)
    with archive.zip:
        book = _book(archive)
        styles = _date_styles(archive, book.styles)
        strings = _shared_strings(archive, book.shared_strings, file)
        fallback: tuple[str, ...] | None = None
        for part in book.sheets:
            table, first_row = _read_sheet(archive, part, _Sheet(archive, strings, styles, book.epoch), bounds)
            if table is not None:
                return table
            if fallback is None:
                fallback = first_row
    if fallback is None:
        raise EmptyFileError(Problem("roster.file.empty", file=file))
    return RawTable(format=Format.XLSX, headers=fallback, rows=(), header_row=None)


def read_xlsx(data: bytes, *, max_rows: int, max_bytes: int, file: str | None = None) -> RawTable:
    """The roster in an XLSX workbook; see the module docstring."""
    try:
        return _read(data, file, _Bounds(max_rows, max_bytes))
    except _BoundError as exc:
        raise FileTooLargeError(exc.problem) from None
    except _BrokenError as exc:
        raise UnsupportedFileError(Problem("roster.file.xlsx_broken", file=file)) from exc
