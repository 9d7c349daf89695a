"""Who may see and change what: a leerkracht their own groups, ib and beheerder their school, nobody another school."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, build_world, engine, factory

from peermatch.errors import NotFoundError, PermissionDeniedError
from peermatch.levels import parse_reading
from peermatch.model import Subject
from peermatch.services.pupils import to_model_pupils
from peermatch.storage import audit
from peermatch.storage.engine import unit_of_work
from peermatch.storage.measurements import add_measurement, latest_levels, level_history
from peermatch.storage.models import AuditLog, PupilRow
from peermatch.storage.programmes import ProgrammeSpec, create_programme, get_programme, list_programmes
from peermatch.storage.pupils import delete_pupil, get_pupil, list_groups, list_pupils

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below


def _pupil_id(session: Session, school_id: int, number: str) -> int:
    found = session.scalar(
        sa.select(PupilRow.id).where(PupilRow.school_id == school_id, PupilRow.pupil_number == number)
    )
    assert found is not None
    return found


def test_a_leerkracht_sees_only_their_own_groups(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        assert [g.name for g in list_groups(session, world.juf, world.school_id)] == ["5A", "7A"]
        assert [g.name for g in list_groups(session, world.meester, world.school_id)] == ["5B", "7B"]
        assert [p.first_name for p in list_pupils(session, world.juf, world.groups["5A"])] == ["Daan", "Emma"]


def test_a_leerkracht_cannot_read_another_teachers_group_or_pupil(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        sem = _pupil_id(session, world.school_id, "0201")  # in 5B
        with pytest.raises(PermissionDeniedError) as caught:
            list_pupils(session, world.juf, world.groups["5B"])
        assert "5B" in caught.value.message("nl")
        assert "5B" in caught.value.message("en")
        for read in (get_pupil, latest_levels, level_history):
            with pytest.raises(PermissionDeniedError):
                read(session, world.juf, sem)
        with pytest.raises(PermissionDeniedError):
            to_model_pupils(session, world.juf, world.school_id, [world.groups["5B"]])


def test_a_leerkracht_cannot_change_another_teachers_pupil(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        sem = _pupil_id(session, world.school_id, "0201")
        with pytest.raises(PermissionDeniedError):
            add_measurement(session, world.juf, sem, parse_reading("E5"), measured_on=date(2026, 2, 1))
        with pytest.raises(PermissionDeniedError):
            delete_pupil(session, world.juf, sem)
        assert len(level_history(session, world.meester, sem, Subject.LEZEN)) == 1


def test_without_groups_asked_a_leerkracht_gets_only_their_own_pupils_for_the_matcher(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        assert [p.pupil_id for p in to_model_pupils(session, world.juf, world.school_id)] == [
            "0101", "0102", "0301", "0302",
        ]  # fmt: skip
        assert len(to_model_pupils(session, world.ib, world.school_id)) == 6


def test_nobody_sees_another_school(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        elsewhere = _pupil_id(session, world.other_school_id, "0101")
        for actor in (world.juf, world.ib, world.beheerder):
            with pytest.raises(PermissionDeniedError) as caught:
                list_groups(session, actor, world.other_school_id)
            assert caught.value.problems[0].code == "auth.denied.school"
            with pytest.raises(PermissionDeniedError):
                list_pupils(session, actor, world.other_group_id)
            with pytest.raises(PermissionDeniedError):
                get_pupil(session, actor, elsewhere)
            with pytest.raises(PermissionDeniedError):
                to_model_pupils(session, actor, world.other_school_id)
        with pytest.raises(PermissionDeniedError):
            list_pupils(session, world.other_ib, world.groups["5A"])


def test_ib_and_beheerder_see_the_whole_school(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        for actor in (world.ib, world.beheerder):
            assert [g.name for g in list_groups(session, actor, world.school_id)] == ["5A", "5B", "7A", "7B"]
            for group_id in world.groups.values():
                assert list_pupils(session, actor, group_id)


def test_a_pupil_that_does_not_exist_is_not_found(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session, pytest.raises(NotFoundError) as caught:
        get_pupil(session, world.ib, 999_999)
    assert "999999" in caught.value.message("en")


def test_a_leerkracht_uses_a_programme_only_when_every_group_in_it_is_theirs(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    own = ProgrammeSpec("Lezen 7A-5A", Subject.LEZEN, (world.groups["7A"],), (world.groups["5A"],))
    mixed = ProgrammeSpec("Lezen 7A-5B", Subject.LEZEN, (world.groups["7A"],), (world.groups["5B"],))
    with unit_of_work(factory) as session:
        mine = create_programme(session, world.juf, world.school_id, own)
        with pytest.raises(PermissionDeniedError):
            create_programme(session, world.juf, world.school_id, mixed)
        school_wide = create_programme(session, world.ib, world.school_id, mixed)
        assert [p.spec.name for p in list_programmes(session, world.juf, world.school_id)] == ["Lezen 7A-5A"]
        assert len(list_programmes(session, world.ib, world.school_id)) == 2
        assert get_programme(session, world.juf, mine.id).spec == own
        with pytest.raises(PermissionDeniedError):
            get_programme(session, world.juf, school_wide.id)
        with pytest.raises(PermissionDeniedError):
            get_programme(session, world.other_ib, mine.id)


def test_every_view_and_export_lands_in_the_audit_log_without_names(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    with unit_of_work(factory) as session:
        noor = _pupil_id(session, world.school_id, "0301")
        get_pupil(session, world.juf, noor)
        audit.record_export(session, world.juf, "group", world.groups["7A"])
    with unit_of_work(factory) as session:
        entries = audit.list_audit(session, world.ib)
        mine = [(e.username, e.action, e.entity, e.entity_id) for e in entries if e.username == "juf"]
        assert mine == [("juf", "export", "group", str(world.groups["7A"])), ("juf", "view", "pupil", str(noor))]
        with pytest.raises(PermissionDeniedError):
            audit.list_audit(session, world.juf)
        stored = " ".join(f"{e.action} {e.entity} {e.entity_id}" for e in session.scalars(sa.select(AuditLog)))
        assert "Noor" not in stored
