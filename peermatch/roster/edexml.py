"""EDEXML (``EDEX.XML`` from ParnasSys and ESIS, schema 1.03 / 2.0 / 2.1) and UWLR leerlinggegevens 2.x -> RawTable.

Read as a stream with expat, in bounded memory and time whatever the file (issue 11): a DTD, an entity
declaration or an external entity refuses the file before anything is expanded (no billion laughs, no
XXE); nesting depth, elements in the file, elements in one pupil, distinct element names of pupils,
pupils, groups and the length of one text are capped (:mod:`peermatch.roster.limits`), and a file that
crosses a cap is refused naming the cap, never echoing what it found.

Element names are matched without namespace. The document is ``<EDEX>`` (EDEXML), or UWLR's
``<leerlinggegevens>`` (namespace ``http://www.edustandaard.nl/leerresultaten/2/leerlinggegevens``),
bare or inside the SOAP answer ``Envelope/Body/leerlinggegevens_antwoord``; UWLR 2.x carries the same
``school`` / ``groepen`` / ``leerlingen`` structure as EDEXML (its XSD includes the EDEXML element and type
files), and no levels: test results travel in another message (``leerresultaten_verzoek``, namespace
``.../leerresultaten/2/leerresultaten``: ``toetsafnames`` and ``toetsen``), which is refused with a message
that says what it is.

One row per ``<leerling>``: the columns are ``key`` (the attribute) and the pupil's child elements by name;
``<groep key>`` becomes the group's ``<naam>``, and a missing ``<jaargroep>`` is taken from the group. A pupil
with only a ``<jaargroep>`` (allowed by EDEXML 1.03) gets a group named after it, with one warning. Without a
``roepnaam`` the first of ``voornamen`` is the first name. ``xs:date`` values may carry a zone
(``2016-05-05+02:00``, ``2015-11-30Z``). Sensitive elements (bsn, etniciteit, postcodenl, the Flemish
``postnummerbe`` and ``rijksregisternummer``, ...) are listed as columns so the teacher is told they were
dropped, but their text is never read. Pupils who left are skipped with a note: jaargroep ``H``
(historisch), or an ``uitstroomdatum`` before the peildatum (else the file's aanmaakdatum, else today).

Sources of the shapes (public Edustandaard schemas and examples, as published in public repositories):
EDEXML 1.03 ``EDEXML.structuur.xsd`` and ``EDEXML.Voorbeeld.1.03.xml``, 2.0 and 2.1 schemas and
``EDEXML.Voorbeeld.2.1-Vla.xml`` (github.com/Oefenweb/cakephp-edexml ``File/``, ``Test/File/``;
github.com/harmbandstra/edexmllib ``docs/``); UWLR leerlinggegevens 2.2/2.3 SOAP answers as exchanged
with Magister / ParnasSys / ESIS (``leerlinggegevens_antwoord/leerlinggegevens``; Topicus
``nl.topicus.onderwijs.uwlr.v2`` constants, xsdversie 2.2; public HelloID ParnasSys/ESIS connectors).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import NoReturn
from xml.parsers import expat

from peermatch.errors import FileTooLargeError, HeaderOnlyError, Problem, Severity, UnsupportedFileError
from peermatch.i18n.formatting import LocalNumber
from peermatch.roster import limits
from peermatch.roster.cells import Cell
from peermatch.roster.dates import format_nl
from peermatch.roster.headers import normalise
from peermatch.roster.limits import clip_list, limit_problem, too_many_rows
from peermatch.roster.privacy import is_sensitive
from peermatch.roster.table import Format, RawTable

__all__ = ["UWLR_NAMESPACE", "read_edexml"]

UWLR_NAMESPACE = "http://www.edustandaard.nl/leerresultaten/2/leerlinggegevens"

KEY = "key"
GROUP = "groep"
GRADE = "jaargroep"
FIRST_NAME = "roepnaam"
GIVEN_NAMES = "voornamen"
LEFT_ON = "uitstroomdatum"
_LEFT_SCHOOL = "H"
_ROOTS = frozenset({"EDEX", "leerlinggegevens"})
_SOAP_PATH = ("Envelope", "Body", "leerlinggegevens_antwoord")  # the wrappers of UWLR's SOAP answer
_RESULTS = "leerresultaten_verzoek"  # UWLR's other message (BrengLeerresultaten): test results, no pupil list
_DATES = frozenset({"geboortedatum", "instroomdatum", LEFT_ON})  # xs:date, maybe with a zone
# EDEXML elements that the general privacy list does not name but that we must not read either:
# the Flemish postcode and "postcode elsewhere" of EDEXML 1.03/2.x (Vlaanderen variant).
_EDEX_SENSITIVE = frozenset({"postnummerbe", "postcodeoverig", "rijksregisternummer"})
_XS_DATE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?")
_CHUNK = 64 * 1024


class _StopError(Exception):
    """Raised inside an expat handler to stop the parse with a problem."""

    def __init__(self, error: Exception) -> None:
        self.error = error


def _edex_problem(code: str, file: str | None, **params: object) -> Problem:
    return Problem(f"edex.{code}", file=file, params=params)


def _sensitive(name: str) -> bool:
    return name in _EDEX_SENSITIVE or is_sensitive(normalise(name))


def _xs_date(text: str) -> str:
    """``2016-05-05+02:00`` and ``2015-11-30Z`` -> ``2016-05-05`` (the date as written in its zone)."""
    match = _XS_DATE.fullmatch(text)
    return match.group(1) if match else text


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(_xs_date(text.strip())[:10])
    except ValueError:
        return None


def _grade(code: str) -> str:
    """EDEXML jaargroep -> our grade: 1-8 as is, VO 11-16 as 9-14, anything else (B, D, 0, S, V, C, N) empty."""
    if code.isdigit():
        number = int(code)
        if 1 <= number <= 8:
            return str(number)
        if 11 <= number <= 16:
            return str(number - 2)
    return ""


def _group_from_grade(code: str) -> str:
    """The group of a pupil who has only a jaargroep (EDEXML 1.03): ``Groep 5``, ``Leerjaar 2``, ``Jaargroep S``."""
    if code.isdigit() and 1 <= int(code) <= 8:
        return f"Groep {int(code)}"
    if code.isdigit() and 11 <= int(code) <= 16:
        return f"Leerjaar {int(code) - 10}"
    return f"Jaargroep {code}"


@dataclass
class _Pupil:
    position: int
    cells: list[str | None] = field(default_factory=list)  # by column index; None: absent, "" dropped or structured
    group_key: str | None = None
    elements: int = 0


def _local(tag: str) -> str:
    return tag[tag.rfind("}") + 1 :]


class _Reader:
    """The expat handlers: a small state machine over the depth and the section, with every cap checked.

    Kept lean: expat calls :meth:`start` and :meth:`end` for every element, and a hostile file has millions.
    """

    def __init__(self, file: str | None, max_rows: int, max_bytes: int) -> None:
        self.file = file
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.max_elements = limits.MAX_XML_ELEMENTS
        self.max_depth = limits.MAX_XML_DEPTH
        self.max_text = limits.MAX_XML_TEXT_CHARS
        self.max_pupil_elements = limits.MAX_PUPIL_ELEMENTS
        self.max_columns = limits.MAX_COLUMNS
        self.depth = 0  # elements open
        self.elements = 0
        self.outer: list[str] = []  # local names of the open elements above the document root
        self.root_depth = 0  # depth of <EDEX>/<leerlinggegevens> while inside it, else 0
        self.root_seen = False
        self.section = ""  # school, groepen, leerlingen or another child of the root
        self.columns: dict[str, int] = {}
        self.readable: list[bool] = []  # per column: may its text be read (not sensitive, not groep)?
        self.tag_columns: dict[str, int] = {}  # a pupil field's tag as expat gives it -> its column
        self.group_column = -1
        self.pupils: list[_Pupil] = []
        self.pupil: _Pupil | None = None
        self.child_index = -1  # the column of the pupil's child element being read, -1 for none
        self.groups: dict[str, list[str]] = {}  # key -> [naam, jaargroep]
        self.group: list[str] | None = None
        self.school: dict[str, str] = {}
        self.text: list[str] | None = None
        self.text_len = 0
        self.text_sink: Callable[[str], None] | None = None

    # -- refusing -----------------------------------------------------------------------------------------
    def _refuse(self, error: Exception) -> NoReturn:
        raise _StopError(error)

    def _limit(self, what: str, limit: int, row: int | None = None) -> NoReturn:
        self._refuse(FileTooLargeError(limit_problem(what, self.file, limit=limit, row=row)))

    def refuse_dtd(self, *args: object) -> None:
        """A DTD or an entity declaration: refused before anything in it is read or expanded."""
        self._refuse(UnsupportedFileError(Problem("roster.file.xml_unsafe", file=self.file)))

    def refuse_external(self, context: str, base: str | None, system_id: str | None, public_id: str | None) -> int:
        """An external entity reference: refused, never resolved."""
        self.refuse_dtd()
        return 0

    # -- text ---------------------------------------------------------------------------------------------
    def _capture(self, sink: Callable[[str], None]) -> None:
        self.text = []
        self.text_len = 0
        self.text_sink = sink

    def characters(self, data: str) -> None:
        if self.text is None:
            return  # text we do not need (or must not read) is never kept
        self.text_len += len(data)
        if self.text_len > self.max_text:
            row = self.pupil.position if self.pupil is not None else None
            params = {"limit": LocalNumber(self.max_text)}
            self._refuse(FileTooLargeError(Problem("edex.text_too_long", file=self.file, row=row, params=params)))
        self.text.append(data)

    # -- elements -----------------------------------------------------------------------------------------
    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        self.depth += 1
        if self.elements > self.max_elements:
            self._limit("xml_elements", self.max_elements)
        if self.depth > self.max_depth:
            self._limit("xml_depth", self.max_depth)
        self.text = None  # mixed content: text before a child element is not the element's value
        if not self.root_depth:
            self._outside(_local(tag))
            return
        level = self.depth - self.root_depth  # 1: school/groepen/leerlingen, 2: their items, 3: fields
        if level == 1:
            self.section = _local(tag)
            if self.section == "school" and attrs.get("peildatum"):
                self.school["peildatum"] = attrs["peildatum"]
        elif self.section == "leerlingen":
            self._in_pupils(level, tag, attrs)
        elif self.section == "groepen":
            self._in_groups(level, tag, attrs)
        elif self.section == "school" and level == 2:
            name = _local(tag)
            if name in ("peildatum", "aanmaakdatum"):
                self._capture(partial(self._school_text, name))

    def end(self, tag: str) -> None:
        if self.text is not None:
            text = "".join(self.text).strip()
            if self.child_index >= 0 and self.pupil is not None:
                self.pupil.cells[self.child_index] = text
            elif self.text_sink is not None:
                self.text_sink(text)
            self.text = None
            self.text_sink = None
        if self.root_depth:
            level = self.depth - self.root_depth
            if level == 3:
                self.child_index = -1
            elif level == 2:
                self.pupil = None
                self.group = None
            elif level == 1:
                self.section = ""
            elif level == 0:
                self.root_depth = 0
        elif self.outer:
            self.outer.pop()
        self.depth -= 1

    def _outside(self, name: str) -> None:
        parents = tuple(self.outer)
        if name in _ROOTS and (not parents or (name != "EDEX" and parents in (_SOAP_PATH, _SOAP_PATH[2:]))):
            self.root_depth = self.depth
            self.root_seen = True
            return
        if name == _RESULTS and parents in ((), _SOAP_PATH[:2]):
            self._refuse(UnsupportedFileError(Problem("edex.uwlr_results", file=self.file)))
        if not parents and name not in (_SOAP_PATH[0], _SOAP_PATH[2]):
            self._refuse(UnsupportedFileError(Problem("roster.file.xml_not_edex", file=self.file)))
        self.outer.append(name if len(self.outer) < len(_SOAP_PATH) else "")

    def _school_text(self, key: str, text: str) -> None:
        self.school.setdefault(key, text)

    def _in_groups(self, level: int, tag: str, attrs: dict[str, str]) -> None:
        if level == 2:
            self.group = None
            key = (attrs.get(KEY) or "").strip()
            if key and _local(tag) == "groep":
                if key not in self.groups and len(self.groups) >= self.max_rows:
                    limit = LocalNumber(self.max_rows)
                    self._refuse(FileTooLargeError(_edex_problem("too_many_groups", self.file, limit=limit)))
                self.group = self.groups.setdefault(key, ["", ""])
        elif level == 3 and self.group is not None:
            name = _local(tag)
            if name in ("naam", GRADE):
                self._capture(partial(self._group_text, self.group, 0 if name == "naam" else 1))

    @staticmethod
    def _group_text(group: list[str], index: int, text: str) -> None:
        group[index] = group[index] or text

    def _in_pupils(self, level: int, tag: str, attrs: dict[str, str]) -> None:
        pupil = self.pupil
        if level == 3 and pupil is not None:  # the hot path: one field of a pupil
            pupil.elements += 1
            if pupil.elements > self.max_pupil_elements:
                self._limit("pupil_elements", self.max_pupil_elements, row=pupil.position)
            index = self.tag_columns.get(tag)
            if index is None:
                index = self._column(_local(tag))
                if len(self.tag_columns) < 4 * self.max_columns:  # bounded: one name in many namespaces
                    self.tag_columns[tag] = index
            cells = pupil.cells
            if index >= len(cells):
                cells.extend([None] * (index + 1 - len(cells)))
            elif cells[index] is not None:
                return  # the first of two elements with one name wins
            if index == self.group_column:
                pupil.group_key = (attrs.get(KEY) or "").strip()
                cells[index] = pupil.group_key
                return
            cells[index] = ""  # a sensitive one is listed so the teacher hears it was dropped, never read
            if self.readable[index]:
                self.child_index = index
                self.text = []
                self.text_len = 0
            return
        if level == 2:
            self.pupil = None
            if _local(tag) != "leerling":
                return
            if len(self.pupils) >= self.max_rows:
                problem = too_many_rows(self.file, max_rows=self.max_rows, max_bytes=self.max_bytes)
                self._refuse(FileTooLargeError(problem))
            self.pupil = pupil = _Pupil(position=len(self.pupils) + 1, cells=[None] * len(self.columns))
            self.pupils.append(pupil)
            if (key := attrs.get(KEY)) is not None:
                index = self._column(KEY)
                if index >= len(pupil.cells):
                    pupil.cells.append(None)
                pupil.cells[index] = key.strip()
        elif pupil is not None:  # deeper: part of a structured field (samengestelde_groepen, toevoegingen, ...)
            pupil.elements += 1
            if pupil.elements > self.max_pupil_elements:
                self._limit("pupil_elements", self.max_pupil_elements, row=pupil.position)
            if level == 4 and self.child_index >= 0:
                pupil.cells[self.child_index] = ""  # a structured element: not a value
                self.child_index = -1

    def _column(self, name: str) -> int:
        index = self.columns.get(name)
        if index is None:
            if len(self.columns) >= self.max_columns:
                self._limit("xml_columns", self.max_columns)
            index = self.columns[name] = len(self.columns)
            self.readable.append(name != GROUP and not _sensitive(name))
            if name == GROUP:
                self.group_column = index
        return index


def _parse(data: bytes, file: str | None, max_rows: int, max_bytes: int) -> _Reader:
    reader = _Reader(file, max_rows, max_bytes)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.ordered_attributes = False
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = reader.refuse_dtd
    parser.EntityDeclHandler = reader.refuse_dtd
    parser.UnparsedEntityDeclHandler = reader.refuse_dtd
    parser.ExternalEntityRefHandler = reader.refuse_external
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.characters
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.Parse(data[offset : offset + _CHUNK], False)
        parser.Parse(b"", True)
    except _StopError as stop:
        raise stop.error from None
    except (expat.ExpatError, ValueError, UnicodeError, LookupError) as exc:
        raise UnsupportedFileError(Problem("roster.file.xml_broken", file=file)) from exc
    if not reader.root_seen:
        raise UnsupportedFileError(Problem("roster.file.xml_not_edex", file=file))
    return reader


def _value(cells: list[str | None], index: int) -> str:
    return cells[index] or ""


def read_edexml(data: bytes, *, max_rows: int, max_bytes: int, file: str | None = None) -> RawTable:
    """The pupils of an EDEX.XML file or a UWLR leerlinggegevens message; see the module docstring."""
    reader = _parse(data, file, max_rows, max_bytes)
    if not reader.pupils:
        raise HeaderOnlyError(Problem("roster.file.edex_no_pupils", file=file))
    peildatum = _date(reader.school.get("peildatum", ""))
    left_before = peildatum or _date(reader.school.get("aanmaakdatum", "")) or dt.date.today()

    columns = dict(reader.columns)
    for name in (KEY, GROUP, GRADE, FIRST_NAME, GIVEN_NAMES, LEFT_ON):
        columns.setdefault(name, len(columns))
    group, grade, first, given, left = (columns[n] for n in (GROUP, GRADE, FIRST_NAME, GIVEN_NAMES, LEFT_ON))
    dates = [columns[n] for n in _DATES if n in columns]
    notes: list[Problem] = [Problem("roster.edex.no_levels", Severity.INFO, file=file)]
    rows: list[tuple[int, list[str | None]]] = []
    made_groups: dict[str, int] = {}
    first_of_given = 0
    for pupil in reader.pupils:
        cells = pupil.cells + [None] * (len(columns) - len(pupil.cells))
        grade_code = _value(cells, grade)
        if pupil.group_key is not None:
            naam, group_grade = reader.groups.get(pupil.group_key, ["", ""])
            cells[group] = naam or pupil.group_key
            grade_code = grade_code or group_grade
        if grade_code == _LEFT_SCHOOL:
            notes.append(Problem("roster.edex.left", Severity.INFO, file=file, row=pupil.position))
            continue
        left_on = _date(_value(cells, left))
        if left_on is not None and left_on < left_before:
            dates_shown = {"date": format_nl(left_on), "reference": format_nl(left_before)}
            notes.append(Problem("edex.left_by_date", Severity.INFO, file=file, row=pupil.position, params=dates_shown))
            continue
        if grade_code:
            cells[grade] = _grade(grade_code)
            if not _value(cells, group):
                cells[group] = made = _group_from_grade(grade_code)
                made_groups[made] = made_groups.get(made, 0) + 1
        if not _value(cells, first) and (names := _value(cells, given).split()):
            cells[first] = names[0]
            first_of_given += 1
        for index in dates:
            if cells[index]:
                cells[index] = _xs_date(_value(cells, index))
        rows.append((pupil.position, cells))
    if not rows:
        raise HeaderOnlyError(Problem("roster.file.edex_no_pupils", file=file))

    if made_groups:
        count = sum(made_groups.values())
        code = "edex.group_from_jaargroep" + ("_one" if count == 1 else "")
        params: dict[str, object] = {"count": LocalNumber(count), "groups": clip_list(made_groups)}
        notes.append(Problem(code, Severity.WARNING, file=file, params=params))
    if first_of_given:
        code = "edex.first_of_voornamen" + ("_one" if first_of_given == 1 else "")
        notes.append(Problem(code, Severity.INFO, file=file, params={"count": LocalNumber(first_of_given)}))

    # The columns some kept pupil has, in first-seen order (an added column may be empty for everyone).
    keep = sorted({i for _, cells in rows for i, cell in enumerate(cells) if cell is not None})
    names_by_index = {i: n for n, i in columns.items()}
    table_rows: list[tuple[int, list[Cell]]] = [
        (position, [_value(cells, i) for i in keep]) for position, cells in rows
    ]
    return RawTable(
        format=Format.XML,
        headers=tuple(names_by_index[i] for i in keep),
        rows=table_rows,
        header_row=None,
        reference_date=peildatum,
        notes=tuple(notes),
    )
