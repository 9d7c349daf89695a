"""Start and farewell in AppTest on the demo school with tutor activity: ending a pair tells the teacher how to
tell the children, a replaced tutor too; the farewell cards are offered on Paren; a tutor whose pair has not met
yet sees the kennismaking questions on Mijn maatje."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from apphelpers import as_pupil, demo_codes, logged_in, login_pupil, ok
from streamlit.testing.v1 import AppTest

from peermatch.storage.engine import make_engine


def _markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def test_ending_a_pair_tells_the_teacher_how_to_tell_the_children(tutor_db: str) -> None:
    at = logged_in(tutor_db, "ib", page="views/paren.py")
    assert at.download_button(key="farewell_cards").label == "Afscheidskaartjes (PDF)"
    chosen = at.selectbox(key="pair_choice")
    tutor, tutee = str(chosen.value if isinstance(chosen.value, str) else chosen.options[0]).split(" → ")
    at.text_input(key="end_reason").set_value("tutee leest nu zelf goed")
    ok(at.button(key="end_pair").click().run())
    assert any("is gestopt" in s.value for s in at.success)
    (tell,) = [i.value for i in at.info if "Vertel het de kinderen zo" in i.value]
    assert tutor.split(" ")[0] in tell
    assert tutee.split(" ")[0] in tell
    assert "afscheidskaartje" in tell
    ok(at.switch_page("views/paren.py").run())
    assert not [i.value for i in at.info if "Vertel het de kinderen zo" in i.value]  # said once, not on every run


def test_a_tutor_before_the_first_session_sees_the_kennismaking_questions(tutor_db: str) -> None:
    code = demo_codes(tutor_db)["ready"]
    me = login_pupil(tutor_db, code).id
    engine = make_engine(tutor_db)
    try:
        with engine.begin() as conn:  # the tutor's pair has not met yet: no check-ins, it starts today
            pairs = [row[0] for row in conn.execute(
                sa.text("SELECT id FROM pairs WHERE tutor_id = :me AND status = 'active'"), {"me": me})]  # fmt: skip
            assert pairs, "the ready demo tutor has a running pair"
            for pair_id in pairs:
                conn.execute(sa.text("DELETE FROM checkins WHERE pair_id = :p"), {"p": pair_id})
                conn.execute(
                    sa.text("UPDATE pairs SET start_date = :d WHERE id = :p"), {"d": date.today(), "p": pair_id}
                )
    finally:
        engine.dispose()
    text = _markdown(as_pupil(tutor_db, code, page="views/tutor_home.py"))
    assert "Jullie eerste keer: kennismaken!" in text
    assert "Waar hou jij van?" in text
