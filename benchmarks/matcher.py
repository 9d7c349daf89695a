"""`make bench-matcher`: `peermatch match` as a whole process against the bare limit, at 10k, 25k and 50k pupils.

    .venv/bin/python -m benchmarks.matcher                  # 10,000, 25,000 and 50,000 pupils
    .venv/bin/python -m benchmarks.matcher 10000 25000      # some sizes only

Per size, in one run on the same machine: a synthetic roster (``peermatch demo``, fixed seed and day), then

* **ours**: ``peermatch match FILE --subject lezen --format json`` in a fresh process: wall time and peak
  resident memory (the child's own, from ``wait4``), and the JSON summary's ``tutees``, ``tutor_places`` and
  ``edges`` (feasible pairs);
* **bare limit**: a fresh Python that reads the same CSV with pandas and solves one sparse assignment
  (``scipy.sparse.csgraph.min_weight_full_bipartite_matching``) of the same shape and edge count: tutees ×
  (tutor places + one "unpaired" column per tutee), random integer costs. It is what any exact matcher on
  the pupil graph must at least do: hold the edges once and solve.

Both children run under an address-space limit (``--limit-gb``, 6 GB by default) so a size that would
need more fails in its own process instead of pressing on other work. Results go into
``benchmarks/results.md`` (between the matcher markers) and are printed. Synthetic pupils only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchmarks.blocks import write_block
from benchmarks.measure import PYTHON, fmt_mb, fmt_s
from peermatch.demo import generate_school, write_roster

__all__ = ["BARE", "Row", "measure", "table"]

RESULTS = Path(__file__).resolve().parent / "results.md"
TODAY = date(2026, 11, 23)
TIME_GOAL, MEMORY_GOAL, MB_AT_50K = 2.0, 1.5, 1000.0

# The bare limit: read the CSV, lay out `edges` random feasible pairs in CSR (row by row, a window of
# columns per tutee), one private "unpaired" column per tutee so a full matching exists, solve.
BARE = """
import sys
import numpy as np, pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching
pd.read_csv(sys.argv[1], dtype=str)
n, places, edges = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(1)
per_row = np.full(n, edges // n, dtype=np.int64)
per_row[: edges % n] += 1
per_row = np.minimum(per_row, places) + 1
indptr = np.concatenate(([0], np.cumsum(per_row)))
indices = np.empty(int(indptr[-1]), dtype=np.int32)
data = np.empty(int(indptr[-1]), dtype=np.float64)
offset = rng.integers(0, max(places, 1), size=n)
step = 2000
for a in range(0, n, step):
    b = min(n, a + step)
    k = per_row[a:b] - 1
    row = np.repeat(np.arange(a, b), k)
    j = np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)
    at = np.repeat(indptr[a:b], k) + j
    indices[at] = (offset[row] + j) % places
    data[at] = rng.integers(1, 100, size=at.size)
    last = indptr[a + 1 : b + 1] - 1
    indices[last] = places + np.arange(a, b)
    data[last] = 1000.0
graph = csr_matrix((data, indices, indptr), shape=(n, places + n))
min_weight_full_bipartite_matching(graph)
"""


@dataclass(frozen=True)
class Run:
    wall_s: float
    peak_mb: float
    ok: bool
    error: str = ""


@dataclass(frozen=True)
class Row:
    pupils: int
    tutees: int
    tutor_places: int
    edges: int
    classes: tuple[int, int]
    solver: str
    ours: Run
    bare: Run

    @property
    def time_ratio(self) -> float:
        return self.ours.wall_s / self.bare.wall_s if self.bare.ok else float("nan")

    @property
    def memory_ratio(self) -> float:
        return self.ours.peak_mb / self.bare.peak_mb if self.bare.ok else float("nan")


def _run(argv: Sequence[str], limit_gb: float) -> Run:
    """Run ``argv`` under an address-space limit; wall time and the child's own peak RSS."""
    limit = int(limit_gb * 1024**3)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=cap)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    return Run(wall, usage.ru_maxrss / 1024, code == 0, "" if code == 0 else err.strip().splitlines()[-1:][0][:200])


