"""The tutor's pages and the teacher's Tutors page in AppTest, on the demo school with tutor activity
(`peermatch seed-demo`): a pupil logs in with the codes of a login card, sees only the tutee's first
name and practice level, passes a module quiz and saves a check-in once even when it is submitted twice;
the teacher sees readiness, the most missed question and the check-ins with worry signals on top.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import sqlalchemy as sa
from apphelpers import APP, TIMEOUT_S, account, as_pupil, count, demo_codes, logged_in, login_pupil, ok
from streamlit.testing.v1 import AppTest

from peermatch import monitoring as mon
from peermatch.demo_school.seed import DEMO_CLASS_CODE
from peermatch.pupil_auth import AuthenticatedPupil, CodeKind
from peermatch.services import Database
from peermatch.services.accounts import new_account_in
from peermatch.services.monitoring import pair_histories, set_triage
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.enums import StaffRole
from peermatch.training import load_modules


def _scalar(url: str, sql: str, **params: object) -> object:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()
    finally:
        engine.dispose()


def _markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


# ---------------------------------------------------------------------------------------------- pupils


def test_a_pupil_logs_in_with_the_card_codes_and_sees_only_the_tutee_first_name_and_level(tutor_db: str) -> None:
    at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run())
    ok(at.switch_page("views/leerling_login.py").run())
    at.text_input(key="pupil_class_code").set_value(DEMO_CLASS_CODE.lower()).run()
    at.text_input(key="pupil_number").set_value("2").run()  # the demo's "ready" tutor is number 2
    at.text_input(key="pupil_personal_code").set_value("WRONG")
    ok(at.form_submit_button[0].click().run())
    assert [e.value for e in at.error] == ["Deze codes kloppen niet. Kijk nog eens goed op je inlogkaart."]
    assert "pupil_user" not in at.session_state

    at.text_input(key="pupil_personal_code").set_value(demo_codes(tutor_db)["ready"].lower())
    ok(at.form_submit_button[0].click().run())
    pupil = at.session_state["pupil_user"]
    assert isinstance(pupil, AuthenticatedPupil)
    assert "auth_user" not in at.session_state  # a pupil session never holds a staff login
    assert [t.value for t in at.title] == [f"Hoi {pupil.first_name}!"]
    tutee = _scalar(
        tutor_db,
        "SELECT p.first_name || '|' || p.last_name FROM pairs x JOIN pupils p ON p.id = x.tutee_id "
        "WHERE x.tutor_id = :me AND x.status = 'active'",
        me=pupil.id,
    )
    first, last = str(tutee).split("|")
    text = _markdown(at)
    assert f"## 🧒 {first}" in text
    assert "op niveau **" in text
    assert "Elke **" in text
    assert last not in text  # first name only
    assert [s.value for s in at.success] == ["Klaar om te starten als leesmaatje! 🎉"]
    assert any(getattr(b, "label", None) == "Download je tutorbewijs" for b in at.get("download_button"))


def test_too_many_wrong_codes_give_a_friendly_wait_message(tutor_db: str) -> None:
    at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run())
    ok(at.switch_page("views/leerling_login.py").run())
    at.text_input(key="pupil_class_code").set_value(DEMO_CLASS_CODE).run()
    at.text_input(key="pupil_number").set_value("1").run()
    at.text_input(key="pupil_personal_code").set_value("WRONG")
    for _ in range(6):  # 5 free tries, then this pupil waits (growing: 5 s, 10 s ...)
        ok(at.form_submit_button[0].click().run())
    assert re.search(r"Wacht [1-5] s", at.error[0].value)  # 5 s from the sixth try's start


def test_a_fresh_tutor_passes_a_module_quiz_after_a_wrong_try(tutor_db: str) -> None:
    at = as_pupil(tutor_db, demo_codes(tutor_db)["fresh"], "views/training.py")
    assert [t.value for t in at.title] == ["Training"]
    module = load_modules("nl").modules[0]
    ok(at.button(key=f"open_{module.id}").click().run())
    assert [t.value for t in at.title] == [module.title]
    asked = {str(r.key).rsplit("_", 1)[-1]: str(r.key) for r in at.radio if str(r.key).startswith(f"q_{module.id}_")}
    assert len(asked) == 3  # 3 questions of the module's pool per try
    for qid, key in asked.items():  # all wrong first
        question = module.question(qid)
        assert question is not None
        at.radio(key=key).set_value(next(c.id for c in question.choices if c.id != question.answer))
    ok(at.form_submit_button[0].click().run())
    assert len(at.error) == 3
    assert "probeer het nog een keer" in at.info[-1].value
    ok(at.button(key=f"retry_{module.id}").click().run())
    for radio in at.radio:
        question = module.question(str(radio.key).rsplit("_", 1)[-1])
        assert question is not None
        radio.set_value(question.answer)
    ok(at.form_submit_button[0].click().run())
    assert "Gehaald! Je had 3 van de 3 vragen goed." in [s.value for s in at.success]
    pupil = at.session_state["pupil_user"]
    rows = _scalar(tutor_db, "SELECT count(*) FROM training_attempts WHERE pupil_id = :p", p=pupil.id)
    assert rows == 2
    ok(at.button(key="training_back").click().run())
    assert f"### ✅ {module.title}" in _markdown(at)


def test_a_check_in_is_saved_once_even_when_submitted_twice(tutor_db: str) -> None:
    at = as_pupil(tutor_db, demo_codes(tutor_db)["fresh"], "views/checkin.py")
    before = count(tutor_db, "checkins")
    at.text_input(key="ci_activity_0").set_value("Boek: De Gorgels, blz. 20-23")
    at.radio(key="ci_mood_0").set_value(5)
    at.text_area(key="ci_went_well_0").set_value("Het ging goed toen we samen lazen.")
    ok(at.form_submit_button[0].click().run())
    assert count(tutor_db, "checkins") == before + 1
    checkin_id, name = at.session_state["checkin_handover"]
    ok(at.button(key="tutee_skip").click().run())
    assert [s.value for s in at.success] == [f"Dank je wel, {name}! Geef het apparaat terug."]
    # the same answers sent again (a resubmit): one check-in per pair and day, so it edits the first
    at.text_input(key="ci_activity_1").set_value("Boek: De Gorgels, blz. 20-23")
    at.radio(key="ci_mood_1").set_value(5)
    assert [i.value for i in at.info][:1] == [
        "Je hebt vandaag al een check-in voor dit maatje ingevuld. Wat je nu voor vandaag opslaat, past die aan "
        "(een zorg die je al gaf, blijft staan)."
    ]
    ok(at.form_submit_button[0].click().run())
    assert count(tutor_db, "checkins") == before + 1
    assert at.session_state["checkin_handover"][0] == checkin_id  # the same check-in, edited
    ok(at.button(key="tutee_skip").click().run())
    mine = at.dataframe[-1].value
    assert list(mine["Wat we deden"])[:1] == ["Boek: De Gorgels, blz. 20-23"]
    assert at.session_state["checkin_round"] == 2


def test_the_worry_is_saved_and_cleared_before_the_device_goes_to_the_tutee(tutor_db: str) -> None:
    at = as_pupil(tutor_db, demo_codes(tutor_db)["fresh"], "views/checkin.py")
    worry = "Hij zegt dat hij thuis geen eten krijgt."
    at.radio(key="ci_mood_0").set_value(3)
    at.checkbox(key="ci_worry_0").check()
    at.text_area(key="ci_worry_text_0").set_value(worry)
    ok(at.form_submit_button[0].click().run())

    checkin_id, name = at.session_state["checkin_handover"]
    stored = _scalar(tutor_db, "SELECT worry_text FROM checkins WHERE id = :c", c=checkin_id)
    assert stored == worry  # saved first ...
    assert f"Geef het apparaat aan {name}" in at.success[0].value
    shown = [str(getattr(e, "value", "")) for e in at.main] + [str(getattr(e, "value", "")) for e in at.sidebar]
    assert any(f"Geef het apparaat aan {name}" in text for text in shown)  # the search does see the screen
    assert not any("eten" in text for text in shown)  # ... then gone from the screen and the session
    for key in ("ci_worry_text_0", "ci_worry_0", "ci_mood_0"):
        assert key not in at.session_state
    assert not at.text_area  # the tutee's step has no text boxes, no tutor answers, no list
    assert not at.dataframe
    assert [r.label for r in at.radio] == ["Vond je het leuk vandaag?", "Heb je iets geleerd?", "Hoe ging het samen?"]

    at.radio(key=f"tutee_tutee_fun_{checkin_id}").set_value(5)
    at.radio(key=f"tutee_tutee_learned_{checkin_id}").set_value(4)
    ok(at.form_submit_button[0].click().run())
    answers = [_scalar(tutor_db, f"SELECT {column} FROM checkins WHERE id = :c", c=checkin_id)
               for column in ("tutee_fun", "tutee_learned", "worry")]  # fmt: skip
    assert answers == [5, 4, True]
    assert [s.value for s in at.success] == [f"Dank je wel, {name}! Geef het apparaat terug."]
    assert at.text_area(key="ci_worry_text_1").value == ""  # the next check-in starts empty


def test_a_pupil_cannot_open_another_pupils_pair_through_the_page(tutor_db: str) -> None:
    codes = demo_codes(tutor_db)
    other = login_pupil(tutor_db, codes["ready"])
    other_pair = _scalar(tutor_db, "SELECT id FROM pairs WHERE tutor_id = :p AND status = 'active'", p=other.id)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state["pupil_user"] = login_pupil(tutor_db, codes["fresh"])
    at.session_state["pupil_last_seen"] = datetime.now(UTC)
    ok(at.run())
    at.query_params["pair"] = str(other_pair)
    ok(at.switch_page("views/checkin.py").run())
    assert [e.value for e in at.error] == ["Dit is niet jouw maatje. Je kunt alleen je eigen maatje zien."]
    assert not at.form_submit_button


# ----------------------------------------------------------------------------------------------- staff


def test_the_teacher_sees_readiness_stuck_questions_and_check_ins_with_worries_on_top(tutor_db: str) -> None:
    at = logged_in(tutor_db, "juf.fatima", page="views/tutors.py")
    box = at.selectbox(key="tutors_group")
    assert box.options == ["5A", "7A"]  # her own groups only
    ok(box.select_index(1).run())
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["Klaar om te starten"] >= 5
    assert metrics["Nog niet klaar"] >= 3
    readiness = at.dataframe[0].value
    stuck = readiness[readiness["Loopt vast op"] != ""]
    assert len(stuck) == 2  # the two demo tutors stuck on a quiz question
    assert any(w.value.startswith("Gaat het vaakst mis:") for w in at.warning)
    checkins = at.dataframe[-1].value
    worry_flags = list(checkins["Zorg"])
    assert worry_flags[:3] == ["⚠️", "⚠️", "⚠️"]  # the demo's three worries come first
    assert "⚠️" not in worry_flags[3:]
    assert "3 open zorgsignalen in deze groep." in [e.value for e in at.error]


def test_a_teacher_of_another_group_sees_neither_its_tutors_nor_its_check_ins(tutor_db: str) -> None:
    engine = make_engine(tutor_db)
    try:
        with unit_of_work(session_factory(engine)) as s:
            school_id, group_3a = s.execute(sa.text("SELECT school_id, id FROM groups WHERE name = '3A'")).one()
            new_account_in(s, school_id, username="juf.anna", display_name="Juf Anna", password="demo-anna-2026-x",
                           role=StaffRole.LEERKRACHT, group_ids=[group_3a])  # fmt: skip
    finally:
        engine.dispose()
    import apphelpers

    apphelpers.PASSWORDS["juf.anna"] = "demo-anna-2026-x"
    at = logged_in(tutor_db, "juf.anna", page="views/tutors.py")
    box = at.selectbox(key="tutors_group")
    assert box.options == ["3A"]
    assert "Nog geen check-ins voor deze groep." in [c.value for c in at.caption]
    assert not any("zorg" in e.value for e in at.error)


def test_the_teacher_makes_picture_cards_and_a_pupil_logs_in_by_tapping_three_pictures(tutor_db: str) -> None:
    at = logged_in(tutor_db, "juf.fatima", page="views/tutors.py")  # 5A: no codes yet
    exports = count(tutor_db, "audit_log")
    at.radio(key="cards_kind").set_value(CodeKind.PICTURES).run()
    ok(at.button(key="cards_generate").click().run())
    assert any(getattr(b, "label", None) == "Download inlogkaarten (PDF)" for b in at.get("download_button"))
    assert count(tutor_db, "audit_log") > exports
    assert _scalar(tutor_db, "SELECT count(*) FROM audit_log WHERE action = 'export' AND entity = 'login_cards'") == 1
    _group, cards = at.session_state["tutors_cards"]
    card = cards[0]
    assert card.kind is CodeKind.PICTURES

    pupil_at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run())
    ok(pupil_at.switch_page("views/leerling_login.py").run())
    pupil_at.text_input(key="pupil_class_code").set_value(card.class_code).run()
    pupil_at.text_input(key="pupil_number").set_value(str(card.number)).run()
    for key in card.personal_code.split("-"):
        ok(pupil_at.button(key=f"pic_{key}").click().run())
    ok(pupil_at.button(key="pupil_login_submit").click().run())
    assert [t.value for t in pupil_at.title] == [f"Hoi {card.first_name}!"]


def test_the_tutors_tab_shows_the_ib_ers_triage_and_counts_a_handled_worry_as_open_nowhere(tutor_db: str) -> None:
    engine = make_engine(tutor_db)
    try:
        db = Database(session_factory(engine))
        ib = account(tutor_db, "ib")
        histories = {h.pair_id: h for h in pair_histories(db, ib)}
        worry = next(a for a in mon.generate_alerts(histories.values(), date.today())
                     if a.kind is mon.AlertKind.WORRY and histories[a.pair_id].tutor_group == "7A")  # fmt: skip
        for state, note in (("in_behandeling", "Gesprek gepland"), ("afgehandeld", "Ouders gebeld")):
            set_triage(db, ib, worry.alert_id, state, note, kind=worry.kind, pair_id=worry.pair_id, anchor=worry.anchor)
    finally:
        engine.dispose()
    at = logged_in(tutor_db, "juf.fatima", page="views/tutors.py")
    ok(at.selectbox(key="tutors_group").set_value("7A").run())
    assert "2 open zorgsignalen in deze groep." in [e.value for e in at.error]  # was 3: the IB'er closed one
    lines = [m.value for m in at.markdown if m.value.startswith("⚠️")]
    assert len(lines) == 3
    assert sum("*Afgehandeld*" in line for line in lines) == 1
    assert "*Afgehandeld*" in lines[-1]  # the open ones on top
    states = list(at.dataframe[-1].value["Stand signaal"])
    assert states.count("Afgehandeld") == 1
