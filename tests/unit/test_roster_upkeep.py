"""Roster upkeep in the app (issue 15, item 5): a pupil who leaves (their pairs end with the reason and the
date, the matcher no longer sees them, undo up to the date), a pupil who does not take part, and role and
motivation edits scoped to the acting user (a forged id is refused) and audited. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import World, backend, build_world, engine, factory

from peermatch.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from peermatch.model import Role, Subject
from peermatch.records import PupilInfo
from peermatch.services import Database, pairs
from peermatch.services.matching import match_programme
from peermatch.services.pupil_upkeep import (
    LEFT_REASON,
    DetailsEdit,
    mark_leaving,
    save_details,
    set_taking_part,
    undo_leaving,
)
from peermatch.services.pupils import list_groups, list_pupils, matcher_pupils
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import AuditLog, PupilRow
from peermatch.storage.programmes import ProgrammeSpec, create_programme
from peermatch.vocabulary import PairStatus

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

ON = date(2025, 10, 6)


def _programme(factory: sessionmaker[Session], world: World) -> int:
    spec = ProgrammeSpec("Lezen 7A-5A", Subject.LEZEN, (world.groups["7A"],), (world.groups["5A"],))
    with unit_of_work(factory) as session:
        return create_programme(session, world.juf, world.school_id, spec).id


def _published(db: Database, world: World, programme_id: int) -> dict[tuple[str, str], PairStatus]:
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    pairs.publish(db, world.juf, run.id, on=ON)
    return _pairs(db, world, programme_id)


def _pairs(db: Database, world: World, programme_id: int) -> dict[tuple[str, str], PairStatus]:
    _, rows = pairs.published_pairs(db, world.juf, programme_id)
    return {(r.pair.tutor_number, r.pair.tutee_number): r.pair.status for r in rows}


def _pupil(db: Database, world: World, group: str, number: str) -> PupilInfo:
    found = {p.pupil_number: p for p in list_pupils(db, world.ib, world.groups[group], include_inactive=True)}
    return found[number]


def _pupil_pk(factory: sessionmaker[Session], school_id: int, number: str) -> int:
    with unit_of_work(factory, read_only=True) as session:
        found = session.scalar(
            sa.select(PupilRow.id).where(PupilRow.school_id == school_id, PupilRow.pupil_number == number)
        )
        assert found is not None
        return int(found)


def _audited(factory: sessionmaker[Session], entity: str, entity_id: int) -> int:
    with unit_of_work(factory, read_only=True) as session:
        query = sa.select(sa.func.count()).select_from(AuditLog)
        query = query.where(AuditLog.action == "update", AuditLog.entity == entity,
                            AuditLog.entity_id == str(entity_id))  # fmt: skip
        return int(session.scalar(query) or 0)


def _matched_numbers(db: Database, world: World) -> set[str]:
    return {p.pupil_id for p in matcher_pupils(db, world.juf, [world.groups["7A"], world.groups["5A"]])}


def test_a_pupil_who_leaves_has_their_pairs_ended_with_the_reason_and_date_and_is_not_matched(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    before = _published(db, world, programme_id)
    noor = _pupil(db, world, "7A", "0301")
    noor_pairs = [key for key in before if key[0] == "0301"]
    assert noor_pairs
    assert all(before[key] is PairStatus.ACTIVE for key in noor_pairs)
    leaving_day = ON + timedelta(days=14)

    report = mark_leaving(db, world.juf, noor.id, on=leaving_day, today=leaving_day)

    assert report.pairs == len(noor_pairs)
    assert report.pupil.left_on == leaving_day
    _, rows = pairs.published_pairs(db, world.juf, programme_id)
    for row in rows:
        if row.pair.tutor_number == "0301":
            assert (row.pair.status, row.pair.end_date, row.pair.end_reason) == (PairStatus.ENDED, leaving_day,
                                                                                 LEFT_REASON)  # fmt: skip
            assert _audited(factory, "pair", row.pair.id) == 1  # ended as on Paren: audited once
        else:
            assert row.pair.status is PairStatus.ACTIVE  # the other pairs are untouched
    assert _audited(factory, "pupil", noor.id) == 1
    assert "0301" not in _matched_numbers(db, world)
    assert "0302" in _matched_numbers(db, world)
    assert all(p.pupil_number != "0301" for p in list_pupils(db, world.juf, world.groups["7A"]))  # gone from lists
    seven_a = next(g for g in list_groups(db, world.juf) if g.name == "7A")
    assert seven_a.pupil_count == 1
    rerun = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    assert all(r.pair.tutor_number != "0301" for r in pairs.pair_listings(db, world.juf, rerun.id))
    with pytest.raises(ConflictError):  # marked once; a second mark is refused, nothing changes
        mark_leaving(db, world.juf, noor.id, on=leaving_day, today=leaving_day)


def test_a_leave_can_be_undone_before_the_date_and_the_pairs_come_back(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    before = _published(db, world, programme_id)
    noor = _pupil(db, world, "7A", "0301")
    later = date.today() + timedelta(days=10)

    mark_leaving(db, world.juf, noor.id, on=later)
    assert any(p.pupil_number == "0301" for p in list_pupils(db, world.juf, world.groups["7A"]))  # until the date
    assert "0301" not in _matched_numbers(db, world)  # but no new pairs for a pupil who is leaving
    assert {k: s for k, s in _pairs(db, world, programme_id).items() if k[0] == "0301"} == {
        k: PairStatus.ENDED for k in before if k[0] == "0301"
    }

    report = undo_leaving(db, world.juf, noor.id)

    assert report.pupil.left_on is None
    assert report.pairs == sum(1 for k in before if k[0] == "0301")
    assert _pairs(db, world, programme_id) == before
    _, rows = pairs.published_pairs(db, world.juf, programme_id)
    assert all(r.pair.end_date is None and r.pair.end_reason is None for r in rows)
    assert "0301" in _matched_numbers(db, world)
    with pytest.raises(ConflictError):
        undo_leaving(db, world.juf, noor.id)  # nothing left to undo


def test_a_leave_cannot_be_undone_after_its_date(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    daan = _pupil(db, world, "5A", "0101")
    mark_leaving(db, world.juf, daan.id, on=ON, today=ON)
    with pytest.raises(ConflictError) as caught:
        undo_leaving(db, world.juf, daan.id, today=ON + timedelta(days=1))
    assert "Daan" in caught.value.message("nl")
    assert _pupil(db, world, "5A", "0101").left_on == ON


def test_a_pupil_who_does_not_take_part_is_not_matched_and_can_take_part_again(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    draft = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    daan = _pupil(db, world, "5A", "0101")
    assert any(r.pair.tutee_number == "0101" for r in pairs.pair_listings(db, world.juf, draft.id))

    info = set_taking_part(db, world.juf, daan.id, takes_part=False)

    assert info.takes_part is False
    assert "0101" not in _matched_numbers(db, world)
    assert any(p.pupil_number == "0101" for p in list_pupils(db, world.juf, world.groups["5A"]))  # still in class
    with pytest.raises(ConflictError):  # the draft made before still pairs Daan: no pair is created for him
        pairs.publish(db, world.juf, draft.id, on=ON)
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    assert all(r.pair.tutee_number != "0101" for r in pairs.pair_listings(db, world.juf, run.id))
    assert _audited(factory, "pupil", daan.id) == 1

    set_taking_part(db, world.juf, daan.id, takes_part=True)
    assert "0101" in _matched_numbers(db, world)


def test_a_pupil_with_an_active_pair_cannot_be_left_out_and_the_partner_is_named(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    published = _published(db, world, programme_id)
    tutor, tutee = next(iter(published))
    names = {"0101": "Daan", "0102": "Emma", "0301": "Noor", "0302": "Fatima"}
    pupil = _pupil(db, world, "5A", tutee)
    with pytest.raises(ConflictError) as caught:
        set_taking_part(db, world.juf, pupil.id, takes_part=False)
    assert names[tutor] in caught.value.message("nl")
    assert names[tutor] in caught.value.message("en")
    assert _pupil(db, world, "5A", tutee).takes_part is True


def test_role_and_motivation_are_saved_and_audited(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    daan, emma = _pupil(db, world, "5A", "0101"), _pupil(db, world, "5A", "0102")

    changed = save_details(db, world.juf, [DetailsEdit(daan.id, "geen", 5), DetailsEdit(emma.id, "tutee", 3)])

    assert changed == 1  # Emma was already a tutee with motivation 3
    after = _pupil(db, world, "5A", "0101")
    assert (after.role, after.motivation) == (Role.NONE, 5)
    assert _audited(factory, "pupil", daan.id) == 1
    assert _audited(factory, "pupil", emma.id) == 0
    save_details(db, world.juf, [DetailsEdit(daan.id, "", "")])
    assert (_pupil(db, world, "5A", "0101").role, _pupil(db, world, "5A", "0101").motivation) == (Role.OPEN, None)


@pytest.mark.parametrize(("role", "motivation"), [("leider", 3), ("tutor", 7), ("tutor", 2.5), ("tutor", "veel")])
def test_an_invalid_role_or_motivation_is_refused_with_the_pupil_named_and_nothing_is_stored(
    factory: sessionmaker[Session], role: str, motivation: object
) -> None:
    world = build_world(factory)
    db = Database(factory)
    daan, emma = _pupil(db, world, "5A", "0101"), _pupil(db, world, "5A", "0102")
    with pytest.raises(InvalidInputError) as caught:
        save_details(db, world.juf, [DetailsEdit(daan.id, "tutor", 1), DetailsEdit(emma.id, role, motivation)])
    assert "Emma Jansen" in caught.value.message("nl")
    assert str(role if role == "leider" else motivation) in caught.value.message("nl")
    assert "Er is niets opgeslagen" in caught.value.message("nl")
    assert (_pupil(db, world, "5A", "0101").role, _pupil(db, world, "5A", "0101").motivation) == (Role.TUTEE, 3)


def test_a_teacher_cannot_change_a_pupil_of_another_group_or_school_by_a_forged_id(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    db = Database(factory)
    sem = _pupil_pk(factory, world.school_id, "0201")  # 5B: meester's group, not juf's
    elsewhere = _pupil_pk(factory, world.other_school_id, "0101")  # the other school's pupil
    mine = _pupil(db, world, "5A", "0101")
    for forged in (sem, elsewhere):
        with pytest.raises(PermissionDeniedError):
            save_details(db, world.juf, [DetailsEdit(mine.id, "tutor", 2), DetailsEdit(forged, "tutor", 1)])
        with pytest.raises(PermissionDeniedError):
            mark_leaving(db, world.juf, forged, on=ON, today=ON)
        with pytest.raises(PermissionDeniedError):
            set_taking_part(db, world.juf, forged, takes_part=False)
        with pytest.raises(PermissionDeniedError):
            undo_leaving(db, world.juf, forged, today=ON)
    with pytest.raises(NotFoundError):
        save_details(db, world.juf, [DetailsEdit(999_999, "tutor", 1)])
    with pytest.raises(PermissionDeniedError):
        save_details(db, world.other_ib, [DetailsEdit(mine.id, "tutor", 1)])
    with unit_of_work(factory, read_only=True) as session:
        rows = {p.pupil_number: p for p in session.scalars(sa.select(PupilRow).where(PupilRow.id.in_(
            [sem, elsewhere, mine.id])))}  # fmt: skip
        assert all(p.left_on is None and p.takes_part and p.motivation == 3 for p in rows.values())
        assert rows["0101"].role in (Role.TUTEE, Role.OPEN)
    assert _pupil(db, world, "5A", "0101").role is Role.TUTEE  # the allowed edit in the same batch was not stored


def test_the_table_can_leave_a_pupil_out_but_not_one_with_an_active_pair(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    programme_id = _programme(factory, world)
    published = _published(db, world, programme_id)
    busy = _pupil(db, world, "5A", sorted(tutee for _, tutee in published)[0])
    with pytest.raises(InvalidInputError) as caught:
        save_details(db, world.juf, [DetailsEdit(busy.id, busy.role.value, busy.motivation, takes_part=False)])
    assert "lopend koppel" in caught.value.message("nl")
    assert _pupil(db, world, "5A", busy.pupil_number).takes_part is True
    liam = _pupil(db, world, "7B", "0401")  # in no programme: no pair
    assert save_details(db, world.ib, [DetailsEdit(liam.id, liam.role.value, 3, takes_part=False)]) == 1
    assert _pupil(db, world, "7B", "0401").takes_part is False
