"""The Leerlingen page: upload → preview with problems → import (all or nothing); browse groups; a level
edited in the table becomes a new dated measurement, the old one stays in the history.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from apphelpers import count, logged_in, ok
from streamlit.testing.v1 import AppTest

NEW_CLASS = (
    b"leerlingnummer,roepnaam,achternaam,geboortedatum,groep,avi,rekenen\n"
    b"90001,Noor,Visser,12-03-2017,6B,E5,M6\n"
    b"90002,Milan,de Boer,01-09-2016,6B,M6,E5\n"
)
BROKEN_CSV = (
    b"leerlingnummer,roepnaam,achternaam,geboortedatum,groep,avi,rekenen\n"
    b"90003,Anna,Jansen,31-02-2015,6B,E5,M5\n"
    b"90003,Bram,Bakker,gisteren,6B,XYZ,M5\n"
)


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="pupils_upload").set_value((name, content, "text/csv")).run()
    return ok(at)


def test_upload_shows_a_preview_and_saves_nothing_until_import(db_url: str) -> None:
    at = logged_in(db_url, "ib", page="views/leerlingen.py")
    pupils = count(db_url, "pupils")
    _upload(at, "groep6b.csv", NEW_CLASS)
    assert {m.label: m.value for m in at.metric}["Leerlingen"] == "2"
    assert count(db_url, "pupils") == pupils  # a preview writes nothing

    at.button(key="import_roster").click().run()
    report = ok(at).success[0].value
    assert re.match(r"Geïmporteerd: 2 nieuwe leerlingen, 0 bijgewerkt, 0 ongewijzigd, 4 niveaus opgeslagen", report)
    assert "6B" in report
    assert count(db_url, "pupils") == pupils + 2
    assert any(o.startswith("6B ") for o in at.selectbox(key="group").options)


def test_a_file_with_errors_shows_the_problems_and_writes_nothing(db_url: str) -> None:
    at = logged_in(db_url, "ib", page="views/leerlingen.py")
    before = {table: count(db_url, table) for table in ("pupils", "groups", "level_measurements")}
    _upload(at, "kapot.csv", BROKEN_CSV)
    assert {m.label: m.value for m in at.metric}["Fouten"] == "4"
    assert at.warning[0].value.startswith("Nog 4 fouten. Importeren kan als alle fouten verbeterd zijn.")
    assert at.button(key="import_roster").disabled  # no import while there are errors
    assert {table: count(db_url, table) for table in before} == before


def test_a_teacher_cannot_import_pupils_into_a_new_group(db_url: str) -> None:
    at = logged_in(db_url, page="views/leerlingen.py")  # juf Fatima: groups 5A and 7A only
    pupils = count(db_url, "pupils")
    _upload(at, "groep6b.csv", NEW_CLASS)
    at.button(key="import_roster").click().run()
    assert "6B" in ok(at).error[0].value  # a readable refusal, not a traceback
    assert count(db_url, "pupils") == pupils


def test_an_edited_level_is_a_new_measurement(db_url: str) -> None:
    at = logged_in(db_url, page="views/leerlingen.py")
    group_id = at.selectbox(key="group").value
    measurements = count(db_url, "level_measurements")
    at.date_input(key="levels_date").set_value(date.today() + timedelta(days=30))  # a later test round
    at.session_state[f"levels_{group_id}_0"] = {"edited_rows": {0: {"AVI": "E7"}}, "added_rows": [], "deleted_rows": []}
    at.button(key="save_levels").click().run()
    assert ok(at).success[0].value == "1 nieuwe metingen opgeslagen."
    assert count(db_url, "level_measurements") == measurements + 1
