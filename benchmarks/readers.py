"""`make bench-hostile`: the hostile files of issue 11 at full size against a valid file of the same size.

    .venv/bin/python -m benchmarks.readers          # prints the table and writes it into benchmarks/results.md

Each file is made by one child process (``benchmarks.hostile``) into a temporary folder and read by ``read_roster``
in another, fresh one, so its peak memory (``ru_maxrss`` from ``wait4``, the interpreter included) is that file's
alone (this process stays small: a child's peak starts at its parent's size). A child is stopped after
``TIMEOUT_S`` and may use at most ``MEMORY_CAP`` of address space (this machine is shared); a read that hits
either is reported as such. Goal: no hostile file above 2 s or 300 MB. The valid file of each kind has the size
of that kind's worst hostile file (the slowest; at most ``MAX_ROWS`` pupils). The EDEX.XML files are those of
``benchmarks.readers_edex``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import hostile, readers_edex
from benchmarks.blocks import write_block
from benchmarks.measure import PYTHON, fmt_mb, fmt_s
from peermatch.roster import MAX_ROWS, limits

__all__ = ["CASES", "TITLE", "main", "run"]

RESULTS = Path(__file__).resolve().parent / "results.md"
TITLE = "Hostile files against valid files of the same size (issue 11, `make bench-hostile`)"
TIMEOUT_S = 30
MEMORY_CAP = 2 * 1024**3
GOAL_S = 2.0
GOAL_MB = 300

CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
from peermatch.errors import RosterError
from peermatch.roster import read_roster
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
try:
    roster = read_roster(data, filename=sys.argv[2])
    outcome = f"read: {len(roster.pupils):,} pupils, {len(roster.problems):,} problems"
except RosterError as exc:
    outcome = "refused: " + ", ".join(p.code for p in exc.problems)
except MemoryError:
    outcome = "MemoryError at the benchmark's cap"
print(json.dumps({"read_s": time.perf_counter() - start, "outcome": outcome}))
"""


@dataclass(frozen=True)
class Case:
    kind: str  # CSV, XLSX, EDEX.XML
    what: str
    make: Callable[[], bytes]
    suffix: str


CASES: tuple[Case, ...] = (
    Case("CSV", "50,000 rows with 7 problems each", lambda: hostile.csv_invalid_rows(50_000), ".csv"),
    Case("CSV", "one line of 1,000,000 fields", lambda: hostile.csv_wide_line(1_000_000), ".csv"),
    Case("CSV", "1,000,000 empty lines between two pupils", lambda: hostile.csv_empty_lines(1_000_000), ".csv"),
    Case("XLSX", "sheet, no <dimension>, unpacks to 199 MB", lambda: hostile.xlsx_sheet_bomb(199_000_000), ".xlsx"),
    Case("XLSX", "shared strings unpacking to 199 MB", lambda: hostile.xlsx_shared_strings_bomb(199_000_000), ".xlsx"),
    Case("XLSX", "199 MB sheet, zip claims 1,000 bytes", lambda: hostile.xlsx_lying_sizes(199_000_000), ".xlsx"),
    Case("XLSX", "1,048,576 empty formatted rows", lambda: hostile.xlsx_empty_rows(1_048_576, explicit=True), ".xlsx"),
    Case("XLSX", "<dimension> to row 1,048,578", lambda: hostile.xlsx_empty_rows(1_048_576, explicit=False), ".xlsx"),
    Case("XLSX", "one row of 1,000,000 cells", lambda: hostile.xlsx_wide_row(1_000_000), ".xlsx"),
    Case("XLSX", "20,000 parts in the zip", lambda: hostile.xlsx_many_parts(20_000), ".xlsx"),
    *(Case("EDEX.XML", what, make, ".xml") for what, make in readers_edex.CASES if not what.startswith("valid")),
)
VALID: dict[str, tuple[Callable[[int], bytes], str]] = {
    "CSV": (hostile.csv_valid, ".csv"),
    "XLSX": (hostile.xlsx_valid, ".xlsx"),
    "EDEX.XML": (hostile.edex_valid, ".xml"),
}


@dataclass(frozen=True)
class Measured:
    size: int
    wall_s: float
    cpu_s: float
    read_s: float | None
    peak_mb: float
    outcome: str

    @property
    def met(self) -> bool:
        return self.read_s is not None and self.read_s <= GOAL_S and self.peak_mb <= GOAL_MB


MAKER = "import sys; from benchmarks import readers; readers.make(sys.argv[1], sys.argv[2], int(sys.argv[3]))"


def make(what: str, path: str, size: int) -> None:
    """In a child process: write hostile case number ``what``, or a valid file of kind ``what`` of ``size`` bytes."""
    if what.isdigit():
        data = CASES[int(what)].make()
    else:
        data, pupils = _valid_of_size(what, size)
        print(pupils)
    Path(path).write_bytes(data)


