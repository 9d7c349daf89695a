"""Hostile EDEX.XML files against a valid one of about the same size (issue 11, item 1): wall time and peak memory.

    .venv/bin/python -m benchmarks.readers_edex      # about half a minute; prints a Markdown table

Each file is read by ``read_roster`` in a child process of its own, so the peak memory is that file's alone.
Goal (issue 11): none above 2 s or 300 MB. Synthetic pupils only (``benchmarks/hostile.py``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks import hostile
from benchmarks.measure import PYTHON, fmt_mb, fmt_s, run_process

__all__ = ["CASES", "main"]

READ = """
import sys
from peermatch.errors import RosterError
from peermatch.roster import read_roster
try:
    read_roster(sys.argv[1])
except RosterError as error:
    print(error.problems[0].code)
"""


def _wide(pupils: int, names: int) -> bytes:
    """Pupils that all share ``names`` empty elements: under the distinct-name cap, up to the element cap."""
    extra = "".join(f"<a{i}/>" for i in range(names))
    body = "".join(hostile._pupil(p, extra) for p in range(1, pupils + 1))
    return f"{hostile._EDEX_HEAD}{hostile._EDEX_GROUPS}<leerlingen>{body}</leerlingen></EDEX>".encode()


def _flat(elements: int) -> bytes:
    """One valid pupil, then ``elements`` empty elements outside the pupils."""
    return hostile.edex_valid(1).replace(b"</EDEX>", b"<x>" + b"<a/>" * elements + b"</x></EDEX>")


CASES: list[tuple[str, Callable[[], bytes]]] = [
    ("valid: 50,000 pupils", lambda: hostile.edex_valid(50_000)),
    ("30,000 distinct element names (the 11.6 GB file)", lambda: hostile.edex_distinct_elements(1_500, 20)),
    ("30,000 distinct names, 17 MB", lambda: hostile.edex_distinct_elements(30_000, 20)),
    ("one pupil with a million elements", lambda: hostile.edex_pupil_elements(1_000_000)),
    ("14,000 pupils x 195 shared empty elements", lambda: _wide(14_000, 195)),
    ("4.9 million elements outside the pupils", lambda: _flat(4_900_000)),
    ("nesting 100,000 deep", lambda: hostile.edex_deep(100_000)),
]


def main() -> list[str]:
    lines = ["| file | size | wall (process) | peak memory |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for number, (label, make) in enumerate(CASES):
            path = Path(tmp) / f"edex_{number}.xml"
            path.write_bytes(make())
            run = run_process([PYTHON, "-c", READ, str(path)])
            size = fmt_mb(path.stat().st_size / (1024 * 1024))
            lines.append(f"| {label} | {size} | {fmt_s(run.wall_s)} | {fmt_mb(run.peak_rss_mb)} |")
    return lines


if __name__ == "__main__":
    print("\n".join(main()))
