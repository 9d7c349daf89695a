"""Reading (AVI-2009) and maths (functioneringsniveau) levels on one ordered index.

=======  =====  ===  ===  ===  ===  ===  ===  ===  ===  ===  ===  ==========  ==========
code     Start  M3   E3   M4   E4   M5   E5   M6   E6   M7   E7   B8 (maths)  Plus / M8
index    0      1    2    3    4    5    6    7    8    9    10   10.5        11
=======  =====  ===  ===  ===  ===  ===  ===  ===  ===  ===  ===  ==========  ==========

Accepted notations (case, spaces, dots, dashes and an ``AVI`` prefix are ignored): ``AVI-M4``,
``avi m4``, ``M4``, ``E 5``, ``Start``, ``S``, ``S3``, ``AVI-start``, ``Plus``, ``+``, ``P``,
``AVI uit`` (as Plus, flagged), and the old AVI 1-9 scale (``AVI 5``, ``5``, ``9+``) as a range on
the new one. A quality word may follow: ``M5 beheersing``, ``E4 instructie``, ``M6 (frustratie)``.
AVI M8 / E8 do not exist and are refused with a message that says so; maths M8 and B8 do exist.

Notations from real pupil-tracking reports (each read with a note the teacher sees):

* a **range** ``AVI M4–E4``, ``M5-E5``, ``M4 t/m E4``: the pupil reads somewhere between the two levels (a
  teacher writes it while a pupil is between cards). It is a range ``low..high`` like the old scale: as a
  tutor the pupil counts at the *lower* bound, as a tutee at the upper one, so a pair is never closer in
  level than the file allows (matching safety). A reversed range (``E5-M4``) is refused.
* **below / above the scale's ends** ``<M3``, ``>E7`` (Cito functioneringsniveau beyond the normed tests):
  ``<X`` is the range from the bottom of the scale up to ``X`` (as a tutor at the bottom, as a tutee at
  ``X``), ``>X`` the range from ``X`` to the top (``Plus`` for reading, ``M8`` for maths).
* **referentieniveaus** (rekenen, end of primary school; SLO, IEP): ``<1F`` as M3..E6, ``1F`` as E6..M8,
  ``1S`` and ``2F`` as M7..M8 (ranges, see ``README.md``); the secondary-school levels ``2S``, ``3F``, ``3S``,
  ``4F`` are refused. In the reading column a referentieniveau is refused: it describes reading
  *comprehension* (taal), and AVI measures *technical* reading.

Facts and sources: ``shared/domain/levels.md``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from peermatch.errors import LevelError, Problem
from peermatch.model import Level, Quality, Subject

__all__ = [
    "MATHS_CODES",
    "OLD_AVI_RANGES",
    "READING_CODES",
    "REFERENCE_RANGES",
    "ambiguous_choices",
    "code_for_index",
    "parse_level",
    "parse_maths",
    "parse_quality",
    "parse_reading",
    "parse_typed_level",
]

READING_CODES: dict[str, float] = {
    "Start": 0,
    "M3": 1, "E3": 2, "M4": 3, "E4": 4, "M5": 5, "E5": 6, "M6": 7, "E6": 8, "M7": 9, "E7": 10,
    "Plus": 11,
}  # fmt: skip
MATHS_CODES: dict[str, float] = {
    "M3": 1, "E3": 2, "M4": 3, "E4": 4, "M5": 5, "E5": 6, "M6": 7, "E6": 8, "M7": 9, "E7": 10,
    "B8": 10.5, "M8": 11,
}  # fmt: skip

# Old AVI (1-9, before 2009) -> the range of new levels it can mean (published conversion table,
# inverted; levels.md 1.3). Tutors count at the low end, tutees at the high end.
OLD_AVI_RANGES: dict[str, tuple[str, str]] = {
    "1": ("Start", "M3"),
    "2": ("M3", "E3"),
    "3": ("E3", "M4"),
    "4": ("M4", "E4"),
    "5": ("M4", "M5"),
    "6": ("E4", "E5"),
    "7": ("E5", "M6"),
    "8": ("E5", "M7"),
    "9": ("M6", "M7"),
    "9+": ("E7", "Plus"),
}

_QUALITY_WORDS: dict[str, Quality] = {
    "beheersing": Quality.BEHEERSING, "beheersingsniveau": Quality.BEHEERSING, "beh": Quality.BEHEERSING,
    "bh": Quality.BEHEERSING, "beheerst": Quality.BEHEERSING,
    "instructie": Quality.INSTRUCTIE, "instructieniveau": Quality.INSTRUCTIE, "instr": Quality.INSTRUCTIE,
    "ins": Quality.INSTRUCTIE,
    "frustratie": Quality.FRUSTRATIE, "frustratieniveau": Quality.FRUSTRATIE, "frustr": Quality.FRUSTRATIE,
    "fr": Quality.FRUSTRATIE,
}  # fmt: skip

_QUALITY_SUFFIX = re.compile(r"[\s(\[/-]+(" + "|".join(sorted(_QUALITY_WORDS, key=len, reverse=True)) + r")\W*$")
_CITO_BANDS = re.compile(r"^(i|ii|iii|iv|v|a|b|c|d|e)[+-]?$")

# One level inside a range: an optional AVI prefix, then a code (the parts are parsed on their own).
_PART = r"(?:avi[\s._:-]*)?(?:start|plus|s3?|[meb]\s*[0-9]{1,2})"
_RANGE = re.compile(r"^(" + _PART + r")\s*(?:[-\u2013\u2014/]|t/m|tot en met|tot)\s*(" + _PART + r")$")
_BEYOND = re.compile(r"^([<>])\s*(" + _PART + r")$")
_REFERENCE = re.compile(r"^(<)?([1-4])([fs])$")

# Referentieniveaus rekenen (end of primary school: 1F fundamental, 1S streef; 2F is the next fundamental
# level, reported by some tests) as ranges on the index. IEP tests 1F from leerjaar 6, so 1F reached means at
# least about E6; 1S/2F at least about M7; the top is M8. <1F means "not yet 1F": from M3 up to E6.
REFERENCE_RANGES: dict[str, tuple[float, float]] = {
    "<1F": (1, 8),
    "1F": (8, 11),
    "1S": (9, 11),
    "2F": (9, 11),
}


def _squash(text: str) -> str:
    """Lower-case and drop the AVI prefix and every space, dot, dash and underscore."""
    s = text.strip().lower()
    s = re.sub(r"^avi(?=[\s._:-]|$|[a-z0-9+])", "", s)
    return re.sub(r"[\s._:\-()]", "", s)


def parse_quality(text: str) -> Quality:
    """``beheersing`` / ``instructie`` / ``frustratie`` and their abbreviations."""
    key = _squash(text)
    if key in _QUALITY_WORDS:
        return _QUALITY_WORDS[key]
    raise LevelError(Problem("levels.unknown_quality", value=text))


def _split_quality(text: str) -> tuple[str, Quality | None]:
    match = _QUALITY_SUFFIX.search(text.strip().lower())
    if match is None:
        return text, None
    return text.strip()[: match.start()], _QUALITY_WORDS[match.group(1)]


@lru_cache(maxsize=4096)
def parse_reading(text: str) -> Level:
    """An AVI level in any notation schools write; raises ``LevelError`` with a clear message."""
    special = _special(Subject.LEZEN, text)
    if special is not None:
        return special
    body, quality = _split_quality(text)
    key = _squash(body)
    if key in {"start", "s", "s3", "st"}:
        return Level(Subject.LEZEN, "Start", 0, 0, quality, text)
    if key in {"plus", "+", "p"}:
        return Level(Subject.LEZEN, "Plus", 11, 11, quality, text)
    if key in {"uit", "avi uit", "aviuit"}:
        return Level(Subject.LEZEN, "Plus", 11, 11, quality, text, note="levels.note.avi_uit")
    m = re.fullmatch(r"([me])([0-9]{1,2})", key)
    if m:
        letter, grade = m.group(1).upper(), int(m.group(2))
        if grade == 8:
            raise LevelError(Problem("levels.avi_no_8", value=text))
        code = f"{letter}{grade}"
        if code in READING_CODES:
            return Level(Subject.LEZEN, code, READING_CODES[code], READING_CODES[code], quality, text)
        raise LevelError(Problem("levels.unknown_reading", value=text))
    old = re.fullmatch(r"([1-9]\+?)(oud)?", key)
    if old:
        low, high = OLD_AVI_RANGES[old.group(1)]
        return Level(
            Subject.LEZEN, f"AVI {old.group(1)} (oud)", READING_CODES[low], READING_CODES[high], quality, text,
            converted=True, note="levels.note.old_avi",
        )  # fmt: skip
    raise LevelError(Problem("levels.unknown_reading", value=text))


@lru_cache(maxsize=4096)
def parse_maths(text: str) -> Level:
    """A maths functioneringsniveau (M3 ... E7, B8, M8); refuses I-V / A-E bands with an explanation."""
    special = _special(Subject.REKENEN, text)
    if special is not None:
        return special
    body, quality = _split_quality(text)
    key = _squash(body)
    m = re.fullmatch(r"([meb])([0-9]{1,2})", key)
    if m:
        code = f"{m.group(1).upper()}{int(m.group(2))}"
        if code in MATHS_CODES:
            return Level(Subject.REKENEN, code, MATHS_CODES[code], MATHS_CODES[code], quality, text)
    if _CITO_BANDS.fullmatch(key):
        raise LevelError(Problem("levels.maths_band", value=text))
    raise LevelError(Problem("levels.unknown_maths", value=text))


def _special(subject: Subject, text: str) -> Level | None:
    """A range, a ``<``/``>`` level or a referentieniveau; ``None`` when ``text`` is none of these."""
    body, quality = _split_quality(text)
    plain = re.sub(r"\s+", " ", body.strip().lower())
    reference = _REFERENCE.fullmatch(_squash(body))
    if reference:
        return _reference(subject, text, reference, quality)
    parse = parse_reading if subject is Subject.LEZEN else parse_maths
    codes = READING_CODES if subject is Subject.LEZEN else MATHS_CODES
    rng = _RANGE.fullmatch(plain)
    if rng:
        low, high = parse(rng.group(1)), parse(rng.group(2))
        if low.low > high.high:
            raise LevelError(Problem("levels.range_reversed", value=text))
        if low.code == high.code:
            return Level(subject, low.code, low.low, low.high, quality, text)
        return Level(
            subject, f"{low.code}\u2013{high.code}", low.low, high.high, quality, text, note="levels.note.range"
        )
    beyond = _BEYOND.fullmatch(plain)
    if beyond:
        end = parse(beyond.group(2))
        bottom, top = min(codes.values()) if subject is Subject.LEZEN else 0.0, max(codes.values())
        if beyond.group(1) == "<":
            if end.low <= bottom:
                raise LevelError(Problem("levels.beyond_end", value=text))
            return Level(subject, f"<{end.code}", bottom, end.low, quality, text, note="levels.note.below")
        if end.high >= top:
            raise LevelError(Problem("levels.beyond_end", value=text))
        return Level(subject, f">{end.code}", end.high, top, quality, text, note="levels.note.above")
    return None


def _reference(subject: Subject, text: str, match: re.Match[str], quality: Quality | None) -> Level:
    code = f"{match.group(1) or ''}{match.group(2)}{match.group(3).upper()}"
    if subject is Subject.LEZEN:
        raise LevelError(Problem("levels.reference_reading", value=text))
    if code not in REFERENCE_RANGES:
        raise LevelError(Problem("levels.reference_secondary", value=text))
    low, high = REFERENCE_RANGES[code]
    return Level(subject, code, low, high, quality, text, note="levels.note.reference")


def parse_level(subject: Subject, text: str) -> Level:
    """Parse ``text`` as a level of ``subject``."""
    return parse_reading(text) if subject is Subject.LEZEN else parse_maths(text)


def ambiguous_choices(subject: Subject, text: str) -> tuple[str, ...]:
    """The notations a bare AVI number could mean, for a teacher to choose from; empty when ``text`` is clear.

    ``4`` could be AVI M4, AVI E4 or the old AVI 4: ``("M4", "E4", "AVI 4 oud")``. Numbers without a new level
    (``1``, ``2``, ``8``, ``9``) leave only the old scale. ``9+`` and ``AVI 4 oud`` are not ambiguous, nor is
    anything in maths. A file import reads a bare number as old AVI (a range, see the module docstring); a level
    typed in the app is asked about instead (:func:`parse_typed_level`).
    """
    if subject is not Subject.LEZEN:
        return ()
    body, _ = _split_quality(text)
    key = _squash(body)
    if not re.fullmatch(r"[1-9]", key):
        return ()
    new = tuple(code for code in (f"M{key}", f"E{key}") if code in READING_CODES)
    return (*new, f"AVI {key} oud")


def parse_typed_level(subject: Subject, text: str) -> Level:
    """Like :func:`parse_level`, but a bare AVI number is refused with the choices it could mean.

    For a level typed in the app: ``levels.ambiguous`` names the value and the choices (e.g. "AVI M4, AVI E4
    of oude AVI 4"), so nothing is guessed.
    """
    choices = ambiguous_choices(subject, text)
    if choices:
        raise LevelError(Problem("levels.ambiguous", value=text, params={"choices": ", ".join(choices)}))
    return parse_level(subject, text)


def code_for_index(subject: Subject, index: float) -> str:
    """The lowest code at or above ``index``, e.g. ``6 -> "E5"``; for messages like "a tutor at E5 or higher"."""
    codes = READING_CODES if subject is Subject.LEZEN else MATHS_CODES
    for code, value in codes.items():
        if value >= index:
            return code
    return "Plus" if subject is Subject.LEZEN else "M8"
