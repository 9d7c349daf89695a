"""Header row -> the fields PeerMatch uses, via the aliases real exports use (domain/rosters.md 3.6).

Matching ignores case, accents, spaces and punctuation: ``Geb. datum``, ``geb.datum`` and
``GEBOORTEDATUM`` are the same header. Per field, the first alias listed wins when a file has two
(``roepnaam`` before ``voornaam``); a second first-name column is kept as a fallback for empty cells,
any other second column for one field is ignored. A header that is no alias is either sensitive
(dropped, see :mod:`peermatch.roster.privacy`) or simply not used (ignored).

A *level file* from a pupil-tracking system (:mod:`peermatch.roster.levels_file`) is mapped with
:func:`map_level_headers`: the pupil fields above plus the fields of a measurement (the subject, the level,
the date, the round), whose aliases are only used there.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from peermatch.roster.privacy import is_sensitive

__all__ = [
    "REQUIRED",
    "ColumnMap",
    "Field",
    "map_headers",
    "map_level_headers",
    "normalise",
    "recognised_fields",
]


class Field(StrEnum):
    PUPIL_ID = "pupil_id"
    FIRST_NAME = "first_name"
    PREFIX = "prefix"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"  # "Aartsen, Dae" in one cell; used only without a first-name column
    BIRTH_DATE = "birth_date"
    GROUP = "group"
    GRADE = "grade"
    READING = "reading"
    READING_QUALITY = "reading_quality"
    MATHS = "maths"
    ROLE = "role"
    MOTIVATION = "motivation"
    NOT_WITH = "not_with"
    SCHOOL = "school"  # a board's or city's roster of several schools: pairs stay within a school (issue 14)
    # level files only (map_level_headers)
    SUBJECT = "subject"  # long layout: the test or subject of this row ("Toets", "Vormingsgebied")
    LEVEL = "level"  # long layout: the level of this row ("Niveau", "Functioneringsniveau")
    MEASURED_ON = "measured_on"  # the date of the measurement ("Afnamedatum")
    SCHOOL_YEAR = "school_year"  # "2025-2026", with MOMENT when there is no date
    MOMENT = "moment"  # the test round: "M", "E", "M5", "midden", "eind"


# Per field, best first. Written as people write them; normalised once at import.
_ALIASES: dict[Field, tuple[str, ...]] = {
    Field.PUPIL_ID: (
        "leerlingnummer", "leerling nummer", "leerlingnr", "lln nr", "llnr", "lln nummer", "stamnummer", "stamnr",
        "key", "id", "leerling id", "leerlingcode", "pupil id", "student number",
        # AMN (assessment provider for VO/MBO): the pupil's number in its exports and imports
        "deelnemersnummer", "deelnemer nummer",
        # ESIS LVS toetsen export (public importer code reading it: "EsisIdentificatienummer")
        "esis identificatienummer", "identificatienummer",
        # UWLR / EDEXML: the LAS's pupil key as tracking systems write it back
        "leerlingkey", "leerling key", "leerlingsleutel",
    ),
    Field.FIRST_NAME: ("roepnaam", "voornaam", "voornamen", "first name"),
    Field.PREFIX: ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels", "tussenv.", "tv", "prefix"),
    Field.LAST_NAME: ("achternaam", "familienaam", "naam", "last name", "surname"),
    Field.FULL_NAME: ("naam leerling", "leerlingnaam", "volledige naam", "leerling", "full name"),
    Field.BIRTH_DATE: (
        "geboortedatum", "geb.datum", "geb. datum", "geb datum", "gebdat", "geboren", "geboorte datum",
        "date of birth", "birth date",
    ),
    # "Klasnaam": Social Schools' class export (beside "Leerjaar"); "Groepsnaam": ParnasSys.
    Field.GROUP: ("groep", "klas", "stamgroep", "basisgroep", "groepsnaam", "groep naam", "klasnaam", "lesgroep"),
    Field.GRADE: ("jaargroep", "leerjaar", "groepsjaar", "grade"),
    # the school of the row when one file holds several: DUO's BRIN code (EDEXML's <brincode>) or the name
    Field.SCHOOL: ("brin", "brincode", "brin code", "brinnummer", "brin nummer", "school", "schoolnaam", "school naam"),
    # Wide level files name a column after the test (ParnasSys dynamisch overzicht / groepskaart, Cito LOVS
    # groepsoverzicht): "AVI", "Technisch lezen AVI", "Rekenen-Wiskunde" with the functioneringsniveau.
    Field.READING: (
        "avi", "avi niveau", "avi-niveau", "leesniveau", "technisch lezen", "avi nieuw", "reading",
        "technisch lezen avi", "avi technisch lezen", "avi 2009", "avi toets", "avi-toets", "avi resultaat",
    ),
    Field.READING_QUALITY: ("avi beheersing", "avi kwaliteit", "avi beheersingsniveau", "avi score"),
    Field.MATHS: (
        "rekenen", "rekenniveau", "rekenen niveau", "functioneringsniveau rekenen", "rekenen functioneringsniveau",
        "rekenen fn", "fn rekenen", "maths",
        "rekenen-wiskunde", "rekenen wiskunde", "rekenen/wiskunde", "rekenen-wiskunde functioneringsniveau",
        "functioneringsniveau rekenen-wiskunde", "rekenen-wiskunde fn", "rekenen-wiskunde 3.0",
        "referentieniveau rekenen", "rekenen referentieniveau",
    ),
    Field.ROLE: ("rol", "tutorrol", "tutor rol", "role"),
    Field.MOTIVATION: ("motivatie", "motivatie 1-5", "motivation"),
    Field.NOT_WITH: ("niet_koppelen_met", "niet koppelen met", "niet samen met", "niet koppelen", "not with"),
}  # fmt: skip

# Only in level files: a header as common as "Datum" or "Niveau" means nothing in a class list.
# Sources: the ESIS LVS toetsen export ("Vormingsgebied", "Afnamedatum", "Schooljaar", "Leerjaar"; public
# importer code), the doorstroomtoets chain's OpenAPI of DUO and the test providers ("toetseenheid",
# "afnametijdstip", label "Referentieniveau"; github.com/JosVanderArend/doorstroomtoets), and the words
# ParnasSys, Cito, Boom and IEP use on screen ("Toets", "Toetsmoment", "Niveau", "Functioneringsniveau").
_LEVEL_ALIASES: dict[Field, tuple[str, ...]] = {
    Field.SUBJECT: (
        "toets", "toetsnaam", "vak", "vakgebied", "leergebied", "vormingsgebied", "toetseenheid", "toetssoort",
        "onderdeel", "domein", "instrument", "test", "subject",
    ),
    Field.LEVEL: (
        "functioneringsniveau", "fn", "niveau", "referentieniveau", "resultaat", "uitslag", "waarde", "score niveau",
        "level",
    ),
    Field.READING_QUALITY: ("beheersing", "beheersingsniveau", "kwaliteit", "leesniveau beheersing"),
    Field.MEASURED_ON: (
        "afnamedatum", "datum afname", "afname datum", "afgenomen op", "toetsdatum", "datum toets", "afnametijdstip",
        "meetdatum", "datum", "date", "measured on",
    ),
    Field.SCHOOL_YEAR: ("schooljaar", "school year"),
    Field.MOMENT: ("toetsmoment", "afnamemoment", "moment", "periode", "toetsperiode", "round"),
}  # fmt: skip

REQUIRED: tuple[Field, ...] = (Field.PUPIL_ID, Field.FIRST_NAME, Field.GROUP, Field.BIRTH_DATE)


def normalise(header: str) -> str:
    """Lower case, accents removed, letters and digits only: ``"Geb. Datum"`` -> ``"gebdatum"``."""
    decomposed = unicodedata.normalize("NFKD", header.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


_LOOKUP: dict[str, tuple[Field, int]] = {}
for _field, _names in _ALIASES.items():
    for _rank, _name in enumerate(_names):
        _LOOKUP.setdefault(normalise(_name), (_field, _rank))
_LEVEL_LOOKUP: dict[str, tuple[Field, int]] = dict(_LOOKUP)
for _field, _names in _LEVEL_ALIASES.items():
    for _rank, _name in enumerate(_names):
        # the level words rank after the class-list words of the same field ("AVI beheersing" first)
        _LEVEL_LOOKUP.setdefault(normalise(_name), (_field, 100 + _rank))


def _lookup(header: object, table: dict[str, tuple[Field, int]] = _LOOKUP) -> tuple[Field, int] | None:
    return table.get(normalise(header)) if isinstance(header, str) else None


def recognised_fields(cells: Sequence[object]) -> int:
    """How many distinct fields a candidate header row names (to find the header below title rows).

    Level-file words count too, so a tracking system's export (``Leerlingnummer;Toets;Niveau``) finds its
    header like a class list does; a class list's own mapping (:func:`map_headers`) ignores them.
    """
    return len({hit[0] for cell in cells if (hit := _lookup(cell, _LEVEL_LOOKUP)) is not None})


@dataclass(frozen=True)
class ColumnMap:
    """Where each field is, by column index, and what happens to the other columns."""

    fields: dict[Field, int]
    headers: tuple[str, ...]  # as written (stripped)
    fallbacks: dict[Field, tuple[int, ...]] = field(default_factory=dict)
    dropped: tuple[int, ...] = ()  # sensitive: never read
    ignored: tuple[int, ...] = ()  # not used
    duplicates: tuple[tuple[int, int], ...] = ()  # (ignored index, index used instead)
    full_name_from_naam: bool = False  # a "Naam" column was read as "Achternaam, Roepnaam"

    def missing(self) -> tuple[Field, ...]:
        present = set(self.fields)
        if Field.FULL_NAME in present:
            present.add(Field.FIRST_NAME)
        return tuple(f for f in REQUIRED if f not in present)


def map_headers(headers: Sequence[str]) -> ColumnMap:
    """Classify every header of a class list; see the module docstring for the rules."""
    return _map(headers, _LOOKUP)


def map_level_headers(headers: Sequence[str]) -> ColumnMap:
    """Classify every header of a level file: the class-list fields plus subject, level, date and round."""
    return _map(headers, _LEVEL_LOOKUP)


def _map(headers: Sequence[str], table: dict[str, tuple[Field, int]]) -> ColumnMap:
    ranked: dict[Field, list[tuple[int, int]]] = {}
    dropped: list[int] = []
    ignored: list[int] = []
    for index, header in enumerate(headers):
        if not header:
            continue  # a column without a header: nothing to name, nothing read
        hit = _lookup(header, table)
        if hit is not None:
            ranked.setdefault(hit[0], []).append((hit[1], index))
        elif is_sensitive(normalise(header)):
            dropped.append(index)
        else:
            ignored.append(index)

    full_name_from_naam = False
    last = ranked.get(Field.LAST_NAME, [])
    if Field.FIRST_NAME not in ranked and Field.FULL_NAME not in ranked:
        naam = [entry for entry in last if normalise(headers[entry[1]]) == "naam"]
        if naam and len(naam) == len(last):  # only "Naam": Magister's "Aartsen, Dae"
            ranked[Field.FULL_NAME] = naam
            del ranked[Field.LAST_NAME]
            full_name_from_naam = True

    fields: dict[Field, int] = {}
    fallbacks: dict[Field, tuple[int, ...]] = {}
    duplicates: list[tuple[int, int]] = []
    for fld, entries in ranked.items():
        entries.sort()
        fields[fld] = entries[0][1]
        rest = tuple(index for _, index in entries[1:])
        if fld is Field.FIRST_NAME:
            fallbacks[fld] = rest
        else:
            duplicates.extend((index, entries[0][1]) for index in rest)
    if Field.FIRST_NAME in fields and Field.FULL_NAME in fields:
        duplicates.append((fields.pop(Field.FULL_NAME), fields[Field.FIRST_NAME]))

    return ColumnMap(
        fields=fields,
        headers=tuple(headers),
        fallbacks={k: v for k, v in fallbacks.items() if v},
        dropped=tuple(dropped),
        ignored=tuple(ignored),
        duplicates=tuple(sorted(duplicates)),
        full_name_from_naam=full_name_from_naam,
    )
