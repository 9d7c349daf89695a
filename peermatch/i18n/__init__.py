"""Message catalogues: Dutch (default) and English.

Catalogues are TOML files in this package, one pair per area (``levels.nl.toml`` /
``levels.en.toml``, ``roster.*``, ``matching.*``, ``cli.*``, ...). Keys are dotted and unique across
files; values are ``str.format`` templates. A missing key in ``en`` falls back to ``nl``; a missing
key everywhere returns the key itself, so a typo never crashes a page (a unit test checks that both
languages have the same keys).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["DEFAULT_LANG", "LANGUAGES", "catalogue", "flatten", "translate"]

DEFAULT_LANG = "nl"
LANGUAGES = ("nl", "en")


def flatten(prefix: str, table: dict[str, Any], out: dict[str, str]) -> None:
    """A TOML table's texts into ``out`` by dotted code (``prefix.key.sub``); also for the letters' catalogues."""
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            flatten(full, value, out)
        else:
            out[full] = str(value)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, keyed by dotted code."""
    out: dict[str, str] = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(f".{lang}.toml"):
            flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), out)
    return out


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def translate(code: str, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
    """The message for ``code`` in ``lang`` with ``params`` filled in."""
    template = catalogue(lang).get(code) or catalogue(DEFAULT_LANG).get(code) or code
    return template.format_map(_Defaulting(params))
