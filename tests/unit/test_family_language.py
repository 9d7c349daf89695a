"""The parent letter's stored settings on SQLite and PostgreSQL (``services.letters`` on ``storage.letter_store``):
the family's language per pupil (set once, read back, scoped by group, audited, unknown codes refused), the school's
contact line (the schoolyard line until set, beheerder and ib only, one way to reach the school needed, audited),
the retention the letter prints, and migration 0017 on a database that already holds pupils."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import World, backend, build_world, db_url, engine, factory, insert_pupils_0001

from peermatch.errors import InvalidInputError, PermissionDeniedError
from peermatch.retention import Retention
from peermatch.services import Database, letters, privacy
from peermatch.storage import migrate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.models import AuditLog, PupilRow, School

__all__ = ["backend", "db_url", "engine", "factory"]  # fixtures used by the tests below


@pytest.fixture
def world(factory: sessionmaker[Session]) -> World:
    return build_world(factory)


def _pupils(factory: sessionmaker[Session], school_id: int) -> dict[str, int]:
    with unit_of_work(factory, read_only=True) as session:
        rows = session.execute(sa.select(PupilRow.first_name, PupilRow.id).where(PupilRow.school_id == school_id))
        return {name: pk for name, pk in rows}


def _audit(factory: sessionmaker[Session], entity: str) -> list[tuple[str | None, str | None]]:
    with unit_of_work(factory, read_only=True) as session:
        query = sa.select(AuditLog.entity_id, AuditLog.detail).where(AuditLog.entity == entity).order_by(AuditLog.id)
        return [(e, d) for e, d in session.execute(query)]


def test_a_family_s_language_is_stored_once_and_read_back(factory: sessionmaker[Session], world: World) -> None:
    db, pupils = Database(factory), _pupils(factory, world.school_id)
    ids: list[int | str] = [pupils["Daan"], str(pupils["Noor"])]
    assert letters.family_languages(db, world.ib, ids) == {str(pupils["Daan"]): "nl", str(pupils["Noor"]): "nl"}
    letters.set_family_language(db, world.juf, pupils["Daan"], "tr")  # juf teaches 5A: Daan's group
    letters.set_family_language(db, world.ib, str(pupils["Noor"]), "ar")
    assert letters.family_languages(db, world.ib, ids) == {str(pupils["Daan"]): "tr", str(pupils["Noor"]): "ar"}
    letters.set_family_language(db, world.ib, pupils["Daan"], "tr")  # the same again: nothing changes
    letters.set_family_language(db, world.ib, pupils["Noor"], "nl")  # back to Dutch: stored as no choice
    with unit_of_work(factory, read_only=True) as session:
        assert session.get(PupilRow, pupils["Noor"]).family_language is None  # type: ignore[union-attr]
    assert _audit(factory, "family_language") == [
        (str(pupils["Daan"]), "tr"), (str(pupils["Noor"]), "ar"), (str(pupils["Noor"]), ""),
    ]  # fmt: skip


def test_a_family_s_language_is_refused_outside_the_actor_s_groups_and_for_an_unknown_code(
    factory: sessionmaker[Session], world: World
) -> None:
    db, pupils = Database(factory), _pupils(factory, world.school_id)
    with pytest.raises(PermissionDeniedError):
        letters.set_family_language(db, world.juf, pupils["Sem"], "pl")  # Sem is in 5B, the meester's group
    assert letters.family_languages(db, world.juf, [pupils["Sem"], pupils["Daan"]]) == {str(pupils["Daan"]): "nl"}
    with pytest.raises(InvalidInputError) as caught:
        letters.set_family_language(db, world.ib, pupils["Sem"], "de")
    assert caught.value.message("nl") == "Er is geen brief in de taal 'de'. Kies nl, en, tr, ar of pl."
    with pytest.raises(InvalidInputError) as bad_id:
        letters.set_family_language(db, world.ib, "x12", "tr")
    assert bad_id.value.message("en") == "'x12' is not a pupil."
    other = _pupils(factory, world.other_school_id)["Anders"]
    assert letters.family_languages(db, world.ib, [other]) == {}  # another school's pupil is not read
    with pytest.raises(PermissionDeniedError):
        letters.set_family_language(db, world.ib, other, "tr")
    assert _audit(factory, "family_language") == []


def test_the_contact_line_is_the_schoolyard_until_set_and_only_beheerder_and_ib_change_it(
    factory: sessionmaker[Session], world: World
) -> None:
    db = Database(factory)
    assert letters.letter_contact(db, world.juf) == letters.StoredContact("", "", True, "")
    name = "  juf Anna de Vries,  intern begeleider "
    stored = letters.set_letter_contact(db, world.ib, name, " 010-1234567 ", False)
    assert stored == letters.StoredContact("juf Anna de Vries, intern begeleider", "010-1234567", False, "ib")
    assert letters.letter_contact(db, world.juf) == stored  # every staff member reads it: every letter prints it
    assert letters.letter_contact(db, world.other_ib) == letters.StoredContact()  # per school
    with pytest.raises(PermissionDeniedError):
        letters.set_letter_contact(db, world.juf, "meester Bram", "bram@school.nl", True)
    with pytest.raises(InvalidInputError) as none:
        letters.set_letter_contact(db, world.beheerder, "juf Anna", "  ", False)
    assert [p.code for p in none.value.problems] == ["letters.contact.no_way"]
    with pytest.raises(InvalidInputError) as long:
        letters.set_letter_contact(db, world.beheerder, "x" * 121, "1" * 201, True)
    assert [p.column for p in long.value.problems] == ["name", "detail"]
    assert "hoogstens 120 tekens" in long.value.message("nl")
    assert letters.letter_contact(db, world.ib) == stored  # nothing changed by the refused attempts
    assert _audit(factory, "settings") == [("letter_contact", None)]


def test_the_letter_prints_the_school_s_retention(factory: sessionmaker[Session], world: World) -> None:
    db = Database(factory)
    assert letters.letter_settings(db, world.juf).retention == Retention()
    privacy.set_retention(db, world.beheerder, Retention(checkin_months=6, worry_months=1, pair_months=6))
    settings = letters.letter_settings(db, world.juf)
    assert settings.retention == Retention(6, 1, 6)
    assert settings.contact == letters.StoredContact()


def test_0017_keeps_every_pupil_and_adds_the_family_language_and_the_contact_table(db_url: str) -> None:
    bare = make_engine(db_url)
    try:
        migrate.upgrade(bare, "0016")
        factory = session_factory(bare)
        with unit_of_work(factory) as session:
            school = School(name="OBS Oud")
            session.add(school)
            session.flush()
            insert_pupils_0001(session, school.id, [None] * 5, range(1, 6))
        migrate.upgrade(bare, "0017")
        with bare.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*), count(family_language) FROM pupils")).one() == (5, 0)
            assert conn.execute(sa.text("SELECT count(*) FROM school_letter_contact")).scalar_one() == 0
            conn.execute(sa.text("UPDATE pupils SET family_language = 'tr' WHERE pupil_number = '0001'"))
            conn.commit()
        migrate.downgrade(bare, "0016")
        assert "family_language" not in {c["name"] for c in sa.inspect(bare).get_columns("pupils")}
        assert "school_letter_contact" not in sa.inspect(bare).get_table_names()
        with bare.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM pupils")).scalar_one() == 5
    finally:
        bare.dispose()
