"""The sections of ``benchmarks/results.md`` that a benchmark writes on its own, as marked blocks.

``make bench`` rewrites the file from its own sections; a benchmark that runs separately (``make bench-matcher``,
``make bench-hostile``, ``make bench-load``) keeps its section between ``<!-- name:start -->`` and
``<!-- name:end -->``, so neither run can swallow another's table (a section found by its ``###`` heading
ends wherever the next heading happens to be).
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["RESULTS", "blocks", "write_block"]

RESULTS = Path(__file__).resolve().parent / "results.md"
_BLOCK = re.compile(r"<!-- (?P<name>[a-z-]+):start -->\n.*?<!-- (?P=name):end -->\n?", re.DOTALL)


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def write_block(name: str, text: str, path: Path = RESULTS) -> None:
    """Replace block ``name`` in ``path`` with ``text`` (appended the first time); everything else stays."""
    start, end = _markers(name)
    block = f"{start}\n{text.strip()}\n{end}\n"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if start in current and end in current:
        head, rest = current.split(start, 1)
        tail = rest.split(end, 1)[1].lstrip("\n")
        current = head + block + ("\n" + tail if tail else "")
    else:
        current = current.rstrip("\n") + "\n\n" + block
    path.write_text(current, encoding="utf-8")


def blocks(path: Path = RESULTS) -> list[str]:
    """Every marked block in ``path``, markers included, in file order."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return [found.group(0).rstrip("\n") for found in _BLOCK.finditer(text)]
