"""Accepting a replacement tutor checks the ids it is handed against each other (issue 11, item 3).

The page hands in a run id, the id of the pair that ends and the proposed pair (tutor and tutee numbers).
Before this check a caller could end a pair of one run and add any pair to another, or a pair for another
tutee (a second active pair, or one the programme's rules forbid): the ids were trusted. Each test shows the
refusal and that nothing changed (the ending is rolled back with it).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import World, backend, build_world, engine, factory

from peermatch.errors import ConflictError, RuleError
from peermatch.matching import Pair
from peermatch.model import Subject
from peermatch.services import Database, constraints, pairs
from peermatch.services.matching import change_rules, match_programme
from peermatch.storage.engine import unit_of_work
from peermatch.storage.programmes import ProgrammeSpec, create_programme
from peermatch.storage.runs import PairInfo
from peermatch.vocabulary import ConstraintKind, PairStatus

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

ON = date(2025, 10, 6)


def _published(factory: sessionmaker[Session], world: World) -> tuple[Database, int, int, list[PairInfo]]:
    """A published run of two pairs whose tutors may each take two tutees: (db, programme, run, pairs)."""
    db = Database(factory)
    spec = ProgrammeSpec("Lezen 7A-5A", Subject.LEZEN, (world.groups["7A"],), (world.groups["5A"],))
    with unit_of_work(factory) as session:
        programme_id = create_programme(session, world.juf, world.school_id, spec).id
    change_rules(db, world.juf, programme_id, {"capacity": 2})
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    pairs.publish(db, world.juf, run.id, on=ON)
    _, rows = pairs.published_pairs(db, world.juf, programme_id)
    assert len(rows) == 2
    return db, programme_id, run.id, [r.pair for r in rows]


def _pair(tutor: str, tutee: str) -> Pair:
    """A pair as the page would hand it in, with no reasons: what a forged request looks like."""
    return Pair(tutor, tutee, 0, False, ())


def _statuses(db: Database, world: World, programme_id: int) -> dict[tuple[str, str], PairStatus]:
    _, rows = pairs.published_pairs(db, world.juf, programme_id)
    return {(r.pair.tutor_number, r.pair.tutee_number): r.pair.status for r in rows}


def test_a_replacement_for_another_tutee_is_refused_and_the_pair_keeps_running(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    db, programme_id, run_id, (ended, kept) = _published(factory, world)
    before = _statuses(db, world, programme_id)
    # the other tutee, with the ended pair's tutor: a second active pair for a tutee who has one
    forged = _pair(ended.tutor_number, kept.tutee_number)
    with pytest.raises(ConflictError) as caught:
        pairs.accept_replacement(db, world.juf, run_id, ended.id, forged, reason="verhuisd", on=ON)
    assert caught.value.problems[0].code == "storage.replacement.other_tutee"
    assert _statuses(db, world, programme_id) == before


def test_the_same_tutor_again_is_not_a_replacement(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db, programme_id, run_id, (ended, _) = _published(factory, world)
    before = _statuses(db, world, programme_id)
    same = _pair(ended.tutor_number, ended.tutee_number)
    with pytest.raises(ConflictError) as caught:
        pairs.accept_replacement(db, world.juf, run_id, ended.id, same, reason="verhuisd", on=ON)
    assert caught.value.problems[0].code == "storage.replacement.other_tutee"
    assert _statuses(db, world, programme_id) == before


def test_a_pair_of_another_run_is_not_replaced_into_this_one(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db, programme_id, _, (ended, kept) = _published(factory, world)
    spec = ProgrammeSpec("Lezen, tweede ronde", Subject.LEZEN, (world.groups["7A"],), (world.groups["5A"],))
    with unit_of_work(factory) as session:
        other_programme = create_programme(session, world.juf, world.school_id, spec).id
    other_run = match_programme(db, world.juf, other_programme, lang="nl", reference_date=ON)
    pairs.publish(db, world.juf, other_run.id, on=ON)
    before = _statuses(db, world, programme_id), _statuses(db, world, other_programme)
    replacement = _pair(kept.tutor_number, ended.tutee_number)
    with pytest.raises(ConflictError) as caught:  # ends a pair of the first run, adds to the second
        pairs.accept_replacement(db, world.juf, other_run.id, ended.id, replacement, reason="verhuisd", on=ON)
    assert caught.value.problems[0].code == "storage.replacement.not_ended"
    assert (_statuses(db, world, programme_id), _statuses(db, world, other_programme)) == before


def test_a_draft_run_takes_no_replacement(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db, programme_id, _, (ended, kept) = _published(factory, world)
    draft = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    before = _statuses(db, world, programme_id)
    with pytest.raises(ConflictError) as caught:
        pairs.accept_replacement(db, world.juf, draft.id, ended.id, _pair(kept.tutor_number, ended.tutee_number),
                                 reason="verhuisd", on=ON)  # fmt: skip
    assert caught.value.problems[0].code == "ui.error.not_published"
    assert _statuses(db, world, programme_id) == before


def test_a_forbidden_replacement_is_refused_with_the_rule_named(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db, programme_id, run_id, (ended, kept) = _published(factory, world)
    constraints.set_constraint(db, world.juf, programme_id, kept.tutor_number, ended.tutee_number,
                               ConstraintKind.FORBID)  # fmt: skip
    before = _statuses(db, world, programme_id)
    replacement = _pair(kept.tutor_number, ended.tutee_number)
    with pytest.raises(RuleError) as caught:
        pairs.accept_replacement(db, world.juf, run_id, ended.id, replacement, reason="verhuisd", on=ON)
    assert [p.code for p in caught.value.problems] == ["matching.pin.forbidden"]
    assert _statuses(db, world, programme_id) == before


def test_a_tutor_at_capacity_is_refused(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db, programme_id, run_id, (ended, kept) = _published(factory, world)
    change_rules(db, world.juf, programme_id, {"capacity": 1})
    before = _statuses(db, world, programme_id)
    replacement = _pair(kept.tutor_number, ended.tutee_number)  # kept's tutor already helps one tutee
    with pytest.raises(RuleError) as caught:
        pairs.accept_replacement(db, world.juf, run_id, ended.id, replacement, reason="verhuisd", on=ON)
    assert [p.code for p in caught.value.problems] == ["matching.publish.capacity"]
    assert _statuses(db, world, programme_id) == before


def test_a_proposed_replacement_is_still_accepted(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db, programme_id, run_id, (ended, kept) = _published(factory, world)
    replacement = pairs.propose_replacement(db, world.juf, programme_id, [ended, kept], ended)
    assert replacement is not None
    pairs.accept_replacement(db, world.juf, run_id, ended.id, replacement, reason="verhuisd", on=ON)
    after = _statuses(db, world, programme_id)
    assert after[(ended.tutor_number, ended.tutee_number)] is PairStatus.ENDED
    assert after[(replacement.tutor_number, replacement.tutee_number)] is PairStatus.ACTIVE
