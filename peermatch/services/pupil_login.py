"""A pupil's login with the two codes of their login card, throttled per class code.

Three short steps, so no write lock is held while argon2 runs (a class logs in at once): a read (is
the class code waiting? its group and salt), the hash (outside any transaction), a write (the login
or the failed try). Every attempt costs one argon2 computation, also for an unknown class code, so
timing does not reveal which class codes exist. The throttle counts failures committed before a try
starts: tries running at the same moment may pass ``MAX_FAILURES`` by a few (at most the number of
concurrent logins), never by more.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy.orm import Session

from peermatch.errors import LoginThrottledError, Problem
from peermatch.pupil_auth import (
    CLASS_CODE_LENGTH,
    AuthenticatedPupil,
    CodeKind,
    hash_personal_code,
    new_salt,
    normalize_class_code,
    normalize_personal_code,
)
from peermatch.services.database import Database
from peermatch.storage.audit import record_pupil_login_failed
from peermatch.storage.models import utcnow
from peermatch.storage.pupil_logins import failures_since, find_class_code, log_in_credential, record_failure

__all__ = ["MAX_FAILURES", "THROTTLE_WINDOW", "login_kind", "pupil_login"]

MAX_FAILURES = 10  # failed logins per class code ...
THROTTLE_WINDOW = timedelta(minutes=15)  # ... within this window, then wait
_FORGET_AFTER = 4 * THROTTLE_WINDOW  # failed tries older than this are deleted


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
    db: Database, class_code: str, personal_code: str | Sequence[str], *, now: datetime | None = None
) -> AuthenticatedPupil | None:
    """The pupil whose codes these are, or None (the failed try is recorded). Raises
    :class:`LoginThrottledError` after ``MAX_FAILURES`` failed logins with this class code within
    ``THROTTLE_WINDOW``. Commits before it returns."""
    at = now or utcnow()
    key = _throttle_key(class_code)
    normalized = normalize_class_code(class_code)
    with db.read() as session:
        if failures_since(session, key, at - THROTTLE_WINDOW) >= MAX_FAILURES:
            minutes = THROTTLE_WINDOW.seconds // 60
            raise LoginThrottledError(Problem("pupil.login.throttled", params={"minutes": minutes}))
        group = find_class_code(session, normalized) if normalized else None
    code = normalize_personal_code(personal_code, group.kind if group else CodeKind.TEXT)
    hashed = hash_personal_code(code or "-", group.salt if group else _dummy_salt())

    def store(session: Session) -> AuthenticatedPupil | None:
        found = log_in_credential(session, group.group_id, hashed, at) if group and code else None
        if found is None:
            record_failure(session, key, at, forget_before=at - _FORGET_AFTER)
            if group:  # a known class code: audited in its school (which group, never the code typed)
                record_pupil_login_failed(session, group.group_id, at)
        return found

    return db.write_retrying(store)  # a whole class logs in at the start of the moment
