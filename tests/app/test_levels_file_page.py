"""Leerlingen, step "Niveaus toevoegen": level files from the pupil-tracking system for pupils already stored.

Upload one or more level files (synthetic, shaped like a ParnasSys group overview and an ESIS test list; see
tests/unit/test_roster_levels_file.py for the sources) -> a preview that names every row that does not fit ->
store all or nothing, each level on its own date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa
from apphelpers import account, count, logged_in, ok
from streamlit.testing.v1 import AppTest

from peermatch.services import Database
from peermatch.services.pupils import list_groups, matcher_pupils
from peermatch.storage.engine import make_engine, session_factory


def _pupils(url: str, n: int) -> list[tuple[str, str, str, date]]:
    """(number, first name, group, birth date) of ``n`` stored pupils of the demo school."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT p.pupil_number, p.first_name, g.name, p.birth_date FROM pupils p "
                    "JOIN groups g ON g.id = p.group_id ORDER BY p.id LIMIT :n"
                ),
                {"n": n},
            )
            return [(str(a), str(b), str(c), date.fromisoformat(str(d))) for a, b, c, d in rows]
    finally:
        engine.dispose()


def _dates(url: str, number: str) -> list[tuple[str, str, str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT m.subject, m.code, m.measured_on FROM level_measurements m JOIN pupils p "
                    "ON p.id = m.pupil_id WHERE p.pupil_number = :n AND m.source LIKE '%.csv:%' "
                    "ORDER BY m.measured_on, m.subject"
                ),
                {"n": number},
            )
            return [(str(s), str(c), str(d)) for s, c, d in rows]
    finally:
        engine.dispose()


def _upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader(key="levels_upload_0").set_value([(name, data, "text/csv") for name, data in files]).run()
    return ok(at)


def test_two_level_files_preview_then_store_dated_measurements(db_url: str) -> None:
    (n1, f1, g1, _), (n2, _, _, _) = _pupils(db_url, 2)
    wide = f"Leerlingnummer;Roepnaam;Groep;AVI;Afnamedatum\n{n1};{f1};{g1};M4\u2013E4;20-01-2026\n".encode()
    long = (
        "Esis identificatienummer,Schooljaar,Vormingsgebied,Toetsmoment,Niveau\n"
        f"{n2},2024-2025,Rekenen-Wiskunde,E,E4\n{n2},2025-2026,Rekenen-Wiskunde,M,M5\n{n2},2025-2026,Spelling,M,III\n"
    ).encode()
    at = logged_in(db_url, "ib", page="views/leerlingen.py")
    before = count(db_url, "level_measurements")
    _upload(at, ("parnassys.csv", wide), ("esis.csv", long))
    assert count(db_url, "level_measurements") == before  # a preview writes nothing
    assert any("3 niveaus voor 2 leerlingen" in m.value for m in at.markdown)
    assert not at.button(key="commit_levels").disabled

    at.button(key="commit_levels").click().run()
    assert ok(at).success[0].value == "3 niveaus opgeslagen voor 2 leerlingen."
    assert count(db_url, "level_measurements") == before + 3
    assert _dates(db_url, n1) == [("lezen", "M4\u2013E4", "2026-01-20")]
    assert _dates(db_url, n2) == [("rekenen", "E4", "2025-06-15"), ("rekenen", "M5", "2026-02-01")]


def test_a_row_naming_an_unknown_pupil_is_named_and_nothing_can_be_stored(db_url: str) -> None:
    ((n1, _, _, _),) = _pupils(db_url, 1)
    data = f"Leerlingnummer;AVI\n{n1};E5\n99999999;M4\n".encode()
    at = logged_in(db_url, "ib", page="views/leerlingen.py")
    before = count(db_url, "level_measurements")
    _upload(at, ("cito.csv", data))
    assert at.button(key="commit_levels").disabled  # all or nothing
    assert any(e.value.startswith("Eerst alle rijen laten passen") for e in at.error)
    table = at.dataframe[0].value  # the problems table
    assert "99999999" in set(table.iloc[:, 3])
    assert any("staat niet in de leerlingenlijst" in str(m) for m in table.iloc[:, 4])
    assert count(db_url, "level_measurements") == before


def test_a_pupil_found_by_name_and_birth_date_without_a_number(db_url: str) -> None:
    ((n1, f1, g1, b1),) = _pupils(db_url, 1)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        last, prefix = conn.execute(
            sa.text("SELECT last_name, prefix FROM pupils WHERE pupil_number = :n"), {"n": n1}
        ).one()
    engine.dispose()
    data = (
        f"Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep;Toets;Niveau;Afnamedatum\n"
        f"{f1};{prefix};{last};{b1:%d-%m-%Y};{g1};AVI;>E7;02-02-2026\n"
    ).encode()
    at = logged_in(db_url, "ib", page="views/leerlingen.py")
    _upload(at, ("boom.csv", data))
    at.button(key="commit_levels").click().run()
    assert ok(at).success[0].value == "1 niveau opgeslagen voor 1 leerling."
    assert _dates(db_url, n1) == [("lezen", ">E7", "2026-02-02")]


def test_a_file_that_is_no_level_file_says_why(db_url: str) -> None:
    at = logged_in(db_url, "ib", page="views/leerlingen.py")
    _upload(at, ("klas.csv", b"Leerlingnummer;Roepnaam;Groep\n1;Ann;5A\n"))
    assert any("kan niet gelezen worden als niveaubestand" in e.value for e in at.error)
    assert "commit_levels" not in {b.key for b in at.button}


def test_an_edex_export_and_a_level_file_give_pupils_the_matcher_can_pair(db_url: str) -> None:
    """The issue's journey in the app: EDEX.XML (no levels) imported, then the tracking system's file added."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "levels"
    at = logged_in(db_url, "ib", page="views/leerlingen.py")
    at.file_uploader(key="pupils_upload").set_value(("EDEX.XML", (fixtures / "EDEX.XML").read_bytes(), "text/xml"))
    ok(at.run())
    at.button(key="import_roster").click().run()
    _upload(ok(at), ("groepsoverzicht.csv", (fixtures / "groepsoverzicht_wide.csv").read_bytes()))
    at.button(key="commit_levels").click().run()
    assert ok(at).success[0].value == "12 niveaus opgeslagen voor 6 leerlingen."

    engine, ib = make_engine(db_url), account(db_url, "ib")
    try:
        db = Database(session_factory(engine))
        wanted = [g.id for g in list_groups(db, ib) if g.name in {"5B", "7A"}]
        pupils = {p.pupil_id: p for p in matcher_pupils(db, ib, wanted) if p.pupil_id.startswith("00")}
    finally:
        engine.dispose()
    assert {n: p.reading.code for n, p in pupils.items() if p.reading} == {
        "00701": "Plus", "00702": "E7", "00703": "M6\u2013E6", "00501": "M4", "00502": "E3", "00503": "M5\u2013E5",
    }  # fmt: skip
