"""What an installed wheel needs: dependencies exactly as imported, one version, the training modules as package data.

(Building and installing a real wheel takes a minute; `make` does that in CI's fresh clone. These checks
catch the same mistakes in milliseconds: an undeclared import, a test-only dependency at runtime, a file
that the package-data patterns leave out.)
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from fnmatch import fnmatch
from importlib.metadata import packages_distributions
from pathlib import Path

import peermatch
from peermatch.training.loader import default_root

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def _third_party_imports(folders: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    files = [ROOT / "app.py", *(p for f in folders for p in (ROOT / f).rglob("*.py"))]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    own = {"peermatch", "ui", "views", "app", "__future__"}
    return {name for name in found - own if name not in sys.stdlib_module_names}


def test_every_package_the_app_imports_is_a_declared_runtime_dependency() -> None:
    declared = _names(PROJECT["dependencies"])
    distributions = packages_distributions()
    undeclared = {
        name
        for name in _third_party_imports(("peermatch", "ui", "views"))
        if not {d.lower().replace("_", "-") for d in distributions.get(name, [name])} & declared
    }
    assert undeclared == set()


def test_test_only_packages_are_not_runtime_dependencies() -> None:
    runtime, test = _names(PROJECT["dependencies"]), _names(PROJECT["optional-dependencies"]["test"])
    assert "networkx" not in runtime
    assert {"networkx", "import-linter", "pytest"} <= test


def test_the_version_is_written_once() -> None:
    assert "version" not in PROJECT
    assert "version" in PROJECT["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "peermatch.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", peermatch.__version__)


def test_the_training_modules_are_package_data_that_a_wheel_carries() -> None:
    package = ROOT / "peermatch"
    assert default_root().resolve() == (package / "training_modules").resolve()
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["peermatch"]
    files = [p.relative_to(package).as_posix() for p in (package / "training_modules").rglob("*") if p.is_file()]
    assert len([f for f in files if f.endswith(".md")]) >= 28  # 14 modules in nl and en, and the README
    assert [f for f in files if not any(fnmatch(f, pattern) for pattern in patterns)] == []
