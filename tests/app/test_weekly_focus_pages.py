"""The weekly focus in AppTest on the demo school with tutor activity: the IB'er sets this week's focus on the
programme's page, the tutor reads it on Mijn maatje as plain text (never a link), and it can be removed again."""

from __future__ import annotations

from apphelpers import as_pupil, demo_codes, logged_in, ok
from streamlit.testing.v1 import AppTest


def _markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def _open_programme(at: AppTest) -> int:
    choice = at.selectbox(key="programme_choice")
    programme = next(o for o in choice.options if o != choice.options[0])  # the first option is "new"
    ok(choice.set_value(programme).run())
    keys = [r.key for r in at.radio if r.key and r.key.startswith("focus_kind_")]
    assert len(keys) == 1, keys
    return int(keys[0].removeprefix("focus_kind_"))


def test_the_ib_sets_this_weeks_focus_and_the_tutor_reads_it_on_mijn_maatje(tutor_db: str) -> None:
    at = logged_in(tutor_db, "ib", page="views/programmas.py")
    programme = _open_programme(at)
    assert "Nog geen focus voor deze week." in [i.value for i in at.info]
    assert at.download_button(key=f"guide_{programme}").label == "Handleiding voor de leerkracht (PDF)"
    at.radio(key=f"focus_kind_{programme}").set_value(at.radio(key=f"focus_kind_{programme}").options[2])
    at.text_area(key=f"focus_text_{programme}").set_value("Woorden zoeken op het schoolplein: kijk op www.school.nl")
    ok(at.button(key=f"focus_save_{programme}").click().run())
    assert any("staat klaar" in s.value for s in at.success)
    assert "Woorden zoeken op het schoolplein" in _markdown(at)

    tutor = as_pupil(tutor_db, demo_codes(tutor_db)["ready"], page="views/tutor_home.py")
    text = _markdown(tutor)
    assert "🌳 Deze week oefenen jullie: Buiten bezig" in text
    assert "Woorden zoeken op het schoolplein" in text
    assert "www.school.nl" not in text  # the address is broken up, so it never becomes a link

    ok(at.button(key=f"focus_remove_{programme}").click().run())
    assert any("weggehaald" in s.value for s in at.success)
    again = as_pupil(tutor_db, demo_codes(tutor_db)["ready"], page="views/tutor_home.py")
    assert "Deze week oefenen jullie" not in _markdown(again)


def test_an_empty_focus_is_a_message_and_nothing_is_saved(tutor_db: str) -> None:
    at = logged_in(tutor_db, "ib", page="views/programmas.py")
    programme = _open_programme(at)
    ok(at.button(key=f"focus_save_{programme}").click().run())
    assert [e.value for e in at.error] == ["Schrijf op waar de maatjes aan werken; een lege focus kan niet."]
    assert "Nog geen focus voor deze week." in [i.value for i in at.info]
