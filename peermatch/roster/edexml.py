"""EDEXML (``EDEX.XML`` from ParnasSys and ESIS, schema 2.x) -> :class:`RawTable`.

Parsed with defusedxml only, with DTDs forbidden (EDEXML has none; a DTD is how entity bombs and
XXE come in). Element names are matched without namespace. One row per ``<leerling>``: the columns
are ``key`` (the attribute) and the pupil's child elements by name; ``<groep key>`` becomes the
group's ``<naam>``, and a missing ``<jaargroep>`` is taken from the group. Sensitive elements (bsn,
etniciteit, postcodenl, ...) are listed as columns so the teacher is told they were dropped, but
their text is never read. Pupils with jaargroep ``H`` (historisch: left the school) are skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from peermatch.errors import FileTooLargeError, HeaderOnlyError, Problem, Severity, UnsupportedFileError
from peermatch.roster.cells import Cell
from peermatch.roster.headers import normalise
from peermatch.roster.limits import too_many_rows
from peermatch.roster.privacy import is_sensitive
from peermatch.roster.table import Format, RawTable

__all__ = ["read_edexml"]

KEY = "key"
GROUP = "groep"
GRADE = "jaargroep"
_LEFT_SCHOOL = "H"


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(parent: Element, name: str) -> Element | None:
    return next((child for child in parent if _local(child.tag) == name), None)


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _grade(code: str) -> str:
    """EDEXML jaargroep -> our grade: 1-8 as is, VO 11-16 as 9-14, anything else (B, D, 0, S, V, C, N) empty."""
    if code.isdigit():
        number = int(code)
        if 1 <= number <= 8:
            return str(number)
        if 11 <= number <= 16:
            return str(number - 2)
    return ""


def _peildatum(root: Element) -> dt.date | None:
    school = _child(root, "school")
    if school is None:
        return None
    text = school.get("peildatum") or _text(_child(school, "peildatum"))
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _groups(root: Element) -> dict[str, tuple[str, str]]:
    """group key -> (naam, jaargroep)."""
    out: dict[str, tuple[str, str]] = {}
    groepen = _child(root, "groepen")
    if groepen is None:
        return out
    for groep in groepen:
        if _local(groep.tag) == "groep" and (key := groep.get("key")) is not None:
            out[key] = (_text(_child(groep, "naam")) or key, _text(_child(groep, GRADE)))
    return out


def _parse(data: bytes, file: str | None) -> Element:
    try:
        root: Element = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsupportedFileError(Problem("roster.file.xml_unsafe", file=file)) from exc
    except (ParseError, ValueError, UnicodeError, LookupError) as exc:
        raise UnsupportedFileError(Problem("roster.file.xml_broken", file=file)) from exc
    if _local(root.tag) != "EDEX":
        raise UnsupportedFileError(Problem("roster.file.xml_not_edex", file=file))
    return root


def read_edexml(data: bytes, *, max_rows: int, max_bytes: int, file: str | None = None) -> RawTable:
    """The pupils of an EDEX.XML file; see the module docstring."""
    root = _parse(data, file)
    groups = _groups(root)
    leerlingen = _child(root, "leerlingen")
    pupils = [el for el in (leerlingen if leerlingen is not None else ()) if _local(el.tag) == "leerling"]
    if not pupils:
        raise HeaderOnlyError(Problem("roster.file.edex_no_pupils", file=file))
    if len(pupils) > max_rows:
        raise FileTooLargeError(too_many_rows(file, max_rows=max_rows, max_bytes=max_bytes))

    columns: dict[str, int] = {}
    records: list[tuple[int, dict[str, str]]] = []
    notes: list[Problem] = [Problem("roster.edex.no_levels", Severity.INFO, file=file)]
    for position, pupil in enumerate(pupils, start=1):
        values: dict[str, str] = {}
        group_grade = ""
        if (key := pupil.get("key")) is not None:
            values[KEY] = key.strip()
        for element in pupil:
            name = _local(element.tag)
            if not name or name in values:
                continue
            if name == GROUP:
                group_name, group_grade = groups.get((element.get("key") or "").strip(), ("", ""))
                values[GROUP] = group_name or (element.get("key") or "").strip()
            elif is_sensitive(normalise(name)) or len(element):
                values[name] = ""  # listed so the teacher hears it was dropped; the text is never read
            else:
                values[name] = _text(element)
        if not values.get(GRADE) and group_grade:
            values[GRADE] = group_grade
        if values.get(GRADE) == _LEFT_SCHOOL:
            notes.append(Problem("roster.edex.left", Severity.INFO, file=file, row=position))
            continue
        if GRADE in values:
            values[GRADE] = _grade(values[GRADE])
        for name in values:
            columns.setdefault(name, len(columns))
        records.append((position, values))

    headers = tuple(columns)
    rows: list[tuple[int, list[Cell]]] = []
    for position, values in records:
        cells: list[Cell] = [""] * len(headers)
        for name, value in values.items():
            cells[columns[name]] = value
        rows.append((position, cells))
    return RawTable(
        format=Format.XML,
        headers=headers,
        rows=rows,
        header_row=None,
        reference_date=_peildatum(root),
        notes=tuple(notes),
    )
