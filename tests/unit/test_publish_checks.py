"""Publishing checks the draft again (issue 15): a pair forbidden after the run, or a pair the programme's
current rules no longer allow, makes the draft stale; publishing it is refused with the pairs named and
"make the pairs again", and nothing is published. A draft that still keeps everything publishes as before."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import World, backend, build_world, engine, factory

from peermatch.errors import ConflictError, PeerMatchError
from peermatch.i18n import catalogue
from peermatch.model import Subject
from peermatch.services import Database, constraints, pairs
from peermatch.services.matching import change_rules, latest_draft, match_programme
from peermatch.storage.engine import unit_of_work
from peermatch.storage.programmes import ProgrammeSpec, create_programme
from peermatch.vocabulary import ConstraintKind, PairStatus, RunStatus

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

ON = date(2025, 10, 6)
FIRST_NAMES = {"0101": "Daan", "0102": "Emma", "0301": "Noor", "0302": "Fatima"}


def _programme(factory: sessionmaker[Session], world: World) -> int:
    spec = ProgrammeSpec("Lezen 7A-5A", Subject.LEZEN, (world.groups["7A"],), (world.groups["5A"],))
    with unit_of_work(factory) as session:
        return create_programme(session, world.juf, world.school_id, spec).id


def _drafted(db: Database, world: World, run_id: int) -> list[tuple[str, str]]:
    return [(r.pair.tutor_number, r.pair.tutee_number) for r in pairs.pair_listings(db, world.juf, run_id)]


def _refused(db: Database, world: World, run_id: int) -> PeerMatchError:
    with pytest.raises(ConflictError) as caught:
        pairs.publish(db, world.juf, run_id, on=ON)
    return caught.value


def _assert_still_a_draft(db: Database, world: World, programme_id: int, run_id: int) -> None:
    draft = latest_draft(db, world.juf, programme_id)
    assert draft is not None
    assert draft.id == run_id
    assert draft.status is RunStatus.DRAFT
    assert draft.published_at is None
    assert {r.pair.status for r in pairs.pair_listings(db, world.juf, run_id)} == {PairStatus.PROPOSED}


def test_a_pair_forbidden_after_the_run_is_not_published(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    drafted = _drafted(db, world, run.id)
    assert len(drafted) == 2
    tutor, tutee = drafted[0]
    constraints.set_constraint(db, world.juf, programme_id, tutor, tutee, ConstraintKind.FORBID)

    error = _refused(db, world, run.id)

    first, *details = error.problems
    assert first.code == "matching.publish.stale"
    pair = f"{FIRST_NAMES[tutor]} – {FIRST_NAMES[tutee]}"
    assert pair in first.message("nl")
    assert "Maak de koppels opnieuw" in first.message("nl")
    assert pair in first.message("en")
    assert "Make the pairs again" in first.message("en")
    assert [p.code for p in details] == ["matching.publish.forbidden"]
    assert details[0].params["tutor"] == FIRST_NAMES[tutor]
    assert details[0].params["tutee"] == FIRST_NAMES[tutee]
    other = f"{FIRST_NAMES[drafted[1][0]]} – {FIRST_NAMES[drafted[1][1]]}"
    assert other not in error.message("nl")  # only the stale pair is named
    # all or nothing: no run is published, no pair is active, the draft is left as it was
    assert pairs.published_pairs(db, world.juf, programme_id) == (None, [])
    _assert_still_a_draft(db, world, programme_id, run.id)

    # the way out the message names: a new run (it leaves the forbidden pair out) publishes
    again = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    assert (tutor, tutee) not in _drafted(db, world, again.id)
    assert pairs.publish(db, world.juf, again.id, on=ON).status is RunStatus.PUBLISHED


def test_a_refused_publish_leaves_the_published_run_and_its_pairs_as_they_were(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    first = pairs.publish(db, world.juf, match_programme(db, world.juf, programme_id, lang="nl",
                                                         reference_date=ON).id, on=ON)  # fmt: skip
    _, running = pairs.published_pairs(db, world.juf, programme_id)
    pairs.end_pair(db, world.juf, running[0].pair.id, reason="ruzie", on=ON)  # its tutee waits for a new tutor
    change_rules(db, world.juf, programme_id, {"capacity": 2})
    before = pairs.published_pairs(db, world.juf, programme_id)
    second = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    (tutor, tutee), *_ = _drafted(db, world, second.id)
    constraints.set_constraint(db, world.juf, programme_id, tutor, tutee, ConstraintKind.FORBID)

    _refused(db, world, second.id)

    shown_run, rows = pairs.published_pairs(db, world.juf, programme_id)
    assert shown_run is not None
    assert shown_run.id == first.id
    assert shown_run.status is RunStatus.PUBLISHED
    assert [(r.pair.id, r.pair.status, r.pair.start_date) for r in rows] == [
        (r.pair.id, r.pair.status, r.pair.start_date) for r in before[1]
    ]
    assert [r.pair.status for r in rows] == [PairStatus.ENDED, PairStatus.ACTIVE]
    _assert_still_a_draft(db, world, programme_id, second.id)


def test_a_draft_that_breaks_the_programmes_new_rules_is_not_published(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    change_rules(db, world.juf, programme_id, {"margin": 7.0})  # both drafted pairs are 6 levels apart

    error = _refused(db, world, run.id)

    first, *details = error.problems
    assert first.code == "matching.publish.stale"
    for tutor, tutee in _drafted(db, world, run.id):
        assert f"{FIRST_NAMES[tutor]} – {FIRST_NAMES[tutee]}" in first.message("nl")
    assert {p.code for p in details} == {"matching.publish.margin"}
    assert len(details) == 2
    assert all(p.params["need"] == "7" for p in details)
    assert "minstens 7" in error.message("nl")
    assert pairs.published_pairs(db, world.juf, programme_id) == (None, [])
    _assert_still_a_draft(db, world, programme_id, run.id)


def test_a_narrower_age_gap_makes_the_draft_stale(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)  # the drafted pairs are 23 to 28 months apart
    db = Database(factory)
    programme_id = _programme(factory, world)
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    change_rules(db, world.juf, programme_id, {"max_age_gap_months": 12})

    error = _refused(db, world, run.id)

    assert [p.code for p in error.problems] == ["matching.publish.stale", *["matching.publish.age"] * 2]
    assert pairs.published_pairs(db, world.juf, programme_id) == (None, [])


def test_a_lower_capacity_makes_the_draft_stale(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    change_rules(db, world.juf, programme_id, {"capacity": 2})
    for tutee in ("0101", "0102"):  # Fatima helps both tutees
        constraints.set_constraint(db, world.juf, programme_id, "0302", tutee, ConstraintKind.PIN)
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    assert sorted(_drafted(db, world, run.id)) == [("0302", "0101"), ("0302", "0102")]
    change_rules(db, world.juf, programme_id, {"capacity": 1})

    error = _refused(db, world, run.id)

    first, *details = error.problems
    assert [p.code for p in details] == ["matching.publish.capacity"]
    assert details[0].params["capacity"] == 1
    assert "Fatima" in first.message("nl")
    assert pairs.published_pairs(db, world.juf, programme_id) == (None, [])


def test_an_untouched_draft_publishes_as_before(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    drafted = set(_drafted(db, world, run.id))
    unused = next(p for p in [("0301", "0101"), ("0302", "0101"), ("0302", "0102")] if p not in drafted)
    constraints.set_constraint(db, world.juf, programme_id, *unused, ConstraintKind.FORBID)  # not in the draft
    constraints.set_constraint(db, world.juf, programme_id, *sorted(drafted)[0], ConstraintKind.PIN)

    published = pairs.publish(db, world.juf, run.id, on=ON)

    assert published.status is RunStatus.PUBLISHED
    shown_run, rows = pairs.published_pairs(db, world.juf, programme_id)
    assert shown_run == published
    assert {(r.pair.tutor_number, r.pair.tutee_number) for r in rows} == drafted
    assert {r.pair.status for r in rows} == {PairStatus.ACTIVE}
    assert latest_draft(db, world.juf, programme_id) is None


def test_publishing_a_run_twice_is_still_refused_as_not_a_draft(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    pairs.publish(db, world.juf, run.id, on=ON)
    assert [p.code for p in _refused(db, world, run.id).problems] == ["storage.run.not_draft"]


def test_every_publish_message_exists_in_both_languages_with_the_pair_named() -> None:
    nl, en = catalogue("nl"), catalogue("en")
    codes = {c for c in nl if c.startswith("matching.publish.")}
    assert codes == {c for c in en if c.startswith("matching.publish.")}
    assert {"matching.publish.stale", "matching.publish.forbidden", "matching.publish.margin"} <= codes
    for code in codes - {"matching.publish.stale"}:
        assert nl[code].startswith("Koppel {tutor} – {tutee}:")
        assert en[code].startswith("Pair {tutor} – {tutee}:")
