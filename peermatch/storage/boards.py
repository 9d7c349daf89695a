"""Boards above schools: a board, its schools and its coordinators (role ``bovenschools``).

A coordinator's ``users.school_id`` is the board's first school only because that column is NOT NULL; no
right follows from it. What a board account may read is decided here, by its role and its ``board_users``
row, and every pupil-reading repository refuses the role (:func:`peermatch.board.refuse_board`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, require_role
from peermatch.errors import InvalidInputError, PermissionDeniedError, Problem
from peermatch.storage import audit
from peermatch.storage.enums import AuditAction, StaffRole
from peermatch.storage.models import BoardRow, BoardSchoolRow, BoardUserRow, School
from peermatch.storage.schools import SchoolInfo, find_school
from peermatch.storage.users import insert_account, require_username_free

__all__ = ["BoardInfo", "board_of", "create_board", "record_board"]

NAME_MAX = 200


@dataclass(frozen=True)
class BoardInfo:
    id: int
    name: str
    schools: tuple[SchoolInfo, ...]  # by name


def _schools(session: Session, board_id: int) -> tuple[SchoolInfo, ...]:
    query = (
        sa.select(School.id, School.name)
        .join(BoardSchoolRow, BoardSchoolRow.school_id == School.id)
        .where(BoardSchoolRow.board_id == board_id)
        .order_by(School.name, School.id)
    )
    return tuple(SchoolInfo(i, n) for i, n in session.execute(query))


def create_board(
    session: Session,
    name: str,
    school_names: Sequence[str],
    *,
    username: str,
    display_name: str,
    password_hash: str,
) -> BoardInfo:
    """A new board of existing schools (exact names) with one coordinator account (trusted code: the CLI).

    Refused with a clear message: an empty or taken board name, no school, a school that does not exist, a
    school named twice, a taken username."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise InvalidInputError(Problem("board.name.invalid", value=name))
    if session.scalar(sa.select(BoardRow.id).where(BoardRow.name == name)) is not None:
        raise InvalidInputError(Problem("board.name.taken", value=name))
    if not school_names:
        raise InvalidInputError(Problem("board.school.none"))
    schools: list[SchoolInfo] = []
    for wanted in school_names:
        school = find_school(session, wanted)
        if school is None:
            raise InvalidInputError(Problem("board.school.unknown", value=wanted))
        if any(s.id == school.id for s in schools):
            raise InvalidInputError(Problem("board.school.twice", value=wanted))
        schools.append(school)
    require_username_free(session, username)
    board = BoardRow(name=name)
    session.add(board)
    session.flush()
    session.add_all(BoardSchoolRow(board_id=board.id, school_id=s.id) for s in schools)
    user = insert_account(session, schools[0].id, username=username, display_name=display_name,
                          password_hash=password_hash, role=StaffRole.BOVENSCHOOLS)  # fmt: skip
    user.must_change_password = True  # the password was generated and printed: the coordinator chooses their own
    session.add(BoardUserRow(user_id=user.id, board_id=board.id))
    session.flush()
    for school in schools:
        audit.record(session, None, school.id, AuditAction.CREATE, "board", board.id, user_id=user.id)
    return BoardInfo(board.id, board.name, _schools(session, board.id))


def board_of(session: Session, actor: AuthenticatedUser) -> BoardInfo:
    """The board of a *bovenschools coördinator* with its schools; ``PermissionDeniedError`` for anyone else
    (a school's own staff, an account of the role without a board)."""
    require_role(actor, StaffRole.BOVENSCHOOLS)
    row = session.execute(
        sa.select(BoardRow.id, BoardRow.name)
        .join(BoardUserRow, BoardUserRow.board_id == BoardRow.id)
        .where(BoardUserRow.user_id == actor.id)
    ).first()
    if row is None:
        raise PermissionDeniedError(Problem("board.denied.no_board"))
    return BoardInfo(row.id, row.name, _schools(session, row.id))


def record_board(session: Session, actor: AuthenticatedUser, board: BoardInfo, action: AuditAction) -> None:
    """Audit a board view or export in the log of every school of the board (each school sees who looked)."""
    for school in board.schools:
        audit.record(session, actor, school.id, action, "board", board.id, detail="aggregates")
