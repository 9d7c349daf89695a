"""Pupil login on SQLite and PostgreSQL: only hashes stored, login works / fails / throttles, and a
pupil sees only their own pair (tutee's first name and practice level) through the core."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory
from tutoring_world import Tutoring, build_tutoring, cheap_argon2, login_as

from peermatch.errors import LoginThrottledError, PermissionDeniedError
from peermatch.model import Subject
from peermatch.pupil_auth import AuthenticatedPupil, CodeKind
from peermatch.services import Database, pupil_codes, pupil_home, pupil_login
from peermatch.services.pupil_home import TuteeCard, TutorHome
from peermatch.services.pupil_login import MAX_FAILURES
from peermatch.storage import pupil_codes as code_rows
from peermatch.storage import pupil_pairs
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import GroupLoginCode, LoginThrottle, PupilCredential, PupilRow, utcnow
from peermatch.training import load_modules

__all__ = ["backend", "cheap_argon2", "engine", "factory"]  # fixtures used by the tests below


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)


def test_generating_codes_stores_only_argon2_hashes_and_returns_the_plain_codes_once(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    cards = tutoring.cards
    assert set(cards) == {"Noor", "Fatima", "Liam"}
    assert cards["Noor"].class_code == cards["Fatima"].class_code != cards["Liam"].class_code
    with unit_of_work(factory, read_only=True) as session:
        hashes = list(session.scalars(sa.select(PupilCredential.code_hash)))
        assert len(hashes) == 3
        assert all(h.startswith("$argon2id$") for h in hashes)
        stored = " ".join(hashes)
        for card in cards.values():
            assert card.personal_code not in stored
        # the class code is stored (it is on every card of the group), the personal codes nowhere
        dump = str([tuple(r) for r in session.execute(sa.select(GroupLoginCode.__table__))])
        assert all(card.personal_code not in dump for card in cards.values())
        assert code_rows.class_code_of(session, tutoring.world.juf, tutoring.world.groups["7A"]) == (
            cards["Noor"].class_code, CodeKind.TEXT,
        )  # fmt: skip


def test_a_pupil_logs_in_with_the_card_codes_typed_sloppily(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    card = tutoring.cards["Noor"]
    typed_class = " ".join(card.class_code.lower())
    pupil = pupil_login.pupil_login(Database(factory), typed_class, f" {card.number:02d} ", card.personal_code.lower())
    assert pupil == AuthenticatedPupil(
        tutoring.pupils["Noor"], tutoring.world.school_id, tutoring.world.groups["7A"], "Noor", "7A"
    )


def test_wrong_codes_fail_and_a_code_of_another_group_does_not_work(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor, liam = tutoring.cards["Noor"], tutoring.cards["Liam"]
    db = Database(factory)
    assert pupil_login.pupil_login(db, noor.class_code, noor.number, liam.personal_code) is None
    assert pupil_login.pupil_login(db, "ZZZZZZ", noor.number, noor.personal_code) is None
    assert pupil_login.pupil_login(db, noor.class_code, noor.number, "") is None
    assert pupil_login.pupil_login(db, noor.class_code, "", noor.personal_code) is None  # no number
    assert pupil_login.pupil_login(db, noor.class_code, "x", noor.personal_code) is None
    assert pupil_login.pupil_login(db, "", "", "") is None


def test_failures_of_one_pupil_make_that_pupil_wait_and_other_classes_still_log_in(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor, liam = tutoring.cards["Noor"], tutoring.cards["Liam"]
    db = Database(factory)
    start = utcnow()
    for i in range(MAX_FAILURES):
        assert (
            pupil_login.pupil_login(db, noor.class_code, noor.number, "WRONG", now=start + timedelta(seconds=i)) is None
        )
    with pytest.raises(LoginThrottledError) as raised:
        pupil_login.pupil_login(db, noor.class_code, noor.number, noor.personal_code, now=start + timedelta(seconds=5))
    assert "Wacht 4 s" in raised.value.message("nl")
    assert login_as(factory, liam).first_name == "Liam"  # 7B has its own class code
    later = start + timedelta(seconds=10)  # after the wait, the right code works again
    assert pupil_login.pupil_login(db, noor.class_code, noor.number, noor.personal_code, now=later) is not None


def test_the_teacher_can_lift_the_wait_for_her_own_group_only(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor = tutoring.cards["Noor"]
    db = Database(factory)
    for _ in range(MAX_FAILURES):
        pupil_login.pupil_login(db, noor.class_code, noor.number, "WRONG")
    with pytest.raises(LoginThrottledError):
        login_as(factory, noor)
    with pytest.raises(PermissionDeniedError):
        pupil_codes.clear_login_wait(db, tutoring.world.meester, tutoring.world.groups["7A"])
    pupil_codes.clear_login_wait(db, tutoring.world.juf, tutoring.world.groups["7A"])
    assert login_as(factory, noor).first_name == "Noor"
    with unit_of_work(factory, read_only=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(LoginThrottle)) == 0


def test_reset_code_replaces_one_pupils_code_and_new_codes_replace_all(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    old = tutoring.cards["Noor"]
    db = Database(factory)
    with unit_of_work(factory) as session:
        new = code_rows.reset_code(session, tutoring.world.juf, tutoring.pupils["Noor"])
    assert new.class_code == old.class_code
    assert new.first_name == "Noor"
    assert new.number == old.number  # the card keeps its number
    assert pupil_login.pupil_login(db, old.class_code, old.number, old.personal_code) is None
    assert login_as(factory, new).id == tutoring.pupils["Noor"]
    assert login_as(factory, tutoring.cards["Fatima"]).first_name == "Fatima"  # untouched
    with pytest.raises(PermissionDeniedError):
        pupil_codes.reset_login_card(db, tutoring.world.meester, tutoring.pupils["Noor"])
    cards = pupil_codes.make_login_cards(
        db, tutoring.world.juf, tutoring.world.groups["7A"], kind=CodeKind.PICTURES, new_class_code=True
    )
    assert {c.kind for c in cards} == {CodeKind.PICTURES}
    assert cards[0].class_code != old.class_code
    assert pupil_login.pupil_login(db, new.class_code, new.number, new.personal_code) is None
    fatima = next(c for c in cards if c.first_name == "Fatima")
    pupil = pupil_login.pupil_login(db, fatima.class_code, fatima.number, [p.key for p in fatima.pictures])
    assert pupil is not None
    assert pupil.first_name == "Fatima"


def test_a_pupil_who_leaves_the_group_can_no_longer_log_in_or_use_an_old_login(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    with unit_of_work(factory) as session:
        session.get_one(PupilRow, noor.id).active = False
    db = Database(factory)
    assert (
        pupil_login.pupil_login(
            db, tutoring.cards["Noor"].class_code, tutoring.cards["Noor"].number, tutoring.cards["Noor"].personal_code
        )
        is None
    )
    with pytest.raises(PermissionDeniedError):
        pupil_home.tutor_view(db, noor)


def test_the_tutor_view_shows_only_the_tutees_first_name_group_practice_level_and_moments(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    home = pupil_home.tutor_view(Database(factory), noor, modules=load_modules("nl"))
    assert [f.name for f in dataclasses.fields(TutorHome)] == ["first_name", "group_name", "tutees", "progress",
                                                               "readiness"]  # fmt: skip
    assert [f.name for f in dataclasses.fields(TuteeCard)] == [
        "pair_id", "first_name", "group_name", "subject", "practice_level", "moments", "minutes_per_session",
    ]  # fmt: skip
    assert (home.first_name, home.group_name) == ("Noor", "7A")
    [card] = home.tutees
    assert (card.pair_id, card.first_name, card.group_name, card.practice_level) == (
        tutoring.pairs["Noor"], "Daan", "5A", "E3",
    )  # fmt: skip
    assert [(m.weekday, m.start.hour) for m in card.moments] == [(2, 10)]
    shown = repr(home)
    for secret in ("Jansen", "2016", "birth", "last_name", "score", "Emma", "Sem", "0101", "motivation"):
        assert secret not in shown.replace("best_score", ""), secret
    assert home.progress.modules == {}
    assert [r.ready for r in home.readiness] == [False]


def test_a_pupil_can_load_only_their_own_pair(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    db = Database(factory)
    own = pupil_home.load_own_pair(db, noor, tutoring.pairs["Noor"])
    assert own.tutee_id == tutoring.pupils["Daan"]
    assert [p.pair_id for p in pupil_home.own_pairs(db, noor)] == [tutoring.pairs["Noor"]]
    for other in (tutoring.pairs["Fatima"], tutoring.pairs["Liam"], 999_999):
        with pytest.raises(PermissionDeniedError):
            pupil_home.load_own_pair(db, noor, other)
    with pytest.raises(PermissionDeniedError), unit_of_work(factory, read_only=True) as session:  # the repository too
        pupil_pairs.load_own_pair(session, noor, tutoring.pairs["Fatima"])


def test_a_forged_login_for_another_pupil_is_refused(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    forged = dataclasses.replace(noor, group_id=tutoring.world.groups["7B"])
    db = Database(factory)
    with pytest.raises(PermissionDeniedError):
        pupil_home.tutor_view(db, forged)
    with pytest.raises(PermissionDeniedError):
        pupil_home.own_pairs(db, tutoring.world.juf)  # type: ignore[arg-type]


def test_a_tutor_without_a_pair_yet_sees_readiness_for_the_subjects_asked(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    home = pupil_home.tutor_view(Database(factory), noor, modules=load_modules("nl"), subjects=[Subject.REKENEN])
    assert [(r.subject, r.ready, r.total) for r in home.readiness] == [(Subject.REKENEN, False, 13)]


def test_the_login_screen_can_ask_which_second_step_a_class_code_needs(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor = tutoring.cards["Noor"]
    db = Database(factory)
    assert pupil_login.login_kind(db, noor.class_code) is CodeKind.TEXT
    pupil_codes.make_login_cards(db, tutoring.world.juf, tutoring.world.groups["7A"], kind=CodeKind.PICTURES)
    assert pupil_login.login_kind(db, noor.class_code.lower()) is CodeKind.PICTURES
    assert pupil_login.login_kind(db, "ZZZZZZ") is CodeKind.TEXT
    assert pupil_login.login_kind(db, "nonsense!") is CodeKind.TEXT
