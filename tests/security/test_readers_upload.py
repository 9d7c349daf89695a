"""Issue 11, item 1: an upload is read in a child process with a time and a memory limit, a few at a time, so one
file never blocks the other users of the app (each test fails on the old in-process read)."""

from __future__ import annotations

import resource
import threading
import time

import pytest

from benchmarks.hostile import csv_valid
from peermatch.errors import EmptyFileError, FileTooLargeError, RosterError
from peermatch.roster import limits, read_roster
from peermatch.roster.worker import BUSY, run_isolated


def test_a_read_comes_back_from_the_child_as_the_same_roster() -> None:
    data = csv_valid(50)

    roster = run_isolated(read_roster, (data,), {"filename": "klas.csv"}, file="klas.csv")

    assert roster == read_roster(data, filename="klas.csv")


def test_a_refusal_comes_back_as_the_same_error_with_the_same_problems() -> None:
    with pytest.raises(EmptyFileError) as info:
        run_isolated(read_roster, (b"",), {"filename": "leeg.csv"}, file="leeg.csv")

    assert [(p.code, p.file) for p in info.value.problems] == [("roster.file.empty", "leeg.csv")]


def test_a_read_that_takes_too_long_is_stopped_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_READ_SECONDS", 1)
    start = time.monotonic()

    with pytest.raises(FileTooLargeError) as info:
        run_isolated(time.sleep, (30,), {}, file="traag.xlsx")

    assert time.monotonic() - start < 10
    (problem,) = info.value.problems
    assert (problem.code, problem.file) == ("limits.too_slow", "traag.xlsx")
    assert "langer dan 1 seconden" in problem.message("nl")


def test_a_read_that_needs_too_much_memory_is_stopped_in_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_READ_MEMORY_BYTES", 64 * 1024 * 1024)

    with pytest.raises(FileTooLargeError) as info:
        run_isolated(bytearray, (256 * 1024 * 1024,), {}, file="groot.xlsx")  # 256 MB: more than 64 MB allowed

    (problem,) = info.value.problems
    assert (problem.code, problem.file) == ("limits.too_much_memory", "groot.xlsx")
    assert "meer dan 64 MB geheugen" in problem.message("nl")


def test_reads_beyond_the_parallel_limit_wait_then_get_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_PARALLEL_READS", 1)
    monkeypatch.setattr(limits, "MAX_READ_WAIT_SECONDS", 0.2)
    slow = threading.Thread(target=run_isolated, args=(time.sleep, (2,), {}), kwargs={"file": "a.csv"})
    slow.start()
    time.sleep(0.5)  # the first read holds the only turn
    try:
        with pytest.raises(RosterError) as info:
            run_isolated(read_roster, (csv_valid(1),), {"filename": "b.csv"}, file="b.csv")
    finally:
        slow.join()

    assert info.value.problems[0].code == BUSY
    assert "Probeer het over een minuut nog eens" in info.value.problems[0].message("nl")
    assert run_isolated(read_roster, (csv_valid(1),), {"filename": "b.csv"}, file="b.csv").pupils  # a turn again


def test_the_work_of_reading_is_done_by_the_child_not_by_the_app_process() -> None:
    data = csv_valid(20_000)  # about a second of pure-Python work: in the app's thread it would hold the GIL
    start = time.thread_time()
    in_process = read_roster(data, filename="groot.csv")  # the old way, for comparison
    old = time.thread_time() - start
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.thread_time()

    roster = run_isolated(read_roster, (data,), {"filename": "groot.csv"}, file="groot.csv")

    in_app = time.thread_time() - start  # this thread's CPU: sending the file, taking the roster back
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    in_child = after_children.ru_utime + after_children.ru_stime - before_children.ru_utime - before_children.ru_stime
    assert roster == in_process
    assert in_child > old / 2  # the reading happened in the child ...
    # ... and this thread did less than reading it itself (it still unpickles the roster: about half, measured;
    # the bound leaves room for a busy machine)
    assert in_app < old, (in_app, old)
