"""Rules every page keeps, checked on the source (ast), so a new page cannot forget them:

- a date picker shows dates the Dutch way, 03-12-2026 (Streamlit's default is 2026/12/03);
- a download button says what its click does (``on_click``): ``"ignore"``, or a callback that audits the download.
  A button whose file is made on the click (``data`` a callable) must not rerun the page: a rerun gives the
  button a new deferred file, and a second quick click on the old one then fails without a word (streamlit's
  ``MediaFileManager.remove_deferred``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

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


def test_every_date_picker_shows_dd_mm_yyyy() -> None:
    found = list(_calls("date_input"))
    assert len(found) >= 3, f"the scan found too few date_input calls: {found}"
    wrong = [f"{p.relative_to(ROOT)}:{c.lineno}" for p, c in found if _keyword(c, "format") != "DD-MM-YYYY"]
    assert wrong == [], f"date_input without format='DD-MM-YYYY': {wrong}"


def _data(call: ast.Call) -> ast.expr | None:
    given = [kw.value for kw in call.keywords if kw.arg == "data"]
    return given[0] if given else (call.args[1] if len(call.args) > 1 else None)


def test_every_download_button_says_what_its_click_does_and_a_deferred_one_does_not_rerun() -> None:
    found = list(_calls("download_button"))
    assert len(found) >= 3, f"the scan found too few download_button calls: {found}"
    where = {id(c): f"{p.relative_to(ROOT)}:{c.lineno}" for p, c in found}
    silent = [where[id(c)] for _, c in found if not any(kw.arg == "on_click" for kw in c.keywords)]
    assert silent == [], f"download_button without on_click: {silent}"
    constants = [where[id(c)] for _, c in found if _keyword(c, "on_click") not in (None, "ignore")]
    assert constants == [], f"download_button with on_click other than 'ignore' or a callback: {constants}"
    deferred = [c for p, c in found if isinstance(d := _data(c), ast.Name) and d.id in _functions(p)]
    assert len(deferred) >= 2, "the scan found too few deferred downloads"  # Resultaten's exports, the audit CSV
    rerun = [where[id(c)] for c in deferred if _keyword(c, "on_click") != "ignore"]
    assert rerun == [], f"a deferred download (its file made by a function on the click) that reruns: {rerun}"


def _functions(path: Path) -> set[str]:
    return {n.name for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.FunctionDef)}
