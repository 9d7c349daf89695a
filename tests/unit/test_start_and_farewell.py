"""A proper start and farewell (issue 13, item 4): where a pair stands (the kennismaking before the first held
session, "nog 2 keer samen" before the end) from its plan and its check-ins, on SQLite and PostgreSQL, with the
school's holidays and cancelled days; and the farewell cards as a real PDF."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, db_url, engine, factory
from tutoring_world import START, Tutoring, build_tutoring, cheap_argon2, checkin_form, login_as

from peermatch.farewell_card import FarewellPair, farewell_cards_pdf
from peermatch.pair_stage import FAREWELL_FROM, Stage, pair_stage
from peermatch.services import Database, checkins
from peermatch.services import calendar as cal
from peermatch.services.pupil_home import pair_stages

__all__ = ["backend", "cheap_argon2", "db_url", "engine", "factory"]  # fixtures used by the tests below

TUESDAYS = [date(2025, 10, 7) + timedelta(weeks=w) for w in range(10)]


def test_the_stage_follows_the_plan_and_the_held_sessions() -> None:
    first = pair_stage(TUESDAYS, set(), date(2025, 10, 6))
    assert (first.stage, first.left, first.held) == (Stage.FIRST, 10, 0)
    running = pair_stage(TUESDAYS, {TUESDAYS[0]}, TUESDAYS[1])
    assert (running.stage, running.left) == (Stage.RUNNING, 9)
    two = pair_stage(TUESDAYS, set(TUESDAYS[:8]), TUESDAYS[8])
    assert (two.stage, two.left) == (Stage.ENDING, FAREWELL_FROM)
    last = pair_stage(TUESDAYS, set(TUESDAYS[:9]), TUESDAYS[9])
    assert (last.stage, last.left) == (Stage.ENDING, 1)
    assert pair_stage(TUESDAYS, set(TUESDAYS), TUESDAYS[9]).stage is Stage.DONE  # checked in today: done
    assert pair_stage(TUESDAYS, set(TUESDAYS[:3]), date(2026, 1, 1)).stage is Stage.DONE  # the plan is over
    # a pair that never met is still before its kennismaking, however late
    assert pair_stage(TUESDAYS, set(), TUESDAYS[9]).stage is Stage.FIRST


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)  # Tuesdays 10:00 from Monday 6 October 2025, 10 weeks, regio zuid


def test_a_tutor_sees_the_kennismaking_first_and_the_farewell_at_the_end(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db = Database(factory)
    noor = login_as(factory, tutoring.cards["Noor"])
    pair = tutoring.pairs["Noor"]
    first = pair_stages(db, noor, START)[pair]
    assert (first.stage, first.left) == (Stage.FIRST, 9)  # 10 Tuesdays, one in the herfstvakantie (zuid)
    checkins.save_checkin(db, noor, checkin_form(tutoring, "Noor", session_date=date(2025, 10, 7)),
                          today=date(2025, 10, 7))  # fmt: skip
    assert pair_stages(db, noor, date(2025, 10, 8))[pair].stage is Stage.RUNNING
    near_end = pair_stages(db, noor, date(2025, 12, 2))  # the last two Tuesdays: 2 and 9 December
    assert (near_end[pair].stage, near_end[pair].left) == (Stage.ENDING, 2)
    cal.cancel_day(db, tutoring.world.ib, tutoring.programme_id, date(2025, 12, 2))
    assert pair_stages(db, noor, date(2025, 12, 2))[pair].left == 1  # a cancelled day is no session left
    assert set(pair_stages(db, noor, START)) == {pair}  # only the pupil's own pairs


def test_the_farewell_cards_are_a_page_per_pair_with_both_children_s_cards() -> None:
    pairs = [FarewellPair("Sem", "Noor", "lezen"), FarewellPair("Aya", "Daan", "rekenen")]
    pdf = farewell_cards_pdf(pairs, "Afscheidskaartjes")
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 2
    empty = farewell_cards_pdf([], "Afscheidskaartjes", "en")
    assert len(re.findall(rb"/Type\s*/Page\b", empty)) == 1  # a download is never an empty file
