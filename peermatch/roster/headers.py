"""Header row -> the fields PeerMatch uses, via the aliases real exports use (domain/rosters.md 3.6).

Matching ignores case, accents, spaces and punctuation: ``Geb. datum``, ``geb.datum`` and
``GEBOORTEDATUM`` are the same header. Per field, the first alias listed wins when a file has two
(``roepnaam`` before ``voornaam``); a second first-name column is kept as a fallback for empty cells,
any other second column for one field is ignored. A header that is no alias is either sensitive
(dropped, see :mod:`peermatch.roster.privacy`) or simply not used (ignored).
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


# Per field, best first. Written as people write them; normalised once at import.
_ALIASES: dict[Field, tuple[str, ...]] = {
    Field.PUPIL_ID: (
        "leerlingnummer", "leerling nummer", "leerlingnr", "lln nr", "llnr", "lln nummer", "stamnummer", "stamnr",
        "key", "id", "leerling id", "leerlingcode", "pupil id", "student number",
    ),
    Field.FIRST_NAME: ("roepnaam", "voornaam", "voornamen", "first name"),
    Field.PREFIX: ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels", "tussenv.", "tv", "prefix"),
    Field.LAST_NAME: ("achternaam", "familienaam", "naam", "last name", "surname"),
    Field.FULL_NAME: ("naam leerling", "leerlingnaam", "volledige naam", "leerling", "full name"),
    Field.BIRTH_DATE: (
        "geboortedatum", "geb.datum", "geb. datum", "geb datum", "gebdat", "geboren", "geboorte datum",
        "date of birth", "birth date",
    ),
    Field.GROUP: ("groep", "klas", "stamgroep", "basisgroep", "groepsnaam", "groep naam", "klasnaam", "lesgroep"),
    Field.GRADE: ("jaargroep", "leerjaar", "groepsjaar", "grade"),
    Field.READING: ("avi", "avi niveau", "avi-niveau", "leesniveau", "technisch lezen", "avi nieuw", "reading"),
    Field.READING_QUALITY: ("avi beheersing", "avi kwaliteit", "avi beheersingsniveau"),
    Field.MATHS: (
        "rekenen", "rekenniveau", "rekenen niveau", "functioneringsniveau rekenen", "rekenen functioneringsniveau",
        "rekenen fn", "fn rekenen", "maths",
    ),
    Field.ROLE: ("rol", "tutorrol", "tutor rol", "role"),
    Field.MOTIVATION: ("motivatie", "motivatie 1-5", "motivation"),
    Field.NOT_WITH: ("niet_koppelen_met", "niet koppelen met", "niet samen met", "niet koppelen", "not with"),
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


def _lookup(header: object) -> tuple[Field, int] | None:
    return _LOOKUP.get(normalise(header)) if isinstance(header, str) else None


def recognised_fields(cells: Sequence[object]) -> int:
    """How many distinct fields a candidate header row names (to find the header below title rows)."""
    return len({hit[0] for cell in cells if (hit := _lookup(cell)) is not None})


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
    """Classify every header; see the module docstring for the rules."""
    ranked: dict[Field, list[tuple[int, int]]] = {}
    dropped: list[int] = []
    ignored: list[int] = []
    for index, header in enumerate(headers):
        if not header:
            continue  # a column without a header: nothing to name, nothing read
        hit = _lookup(header)
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
