"""House rules that keep the core clean."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from peermatch.i18n import LANGUAGES, catalogue, flatten

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


# Every area of the catalogue (accounts, ib, tutor, location ... too): a new catalogue file is covered at once.
AREAS = "|".join(sorted({code.split(".")[0] for code in catalogue("nl")}))
CODE = re.compile(rf"""["']((?:{AREAS})\.[a-z0-9_.]+)["']""")


def test_the_message_check_covers_every_catalogue_file() -> None:
    files = {path.name.split(".")[0] for path in (ROOT / "peermatch" / "i18n").glob("*.nl.toml")}
    areas = set(AREAS.split("|"))
    assert {"accounts", "ib", "tutor", "settings"} <= areas  # once missing from a hand-kept list
    assert files - {"common"} <= areas  # each file's tables start with its own name; common.* holds 'location'


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_message_key_is_defined_in_one_catalogue_file_only(lang: str) -> None:
    seen: dict[str, str] = {}
    twice: set[str] = set()
    for path in sorted((ROOT / "peermatch" / "i18n").glob(f"*.{lang}.toml")):
        flat: dict[str, str] = {}
        flatten("", tomllib.loads(path.read_text(encoding="utf-8")), flat)
        twice |= {f"{key} ({seen[key]}, {path.name})" for key in flat if key in seen}
        seen |= dict.fromkeys(flat, path.name)
    assert twice == set()  # a later file would silently replace the earlier text


def test_every_message_code_used_in_the_code_has_a_dutch_text() -> None:
    nl = catalogue("nl")
    used: set[str] = set()
    sources = [ROOT / "app.py", *(p for folder in ("peermatch", "ui", "views") for p in (ROOT / folder).rglob("*.py"))]
    for path in sources:
        used |= set(CODE.findall(path.read_text("utf-8")))
    assert {"accounts.mine.title", "ib.nav.overview", "tutor.nav.home", "settings.nav"} <= used  # app.py too
    # a plural message is a table: its code names the table, whose 'other' entry always exists
    missing = {code for code in used if code not in nl and f"{code}.other" not in nl and not code.endswith(".")}
    assert missing == set()


def test_every_core_module_is_under_the_core_contract() -> None:
    """import-linter keeps the core pure only for the modules its contract names: a new core module must be named."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    [core] = [c for c in config["contracts"] if c["name"].startswith("The pure core")]
    package = ROOT / "peermatch"
    modules = {p.stem for p in package.glob("*.py")} | {
        p.name for p in package.iterdir() if (p / "__init__.py").exists()
    }
    layers = {"__init__", "cli", "services", "storage", "demo_school"}  # the layers above the core
    assert {f"peermatch.{m}" for m in modules - layers} == set(core["source_modules"])
