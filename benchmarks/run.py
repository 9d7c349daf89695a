"""`make bench`: speed and memory of reading, matching and explaining, against the goals in the README.

    .venv/bin/python -m benchmarks.run            # everything (about 3-5 minutes on 2 cores)
    .venv/bin/python -m benchmarks.run --quick    # skips the slow dense-solver and networkx comparisons

Writes the results as Markdown to benchmarks/results.md (and prints them). Synthetic pupils only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

from benchmarks import matcher, monitoring, pages
from benchmarks.blocks import blocks
from benchmarks.comparison import compare_solvers, ties_case
from benchmarks.measure import PYTHON, fmt_mb, fmt_s, median_time, run_process
from peermatch.demo import generate_school, write_roster
from peermatch.matching import match
from peermatch.model import Subject
from peermatch.roster import read_roster
from peermatch.rules import Rules

RESULTS = Path(__file__).resolve().parent / "results.md"
TODAY = date(2026, 11, 23)

BASELINE = """
import sys, pandas as pd, numpy as np
from scipy.optimize import linear_sum_assignment
pd.read_csv(sys.argv[1], dtype=str)
rng = np.random.default_rng(1)
linear_sum_assignment(rng.integers(0, 1000, size=(int(sys.argv[2]), int(sys.argv[3]))))
"""


def _school(tmp: Path, pupils: int) -> Path:
    return write_roster(generate_school(pupils, seed=2026, today=TODAY), tmp / f"school_{pupils}.csv")


def _cli(path: Path, out: Path, capacity: int = 1) -> list[str]:
    return [PYTHON, "-m", "peermatch.cli", "match", str(path), "--subject", "lezen", "--capacity", str(capacity),
            "--format", "json", "--out", str(out)]  # fmt: skip


def whole_process(tmp: Path, sizes: list[int], repeat: int) -> list[str]:
    lines = [
        "| pupils | tutees × tutors | paired | wall (process) | peak memory | read | build | solve | explain |"
        " solver share |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n in sizes:
        path, out = _school(tmp, n), tmp / f"out_{n}.json"
        runs = [run_process(_cli(path, out)) for _ in range(repeat if n < 5000 else 1)]
        wall = statistics.median(r.wall_s for r in runs)
        summary = json.loads(out.read_text())["summary"]
        timings = summary["timings"]
        read_s, _ = median_time(lambda p=path: read_roster(p), 1)  # type: ignore[misc]
        lines.append(
            f"| {n:,} | {summary['tutees']} × {summary['tutors']} | {summary['paired']} | {fmt_s(wall)} |"
            f" {fmt_mb(max(r.peak_rss_mb for r in runs))} | {fmt_s(read_s)} | {fmt_s(timings['build_s'])} |"
            f" {fmt_s(timings['solve_s'])} | {fmt_s(timings['explain_s'])} | {timings['solve_s'] / wall:.0%} |"
        )
    return lines


def work_1000(tmp: Path) -> list[str]:
    path = _school(tmp, 1000)
    roster = read_roster(path)
    rules = Rules(subject=Subject.LEZEN, reference_date=TODAY)

    def matched() -> object:
        return match(roster.pupils, rules).to_dict("nl")

    def everything() -> object:
        return match(read_roster(path).pupils, rules).to_dict("nl")

    t_match, _ = median_time(matched, 7)
    t_all, _ = median_time(everything, 7)
    return [
        "| 1,000 pupils, in process (median of 7) | time | goal |",
        "|---|---|---|",
        f"| match + explanations + JSON-ready dict | {fmt_s(t_match)} | < 300 ms |",
        f"| read + validate + match + explanations | {fmt_s(t_all)} | — |",
    ]


def read_10000(tmp: Path) -> list[str]:
    path = _school(tmp, 10_000)
    t, roster = median_time(lambda: read_roster(path), 3)
    return [f"| read and validate a 10,000-row CSV (median of 3) | {fmt_s(t)} ({len(roster.pupils):,} pupils) |"
            " < 2 s |"]  # fmt: skip


def ratio_6000(tmp: Path) -> list[str]:
    path, out = _school(tmp, 6000), tmp / "out_6000.json"
    ours = [run_process(_cli(path, out)) for _ in range(3)]
    summary = json.loads(out.read_text())["summary"]
    shape = (str(summary["tutees"]), str(summary["tutors"]))
    base = [run_process([PYTHON, "-c", BASELINE, str(path), *shape]) for _ in range(3)]
    a, b = statistics.median(r.wall_s for r in ours), statistics.median(r.wall_s for r in base)
    return [
        f"| `peermatch match` on 6,000 pupils ({shape[0]} × {shape[1]}), whole process | {fmt_s(a)} | |",
        f"| bare Python: pandas reads it, scipy solves random {shape[0]} × {shape[1]} costs | {fmt_s(b)} | |",
        f"| ratio | {a / b:.2f}× | ≤ 3× |",
    ]


def _section(title: str, body: Callable[[], list[str]]) -> list[str]:
    start = time.perf_counter()
    lines = [f"### {title}", "", *body(), ""]
    print("\n".join(lines), flush=True)
    print(f"({time.perf_counter() - start:.0f} s)\n", flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the slow comparisons")
    args = parser.parse_args()
    np.random.seed(0)
    out: list[str] = [
        "# Benchmark results",
        "",
        "Made by `make bench` (`python -m benchmarks.run`); synthetic pupils.",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        out += _section("`peermatch match` as a whole process (reading lezen, capacity 1)",
                        lambda: whole_process(tmp, [200, 1000, 10_000], 3))  # fmt: skip
        out += _section("Matcher against the bare limit, 10,000 pupils (all sizes: `make bench-matcher`)",
                        lambda: matcher.table([matcher.measure(10_000, tmp)], 6.0))  # fmt: skip
        out += _section("Work without interpreter start", lambda: work_1000(tmp))
        out += _section("Reading", lambda: ["| what | time | goal |", "|---|---|---|", *read_10000(tmp)])
        out += _section("Against a bare Python baseline", lambda: ["| what | time | goal |", "|---|---|---|",
                                                                    *ratio_6000(tmp)])  # fmt: skip
        out += _section(
            "Exact vs networkx vs greedy (300 pupils, capacity 1)", lambda: compare_solvers(300, args.quick)
        )
        out += _section("Many ties: 5,000 tutees × 3,000 tutors of capacity 2, pupil-like integer costs",
                        lambda: ties_case(args.quick))  # fmt: skip
        out += _section("Pages in AppTest: 1,000 pupils in 40 groups (issue 3)", pages.run)
        out += _section("Monitoring: 1,000 pairs, about 30,000 check-ins (issue 5)", monitoring.run)
        out += _section("Monitoring from the database beside the raw fetch, 1,000 pairs (issue 14; 10,000 pairs:"
                        " `make bench-monitoring`)", lambda: monitoring.stored_run((1000,)))  # fmt: skip
    kept = blocks(RESULTS)  # the benchmarks that run on their own (`make bench-matcher`, `-load`) keep theirs
    RESULTS.write_text("\n".join(out) + "".join(f"\n{block}\n" for block in kept), encoding="utf-8")
    # The hostile files (also alone: `make bench-hostile`) from a fresh, small process: a child's peak memory
    # (ru_maxrss) starts at the size of the process it was forked from, and this one is large by now.
    subprocess.run([PYTHON, "-m", "benchmarks.readers"], check=True)
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
