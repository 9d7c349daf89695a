"""The level-import service: level files for stored pupils, previewed, then stored all or nothing, dated."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, build_world, engine, factory, row_count

from peermatch.errors import RosterInvalidError
from peermatch.model import Subject
from peermatch.roster.levels_file import read_level_file
from peermatch.services import Database
from peermatch.services.level_import import commit_levels, preview_levels
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import LevelMeasurementRow, PupilRow

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

CHOSEN = date(2026, 3, 2)
ROUNDS = (
    b"Leerlingnummer;Toets;Niveau;Afnamedatum\n"
    b"0101;AVI;M4;20-01-2026\n"
    b"0101;AVI;E3;16-06-2025\n"
    b"0301;Rekenen-Wiskunde;E7;21-01-2026\n"
)


def _levels(factory: sessionmaker[Session], number: str) -> list[tuple[Subject, str, date]]:
    with unit_of_work(factory, read_only=True) as session:
        rows = session.execute(
            sa.select(LevelMeasurementRow.subject, LevelMeasurementRow.code, LevelMeasurementRow.measured_on)
            .join(PupilRow, PupilRow.id == LevelMeasurementRow.pupil_id)
            .where(PupilRow.pupil_number == number, LevelMeasurementRow.source.like("%lvs.csv%"))
            .order_by(LevelMeasurementRow.measured_on)
        )
        return [(s, c, d) for s, c, d in rows]


def _count(factory: sessionmaker[Session]) -> int:
    with unit_of_work(factory, read_only=True) as session:
        return row_count(session, LevelMeasurementRow)


def test_a_preview_tells_what_commit_stores_and_stores_nothing(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db, files = Database(factory), [read_level_file(ROUNDS, filename="lvs.csv")]
    before = _count(factory)
    preview = preview_levels(db, world.ib, files, measured_on=CHOSEN)
    assert _count(factory) == before
    assert (preview.added, preview.pupils, preview.ok) == (3, 2, True)
    done = commit_levels(db, world.ib, files, measured_on=CHOSEN)
    assert (done.added, done.changed, done.pupils) == (preview.added, preview.changed, preview.pupils)
    assert _count(factory) == before + 3
    assert _levels(factory, "0101") == [
        (Subject.LEZEN, "E3", date(2025, 6, 16)),
        (Subject.LEZEN, "M4", date(2026, 1, 20)),
    ]


def test_a_file_without_dates_is_stored_on_the_chosen_date_and_twice_changes_nothing(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    db, files = Database(factory), [read_level_file(b"Leerlingnummer;AVI\n0201;E3\n", filename="lvs.csv")]
    commit_levels(db, world.ib, files, measured_on=CHOSEN)
    assert _levels(factory, "0201") == [(Subject.LEZEN, "E3", CHOSEN)]
    again = commit_levels(db, world.ib, files, measured_on=CHOSEN)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 1)


def test_one_unmatched_row_stores_nothing_and_is_named(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)
    db = Database(factory)
    files = [read_level_file(b"Leerlingnummer;AVI\n0101;E5\n7777;M4\n", filename="lvs.csv")]
    before = _count(factory)
    preview = preview_levels(db, world.ib, files, measured_on=CHOSEN)
    assert [(p.code, p.row, p.value) for p in preview.errors] == [("levelfile.match.unknown_number", 3, "7777")]
    with pytest.raises(RosterInvalidError) as caught:
        commit_levels(db, world.ib, files, measured_on=CHOSEN)
    assert caught.value.problems[0].value == "7777"
    assert _count(factory) == before


def test_a_teacher_matches_only_the_pupils_of_her_own_groups(factory: sessionmaker[Session]) -> None:
    world = build_world(factory)  # juf: 5A and 7A; 0201 is in 5B
    files = [read_level_file(b"Leerlingnummer;AVI\n0101;E5\n0201;M4\n", filename="lvs.csv")]
    preview = preview_levels(Database(factory), world.juf, files, measured_on=CHOSEN)
    assert [(p.row, p.value) for p in preview.errors] == [(3, "0201")]
