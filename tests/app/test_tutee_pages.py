"""The tutee's own pages in AppTest, on the demo school with tutor activity: a tutee logs in with a card of
their own and gets "Mijn maatje" (the tutor's first name), the welcome and their own check-in; the message to
the juf is stored as a signal and shown nowhere to the tutor; the tutor's check-in hands nothing over then."""

from __future__ import annotations

import sqlalchemy as sa
from apphelpers import TIMEOUT_S, account, as_pupil, as_tutee, demo_codes, ok
from streamlit.testing.v1 import AppTest
from tutee_login import TuteeLogin, give_tutee_a_login

from peermatch.storage.engine import make_engine

SECRET = "Ik durf niet te zeggen dat het te moeilijk is"


def _as_tutee(url: str, login: TuteeLogin, page: str | None = None) -> AppTest:
    return as_tutee(url, login.class_code, login.number, login.personal_code, page)


def _row(url: str, pair_id: int) -> tuple[object, ...]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                sa.text("SELECT tutor_checked_in, tutee_fun, tutee_learned, tutee_together, tutee_says, "
                        "tutee_says_text, worry, tutor_together FROM checkins WHERE pair_id = :p "
                        "ORDER BY session_date DESC LIMIT 1"), {"p": pair_id},
            ).first()  # fmt: skip
    finally:
        engine.dispose()
    assert found is not None
    return tuple(found)


def _texts(at: AppTest) -> str:
    parts = [str(e.value) for kind in (at.markdown, at.success, at.info, at.caption, at.title) for e in kind]
    return "\n".join(parts)


def test_a_tutee_gets_their_own_home_with_the_tutors_first_name_and_the_welcome(tutor_db: str) -> None:
    login = give_tutee_a_login(tutor_db, 2)
    at = _as_tutee(tutor_db, login)
    assert [t.value for t in at.title] == [f"Hoi {login.tutee_first_name}!"]
    assert f"Jouw maatje is **{login.tutor_first_name}**." in _texts(at)
    assert "📖 Jullie lezen samen." in _texts(at)
    ok(at.switch_page("views/tutee_welkom.py").run())
    assert "Wat doet een maatje?" in _texts(at)
    assert "Alleen je juf of meester ziet dat. Je maatje niet." in _texts(at)


def test_the_tutee_answers_privately_and_the_tutor_hands_nothing_over(tutor_db: str) -> None:
    login = give_tutee_a_login(tutor_db, 2)
    at = _as_tutee(tutor_db, login, "views/tutee_checkin.py")
    assert [t.value for t in at.title] == [f"Hoe was het met {login.tutor_first_name}?"]
    ok(at.form_submit_button[0].click().run())  # nothing tapped: a clear message, nothing stored
    assert [e.value for e in at.error] == ["Tik eerst op een gezichtje, of op 'Ik wil de juf iets vertellen'."]
    at.radio(key="tutee_fun_0").set_value(5)
    at.radio(key="tutee_learned_0").set_value(4)
    at.radio(key="tutee_together_0").set_value(2)
    at.checkbox(key="tutee_tell_0").check()
    at.text_input(key="tutee_tell_text_0").set_value(SECRET)
    ok(at.form_submit_button[0].click().run())
    assert [s.value for s in at.success] == ["Je juf of meester weet nu dat je iets wilt vertellen. Zij of hij komt "
                                             "naar je toe."]  # fmt: skip
    assert at.text_input(key="tutee_tell_text_1").value == ""  # a fresh form: the text is off the screen
    row = _row(tutor_db, login.pair_id)
    assert row[:7] == (0, 5, 4, 2, 1, SECRET, 1)

    tutor = as_pupil(tutor_db, demo_codes(tutor_db)["stuck"], "views/checkin.py")
    assert SECRET not in _texts(tutor)
    tutor.radio(key="ci_mood_0").set_value(4)
    tutor.radio(key="ci_together_0").set_value(5)
    ok(tutor.form_submit_button[0].click().run())
    assert "Geef het apparaat aan" not in _texts(tutor)  # the tutee has a login: no hand-over
    assert f"{login.tutee_first_name} beantwoordt de vragen zelf" in _texts(tutor)
    assert SECRET not in _texts(tutor)
    assert _row(tutor_db, login.pair_id) == (1, 5, 4, 2, 1, SECRET, 1, 5)


def test_a_tutor_whose_tutee_has_no_login_keeps_the_hand_over_with_how_it_went_together(tutor_db: str) -> None:
    tutor = as_pupil(tutor_db, demo_codes(tutor_db)["stuck"], "views/checkin.py")
    tutor.radio(key="ci_together_0").set_value(3)
    tutor.checkbox(key="ci_own_0").check()
    tutor.text_area(key="ci_own_text_0").set_value("Ik ben zelf moe")
    ok(tutor.form_submit_button[0].click().run())
    assert any("Geef het apparaat aan" in str(s.value) for s in tutor.success)
    assert "Ik ben zelf moe" not in _texts(tutor)
    tutor.radio(key=next(k for k in tutor.session_state if str(k).startswith("tutee_tutee_together_"))).set_value(4)
    ok(tutor.form_submit_button[0].click().run())
    engine = make_engine(tutor_db)
    try:
        with engine.connect() as conn:
            got = conn.execute(sa.text("SELECT tutor_together, tutee_together, tutor_own, tutor_own_text, worry "
                                       "FROM checkins WHERE tutor_own_text != '' ")).all()  # fmt: skip
    finally:
        engine.dispose()
    assert [tuple(r) for r in got] == [(3, 4, 1, "Ik ben zelf moe", 1)]


def _voices_page(pair_id: str) -> None:
    import streamlit as st

    from ui.evaluation_voices_view import evaluation_voices_block

    evaluation_voices_block(st.session_state["auth_user"], pair_id)


def test_the_evaluation_talk_hears_each_child_apart_with_the_relationship(tutor_db: str) -> None:
    login = give_tutee_a_login(tutor_db, 2)  # only for the pair id
    at = AppTest.from_function(_voices_page, args=(str(login.pair_id),), default_timeout=TIMEOUT_S)
    at.session_state["auth_user"] = account(tutor_db, "ib")
    ok(at.run())
    assert "Nog geen gesprek met de delen van de kinderen." in _texts(at)
    ok(at.form_submit_button[0].click().run())
    assert [e.value for e in at.error] == ["Vul het deel van de tutor of het maatje in, of kies hoe het samen gaat."]
    at.text_area(key="voices_tutor").set_value("Ze vindt het fijn om uit te leggen")
    at.text_area(key="voices_tutee").set_value("Ik wil een ander boek")
    at.radio(key="voices_together").set_value(4)
    ok(at.form_submit_button[0].click().run())
    assert [s.value for s in at.success] == ["Het gesprek is opgeslagen."]
    [table] = at.dataframe
    row = table.value.iloc[0]
    assert (row["Tutor zelf"], row["Maatje zelf"], row["Samen"]) == (
        "Ze vindt het fijn om uit te leggen",
        "Ik wil een ander boek",
        "🙂",
    )
