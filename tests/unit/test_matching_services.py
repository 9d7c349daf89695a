"""The matching services on a real database: match a stored programme into a draft, re-run it, pin, swap,
publish, and replace a tutor, each a use case in one transaction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import World, backend, build_world, engine, factory

from peermatch.errors import RuleError
from peermatch.model import Subject
from peermatch.services import Database, constraints, pairs
from peermatch.services.matching import change_rules, latest_draft, match_programme, programmes_to_match
from peermatch.storage.engine import unit_of_work
from peermatch.storage.programmes import ProgrammeSpec, create_programme
from peermatch.storage.runs import list_runs
from peermatch.vocabulary import ConstraintKind, PairStatus, RunStatus

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

ON = date(2025, 10, 6)


def _programme(factory: sessionmaker[Session], world: World) -> int:
    spec = ProgrammeSpec("Lezen 7A-5A", Subject.LEZEN, (world.groups["7A"],), (world.groups["5A"],))
    with unit_of_work(factory) as session:
        return create_programme(session, world.juf, world.school_id, spec).id


def test_matching_a_programme_saves_one_draft_and_a_rerun_replaces_it(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    assert [p.id for p in programmes_to_match(db, world.juf)] == [programme_id]
    assert latest_draft(db, world.juf, programme_id) is None

    steps: list[float] = []
    first = match_programme(db, world.juf, programme_id, lang="nl", progress=lambda f, _: steps.append(f),
                            reference_date=ON)  # fmt: skip
    assert first.status is RunStatus.DRAFT
    assert steps[0] == 0.0
    assert steps[-1] == 1.0
    assert first.summary["paired"] == first.pair_count == 2
    assert first.summary["unpaired_detail"] == []

    second = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    assert latest_draft(db, world.juf, programme_id) == second
    with unit_of_work(factory, read_only=True) as session:
        assert [r.status for r in list_runs(session, world.juf, programme_id)] == [RunStatus.DRAFT]
    rows = pairs.pair_listings(db, world.juf, second.id)
    assert {(r.pair.tutor_number, r.pair.tutee_number) for r in rows} <= {
        ("0301", "0101"), ("0301", "0102"), ("0302", "0101"), ("0302", "0102")
    }  # fmt: skip


def test_a_swap_that_makes_a_not_with_pair_is_refused_and_pins_nothing(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)  # Noor (0301) is never to be paired with Emma (0102)
    db = Database(factory)
    programme_id = _programme(factory, world)
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    a, b = (r.pair for r in pairs.pair_listings(db, world.juf, run.id))
    with pytest.raises(RuleError) as caught:
        pairs.swap_tutors(db, world.juf, programme_id, (a.tutor_number, a.tutee_number),
                          (b.tutor_number, b.tutee_number))  # fmt: skip
    assert "matching.pin.forbidden" in {p.code for p in caught.value.problems}
    assert constraints.list_constraints(db, world.juf, programme_id) == []


def test_a_pin_is_kept_by_the_next_run(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    constraints.set_constraint(db, world.juf, programme_id, "0302", "0101", ConstraintKind.PIN)
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    made = {
        (r.pair.tutor_number, r.pair.tutee_number): r.pair.pinned for r in pairs.pair_listings(db, world.juf, run.id)
    }
    assert made[("0302", "0101")]
    assert constraints.remove_constraint(db, world.juf, programme_id, "0302", "0101")


def test_publish_end_and_replace_change_only_the_chosen_pair(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    change_rules(db, world.juf, programme_id, {"capacity": 2})
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    published = pairs.publish(db, world.juf, run.id, on=ON)
    shown_run, rows = pairs.published_pairs(db, world.juf, programme_id)
    assert shown_run == published
    ended, kept = rows[0].pair, rows[1].pair
    replacement = pairs.propose_replacement(db, world.juf, programme_id, [r.pair for r in rows], ended)
    assert replacement is not None
    assert replacement.tutee_number == ended.tutee_number
    assert replacement.tutor_number != ended.tutor_number
    pairs.accept_replacement(db, world.juf, run.id, ended.id, replacement, reason="verhuisd", on=ON)
    _, after = pairs.published_pairs(db, world.juf, programme_id)
    status = {r.pair.id: r.pair.status for r in after}
    assert status[ended.id] is PairStatus.ENDED
    assert status[kept.id] is PairStatus.ACTIVE
    active = {(r.pair.tutor_number, r.pair.tutee_number) for r in after if r.pair.status is PairStatus.ACTIVE}
    assert (replacement.tutor_number, replacement.tutee_number) in active
