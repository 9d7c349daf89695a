"""The teacher's week in AppTest, on a real (SQLite) database: log in, see the next step, create a
programme, match, pin a pair, re-run (the pin stays), publish, end a pair and replace a tutor.
Errors are messages, never tracebacks.
"""

from __future__ import annotations

import json
from dataclasses import replace

import sqlalchemy as sa
from apphelpers import APP, PASSWORDS, TIMEOUT_S, account, count, group_ids, logged_in, ok
from streamlit.testing.v1 import AppTest

from peermatch.model import Subject
from peermatch.pairing import DEFAULT_RULES
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.programmes import ProgrammeSpec, create_programme, list_programmes, update_programme


def _create_programme(url: str, at: AppTest, name: str = "Tutorlezen groep 7 -> groep 5") -> AppTest:
    at.switch_page("views/programmas.py").run()
    ok(at)
    tutor, tutee = group_ids(url, "7A", "5A")
    at.text_input(key="prog0_name").set_value(name)
    at.multiselect(key="prog0_tutor_groups").set_value([tutor])
    at.multiselect(key="prog0_tutee_groups").set_value([tutee])
    at.button(key="prog0_save").click().run()
    return ok(at)


def _pairs_table(at: AppTest, why: str = "Waarom dit koppel") -> list[dict[str, str]]:
    tables = [d.value for d in at.dataframe if why in d.value.columns]
    assert len(tables) == 1
    return list(tables[0].to_dict("records"))  # type: ignore[arg-type]  # pandas-stubs: records have Hashable keys


# ------------------------------------------------------------------------------------------------ login


def test_a_visitor_sees_only_the_login_page(db_url: str) -> None:
    at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run())
    assert [t.value for t in at.title] == ["Inloggen bij PeerMatch"]
    assert [b.label for b in at.form_submit_button] == ["Inloggen"]
    assert not at.sidebar.button  # no logout, no menu


def test_wrong_password_is_refused_with_a_message(db_url: str) -> None:
    at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run())
    at.text_input(key="login_username").set_value("juf.fatima")
    at.text_input(key="login_password").set_value("fout-wachtwoord")
    at.form_submit_button[0].click().run()
    assert [e.value for e in ok(at).error] == ["Gebruikersnaam of wachtwoord klopt niet."]
    assert "auth_user" not in at.session_state


