"""The minimum tutor level on the programme form (issue 13, item 7): chosen, stored, shown again, used by the run."""

from __future__ import annotations

import json

import sqlalchemy as sa
from apphelpers import group_ids, logged_in, ok

from peermatch.storage.engine import make_engine


def _stored_rules(url: str) -> dict[str, object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rules: dict[str, object] = json.loads(conn.execute(sa.text("SELECT rules FROM programmes")).scalar_one())
    finally:
        engine.dispose()
    return rules


def test_the_teacher_sets_a_minimum_tutor_level_and_the_form_keeps_it(db_url: str) -> None:
    at = logged_in(db_url)
    at.switch_page("views/programmas.py").run()
    ok(at)
    tutor, tutee = group_ids(db_url, "7A", "5A")
    at.text_input(key="prog0_name").set_value("Alleen sterke lezers")
    at.multiselect(key="prog0_tutor_groups").set_value([tutor])
    at.multiselect(key="prog0_tutee_groups").set_value([tutee])
    level = at.selectbox(key="prog0_min_level")
    assert level.value is None  # no minimum unless the teacher asks for one
    assert "Plus" in level.options
    assert "E6" in level.options
    level.set_value("E7")
    at.button(key="prog0_save").click().run()
    ok(at)
    assert _stored_rules(db_url)["min_tutor_level"] == "E7"
    again = logged_in(db_url, page="views/programmas.py")
    choice = again.selectbox(key="programme_choice")
    choice.set_value(next(o for o in choice.options if "sterke" in o)).run()
    ok(again)
    shown = [s for s in again.selectbox if s.key and s.key.endswith("_min_level") and s.value == "E7"]
    assert shown, "the saved minimum is shown when the programme is opened again"
    again.switch_page("views/koppelen.py").run()
    again.button(key="run_match").click().run()
    ok(again)
    tables = [d.value for d in again.dataframe if "Waarom dit koppel" in d.value.columns]
    assert tables, "the run made pairs"
    why = [str(v) for v in tables[0]["Waarom dit koppel"]]  # "Emir leest op E7, ..."
    assert why
    assert all("E7" in v or "Plus" in v for v in why), why
