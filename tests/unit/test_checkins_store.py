"""Stored check-ins on SQLite and PostgreSQL: idempotent submit, pupil scope, and the worry signal only for staff."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory
from tutoring_world import Tutoring, build_tutoring, cheap_argon2, checkin_form, login_as

from peermatch.checkins import CheckInForm, SessionStatus
from peermatch.errors import CheckInError, PermissionDeniedError
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services import Database, checkins
from peermatch.storage import checkin_store
from peermatch.storage.checkin_store import PupilCheckIn, StaffCheckIn, SubmitResult
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import CheckInRow, PupilCredential, PupilRow

__all__ = ["backend", "cheap_argon2", "engine", "factory"]  # fixtures used by the tests below

TODAY = date(2025, 11, 20)
WORRY = "Daan zegt dat hij op het plein gepest wordt"


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)


def _save(factory: sessionmaker[Session], pupil: AuthenticatedPupil, form: CheckInForm, *, today: date) -> SubmitResult:
    return checkins.save_checkin(Database(factory), pupil, form, today=today)


def _count(factory: sessionmaker[Session]) -> int:
    with unit_of_work(factory, read_only=True) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(CheckInRow)) or 0


def test_the_same_submission_twice_stores_one_check_in(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    form = checkin_form(tutoring, "Noor")
    first = _save(factory, noor, form, today=TODAY)
    again = _save(factory, noor, form, today=TODAY)
    assert (first.created, again.created) == (True, False)
    assert again.checkin == first.checkin
    assert first.checkin.tutee_first_name == "Daan"
    with unit_of_work(factory) as session:  # also inside one transaction, and with the id typed in capitals
        upper = dataclasses.replace(form, submission_id=form.submission_id.upper())
        assert checkins.submit_checkin(session, noor, upper, today=TODAY).created is False
    assert _count(factory) == 1


def test_a_double_click_racing_in_two_threads_stores_one_check_in(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    form = checkin_form(tutoring, "Noor")
    results: list[bool] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def submit() -> None:
        try:
            start.wait()
            results.append(_save(factory, noor, form, today=TODAY).created)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(results) == [False, True]
    assert _count(factory) == 1


def test_the_check_in_is_committed_when_save_returns(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    saved = _save(factory, noor, checkin_form(tutoring, "Noor"), today=TODAY)
    with factory() as other:  # a brand-new session sees the row
        assert other.get(CheckInRow, saved.checkin.id) is not None


def test_an_invalid_check_in_stores_nothing(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    with pytest.raises(CheckInError) as raised:
        _save(factory, noor, checkin_form(tutoring, "Noor", minutes=150, session_date=TODAY), today=date(2025, 11, 19))
    assert [p.code for p in raised.value.problems] == ["checkins.invalid.date_future", "checkins.invalid.minutes"]
    with pytest.raises(CheckInError):  # before the pair started
        _save(factory, noor, checkin_form(tutoring, "Noor", session_date=date(2025, 9, 30)), today=TODAY)
    assert _count(factory) == 0


def test_a_pupil_cannot_check_in_for_or_read_another_pupils_pair(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    fatima = login_as(factory, tutoring.cards["Fatima"])
    with pytest.raises(PermissionDeniedError):
        _save(factory, noor, checkin_form(tutoring, "Fatima"), today=TODAY)
    fatimas = checkin_form(tutoring, "Fatima")
    _save(factory, fatima, fatimas, today=TODAY)
    with pytest.raises(PermissionDeniedError):  # not even by replaying Fatima's submission id
        _save(factory, noor, dataclasses.replace(fatimas, pair_id=tutoring.pairs["Noor"]), today=TODAY)
    with unit_of_work(factory, read_only=True) as session:
        assert checkin_store.my_checkins(session, noor) == []
        with pytest.raises(PermissionDeniedError):
            checkin_store.my_checkins(session, noor, pair_id=tutoring.pairs["Fatima"])
        assert [c.tutee_first_name for c in checkin_store.my_checkins(session, fatima)] == ["Emma"]
        with pytest.raises(PermissionDeniedError):
            checkin_store.list_checkins(session, noor)  # type: ignore[arg-type]


def test_the_worry_signal_is_never_in_a_pupil_facing_result(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    saved = _save(factory, noor, checkin_form(tutoring, "Noor", worry=True, worry_text=WORRY), today=TODAY)
    with unit_of_work(factory, read_only=True) as session:
        mine = checkin_store.my_checkins(session, noor)
    pupil_fields = {f.name for f in dataclasses.fields(PupilCheckIn)}
    assert not {name for name in pupil_fields if "worry" in name}
    for result in (saved.checkin, *mine):
        assert "gepest" not in repr(result)
    assert {f.name for f in dataclasses.fields(StaffCheckIn)} >= {"worry", "worry_text"}


def test_staff_see_their_groups_check_ins_with_worries_on_top_then_newest_first(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    fatima = login_as(factory, tutoring.cards["Fatima"])
    liam = login_as(factory, tutoring.cards["Liam"])
    _save(factory, noor, checkin_form(tutoring, "Noor", session_date=date(2025, 11, 11)), today=TODAY)
    _save(factory, noor, checkin_form(tutoring, "Noor", session_date=date(2025, 11, 18)), today=TODAY)
    _save(factory, fatima, checkin_form(tutoring, "Fatima", session_date=date(2025, 11, 4), worry=True,
                                 worry_text=WORRY), today=TODAY)  # fmt: skip
    _save(factory, liam, checkin_form(tutoring, "Liam", status="tutee_absent", minutes=None), today=TODAY)
    world = tutoring.world
    with unit_of_work(factory) as session:
        juf = checkin_store.list_checkins(session, world.juf)
        ib = checkin_store.list_checkins(session, world.ib)
        meester = checkin_store.list_checkins(session, world.meester)
        other = checkin_store.list_checkins(session, world.other_ib)
        only_7a = checkin_store.list_checkins(session, world.ib, group_ids=[world.groups["7B"]])
        with pytest.raises(PermissionDeniedError):
            checkin_store.list_checkins(session, world.meester, group_ids=[world.groups["7A"]])
    assert [(c.tutor_first_name, c.session_date.day, c.worry) for c in juf] == [
        ("Fatima", 4, True), ("Noor", 18, False), ("Noor", 11, False),
    ]  # fmt: skip
    assert juf[0].worry_text == WORRY
    assert (juf[0].tutor_group, juf[0].tutee_first_name, juf[0].tutee_group) == ("7A", "Emma", "5A")
    assert len(ib) == 4
    assert ib[0].worry
    assert [(c.tutor_first_name, c.status, c.minutes) for c in meester] == [("Liam", SessionStatus.TUTEE_ABSENT, None)]
    assert other == []
    assert [c.tutor_first_name for c in only_7a] == ["Liam"]


def test_the_beheerder_sees_check_ins_but_not_the_worry_signal(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    fatima = login_as(factory, tutoring.cards["Fatima"])
    _save(factory, fatima, checkin_form(tutoring, "Fatima", worry=True, worry_text=WORRY), today=TODAY)
    with unit_of_work(factory) as session:
        [seen] = checkin_store.list_checkins(session, tutoring.world.beheerder)
    assert (seen.tutor_first_name, seen.worry, seen.worry_text) == ("Fatima", False, "")


def test_deleting_a_pupil_deletes_their_check_ins_code_and_attempts(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    noor = login_as(factory, tutoring.cards["Noor"])
    _save(factory, noor, checkin_form(tutoring, "Noor"), today=TODAY)
    with unit_of_work(factory) as session:
        session.execute(sa.delete(PupilRow).where(PupilRow.id == noor.id))
    assert _count(factory) == 0
    with unit_of_work(factory, read_only=True) as session:
        assert session.get(PupilCredential, noor.id) is None
