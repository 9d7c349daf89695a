"""Issue 11, item 2 (pupils): a wrong code locks one pupil, never the class; picture codes that resist guessing.

Each test failed on the old main (checked by hand once): there the throttle counted per class code, so ten
wrong codes for one child made the whole class wait, including children typing their right code, and a
picture code was 3 different pictures of 12 (1,320 codes).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory
from tutoring_world import Tutoring, build_tutoring, cheap_argon2

from peermatch import pupil_auth
from peermatch.auth.throttle import (
    PUPIL,
    PUPIL_ADDRESS,
    STAFF_ADDRESS,
    ThrottlePolicy,
    ThrottleState,
    after_failure,
    current,
    wait_left,
)
from peermatch.errors import LoginThrottledError
from peermatch.pupil_auth import CodeKind
from peermatch.services import Database, pupil_codes, pupil_login
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import PupilCredential, utcnow

__all__ = ["backend", "cheap_argon2", "engine", "factory"]  # fixtures used by the tests below

SCHOOL_NAT = "198.51.100.20"  # the whole class behind the school's one address


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)


def test_a_locked_pupil_never_locks_the_class(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    """Finding: ten wrong tries locked out the whole class, including children typing the right code."""
    fatima, noor = tutoring.cards["Fatima"], tutoring.cards["Noor"]
    assert fatima.class_code == noor.class_code
    db = Database(factory)
    start = utcnow()
    for i in range(PUPIL.lock_at):  # spaced past every growing wait, so each try is evaluated, until the lock
        wrong = pupil_login.pupil_login(db, fatima.class_code, fatima.number, "WRONG", address=SCHOOL_NAT,
                                        now=start + i * PUPIL.lock_for)  # fmt: skip
        assert wrong is None
    at = start + (PUPIL.lock_at - 1) * PUPIL.lock_for + timedelta(seconds=1)
    with pytest.raises(LoginThrottledError) as raised:  # Fatima is locked: even her right code waits
        pupil_login.pupil_login(db, fatima.class_code, fatima.number, fatima.personal_code, address=SCHOOL_NAT, now=at)
    assert "min" in raised.value.message("nl")
    found = pupil_login.pupil_login(db, noor.class_code, noor.number, noor.personal_code, address=SCHOOL_NAT, now=at)
    assert found is not None  # her classmate, same class code and address, gets in
    assert found.first_name == "Noor"
    lifted = pupil_codes.clear_login_wait(db, tutoring.world.juf, tutoring.world.groups["7A"])
    assert lifted == 1  # the teacher lifts Fatima's lock
    back = pupil_login.pupil_login(db, fatima.class_code, fatima.number, fatima.personal_code, now=at)
    assert back is not None
    assert back.first_name == "Fatima"


def test_a_classs_typing_mistakes_behind_one_address_do_not_stop_the_others(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    """Finding: the class-wide wait also hit every child behind the school's address after ten mistakes."""
    fatima, noor = tutoring.cards["Fatima"], tutoring.cards["Noor"]
    db = Database(factory)
    at = utcnow()
    for i in range(12):  # a dozen children each mistype once (other numbers of the same class code)
        assert pupil_login.pupil_login(db, noor.class_code, 40 + i, "WRONG", address=SCHOOL_NAT, now=at) is None
    assert pupil_login.pupil_login(db, noor.class_code, noor.number, noor.personal_code, address=SCHOOL_NAT, now=at)
    assert pupil_login.pupil_login(db, fatima.class_code, fatima.number, fatima.personal_code, address=SCHOOL_NAT,
                                   now=at)  # fmt: skip


