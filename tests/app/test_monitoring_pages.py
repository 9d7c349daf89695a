"""The IB'er's monitoring pages in AppTest on the demo database with a monitored programme: Overzicht
(counts, worries first), Signalen (triage persists across runs), Paren volgen (evaluation talk on the
timeline), Resultaten (downloads; the XLSX opens and holds no formula), and a leerkracht's scope."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from apphelpers import account, count, logged_in, ok
from monitoring_world import WORRY, Monitored, build_monitored
from streamlit.testing.v1 import AppTest

from peermatch import monitoring as mon
from peermatch.reports.bundle import export_files
from peermatch.services import Database
from peermatch.services import monitoring as store
from peermatch.storage.engine import make_engine, session_factory
from ui.results_view import growth_shares, pairs_to_chart


@pytest.fixture
def world(db_url: str) -> Monitored:
    return build_monitored(db_url)


def _page(url: str, page: str, user: str = "ib") -> AppTest:
    return ok(logged_in(url, user, page=page))


def _triages(url: str) -> dict[str, mon.Triage]:
    engine = make_engine(url)
    try:
        return store.triages(Database(session_factory(engine)), account(url, "ib"))
    finally:
        engine.dispose()


def test_the_menu_offers_the_monitoring_pages(db_url: str) -> None:
    at = ok(logged_in(db_url, "ib"))
    assert at.title  # the start page ran; the pages exist and run (below)


def test_the_overview_shows_new_worries_first_and_the_counts_by_health(db_url: str, world: Monitored) -> None:
    at = _page(db_url, "views/overzicht.py")
    headers = [h.value for h in at.subheader]
    assert headers[0] == "Open zorgsignalen (1)"
    assert WORRY in at.error[0].value
    metrics = {m.label: int(m.value) for m in at.metric}
    assert sum(metrics.values()) == len(world.pairs) + len(world.other_pairs)
    assert metrics["🔴 Risico"] >= 1
    attention = at.dataframe[0].value
    assert len(attention) >= 2  # the worry pair and the pair that missed two sessions
    assert any("op rij gingen niet door" in r for r in attention["Waarom"])
    assert "Sessies gehouden tegen het plan, per groep" in headers
    dosage = at.dataframe[1].value
    assert dosage["Groep"].iloc[-1] == "Totaal"
    assert dosage["Gepland"].iloc[-1] == dosage["Gepland"].iloc[:-1].sum()  # the total sums the groups


def test_the_triage_flow_persists_across_fresh_runs(db_url: str, world: Monitored) -> None:
    at = _page(db_url, "views/signalen.py")
    aid = next(a for a in _alerts(db_url) if a.kind is mon.AlertKind.WORRY).alert_id
    assert WORRY in next(i.value for i in at.info)
    at.text_area(key=f"note_{aid}").input("Gesprek met de juf van 5A gepland")
    ok(at.button(key=f"save_{aid}").click().run())
    assert _triages(db_url)[aid].state is mon.TriageState.IN_BEHANDELING

    fresh = _page(db_url, "views/signalen.py")  # a new session: the state comes from the database
    assert "Stand: In behandeling" in [c.value for c in fresh.caption]
    fresh.text_area(key=f"note_{aid}").input("Gesprek gevoerd, ouders gebeld")
    ok(fresh.button(key=f"save_{aid}").click().run())
    triage = _triages(db_url)[aid]
    assert [e.state for e in triage.events] == [mon.TriageState.IN_BEHANDELING, mon.TriageState.AFGEHANDELD]
    assert triage.events[-1].note == "Gesprek gevoerd, ouders gebeld"
    overview = _page(db_url, "views/overzicht.py")
    assert overview.subheader[0].value == "Open zorgsignalen (0)"


def _alerts(url: str) -> list[mon.Alert]:
    engine = make_engine(url)
    try:
        db = Database(session_factory(engine))
        return mon.generate_alerts(store.pair_histories(db, account(url, "ib")), date.today())
    finally:
        engine.dispose()


def test_an_evaluation_talk_is_saved_and_shown_on_the_timeline(db_url: str, world: Monitored) -> None:
    at = _page(db_url, "views/paren_volgen.py")
    at.selectbox(key="follow_pair").set_value(str(world.worry_pair)).run()
    at.text_area(key="eval_went_well").input("We lezen elke week samen")
    at.text_area(key="eval_better").input("Op tijd beginnen")
    at.text_area(key="eval_help").input("Een rustig plekje")
    ok(at.button(key="eval_save").click().run())
    assert "Het evaluatiegesprek is opgeslagen." in [s.value for s in at.success]
    timeline = at.dataframe[0].value
    talk = timeline[timeline["Wat"] == "Evaluatiegesprek"]
    assert len(talk) == 1
    assert "Een rustig plekje" in talk.iloc[0]["Notitie"]
    assert count(db_url, "evaluation_talks") == 1


def test_the_results_page_offers_the_downloads_and_the_xlsx_has_no_formula(db_url: str, world: Monitored) -> None:
    at = _page(db_url, "views/resultaten.py")
    ok(at.selectbox(key="results_programme").set_value(world.programme_id).run())
    assert len(at.get("vega_lite_chart")) == 3
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Koppels (CSV)", "Koppels, sessies en resultaten (Excel)", "Programmarapport (PDF)"} <= set(labels)
    assert "Brief downloaden (PDF)" in labels
    assert {
        "Brieven voor alle tutees (PDF, één per bladzijde)",
        "Brieven voor alle tutors (PDF, één per bladzijde)",
    } <= set(labels)

    ib = account(db_url, "ib")
    engine = make_engine(db_url)
    try:
        data = store.load_monitored(Database(session_factory(engine)), ib, world.programme_id)
    finally:
        engine.dispose()
    healths = [mon.pair_health(h, date.today(), data.thresholds) for h in data.histories]
    assert at.multiselect(key="mood").value == pairs_to_chart(healths)
    made = export_files(data.histories, date.today(), non_participants=data.non_participants, names=data.names)
    exports = {e.key: e for e in made}
    book = openpyxl.load_workbook(io.BytesIO(exports["xlsx"].data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert cells
    assert not [c for c in cells if c.data_type == "f"]
    assert exports["pdf"].data.startswith(b"%PDF")
    assert b"=" not in exports["csv"].data.split(b"\n", 1)[1][:1]


def test_the_pseudonymised_export_needs_the_secret_and_holds_no_name(
    db_url: str, world: Monitored, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _page(db_url, "views/resultaten.py")
    ok(at.selectbox(key="results_programme").set_value(world.programme_id).run())
    assert any("PEERMATCH_PSEUDONYM_SECRET" in i.value for i in at.info)
    monkeypatch.setenv("PEERMATCH_PSEUDONYM_SECRET", "een-geheim-van-de-school-2026")
    at = _page(db_url, "views/resultaten.py")
    ok(at.selectbox(key="results_programme").set_value(world.programme_id).run())
    assert "Excel zonder namen (gepseudonimiseerd)" in [b.proto.label for b in at.get("download_button")]


def test_a_leerkracht_sees_only_the_pairs_of_own_groups(db_url: str, world: Monitored) -> None:
    at = _page(db_url, "views/paren_volgen.py", user="juf.fatima")
    options = at.selectbox(key="follow_pair").options
    assert len(options) == len(world.pairs)
    overview = _page(db_url, "views/overzicht.py", user="juf.fatima")
    assert sum(int(m.value) for m in overview.metric) == len(world.pairs)


def test_the_growth_chart_compares_shares_not_counts() -> None:
    import pandas as pd

    frame = pd.DataFrame({"wie": ["deel"] * 4 + ["niet"], "groei": [0.0, 1.0, 1.0, 1.0, 1.0]})
    shares = growth_shares(frame).set_index(["wie", "groei"])["aandeel"]
    assert shares.to_dict() == {("deel", 0.0): 25.0, ("deel", 1.0): 75.0, ("niet", 1.0): 100.0}


def test_the_mood_chart_opens_with_falling_lines_then_the_worst_pairs() -> None:
    def health(pair_id: str, status: mon.Health, *codes: str) -> mon.PairHealth:
        return mon.PairHealth(pair_id, status, tuple(mon.HealthReason(c, {}) for c in codes))

    healths = [health("ok", mon.Health.OP_KOERS), health("risk", mon.Health.RISICO, "worry"),
               health("fall", mon.Health.AANDACHT_NODIG, "mood_falling"),
               health("late", mon.Health.AANDACHT_NODIG, "training")]  # fmt: skip
    assert pairs_to_chart(healths, 3) == ["fall", "risk", "late"]


def test_start_points_to_the_new_signals_and_the_pairs_that_need_attention(db_url: str, world: Monitored) -> None:
    at = _page(db_url, "views/start.py")
    assert "Deze week" in [h.value for h in at.subheader]
    new = len(_alerts(db_url))  # nothing is triaged yet: every alert is new
    assert new >= 2
    assert at.error[0].value.startswith(f"{new} nieuwe signalen")
    assert any(w.value.endswith("koppels hebben aandacht nodig.") for w in at.warning)

    aid = _alerts(db_url)[0].alert_id
    signals = _page(db_url, "views/signalen.py")
    signals.text_area(key=f"note_{aid}").input("Opgepakt")
    ok(signals.button(key=f"save_{aid}").click().run())
    again = _page(db_url, "views/start.py")
    assert again.error[0].value.startswith(f"{new - 1} nieuwe signalen")  # picked up: no longer new