def _made(what: str, path: Path, size: int = 0) -> str:
    done = subprocess.run([PYTHON, "-c", MAKER, what, str(path), str(size)], capture_output=True, check=True)
    return done.stdout.decode().strip()


def _measure(path: Path, name: str) -> Measured:
    start = time.perf_counter()
    child = subprocess.Popen(
        [PYTHON, "-c", CHILD, str(path), name, str(MEMORY_CAP)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    timer_killed = False
    deadline = start + TIMEOUT_S
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            timer_killed = True
        time.sleep(0.02)
    wall = time.perf_counter() - start
    out = child.stdout.read().decode() if child.stdout else ""
    if child.stdout:
        child.stdout.close()
    peak, cpu, size = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, path.stat().st_size
    if timer_killed:
        return Measured(size, wall, cpu, None, peak, f"stopped after {TIMEOUT_S} s")
    try:
        answer = json.loads(out)
    except ValueError:
        return Measured(size, wall, cpu, None, peak, f"crashed ({os.waitstatus_to_exitcode(status)})")
    return Measured(size, wall, cpu, float(answer["read_s"]), peak, str(answer["outcome"]))


def _valid_of_size(kind: str, size: int) -> tuple[bytes, int]:
    """A valid file of ``kind`` with about ``size`` bytes (at most ``MAX_ROWS`` pupils) and its pupil count."""
    make, _ = VALID[kind]
    per_pupil = len(make(1_000)) / 1_000
    pupils = max(1, min(MAX_ROWS, round(size / per_pupil)))
    return make(pupils), pupils


def _row(kind: str, what: str, m: Measured, *, reference: bool = False) -> str:
    read = fmt_s(m.read_s) if m.read_s is not None else "—"
    size = f"{m.size / 1024:,.0f} KB" if m.size < 1024**2 else f"{m.size / 1024**2:,.1f} MB"
    outcome = re.sub(r"\s+", " ", m.outcome).replace("|", "/")
    return (
        f"| {kind} | {what} | {size} | {read} | {fmt_s(m.wall_s)} ({fmt_s(m.cpu_s)} CPU) | {fmt_mb(m.peak_mb)} |"
        f" {outcome} | {'reference' if reference else '✅' if m.met else '❌'} |"
    )


def run() -> list[str]:
    """The table (Markdown lines)."""
    lines = [
        f"Each file read by `read_roster` in a fresh process (cap {MEMORY_CAP // 1024**3} GB, {TIMEOUT_S} s);"
        f" goal for the hostile files: read ≤ {fmt_s(GOAL_S)} and peak ≤ {GOAL_MB} MB (the interpreter included)."
        f" Limits: `peermatch/roster/limits.py` (XLSX parts ≤ {limits.MAX_XLSX_PART_BYTES // 1024**2} MB,"
        f" ≤ {limits.MAX_XLSX_ELEMENTS:,} elements).",
        "",
        "| kind | file | size | read | process | peak memory | what happened | goal |",
        "|---|---|---|---|---|---|---|---|",
    ]
    load = os.getloadavg()[0]
    worst: dict[str, tuple[float, str, int]] = {}  # kind -> (time, what, size) of its slowest hostile file
    with tempfile.TemporaryDirectory() as folder:
        for n, case in enumerate(CASES):
            path = Path(folder) / f"hostile{n}{case.suffix}"
            _made(str(n), path)
            measured = _measure(path, f"hostile{case.suffix}")
            path.unlink()
            slowest = measured.wall_s if measured.read_s is None else measured.read_s
            if slowest >= worst.get(case.kind, (-1.0, "", 0))[0]:
                worst[case.kind] = (slowest, case.what, measured.size)
            lines.append(_row(case.kind, case.what, measured))
            print(lines[-1], flush=True)
        for kind, (_, what, size) in worst.items():
            path = Path(folder) / f"valid{VALID[kind][1]}"
            pupils = int(_made(kind, path, size))
            measured = _measure(path, f"valid{VALID[kind][1]}")
            what = f"valid: {pupils:,} pupils, the size of the worst ({what})"
            lines.append(_row(kind, what, measured, reference=True))
            print(lines[-1], flush=True)
    lines.insert(
        1,
        f"Load average {load:.1f} on {os.cpu_count()} cores when the run began (other work on the machine"
        " stretches wall times; the CPU time is the child's own).",
    )
    return lines


def _write(lines: list[str]) -> None:
    """Put the table into its block of results.md (replaced, or appended the first time)."""
    write_block("hostile", f"### {TITLE}\n\n" + "\n".join(lines), RESULTS)


def main() -> None:
    start = time.perf_counter()
    lines = run()
    _write(lines)
    print(f"({time.perf_counter() - start:.0f} s) written to {RESULTS}")


if __name__ == "__main__":
    main()
