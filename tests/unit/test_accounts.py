"""Account management by the beheerder, as the Accounts page uses it: generated passwords, resets,
blocking (never yourself, never the last beheerder), unique usernames across schools, groups only for
a leerkracht, school isolation, audit records without passwords, and the page's message catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import PASSWORD, World, backend, build_world, engine, factory, row_count

from peermatch.auth import (
    MIN_PASSWORD_LENGTH,
    AuthenticatedUser,
    StaffRole,
    check_password_policy,
    generate_password,
)
from peermatch.errors import AuthError, InvalidInputError, NotFoundError, PermissionDeniedError
from peermatch.i18n import catalogue
from peermatch.services import Database
from peermatch.services.accounts import UserInfo, create_user, list_users, set_user_active, set_user_groups
from peermatch.services.login import authenticate
from peermatch.services.passwords import change_password, reset_password
from peermatch.storage import users as users_repo
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import AuditLog, User

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "nieuw-wachtwoord-van-beheer"


def _login(factory: sessionmaker[Session], username: str, password: str) -> AuthenticatedUser | None:
    return authenticate(Database(factory), username, password)


def _second_beheerder(factory: sessionmaker[Session], world: World) -> AuthenticatedUser:
    create_user(Database(factory), world.beheerder, username="beheer.twee", display_name="Beheer twee",
                password="tweede-beheerder-pw", role=StaffRole.BEHEERDER)  # fmt: skip
    second = _login(factory, "beheer.twee", "tweede-beheerder-pw")
    assert second is not None
    return second


# ------------------------------------------------------------------------------------------------ passwords


def test_a_generated_password_is_strong_readable_and_never_the_same() -> None:
    made = {generate_password() for _ in range(200)}
    assert len(made) == 200
    for password in made:
        check_password_policy(password)  # raises when too short
        assert len(password) >= MIN_PASSWORD_LENGTH
        assert re.fullmatch(r"[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}", password), password


def test_the_beheerder_resets_a_colleagues_password_and_only_the_new_one_works(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    reset_password(Database(factory), world.beheerder, world.juf.id, NEW_PASSWORD)
    assert _login(factory, "juf", NEW_PASSWORD) is not None
    assert _login(factory, "juf", PASSWORD) is None
    with unit_of_work(factory, read_only=True) as session:
        entries = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "user")).all()
        assert [(e.user_id, e.action, e.entity_id) for e in entries if e.action == "update"] == [
            (world.beheerder.id, "update", str(world.juf.id))
        ]
        stored = [str(v) for e in entries for v in (e.action, e.entity, e.entity_id)]
        assert not any(NEW_PASSWORD in v for v in stored)  # the audit never holds a password


@pytest.mark.parametrize("who", ["ib", "juf"])
def test_only_the_beheerder_resets_passwords(factory: sessionmaker[Session], who: str) -> None:
    world = build_world(factory)
    actor = getattr(world, who)
    with pytest.raises(PermissionDeniedError) as caught:
        reset_password(Database(factory), actor, world.meester.id, NEW_PASSWORD)
    assert caught.value.problems[0].code == "auth.denied.role"
    assert _login(factory, "meester", PASSWORD) is not None  # unchanged


def test_a_reset_is_refused_for_yourself_a_weak_password_and_another_school(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    with pytest.raises(PermissionDeniedError) as own:
        reset_password(db, world.beheerder, world.beheerder.id, NEW_PASSWORD)
    assert own.value.problems[0].code == "auth.denied.reset_self"
    with pytest.raises(AuthError) as weak:
        reset_password(db, world.beheerder, world.juf.id, "kort")
    assert weak.value.problems[0].code == "auth.password.too_short"
    assert "12" in weak.value.message("nl")
    with pytest.raises(NotFoundError):
        reset_password(db, world.beheerder, world.other_ib.id, NEW_PASSWORD)
    assert _login(factory, "beheer", PASSWORD) is not None
    assert _login(factory, "juf", PASSWORD) is not None
    assert _login(factory, "ib.elders", PASSWORD) is not None


def test_change_password_for_a_colleague_is_a_reset_and_for_yourself_needs_the_current_one(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    db = Database(factory)
    change_password(db, world.beheerder, world.meester.id, NEW_PASSWORD)
    with pytest.raises(AuthError) as wrong:
        change_password(db, world.beheerder, world.beheerder.id, NEW_PASSWORD, current_password="fout")
    assert wrong.value.problems[0].code == "auth.password.wrong"
    assert _login(factory, "meester", NEW_PASSWORD) is not None
    assert _login(factory, "beheer", NEW_PASSWORD) is None


# ------------------------------------------------------------------------------------------------ blocking


def test_a_blocked_account_cannot_log_in_until_it_is_reactivated(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    blocked = set_user_active(Database(factory), world.beheerder, world.juf.id, False)
    assert not blocked.active
    assert _login(factory, "juf", PASSWORD) is None
    assert set_user_active(Database(factory), world.beheerder, world.juf.id, True).active
    assert _login(factory, "juf", PASSWORD) is not None


@pytest.mark.parametrize("who", ["ib", "juf"])
def test_only_the_beheerder_blocks_accounts(factory: sessionmaker[Session], who: str) -> None:
    world = build_world(factory)
    with pytest.raises(PermissionDeniedError):
        set_user_active(Database(factory), getattr(world, who), world.meester.id, False)
    assert _login(factory, "meester", PASSWORD) is not None


def test_a_beheerder_cannot_block_themselves(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with pytest.raises(PermissionDeniedError) as caught:
        set_user_active(Database(factory), world.beheerder, world.beheerder.id, False)
    assert caught.value.problems[0].code == "auth.denied.self"
    assert _login(factory, "beheer", PASSWORD) is not None


def test_another_beheerder_may_be_blocked_but_never_the_last_active_one(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    second = _second_beheerder(factory, world)
    db = Database(factory)
    # two active beheerders: one may block the other
    assert not set_user_active(db, second, world.beheerder.id, False).active
    with pytest.raises(PermissionDeniedError) as caught:
        # the first one's page is still open: blocking the second would leave the school without a beheerder
        set_user_active(db, world.beheerder, second.id, False)
    assert caught.value.problems[0].code == "auth.denied.last_beheerder"
    assert "laatste actieve beheerder" in caught.value.message("nl")
    assert _login(factory, "beheer.twee", "tweede-beheerder-pw") is not None
    set_user_active(db, second, world.beheerder.id, True)  # once the first is back, the second may be blocked again
    assert not set_user_active(db, world.beheerder, second.id, False).active


def test_blocking_and_resetting_another_schools_account_is_not_found(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    with pytest.raises(NotFoundError):
        set_user_active(db, world.beheerder, world.other_ib.id, False)
    assert "ib.elders" not in [u.username for u in list_users(db, world.beheerder)]
    assert _login(factory, "ib.elders", PASSWORD) is not None


# ------------------------------------------------------------------------------------------------ creating


def test_a_username_of_another_school_is_taken_with_a_clear_message_and_nothing_is_written(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    with unit_of_work(factory, read_only=True) as session:
        before = row_count(session, User)
    with pytest.raises(AuthError) as caught:
        create_user(Database(factory), world.beheerder, username=" IB.Elders ", display_name="Iemand",
                    password="lang-genoeg-wachtwoord", role=StaffRole.IB)  # fmt: skip
    assert caught.value.problems[0].code == "auth.username.taken"
    assert "'ib.elders'" in caught.value.message("nl")
    assert "alle scholen" in caught.value.message("nl")
    assert "all schools" in caught.value.message("en")
    with unit_of_work(factory, read_only=True) as session:
        assert row_count(session, User) == before


def test_a_username_taken_between_the_check_and_the_insert_is_still_a_clear_message(
    factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(factory)
    db = Database(factory)
    # the check sees nothing: a race
    monkeypatch.setattr(users_repo, "require_username_free", lambda *args, **kwargs: None)
    with pytest.raises(AuthError) as caught:
        create_user(db, world.beheerder, username="juf", display_name="Dubbel",
                    password="lang-genoeg-wachtwoord", role=StaffRole.LEERKRACHT)  # fmt: skip
    assert caught.value.problems[0].code == "auth.username.taken"
    monkeypatch.undo()
    ok = create_user(db, world.beheerder, username="juf.twee", display_name="Juf twee",
                     password="lang-genoeg-wachtwoord", role=StaffRole.LEERKRACHT)  # fmt: skip
    assert ok.username == "juf.twee"  # the database survived the refused insert
    assert _login(factory, "juf.twee", "lang-genoeg-wachtwoord") is not None


def test_only_a_leerkracht_is_linked_to_groups(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    with pytest.raises(InvalidInputError) as caught:
        create_user(db, world.beheerder, username="ib.twee", display_name="IB twee",
                    password="lang-genoeg-wachtwoord", role=StaffRole.IB,
                    group_ids=[world.groups["5A"]])  # fmt: skip
    assert caught.value.problems[0].code == "auth.groups.not_teacher"
    with pytest.raises(InvalidInputError):
        set_user_groups(db, world.beheerder, world.ib.id, [world.groups["5A"]])
    assert set_user_groups(db, world.beheerder, world.ib.id, []).group_ids == frozenset()
    assert "ib.twee" not in [u.username for u in list_users(db, world.beheerder)]


def test_a_new_leerkracht_sees_only_her_groups_and_the_creation_is_audited(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    password = generate_password()
    info: UserInfo = create_user(Database(factory), world.beheerder, username="juf.anna", display_name="Juf Anna",
                                 password=password, role=StaffRole.LEERKRACHT,
                                 group_ids=[world.groups["5A"]])  # fmt: skip
    anna = _login(factory, "juf.anna", password)
    assert anna is not None
    assert (anna.school_id, anna.role, anna.group_ids) == (
        world.school_id,
        StaffRole.LEERKRACHT,
        frozenset({world.groups["5A"]}),
    )
    with unit_of_work(factory, read_only=True) as session:
        created = session.scalars(sa.select(AuditLog).where(AuditLog.action == "create", AuditLog.entity == "user"))
        assert [(e.user_id, e.entity_id) for e in created] == [(world.beheerder.id, str(info.id))]
        stored_hash = session.scalar(sa.select(User.password_hash).where(User.id == info.id))
        assert stored_hash is not None
        assert password not in stored_hash


# ------------------------------------------------------------------------------------------------ page texts


def test_every_accounts_text_the_page_uses_exists_in_dutch_and_english() -> None:
    nl, en = catalogue("nl"), catalogue("en")
    used: set[str] = set()
    for path in (ROOT / "ui" / "accounts_view.py", ROOT / "views" / "accounts.py"):
        used |= set(re.findall(r"""["']((?:accounts|auth)\.[a-z0-9_.]+)["']""", path.read_text("utf-8")))
    used |= {f"accounts.role.{role.value}" for role in StaffRole}  # built with an f-string
    assert len(used) > 30
    assert {code for code in used if code not in nl or code not in en} == set()
