"""Issue 11, item 1: a CSV reader that stays bounded whatever the file (each test fails on the old reader)."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.hostile import CSV_HEADER, csv_empty_lines, csv_invalid_rows, csv_wide_line
from peermatch.errors import FileTooLargeError, Severity
from peermatch.roster import limits, read_roster

TODAY = dt.date(2026, 10, 1)


def test_thousands_of_invalid_rows_report_the_first_problems_and_where_checking_stopped() -> None:
    # found: 50,000 invalid rows collected 350,000 problems (24 s, 1.4 GB); the same shape, 3,000 rows
    roster = read_roster(csv_invalid_rows(3_000), filename="klas.csv", today=TODAY)

    assert len(roster.problems) == limits.MAX_PROBLEMS + 1
    last = roster.problems[-1]
    assert last.code == "limits.stopped_checking"
    assert last.severity is Severity.ERROR
    assert not roster.ok
    assert roster.pupils == ()
    # rows 2..1,001 are the first 1,000 rows with errors; their problems are counted exactly (7 each, but the
    # first row's pupil number is not yet a duplicate)
    assert last.params["last_row"] == 1_001
    assert last.params["rows"] == 3_000
    assert last.params["total"] == 6_999
    message = last.message("nl")
    assert "gestopt met controleren na rij 1.001" in message
    assert "Er zijn 3.000 rijen" in message
    assert "Tot rij 1.001 zijn er 6.999 problemen" in message
    assert "stopped checking after row 1,001" in last.message("en")
    assert roster.problems[0].row == 2  # the first problems are the ones shown, in row order


def test_checking_stops_at_the_thousandth_row_with_an_error_not_at_the_thousandth_problem() -> None:
    just_below = read_roster(csv_invalid_rows(limits.MAX_ERROR_ROWS), filename="klas.csv", today=TODAY)
    one_more = read_roster(csv_invalid_rows(limits.MAX_ERROR_ROWS + 1), filename="klas.csv", today=TODAY)

    assert just_below.problems[-1].code == "limits.more_problems"  # every row checked: the count is exact
    assert just_below.problems[-1].params["count"] == 7 * limits.MAX_ERROR_ROWS - 1 - limits.MAX_PROBLEMS
    assert one_more.problems[-1].code == "limits.stopped_checking"
    assert one_more.problems[-1].params["last_row"] == limits.MAX_ERROR_ROWS + 1


def test_warnings_alone_never_stop_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ERROR_ROWS", 3)
    old_avi = "".join(f"{i:06d};Fenna;Verbeek;03-09-2016;5A;AVI 5;M5;;\n" for i in range(1, 11))  # a warning each
    roster = read_roster((CSV_HEADER + old_avi).encode(), filename="klas.csv", today=TODAY)

    assert len(roster.pupils) == 10
    assert roster.ok
    assert sum(p.code == "levels.note.old_avi" for p in roster.problems) == 10
    assert all(p.code != "limits.stopped_checking" for p in roster.problems)


def test_the_count_of_left_out_problems_is_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    bounded = read_roster(csv_invalid_rows(300), filename="klas.csv", today=TODAY)
    monkeypatch.setattr(limits, "MAX_PROBLEMS", 10**9)
    everything = read_roster(csv_invalid_rows(300), filename="klas.csv", today=TODAY)

    assert bounded.problems[:-1] == everything.problems[:1_000]
    assert bounded.problems[-1].params["count"] == len(everything.problems) - 1_000


def test_one_left_out_problem_uses_the_singular(monkeypatch: pytest.MonkeyPatch) -> None:
    total = len(read_roster(csv_invalid_rows(1), filename="klas.csv", today=TODAY).problems)
    monkeypatch.setattr(limits, "MAX_PROBLEMS", total - 1)
    roster = read_roster(csv_invalid_rows(1), filename="klas.csv", today=TODAY)

    assert roster.problems[-1].code == "limits.more_problems_one"
    assert "en nog 1 ander probleem" in roster.problems[-1].message("nl")


def test_a_line_of_a_million_fields_is_refused_naming_the_file_row_and_limit() -> None:
    with pytest.raises(FileTooLargeError) as info:
        read_roster(csv_wide_line(5_000), filename="breed.csv")

    problem = info.value.problems[0]
    assert problem.code == "limits.columns"
    assert (problem.file, problem.row) == ("breed.csv", 2)
    assert f"meer dan {limits.MAX_COLUMNS} kolommen" in problem.message("nl")


def test_a_line_longer_than_the_line_limit_is_refused_before_it_is_split(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_LINE_CHARS", 1_000)

    with pytest.raises(FileTooLargeError) as info:
        read_roster(b"x;" * 10_000, filename="lang.csv")

    assert info.value.problems[0].code == "limits.line_too_long"
    assert "1.000 tekens" in info.value.problems[0].message("nl")


def test_empty_lines_count_towards_the_rows_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_SCANNED_ROWS", 1_000)

    with pytest.raises(FileTooLargeError) as info:
        read_roster(csv_empty_lines(5_000), filename="leeg.csv")

    problem = info.value.problems[0]
    assert (problem.code, problem.file) == ("limits.scanned_rows", "leeg.csv")
    assert "1.000 rijen, lege rijen meegeteld" in problem.message("nl")


def test_a_huge_value_is_cut_short_in_every_message() -> None:
    data = (
        "leerlingnummer;roepnaam;geboortedatum;groep;avi\n" + "1;Fenna;03-09-2015;5A;" + "M" * 100_000 + "\n"
    ).encode()

    roster = read_roster(data, filename="klas.csv", today=TODAY)

    assert roster.errors
    assert all(len(p.message("nl")) < 1_000 and len(p.value or "") <= limits.MAX_VALUE_CHARS for p in roster.problems)
