"""A board over the two schools of ``tutoring_world`` (OBS Test with a published reading programme, OBS
Elders), and its coordinator logged in through the real login, as the app gets them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker
from tutoring_world import Tutoring, build_tutoring

from peermatch.auth import AuthenticatedUser
from peermatch.services import Database
from peermatch.services.board import BoardAccount, create_board
from peermatch.services.login import authenticate

__all__ = ["BOARD", "Board", "build_board"]

BOARD = "Mentoren op Zuid"


@dataclass(frozen=True)
class Board:
    tutoring: Tutoring
    account: BoardAccount
    coordinator: AuthenticatedUser  # as the login returns it (role bovenschools)


def build_board(factory: sessionmaker[Session]) -> Board:
    tutoring = build_tutoring(factory)
    db = Database(factory)
    made = create_board(db, BOARD, ["OBS Test", "OBS Elders"], "coord.zuid")
    coordinator = authenticate(db, made.username, made.password)
    assert coordinator is not None
    return Board(tutoring, made, coordinator)
