"""The bounds every roster reader keeps, whatever the file, and the problems for a file that crosses one.

The size and row limits (``MAX_FILE_BYTES``, ``MAX_ROWS``) live in ``peermatch.roster`` and are passed to
the readers; the limits below are read from this module at call time (tests lower them with monkeypatch).
Each bound caps work or memory that a hostile or broken file could otherwise make unbounded:

* ``MAX_COLUMNS``: distinct columns (CSV, XLSX) or distinct element names of pupils (EDEXML);
* ``MAX_LINE_CHARS``: one CSV line (a line of a million delimiters is refused before it is split);
* ``MAX_SCANNED_ROWS``: rows read including empty ones (CSV lines, XLSX ``<row>`` elements and gaps);
* ``MAX_EMPTY_RUN``: an XLSX sheet is read up to the first run of this many empty rows (formatting that
  reaches row 1,048,576 ends there);
* ``MAX_XML_DEPTH``, ``MAX_XML_ELEMENTS``, ``MAX_PUPIL_ELEMENTS``: nesting, elements in a file, elements in
  one ``<leerling>``; ``MAX_XML_TEXT_CHARS``: the text of one element (a name, a date) in EDEXML / UWLR;
* ``MAX_XLSX_PART_BYTES`` (a sheet or the shared strings), ``MAX_XLSX_OTHER_BYTES`` (any other part) and
  ``MAX_XLSX_UNPACKED_BYTES`` (all parts): unpacked sizes, checked on the declared sizes *and* while
  streaming (a zip can lie about them);
* ``MAX_XLSX_PARTS``: entries in the zip's directory (checked before the directory is read);
* ``MAX_XLSX_ELEMENTS``: XML elements looked at in a whole workbook (bounds the parsing time of any sheet);
* ``MAX_READ_SECONDS``, ``MAX_READ_MEMORY_BYTES``: an upload in the app is read in a child process that is
  stopped after this long or when it needs this much more memory (``peermatch.roster.worker``);
  ``MAX_PARALLEL_READS`` run at once, a further one waits up to ``MAX_READ_WAIT_SECONDS`` for its turn;
* ``MAX_PROBLEMS``: problems collected; the rest is counted in one closing problem;
* ``MAX_ERROR_ROWS``: rows with an error after which validation stops (the rows after it are not checked,
  the roster is not ok, and the closing problem says where checking stopped): a file that broken is the
  wrong file or a wrong export, and checking its every row would only cost time;
* ``MAX_VALUE_CHARS``, ``MAX_LIST_ITEMS``: a value or column name in a message is cut to this length, a list
  of names to this many.

The numbers in these messages are written the way each language writes them ("50.000 rijen",
"50,000 rows"; "23,4 MB", "23.4 MB"): the parameters are numbers that understand the format specs
``nl`` and ``en``, so both catalogues use the same placeholder names (``{max_rows:nl}``, ``{max_rows:en}``).
"""

from __future__ import annotations

from collections.abc import Iterable

from peermatch.errors import Problem, Severity
from peermatch.i18n.formatting import LocalNumber

__all__ = [
    "MAX_COLUMNS",
    "MAX_EMPTY_RUN",
    "MAX_ERROR_ROWS",
    "MAX_LINE_CHARS",
    "MAX_LIST_ITEMS",
    "MAX_PARALLEL_READS",
    "MAX_PROBLEMS",
    "MAX_PUPIL_ELEMENTS",
    "MAX_READ_MEMORY_BYTES",
    "MAX_READ_SECONDS",
    "MAX_READ_WAIT_SECONDS",
    "MAX_SCANNED_ROWS",
    "MAX_VALUE_CHARS",
    "MAX_XLSX_ELEMENTS",
    "MAX_XLSX_OTHER_BYTES",
    "MAX_XLSX_PARTS",
    "MAX_XLSX_PART_BYTES",
    "MAX_XLSX_SHARED_STRINGS",
    "MAX_XLSX_UNPACKED_BYTES",
    "MAX_XML_DEPTH",
    "MAX_XML_ELEMENTS",
    "MAX_XML_TEXT_CHARS",
    "LocalNumber",
    "clip",
    "clip_list",
    "limit_problem",
    "more_problems",
    "too_large",
    "too_many_rows",
]

