"""The one rule of a board account (role ``bovenschools``) that every pupil-reading repository applies.

A *bovenschools coördinator* reads a board's aggregates through ``peermatch.services.board`` only: never a
pupil, a check-in, a worry, a level or a named pair, not even of the school its account row points at (see
``peermatch.storage.boards``). A separate core module so that the repositories can apply it without importing
the monitoring rules that :mod:`peermatch.board` aggregates.
"""

from __future__ import annotations

from peermatch.auth import AuthenticatedUser
from peermatch.errors import PermissionDeniedError, Problem
from peermatch.vocabulary import StaffRole

__all__ = ["refuse_board"]


def refuse_board(actor: AuthenticatedUser) -> AuthenticatedUser:
    """Raise ``PermissionDeniedError`` for a board account; return the actor for a school's own staff. (A pupil
    that reaches a staff repository has no role: the repository's own staff check refuses it.)"""
    if getattr(actor, "role", None) is StaffRole.BOVENSCHOOLS:
        raise PermissionDeniedError(Problem("board.denied.pupils"))
    return actor
