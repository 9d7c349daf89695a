"""Alerts from histories and schedules, their stable ids, and the triage flow with who, when and a note."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from monitoring_fixtures import DATES, held, missed, morning_after, pair, steady

from peermatch.monitoring import (
    Alert,
    AlertKind,
    MonitoringError,
    Triage,
    TriageState,
    alert_id,
    generate_alerts,
    inbox,
    new_triage,
    transition,
)

MONDAY = datetime(2026, 9, 21, 8, 15, tzinfo=UTC)


def kinds(alerts: list[Alert]) -> list[AlertKind]:
    return [a.kind for a in alerts]


def test_a_happy_pair_raises_no_alerts() -> None:
    assert generate_alerts([steady(6)], DATES[5]) == []


def test_a_worry_signal_becomes_an_alert_that_carries_the_check_in_text() -> None:
    history = pair([held(DATES[0]), held(DATES[1], worry=True, note="Ze huilde na het lezen")])
    [alert] = generate_alerts([history], DATES[1])
    assert alert.kind is AlertKind.WORRY
    assert alert.text == "Ze huilde na het lezen"
    assert alert.anchor == DATES[1]
    assert alert.message("nl") == "Zorgsignaal van de tutor (2026-09-10)."


def test_each_worrying_check_in_is_its_own_alert() -> None:
    history = pair([held(DATES[0], worry=True), held(DATES[1], worry=True)])
    alerts = generate_alerts([history], DATES[1])
    assert kinds(alerts) == [AlertKind.WORRY, AlertKind.WORRY]
    assert [a.anchor for a in alerts] == [DATES[0], DATES[1]]  # the oldest first: it has waited longest


def test_a_help_request_becomes_an_alert() -> None:
    history = pair([held(DATES[0], help_needed=True, note="Hoe help ik met lange woorden?")])
    assert kinds(generate_alerts([history], DATES[0])) == [AlertKind.HELP_NEEDED]


def test_a_worry_that_also_asks_for_help_is_one_alert() -> None:
    history = pair([held(DATES[0], worry=True, help_needed=True, note="Hij wordt gepest.")])
    alerts = generate_alerts([history], DATES[0])
    assert kinds(alerts) == [AlertKind.WORRY]
    assert alerts[0].text == "Hij wordt gepest."


def test_missed_sessions_in_a_row_raise_one_alert_that_keeps_its_id_while_the_streak_grows() -> None:
    base = [held(d) for d in DATES[:3]]
    two = generate_alerts([pair([*base, missed(DATES[3]), missed(DATES[4])])], DATES[4])
    three = generate_alerts([pair([*base, missed(DATES[3]), missed(DATES[4]), missed(DATES[5])])], DATES[5])
    assert kinds(two) == [AlertKind.MISSED, AlertKind.DOSAGE_BEHIND]  # 3 of the 4 due held is also 25 % behind
    assert two[0].params["count"] == 2
    grown = next(a for a in three if a.kind is AlertKind.MISSED)
    assert grown.alert_id == two[0].alert_id
    assert grown.params["count"] == 3


def test_a_new_streak_after_a_held_session_is_a_new_alert() -> None:
    checkins = [held(DATES[0]), missed(DATES[1]), missed(DATES[2]), held(DATES[3]), missed(DATES[4]), missed(DATES[5])]
    first = generate_alerts([pair(checkins[:3])], DATES[2])[0]
    second = next(a for a in generate_alerts([pair(checkins)], DATES[5]) if a.kind is AlertKind.MISSED)
    assert first.alert_id != second.alert_id


def test_falling_mood_raises_one_alert_per_score() -> None:
    checkins = [held(d, tutor_mood=m, tutee_fun=m) for d, m in zip(DATES[:3], (5, 4, 2), strict=True)]
    alerts = generate_alerts([pair(checkins)], DATES[2])
    assert kinds(alerts) == [AlertKind.MOOD_FALLING, AlertKind.MOOD_FALLING]
    assert {a.params["score"] for a in alerts} == {"tutor_mood", "tutee_fun"}
    assert len({a.alert_id for a in alerts}) == 2
    assert "5 → 4 → 2" in alerts[0].message("en")


def test_a_tutor_without_finished_training_raises_an_alert_anchored_on_the_programme_start() -> None:
    [alert] = generate_alerts([steady(4, training_ready=False)], DATES[3])
    assert alert.kind is AlertKind.TRAINING
    assert alert.anchor == DATES[0]


def test_ten_days_without_a_check_in_raise_an_alert_anchored_on_the_last_check_in() -> None:
    alerts = generate_alerts([steady(4)], date(2026, 9, 27))  # also 4 of 6 held: behind plan
    assert kinds(alerts) == [AlertKind.NO_CHECKIN, AlertKind.DOSAGE_BEHIND]
    assert alerts[0].anchor == DATES[3]
    assert not any(a.kind is AlertKind.NO_CHECKIN for a in generate_alerts([steady(4)], date(2026, 9, 26)))
    later = generate_alerts([steady(4)], date(2026, 9, 28))
    assert next(a for a in later if a.kind is AlertKind.NO_CHECKIN).alert_id == alerts[0].alert_id


def test_dosage_behind_plan_raises_an_alert_anchored_where_the_pair_fell_behind() -> None:
    # Mon 7, Thu 10 held; Mon 14 and Thu 17 missed: on Fri 18, 2 of 4 held = 50 %; on Tue 15, 2 of 3 = 33 %.
    checkins = [held(DATES[0]), held(DATES[1]), missed(DATES[2]), missed(DATES[3])]
    alerts = generate_alerts([pair(checkins)], morning_after(DATES[3]))
    alert = next(a for a in alerts if a.kind is AlertKind.DOSAGE_BEHIND)
    assert alert.anchor == DATES[2]
    assert dict(alert.params) == {"planned": 4, "held": 2, "pct": 50.0}


def test_generating_again_on_the_same_data_gives_the_same_ids() -> None:
    histories = [pair([held(DATES[0], worry=True), missed(DATES[1]), missed(DATES[2])], training_ready=False)]
    first = generate_alerts(histories, DATES[2])
    again = generate_alerts(histories, DATES[2])
    assert [a.alert_id for a in first] == [a.alert_id for a in again]
    assert len({a.alert_id for a in first}) == len(first)


def test_the_alert_id_is_a_hash_of_kind_pair_and_anchor() -> None:
    one = alert_id(AlertKind.WORRY, "p1", date(2026, 9, 7))
    assert one == alert_id("worry", "p1", date(2026, 9, 7))
    assert len(one) == 16
    assert one != alert_id(AlertKind.WORRY, "p2", date(2026, 9, 7))
    assert one != alert_id(AlertKind.MISSED, "p1", date(2026, 9, 7))
    assert one != alert_id(AlertKind.WORRY, "p1", date(2026, 9, 8))


def test_alerts_come_worries_first() -> None:
    histories = [steady(4, "a", training_ready=False), pair([held(DATES[3], worry=True)], "b")]
    assert kinds(generate_alerts(histories, DATES[3]))[0] is AlertKind.WORRY


def test_the_triage_flow_records_who_when_and_what() -> None:
    triage = new_triage("abc")
    assert triage.state is TriageState.NIEUW
    picked = transition(triage, TriageState.IN_BEHANDELING, by="juf Anna (IB)", at=MONDAY, note="Gesprek met tutor")
    done = transition(picked, "afgehandeld", by="juf Anna (IB)", at=MONDAY.replace(hour=14), note="Ouders gebeld")
    assert done.state is TriageState.AFGEHANDELD
    assert [(e.state, e.by, e.note) for e in done.events] == [
        (TriageState.IN_BEHANDELING, "juf Anna (IB)", "Gesprek met tutor"),
        (TriageState.AFGEHANDELD, "juf Anna (IB)", "Ouders gebeld"),
    ]
    assert triage.events == ()  # the original is untouched


def test_a_handled_alert_can_be_reopened_with_a_note() -> None:
    done = transition(new_triage("x"), "afgehandeld", by="IB", at=MONDAY, note="Niets aan de hand")
    reopened = transition(done, "in_behandeling", by="IB", at=MONDAY, note="Tutor meldt het opnieuw")
    assert reopened.state is TriageState.IN_BEHANDELING


@pytest.mark.parametrize(
    ("path", "illegal"),
    [([], "nieuw"), (["in_behandeling"], "in_behandeling"), (["in_behandeling"], "nieuw"),
     (["afgehandeld"], "afgehandeld"), (["afgehandeld"], "nieuw")],
)  # fmt: skip
def test_illegal_triage_moves_are_refused_with_a_clear_error(path: list[str], illegal: str) -> None:
    triage = new_triage("x")
    for step in path:
        triage = transition(triage, step, by="IB", at=MONDAY, note="notitie")
    with pytest.raises(MonitoringError) as caught:
        transition(triage, illegal, by="IB", at=MONDAY, note="notitie")
    problem = caught.value.problems[0]
    assert problem.code == "monitoring.triage.illegal"
    assert f"Van '{triage.state.value}' kan een signaal niet naar '{illegal}'" in caught.value.message("nl")


def test_closing_without_a_note_or_without_a_name_is_refused() -> None:
    with pytest.raises(MonitoringError, match="note"):
        transition(new_triage("x"), "afgehandeld", by="IB", at=MONDAY)
    with pytest.raises(MonitoringError) as caught:
        transition(new_triage("x"), "in_behandeling", by="  ", at=MONDAY)
    assert caught.value.problems[0].code == "monitoring.triage.no_actor"
    with pytest.raises(MonitoringError) as unknown:
        transition(new_triage("x"), "gedaan", by="IB", at=MONDAY)
    assert unknown.value.problems[0].code == "monitoring.triage.unknown_state"


def test_a_step_cannot_be_dated_before_the_previous_one() -> None:
    picked = transition(new_triage("x"), "in_behandeling", by="IB", at=MONDAY)
    with pytest.raises(MonitoringError):
        transition(picked, "afgehandeld", by="IB", at=MONDAY.replace(hour=7), note="klaar")


def test_the_inbox_shows_open_alerts_worries_first_whatever_their_state_then_the_done_ones() -> None:
    worried = [held(DATES[0], worry=True)]
    histories = [pair(worried, "a"), steady(1, "b", training_ready=False), pair(worried, "c")]
    alerts = generate_alerts(histories, DATES[0])
    by_pair = {a.pair_id: a for a in alerts}
    triages: dict[str, Triage] = {
        by_pair["a"].alert_id: transition(
            new_triage(by_pair["a"].alert_id), "afgehandeld", by="IB", at=MONDAY, note="ok"
        ),
        by_pair["c"].alert_id: transition(new_triage(by_pair["c"].alert_id), "in_behandeling", by="IB", at=MONDAY),
    }
    rows = inbox(alerts, triages)
    assert [(a.pair_id, t.state.value) for a, t in rows] == [
        ("c", "in_behandeling"),  # a worry in behandeling stays above a new "training not finished"
        ("b", "nieuw"),
        ("a", "afgehandeld"),
    ]
    assert TriageState.IN_BEHANDELING.label("nl") == "In behandeling"
