"""The login throttle, pure: growing waits after failed logins and a temporary lock (OWASP ASVS 2.2.1).

One :class:`ThrottleState` per key: a staff account (``user:<username>``, also for usernames that do not
exist), a client address (``addr:<ip>``), a pupil (``pupil:<class code>:<number>``, :func:`pupil_key`) or an
address typing pupil codes (``class-addr:<ip>``). The first ``free`` failures cost nothing; from then on every
failure makes the next try wait twice as long (``base_delay``, 2x, 4x ...); at ``lock_at`` failures the key is
locked for ``lock_for`` (doubling with every lock in a row, at most ``max_lock``). A beheerder (staff) or the teacher
(pupils) can lift a lock. Everything is forgotten ``forget_after`` the last failure.

The services count a try as failed *before* it is evaluated (a reservation, in one locked write) and take it
back when it succeeds, so tries running at the same moment can never pass the limit: at most ``free``
tries are evaluated before the first wait.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

__all__ = [
    "PUPIL",
    "PUPIL_ADDRESS",
    "STAFF_ACCOUNT",
    "STAFF_ADDRESS",
    "TRUSTED_PROXY_ENV_VAR",
    "ThrottlePolicy",
    "ThrottleState",
    "after_failure",
    "after_success",
    "class_pupil_keys",
    "client_address",
    "current",
    "lifted",
    "pupil_key",
    "staff_key",
    "wait_left",
]


@dataclass(frozen=True)
class ThrottlePolicy:
    free: int  # failures before the first wait
    lock_at: int  # failures that lock the key
    base_delay: timedelta  # the first wait; doubles with every further failure
    lock_for: timedelta  # the first lock; doubles with every further lock in a row
    max_lock: timedelta
    forget_after: timedelta  # this long after the last failure, the key starts afresh


STAFF_ACCOUNT = ThrottlePolicy(
    3, 10, timedelta(seconds=5), timedelta(minutes=15), timedelta(hours=24), timedelta(hours=24)
)
# A school's staff often share one address (NAT): more room, the same growing waits, forgotten an hour after the
# last failure, so the typing mistakes of a whole staff room over weeks never add up to a lock of everyone.
STAFF_ADDRESS = ThrottlePolicy(
    20, 100, timedelta(seconds=2), timedelta(minutes=15), timedelta(hours=24), timedelta(hours=1)
)
PUPIL = ThrottlePolicy(5, 10, timedelta(seconds=5), timedelta(minutes=15), timedelta(hours=24), timedelta(hours=24))
# A whole school's pupils often share one address (NAT): room for a class's typing mistakes, forgotten a quarter
# of an hour after the last one, so mistakes on Monday never make Tuesday's class wait. An address trying many
# pupils' codes keeps failing and meets the growing waits; each pupil's own key (PUPIL) locks that pupil only.
PUPIL_ADDRESS = ThrottlePolicy(
    20, 100, timedelta(seconds=2), timedelta(minutes=15), timedelta(hours=24), timedelta(minutes=15)
)


@dataclass(frozen=True)
class ThrottleState:
    failures: int = 0
    locks: int = 0  # locks in a row (for the doubling)
    wait_until: datetime | None = None  # a growing wait
    locked_until: datetime | None = None  # a lock (a beheerder or teacher can lift it)
    last_failure_at: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


def current(state: ThrottleState, policy: ThrottlePolicy, now: datetime) -> ThrottleState:
    """The state as it is at ``now``: a fresh one when the last failure is ``forget_after`` ago."""
    if state.last_failure_at is not None and now - state.last_failure_at >= policy.forget_after:
        return ThrottleState()
    return state


def wait_left(state: ThrottleState, now: datetime) -> timedelta | None:
    """How long this key must still wait before the next try, or None when it may try now."""
    until = max((t for t in (state.wait_until, state.locked_until) if t is not None), default=None)
    return until - now if until is not None and until > now else None


def after_failure(state: ThrottleState, policy: ThrottlePolicy, now: datetime) -> ThrottleState:
    """One more failed try: a growing wait from ``free`` failures on, a lock at ``lock_at``."""
    failures = state.failures + 1
    if failures >= policy.lock_at:
        locks = state.locks + 1
        span = min(policy.lock_for * 2 ** (locks - 1), policy.max_lock)
        return ThrottleState(0, locks, None, now + span, now)
    wait = None
    if failures >= policy.free:
        wait = now + min(policy.base_delay * 2 ** (failures - policy.free), policy.lock_for)
    return ThrottleState(failures, state.locks, wait, state.locked_until, now)


def after_success(state: ThrottleState, *, shared: bool) -> ThrottleState:
    """The try succeeded: an account or pupil starts afresh; a shared key (an address) only gets its
    reserved failure back, so one good login cannot wipe the tries of an attacker behind the same address."""
    if not shared:
        return ThrottleState()
    failures = max(0, state.failures - 1)
    return replace(state, failures=failures, wait_until=state.wait_until if failures else None)


def lifted(state: ThrottleState) -> ThrottleState:
    """A beheerder or teacher lifted the lock: no wait, no lock, failures forgotten."""
    return ThrottleState()


def staff_key(normalized_username: str) -> str:
    """The key of a staff account (the same for a username that does not exist)."""
    return "user:" + normalized_username[:150]


def pupil_key(class_code: str, number: str) -> str:
    """The key of one pupil: the class code and the number on the card, as typed (normalised by the caller when
    they can be), so a wrong code counts against that one pupil, never the class, and an unknown class code or
    number is throttled exactly like a known one without a look-up first."""
    return f"pupil:{class_code.strip()[:12]}:{number.strip()[:3]}"


def class_pupil_keys(class_code: str, max_number: int = 99) -> list[str]:
    """The keys of every number with this class code (the teacher lifts the waits of the whole group)."""
    return [pupil_key(class_code, str(n)) for n in range(1, max_number + 1)]


TRUSTED_PROXY_ENV_VAR = "PEERMATCH_TRUSTED_PROXY"


def client_address(peer: str | None, forwarded_for: str | None, environ: Mapping[str, str]) -> str | None:
    """The client's address for the throttle: the connection's peer, or, only when
    ``PEERMATCH_TRUSTED_PROXY=1`` says a reverse proxy of ours sits in front (deploy/nginx sets
    ``X-Forwarded-For $remote_addr``), the last address of ``X-Forwarded-For`` (the one our proxy wrote; a
    client can put anything before it). None when there is no valid address."""
    candidate = peer
    if environ.get(TRUSTED_PROXY_ENV_VAR, "").strip() == "1" and forwarded_for:
        candidate = forwarded_for.split(",")[-1]
    try:
        return str(ipaddress.ip_address((candidate or "").strip()))
    except ValueError:
        return None
