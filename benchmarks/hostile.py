"""Hostile and broken roster files of every kind, made on the fly (never committed), and valid files of a size.

Each maker takes a size, so the security tests (``tests/security/test_readers_*.py``) use a small file of the
same shape as the full-size one that ``make bench`` measures (``benchmarks/readers.py``). Synthetic pupils only.
"""

from __future__ import annotations

import io
import zipfile

__all__ = [
    "CSV_HEADER",
    "csv_empty_lines",
    "csv_invalid_rows",
    "csv_valid",
    "csv_wide_line",
    "edex_deep",
    "edex_distinct_elements",
    "edex_pupil_elements",
    "edex_valid",
    "xlsx",
    "xlsx_empty_rows",
    "xlsx_lying_sizes",
    "xlsx_many_parts",
    "xlsx_pupil_after_empty_rows",
    "xlsx_shared_strings_bomb",
    "xlsx_sheet_bomb",
    "xlsx_valid",
    "xlsx_wide_header",
    "xlsx_wide_row",
]

CSV_HEADER = "leerlingnummer;roepnaam;achternaam;geboortedatum;groep;avi;rekenen;rol;motivatie\n"


def csv_valid(rows: int) -> bytes:
    """A valid CSV roster of ``rows`` pupils."""
    lines = [CSV_HEADER]
    lines += [f"{n:06d};Fenna{n};Verbeek;03-09-2015;5{'AB'[n % 2]};E4;M5;;3\n" for n in range(1, rows + 1)]
    return "".join(lines).encode()


def csv_invalid_rows(rows: int) -> bytes:
    """``rows`` rows with seven problems each (date, group missing, levels, role, motivation, duplicate id)."""
    body = "".join("1;Fenna;Verbeek;31-02-2016;;M8;Q9;baas;9\n" for _ in range(rows))
    return (CSV_HEADER + body).encode()


def csv_wide_line(fields: int) -> bytes:
    """A header, then one line of ``fields`` non-empty fields (a "row" of that many columns)."""
    return (CSV_HEADER + ";".join(["x"] * fields) + "\n").encode()


def csv_empty_lines(lines: int) -> bytes:
    """A header, one pupil, ``lines`` empty lines, one pupil."""
    first = "000001;Fenna;Verbeek;03-09-2015;5A;E4;M5;;3\n"
    last = "000002;Daan;Verbeek;03-09-2015;5A;E4;M5;;3\n"
    return (CSV_HEADER + first + "\n" * lines + last).encode()


_EDEX_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<EDEX><school><peildatum>2026-10-01</peildatum></school>'
_EDEX_GROUPS = '<groepen><groep key="g5"><naam>5A</naam><jaargroep>5</jaargroep></groep></groepen>'


def _pupil(key: int, extra: str = "") -> str:
    return (
        f'<leerling key="{key:06d}"><achternaam>Verbeek</achternaam><roepnaam>Fenna</roepnaam>'
        f'<geboortedatum>2015-09-03</geboortedatum><groep key="g5"/>{extra}</leerling>'
    )


def edex_valid(pupils: int) -> bytes:
    """A valid EDEX.XML with ``pupils`` pupils."""
    body = "".join(_pupil(n) for n in range(1, pupils + 1))
    return f"{_EDEX_HEAD}{_EDEX_GROUPS}<leerlingen>{body}</leerlingen></EDEX>".encode()


def edex_distinct_elements(pupils: int, names_per_pupil: int) -> bytes:
    """Pupils that each bring ``names_per_pupil`` element names no other pupil has (a dense table of them)."""
    body = "".join(
        _pupil(p, "".join(f"<x{p}_{i}>v</x{p}_{i}>" for i in range(names_per_pupil))) for p in range(1, pupils + 1)
    )
    return f"{_EDEX_HEAD}{_EDEX_GROUPS}<leerlingen>{body}</leerlingen></EDEX>".encode()


def edex_pupil_elements(elements: int) -> bytes:
    """One pupil with ``elements`` child elements of distinct names."""
    extra = "".join(f"<e{i}/>" for i in range(elements))
    return f"{_EDEX_HEAD}{_EDEX_GROUPS}<leerlingen>{_pupil(1, extra)}</leerlingen></EDEX>".encode()


def edex_deep(depth: int) -> bytes:
    """One pupil whose element is nested ``depth`` levels deep."""
    extra = "<d>" * depth + "x" + "</d>" * depth
    return f"{_EDEX_HEAD}{_EDEX_GROUPS}<leerlingen>{_pupil(1, extra)}</leerlingen></EDEX>".encode()


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
_HEADER = ["leerlingnummer", "roepnaam", "achternaam", "geboortedatum", "groep"]


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    return '<row r="1">' + "".join(_inline(f"{'ABCDE'[i]}1", h) for i, h in enumerate(_HEADER)) + "</row>"


