"""The before/after scale in AppTest on the demo school with tutor activity (issue 13, item 6): the tutor whose
pair never met sees "Even 3 vragen over jezelf" on Mijn maatje and answers with three taps; the tutee answers on
their own screen, each statement with "Lees voor"; Resultaten shows "Zelfvertrouwen en plezier, voor en na" with n,
and the small-cell note once fewer than five pupils answered."""

from __future__ import annotations

from apphelpers import as_pupil, as_tutee, demo_codes, logged_in, ok, rows
from streamlit.testing.v1 import AppTest
from tutee_login import TuteeLogin, give_tutee_a_login

TITLE = "📝 Even 3 vragen over jezelf"


def _texts(at: AppTest) -> str:
    parts = [str(e.value) for kind in (at.markdown, at.success, at.info, at.caption, at.title, at.error) for e in kind]
    return "\n".join(parts)


def _as_tutee(url: str, login: TuteeLogin, page: str) -> AppTest:
    return as_tutee(url, login.class_code, login.number, login.personal_code, page)


def _radio_keys(at: AppTest) -> list[str]:
    return [str(r.key) for r in at.radio if str(r.key).startswith("outcome_")]


def test_the_tutor_whose_pair_never_met_answers_the_three_questions_on_mijn_maatje(tutor_db: str) -> None:
    at = as_pupil(tutor_db, demo_codes(tutor_db)["fresh"], page="views/tutor_home.py")
    text = _texts(at)
    assert f"### {TITLE}" in text
    for statement in ("Ik kan goed lezen", "Ik lees graag", "Ik durf hardop voor te lezen"):
        assert statement in text
    keys = _radio_keys(at)
    assert len(keys) == 3
    assert all(k.endswith(("_confidence", "_pleasure", "_courage")) and "_voor_" in k for k in keys)
    assert at.radio(key=keys[0]).options[4] == "😄 Heel erg"  # faces with words
    at.radio(key=keys[0]).set_value(4)
    ok(at.button(key=f"FormSubmitter:{keys[0].rsplit('_', 1)[0]}-Klaar!").click().run())
    assert "Tik nog op een gezichtje bij de tweede vraag." in _texts(at)  # one tap missing: said, nothing stored
    pair_id = int(keys[0].split("_")[1])
    assert rows(tutor_db, "SELECT count(*) FROM outcome_answers WHERE pair_id = :p", p=pair_id) == [(0,)]

    at.radio(key=keys[1]).set_value(2)
    at.radio(key=keys[2]).set_value(3)
    ok(at.button(key=f"FormSubmitter:{keys[0].rsplit('_', 1)[0]}-Klaar!").click().run())
    assert "Dank je wel! Je antwoorden zijn bewaard." in [s.value for s in at.success]
    assert TITLE not in _texts(at)  # answered: the card is gone
    stored = rows(tutor_db, "SELECT side, moment, confidence, pleasure, courage FROM outcome_answers "
                             "WHERE pair_id = :p", p=pair_id)  # fmt: skip
    assert stored == [("tutor", "voor", 4, 2, 3)]


def test_the_tutee_answers_on_their_own_screen_with_read_aloud(tutor_db: str) -> None:
    login = give_tutee_a_login(tutor_db, 0)  # the tutee of the pair that never met: no answer yet
    at = _as_tutee(tutor_db, login, "views/tutee_home.py")
    assert TITLE in _texts(at)
    keys = _radio_keys(at)
    assert len(keys) == 3
    spoken = [str(e.proto.srcdoc) for e in at.get("iframe")]  # each statement has its own "Lees voor"
    for statement in ("Ik kan goed lezen", "Ik lees graag", "Ik durf hardop voor te lezen"):
        assert sum(f'const TEXT = "{statement}";' in html for html in spoken) == 1, statement
    for key, value in zip(keys, (2, 5, 1), strict=True):
        at.radio(key=key).set_value(value)
    ok(at.button(key=f"FormSubmitter:{keys[0].rsplit('_', 1)[0]}-Klaar!").click().run())
    assert "Dank je wel! Je antwoorden zijn bewaard." in [s.value for s in at.success]
    assert TITLE not in _texts(at)
    stored = rows(tutor_db, "SELECT side, moment, confidence, pleasure, courage FROM outcome_answers "
                             "WHERE pair_id = :p", p=login.pair_id)  # fmt: skip
    assert stored == [("tutee", "voor", 2, 5, 1)]


def test_resultaten_shows_the_scale_beside_the_growth_and_hides_small_cells(tutor_db: str) -> None:
    at = ok(logged_in(tutor_db, "ib", page="views/resultaten.py"))
    subheaders = [s.value for s in at.subheader]
    assert subheaders.index("Zelfvertrouwen en plezier, voor en na") == subheaders.index(
        "Groei: deelnemers tegen niet-deelnemers uit dezelfde groep") + 1  # fmt: skip
    table = next(d.value for d in at.dataframe if "Gemiddeld voor" in d.value.columns)
    assert list(table["Rol"].unique()) == ["tutor", "tutee"]
    assert list(table["Vraag"][:3]) == ["Zelfvertrouwen", "Plezier", "Durven"]
    answered = rows(tutor_db, "SELECT count(*) FROM outcome_answers WHERE side = 'tutor' AND moment = 'voor'")
    assert table["n voor"][0] == answered[0][0]
    assert int(str(answered[0][0])) >= 5
    assert table["Gemiddeld voor"][0] != "–"
    assert table["Gemiddeld na"][0] == "–"  # halfway: nobody answered "na" yet
    assert not any("kleine groepen" in i.value for i in at.info)

    rows(tutor_db, "DELETE FROM outcome_answers WHERE id NOT IN (SELECT id FROM outcome_answers ORDER BY id LIMIT 6)")
    at = ok(logged_in(tutor_db, "ib", page="views/resultaten.py"))
    table = next(d.value for d in at.dataframe if "Gemiddeld voor" in d.value.columns)
    assert set(table["Gemiddeld voor"]) == {"–"}  # three tutors and three tutees: no average
    assert set(table["n voor"]) == {3}
    assert any("kleine groepen zijn herkenbaar" in i.value for i in at.info)
    assert rows(tutor_db, "SELECT count(*) FROM audit_log WHERE entity = 'outcome_answers'") == [(0,)]
    ok(at.button(key="outcome_per_pupil").click().run())  # the answers per pupil: on request, audited
    assert rows(tutor_db, "SELECT count(*) FROM audit_log WHERE entity = 'outcome_answers'") == [(1,)]
    assert any("Leerling" in d.value.columns and len(d.value) == 6 for d in at.dataframe)
