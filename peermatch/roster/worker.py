"""Reading an uploaded file in a child process, with a time limit, a memory limit and a few at a time.

The app serves every session from one process: a read that holds the interpreter (the GIL) or its memory for
long would slow every teacher down, whatever the readers' own bounds. :func:`run_isolated` runs a reader of
this package (``read_roster``, ``error_row_cells``) in a fresh ``python -m peermatch.roster.worker``:

* its address space may grow by at most ``MAX_READ_MEMORY_BYTES`` (``RLIMIT_AS``), so a file that needs more
  ends in ``MemoryError`` in the child, never in the app;
* it is killed after ``MAX_READ_SECONDS`` (``limits.too_slow``);
* at most ``MAX_PARALLEL_READS`` children run at once per app process; a further read waits up to
  ``MAX_READ_WAIT_SECONDS`` for a turn, then gets ``limits.busy`` (not the file's fault: try again).

The reader's own refusals come back as the same :class:`~peermatch.errors.RosterError` class with the same
problems. Anything else that goes wrong in the child is logged (its last line, no values) and becomes
``roster.file.unreadable``. The child is our own code, so its pickled answer is trusted; the file is only data.
"""

from __future__ import annotations

import logging
import pickle
import resource
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from peermatch.errors import FileTooLargeError, PeerMatchError, Problem, RosterError, UnsupportedFileError
from peermatch.roster import limits
from peermatch.roster.limits import limit_problem

__all__ = ["BUSY", "run_isolated"]

BUSY = "limits.busy"
T = TypeVar("T")

_log = logging.getLogger(__name__)
_turns = threading.Condition()
_running = 0


def _take_turn() -> bool:
    global _running
    with _turns:
        if not _turns.wait_for(lambda: _running < limits.MAX_PARALLEL_READS, timeout=limits.MAX_READ_WAIT_SECONDS):
            return False
        _running += 1
        return True


def _give_turn() -> None:
    global _running
    with _turns:
        _running -= 1
        _turns.notify()


def _answer(out: bytes, returncode: int, err: bytes, file: str | None) -> Any:
    if returncode == 0 and out:
        kind, *payload = pickle.loads(out)  # our own child's answer (see the module docstring)
        if kind == "ok":
            return payload[0]
        if kind == "refused":
            error_class, problems = payload
            raise error_class(problems)
        if kind == "memory":
            raise _too_much_memory(file)
        err = f"{payload[0]}: in the reader".encode()
    last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit code {returncode}"]
    if "MemoryError" in last[0]:
        raise _too_much_memory(file)
    _log.error("reading a file in a child process failed: %s", last[0].split(":")[0])  # no values: privacy
    raise UnsupportedFileError(Problem("roster.file.unreadable", file=file))


def _too_much_memory(file: str | None) -> FileTooLargeError:
    return FileTooLargeError(limit_problem("too_much_memory", file, limit=limits.MAX_READ_MEMORY_BYTES, mb=True))


def run_isolated(reader: Callable[..., T], args: tuple[Any, ...], kwargs: Mapping[str, Any], *, file: str | None) -> T:
    """``reader(*args, **kwargs)`` in a child process within the limits above; ``file`` names the file in messages.

    ``reader`` must be a module-level function (it is pickled by name). Raises what the reader raises (a
    :class:`~peermatch.errors.PeerMatchError`), or a :class:`RosterError` for a crossed limit.
    """
    if not _take_turn():
        raise RosterError(Problem(BUSY, file=file))
    try:
        request = pickle.dumps((reader, args, dict(kwargs)))
        child = subprocess.Popen(
            [sys.executable, "-m", "peermatch.roster.worker", str(limits.MAX_READ_MEMORY_BYTES)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            out, err = child.communicate(request, timeout=limits.MAX_READ_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise FileTooLargeError(limit_problem("too_slow", file, limit=limits.MAX_READ_SECONDS)) from None
    finally:
        _give_turn()
    answer: T = _answer(out, child.returncode, err, file)
    return answer


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _serve(budget: int) -> int:
    """The child: limit its own memory, read one request from stdin, write the answer to stdout."""
    try:
        limit = _address_space() + budget
    except OSError:  # no /proc: limit the whole address space
        limit = budget
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    reader, args, kwargs = pickle.load(sys.stdin.buffer)  # sent by the parent
    answer: tuple[Any, ...]
    try:
        answer = ("ok", reader(*args, **kwargs))
    except PeerMatchError as exc:
        answer = ("refused", type(exc), exc.problems)
    except MemoryError:
        answer = ("memory",)
    except Exception as exc:  # a reader bug: the parent logs its kind and shows "cannot be read"
        answer = ("failed", type(exc).__name__)
    try:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory",))
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_serve(int(sys.argv[1])))
