"""The Proefkoppeling page (try matching on a file, nothing saved) under Streamlit's AppTest:
what a teacher sees at each step, in Dutch and in English.

Arrive → (upload a roster | press "Probeer de demoschool") → counts and problems → rules form → "Maak koppels" →
pairs (and the unpaired, with a reason). A file that cannot be used stops the flow with a message, never a traceback.
The uploads go through the real ``st.file_uploader`` (AppTest can drive it in Streamlit 1.67).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
DEMO_CSV = ROOT / "data" / "demo_school.csv"
TIMEOUT_S = 30

# Two rows, four errors: an impossible date, a duplicate pupil id, an unreadable date and an unknown AVI level.
BROKEN_CSV = (
    b"leerlingnummer,roepnaam,achternaam,geboortedatum,groep,avi,rekenen\n"
    b"1,Anna,Jansen,31-02-2015,5A,E5,M5\n"
    b"1,Bram,Bakker,gisteren,5A,XYZ,M5\n"
)
# A PNG picture saved with a .csv name: bytes no roster reader understands.
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4

CELL = re.compile(r"^(?P<name>.+) \((?P<group>[^,]+), (?P<level>[^)]*)\)$")  # "Daan de Jong (6A, E5)"


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table(at: AppTest, column: str) -> pd.DataFrame | None:
    """The shown table with a column named ``column``, or None.

    Tables are found by their headers: a display-only ``st.dataframe(key=...)`` carries no element id in Streamlit
    1.67, so AppTest cannot find it by key (and the browser gets no ``st-key-`` class either).
    """
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) <= 1, f"{len(found)} tables with a column {column!r}"
    return found[0] if found else None


def _pairs(at: AppTest, why: str = "Waarom dit koppel") -> pd.DataFrame:
    table = _table(at, why)
    assert table is not None, "no pairs table"
    return table


def _texts(at: AppTest) -> str:
    """Every visible text of the run, joined: for checks that no traceback or Python repr leaks out."""
    kinds = ("title", "caption", "markdown", "error", "warning", "info", "success")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def _upload(at: AppTest, name: str, content: bytes, mime: str = "text/csv") -> AppTest:
    at.file_uploader(key="roster_upload").set_value((name, content, mime)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _demo_people() -> tuple[set[str], set[str]]:
    """Display names ("roepnaam [tussenvoegsel] achternaam") and groups of the demo school."""
    with DEMO_CSV.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = {" ".join(p for p in (r["roepnaam"], r["tussenvoegsel"], r["achternaam"]) if p) for r in rows}
    return names, {r["groep"] for r in rows}


def _make_pairs(at: AppTest) -> AppTest:
    (submit,) = at.form_submit_button
    submit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ------------------------------------------------------------------------------------------------ arrival


def test_first_visit_is_dutch_and_asks_for_a_roster(app: AppTest) -> None:
    assert [t.value for t in app.title] == ["Proefkoppeling"]
    assert app.caption[0].value.startswith("Upload de leerlingenlijst, kies de regels")
    assert app.sidebar.selectbox(key="lang").value == "nl"
    uploader = app.file_uploader(key="roster_upload")
    assert uploader.label.startswith("Leerlingenlijst (CSV, Excel of EDEX.XML")
    assert "Maximaal 20 MB" in uploader.help
    assert uploader.proto.max_upload_size_mb == 20  # the widget enforces (and shows) the limit the help text promises
    assert app.button(key="use_demo").label == "Probeer de demoschool"
    assert [i.value for i in app.info] == [
        "Upload een leerlingenlijst, of probeer eerst de demoschool met verzonnen leerlingen."
    ]
    # Nothing to show yet: no counts, no rules, no tables.
    assert not app.metric
    assert not app.form
    assert not app.dataframe


def test_language_switch_turns_the_page_english_and_back(app: AppTest) -> None:
    assert app.sidebar.selectbox(key="lang").options == ["Nederlands", "English"]
    app.sidebar.selectbox(key="lang").set_value("en").run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Trial matching"]
    assert app.button(key="use_demo").label == "Try the demo school"
    assert app.info[0].value == "Upload a class roster, or try the demo school with invented pupils first."

    app.sidebar.selectbox(key="lang").set_value("nl").run()
    assert [t.value for t in app.title] == ["Proefkoppeling"]
    assert app.button(key="use_demo").label == "Probeer de demoschool"


# ------------------------------------------------------------------------------------------------ demo school


def test_demo_school_shows_its_counts_and_the_rules_form(app: AppTest) -> None:
    app.button(key="use_demo").click().run()
    assert not app.exception

    metrics = _metrics(app)
    assert metrics["Leerlingen"] == "200"
    assert metrics["Fouten"] == "0"
    assert int(metrics["Waarschuwingen"]) >= 0
    assert [e.label for e in app.expander] == ["Controle van demo_school.csv"]
    assert not app.error  # no "los eerst de fouten op"
    assert not app.info  # the start hint is gone

    assert len(app.form) == 1
    assert [b.label for b in app.form_submit_button] == ["Maak koppels"]
    assert app.radio(key="subject").value == "lezen"
    assert app.radio(key="subject").options == ["Lezen (AVI)", "Rekenen"]
    assert [n.label for n in app.number_input] == [
        "Minimaal niveauverschil",
        "Tutees per tutor",
        "Maximaal leeftijdsverschil (jaar)",
    ]
    assert [n.value for n in app.number_input] == [2.0, 1, 3.0]
    # The group pickers offer exactly the demo school's groups.
    _, groups = _demo_people()
    for picker in app.multiselect:
        assert sorted(picker.options) == sorted(groups)
    # Pressing the demo button alone never runs the matcher.
    assert _table(app, "Waarom dit koppel") is None


@pytest.mark.parametrize("subject", ["lezen", "rekenen"])
def test_make_pairs_shows_pairs_and_the_unpaired(app: AppTest, subject: str) -> None:
    app.button(key="use_demo").click().run()
    app.radio(key="subject").set_value(subject)
    _make_pairs(app)

    metrics = _metrics(app)
    paired, tutees = (int(x) for x in metrics["Gekoppeld"].split(" / "))
    assert 0 < paired <= tutees
    assert int(metrics["Tutors beschikbaar"]) >= 1
    # The roster's counts stay on the page above the result.
    assert metrics["Leerlingen"] == "200"

    pairs = _pairs(app)
    assert list(pairs.columns) == ["Tutor", "Tutee", "Waarom dit koppel"]
    assert len(pairs) == paired
    names, groups = _demo_people()
    for cell in list(pairs["Tutor"]) + list(pairs["Tutee"]):
        found = CELL.match(cell)
        assert found, cell
        assert found["name"] in names, cell
        assert found["group"] in groups, cell
    assert all(why.strip() for why in pairs["Waarom dit koppel"])
    # Nobody is tutor and tutee at once in the same draft (capacity is 1 by default, so tutors are unique too).
    tutors, tutees_ = set(pairs["Tutor"]), set(pairs["Tutee"])
    assert not tutors & tutees_
    assert len(tutors) == len(pairs)
    assert int(metrics["Niet gekoppeld"]) == tutees - paired

    if paired < tutees:
        assert [s.value for s in app.subheader] == ["Voorgestelde koppels", "Nog zonder tutor"]
        unpaired = _table(app, "Waarom niet gekoppeld")
        assert unpaired is not None
        assert list(unpaired.columns) == ["Tutee", "Waarom niet gekoppeld", "Wat zou helpen"]
        assert len(unpaired) == tutees - paired
        assert all(reason.strip() for reason in unpaired["Waarom niet gekoppeld"])
        assert not set(unpaired["Tutee"]) & tutees_
    else:
        assert _table(app, "Waarom niet gekoppeld") is None
    assert app.download_button(key="download_pairs").label == "Download koppels (CSV)"


def test_result_survives_a_language_switch_and_is_translated(app: AppTest) -> None:
    app.button(key="use_demo").click().run()
    _make_pairs(app)
    dutch = _pairs(app)

    app.sidebar.selectbox(key="lang").set_value("en").run()
    assert not app.exception
    english = _pairs(app, "Why this pair")
    assert list(english.columns) == ["Tutor", "Tutee", "Why this pair"]
    # Same pairs, only the words change.
    assert list(english["Tutor"]) == list(dutch["Tutor"])
    assert list(english["Tutee"]) == list(dutch["Tutee"])
    assert "Paired" in _metrics(app)
    assert app.download_button(key="download_pairs").label == "Download pairs (CSV)"


def test_english_teacher_makes_pairs(app: AppTest) -> None:
    app.sidebar.selectbox(key="lang").set_value("en").run()
    app.button(key="use_demo").click().run()
    assert _metrics(app)["Pupils"] == "200"
    assert [b.label for b in app.form_submit_button] == ["Make pairs"]
    _make_pairs(app)
    pairs = _pairs(app, "Why this pair")
    paired, _ = (int(x) for x in _metrics(app)["Paired"].split(" / "))
    assert len(pairs) == paired > 0


def test_uploading_another_file_drops_the_old_pairs(app: AppTest) -> None:
    app.button(key="use_demo").click().run()
    _make_pairs(app)
    _pairs(app)

    _upload(app, "kapot.csv", BROKEN_CSV)
    assert _table(app, "Waarom dit koppel") is None
    assert "Gekoppeld" not in _metrics(app)
    assert "match_result" not in app.session_state


# ------------------------------------------------------------------------------------------------ bad files


def test_broken_csv_shows_the_errors_table_and_nothing_else(app: AppTest) -> None:
    _upload(app, "kapot.csv", BROKEN_CSV)

    metrics = _metrics(app)
    assert metrics["Fouten"] == "4"
    assert set(metrics) == {"Leerlingen", "Fouten", "Waarschuwingen"}
    (expander,) = app.expander
    assert expander.label == "Controle van kapot.csv"
    assert expander.proto.expanded  # opened by itself because there are errors

    assert len(app.dataframe) == 1
    problems = _table(app, "Melding")
    assert problems is not None
    assert list(problems.columns) == ["Soort", "Rij", "Kolom", "Waarde", "Melding"]
    assert len(problems) == 4
    assert set(problems["Soort"]) == {"FOUT"}
    assert list(problems["Rij"]) == [2, 3, 3, 3]  # errors sorted by row
    assert set(problems["Waarde"]) == {"31-02-2015", "1", "gisteren", "XYZ"}
    assert set(problems["Kolom"]) == {"geboortedatum", "leerlingnummer", "avi"}
    messages = " ".join(problems["Melding"])
    assert "bestaat niet" in messages
    assert "staat ook al in rij 2" in messages
    assert "geen AVI-niveau" in messages

    assert [e.value for e in app.error] == [
        "Los eerst de fouten in de leerlingenlijst op en upload hem opnieuw. Er is nog niets opgeslagen of gekoppeld."
    ]
    # Nothing else: no rules, no matching, no download, no traceback.
    assert not app.form
    assert not app.form_submit_button
    assert not app.download_button
    assert not app.exception
    assert "Traceback" not in _texts(app)


@pytest.mark.parametrize(
    ("lang", "message", "advice"),
    [
        ("nl", "'foto.csv' kan niet gelezen worden.", "Dit soort bestand kunnen we niet lezen."),
        ("en", "'foto.csv' cannot be read.", "This kind of file cannot be read."),
    ],
)
def test_binary_file_gets_one_clear_message(app: AppTest, lang: str, message: str, advice: str) -> None:
    app.sidebar.selectbox(key="lang").set_value(lang).run()
    _upload(app, "foto.csv", BINARY, "image/png")

    assert [e.value for e in app.error] == [message]
    # One short explanation of what to do instead, in the same language; no table, no counts, no form.
    (explanation,) = app.markdown
    assert explanation.value.startswith(advice)
    assert "CSV" in explanation.value
    assert "xlsx" in explanation.value
    assert not app.metric
    assert not app.dataframe
    assert not app.form
    assert not app.expander
    assert not app.exception
    assert "Traceback" not in _texts(app)
    assert "\\x" not in _texts(app)  # no raw bytes echoed back


def test_empty_file_says_so(app: AppTest) -> None:
    _upload(app, "leeg.csv", b"")
    assert [e.value for e in app.error] == ["'leeg.csv' kan niet gelezen worden."]
    assert "leeg" in app.markdown[0].value
    assert not app.form
    assert not app.exception


def test_demo_upload_through_the_widget_equals_the_demo_button(app: AppTest) -> None:
    _upload(app, "demo_school.csv", DEMO_CSV.read_bytes())
    assert _metrics(app)["Leerlingen"] == "200"
    assert _metrics(app)["Fouten"] == "0"
    assert len(app.form) == 1


# ------------------------------------------------------------------------------------------------ regressions


def test_demo_button_wins_over_an_earlier_upload(app: AppTest) -> None:
    _upload(app, "kapot.csv", BROKEN_CSV)
    app.button(key="use_demo").click().run()
    assert _metrics(app)["Leerlingen"] == "200"
    assert [e.label for e in app.expander] == ["Controle van demo_school.csv"]


def test_widget_rerun_runs_the_entrypoint_on_a_cold_start(db_url: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)  # Streamlit as shipped, a cold process
    at.run()
    at.sidebar.selectbox(key="lang").set_value("en").run()
    assert [s.key for s in at.sidebar.selectbox] == ["lang"]  # the language switch from app.py is still there
    at.run()
    assert [t.value for t in at.title] == ["Log in to PeerMatch"]
