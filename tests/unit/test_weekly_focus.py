"""The weekly focus (issue 13, item 7) on SQLite and PostgreSQL: the teacher sets, replaces and removes a
programme's focus for a week; a tutor sees this week's focus of their own pair only; who may change it; the
text is checked; changes are audited; the focus goes with its programme."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, db_url, engine, factory
from tutoring_world import Tutoring, build_tutoring, cheap_argon2, login_as

from peermatch.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from peermatch.focus import TEXT_MAX, FocusKind, WeeklyFocus, clean_focus_text, current_focus, week_start
from peermatch.services import Database
from peermatch.services import focus as service
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import AuditLog, Programme, WeeklyFocusRow

__all__ = ["backend", "cheap_argon2", "db_url", "engine", "factory"]  # fixtures used by the tests below

WEDNESDAY = date(2025, 11, 19)
MONDAY = date(2025, 11, 17)


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)


def test_a_week_starts_on_monday_and_only_this_weeks_focus_is_current() -> None:
    assert week_start(WEDNESDAY) == MONDAY
    assert week_start(MONDAY) == MONDAY
    assert week_start(date(2025, 11, 23)) == MONDAY  # Sunday belongs to the week before
    last_week = WeeklyFocus(1, date(2025, 11, 10), FocusKind.WORDS, "klein, trein", "Juf")
    this_week = WeeklyFocus(1, MONDAY, FocusKind.OUTDOOR, "Sommen-estafette buiten", "Juf")
    assert current_focus([last_week, this_week], WEDNESDAY) is this_week
    assert current_focus([last_week], WEDNESDAY) is None


def test_the_text_is_trimmed_and_bounded_and_control_characters_are_refused() -> None:
    assert clean_focus_text("  woorden met -ij\nen -ei  ") == "woorden met -ij\nen -ei"
    for bad, code in (("   ", "focus.error.empty"), ("x" * (TEXT_MAX + 1), "focus.error.too_long"),
                      ("klein\x1b[31m", "focus.error.control")):  # fmt: skip
        with pytest.raises(InvalidInputError) as caught:
            clean_focus_text(bad)
        assert caught.value.problems[0].code == code
    with pytest.raises(InvalidInputError) as caught:
        clean_focus_text("x" * (TEXT_MAX + 1))
    assert str(TEXT_MAX) in caught.value.problems[0].message("nl")


def test_the_teacher_sets_replaces_and_removes_the_focus_and_each_change_is_audited(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db, ib, programme = Database(factory), tutoring.world.ib, tutoring.programme_id
    first = service.set_weekly_focus(db, ib, programme, WEDNESDAY, "words", "  klein, trein, blij  ")
    assert (first.week, first.kind, first.text) == (MONDAY, FocusKind.WORDS, "klein, trein, blij")
    service.set_weekly_focus(db, ib, programme, MONDAY, FocusKind.STRATEGY, "Eerst samen voorspellen")
    service.set_weekly_focus(db, ib, programme, date(2025, 11, 26), FocusKind.OUTDOOR, "Sommen-estafette")
    focuses = service.weekly_focuses(db, ib, programme)
    assert [(f.week, f.kind) for f in focuses] == [(date(2025, 11, 24), FocusKind.OUTDOOR),
                                                   (MONDAY, FocusKind.STRATEGY)]  # fmt: skip
    assert service.clear_weekly_focus(db, ib, programme, WEDNESDAY) is True
    assert service.clear_weekly_focus(db, ib, programme, WEDNESDAY) is False
    assert [f.week for f in service.weekly_focuses(db, ib, programme)] == [date(2025, 11, 24)]
    with unit_of_work(factory) as session:
        actions = session.execute(
            sa.select(AuditLog.action, AuditLog.entity_id)
            .where(AuditLog.entity == "weekly_focus")
            .order_by(AuditLog.id)
        ).all()
    assert [str(a) for a, _ in actions] == ["create", "update", "create", "delete"]
    assert actions[0][1] == f"{programme}:2025-11-17"
    with pytest.raises(InvalidInputError):
        service.set_weekly_focus(db, ib, programme, WEDNESDAY, "dance", "Dansen")


def test_only_staff_who_may_open_the_programme_change_or_read_its_focus(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db, world, programme = Database(factory), tutoring.world, tutoring.programme_id
    for outsider in (world.juf, world.other_ib):  # juf lacks 7B and 5B; the other ib is of another school
        with pytest.raises(PermissionDeniedError):
            service.set_weekly_focus(db, outsider, programme, WEDNESDAY, "words", "klein")
        with pytest.raises(PermissionDeniedError):
            service.weekly_focuses(db, outsider, programme)
    with pytest.raises(NotFoundError):
        service.set_weekly_focus(db, world.ib, 987654, WEDNESDAY, "words", "klein")
    tutor = login_as(factory, next(iter(tutoring.cards.values())))
    with pytest.raises(PermissionDeniedError):
        service.weekly_focuses(db, tutor, programme)  # type: ignore[arg-type]  # a pupil passed where staff is asked


def test_a_tutor_sees_this_weeks_focus_of_their_own_pair_only(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db, ib, programme = Database(factory), tutoring.world.ib, tutoring.programme_id
    service.set_weekly_focus(db, ib, programme, WEDNESDAY, FocusKind.OUTDOOR, "Woorden zoeken op het schoolplein")
    tutors = [name for name in tutoring.pairs if name in tutoring.cards]
    assert tutors, "the world has tutors with login cards"
    tutor = login_as(factory, tutoring.cards[tutors[0]])
    seen = service.pupil_weekly_focus(db, tutor, WEDNESDAY)
    assert list(seen) == [tutoring.pairs[tutors[0]]]
    assert seen[tutoring.pairs[tutors[0]]].text == "Woorden zoeken op het schoolplein"
    assert service.pupil_weekly_focus(db, tutor, date(2025, 11, 25)) == {}  # next week: not set yet
    tutee_card = next((c for name, c in tutoring.cards.items() if name not in tutoring.pairs), None)
    if tutee_card is not None:  # a pupil with a card who tutors nobody sees no focus
        assert service.pupil_weekly_focus(db, login_as(factory, tutee_card), WEDNESDAY) == {}


def test_the_focus_goes_with_its_programme(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    db, ib, programme = Database(factory), tutoring.world.ib, tutoring.programme_id
    service.set_weekly_focus(db, ib, programme, WEDNESDAY, FocusKind.WORDS, "klein, trein")
    with unit_of_work(factory) as session:
        session.execute(sa.delete(Programme).where(Programme.id == programme))
    with unit_of_work(factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(WeeklyFocusRow)) == 0
