"""The roster services: a preview is a dry run of the import, levels and programmes go through one transaction."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import World, backend, build_world, engine, factory, make_pupil, make_roster, row_count

from peermatch.errors import InvalidInputError, LevelError, PermissionDeniedError
from peermatch.model import Subject
from peermatch.programme import Moment, ProgrammeSpec
from peermatch.services import Database
from peermatch.services.levels import LevelEntry, group_levels, record_levels
from peermatch.services.programmes import delete_programme, list_programmes, programme_board, save_programme
from peermatch.services.pupils import list_groups, matcher_pupils
from peermatch.services.pupils import to_model_pupils as in_transaction
from peermatch.services.roster_import import commit_import, preview_import
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import AuditLog, Group, LevelMeasurementRow, PupilRow

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

OCTOBER, FEBRUARY = date(2025, 10, 1), date(2026, 2, 1)


def _rows(factory: sessionmaker[Session]) -> tuple[int, ...]:
    with unit_of_work(factory, read_only=True) as session:
        return tuple(row_count(session, table) for table in (PupilRow, Group, LevelMeasurementRow, AuditLog))


def test_a_preview_tells_what_the_import_will_do_and_stores_nothing(factory: sessionmaker[Session]) -> None:
    world = build_world(factory, measured_on=OCTOBER)
    db = Database(factory)
    roster = make_roster(
        make_pupil("0101", "Daan", "5A", reading="M4", maths="E4", last_name="Bakker"),
        make_pupil("0901", "Nieuw", "6A"),
    )
    before = _rows(factory)
    preview = preview_import(db, world.ib, roster, measured_on=FEBRUARY)
    assert _rows(factory) == before
    report = commit_import(db, world.ib, roster, measured_on=FEBRUARY)
    assert preview == report
    assert (report.pupils_created, report.pupils_updated, report.groups_created) == (1, 1, ("6A",))


def test_a_preview_refuses_what_the_import_would_refuse(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with pytest.raises(PermissionDeniedError):
        preview_import(Database(factory), world.juf, make_roster(make_pupil("0701", "Finn", "6C")), measured_on=OCTOBER)


def test_the_matcher_pupils_of_the_service_are_those_of_the_repository(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    wanted = [world.groups["5A"], world.groups["7A"]]
    with unit_of_work(factory) as session:
        stored = in_transaction(session, world.juf, world.school_id, wanted)
    assert matcher_pupils(Database(factory), world.juf, wanted) == stored
    assert [g.name for g in list_groups(Database(factory), world.juf)] == ["5A", "7A"]


def test_typed_levels_are_new_measurements_all_or_nothing(factory: sessionmaker[Session]) -> None:
    world = build_world(factory, measured_on=OCTOBER)
    db = Database(factory)
    (daan, emma) = group_levels(db, world.juf, world.groups["5A"])
    assert (daan.pupil.display_name, daan.code(Subject.LEZEN)) == ("Daan Jansen", "E3")
    before = _rows(factory)[2]
    bad = [LevelEntry(daan.pupil.id, Subject.LEZEN, "E7"), LevelEntry(emma.pupil.id, Subject.LEZEN, "M8")]
    with pytest.raises(LevelError):
        record_levels(db, world.juf, bad, measured_on=FEBRUARY)
    assert _rows(factory)[2] == before
    assert record_levels(db, world.juf, bad[:1], measured_on=FEBRUARY) == 1
    assert group_levels(db, world.juf, world.groups["5A"])[0].code(Subject.LEZEN) == "E7"


def _spec(world: World, **changes: object) -> ProgrammeSpec:
    spec = ProgrammeSpec("Lezen 7A-5A", Subject.LEZEN, (world.groups["7A"],), (world.groups["5A"],),
                         moments=(Moment(7, time(10), time(10, 30)),))  # fmt: skip
    return ProgrammeSpec(**{**spec.__dict__, **changes})


def test_a_programme_is_checked_saved_listed_and_deleted(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    with pytest.raises(InvalidInputError):
        save_programme(db, world.juf, None, _spec(world, moments=(Moment(0, time(10), time(11)),)))
    created = save_programme(db, world.juf, None, _spec(world))
    assert created.spec.moments == (Moment(7, time(10), time(10, 30)),)  # Sunday: ISO weekdays 1-7
    changed = save_programme(db, world.juf, created.id, _spec(world, weeks=12))
    assert (changed.id, changed.spec.weeks) == (created.id, 12)
    board = programme_board(db, world.juf)
    assert ([g.name for g in board.groups], board.programmes) == (["5A", "7A"], (changed,))
    delete_programme(db, world.juf, created.id)
    assert list_programmes(db, world.ib) == []
    with unit_of_work(factory, read_only=True) as session:
        assert session.scalar(sa.select(sa.func.count()).where(AuditLog.entity == "programme")) == 3
