"""Issue 11, item 2: a beheerder lifts a staff account's login lock, audited; nobody else can.

Failed on the old main (checked by hand once): there was no lock to lift, and no way to lift one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import PASSWORD, backend, build_world, engine, factory

from peermatch.auth.throttle import STAFF_ACCOUNT
from peermatch.errors import LoginThrottledError, NotFoundError, PermissionDeniedError
from peermatch.services import Database
from peermatch.services.login import authenticate
from peermatch.services.login_guard import lift_account_lock, locked_accounts
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import AuditLog, utcnow

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below


def lock_out(db: Database, username: str) -> None:
    """Wrong passwords until the account is locked, spaced past the growing waits, the last one now."""
    now = utcnow()
    for i in range(STAFF_ACCOUNT.lock_at):
        at = now - (STAFF_ACCOUNT.lock_at - 1 - i) * STAFF_ACCOUNT.lock_for
        assert authenticate(db, username, "fout-fout-fout", now=at) is None


def test_the_beheerder_sees_the_lock_lifts_it_and_the_lift_is_audited(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    lock_out(db, "juf")
    with pytest.raises(LoginThrottledError):
        authenticate(db, "juf", PASSWORD)
    now = utcnow()
    locks = locked_accounts(db, world.beheerder, now)
    assert set(locks) == {world.juf.id}
    assert locks[world.juf.id] > now + timedelta(minutes=10)  # the 15-minute lock
    assert lift_account_lock(db, world.beheerder, world.juf.id)
    assert locked_accounts(db, world.beheerder, now) == {}
    assert authenticate(db, "juf", PASSWORD) is not None
    with unit_of_work(factory, read_only=True) as session:
        entries = session.execute(
            sa.select(AuditLog.user_id, AuditLog.entity, AuditLog.entity_id, AuditLog.detail).where(
                AuditLog.entity == "login_lock"
            )
        ).all()
    assert [tuple(e) for e in entries] == [(world.beheerder.id, "login_lock", str(world.juf.id), "lifted")]


def test_only_a_beheerder_of_the_same_school_lifts_a_lock(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    lock_out(db, "juf")
    with pytest.raises(PermissionDeniedError):
        lift_account_lock(db, world.ib, world.juf.id)
    with pytest.raises(PermissionDeniedError):
        locked_accounts(db, world.meester, utcnow())
    with pytest.raises(PermissionDeniedError):  # the other school's IB'er is no beheerder either
        lift_account_lock(db, world.other_ib, world.juf.id)
    with pytest.raises(LoginThrottledError):  # still locked
        authenticate(db, "juf", PASSWORD)


def test_another_schools_account_is_not_found_for_a_beheerder(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    with pytest.raises(NotFoundError):
        lift_account_lock(db, world.beheerder, world.other_ib.id)
