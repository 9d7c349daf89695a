"""Instellingen in AppTest on the demo database: the IB'er changes a threshold and it is stored (a fresh run
shows it, with who changed it); a bad combination shows a readable error and stores nothing; the defaults
come back with one button; the monitoring pages judge with the stored numbers; a leerkracht has no such page
and the core refuses them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from apphelpers import account, count, logged_in, ok
from monitoring_world import build_monitored

from peermatch.errors import PermissionDeniedError
from peermatch.monitoring import DEFAULT_THRESHOLDS, Thresholds
from peermatch.services import Database, settings
from peermatch.storage.engine import make_engine, session_factory

PAGE = "views/instellingen.py"


def _stored(url: str, username: str = "ib") -> settings.ThresholdSettings:
    engine = make_engine(url)
    try:
        return settings.monitoring_settings(Database(session_factory(engine)), account(url, username))
    finally:
        engine.dispose()


def _store(url: str, thresholds: Thresholds) -> None:
    engine = make_engine(url)
    try:
        settings.set_monitoring_thresholds(Database(session_factory(engine)), account(url, "ib"), thresholds)
    finally:
        engine.dispose()


def test_the_ib_changes_a_threshold_and_a_fresh_run_shows_it(db_url: str) -> None:
    at = ok(logged_in(db_url, "ib", page=PAGE))
    assert at.title[0].value == "Instellingen"
    assert "Nog nooit gewijzigd: de standaardwaarden gelden." in [c.value for c in at.caption]
    field = at.number_input(key="threshold_no_checkin_days")
    assert (field.label, field.value) == ("Dagen zonder check-in", 10)
    assert "Standaard: 10." in field.help
    field.set_value(7)
    ok(at.button(key="settings_save").click().run())
    assert at.success[0].value.startswith("De instellingen zijn opgeslagen.")
    assert _stored(db_url).thresholds == replace(DEFAULT_THRESHOLDS, no_checkin_days=7)

    fresh = ok(logged_in(db_url, "ib", page=PAGE))  # a new session: the value comes from the database
    assert fresh.number_input(key="threshold_no_checkin_days").value == 7
    captions = [c.value for c in fresh.caption]
    assert any(c.startswith("Laatst gewijzigd door Intern begeleider (demo) op ") for c in captions)
    assert "Afwijkend van de standaard: Dagen zonder check-in." in captions


def test_a_bad_combination_shows_a_readable_error_and_stores_nothing(db_url: str) -> None:
    at = ok(logged_in(db_url, "ib", page=PAGE))
    at.number_input(key="threshold_missed_in_a_row").set_value(5)  # above the risk limit of 4
    at.number_input(key="threshold_no_checkin_days").set_value(7)
    ok(at.button(key="settings_save").click().run())
    assert [e.value for e in at.error] == [
        "'Gemiste sessies op rij: risico' (4) mag niet lager zijn dan de grens voor 'Aandacht nodig' (5). "
        "Er is niets opgeslagen."
    ]
    assert not at.success
    assert at.number_input(key="threshold_missed_in_a_row").value == 5  # the input stays, to correct it
    assert count(db_url, "school_settings") == 0
    assert _stored(db_url).thresholds == DEFAULT_THRESHOLDS


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("mood_falling_sessions", 1, "'Dalende lijn: aantal sessies' moet minstens 2 zijn"),
        ("dosage_risk_pct", 150, "'Achter op het plan: risico (%)' moet een heel getal van 1 of meer zijn"),
    ],
)
def test_a_value_out_of_range_names_the_field_and_stores_nothing(
    db_url: str, key: str, value: int, message: str
) -> None:
    at = ok(logged_in(db_url, "ib", page=PAGE))
    at.number_input(key=f"threshold_{key}").set_value(value)
    ok(at.button(key="settings_save").click().run())
    assert len(at.error) == 1
    assert at.error[0].value.startswith(message)
    assert count(db_url, "school_settings") == 0


def test_the_defaults_come_back_with_one_button(db_url: str) -> None:
    _store(db_url, replace(DEFAULT_THRESHOLDS, worry_days=21, dosage_behind_pct=30))
    at = ok(logged_in(db_url, "beheer", page=PAGE))
    assert at.number_input(key="threshold_worry_days").value == 21
    ok(at.button(key="settings_reset").click().run())
    assert at.success[0].value == "De standaardwaarden zijn teruggezet."
    assert at.number_input(key="threshold_worry_days").value == 14
    stored = _stored(db_url)
    assert (stored.thresholds, stored.updated_by) == (DEFAULT_THRESHOLDS, "Beheerder (demo)")
    assert at.button(key="settings_reset").disabled  # nothing left to reset


def test_the_overview_judges_pairs_with_the_stored_thresholds(db_url: str) -> None:
    build_monitored(db_url)  # one pair missed its last two sessions: a reason with the default of 2 in a row

    def reasons() -> list[str]:
        at = ok(logged_in(db_url, "ib", page="views/overzicht.py"))
        return list(at.dataframe[0].value["Waarom"])

    missed = "2 sessies op rij gingen niet door"
    assert sum(missed in r for r in reasons()) == 1
    _store(db_url, replace(DEFAULT_THRESHOLDS, missed_in_a_row=3))
    assert sum(missed in r for r in reasons()) == 0


def test_a_leerkracht_has_no_settings_page_and_the_core_refuses(db_url: str) -> None:
    at = ok(logged_in(db_url, "juf.fatima"))
    with pytest.raises(ValueError, match="Could not find a navigation page") as menu:
        at.switch_page(PAGE)  # not in a leerkracht's menu (st.navigation), so not reachable by URL either
    assert "views/resultaten.py" in str(menu.value)  # the menu itself is there
    with pytest.raises(PermissionDeniedError):
        _store_as(db_url, "juf.fatima")
    assert count(db_url, "school_settings") == 0


def _store_as(url: str, username: str) -> None:
    engine = make_engine(url)
    try:
        settings.set_monitoring_thresholds(
            Database(session_factory(engine)), account(url, username), DEFAULT_THRESHOLDS
        )
    finally:
        engine.dispose()