def test_an_unknown_number_is_throttled_like_a_real_pupil(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    """A number nobody has must not be told apart from a real pupil's (same answers, same waits)."""
    noor = tutoring.cards["Noor"]
    db = Database(factory)
    at = utcnow()
    outcomes: dict[int, list[str]] = {}
    for number in (noor.number, 77):
        outcomes[number] = []
        for _ in range(PUPIL.free + 2):
            try:
                pupil_login.pupil_login(db, noor.class_code, number, "WRONG", now=at)
                outcomes[number].append("refused")
            except LoginThrottledError:
                outcomes[number].append("wait")
    assert outcomes[noor.number] == outcomes[77] == ["refused"] * PUPIL.free + ["wait"] * 2


def test_every_card_has_its_own_number_in_the_group(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    group = tutoring.world.groups["7A"]
    cards = pupil_codes.make_login_cards(Database(factory), tutoring.world.juf, group)
    assert sorted(c.number for c in cards) == list(range(1, len(cards) + 1))
    with unit_of_work(factory, read_only=True) as session:
        stored = session.scalars(sa.select(PupilCredential.login_number).where(PupilCredential.group_id == group))
        assert sorted(n for n in stored if n is not None) == list(range(1, len(cards) + 1))


def test_picture_codes_have_at_least_a_million_combinations_and_every_one_can_be_drawn() -> None:
    """Finding: picture codes (3 different of 12: 1,320) were guessed within the throttle in 36-48 tries."""
    assert len(pupil_auth.PICTURES) ** pupil_auth.PICTURE_CODE_LENGTH == pupil_auth.PICTURE_COMBINATIONS
    assert pupil_auth.PICTURE_COMBINATIONS >= 10**6
    seen = [pupil_auth.generate_personal_code(CodeKind.PICTURES).split("-") for _ in range(400)]
    assert {len(keys) for keys in seen} == {pupil_auth.PICTURE_CODE_LENGTH}
    assert any(len(set(keys)) < len(keys) for keys in seen)  # repeats are drawn (16^5, not 16*15*14*13*12)
    assert {k for keys in seen for k in keys} == {p.key for p in pupil_auth.PICTURES}


def test_a_picture_group_logs_in_with_five_pictures_and_an_old_three_picture_card_is_reported(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    """The weak 3-picture cards (no number) no longer log in; Tutors counts them so the teacher prints new ones."""
    db, juf, group = Database(factory), tutoring.world.juf, tutoring.world.groups["7A"]
    cards = pupil_codes.make_login_cards(db, juf, group, kind=CodeKind.PICTURES)
    assert pupil_codes.outdated_cards(db, juf, group) == 0
    card = cards[0]
    assert len(card.pictures) == 5
    found = pupil_login.pupil_login(db, card.class_code, card.number, [p.key for p in card.pictures])
    assert found is not None
    assert found.id == card.pupil_id
    with unit_of_work(factory) as session:  # a card as migration 0011 leaves an old one: no number
        session.execute(sa.update(PupilCredential).where(PupilCredential.pupil_id == card.pupil_id)
                        .values(login_number=None))  # fmt: skip
    assert pupil_codes.outdated_cards(db, juf, group) == 1
    assert pupil_login.pupil_login(db, card.class_code, card.number, [p.key for p in card.pictures]) is None
    assert pupil_login.pupil_login(db, card.class_code, card.number, ["zon", "anker", "maan"]) is None


@pytest.mark.parametrize("policy", [PUPIL_ADDRESS, STAFF_ADDRESS])
def test_a_schools_shared_address_never_adds_up_weeks_of_typing_mistakes(policy: ThrottlePolicy) -> None:
    """Finding (of the first throttle): a shared address forgot its failures only a day after the last one, so a
    school's everyday typing mistakes (one every few hours) added up over weeks to a lock of the whole school."""
    state, at = ThrottleState(), utcnow()
    for _ in range(3 * policy.lock_at):
        state = current(state, policy, at)
        assert wait_left(state, at) is None  # nobody at the school is made to wait
        state = after_failure(state, policy, at)
        assert state.failures < policy.free  # nothing adds up: the next mistake is again a free one
        assert state.locks == 0
        at += timedelta(hours=3)
