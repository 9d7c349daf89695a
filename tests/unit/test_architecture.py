"""House rules that keep the core clean."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from peermatch.i18n import LANGUAGES, catalogue

ROOT = Path(__file__).resolve().parents[2]


def test_the_core_never_imports_streamlit() -> None:
    offenders = []
    for path in (ROOT / "peermatch").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_both_languages_have_the_same_message_keys() -> None:
    nl, en = catalogue("nl"), catalogue("en")
    assert set(nl) - set(en) == set(), "messages missing in English"
    assert set(en) - set(nl) == set(), "messages missing in Dutch"


def test_both_languages_use_the_same_placeholders_per_message() -> None:
    nl, en = catalogue("nl"), catalogue("en")
    placeholder = re.compile(r"\{(\w+)")
    differ = {k for k in nl if set(placeholder.findall(nl[k])) != set(placeholder.findall(en.get(k, "")))}
    assert differ == set()


def test_there_are_exactly_two_languages_and_dutch_is_first() -> None:
    assert LANGUAGES == ("nl", "en")


AREAS = "levels|roster|matching|cli|training|storage|auth|checkins|pupil|monitoring|reports|ui|settings"
CODE = re.compile(rf"""["']((?:{AREAS})\.[a-z0-9_.]+)["']""")


def test_every_message_code_used_in_the_code_has_a_dutch_text() -> None:
    nl = catalogue("nl")
    used: set[str] = set()
    for folder in ("peermatch", "ui", "views"):
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(CODE.findall(path.read_text("utf-8")))
    missing = {code for code in used if code not in nl and not code.endswith(".")}
    assert missing == set()
