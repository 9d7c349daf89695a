"""Every error PeerMatch raises, and the structured problem lists they carry.

Hierarchy::

    PeerMatchError                  base: anything the core refuses; has .problems
    ├── RosterError                 a roster cannot be read at all (exit code 2 in the CLI)
    │   ├── UnsupportedFileError    not CSV / XLSX / EDEXML, or a binary file in disguise
    │   ├── EmptyFileError          no bytes, or no header
    │   ├── HeaderOnlyError         a header but no pupil rows
    │   ├── FileTooLargeError       over MAX_FILE_BYTES or MAX_ROWS
    │   └── MissingColumnsError     required columns are absent
    ├── RosterInvalidError          a readable roster with data errors (exit code 1 in the CLI)
    ├── LevelError                  a level notation that is not on any scale (also a ValueError)
    ├── MatchingError               the caller asked for something impossible
    │   └── RuleError               invalid rules, pins or forbids (e.g. capacity 5, unknown pupil)
    ├── StorageError                the stored data does not allow what was asked
    │   ├── NotFoundError           no such school, group, pupil, programme, run, pair or account
    │   ├── ConflictError           clashes with what is stored (name taken, run already published)
    │   ├── InvalidInputError       a value the database must not hold (0 weeks, end before start)
    │   └── DatabaseBusyError       the database stayed locked (a class-sized burst): try again soon
    ├── AuthError                   an account problem: weak password, bad or taken username
    │   ├── PermissionDeniedError   logged in, but not allowed: another school, group or role
    │   └── LoginThrottledError     too many wrong pupil logins with one class code: wait a while
    ├── CheckInError                a check-in that cannot be stored (minutes out of range, date in the future ...)
    ├── TrainingModuleError         a training request the core refuses (unknown quiz choice or
    │                               subject, bad pass mark, certificate without a name); a broken
    │                               module *file* never raises: it is skipped and reported
    ├── MonitoringError             an impossible plan, an illegal triage step, a bad threshold
    ├── ReportError                 a report or letter the core refuses (unknown language or role, no name)
    └── PseudonymError              the school secret is missing or too short for safe pseudonyms

Pages and the CLI catch ``PeerMatchError`` and show ``.problems`` in the user's language; a raw
pandas ``KeyError`` or a traceback never reaches a user.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from peermatch.i18n import DEFAULT_LANG, translate

__all__ = [
    "AuthError",
    "CheckInError",
    "ConflictError",
    "DatabaseBusyError",
    "EmptyFileError",
    "FileTooLargeError",
    "HeaderOnlyError",
    "InvalidInputError",
    "LevelError",
    "LoginThrottledError",
    "MatchingError",
    "MissingColumnsError",
    "MonitoringError",
    "NotFoundError",
    "PeerMatchError",
    "PermissionDeniedError",
    "Problem",
    "ProblemList",
    "PseudonymError",
    "ReportError",
    "RosterError",
    "RosterInvalidError",
    "RuleError",
    "Severity",
    "StorageError",
    "TrainingModuleError",
    "UnsupportedFileError",
]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Problem:
    """One problem found in user input, located as the user sees it.

    ``row`` is the row number as shown in the file (spreadsheet numbering, header row included),
    ``column`` the header as written in the file; both are ``None`` for whole-file problems.
    The message text lives in the i18n catalogue under ``code`` and is filled with ``params``.
    """

    code: str
    severity: Severity = Severity.ERROR
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str = DEFAULT_LANG) -> str:
        """The message in ``lang`` (``nl`` or ``en``), with the value and location filled in."""
        return translate(self.code, lang, value=self.value, column=self.column, row=self.row, **self.params)

    @property
    def message_nl(self) -> str:
        return self.message("nl")

    @property
    def message_en(self) -> str:
        return self.message("en")

    def location(self, lang: str = DEFAULT_LANG) -> str:
        """E.g. ``klas5.csv, rij 7, kolom 'AVI'`` — the place to look, in the user's language."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(translate("location.row", lang, row=self.row))
        if self.column is not None:
            parts.append(translate("location.column", lang, column=self.column))
        return ", ".join(parts)

    def as_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message(lang),
            "message_nl": self.message_nl,
            "message_en": self.message_en,
        }


class ProblemList:
    """``errors``, ``warnings`` and ``ok`` for a result that carries ``problems`` (a roster, a level file, an
    import): one definition for every such result."""

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors


class PeerMatchError(Exception):
    """Base of everything the core refuses. Carries one or more problems."""

    def __init__(self, problems: Problem | Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = (problems,) if isinstance(problems, Problem) else tuple(problems)
        super().__init__("; ".join(p.message("en") for p in self.problems) or type(self).__name__)

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return "\n".join(p.message(lang) for p in self.problems)


class RosterError(PeerMatchError):
    """The roster file cannot be read at all."""


class UnsupportedFileError(RosterError):
    """Not a CSV, XLSX or EDEXML file (or a binary file with a .csv name)."""


class EmptyFileError(RosterError):
    """The file has no bytes or no header row."""


class HeaderOnlyError(RosterError):
    """The file has a header row but no pupils."""


class FileTooLargeError(RosterError):
    """The file is over the size or row limit."""


class MissingColumnsError(RosterError):
    """Required columns are absent."""


class RosterInvalidError(PeerMatchError):
    """The roster was read but has data errors; nothing may be stored or matched."""


class LevelError(PeerMatchError, ValueError):
    """A level notation that is on no scale we know (e.g. AVI M8, which does not exist)."""


class MatchingError(PeerMatchError):
    """The matcher was asked for something impossible."""


class RuleError(MatchingError):
    """Invalid rules, pins or forbids."""


class StorageError(PeerMatchError):
    """The stored data does not allow what was asked."""


class NotFoundError(StorageError):
    """No such record (or it was deleted meanwhile)."""


class ConflictError(StorageError):
    """The request clashes with what is stored: a name is taken, a run is no longer a draft."""


class InvalidInputError(StorageError):
    """A value the database must not hold, e.g. a programme of 0 weeks or a pair that ends before it starts."""


class DatabaseBusyError(StorageError):
    """The database stayed busy or locked until the write's deadline (or could not be reached): nothing was
    stored, and trying again in a moment is safe. The message asks exactly that, never a traceback."""


class AuthError(PeerMatchError):
    """An account problem: a password that is too short, a username that is invalid or taken."""


class PermissionDeniedError(AuthError):
    """The user is logged in but may not do this: another school, another teacher's group, or the wrong role."""


class TrainingModuleError(PeerMatchError):
    """A training request the core refuses: an unknown quiz choice or question, an unknown subject, a
    pass mark outside 1-100, a certificate without a name. Broken module files do not raise; they
    are skipped and listed in ``ModuleSet.problems``."""


class LoginThrottledError(AuthError):
    """Too many failed pupil logins with this class code in a short time; ``problems`` says how long to wait."""


class CheckInError(PeerMatchError):
    """A check-in the core refuses: every problem found (minutes 0-120, text too long, a date in the
    future or outside the programme ...) is in ``problems``, in Dutch and English."""


class MonitoringError(PeerMatchError):
    """A monitoring request the core refuses: an impossible plan, an illegal triage step, a bad threshold."""


class ReportError(PeerMatchError):
    """A report or letter the core refuses: an unknown language or role, a letter without a name."""


class PseudonymError(PeerMatchError):
    """The school secret is missing or too short to make safe pseudonyms."""
