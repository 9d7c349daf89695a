"""Koppelen: swap the tutors of two draft pairs (the hard rules hold, the result is pinned and survives a re-run).
Tutorprogramma's: several weekly moments per programme, added and removed in the form, end after start.
"""

from __future__ import annotations

import itertools
from datetime import time

import sqlalchemy as sa
from apphelpers import account, group_ids, logged_in, ok
from streamlit.testing.v1 import AppTest

from peermatch.errors import RuleError
from peermatch.pairing import rules_for, swap_tutors
from peermatch.services.pupils import to_model_pupils
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.programmes import Moment, list_programmes
from peermatch.storage.pupils import list_groups
from peermatch.storage.queries import pair_listings
from peermatch.storage.runs import list_runs


def _new_programme(url: str, at: AppTest, name: str = "Tutorlezen 7 -> 5") -> AppTest:
    at.switch_page("views/programmas.py").run()
    tutor, tutee = group_ids(url, "7A", "5A")
    at.text_input(key="prog0_name").set_value(name)
    at.multiselect(key="prog0_tutor_groups").set_value([tutor])
    at.multiselect(key="prog0_tutee_groups").set_value([tutee])
    return at


def _swaps(url: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """Indices (in the draft table) of two pairs whose tutors may be swapped, and of two that may not."""
    user = account(url, "juf.fatima")
    engine = make_engine(url)
    try:
        with unit_of_work(session_factory(engine)) as s:
            (programme,) = list_programmes(s, user, user.school_id)
            spec = programme.spec
            names = {g.id: g.name for g in list_groups(s, user, user.school_id)}
            pupils = to_model_pupils(s, user, user.school_id, [*spec.tutor_group_ids, *spec.tutee_group_ids])
            rules = rules_for(spec.subject, spec.rules, [names[g] for g in spec.tutor_group_ids],
                              [names[g] for g in spec.tutee_group_ids])  # fmt: skip
            rows = pair_listings(s, user, list_runs(s, user, programme.id)[0].id)
    finally:
        engine.dispose()
    legal: tuple[int, int] | None = None
    illegal: tuple[int, int] | None = None
    for i, j in itertools.combinations(range(len(rows)), 2):
        a, b = rows[i].pair, rows[j].pair
        try:
            swap_tutors(pupils, rules, (a.tutor_number, a.tutee_number), (b.tutor_number, b.tutee_number))
            legal = legal or (i, j)
        except RuleError:
            illegal = illegal or (i, j)
    assert legal is not None
    assert illegal is not None
    return legal, illegal


def _table(at: AppTest) -> list[dict[str, str]]:
    (table,) = [d.value for d in at.dataframe if "Waarom dit koppel" in d.value.columns]
    return list(table.to_dict("records"))  # type: ignore[arg-type]  # pandas-stubs: records have Hashable keys


def test_swapping_two_tutors_pins_both_new_pairs_and_a_refused_swap_names_the_rule(db_url: str) -> None:
    at = _new_programme(db_url, logged_in(db_url))
    at.button(key="prog0_save").click().run()
    at.switch_page("views/koppelen.py").run()
    at.button(key="run_match").click().run()
    before = _table(ok(at))
    legal, illegal = _swaps(db_url)

    # A swap that breaks a hard rule: a message naming the rule, nothing pinned.
    at.selectbox(key="swap_first").set_value(illegal[0])
    at.selectbox(key="swap_second").set_value(illegal[1])
    at.button(key="swap").click().run()
    (error,) = ok(at).error
    assert error.value.startswith("Wisselen kan niet, want dan breekt een regel:")
    assert "Vastgezet paar" in error.value
    assert _table(at) == before

    # A legal swap: both crossed pairs are in the new draft, pinned.
    a, b = before[legal[0]], before[legal[1]]
    at.selectbox(key="swap_first").set_value(legal[0])
    at.selectbox(key="swap_second").set_value(legal[1])
    at.button(key="swap").click().run()
    assert ok(at).success[0].value.startswith("Gewisseld:")
    crossed = {(b["Tutor"], a["Tutee"]), (a["Tutor"], b["Tutee"])}
    pinned = {(r["Tutor"], r["Tutee"]) for r in _table(at) if r["Vast"] == "📌"}
    assert pinned == crossed

    # A re-run keeps them.
    at.button(key="run_match").click().run()
    assert crossed <= {(r["Tutor"], r["Tutee"]) for r in _table(ok(at)) if r["Vast"] == "📌"}


def test_choosing_the_same_pair_twice_is_a_warning(db_url: str) -> None:
    at = _new_programme(db_url, logged_in(db_url))
    at.button(key="prog0_save").click().run()
    at.switch_page("views/koppelen.py").run()
    at.button(key="run_match").click().run()
    at.selectbox(key="swap_second").set_value(0)
    at.button(key="swap").click().run()
    assert [w.value for w in ok(at).warning] == ["Kies twee verschillende koppels om te wisselen."]


def _stored_moments(url: str) -> tuple[Moment, ...]:
    user = account(url, "juf.fatima")
    engine = make_engine(url)
    try:
        with unit_of_work(session_factory(engine)) as s:
            (programme,) = list_programmes(s, user, user.school_id)
            return programme.spec.moments
    finally:
        engine.dispose()


def test_a_programme_gets_two_weekly_moments_and_loses_one_again(db_url: str) -> None:
    at = _new_programme(db_url, logged_in(db_url))
    at.button(key="prog0_add_moment").click().run()
    ok(at)
    assert at.text_input(key="prog0_name").value == "Tutorlezen 7 -> 5"  # the form's values survive adding a row
    at.selectbox(key="prog0_weekday_1").set_value(4)
    at.time_input(key="prog0_start_1").set_value(time(10, 30))
    at.time_input(key="prog0_end_1").set_value(time(11, 0))
    at.button(key="prog0_save").click().run()
    assert "is opgeslagen" in ok(at).success[0].value
    assert _stored_moments(db_url) == (Moment(2, time(10, 30), time(11, 0)), Moment(4, time(10, 30), time(11, 0)))

    # Reopened, the form shows both; remove the first (dinsdag) and save: only donderdag is left.
    at.button(key=f"prog{at.selectbox(key='programme_choice').value}_remove_moment_0").click().run()
    at.button(key=f"prog{at.selectbox(key='programme_choice').value}_save").click().run()
    assert _stored_moments(db_url) == (Moment(4, time(10, 30), time(11, 0)),)


def test_a_moment_that_ends_before_it_starts_is_a_dutch_message(db_url: str) -> None:
    at = _new_programme(db_url, logged_in(db_url))
    at.time_input(key="prog0_start_0").set_value(time(11, 0))
    at.time_input(key="prog0_end_0").set_value(time(10, 30))
    at.button(key="prog0_save").click().run()
    assert [e.value for e in ok(at).error] == [
        "Moment 1 (dinsdag): de eindtijd 10:30 moet na de begintijd 11:00 liggen."
    ]
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM programmes")).scalar_one() == 0
    finally:
        engine.dispose()
