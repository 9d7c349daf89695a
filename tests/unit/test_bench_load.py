"""The arithmetic of the load benchmark (``benchmarks/load.py``, ``make bench-load``): quantiles, the city
sizing from the measured CPU cost per check-in, and its section in benchmarks/results.md."""

from __future__ import annotations

from pathlib import Path

from benchmarks.blocks import blocks, write_block
from benchmarks.load import _quantile, city, write_results


def test_p95_is_the_value_below_which_95_percent_of_the_pupils_saw_their_message() -> None:
    assert _quantile([float(v) for v in range(1, 101)], 0.95) == 95.0
    assert _quantile([float(v) for v in range(20, 0, -1)], 0.95) == 19.0
    assert _quantile([0.4], 0.95) == 0.4


def test_the_city_needs_enough_processes_for_the_check_ins_of_the_peak() -> None:
    rows = city(0.5, 2.0).splitlines()
    # 30 tutors in each of 70 schools within 5 minutes: 2,100 check-ins, 7 a second, 3.5 CPU-s a second,
    # five processes at most 70 % busy; 2,100 sessions of 2 MB
    assert rows[2] == "| 30 | 2,100 | 7.0 | 3.50 | 5 | 4.1 GB |"
    assert rows[3].startswith("| 60 | 4,200 | 14.0 | 7.00 | 10 |")
    assert len(rows) == 5


def test_its_block_of_the_results_file_is_replaced_and_the_others_stay(tmp_path: Path) -> None:
    path = tmp_path / "results.md"
    path.write_text("# Benchmark results\n\n### Reading\n\nfast\n")
    write_results("### The burst in the browser: first\n\nold", path)
    write_block("matcher", "### Matcher\n\nkept", path)
    write_results("### The burst in the browser: second\n\nnew", path)
    text = path.read_text()
    assert "### Reading\n\nfast" in text
    assert "new" in text
    assert "old" not in text
    assert text.count("### The burst in the browser") == 1
    assert blocks(path) == [
        "<!-- load:start -->\n### The burst in the browser: second\n\nnew\n<!-- load:end -->",
        "<!-- matcher:start -->\n### Matcher\n\nkept\n<!-- matcher:end -->",
    ]


def test_a_block_ends_at_its_own_marker_not_at_the_next_heading(tmp_path: Path) -> None:
    # a section found by its heading swallowed the next benchmark's marker once, and with it that table
    path = tmp_path / "results.md"
    write_block("hostile", "### Hostile files\n\nfirst", path)
    write_block("matcher", "### Matcher\n\nkept", path)
    write_block("hostile", "### Hostile files\n\nsecond", path)

    assert path.read_text() == (
        "# Benchmark results\n\n<!-- hostile:start -->\n### Hostile files\n\nsecond\n<!-- hostile:end -->\n"
        "\n<!-- matcher:start -->\n### Matcher\n\nkept\n<!-- matcher:end -->\n"
    )