def _pupil_row(r: int) -> str:
    values = [f"{r:06d}", "Fenna", "Verbeek", "03-09-2015", "5A"]
    return f'<row r="{r}">' + "".join(_inline(f"{'ABCDE'[i]}{r}", v) for i, v in enumerate(values)) + "</row>"


def _sheet(rows: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}>{dim}<sheetData>{rows}</sheetData></worksheet>'


def xlsx(sheet: str | bytes, shared_strings: str | bytes = f'<sst {_NS} count="0" uniqueCount="0"/>') -> bytes:
    """A minimal workbook with one sheet (the XML given) and shared strings, deflated as Excel does."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def xlsx_valid(rows: int) -> bytes:
    """A valid workbook of ``rows`` pupils (inline strings)."""
    return xlsx(_sheet(_header_row() + "".join(_pupil_row(r) for r in range(2, rows + 2))))


def xlsx_shared_strings_bomb(unpacked_bytes: int) -> bytes:
    """A tiny valid sheet with shared strings that unpack to about ``unpacked_bytes`` (highly compressible)."""
    item = "<si><t>aaaaaaaaaaaaaaaaaaaaaaaa</t></si>"
    count = unpacked_bytes // len(item)
    strings = f'<sst {_NS} count="{count}" uniqueCount="{count}">' + item * count + "</sst>"
    return xlsx(_sheet(_header_row() + _pupil_row(2)), strings)


def xlsx_sheet_bomb(unpacked_bytes: int) -> bytes:
    """A sheet without ``<dimension>`` that unpacks to about ``unpacked_bytes``: pupils, then rows of cells."""
    filler = '<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c></row>'
    rows = _header_row() + _pupil_row(2) + filler * (unpacked_bytes // len(filler))
    return xlsx(_sheet(rows))


def xlsx_wide_row(cells: int) -> bytes:
    """A header, one pupil, then one row of ``cells`` styled cells (one ``<row>`` that spans every column)."""
    wide = '<row r="3">' + '<c s="0"><v>1</v></c>' * cells + "</row>"
    return xlsx(_sheet(_header_row() + _pupil_row(2) + wide))


def xlsx_empty_rows(rows: int, *, explicit: bool) -> bytes:
    """A header and one pupil, then ``rows`` empty rows: written out (styled), or only claimed by ``<dimension>``
    and one far row (as a sheet formatted down to row 1,048,576 is stored)."""
    if explicit:
        empty = "".join(f'<row r="{r}" s="1" customFormat="1"/>' for r in range(3, rows + 3))
        return xlsx(_sheet(_header_row() + _pupil_row(2) + empty))
    last = rows + 2
    far = f'<row r="{last}"><c r="A{last}" s="1"/></row>'
    return xlsx(_sheet(_header_row() + _pupil_row(2) + far, dimension=f"A1:E{last}"))


def xlsx_pupil_after_empty_rows(rows: int, *, explicit: bool) -> bytes:
    """A header and one pupil, ``rows`` empty rows (written out, or a gap in the row numbers), another pupil."""
    after = rows + 3
    empty = "".join(f'<row r="{r}" s="1" customFormat="1"/>' for r in range(3, after)) if explicit else ""
    last = _pupil_row(after).replace(f"{after:06d}", "000002", 1)
    return xlsx(_sheet(_header_row() + _pupil_row(2) + empty + last))


def xlsx_wide_header(columns: int) -> bytes:
    """A header of the five known columns followed by ``columns`` more named columns, and one pupil."""
    extra = "".join(f'<c t="inlineStr"><is><t>kolom{i}</t></is></c>' for i in range(columns))
    header = _header_row().replace("</row>", extra + "</row>")
    return xlsx(_sheet(header + _pupil_row(2)))


def xlsx_many_parts(parts: int) -> bytes:
    """:func:`xlsx_valid` of one pupil with ``parts`` extra (empty) members in the zip."""
    out = io.BytesIO(xlsx_valid(1))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        for i in range(parts):
            archive.writestr(f"customXml/item{i}.xml", "")
    return out.getvalue()


def xlsx_lying_sizes(unpacked_bytes: int) -> bytes:
    """:func:`xlsx_sheet_bomb` whose zip headers claim the sheet unpacks to 1,000 bytes."""
    data = bytearray(xlsx_sheet_bomb(unpacked_bytes))
    name = b"xl/worksheets/sheet1.xml"
    local = data.find(b"PK\x03\x04" + b"")
    while local != -1:  # every local header, then the central directory entry of the sheet
        n = int.from_bytes(data[local + 26 : local + 28], "little")
        if data[local + 30 : local + 30 + n] == name:
            data[local + 22 : local + 26] = (1000).to_bytes(4, "little")
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        n = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + n] == name:
            data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)
