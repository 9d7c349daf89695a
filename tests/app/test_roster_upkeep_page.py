"""Roster upkeep on the Leerlingen page (issue 15, item 5): edit motivation (and refuse 7 with the pupil named),
mark a pupil as leaving (their pair ends), fix an import's error in place and then import, and a bare AVI ``4``
that is asked about instead of guessed."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import sqlalchemy as sa
from apphelpers import account, count, group_ids, logged_in, ok
from streamlit.testing.v1 import AppTest

from peermatch.records import PupilInfo
from peermatch.services import Database
from peermatch.services.pupils import list_pupils
from peermatch.storage.engine import make_engine, session_factory

ONE_BAD_ROW = (
    b"leerlingnummer,roepnaam,achternaam,geboortedatum,groep,avi,bsn\n"
    b"90011,Noor,Visser,12-03-2017,5A,E5,123456782\n"
    b"90012,Milan,de Boer,31-02-2017,5A,M6,111222333\n"
)


def _pupils(url: str, group: str) -> list[PupilInfo]:
    """The group's pupils in the order the page shows them (by last name)."""
    engine = make_engine(url)
    try:
        return list_pupils(Database(session_factory(engine)), account(url, "juf.fatima"), group_ids(url, group)[0])
    finally:
        engine.dispose()


def _one(url: str, sql: str, **params: object) -> tuple[object, ...]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return tuple(conn.execute(sa.text(sql), params).first() or ())
    finally:
        engine.dispose()


def _edit(at: AppTest, key: str, row: int, changes: dict[str, object]) -> None:
    at.session_state[key] = {"edited_rows": {row: changes}, "added_rows": [], "deleted_rows": []}


def test_motivation_is_edited_in_the_table_and_a_wrong_value_names_the_pupil(db_url: str) -> None:
    at = logged_in(db_url, page="views/leerlingen.py")
    group_id = at.selectbox(key="group").value
    first = _pupils(db_url, "5A")[0]
    new = 1 if first.motivation != 1 else 2

    _edit(at, f"details_{group_id}_0", 0, {"Motivatie": 7})
    at.button(key="save_details").click().run()
    assert first.display_name in ok(at).error[0].value
    assert "'7'" in at.error[0].value
    assert _one(db_url, "SELECT motivation FROM pupils WHERE id = :i", i=first.id)[0] == first.motivation

    _edit(at, f"details_{group_id}_0", 0, {"Motivatie": new})
    at.button(key="save_details").click().run()
    assert ok(at).success[0].value == "Opgeslagen: 1 leerling bijgewerkt."
    assert _one(db_url, "SELECT motivation FROM pupils WHERE id = :i", i=first.id)[0] == new
    audit = "SELECT count(*) FROM audit_log WHERE action = 'update' AND entity = 'pupil' AND entity_id = :i"
    assert _one(db_url, audit, i=str(first.id))[0] == 1


def test_a_pupil_marked_as_leaving_has_their_pair_ended(tutor_db: str) -> None:
    tutor_id, first, prefix, last = _one(
        tutor_db,
        "SELECT p.id, p.first_name, p.prefix, p.last_name FROM pairs JOIN pupils p ON p.id = pairs.tutor_id"
        " JOIN groups g ON g.id = p.group_id WHERE pairs.status = 'active' AND g.name = '7A' ORDER BY pairs.id LIMIT 1",
    )
    name = " ".join(str(part) for part in (first, prefix, last) if part)
    at = logged_in(tutor_db, page="views/leerlingen.py")
    at.selectbox(key="group").set_value(group_ids(tutor_db, "7A")[0]).run()
    assert name in ok(at).selectbox(key="leave_pupil_0").options

    at.selectbox(key="leave_pupil_0").set_value(tutor_id).run()
    at.button(key="mark_leaving").click().run()

    message = ok(at).success[0].value
    assert name in message
    assert "1 koppel beëindigd" in message
    status, reason, end_date = _one(tutor_db, "SELECT status, end_reason, end_date FROM pairs WHERE tutor_id = :i"
                                    " ORDER BY id DESC LIMIT 1", i=tutor_id)  # fmt: skip
    assert (status, reason) == ("ended", "verhuisd / vertrokken")
    assert end_date is not None
    assert at.button(key=f"undo_leave_{tutor_id}")  # today it can still be undone
    assert name not in at.selectbox(key="leave_pupil_1").options


def test_a_preview_error_is_fixed_in_place_and_then_the_roster_is_imported(db_url: str) -> None:
    at = logged_in(db_url, "ib", page="views/leerlingen.py")
    pupils = count(db_url, "pupils")
    at.file_uploader(key="pupils_upload").set_value(("5a.csv", ONE_BAD_ROW, "text/csv")).run()
    assert {m.label: m.value for m in ok(at).metric}["Fouten"] == "1"
    assert at.button(key="import_roster").disabled
    assert "111222333" not in str(at.get("arrow_data_frame"))  # the BSN column is never shown

    _edit(at, f"pupils_fix_{hashlib.sha256(ONE_BAD_ROW).hexdigest()[:12]}", 0, {"geboortedatum": "28-02-2017"})
    at.run()
    assert ok(at).success[0].value == "Alle fouten zijn verbeterd. Je kunt nu importeren."
    assert {m.label: m.value for m in at.metric}["Fouten"] == "0"
    assert not at.button(key="import_roster").disabled

    at.button(key="import_roster").click().run()
    assert ok(at).success[0].value.startswith("Geïmporteerd: 2 nieuwe leerlingen")
    assert count(db_url, "pupils") == pupils + 2
    assert _one(db_url, "SELECT birth_date FROM pupils WHERE pupil_number = '90012'")[0] == "2017-02-28"


def test_a_bare_4_in_the_level_editor_is_asked_not_guessed(db_url: str) -> None:
    at = logged_in(db_url, page="views/leerlingen.py")
    group_id = at.selectbox(key="group").value
    first = _pupils(db_url, "5A")[0]
    measurements = count(db_url, "level_measurements")
    at.date_input(key="levels_date").set_value(date.today() + timedelta(days=30))  # a later test round

    _edit(at, f"levels_{group_id}_0", 0, {"AVI": "4"})
    at.run()
    question = ok(at).selectbox(key=f"level_choice_{first.id}_lezen_4")
    assert question.options == ["AVI M4", "AVI E4", "oude AVI 4 (bereik)"]
    assert "welk niveau bedoel je" in question.label

    at.button(key="save_levels").click().run()
    assert "'4' kan meer dan één AVI-niveau zijn: bedoel je M4, E4, AVI 4 oud?" in ok(at).error[0].value
    assert count(db_url, "level_measurements") == measurements  # nothing guessed, nothing stored

    at.selectbox(key=f"level_choice_{first.id}_lezen_4").set_value("E4")
    at.button(key="save_levels").click().run()
    assert ok(at).success[0].value == "1 nieuwe metingen opgeslagen."
    assert count(db_url, "level_measurements") == measurements + 1
    newest = "SELECT code FROM level_measurements WHERE pupil_id = :i AND subject = 'lezen' ORDER BY measured_on DESC"
    assert _one(db_url, newest, i=first.id)[0] == "E4"