MAX_COLUMNS = 200
MAX_LINE_CHARS = 1_000_000
MAX_SCANNED_ROWS = 100_000
MAX_EMPTY_RUN = 1_000
MAX_XML_DEPTH = 12
MAX_XML_ELEMENTS = 500_000  # a real export has some 15-30 elements per pupil: 50,000 pupils of 10 fit
MAX_PUPIL_ELEMENTS = 500
MAX_XML_TEXT_CHARS = 10_000
MAX_XLSX_PART_BYTES = 32 * 1024 * 1024
MAX_XLSX_OTHER_BYTES = 8 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_XLSX_SHARED_STRINGS = 500_000
MAX_XLSX_PARTS = 1_000
MAX_XLSX_ELEMENTS = 1_000_000
MAX_READ_SECONDS = 30
MAX_READ_MEMORY_BYTES = 512 * 1024 * 1024
MAX_PARALLEL_READS = 2
MAX_READ_WAIT_SECONDS = 30
MAX_PROBLEMS = 1_000
MAX_ERROR_ROWS = 1_000
MAX_VALUE_CHARS = 120
MAX_LIST_ITEMS = 30


def _mb(size: float) -> LocalNumber:
    return LocalNumber(round(size / (1024 * 1024), 1))


def clip(text: str | None, limit: int | None = None) -> str | None:
    """``text`` cut to ``MAX_VALUE_CHARS`` characters (with an ellipsis), so no message grows with the file."""
    limit = MAX_VALUE_CHARS if limit is None else limit
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def clip_list(names: Iterable[str]) -> str:
    """``a, b, c, …`` with at most ``MAX_LIST_ITEMS`` names, each clipped; ``-`` when there are none."""
    shown: list[str] = []
    more = 0
    for name in names:
        if len(shown) < MAX_LIST_ITEMS:
            shown.append(clip(name) or "")
        else:
            more += 1
    if more:
        shown.append(f"… (+{more})")
    return ", ".join(shown) or "-"


def too_large(file: str | None, size: int, *, max_rows: int, max_bytes: int) -> Problem:
    """The file has more bytes than allowed (``size`` is shown in MB)."""
    params = {"size_mb": _mb(size), "max_mb": _mb(max_bytes), "max_rows": LocalNumber(max_rows)}
    return Problem("roster.file.too_large", file=file, params=params)


def too_many_rows(file: str | None, *, max_rows: int, max_bytes: int) -> Problem:
    """The file has more pupil rows than allowed."""
    params = {"max_mb": _mb(max_bytes), "max_rows": LocalNumber(max_rows)}
    return Problem("roster.file.too_many_rows", file=file, params=params)


def limit_problem(
    what: str, file: str | None, *, limit: int, row: int | None = None, part: str | None = None, mb: bool = False
) -> Problem:
    """A file that crosses one of the bounds above: ``limits.<what>``, naming the file and the limit."""
    params: dict[str, object] = {"limit": _mb(limit) if mb else LocalNumber(limit)}
    if part is not None:
        params["part"] = clip(part)
    return Problem(f"limits.{what}", file=file, row=row, params=params)


def more_problems(count: int, severity: Severity, file: str | None) -> Problem:
    """The closing problem when more than ``MAX_PROBLEMS`` were found: "en nog 349.950 andere problemen"."""
    code = "limits.more_problems_one" if count == 1 else "limits.more_problems"
    params = {"count": LocalNumber(count), "shown": LocalNumber(MAX_PROBLEMS)}
    return Problem(code, severity, file=file, params=params)


def stopped_checking(total: int, file: str | None, *, last_row: int, rows: int) -> Problem:
    """The closing problem when checking stopped after ``MAX_ERROR_ROWS`` rows with errors (always an error).

    ``total`` is the exact number of problems found up to ``last_row``, the last row checked (the first
    ``MAX_PROBLEMS`` of them are shown); ``rows`` the number of rows with data in the file.
    """
    params = {
        "total": LocalNumber(total),
        "shown": LocalNumber(MAX_PROBLEMS),
        "error_rows": LocalNumber(MAX_ERROR_ROWS),
        "last_row": LocalNumber(last_row),
        "rows": LocalNumber(rows),
    }
    return Problem("limits.stopped_checking", Severity.ERROR, file=file, params=params)
