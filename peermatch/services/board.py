"""The board view of a *bovenschools coördinator*: aggregates of every school of the board, never a pupil.

The coordinator's account (role ``bovenschools``) is refused by every pupil-reading repository
(:func:`peermatch.board.refuse_board`). This service alone reads a board school's monitoring, and only to reduce
it to suppressed aggregates before anything leaves it: for each school of the board (checked against the
``board_users`` row, never ``users.school_id``) it reads the programmes with the monitoring services' public
functions as a school-wide reader of that one school that exists only inside this module, with the board
account's id (so each school's audit log names who looked). The histories, names and ids stay here; what
returns is :class:`peermatch.board.BoardLine` values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from peermatch import board as core
from peermatch.auth import AuthenticatedUser, StaffRole, generate_password, hash_password
from peermatch.auth.accounts import account_display_name, account_username
from peermatch.services.database import Database
from peermatch.services.monitoring import read_monitored, read_triages
from peermatch.storage import boards
from peermatch.storage.enums import AuditAction
from peermatch.storage.programmes import list_programmes

__all__ = ["BoardAccount", "BoardOverview", "board_export", "board_overview", "create_board"]


@dataclass(frozen=True)
class BoardOverview:
    board: str
    schools: tuple[str, ...]  # every school of the board, by name (also those without a programme)
    lines: tuple[core.BoardLine, ...]  # per school and programme, small cells suppressed
    as_of: date


@dataclass(frozen=True)
class BoardAccount:
    board: str
    schools: tuple[str, ...]
    username: str
    password: str  # generated; shown once, stored only as its hash


def _school_reader(actor: AuthenticatedUser, school_id: int) -> AuthenticatedUser:
    """A school-wide reader of one board school, for this module's aggregation only (see the module doc)."""
    return AuthenticatedUser(actor.id, school_id, actor.username, actor.display_name, StaffRole.IB)


def _school_figures(
    session: Session, actor: AuthenticatedUser, school_id: int, school: str, as_of: date
) -> list[core.ProgrammeFigures]:
    reader = _school_reader(actor, school_id)
    triages = read_triages(session, reader)
    figures = []
    for programme in list_programmes(session, reader, school_id):
        monitored = read_monitored(session, reader, programme.id)  # as the school's own overview judges
        figures.append(
            core.programme_figures(
                school,
                programme.spec.name,
                programme.spec.subject.value,
                monitored.histories,
                monitored.non_participants,
                as_of,
                thresholds=monitored.thresholds,
                triages=triages,
            )
        )
    return figures


def _read(session: Session, actor: AuthenticatedUser, as_of: date) -> tuple[boards.BoardInfo, BoardOverview]:
    board = boards.board_of(session, actor)
    figures = [f for s in board.schools for f in _school_figures(session, actor, s.id, s.name, as_of)]
    overview = BoardOverview(board.name, tuple(s.name for s in board.schools), tuple(core.board_lines(figures)), as_of)
    return board, overview


def board_overview(db: Database, actor: AuthenticatedUser, as_of: date | None = None) -> BoardOverview:
    """Per school of the actor's board and per programme: pairs, dosage, health and growth, suppressed.
    Only for a *bovenschools coördinator* with a board (else ``PermissionDeniedError``); audited as a view in
    every school of the board."""
    with db.write() as session:
        board, overview = _read(session, actor, as_of or date.today())
        boards.record_board(session, actor, board, AuditAction.VIEW)
        return overview


def board_export(db: Database, actor: AuthenticatedUser, as_of: date | None = None) -> bytes:
    """The funder's CSV of :func:`board_overview` (UTF-8 with a BOM for Excel, formula-safe cells); audited
    as an export in every school of the board."""
    with db.write() as session:
        board, overview = _read(session, actor, as_of or date.today())
        boards.record_board(session, actor, board, AuditAction.EXPORT)
        return core.board_csv(overview.lines).encode("utf-8-sig")


def create_board(db: Database, name: str, schools: list[str], coordinator: str) -> BoardAccount:
    """A board of existing schools with a coordinator account and a generated password (trusted code: the
    ``peermatch create-board`` command). The password is returned once; only its argon2 hash is stored."""
    username = account_username(coordinator)
    password = generate_password()
    password_hash = hash_password(password)  # before the transaction: the write lock is not held for argon2
    with db.write() as session:
        display = account_display_name("", username)
        info = boards.create_board(
            session, name, schools, username=username, display_name=display, password_hash=password_hash
        )
    return BoardAccount(info.name, tuple(s.name for s in info.schools), username, password)
