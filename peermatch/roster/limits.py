"""The problems for a file over the size or row limit (the limits themselves live in ``peermatch.roster``).

The numbers in these messages are written the way each language writes them ("50.000 rijen",
"50,000 rows"; "23,4 MB", "23.4 MB"): the parameters are numbers that understand the format specs
``nl`` and ``en``, so both catalogues use the same placeholder names (``{max_rows:nl}``, ``{max_rows:en}``).
"""

from __future__ import annotations

from peermatch.errors import Problem
from peermatch.i18n.formatting import LocalNumber

__all__ = ["LocalNumber", "too_large", "too_many_rows"]


def _mb(size: float) -> LocalNumber:
    return LocalNumber(round(size / (1024 * 1024), 1))


def too_large(file: str | None, size: int, *, max_rows: int, max_bytes: int) -> Problem:
    """The file has more bytes than allowed (``size`` is shown in MB)."""
    params = {"size_mb": _mb(size), "max_mb": _mb(max_bytes), "max_rows": LocalNumber(max_rows)}
    return Problem("roster.file.too_large", file=file, params=params)


def too_many_rows(file: str | None, *, max_rows: int, max_bytes: int) -> Problem:
    """The file has more pupil rows than allowed."""
    params = {"max_mb": _mb(max_bytes), "max_rows": LocalNumber(max_rows)}
    return Problem("roster.file.too_many_rows", file=file, params=params)
