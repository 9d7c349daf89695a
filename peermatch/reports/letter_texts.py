"""The parent letter's texts in the families' languages: one TOML file per language in
``peermatch/reports/letters/`` (``nl.toml`` is the source; ``en``, ``tr``, ``ar``, ``pl`` translate it).

These are not the app's message catalogues (:mod:`peermatch.i18n`, Dutch and English only): the letter goes
to a family in the family's language, whatever language the staff member's screen is in, and a school can
correct a sentence in one file without touching the app's texts. Every file has the same keys with the same
``{placeholders}`` (a unit test checks it), and says its own name and writing direction (Arabic: ``rtl``).
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from peermatch.i18n import flatten

__all__ = [
    "LETTER_LANGUAGES",
    "letter_catalogue",
    "letter_language_name",
    "letter_template",
    "placeholders",
    "right_to_left",
]

LETTER_LANGUAGES = ("nl", "en", "tr", "ar", "pl")  # Dutch first: the default for a family nobody chose for
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@cache
def letter_catalogue(lang: str) -> dict[str, str]:
    """Every text of the letter in ``lang`` (one of :data:`LETTER_LANGUAGES`), keyed by dotted code
    (``tutee.intro``, ``slip.question``, ``weekday.1``, ``language.direction`` ...)."""
    if lang not in LETTER_LANGUAGES:
        raise KeyError(lang)
    text = (resources.files("peermatch.reports") / "letters" / f"{lang}.toml").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    flatten("", tomllib.loads(text), out)
    return out


def letter_template(code: str, lang: str) -> str:
    """The raw text of ``code`` in ``lang``, with its ``{placeholders}`` unfilled."""
    return letter_catalogue(lang)[code]


def placeholders(template: str) -> frozenset[str]:
    """The names between ``{ }`` in a text."""
    return frozenset(_PLACEHOLDER.findall(template))


def letter_language_name(lang: str) -> str:
    """The language's own name (``Türkçe``, ``العربية``, ``Polski``): what a family recognises."""
    return letter_template("language.name", lang)


def right_to_left(lang: str) -> bool:
    """Whether the letter in ``lang`` is written right to left (Arabic)."""
    return letter_template("language.direction", lang) == "rtl"
