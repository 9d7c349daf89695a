"""A staff member's own session and password: ``reload_user`` lets an open session follow the database
(blocked or deleted: None; a password reset or changed since the login: None; new groups at once; the role
as stored), in two queries; ``change_own_password``
needs the current password, checks it once with argon2 right or wrong, audits a wrong one like a failed
login, and refuses a weak new password or a blocked account without changing anything."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import PASSWORD, backend, build_world, engine, factory

import peermatch.services.passwords as passwords_module
from peermatch.auth import AuthenticatedUser, StaffRole, credential_stamp, verify_password
from peermatch.errors import AuthError, PermissionDeniedError
from peermatch.services import Database
from peermatch.services.accounts import set_user_active, set_user_groups
from peermatch.services.login import authenticate, reload_user
from peermatch.services.passwords import change_own_password, reset_password
from peermatch.storage.engine import unit_of_work
from peermatch.storage.enums import AuditAction
from peermatch.storage.models import AuditLog, User

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

NEW_PASSWORD = "een-nieuw-sterk-wachtwoord"


def _login(factory: sessionmaker[Session], username: str, password: str) -> AuthenticatedUser | None:
    return authenticate(Database(factory), username, password)


def _reload(factory: sessionmaker[Session], user_id: int, credential: str | None = None) -> AuthenticatedUser | None:
    return reload_user(Database(factory), user_id, credential)


def _logged_in(factory: sessionmaker[Session], username: str, password: str = PASSWORD) -> AuthenticatedUser:
    user = _login(factory, username, password)
    assert user is not None
    return user


def _stored_hash(factory: sessionmaker[Session], user_id: int) -> str:
    with unit_of_work(factory, read_only=True) as session:
        return str(session.scalar(sa.select(User.password_hash).where(User.id == user_id)))


def _failed_logins(factory: sessionmaker[Session], user_id: int) -> int:
    with unit_of_work(factory, read_only=True) as session:
        query = sa.select(sa.func.count()).where(
            AuditLog.user_id == user_id, AuditLog.action == AuditAction.LOGIN_FAILED.value
        )
        return int(session.scalar(query) or 0)


@contextmanager
def _selects(engine: Engine) -> Iterator[list[str]]:
    """The SELECT statements sent to the database inside the block."""
    seen: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)


# ------------------------------------------------------------------------------------------------ reload_user


def test_an_unchanged_account_reloads_as_it_logged_in_in_two_queries(
    engine: Engine, factory: sessionmaker[Session]
) -> None:
    world = build_world(factory)
    with _selects(engine) as selects:
        fresh = _reload(factory, world.juf.id)
    assert fresh == world.juf  # same id, school, name, role and groups (5A, 7A)
    assert 0 < len(selects) <= 2  # the account by primary key, its groups: cheap enough for every page view


def test_a_blocked_account_reloads_as_none_and_back_once_reactivated(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    set_user_active(Database(factory), world.beheerder, world.juf.id, False)
    assert _reload(factory, world.juf.id) is None
    assert _reload(factory, world.meester.id) == world.meester  # a colleague is untouched
    set_user_active(Database(factory), world.beheerder, world.juf.id, True)
    assert _reload(factory, world.juf.id) == world.juf


def test_a_deleted_account_reloads_as_none(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    missing = max(world.juf.id, world.meester.id, world.beheerder.id, world.ib.id, world.other_ib.id) + 1
    assert _reload(factory, missing) is None


def test_changed_groups_count_at_the_next_reload_and_the_role_is_kept(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    set_user_groups(Database(factory), world.beheerder, world.juf.id, [world.groups["5B"]])
    fresh = _reload(factory, world.juf.id)
    assert fresh is not None
    assert fresh.group_ids == {world.groups["5B"]}  # 5A and 7A are gone, at once
    assert (fresh.id, fresh.school_id, fresh.role) == (world.juf.id, world.school_id, StaffRole.LEERKRACHT)
    for school_wide in (world.beheerder, world.ib):
        again = _reload(factory, school_wide.id)
        assert again is not None
        assert (again.role, again.group_ids, again.school_wide) == (school_wide.role, frozenset(), True)


def test_a_login_carries_a_short_stamp_of_the_password_hash_never_the_hash(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    juf = _logged_in(factory, "juf")
    stored = _stored_hash(factory, world.juf.id)
    assert juf.credential == credential_stamp(stored)
    assert len(juf.credential) == 16
    assert juf.credential not in stored
    assert stored not in repr(juf)
    assert juf.credential not in repr(juf)
    assert _logged_in(factory, "juf").credential == juf.credential  # a second login: the same password, same stamp


def test_an_unchanged_login_reloads_with_its_stamp_in_two_queries(
    engine: Engine, factory: sessionmaker[Session]
) -> None:
    build_world(factory)
    juf = _logged_in(factory, "juf")
    with _selects(engine) as selects:
        fresh = _reload(factory, juf.id, juf.credential)
    assert fresh is not None
    assert (fresh, fresh.credential) == (juf, juf.credential)
    assert 0 < len(selects) <= 2  # the stamp comes from the row already loaded: no extra query


def test_a_reset_by_the_beheerder_changes_the_stamp_and_ends_the_old_session(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    juf = _logged_in(factory, "juf")
    meester = _logged_in(factory, "meester")
    reset_password(Database(factory), world.beheerder, juf.id, NEW_PASSWORD)
    assert _reload(factory, juf.id, juf.credential) is None  # the session opened with the old password
    assert _reload(factory, juf.id) == world.juf  # the account itself is active: only the old session ends
    again = _logged_in(factory, "juf", NEW_PASSWORD)
    assert again.credential != juf.credential
    assert again.credential == credential_stamp(_stored_hash(factory, juf.id))
    assert _reload(factory, juf.id, again.credential) == world.juf  # a login with the new password goes on
    assert _reload(factory, meester.id, meester.credential) == world.meester  # a colleague's session is untouched


def test_an_own_change_changes_the_stamp_so_only_the_reloaded_session_goes_on(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    here, elsewhere = _logged_in(factory, "juf"), _logged_in(factory, "juf")
    assert change_own_password(Database(factory), here, PASSWORD, NEW_PASSWORD) is True
    fresh = reload_user(Database(factory), here.id)  # what Mijn account stores for its own session
    assert fresh is not None
    assert fresh.credential != here.credential
    assert _reload(factory, here.id, fresh.credential) == world.juf
    assert _reload(factory, elsewhere.id, elsewhere.credential) is None


def test_a_wrong_current_password_keeps_the_stamp(factory: sessionmaker[Session]) -> None:
    build_world(factory)
    juf = _logged_in(factory, "juf")
    assert change_own_password(Database(factory), juf, "niet-het-goede-wachtwoord", NEW_PASSWORD) is False
    fresh = _reload(factory, juf.id, juf.credential)
    assert fresh is not None
    assert fresh.credential == juf.credential


# ------------------------------------------------------------------------------------------------ change_own_password


def test_the_own_password_changes_with_the_current_one_and_only_the_new_one_works(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    assert change_own_password(Database(factory), world.juf, PASSWORD, NEW_PASSWORD) is True
    assert _login(factory, "juf", NEW_PASSWORD) is not None
    assert _login(factory, "juf", PASSWORD) is None
    assert _login(factory, "meester", PASSWORD) is not None  # nobody else's password changed


@pytest.mark.parametrize("who", ["beheerder", "ib", "juf"])
def test_a_wrong_current_password_changes_nothing_and_is_audited_like_a_failed_login(
    factory: sessionmaker[Session], who: str
) -> None:
    world = build_world(factory)
    user: AuthenticatedUser = getattr(world, who)
    # committed: the answer is False, not an exception
    assert change_own_password(Database(factory), user, "niet-het-goede-wachtwoord", NEW_PASSWORD) is False
    assert _failed_logins(factory, user.id) == 1
    assert _login(factory, user.username, PASSWORD) is not None
    assert _login(factory, user.username, NEW_PASSWORD) is None


def test_every_attempt_costs_one_argon2_check_right_or_wrong(
    factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(factory)
    checks: list[bool] = []
    real_verify = verify_password

    def counting(password_hash: str, password: str) -> bool:
        checks.append(ok := real_verify(password_hash, password))
        return ok

    monkeypatch.setattr(passwords_module, "verify_password", counting)
    db = Database(factory)
    change_own_password(db, world.juf, "fout-fout-fout-fout", NEW_PASSWORD)
    change_own_password(db, world.juf, "", NEW_PASSWORD)
    change_own_password(db, world.juf, PASSWORD, NEW_PASSWORD)
    assert checks == [False, False, True]


def test_a_weak_new_password_is_refused_before_anything_is_checked_or_written(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with pytest.raises(AuthError) as caught:
        change_own_password(Database(factory), world.juf, PASSWORD, "kort")
    assert caught.value.problems[0].code == "auth.password.too_short"
    assert "12" in caught.value.message("nl")
    assert _login(factory, "juf", PASSWORD) is not None
    assert _failed_logins(factory, world.juf.id) == 0


def test_a_blocked_account_cannot_change_its_password(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    set_user_active(db, world.beheerder, world.juf.id, False)
    with pytest.raises(PermissionDeniedError) as caught:
        change_own_password(db, world.juf, PASSWORD, NEW_PASSWORD)
    assert caught.value.problems[0].code == "auth.denied.blocked"
    set_user_active(db, world.beheerder, world.juf.id, True)
    assert _login(factory, "juf", PASSWORD) is not None  # the old password is still the one
