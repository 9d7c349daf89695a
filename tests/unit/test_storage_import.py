"""Storing a roster: all or nothing, a history of levels, and back to model.Pupil for the matcher."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import WORLD_ROSTER, backend, build_world, engine, factory, make_pupil, make_roster, row_count

from peermatch import model
from peermatch.errors import PermissionDeniedError, Problem, RosterInvalidError
from peermatch.levels import parse_reading
from peermatch.model import Role, Subject
from peermatch.services import Database
from peermatch.services.pupils import to_model_pupils
from peermatch.services.roster_import import commit_import
from peermatch.storage import importing
from peermatch.storage.engine import unit_of_work
from peermatch.storage.enums import Scale
from peermatch.storage.measurements import add_measurement, latest_levels, level_history
from peermatch.storage.models import AuditLog, Group, LevelMeasurementRow, NotWith, PupilRow, School
from peermatch.storage.pupils import list_groups, list_pupils

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

OCTOBER, FEBRUARY = date(2025, 10, 1), date(2026, 2, 1)


def _pupil_id(session: Session, school_id: int, number: str) -> int:
    found = session.scalar(
        sa.select(PupilRow.id).where(PupilRow.school_id == school_id, PupilRow.pupil_number == number)
    )
    assert found is not None
    return found


def test_an_import_creates_groups_pupils_levels_and_not_with_pairs(factory: sessionmaker[Session]) -> None:
    world = build_world(factory, measured_on=OCTOBER)
    with unit_of_work(factory, read_only=True) as session:
        assert sorted(session.scalars(sa.select(Group.name).where(Group.school_id == world.school_id))) == [
            "5A", "5B", "7A", "7B",
        ]  # fmt: skip
        assert session.scalar(sa.select(Group.grade).where(Group.id == world.groups["7A"])) == 7
        assert session.scalar(sa.select(sa.func.count()).where(PupilRow.school_id == world.school_id)) == 6
        assert session.scalar(sa.select(sa.func.count()).where(LevelMeasurementRow.school_id == world.school_id)) == 12
        assert row_count(session, NotWith) == 1
        noor = session.get(PupilRow, _pupil_id(session, world.school_id, "0301"))
        assert noor is not None
        assert (noor.first_name, noor.role, noor.motivation, noor.birth_date) == (
            "Noor",
            Role.TUTOR,
            3,
            date(2014, 1, 1),
        )


def test_a_roster_with_errors_is_refused_and_nothing_is_stored(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    broken = model.Roster(
        pupils=(make_pupil("0999", "Nieuw", "6A"),), problems=(Problem("levels.avi_no_8", row=3, value="M8"),)
    )
    with pytest.raises(RosterInvalidError) as caught:
        commit_import(Database(factory), world.ib, broken, measured_on=OCTOBER)
    with unit_of_work(factory) as session:
        assert caught.value.problems[0].code == "levels.avi_no_8"
        assert session.scalar(sa.select(PupilRow).where(PupilRow.pupil_number == "0999")) is None


def test_an_import_that_fails_half_way_writes_nothing_at_all(
    factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(factory)
    roster = make_roster(*(make_pupil(f"1{n:03d}", f"Kind{n}", "6A") for n in range(30)))
    real_flush = Session.flush
    written_when_it_broke: list[int] = []

    def flush_that_breaks_at_the_levels(self: Session, *args: Any, **kwargs: Any) -> None:
        if any(isinstance(row, LevelMeasurementRow) for row in self.new):
            with self.no_autoflush:
                written_when_it_broke.append(
                    self.scalar(sa.select(sa.func.count()).where(PupilRow.pupil_number.like("1%"))) or 0
                )
            raise RuntimeError("disk full")
        real_flush(self, *args, **kwargs)

    with unit_of_work(factory) as session:
        session.add(School(name="OBS Eerder in dezelfde transactie"))
        session.flush()
        monkeypatch.setattr(Session, "flush", flush_that_breaks_at_the_levels)
        with pytest.raises(RuntimeError, match="disk full"):
            importing.import_roster(session, world.school_id, roster, measured_on=OCTOBER, actor=world.ib)
        monkeypatch.undo()
        assert written_when_it_broke == [30]  # half-way: the group and all 30 pupils were already written
        # the caller may go on: the import is gone, the caller's own earlier work is kept
        assert session.scalar(sa.select(sa.func.count()).where(PupilRow.pupil_number.like("1%"))) == 0
        assert session.scalar(sa.select(Group).where(Group.name == "6A")) is None
    with unit_of_work(factory, read_only=True) as session:
        assert session.scalar(sa.select(sa.func.count()).where(PupilRow.pupil_number.like("1%"))) == 0
        assert session.scalar(sa.select(sa.func.count()).where(AuditLog.action == "import")) == 2  # the world's two
        assert session.scalar(sa.select(School).where(School.name == "OBS Eerder in dezelfde transactie")) is not None


def test_a_reimport_of_a_later_export_adds_a_dated_measurement_and_keeps_the_history(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory, measured_on=OCTOBER)
    later = make_roster(
        make_pupil("0101", "Daan", "5A", reading="M4", maths="E4", role=Role.TUTEE, birth_date=date(2016, 5, 1)),
        source="export-februari.csv",
    )
    with unit_of_work(factory) as session:
        report = importing.import_roster(session, world.school_id, later, measured_on=FEBRUARY, actor=world.ib)
    assert (report.pupils_created, report.pupils_updated, report.pupils_unchanged) == (0, 0, 1)
    assert (report.measurements_added, report.measurements_changed) == (2, 0)
    with unit_of_work(factory) as session:
        daan = _pupil_id(session, world.school_id, "0101")
        history = level_history(session, world.ib, daan, Subject.LEZEN)
        assert [(m.measured_on, m.code, m.source) for m in history] == [
            (OCTOBER, "E3", "klas.csv"), (FEBRUARY, "M4", "export-februari.csv"),
        ]  # fmt: skip
        assert latest_levels(session, world.ib, daan)[Subject.REKENEN].code == "E4"


def test_a_reimport_updates_names_and_moves_a_pupil_to_another_group(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    moved = make_roster(make_pupil("0201", "Sem", "5A", reading="M3", maths="M4", role=Role.TUTEE, last_name="Bakker",
                                   birth_date=date(2016, 7, 1)))  # fmt: skip
    with unit_of_work(factory) as session:
        report = importing.import_roster(session, world.school_id, moved, measured_on=OCTOBER, actor=world.ib)
        assert report.pupils_updated == 1
        assert report.measurements_added == 0  # same date, same levels: nothing new
        sem = session.get(PupilRow, _pupil_id(session, world.school_id, "0201"))
        assert sem is not None
        assert (sem.last_name, sem.group_id) == ("Bakker", world.groups["5A"])


def test_importing_the_same_file_twice_changes_nothing(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        report = importing.import_roster(
            session, world.school_id, make_roster(*WORLD_ROSTER), measured_on=date(2025, 10, 1), actor=world.ib
        )
    assert (report.pupils_created, report.pupils_updated, report.pupils_unchanged) == (0, 0, 6)
    assert (report.measurements_added, report.measurements_changed, report.not_with_added) == (0, 0, 0)
    assert report.groups_created == ()


def test_a_corrected_file_on_the_same_date_replaces_that_days_measurement(factory: sessionmaker[Session]) -> None:
    world = build_world(factory, measured_on=OCTOBER)
    corrected = make_roster(make_pupil("0101", "Daan", "5A", reading="M4", maths="M4", role=Role.TUTEE,
                                       birth_date=date(2016, 5, 1)))  # fmt: skip
    with unit_of_work(factory) as session:
        report = importing.import_roster(session, world.school_id, corrected, measured_on=OCTOBER, actor=world.ib)
        assert (report.measurements_added, report.measurements_changed) == (0, 1)
        history = level_history(session, world.ib, _pupil_id(session, world.school_id, "0101"), Subject.LEZEN)
        assert [(m.measured_on, m.code) for m in history] == [(OCTOBER, "M4")]


def test_not_with_pairs_to_pupils_that_do_not_exist_are_reported_not_stored(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    roster = make_roster(make_pupil("0501", "Mila", "5A", not_with=("0101", "9999")))
    with unit_of_work(factory) as session:
        report = importing.import_roster(session, world.school_id, roster, measured_on=OCTOBER, actor=world.ib)
    assert report.not_with_added == 1
    assert report.unresolved_not_with == (("0501", "9999"),)


def test_a_value_too_long_for_the_database_refuses_the_whole_roster(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    roster = make_roster(make_pupil("0601", "Kort", "6A"), make_pupil("0602", "L" * 101, "6A"))
    with unit_of_work(factory) as session:
        with pytest.raises(RosterInvalidError) as caught:
            importing.import_roster(session, world.school_id, roster, measured_on=OCTOBER, actor=world.ib)
        problem = caught.value.problems[0]
        assert (problem.code, problem.column) == ("storage.import.too_long", "first_name")
        assert "100" in problem.message("nl")
        assert session.scalar(sa.select(PupilRow).where(PupilRow.pupil_number == "0601")) is None


def test_a_leerkracht_imports_only_into_their_own_groups(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    own = make_roster(make_pupil("0103", "Aya", "5A"))
    other = make_roster(make_pupil("0202", "Bram", "5B"))
    new_group = make_roster(make_pupil("0701", "Finn", "6C"))
    steal = make_roster(make_pupil("0201", "Sem", "5A"))  # Sem is in 5B, meester's group
    with unit_of_work(factory) as session:
        assert (
            importing.import_roster(session, world.school_id, own, measured_on=OCTOBER, actor=world.juf).pupils_created
            == 1
        )
        for roster in (other, new_group, steal):
            with pytest.raises(PermissionDeniedError):
                importing.import_roster(session, world.school_id, roster, measured_on=OCTOBER, actor=world.juf)
        with pytest.raises(PermissionDeniedError):
            importing.import_roster(session, world.other_school_id, own, measured_on=OCTOBER, actor=world.juf)
        sem = session.get(PupilRow, _pupil_id(session, world.school_id, "0201"))
        assert sem is not None
        assert sem.group_id == world.groups["5B"]


def test_stored_pupils_come_back_as_model_pupils_with_their_latest_levels(factory: sessionmaker[Session]) -> None:
    world = build_world(factory, measured_on=OCTOBER)
    with unit_of_work(factory) as session:
        daan = _pupil_id(session, world.school_id, "0101")
        add_measurement(session, world.ib, daan, parse_reading("AVI 6"), measured_on=FEBRUARY, source="toets")
        pupils = to_model_pupils(session, world.ib, world.school_id, [world.groups["5A"], world.groups["7A"]])
    assert [p.pupil_id for p in pupils] == ["0101", "0102", "0301", "0302"]
    by_id = {p.pupil_id: p for p in pupils}
    daan_model = by_id["0101"]
    assert daan_model.reading is not None
    assert (daan_model.reading.code, daan_model.reading.converted, daan_model.reading.low, daan_model.reading.high) == (
        "AVI 6 (oud)", True, 4.0, 6.0,
    )  # fmt: skip
    assert daan_model.maths is not None
    assert daan_model.maths.code == "M4"
    assert (daan_model.group, daan_model.grade, daan_model.role) == ("5A", 5, Role.TUTEE)
    assert by_id["0301"].not_with == frozenset({"0102"})
    assert by_id["0102"].not_with == frozenset({"0301"})
    assert by_id["0302"].display_name == "Fatima Jansen"


def test_an_old_avi_level_is_stored_on_the_old_scale(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        importing.import_roster(session, world.school_id, make_roster(make_pupil("0801", "Oud", "5A", reading="AVI 5")),
                                measured_on=OCTOBER, actor=world.ib)  # fmt: skip
        stored = session.scalar(
            sa.select(LevelMeasurementRow)
            .join(PupilRow)
            .where(PupilRow.pupil_number == "0801", LevelMeasurementRow.subject == Subject.LEZEN)
        )
        assert stored is not None
        assert (stored.scale, stored.index_low, stored.index_high, stored.written) == (Scale.AVI_OLD, 3.0, 5.0, "AVI 5")


def test_group_lists_count_active_pupils_and_pupil_lists_are_audited(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        counts = {g.name: g.pupil_count for g in list_groups(session, world.ib, world.school_id)}
        assert counts == {"5A": 2, "5B": 1, "7A": 2, "7B": 1}
        names = [p.display_name for p in list_pupils(session, world.ib, world.groups["7A"])]
        assert names == ["Fatima Jansen", "Noor Jansen"]
    with unit_of_work(factory, read_only=True) as session:
        entry = session.scalars(sa.select(AuditLog).where(AuditLog.action == "view")).one()
        assert (entry.user_id, entry.entity, entry.entity_id) == (world.ib.id, "group", str(world.groups["7A"]))
