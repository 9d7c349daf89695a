"""Numbers, dates and plurals as each language writes them, in one place (Babel, on CLDR data).

``number(50000, "nl") == "50.000"``, ``number(1.5, "en") == "1.5"``; ``long_date(d, "nl") == "23 november 2025"``;
``plural("cli.count.pupils", 1, "nl") == "1 leerling"``. A plural message is a TOML table in the catalogue with
one template per CLDR plural category (``one``, ``other``; languages with more categories add theirs), e.g.::

    [count]
    pupils = { one = "{n} leerling", other = "{n} leerlingen" }

Babel is used instead of hand-written rules because CLDR knows each language's separators, month names and
plural categories, so a language added later (Turkish, Arabic, Polish) needs a catalogue, not code.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from peermatch.i18n import DEFAULT_LANG, catalogue, translate

__all__ = ["LocalNumber", "long_date", "number", "numeric_date", "plural", "plural_category"]

_LOCALES = {"nl": "nl_NL", "en": "en_GB"}  # en_GB: "23 November 2025", day-first like the Dutch


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(_LOCALES.get(lang, _LOCALES[DEFAULT_LANG]))


def number(value: float, lang: str = DEFAULT_LANG, *, decimals: int | None = None, signed: bool = False,
           grouped: bool = True) -> str:  # fmt: skip
    """``value`` with the language's separators: at most one decimal by default, exactly ``decimals`` when given.

    ``signed`` always writes the sign (``+0,5``); ``grouped=False`` leaves out the thousands separator.
    """
    whole = "#,##0" if grouped else "0"
    fraction = "." + "0" * decimals if decimals else ("" if decimals == 0 else ".#")
    pattern = whole + fraction
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(value, pattern, locale=_locale(lang))


def long_date(day: dt.date, lang: str = DEFAULT_LANG) -> str:
    """``23 november 2025`` (nl) / ``23 November 2025`` (en)."""
    return format_date(day, "d MMMM y", locale=_locale(lang))


def numeric_date(day: dt.date, lang: str = DEFAULT_LANG) -> str:
    """``dd-mm-jjjj``, the way Dutch teachers write dates (the same digits in English, day first)."""
    return format_date(day, "dd-MM-y", locale=_locale(lang))


def plural_category(count: float, lang: str = DEFAULT_LANG) -> str:
    """The CLDR plural category of ``count`` in ``lang``: ``"one"`` for 1 in Dutch and English, else ``"other"``."""
    return str(_locale(lang).plural_form(abs(count)))


def plural(code: str, count: float, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
    """The message ``code.<category>`` for ``count`` (``code.other`` when that category has no template).

    ``{n}`` in the template is ``count`` written with :func:`number`; other ``params`` are filled in as usual.
    """
    category = plural_category(count, lang)
    chosen = f"{code}.{category}"
    if chosen not in catalogue(lang) and chosen not in catalogue(DEFAULT_LANG):
        chosen = f"{code}.other"
    return translate(chosen, lang, **{"n": number(count, lang), **params})


class LocalNumber(float):
    """A number for a message parameter that formats with the spec ``nl`` or ``en`` (:func:`number`).

    So one catalogue placeholder name serves both languages: ``{max_rows:nl}`` / ``{max_rows:en}``.
    """

    def __format__(self, spec: str) -> str:
        if spec in _LOCALES:
            return number(float(self), spec)
        return float.__format__(self, spec)

    def __str__(self) -> str:
        return format(self, "en")
