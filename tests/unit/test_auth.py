"""Staff accounts: argon2 hashes, login, rehash, session expiry, permission rules, account management."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import PASSWORD, World, backend, build_world, engine, factory

from peermatch.auth import (
    AuthenticatedUser,
    StaffRole,
    can_read_group,
    hash_password,
    is_expired,
    needs_rehash,
    require_group_access,
    require_role,
    verify_password,
)
from peermatch.errors import AuthError, NotFoundError, PermissionDeniedError
from peermatch.services import Database
from peermatch.services.accounts import (
    UserInfo,
    bootstrap_user,
    create_user,
    list_users,
    set_user_active,
    set_user_groups,
)
from peermatch.services.login import authenticate
from peermatch.services.passwords import change_password
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import AuditLog, User

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

NOW = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
JUF = AuthenticatedUser(1, 10, "juf", "Juf", StaffRole.LEERKRACHT, frozenset({100, 101}))


def test_a_password_is_stored_as_an_argon2id_hash_never_as_itself() -> None:
    hashed = hash_password("geheim-wachtwoord-1")
    assert hashed.startswith("$argon2id$")
    assert "geheim-wachtwoord-1" not in hashed
    assert hash_password("geheim-wachtwoord-1") != hashed  # salted
    assert verify_password(hashed, "geheim-wachtwoord-1")
    assert not verify_password(hashed, "geheim-wachtwoord-2")
    assert not verify_password("not a hash", "geheim-wachtwoord-1")


def test_a_hash_made_with_weaker_parameters_needs_a_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("geheim-wachtwoord-1")
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("geheim-wachtwoord-1"))


def test_a_session_expires_after_the_idle_time() -> None:
    assert not is_expired(NOW - timedelta(minutes=29, seconds=59), NOW)
    assert is_expired(NOW - timedelta(minutes=30), NOW)
    assert not is_expired(NOW - timedelta(minutes=50), NOW, idle_minutes=60)


def test_a_leerkracht_may_read_only_their_own_groups_in_their_own_school() -> None:
    assert can_read_group(JUF, 10, 100)
    assert not can_read_group(JUF, 10, 102)
    assert not can_read_group(JUF, 10, None)  # pupils without a group are for ib and beheerder
    assert not can_read_group(JUF, 11, 100)
    with pytest.raises(PermissionDeniedError) as caught:
        require_group_access(JUF, 10, 102, "6B")
    assert caught.value.message("nl") == (
        "Groep 6B is niet een van je groepen. Vraag de intern begeleider of de beheerder om toegang."
    )
    assert "Group 6B is not one of your groups" in caught.value.message("en")


def test_ib_may_read_every_group_of_their_school_only() -> None:
    ib = AuthenticatedUser(2, 10, "ib", "IB", StaffRole.IB)
    assert can_read_group(ib, 10, 102)
    assert can_read_group(ib, 10, None)
    assert not can_read_group(ib, 11, 102)


def test_require_role_names_the_roles_that_may() -> None:
    require_role(JUF, StaffRole.LEERKRACHT)
    with pytest.raises(PermissionDeniedError) as caught:
        require_role(JUF, StaffRole.BEHEERDER, StaffRole.IB)
    assert "beheerder, ib" in caught.value.message("nl")


def _login(factory: sessionmaker[Session], username: str, password: str) -> AuthenticatedUser | None:
    return authenticate(Database(factory), username, password, now=NOW)


def test_the_right_password_logs_in_with_the_users_school_role_and_groups(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    user = _login(factory, "  JUF ", PASSWORD)  # usernames are case-insensitive, spaces trimmed
    assert user == world.juf
    with unit_of_work(factory, read_only=True) as session:
        stored = session.scalar(sa.select(User).where(User.username == "juf"))
        assert stored is not None
        assert stored.last_login_at == NOW
        assert session.scalar(sa.select(AuditLog.action).where(AuditLog.user_id == world.juf.id)) == "login"


def test_a_wrong_password_an_unknown_user_and_a_blocked_account_are_refused(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    assert _login(factory, "juf", PASSWORD + "!") is None
    assert _login(factory, "niemand", PASSWORD) is None
    set_user_active(Database(factory), world.beheerder, world.juf.id, False)
    assert _login(factory, "juf", PASSWORD) is None
    with unit_of_work(factory, read_only=True) as session:
        failed = session.scalars(sa.select(AuditLog.action).where(AuditLog.user_id == world.juf.id)).all()
        assert "login_failed" in failed
        assert "login" not in failed


def test_an_old_hash_is_replaced_at_the_next_login(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    with unit_of_work(factory) as session:
        session.execute(sa.update(User).where(User.id == world.ib.id).values(password_hash=weak))
    assert _login(factory, "ib", PASSWORD) is not None
    with unit_of_work(factory, read_only=True) as session:
        renewed = session.scalar(sa.select(User.password_hash).where(User.id == world.ib.id))
    assert renewed is not None
    assert renewed != weak
    assert not needs_rehash(renewed)
    assert _login(factory, "ib", PASSWORD) is not None


def _new_teacher(db: Database, world: World, **changes: object) -> UserInfo:
    values: dict[str, object] = {
        "username": "Meneer.Ali",
        "display_name": "Meneer Ali",
        "password": "lang-genoeg-wachtwoord",
        "role": StaffRole.LEERKRACHT,
        "group_ids": [world.groups["5B"]],
    }
    values.update(changes)
    return create_user(db, world.beheerder, **values)  # type: ignore[arg-type]


def test_the_beheerder_creates_accounts_links_groups_and_blocks_them(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    ali = _new_teacher(db, world)
    assert ali.username == "meneer.ali"
    moved = set_user_groups(db, world.beheerder, ali.id, [world.groups["5A"], world.groups["7B"]])
    assert moved.group_ids == {world.groups["5A"], world.groups["7B"]}
    assert [u.username for u in list_users(db, world.beheerder)] == [
        "beheer", "ib", "juf", "meester", "meneer.ali",
    ]  # fmt: skip
    logged_in = _login(factory, "meneer.ali", "lang-genoeg-wachtwoord")
    assert logged_in is not None
    assert logged_in.group_ids == {world.groups["5A"], world.groups["7B"]}
    with pytest.raises(PermissionDeniedError):
        set_user_active(db, world.beheerder, world.beheerder.id, False)  # never lock the school out
    with pytest.raises(NotFoundError):
        set_user_groups(db, world.beheerder, world.other_ib.id, [])  # another school's account


def test_only_the_beheerder_manages_accounts(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    for actor in (world.ib, world.juf):
        with pytest.raises(PermissionDeniedError):
            create_user(db, actor, username="x.y", display_name="X", password="lang-genoeg-wachtwoord",
                        role=StaffRole.BEHEERDER)  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            list_users(db, actor)
        with pytest.raises(PermissionDeniedError):
            set_user_groups(db, actor, actor.id, list(world.groups.values()))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"password": "kort"}, "auth.password.too_short"),
        ({"username": "juf"}, "auth.username.taken"),
        ({"username": "a b"}, "auth.username.invalid"),
        ({"username": "x"}, "auth.username.invalid"),
    ],
)
def test_a_weak_password_or_a_bad_or_taken_username_is_refused(
    factory: sessionmaker[Session], changes: dict[str, object], code: str
) -> None:
    world = build_world(factory)
    with pytest.raises(AuthError) as caught:
        _new_teacher(Database(factory), world, **changes)
    assert caught.value.problems[0].code == code


def test_a_teacher_cannot_be_linked_to_another_schools_group(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with pytest.raises(NotFoundError):
        _new_teacher(Database(factory), world, group_ids=[world.other_group_id])


def test_users_change_their_own_password_with_the_current_one_and_the_beheerder_resets_it(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    db = Database(factory)
    with pytest.raises(AuthError):
        change_password(db, world.juf, world.juf.id, "nieuw-wachtwoord-juf", current_password="fout")
    change_password(db, world.juf, world.juf.id, "nieuw-wachtwoord-juf", current_password=PASSWORD)
    with pytest.raises(PermissionDeniedError):
        change_password(db, world.juf, world.meester.id, "overgenomen-wachtwoord")
    change_password(db, world.beheerder, world.meester.id, "reset-door-beheer")
    assert _login(factory, "juf", "nieuw-wachtwoord-juf") is not None
    assert _login(factory, "juf", PASSWORD) is None
    assert _login(factory, "meester", "reset-door-beheer") is not None


def test_the_first_account_of_a_school_is_made_without_an_acting_user(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    info = bootstrap_user(Database(factory), world.other_school_id, username="beheer.elders", display_name="",
                          password="eerste-account-elders", role=StaffRole.BEHEERDER)  # fmt: skip
    assert (info.display_name, info.role, info.group_ids) == ("beheer.elders", StaffRole.BEHEERDER, frozenset())
    user = _login(factory, "beheer.elders", "eerste-account-elders")
    assert user is not None
    assert user.school_id == world.other_school_id
