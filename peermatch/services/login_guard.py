"""The throttle around every login (staff and pupils): reserve a try before it is evaluated, settle it after.

:func:`reserve` runs in one short locked write (``storage.login_throttles.locked_state``): every key of the
try (the account or pupil, the client address) is checked, and when none must wait, each is charged one
failure *before* argon2 runs. So 40 tries at the same moment cannot all be evaluated: after ``free``
reservations the next one meets a wait (``peermatch.auth.throttle``). :func:`settle` gives a successful
try its reservation back. Keys are locked in sorted order, so two logins never wait for each other in a
circle (PostgreSQL).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, StaffRole, require_role
from peermatch.auth.throttle import (
    STAFF_ACCOUNT,
    ThrottlePolicy,
    after_failure,
    after_success,
    current,
    staff_key,
    wait_left,
)
from peermatch.errors import LoginThrottledError, Problem
from peermatch.services.database import Database
from peermatch.storage import audit, login_throttles, users
from peermatch.vocabulary import AuditAction

__all__ = ["GuardKey", "address_key", "lift_account_lock", "locked_accounts", "reserve", "settle", "throttled_problem"]

_FORGET = timedelta(hours=24)


@dataclass(frozen=True)
class GuardKey:
    key: str
    policy: ThrottlePolicy
    shared: bool = False  # an address: a success gives only its own reservation back


def address_key(prefix: str, address: str | None, policy: ThrottlePolicy) -> list[GuardKey]:
    """The key of a client address, or none when the address is unknown (a test, the command line)."""
    clean = (address or "").strip()[:120]
    return [GuardKey(f"{prefix}:{clean}", policy, shared=True)] if clean else []


def throttled_problem(left: timedelta) -> Problem:
    """ "Wait N s" below two minutes, else "wait N min" (rounded up)."""
    seconds = max(1, math.ceil(left.total_seconds()))
    if seconds < 120:
        return Problem("login_guard.wait_seconds", params={"seconds": seconds})
    return Problem("login_guard.wait_minutes", params={"minutes": math.ceil(seconds / 60)})


def reserve(db: Database, keys: Sequence[GuardKey], now: datetime) -> None:
    """Charge every key one failure, or raise :class:`LoginThrottledError` (nothing charged) when one must wait."""
    ordered = sorted(keys, key=lambda k: k.key)

    def work(session: Session) -> timedelta | None:
        found = []
        for guard in ordered:
            state = current(login_throttles.locked_state(session, guard.key), guard.policy, now)
            if (left := wait_left(state, now)) is not None:
                return left
            found.append((guard, state))
        for guard, state in found:
            login_throttles.save_state(session, guard.key, after_failure(state, guard.policy, now))
        return None

    left = db.write_retrying(work)
    if left is not None:
        raise LoginThrottledError(throttled_problem(left))


def settle(db: Database, keys: Sequence[GuardKey], now: datetime) -> None:
    """The try succeeded: give the reservations back (an account or pupil starts afresh). Rows of keys
    whose last failure is a day old are deleted here too (client addresses are not kept longer)."""
    ordered = sorted(keys, key=lambda k: k.key)

    def work(session: Session) -> None:
        for guard in ordered:
            state = login_throttles.locked_state(session, guard.key)
            login_throttles.save_state(session, guard.key, after_success(state, shared=guard.shared))
        login_throttles.forget_before(session, now - _FORGET)

    db.write_retrying(work)


def locked_accounts(db: Database, actor: AuthenticatedUser, now: datetime) -> dict[int, datetime]:
    """The accounts of the beheerder's school that may not log in now (a lock or a growing wait), with until
    when: account id -> the end of the wait (the Accounts page shows them and offers to lift the lock)."""
    require_role(actor, StaffRole.BEHEERDER)
    with db.read() as session:
        accounts = {staff_key(u.username): u.id for u in users.accounts_of_school(session, actor)}
        found = login_throttles.states(session, accounts)
    waiting: dict[int, datetime] = {}
    for key, stored in found.items():
        state = current(stored, STAFF_ACCOUNT, now)
        if (left := wait_left(state, now)) is not None:
            waiting[accounts[key]] = now + left
    return waiting


def lift_account_lock(db: Database, actor: AuthenticatedUser, user_id: int) -> bool:
    """A beheerder lifts the lock (and the failed tries) of an account in their school, audited (``update`` of
    ``login_lock``); True when there was something to lift. The client addresses' own waits stay: an attacker's
    address is not let off with the colleague."""
    require_role(actor, StaffRole.BEHEERDER)
    with db.write() as session:
        user = users.account_in_school(session, actor, user_id)  # another school's: not found
        lifted = login_throttles.lift(session, [staff_key(user.username)]) > 0
        audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "login_lock", user.id,
                     detail="lifted" if lifted else "none")  # fmt: skip
    return lifted