def measure(pupils: int, tmp: Path, limit_gb: float = 6.0, repeat: int = 1) -> Row:
    """One size: ours (median of ``repeat`` runs) and the bare limit of the same shape, in this run."""
    path = write_roster(generate_school(pupils, seed=2026, today=TODAY), tmp / f"board_{pupils}.csv")
    out = tmp / f"match_{pupils}.json"
    cli = [PYTHON, "-m", "peermatch.cli", "match", str(path), "--subject", "lezen", "--format", "json",
           "--out", str(out)]  # fmt: skip
    runs = [_run(cli, limit_gb) for _ in range(repeat)]
    ours = Run(statistics.median(r.wall_s for r in runs), max(r.peak_mb for r in runs), all(r.ok for r in runs),
               next((r.error for r in runs if not r.ok), ""))  # fmt: skip
    if not ours.ok:
        raise RuntimeError(f"peermatch match failed at {pupils:,} pupils: {ours.error}")
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
    shape = [str(summary["tutees"]), str(summary["tutor_places"]), str(summary["edges"])]
    bare_runs = [_run([PYTHON, "-c", BARE, str(path), *shape], limit_gb) for _ in range(repeat)]
    bare = Run(statistics.median(r.wall_s for r in bare_runs), max(r.peak_mb for r in bare_runs),
               all(r.ok for r in bare_runs), next((r.error for r in bare_runs if not r.ok), ""))  # fmt: skip
    classes = (int(summary["classes"]["tutees"]), int(summary["classes"]["tutors"]))
    return Row(pupils, int(summary["tutees"]), int(summary["tutor_places"]), int(summary["edges"]), classes,
               str(summary["solver"]), ours, bare)  # fmt: skip


def _mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def table(rows: Sequence[Row], limit_gb: float) -> list[str]:
    lines = [
        "| pupils | tutees × tutor places | feasible pairs | classes (tutees × tutors) | solver |"
        " `peermatch match` (process) | peak memory | bare limit | its peak memory | time ratio (≤ 2×) |"
        " memory ratio (≤ 1.5×) |",
        "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        big = r.pupils >= 50_000
        mem_ok = r.memory_ratio <= MEMORY_GOAL and (not big or r.ours.peak_mb < MB_AT_50K)
        bare_t = fmt_s(r.bare.wall_s) if r.bare.ok else f"failed under {limit_gb:g} GB ({fmt_s(r.bare.wall_s)})"
        bare_m = fmt_mb(r.bare.peak_mb) if r.bare.ok else "—"
        t_ratio = f"{r.time_ratio:.2f}× {_mark(r.time_ratio <= TIME_GOAL)}" if r.bare.ok else "—"
        m_ratio = f"{r.memory_ratio:.2f}× {_mark(mem_ok)}" if r.bare.ok else "—"
        mem = fmt_mb(r.ours.peak_mb) + (f" {_mark(r.ours.peak_mb < MB_AT_50K)} (< 1 GB)" if big else "")
        lines.append(
            f"| {r.pupils:,} | {r.tutees:,} × {r.tutor_places:,} | {r.edges:,} | {r.classes[0]:,} × {r.classes[1]:,}"
            f" | {r.solver} | {fmt_s(r.ours.wall_s)} | {mem} | {bare_t} | {bare_m} | {t_ratio} | {m_ratio} |"
        )
    return lines


def section(rows: Sequence[Row], limit_gb: float) -> list[str]:
    return [
        "### Matcher against the bare limit (issue 14, part 1)",
        "",
        "`peermatch match` on a synthetic roster (reading, capacity 1) as a fresh process, beside a fresh Python",
        "that only reads the CSV (pandas) and solves one sparse assignment (`min_weight_full_bipartite_matching`)",
        "of the same shape and number of feasible pairs; both under a "
        f"{limit_gb:g} GB address-space limit, measured in the same run on a shared 2-core machine (noisy).",
        "",
        *table(rows, limit_gb),
        "",
    ]


def write(lines: Sequence[str], path: Path = RESULTS) -> None:
    """Put ``lines`` into the matcher's block of ``results.md`` (appended the first time)."""
    write_block("matcher", "\n".join(lines), path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 25_000, 50_000])
    parser.add_argument("--limit-gb", type=float, default=6.0, help="address-space limit of each child process")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (the median is reported)")
    parser.add_argument("--no-write", action="store_true", help="print only, leave results.md alone")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        for n in args.sizes:
            row = measure(n, Path(tmp_name), args.limit_gb, args.repeat)
            rows.append(row)
            print("\n".join(table([row], args.limit_gb)[2:]), flush=True)
    lines = section(rows, args.limit_gb)
    print("\n".join(lines))
    if not args.no_write:
        write(lines)
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
