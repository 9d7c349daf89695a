"""The throttle rows (``login_throttles``): read one key under a row lock, store its new state, lift, forget.

The rules (how long to wait, when to lock) are the core's (``peermatch.auth.throttle``); the throttled logins
are ``peermatch.services.login`` and ``peermatch.services.pupil_login``. :func:`locked_state` makes sure the row
exists and locks it until the transaction ends (PostgreSQL: ``SELECT ... FOR UPDATE``; SQLite: the write
transaction is ``BEGIN IMMEDIATE``, one writer at a time), so a check and the reservation that follows it are
one atomic step on both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from peermatch.auth.throttle import ThrottleState
from peermatch.storage.models import LoginThrottle

__all__ = ["forget_before", "lift", "locked_state", "save_state", "states"]


def _insert_missing(session: Session, key: str) -> None:
    values = {"key": key, "failures": 0, "locks": 0}
    if session.get_bind().dialect.name == "postgresql":
        session.execute(postgresql.insert(LoginThrottle).values(values).on_conflict_do_nothing())
    else:
        session.execute(sqlite.insert(LoginThrottle).values(values).on_conflict_do_nothing())


def _state(row: LoginThrottle) -> ThrottleState:
    return ThrottleState(row.failures, row.locks, row.wait_until, row.locked_until, row.last_failure_at)


def locked_state(session: Session, key: str) -> ThrottleState:
    """The key's state, its row created when missing and locked until the transaction ends."""
    _insert_missing(session, key)
    row = session.scalars(
        sa.select(LoginThrottle)
        .where(LoginThrottle.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return _state(row)


def save_state(session: Session, key: str, state: ThrottleState) -> None:
    """Store the key's new state; a fresh state (nothing to remember) deletes the row."""
    if state == ThrottleState():
        session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == key))
        return
    session.execute(
        sa.update(LoginThrottle)
        .where(LoginThrottle.key == key)
        .values(
            failures=state.failures,
            locks=state.locks,
            wait_until=state.wait_until,
            locked_until=state.locked_until,
            last_failure_at=state.last_failure_at,
        )
    )


def states(session: Session, keys: Iterable[str]) -> dict[str, ThrottleState]:
    """The stored states of these keys (keys without a row are left out)."""
    wanted = list(keys)
    if not wanted:
        return {}
    rows = session.scalars(sa.select(LoginThrottle).where(LoginThrottle.key.in_(wanted)))
    return {row.key: _state(row) for row in rows}


def lift(session: Session, keys: Iterable[str]) -> int:
    """Forget these keys (a lifted lock); how many had a row."""
    wanted = list(keys)
    if not wanted:
        return 0
    result = session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key.in_(wanted)))
    return int(getattr(result, "rowcount", 0) or 0)


def forget_before(session: Session, moment: datetime) -> None:
    """Delete the rows whose last failure is before ``moment`` (client addresses are not kept longer)."""
    session.execute(sa.delete(LoginThrottle).where(LoginThrottle.last_failure_at < moment))
