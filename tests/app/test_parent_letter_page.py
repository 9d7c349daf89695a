"""The parent letter in AppTest: on Resultaten the teacher picks Turkish for one family, the choice is stored (and
shown again on the next visit, whatever the screen language), and the letter's bytes, built as the download builds
them, are the Turkish letter with the school's contact line set on Instellingen. AppTest cannot run a deferred
download callable, so the builder is called here with what the page reads."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
from apphelpers import account, logged_in, ok
from monitoring_world import Monitored, build_monitored
from streamlit.testing.v1 import AppTest

from peermatch import reports
from peermatch.services import Database, letters
from peermatch.services import monitoring as store
from peermatch.services.results import programme_results
from peermatch.storage.engine import make_engine, session_factory
from ui.letters_view import letter_for


@pytest.fixture
def world(db_url: str) -> Monitored:
    return build_monitored(db_url)


def _results_page(url: str, programme_id: int, user: str = "ib") -> AppTest:
    at = ok(logged_in(url, user, page="views/resultaten.py"))
    return ok(at.selectbox(key="results_programme").set_value(programme_id).run())


def _stored_language(url: str, pupil: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            value = conn.execute(sa.text("SELECT family_language FROM pupils WHERE id = :p"), {"p": int(pupil)})
            return value.scalar_one()  # type: ignore[no-any-return]
    finally:
        engine.dispose()


def _letter_bytes(url: str, programme_id: int, pupil: str) -> tuple[reports.ParentLetter, bytes]:
    """What the page's download builds for ``pupil``: the same reads, the same builder (the letter and its PDF)."""
    engine = make_engine(url)
    try:
        db, ib = Database(session_factory(engine)), account(url, "ib")
        results = programme_results(db, ib, programme_id)
        data = results.data
        pupils = {h.tutee_id: (h, "tutee") for h in data.histories} | {h.tutor_id: (h, "tutor") for h in data.histories}
        history, role = pupils[pupil]
        letter = letter_for(history, role, data.first_names[pupil], school=results.school,
                            minutes=results.minutes_per_session, day=date(2026, 10, 1),
                            language=letters.family_languages(db, ib, [pupil])[pupil],
                            settings=letters.letter_settings(db, ib), signed_by=ib.display_name)  # fmt: skip
        return letter, reports.parent_letter_pdf(letter, compress=False)
    finally:
        engine.dispose()


def _first_tutee(url: str, programme_id: int) -> tuple[str, str]:
    engine = make_engine(url)
    try:
        data = store.load_monitored(Database(session_factory(engine)), account(url, "ib"), programme_id)
    finally:
        engine.dispose()
    tutee = data.histories[0].tutee_id
    return tutee, data.first_names[tutee]


def test_the_teacher_picks_turkish_for_a_family_and_the_letter_is_turkish(db_url: str, world: Monitored) -> None:
    at = _results_page(db_url, world.programme_id)
    assert any("contactregel" in i.value for i in at.info)  # nothing set on Instellingen yet: says so
    tutee, first_name = _first_tutee(db_url, world.programme_id)
    ok(at.selectbox(key="letter").set_value(tutee).run())
    chosen = at.selectbox(key=f"letter_language_{tutee}")
    assert chosen.value == "nl"  # nobody chose yet: Dutch
    assert {"Nederlands — Nederlands", "Turks — Türkçe", "Arabisch — العربية", "Pools — Polski"} <= set(chosen.options)
    ok(chosen.set_value("tr").run())
    assert [s.value for s in at.success] == ["Opgeslagen: de brief voor dit gezin komt voortaan in het Turks."]
    assert _stored_language(db_url, tutee) == "tr"
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Brief downloaden (PDF)" in labels
    assert "Brieven voor alle tutees (PDF, één per bladzijde)" in labels

    again = _results_page(db_url, world.programme_id)  # the next visit: the choice is remembered
    ok(again.selectbox(key="letter").set_value(tutee).run())
    assert again.selectbox(key=f"letter_language_{tutee}").value == "tr"
    assert not again.success  # nothing stored a second time

    letter, pdf = _letter_bytes(db_url, world.programme_id, tutee)
    assert letter.language == "tr"
    title, parts = reports.letter_text(letter)
    assert title == f"{first_name} bir okuma arkadaşı ile okuma çalışacak"
    assert parts[0][1] == f"Sayın veli, bu mektup öğrencimiz {first_name} hakkındadır."
    assert reports.slip_text(letter)["question"] == "Çocuğunuzun neye ihtiyacı var?"
    assert "/Lang (tr)" in pdf.decode("latin-1")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1


def test_the_contact_line_set_on_instellingen_is_in_the_letter(db_url: str, world: Monitored) -> None:
    at = ok(logged_in(db_url, "ib", page="views/instellingen.py"))
    assert at.checkbox(key="letter_contact_schoolyard").value is True
    at.text_input(key="letter_contact_name").input("juf Anna de Vries, intern begeleider")
    at.text_input(key="letter_contact_detail").input("010-1234567")
    ok(at.button(key="letter_contact_save").click().run())
    assert "Opgeslagen. Elke nieuwe brief aan ouders noemt dit contact." in [s.value for s in at.success]
    ib = account(db_url, "ib")
    engine = make_engine(db_url)
    try:
        assert letters.letter_contact(Database(session_factory(engine)), ib) == letters.StoredContact(
            "juf Anna de Vries, intern begeleider", "010-1234567", True, ib.display_name
        )
    finally:
        engine.dispose()
    at.checkbox(key="letter_contact_schoolyard").uncheck()
    at.text_input(key="letter_contact_detail").input("")
    ok(at.button(key="letter_contact_save").click().run())  # no way to reach the school: refused, in Dutch
    assert any("Ouders moeten de school kunnen bereiken" in e.value for e in at.error)

    page = _results_page(db_url, world.programme_id)
    assert not any("contactregel" in i.value for i in page.info)  # set now: no reminder
    tutee, first_name = _first_tutee(db_url, world.programme_id)
    letter, pdf = _letter_bytes(db_url, world.programme_id, tutee)
    contact = dict(reports.letter_text(letter)[1])["Vragen?"]
    assert contact.startswith("Neem gerust contact op met juf Anna de Vries, intern begeleider: 010-1234567.")
    assert f"U kunt ook de leerkracht van {first_name} aanspreken op het schoolplein" in contact
    assert pdf.startswith(b"%PDF-")
