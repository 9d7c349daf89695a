"""Builders shared by the pupil-login, training-store and check-in tests: a published reading programme
on top of ``storage_fixtures.build_world`` (7A/7B tutor 5A/5B), and cheap argon2 for speed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, time

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import World, build_world

from peermatch import pupil_auth
from peermatch.checkins import CheckInForm, SessionStatus, new_submission_id
from peermatch.model import Subject
from peermatch.pupil_auth import AuthenticatedPupil, LoginCard
from peermatch.services import Database
from peermatch.services.pupil_login import pupil_login
from peermatch.storage import pupil_codes, runs
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import PairRow, PupilRow
from peermatch.storage.programmes import Moment, ProgrammeSpec, create_programme

__all__ = ["START", "Tutoring", "build_tutoring", "cheap_argon2", "checkin_form", "login_as"]

START = date(2025, 10, 6)  # a Monday: the programme starts, the pairs are published


@pytest.fixture
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with tiny parameters: the same code paths, milliseconds instead of 0.2 s per hash."""
    monkeypatch.setattr(pupil_auth, "_PARAMS", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    return


@dataclass(frozen=True)
class Tutoring:
    world: World
    pupils: dict[str, int]  # first name -> id (school 1)
    pairs: dict[str, int]  # tutor first name -> pair id
    programme_id: int
    cards: dict[str, LoginCard]  # first name -> card (7A and 7B)


def build_tutoring(factory: sessionmaker[Session]) -> Tutoring:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        pupils = {
            p.first_name: p.id
            for p in session.scalars(sa.select(PupilRow).where(PupilRow.school_id == world.school_id))
        }
        g = world.groups
        spec = ProgrammeSpec(
            name="Leesmaatjes",
            subject=Subject.LEZEN,
            tutor_group_ids=(g["7A"], g["7B"]),
            tutee_group_ids=(g["5A"], g["5B"]),
            moments=(Moment(2, time(10), time(10, 30)),),
            start_date=START,
            weeks=10,
            sessions_per_week=1,
            minutes_per_session=20,
        )
        programme = create_programme(session, world.ib, world.school_id, spec)
        drafts = [runs.PairDraft("0301", "0101"), runs.PairDraft("0302", "0102"), runs.PairDraft("0401", "0201")]
        run = runs.save_run(session, world.ib, programme.id, drafts, rules={})
        runs.publish_run(session, world.ib, run.id, on=START)
        by_tutor = {p.tutor_id: p.id for p in session.scalars(sa.select(PairRow).where(PairRow.run_id == run.id))}
        names = {v: k for k, v in pupils.items()}
        cards = {
            c.first_name: c for group in ("7A", "7B") for c in pupil_codes.generate_codes(session, world.ib, g[group])
        }
    return Tutoring(world, pupils, {names[t]: p for t, p in by_tutor.items()}, programme.id, cards)


def login_as(factory: sessionmaker[Session], card: LoginCard) -> AuthenticatedPupil:
    pupil = pupil_login(Database(factory), card.class_code, card.number, card.personal_code)
    assert pupil is not None
    return pupil


def checkin_form(tutoring: Tutoring, tutor: str, **changes: object) -> CheckInForm:
    """A held session's check-in by ``tutor`` (a first name) for their pair; ``changes`` replace fields."""
    form = CheckInForm(
        submission_id=new_submission_id(),
        pair_id=tutoring.pairs[tutor],
        session_date=date(2025, 11, 18),
        status=SessionStatus.HELD,
        minutes=20,
        activity="De Gorgels blz. 12-15",
        tutor_mood=4,
        went_well="Hij las zelf",
        tutee_fun=5,
        tutee_learned=4,
    )
    return dataclasses.replace(form, **changes)  # type: ignore[arg-type]
