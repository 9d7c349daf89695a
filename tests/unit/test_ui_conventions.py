"""Rules every page keeps, checked on the source (ast), so a new page cannot forget them:

- a date picker shows dates the Dutch way, 03-12-2026 (Streamlit's default is 2026/12/03);
- a download button does not rerun the page when clicked: a rerun gives the button a new file, and a second
  quick click on the old one then fails without a word (streamlit's ``MediaFileManager.remove_deferred``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*ROOT.glob("views/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"])


def _calls(name: str) -> Iterator[tuple[Path, ast.Call]]:
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name:
                yield path, node


def _keyword(call: ast.Call, name: str) -> object:
    for kw in call.keywords:
        if kw.arg == name and isinstance(kw.value, ast.Constant):
            return kw.value.value
    return None


@pytest.mark.parametrize(("widget", "keyword", "value"), [("date_input", "format", "DD-MM-YYYY"),
                                                          ("download_button", "on_click", "ignore")])  # fmt: skip
def test_every_widget_of_this_kind_keeps_the_rule(widget: str, keyword: str, value: str) -> None:
    found = list(_calls(widget))
    assert len(found) >= 3, f"the scan found too few {widget} calls: {found}"
    wrong = [f"{p.relative_to(ROOT)}:{c.lineno}" for p, c in found if _keyword(c, keyword) != value]
    assert wrong == [], f"{widget} without {keyword}={value!r}: {wrong}"
