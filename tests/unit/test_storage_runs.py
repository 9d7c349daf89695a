"""Programmes, matching runs and pairs: draft, publish (one at a time), supersede, end; pins and forbids."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import World, backend, build_world, engine, factory

from peermatch.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from peermatch.model import Subject
from peermatch.services import Database
from peermatch.services import programmes as programme_service
from peermatch.storage import constraints, runs
from peermatch.storage.engine import unit_of_work
from peermatch.storage.enums import ConstraintKind, PairStatus, RunStatus
from peermatch.storage.programmes import (
    Moment,
    ProgrammeSpec,
    create_programme,
    delete_programme,
    list_programmes,
    update_programme,
)

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

RULES = {"margin": 2, "capacity": 1, "objective": "max_pairs", "weights": {"age": 1.0}}


def _spec(world: World, name: str = "Lezen 7A-5A", **changes: object) -> ProgrammeSpec:
    values: dict[str, object] = {
        "name": name,
        "subject": Subject.LEZEN,
        "tutor_group_ids": (world.groups["7A"],),
        "tutee_group_ids": (world.groups["5A"],),
        "moments": (Moment(2, time(8, 30), time(8, 50)), Moment(4, time(13, 0), time(13, 20))),
        "start_date": date(2025, 10, 6),
        "weeks": 10,
        "sessions_per_week": 2,
        "minutes_per_session": 20,
        "rules": RULES,
    }
    values.update(changes)
    return ProgrammeSpec(**values)  # type: ignore[arg-type]


def _programme(factory: sessionmaker[Session], world: World) -> int:
    with unit_of_work(factory) as session:
        return create_programme(session, world.juf, world.school_id, _spec(world)).id


def test_a_programme_round_trips_with_its_groups_moments_and_rules(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        created = create_programme(session, world.ib, world.school_id, _spec(world))
    with unit_of_work(factory) as session:
        (stored,) = list_programmes(session, world.ib, world.school_id)
    assert stored == created
    assert stored.spec == _spec(world)


def test_a_programme_can_be_changed_and_deleted(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    programme_id = _programme(factory, world)
    with unit_of_work(factory) as session:
        changed = update_programme(
            session, world.juf, programme_id, _spec(world, "Lezen voorjaar", weeks=12, moments=())
        )
        assert (changed.spec.name, changed.spec.weeks, changed.spec.moments) == ("Lezen voorjaar", 12, ())
    with unit_of_work(factory) as session:
        delete_programme(session, world.juf, programme_id)
    with unit_of_work(factory) as session:
        assert list_programmes(session, world.ib, world.school_id) == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"weeks": 0}, "storage.programme.weeks"),
        ({"sessions_per_week": 8}, "storage.programme.sessions_per_week"),
        ({"minutes_per_session": 2}, "storage.programme.minutes_per_session"),
        ({"tutee_group_ids": ()}, "storage.programme.no_groups"),
        ({"moments": (Moment(8, time(9), time(10)),)}, "storage.programme.moment"),
        ({"moments": (Moment(1, time(10), time(9)),)}, "storage.programme.moment"),
        ({"name": "  "}, "storage.programme.name"),
        ({"rules": {"when": date(2025, 1, 1)}}, "storage.programme.rules"),
    ],
)
def test_a_programme_with_impossible_values_is_refused(
    factory: sessionmaker[Session], changes: dict[str, object], code: str
) -> None:
    world = build_world(factory)
    with pytest.raises(InvalidInputError) as caught:
        programme_service.create_programme(Database(factory), world.ib, _spec(world, **changes))  # type: ignore[arg-type]  # each case sets one field of its own type
    assert caught.value.problems[0].code == code


def test_two_programmes_in_a_school_cannot_share_a_name(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    _programme(factory, world)
    with unit_of_work(factory) as session, pytest.raises(ConflictError):
        create_programme(session, world.ib, world.school_id, _spec(world))


def test_a_run_is_saved_as_a_draft_with_its_pairs(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    programme_id = _programme(factory, world)
    drafts = [
        runs.PairDraft("0301", "0101", cost=10.0, explanation=[{"code": "matching.reason.margin"}]),
        runs.PairDraft("0302", "0102", cost=12.0, pinned=True),
    ]
    with unit_of_work(factory) as session:
        run = runs.save_run(session, world.juf, programme_id, drafts, rules=RULES, summary={"paired": 2})
    assert (run.status, run.pair_count, run.rules, run.summary) == (RunStatus.DRAFT, 2, RULES, {"paired": 2})
    with unit_of_work(factory) as session:
        pairs = runs.run_pairs(session, world.juf, run.id)
    assert [(p.tutor_number, p.tutee_number, p.status, p.pinned, p.cost) for p in pairs] == [
        ("0301", "0101", PairStatus.PROPOSED, False, 10.0),
        ("0302", "0102", PairStatus.PROPOSED, True, 12.0),
    ]
    assert pairs[0].explanation == [{"code": "matching.reason.margin"}]


def test_a_run_only_pairs_tutors_from_tutor_groups_with_tutees_from_tutee_groups(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    programme_id = _programme(factory, world)
    with unit_of_work(factory) as session:
        with pytest.raises(NotFoundError) as caught:
            runs.save_run(session, world.juf, programme_id, [runs.PairDraft("0101", "0102")], rules=RULES)
        assert caught.value.problems[0].code == "storage.run.not_a_tutor"
        with pytest.raises(NotFoundError):
            runs.save_run(session, world.juf, programme_id, [runs.PairDraft("0301", "0201")], rules=RULES)


def test_publishing_supersedes_the_previous_run_and_keeps_one_published_run(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    programme_id = _programme(factory, world)
    with unit_of_work(factory) as session:
        first = runs.save_run(session, world.juf, programme_id, [runs.PairDraft("0301", "0101")], rules=RULES)
        runs.publish_run(session, world.juf, first.id, on=date(2025, 10, 1))
    with unit_of_work(factory) as session:
        (pair,) = runs.run_pairs(session, world.juf, first.id)
        assert (pair.status, pair.start_date) == (PairStatus.ACTIVE, date(2025, 10, 6))  # the programme's start
        second = runs.save_run(
            session, world.juf, programme_id, [runs.PairDraft("0301", "0101"), runs.PairDraft("0302", "0102")],
            rules=RULES,
        )  # fmt: skip
        runs.publish_run(session, world.juf, second.id, on=date(2025, 11, 3))
    with unit_of_work(factory) as session:
        statuses = {r.id: r.status for r in runs.list_runs(session, world.juf, programme_id)}
        assert statuses == {first.id: RunStatus.SUPERSEDED, second.id: RunStatus.PUBLISHED}
        published = runs.published_run(session, world.ib, programme_id)
        assert published is not None
        assert published.id == second.id
        old = runs.run_pairs(session, world.juf, first.id)
        assert [(p.status, p.end_date, p.end_reason) for p in old] == [
            (PairStatus.ENDED, date(2025, 11, 3), runs.SUPERSEDED_REASON),
        ]  # fmt: skip
        new = {p.tutee_number: p.start_date for p in runs.run_pairs(session, world.juf, second.id)}
        assert new == {"0101": date(2025, 10, 6), "0102": date(2025, 11, 3)}  # a continuing pair keeps its start
        with pytest.raises(ConflictError):
            runs.publish_run(session, world.juf, first.id)


def test_an_active_pair_is_ended_with_a_reason_and_a_date(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    programme_id = _programme(factory, world)
    with unit_of_work(factory) as session:
        run = runs.save_run(session, world.juf, programme_id, [runs.PairDraft("0301", "0101")], rules=RULES)
        runs.publish_run(session, world.juf, run.id, on=date(2025, 10, 6))
        (pair,) = runs.run_pairs(session, world.juf, run.id)
        with pytest.raises(InvalidInputError):
            runs.end_pair(session, world.juf, pair.id, reason="te vroeg", on=date(2025, 10, 1))
        with pytest.raises(PermissionDeniedError):
            runs.end_pair(session, world.meester, pair.id, reason="niet mijn groep", on=date(2025, 12, 1))
        ended = runs.end_pair(session, world.juf, pair.id, reason="tutee heeft niveau gehaald", on=date(2025, 12, 1))
        assert (ended.status, ended.end_date, ended.end_reason) == (
            PairStatus.ENDED, date(2025, 12, 1), "tutee heeft niveau gehaald",
        )  # fmt: skip
        with pytest.raises(ConflictError):
            runs.end_pair(session, world.juf, pair.id, reason="nog eens", on=date(2025, 12, 2))


def test_a_draft_can_be_thrown_away_but_a_published_run_stays(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    programme_id = _programme(factory, world)
    with unit_of_work(factory) as session:
        draft = runs.save_run(session, world.juf, programme_id, [runs.PairDraft("0301", "0101")], rules=RULES)
        kept = runs.save_run(session, world.juf, programme_id, [], rules=RULES)
        runs.publish_run(session, world.juf, kept.id)
        runs.delete_draft(session, world.juf, draft.id)
        with pytest.raises(ConflictError):
            runs.delete_draft(session, world.juf, kept.id)
        assert [r.id for r in runs.list_runs(session, world.juf, programme_id)] == [kept.id]


def test_pins_and_forbids_are_kept_across_runs_and_a_pin_replaces_a_forbid(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    programme_id = _programme(factory, world)
    with unit_of_work(factory) as session:
        constraints.set_constraint(session, world.juf, programme_id, "0301", "0101", ConstraintKind.FORBID)
        constraints.set_constraint(session, world.juf, programme_id, "0302", "0102", ConstraintKind.PIN)
        run = runs.save_run(
            session, world.juf, programme_id, [runs.PairDraft("0302", "0102", pinned=True)], rules=RULES
        )
        runs.publish_run(session, world.juf, run.id)
    with unit_of_work(factory) as session:
        kept = [
            (c.tutor_number, c.tutee_number, c.kind)
            for c in constraints.list_constraints(session, world.juf, programme_id)
        ]
        assert kept == [("0301", "0101", ConstraintKind.FORBID), ("0302", "0102", ConstraintKind.PIN)]
        constraints.set_constraint(session, world.juf, programme_id, "0301", "0101", ConstraintKind.PIN)
        assert constraints.remove_constraint(session, world.juf, programme_id, "0302", "0102") is True
        assert constraints.remove_constraint(session, world.juf, programme_id, "0302", "0102") is False
        assert [(c.tutor_number, c.kind) for c in constraints.list_constraints(session, world.juf, programme_id)] == [
            ("0301", ConstraintKind.PIN),
        ]  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            constraints.list_constraints(session, world.meester, programme_id)
        with pytest.raises(NotFoundError):
            constraints.set_constraint(session, world.juf, programme_id, "0201", "0101", ConstraintKind.PIN)
        with pytest.raises(InvalidInputError):
            constraints.set_constraint(session, world.juf, programme_id, "0301", "0301", ConstraintKind.FORBID)