def test_login_opens_the_start_page_with_the_next_step_and_logout_ends_it(db_url: str) -> None:
    at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run())
    at.text_input(key="login_username").set_value("juf.fatima")
    at.text_input(key="login_password").set_value(PASSWORDS["juf.fatima"])
    at.form_submit_button[0].click().run()
    ok(at)
    assert [t.value for t in at.title] == ["Welkom, Juf Fatima (demo)"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Groepen"] == "2"  # her own groups only: 5A and 7A
    assert [i.value for i in at.info] == ["Maak een tutorprogramma: welke groep helpt welke groep, op welk moment."]
    at.sidebar.button(key="logout").click().run()
    assert [t.value for t in ok(at).title] == ["Inloggen bij PeerMatch"]


def test_an_idle_session_expires(db_url: str) -> None:
    from datetime import UTC, datetime, timedelta

    at = logged_in(db_url)
    at.session_state["auth_last_seen"] = datetime.now(UTC) - timedelta(hours=2)
    at.run()
    assert [t.value for t in ok(at).title] == ["Inloggen bij PeerMatch"]
    assert "niet actief" in at.info[0].value


def test_the_start_page_is_english_after_the_switch(db_url: str) -> None:
    at = logged_in(db_url)
    at.sidebar.selectbox(key="lang").set_value("en").run()
    assert [t.value for t in ok(at).title] == ["Welcome, Juf Fatima (demo)"]


# ------------------------------------------------------------------------------------------------ scope


def test_a_teacher_sees_only_her_own_groups(db_url: str) -> None:
    at = logged_in(db_url, page="views/leerlingen.py")
    options = at.selectbox(key="group").options
    assert [o.split(" ")[0] for o in options] == ["5A", "7A"]
    ib = logged_in(db_url, "ib", page="views/leerlingen.py")
    assert len(ib.selectbox(key="group").options) > 2


def test_a_teacher_never_sees_a_programme_with_another_teachers_group(db_url: str) -> None:
    ib = account(db_url, "ib")
    tutor, tutee = group_ids(db_url, "8A", "5A")  # 8A is not juf Fatima's
    engine = make_engine(db_url)
    try:
        with unit_of_work(session_factory(engine)) as s:
            create_programme(s, ib, ib.school_id, ProgrammeSpec("Groep 8 helpt 5", Subject.LEZEN, (tutor,), (tutee,)))
    finally:
        engine.dispose()

    at = logged_in(db_url, page="views/programmas.py")
    assert sorted(at.multiselect(key="prog0_tutor_groups").options) == ["5A", "7A"]
    assert at.selectbox(key="programme_choice").options == ["➕ Nieuw programma"]
    at.switch_page("views/koppelen.py").run()
    assert "Maak een tutorprogramma" in ok(at).info[0].value
    assert logged_in(db_url, "ib", page="views/koppelen.py").selectbox(key="review_programme").options == [
        "Groep 8 helpt 5"
    ]


# ------------------------------------------------------------------------------------------------ the story


def test_programme_match_pin_rerun_publish_end_and_replace(db_url: str) -> None:
    at = _create_programme(db_url, logged_in(db_url))
    assert at.success[0].value == "Programma 'Tutorlezen groep 7 -> groep 5' is opgeslagen."
    assert count(db_url, "programmes") == 1

    at.switch_page("views/koppelen.py").run()
    at.button(key="run_match").click().run()
    ok(at)
    first = _pairs_table(at)
    assert first
    assert count(db_url, "matching_runs") == 1
    assert all(row["Waarom dit koppel"].strip() for row in first)
    assert at.selectbox(key="why_pair").options  # the whole reason of the chosen pair, never cut off
    assert any("niveaus verschil" in m.value for m in at.markdown)

    # Pin the last pair of the draft, then re-run: the pin is kept and marked.
    pinned = len(first) - 1
    at.selectbox(key="constraint_pair").set_value(pinned)
    at.button(key="pin").click().run()
    assert "staat vast" in ok(at).success[0].value
    at.button(key="run_match").click().run()
    second = _pairs_table(ok(at))
    assert count(db_url, "matching_runs") == 1  # the old draft was replaced
    kept = [r for r in second if r["Vast"] == "📌"]
    assert [(r["Tutor"], r["Tutee"]) for r in kept] == [(first[pinned]["Tutor"], first[pinned]["Tutee"])]

    # Forbid a pair, re-run: it is gone.
    unpinned = next(i for i, r in enumerate(second) if r["Vast"] != "📌")
    forbidden = (second[unpinned]["Tutor"], second[unpinned]["Tutee"])
    at.selectbox(key="constraint_pair").set_value(unpinned)
    at.button(key="forbid").click().run()
    at.button(key="run_match").click().run()
    assert forbidden not in [(r["Tutor"], r["Tutee"]) for r in _pairs_table(ok(at))]

    # A pin or forbid can be taken away again.
    assert count(db_url, "pair_constraints") == 2
    at.button(key="remove_constraint").click().run()
    ok(at)
    assert count(db_url, "pair_constraints") == 1

    at.button(key="publish").click().run()
    assert ok(at).success[0].value == "De koppels zijn gepubliceerd."

    at.switch_page("views/paren.py").run()
    published = _pairs_table(ok(at))
    assert {r["Status"] for r in published} == {"actief"}
    assert at.download_button(key="print_pairs").label == "Print koppellijst en kaartjes (PDF)"

    # End one pair with a reason.
    at.text_input(key="end_reason").set_value("tutee is bijgewerkt")
    at.button(key="end_pair").click().run()
    assert "is gestopt" in ok(at).success[0].value
    statuses = [r["Status"] for r in _pairs_table(at)]
    assert statuses.count("gestopt") == 1

    # Replace the tutor of another pair: only that tutee gets a new tutor, every other pair stays.
    before = {(r["Tutor"], r["Tutee"]) for r in _pairs_table(at) if r["Status"] == "actief"}
    at.button(key="replace_tutor").click().run()
    ok(at)
    assert "Voorstel:" in at.info[0].value
    at.text_input(key="end_reason").set_value("tutor is verhuisd")
    at.button(key="accept_replacement").click().run()
    assert "is nu de tutor van" in ok(at).success[0].value
    after = {(r["Tutor"], r["Tutee"]) for r in _pairs_table(at) if r["Status"] == "actief"}
    assert len(after) == len(before)
    assert len(before - after) == 1
    assert len(after - before) == 1
    (old,), (new,) = before - after, after - before
    assert old[1] == new[1]
    assert old[0] != new[0]
    ended = {(r["Tutor"], r["Tutee"]) for r in _pairs_table(at) if r["Status"] == "gestopt"}
    assert len(ended) == 2

    # A re-run after publishing keeps every decision: it only looks for the tutees without a maatje.
    at.switch_page("views/koppelen.py").run()
    at.button(key="run_match").click().run()
    assert any(f"Lopende koppels: {len(after)}." in i.value for i in ok(at).info)
    drafted = {(r["Tutor"], r["Tutee"]) for r in _pairs_table(at)}
    assert not drafted & (ended | after)
    if drafted:
        at.button(key="publish").click().run()
        ok(at)
    at.switch_page("views/paren.py").run()
    final = {(r["Tutor"], r["Tutee"]): r["Status"] for r in _pairs_table(ok(at))}
    assert all(final[pair] == "gestopt" for pair in ended)  # ended pairs stay ended
    assert all(final[pair] == "actief" for pair in after)  # the replacement and the rest keep running


def test_an_unpaired_tutee_suggestion_is_applied_to_the_programme_and_re_run(db_url: str) -> None:
    at = logged_in(db_url)
    at.switch_page("views/programmas.py").run()
    tutor, tutee = group_ids(db_url, "7A", "5A")
    at.text_input(key="prog0_name").set_value("Strenge regels")
    at.multiselect(key="prog0_tutor_groups").set_value([tutor])
    at.multiselect(key="prog0_tutee_groups").set_value([tutee])
    at.number_input(key="prog0_margin").set_value(6.0)  # hardly any tutor is six levels ahead
    at.button(key="prog0_save").click().run()
    at.switch_page("views/koppelen.py").run()
    at.button(key="run_match").click().run()
    ok(at)
    assert at.subheader[-1].value == "Nog zonder tutor"
    # The unpaired and their suggestions are kept with the draft: a new session (or a restart) shows them too.
    fresh = logged_in(db_url, page="views/koppelen.py")
    assert fresh.subheader[-1].value == "Nog zonder tutor"
    before = len(_pairs_table(at))
    apply = [b for b in at.button if b.key and b.key.startswith("apply_")]
    assert apply, "a margin suggestion comes with a button"
    apply[0].click().run()
    ok(at)
    assert len(_pairs_table(at)) > before
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            rules = json.loads(conn.execute(sa.text("SELECT rules FROM programmes")).scalar_one())
    finally:
        engine.dispose()
    changed = {k: v for k, v in rules.items() if v != {**DEFAULT_RULES, "margin": 6.0}[k]}
    assert changed, "the programme itself now has the relaxed rule"


def test_the_start_page_points_to_the_waiting_draft(db_url: str) -> None:
    at = _create_programme(db_url, logged_in(db_url))
    at.switch_page("views/koppelen.py").run()
    at.button(key="run_match").click().run()
    at.switch_page("views/start.py").run()
    assert ok(at).info[0].value.startswith("Er wacht een concept-indeling")
    assert at.page_link[0].label == "Naar Koppelen"


def test_a_pin_the_new_rules_forbid_is_a_message_not_a_traceback(db_url: str) -> None:
    at = _create_programme(db_url, logged_in(db_url))
    at.switch_page("views/koppelen.py").run()
    at.button(key="run_match").click().run()
    at.button(key="pin").click().run()  # the first pair of the draft
    user = account(db_url, "juf.fatima")
    engine = make_engine(db_url)
    try:
        with unit_of_work(session_factory(engine)) as s:
            (programme,) = list_programmes(s, user, user.school_id)
            strict = replace(programme.spec, rules={**programme.spec.rules, "margin": 6.0, "max_age_gap_months": 6})
            update_programme(s, user, programme.id, strict)
    finally:
        engine.dispose()
    at.button(key="run_match").click().run()
    ok(at)
    assert at.error, "the refused pin is explained"
    assert "Traceback" not in at.error[0].value


def test_the_login_page_links_to_the_pupils_login_and_shows_no_developer_hint(db_url: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    ok(at.run())
    captions = " ".join(c.value for c in at.caption)
    assert "make run" not in captions
    assert "Log in met je schoolaccount" in captions
    links = [str(getattr(link, "label", "")) for link in at.get("page_link")]
    assert "Ben je een leerling? Log hier in met je inlogkaart" in links
