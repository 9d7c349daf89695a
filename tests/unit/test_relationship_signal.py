"""A falling relationship is a signal (issue 13, item 3): "Hoe ging het samen?" falling over three sessions needs
attention and raises an alert like falling fun; stored, it is the lower of the tutor's and the tutee's answer
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from monitoring_fixtures import DATES, held, pair
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, db_url, engine, factory
from tutoring_world import Tutoring, build_tutoring, cheap_argon2, checkin_form, login_as

from peermatch.monitoring import AlertKind, Health, generate_alerts, pair_health
from peermatch.services import Database, checkins, monitoring
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import CheckInRow

__all__ = ["backend", "cheap_argon2", "db_url", "engine", "factory"]  # fixtures used by the tests below


def test_how_they_get_on_falling_over_three_sessions_needs_attention_and_raises_an_alert() -> None:
    history = pair([held(DATES[0]), held(DATES[1], together=4), held(DATES[2], together=3),
                    held(DATES[3], together=2)])  # fmt: skip
    health = pair_health(history, DATES[3])
    assert health.status is Health.AANDACHT_NODIG
    reason = next(r for r in health.reasons if r.code == "mood_falling")
    assert reason.params["score"] == "together"
    assert reason.params["values"] == "4 → 3 → 2"
    assert "hoe het samen gaat" in reason.message("nl")
    (alert,) = [a for a in generate_alerts([history], DATES[3]) if a.kind is AlertKind.MOOD_FALLING]
    assert alert.params["score"] == "together"
    steady = pair([held(d, together=4) for d in DATES[:4]])
    assert pair_health(steady, DATES[3]).status is Health.OP_KOERS


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)


def test_the_stored_relationship_is_the_lower_of_both_answers_and_its_fall_reaches_the_ib(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    noor = login_as(factory, tutoring.cards["Noor"])
    days = (date(2025, 10, 21), date(2025, 10, 28), date(2025, 11, 4))  # Tuesdays after the herfstvakantie
    for day in days:
        form = checkin_form(tutoring, "Noor", session_date=day, tutor_together=5)
        checkins.save_checkin(db, noor, form, today=day)
    with unit_of_work(factory) as session:  # the tutee's own answers: 4, 3, 2 (lower than the tutor's 5)
        for day, value in zip(days, (4, 3, 2), strict=True):
            row = sa.update(CheckInRow).where(
                CheckInRow.pair_id == tutoring.pairs["Noor"], CheckInRow.session_date == day
            )
            session.execute(row.values(tutee_together=value))
    data = monitoring.load_monitored(db, tutoring.world.ib)
    history = data.by_pair[str(tutoring.pairs["Noor"])]
    assert [c.together for c in history.checkins] == [4, 3, 2]
    reason = next(r for r in pair_health(history, days[-1], thresholds=data.thresholds).reasons
                  if r.code == "mood_falling")  # fmt: skip
    assert reason.params["score"] == "together"
