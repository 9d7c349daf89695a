"""Issue 14, part 3: a *bovenschools coördinator* sees a board's aggregates and may never read a pupil.

Every service that reads pupils, check-ins, worries or pairs with names is called with the board account as
the login returns it (its ``users.school_id`` is the board's first school, OBS Test, where the pupils are):
each one refuses with ``PermissionDeniedError``. The same call by the school's IB'er succeeds, so the refusal
is the role's and not a wrong argument. On the old behaviour a board account of that school read the school
like a teacher without groups: empty lists, no refusal (and check-ins, triages and group names in full)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from board_world import build_board
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory, make_pupil, make_roster
from tutoring_world import START

from peermatch.auth import AuthenticatedUser
from peermatch.errors import PermissionDeniedError
from peermatch.services import (
    Database,
    accounts,
    checkins,
    constraints,
    levels,
    matching,
    monitoring,
    overview,
    pairs,
    passwords,
    privacy,
    pupil_codes,
    pupils,
    results,
    roster_import,
    training,
    tutors,
)
from peermatch.services.board import board_overview
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import PairRow
from peermatch.training import load_modules

__all__ = ["backend", "engine", "factory"]

Call = Callable[[Database, AuthenticatedUser], object]


def _calls(programme_id: int, run_id: int, pair_id: int, group_id: int, pupil_id: int) -> dict[str, Call]:
    as_of = date(2025, 11, 20)
    roster = make_roster(make_pupil("0101", "Daan", "5A"))
    return {
        "pupils.list_pupils": lambda db, a: pupils.list_pupils(db, a, group_id),
        "pupils.list_groups": lambda db, a: pupils.list_groups(db, a),
        "pupils.matcher_pupils": lambda db, a: pupils.matcher_pupils(db, a),
        "tutors.tutor_groups": lambda db, a: tutors.tutor_groups(db, a),
        "tutors.group_pupils": lambda db, a: tutors.group_pupils(db, a, group_id),
        "levels.group_levels": lambda db, a: levels.group_levels(db, a, group_id),
        "checkins.list_checkins": lambda db, a: checkins.list_checkins(db, a),
        "monitoring.load_monitored": lambda db, a: monitoring.load_monitored(db, a),
        "monitoring.load_monitored(programme)": lambda db, a: monitoring.load_monitored(db, a, programme_id),
        "monitoring.pair_histories": lambda db, a: monitoring.pair_histories(db, a),
        "monitoring.load_with_triages": lambda db, a: monitoring.load_with_triages(db, a),
        "monitoring.triages": lambda db, a: monitoring.triages(db, a),
        "monitoring.evaluations": lambda db, a: monitoring.evaluations(db, a, pair_id),
        "monitoring.programme_names": lambda db, a: monitoring.programme_names(db, a),
        "monitoring.checkin_triages": lambda db, a: monitoring.checkin_triages(db, a, []),
        "overview.school_week": lambda db, a: overview.school_week(db, a, as_of),
        "overview.start_page": lambda db, a: overview.start_page(db, a, as_of),
        "results.programme_results": lambda db, a: results.programme_results(db, a, programme_id),
        "pairs.pair_listings": lambda db, a: pairs.pair_listings(db, a, run_id),
        "pairs.published_pairs": lambda db, a: pairs.published_pairs(db, a, programme_id),
        "matching.latest_draft": lambda db, a: matching.latest_draft(db, a, programme_id),
        "matching.programmes_to_match": lambda db, a: matching.programmes_to_match(db, a),
        "constraints.list_constraints": lambda db, a: constraints.list_constraints(db, a, programme_id),
        "training.tutor_attempts": lambda db, a: training.tutor_attempts(db, a, pupil_id),
        "training.tutor_progress": lambda db, a: training.tutor_progress(db, a, pupil_id),
        "training.readiness_for_group": lambda db, a: training.readiness_for_group(
            db, a, group_id, "lezen", load_modules()
        ),
        "pupil_codes.class_code": lambda db, a: pupil_codes.class_code(db, a, group_id),
        "privacy.erasable_pupils": lambda db, a: privacy.erasable_pupils(db, a),
        "privacy.audit_page": lambda db, a: privacy.audit_page(db, a),
        "roster_import.preview_import": lambda db, a: roster_import.preview_import(db, a, roster, measured_on=START),
    }


def test_every_pupil_reading_service_refuses_the_board_coordinator(factory: sessionmaker[Session]) -> None:
    board = build_board(factory)
    world = board.tutoring.world
    assert board.coordinator.school_id == world.school_id  # the FK points at the pupils' own school
    with unit_of_work(factory, read_only=True) as session:
        run_id = session.scalars(sa.select(PairRow.run_id)).first()
    assert run_id is not None
    pair_id = board.tutoring.pairs["Noor"]
    tutor_group = world.groups["7A"]
    calls = _calls(board.tutoring.programme_id, run_id, pair_id, tutor_group, board.tutoring.pupils["Noor"])
    db = Database(factory)
    not_refused = []
    for name, call in calls.items():
        try:
            call(db, board.coordinator)
        except PermissionDeniedError:
            pass
        else:
            not_refused.append(name)
        call(db, world.ib)  # the school's IB'er: the same call works, so the arguments are right
    assert not_refused == [], not_refused


def test_a_board_coordinator_without_a_board_row_is_refused_the_board_view(factory: sessionmaker[Session]) -> None:
    board = build_board(factory)
    with pytest.raises(PermissionDeniedError):
        board_overview(Database(factory), board.tutoring.world.ib)  # a school's own staff: no board view
    stranger = AuthenticatedUser(board.coordinator.id + 999, board.coordinator.school_id, "x", "x",
                                 board.coordinator.role)  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        board_overview(Database(factory), stranger)  # the role without a board_users row


def test_a_schools_beheerder_cannot_take_over_the_board_coordinators_account(factory: sessionmaker[Session]) -> None:
    board = build_board(factory)
    db = Database(factory)
    beheerder = board.tutoring.world.beheerder
    assert board.coordinator.username not in [u.username for u in accounts.list_users(db, beheerder)]
    with pytest.raises(PermissionDeniedError):
        passwords.reset_password(db, beheerder, board.coordinator.id, "een heel nieuw wachtwoord 123")
