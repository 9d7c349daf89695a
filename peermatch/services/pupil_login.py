"""A pupil's login with the class code, number and personal code of their login card, throttled per pupil (class
code and number: a wrong code never makes the rest of the class wait) and per client address.

Three short steps, so no write lock is held while argon2 runs (a class logs in at once): a reservation in
the throttle (``peermatch.services.login_guard``: one locked write that checks the wait and charges the
try before it is evaluated, so tries running at the same moment never pass the limit, on SQLite and
PostgreSQL alike), the hash (outside any transaction), a write (the login, which gives the reservation
back). Every attempt costs one argon2 computation, also for an unknown class code, so timing does not
reveal which class codes exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache

from sqlalchemy.orm import Session

from peermatch.auth.throttle import PUPIL, PUPIL_ADDRESS, pupil_key
from peermatch.pupil_auth import (
    CLASS_CODE_LENGTH,
    AuthenticatedPupil,
    CodeKind,
    hash_personal_code,
    new_salt,
    normalize_class_code,
    normalize_login_number,
    normalize_personal_code,
)
from peermatch.services.database import Database
from peermatch.services.login_guard import GuardKey, address_key, reserve, settle
from peermatch.storage.audit import record_pupil_login_failed
from peermatch.storage.models import utcnow
from peermatch.storage.pupil_logins import find_class_code, log_in_credential

__all__ = ["MAX_FAILURES", "login_kind", "pupil_login"]

MAX_FAILURES = PUPIL.free  # tries evaluated before the first wait


@cache
def _dummy_salt() -> str:
    return new_salt()


def _throttle_key(typed: str) -> str:
    return (normalize_class_code(typed) or "".join(typed.split()).upper())[: CLASS_CODE_LENGTH * 2]


def login_kind(db: Database, class_code: str) -> CodeKind:
    """Which second step the login screen shows after the class code: type a code, or tap 3 pictures.

    An unknown class code gives ``TEXT`` (the login then simply fails), so only picture groups are
    recognisable here; the second step is throttled as usual."""
    normalized = normalize_class_code(class_code)
    if normalized is None:
        return CodeKind.TEXT
    with db.read() as session:
        found = find_class_code(session, normalized)
    return found.kind if found else CodeKind.TEXT


def pupil_login(
    db: Database,
    class_code: str,
    number: str | int | None,
    personal_code: str | Sequence[str],
    *,
    address: str | None = None,
    now: datetime | None = None,
) -> AuthenticatedPupil | None:
    """The pupil whose codes these are, or None. Raises :class:`LoginThrottledError` (nothing evaluated)
    while this pupil (class code and number) or the client ``address`` must wait
    (``peermatch.auth.throttle.PUPIL``). Commits before it returns."""
    at = now or utcnow()
    normalized = normalize_class_code(class_code)
    login_number = normalize_login_number(number)
    keys = [
        GuardKey(pupil_key(_throttle_key(class_code), str(login_number or number or "-")), PUPIL),
        *address_key("class-addr", address, PUPIL_ADDRESS),
    ]
    reserve(db, keys, at)
    with db.read() as session:
        group = find_class_code(session, normalized) if normalized else None
    code = normalize_personal_code(personal_code, group.kind if group else CodeKind.TEXT)
    hashed = hash_personal_code(code or "-", group.salt if group else _dummy_salt())

    def store(session: Session) -> AuthenticatedPupil | None:
        found = None
        if group and code and login_number:
            found = log_in_credential(session, group.group_id, login_number, hashed, at)
        if found is None and group:  # a known class code: audited in its school (which group, never the code)
            record_pupil_login_failed(session, group.group_id, at)
        return found

    found = db.write_retrying(store)  # a whole class logs in at the start of the moment
    if found is not None:
        settle(db, keys, at)
    return found
