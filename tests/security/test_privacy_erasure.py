"""Findings (issue 11): ``delete_pupil`` and ``delete_school`` were reachable from no page or command, and a
teacher could delete her own programme and with it every check-in, worry and evaluation. Now the beheerder
and the IB'er erase a pupil (the beheerder a school) after typing the name, from the app's service and from
the command line; a programme with pupil data is refused for all but the beheerder. Every row that hung from
the pupil is gone, found through the models' metadata (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import time

import privacy_world  # noqa: F401  (tests/unit on the path)
import pytest
import sqlalchemy as sa
from privacy_world import SESSION_DAY, WORRY, busy_tutoring, rows_hanging_from, rows_still_there
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory, row_count
from tutoring_world import START, Tutoring, cheap_argon2

from peermatch.cli import main
from peermatch.errors import InvalidInputError, PermissionDeniedError
from peermatch.model import Subject
from peermatch.services import Database
from peermatch.services.privacy import delete_pupil, delete_school
from peermatch.services.programmes import delete_programme
from peermatch.storage import runs
from peermatch.storage.engine import ENV_VAR, unit_of_work
from peermatch.storage.models import (
    AuditLog,
    Base,
    CheckInRow,
    OutcomeAnswerRow,
    PairRow,
    Programme,
    PupilRow,
    School,
)
from peermatch.storage.programmes import Moment, ProgrammeSpec, create_programme

__all__ = ["backend", "cheap_argon2", "engine", "factory"]


def _about(factory: sessionmaker[Session], pupil_id: int) -> dict[str, set[tuple[object, ...]]]:
    with unit_of_work(factory, read_only=True) as session:
        return rows_hanging_from(session, "pupils", {pupil_id})


def _left(factory: sessionmaker[Session], rows: dict[str, set[tuple[object, ...]]]) -> dict[str, int]:
    with unit_of_work(factory, read_only=True) as session:
        return rows_still_there(session, rows)


@pytest.mark.usefixtures("cheap_argon2")
def test_the_ib_erases_a_pupil_and_every_row_about_them_after_typing_the_name(factory: sessionmaker[Session]) -> None:
    tutoring = busy_tutoring(factory)
    db, world, noor = Database(factory), tutoring.world, tutoring.pupils["Noor"]
    about = _about(factory, noor)
    assert {"pairs", "checkins", "evaluation_talks", "level_measurements", "pupil_credentials", "not_with",
            "outcome_answers"} <= set(about)  # fmt: skip
    assert len(about["outcome_answers"]) == 2  # Noor's own "voor" and her tutee's, in her pair

    with pytest.raises(PermissionDeniedError):
        delete_pupil(db, world.juf, noor, "Noor Jansen")  # a leerkracht may not, even of her own group
    with pytest.raises(InvalidInputError) as refused:
        delete_pupil(db, world.ib, noor, "Noor")  # not the full name
    assert "Noor" in refused.value.message("nl")
    assert _left(factory, about) == {k: len(v) for k, v in about.items()}  # nothing went

    delete_pupil(db, world.ib, noor, "  noor   JANSEN ")
    assert _left(factory, about) == {}
    with unit_of_work(factory, read_only=True) as session:
        assert session.get(PupilRow, noor) is None
        assert row_count(session, PupilRow) == 6  # the others stay: 5 here and 1 in the other school
        entry = session.execute(
            sa.select(AuditLog.entity_id, AuditLog.user_id, AuditLog.detail).where(
                AuditLog.action == "delete", AuditLog.entity == "pupil"
            )
        ).one()
    assert tuple(entry) == (str(noor), world.ib.id, "checkins=1 pairs=1 outcomes=2 app")


@pytest.mark.usefixtures("cheap_argon2")
def test_the_command_line_erases_a_pupil_and_a_school(
    factory: sessionmaker[Session], engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tutoring = busy_tutoring(factory)
    world = tutoring.world
    monkeypatch.setenv(ENV_VAR, engine.url.render_as_string(hide_password=False))
    about = _about(factory, tutoring.pupils["Liam"])

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["delete-pupil", "--school", "OBS Test", "0401"]) == 1  # no terminal, no --yes: refused
    assert "--yes" in capsys.readouterr().err
    assert main(["delete-pupil", "--school", "OBS Test", "9999", "--yes"]) == 1
    assert main(["delete-pupil", "--school", "OBS Test", "0401", "--yes"]) == 0
    assert _left(factory, about) == {}

    assert main(["delete-school", "OBS Test", "--yes"]) == 0
    with unit_of_work(factory, read_only=True) as session:
        assert [s.name for s in session.scalars(sa.select(School))] == ["OBS Elders"]
        for table in Base.metadata.sorted_tables:  # nothing of the school is left, in any table with a school_id
            if "school_id" in table.c:
                left = session.scalar(sa.select(sa.func.count()).where(table.c.school_id == world.school_id))
                assert left == 0, table.name
        assert row_count(session, PupilRow) == 1  # the other school's pupil


@pytest.mark.usefixtures("cheap_argon2")
def test_the_beheerder_erases_the_school_only_with_its_name(factory: sessionmaker[Session]) -> None:
    tutoring = busy_tutoring(factory)
    db, world = Database(factory), tutoring.world
    with pytest.raises(PermissionDeniedError):
        delete_school(db, world.ib, "OBS Test")
    with pytest.raises(InvalidInputError):
        delete_school(db, world.beheerder, "OBS Elders")  # another school's name
    delete_school(db, world.beheerder, "obs test")
    with unit_of_work(factory, read_only=True) as session:
        assert session.get(School, world.school_id) is None
        assert session.get(School, world.other_school_id) is not None


def _own_programme(factory: sessionmaker[Session], tutoring: Tutoring) -> int:
    """A maths programme of the juf's own groups (7A tutors 5A), published, with one check-in and the tutor's
    "voor" of the before/after scale."""
    world, g = tutoring.world, tutoring.world.groups
    with unit_of_work(factory) as session:
        spec = ProgrammeSpec(name="Rekenmaatjes", subject=Subject.REKENEN, tutor_group_ids=(g["7A"],),
                             tutee_group_ids=(g["5A"],), moments=(Moment(4, time(10), time(10, 30)),),
                             start_date=START, weeks=10, sessions_per_week=1, minutes_per_session=20)  # fmt: skip
        programme = create_programme(session, world.juf, world.school_id, spec)
        run = runs.save_run(session, world.juf, programme.id, [runs.PairDraft("0301", "0101")], rules={})
        runs.publish_run(session, world.juf, run.id, on=START)
        pair = session.scalars(sa.select(PairRow).where(PairRow.run_id == run.id)).one()
        session.add(CheckInRow(school_id=world.school_id, submission_id=str(uuid.uuid4()), pair_id=pair.id,
                               tutor_id=pair.tutor_id, tutee_id=pair.tutee_id, session_date=SESSION_DAY,
                               status="held", minutes=20, worry=True, worry_text=WORRY))  # fmt: skip
        session.add(OutcomeAnswerRow(school_id=world.school_id, pair_id=pair.id, pupil_id=pair.tutor_id, side="tutor",
                                     moment="voor", subject="rekenen", confidence=4, pleasure=4, courage=3,
                                     answered_on=SESSION_DAY))  # fmt: skip
        return programme.id


@pytest.mark.usefixtures("cheap_argon2")
def test_a_programme_with_check_ins_is_refused_for_a_teacher_and_the_ib(factory: sessionmaker[Session]) -> None:
    tutoring = busy_tutoring(factory)
    db, world = Database(factory), tutoring.world
    own = _own_programme(factory, tutoring)
    for actor, programme_id in ((world.juf, own), (world.ib, tutoring.programme_id)):
        with pytest.raises(PermissionDeniedError) as refused:
            delete_programme(db, actor, programme_id)
        assert "alleen de beheerder" in refused.value.message("nl").lower()
    with pytest.raises(InvalidInputError):
        delete_programme(db, world.beheerder, own)  # no name typed
    with unit_of_work(factory, read_only=True) as session:
        assert row_count(session, CheckInRow) == 4
    delete_programme(db, world.beheerder, own, confirm_name="rekenmaatjes")
    with unit_of_work(factory, read_only=True) as session:
        assert row_count(session, Programme) == 1
        assert row_count(session, CheckInRow) == 3  # the other programme's stay
        assert row_count(session, OutcomeAnswerRow) == 2  # the other programme's scale answers stay
        detail = session.scalar(
            sa.select(AuditLog.detail).where(AuditLog.entity == "programme", AuditLog.action == "delete")
        )
    assert detail == "rows=3"  # one published pair, one check-in, one scale answer: counted, not copied
