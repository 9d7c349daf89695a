"""The Monday overview in one call, the pair timeline, handled worries, and the behind-plan anchor."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from monitoring_fixtures import DATES, PLAN, held, missed, morning_after, pair, steady

from peermatch.monitoring import (
    AlertKind,
    CheckIn,
    Health,
    LevelMeasurement,
    PairHistory,
    SessionStatus,
    Thresholds,
    generate_alerts,
    new_triage,
    pair_dosage,
    pair_health,
    pair_timeline,
    school_overview,
    transition,
)
from peermatch.monitoring.signals import behind_plan

MONDAY = datetime(2026, 9, 21, 8, 0, tzinfo=UTC)
DAY = morning_after(DATES[3])  # Friday 18 September: the four sessions so far are all due


def monday_school() -> list[PairHistory]:
    return [
        steady(4, "ok"),
        pair([*(held(d) for d in DATES[:3]), held(DATES[3], worry=True, note="Hij is bang")], "worry"),
        pair([held(DATES[0]), held(DATES[1]), missed(DATES[2]), missed(DATES[3])], "missed"),
        steady(4, "untrained", training_ready=False),
    ]


def test_the_overview_counts_pairs_by_health_and_opens_with_the_new_worries() -> None:
    overview = school_overview(monday_school(), DAY)
    assert overview.counts == {Health.OP_KOERS: 1, Health.TE_VROEG: 0, Health.AANDACHT_NODIG: 1, Health.RISICO: 2}
    assert [h.pair_id for h in overview.healths] == ["missed", "worry", "untrained", "ok"]  # worst first
    assert overview.new_worries == 1
    first_alert, triage = overview.alerts[0]
    assert (first_alert.kind, first_alert.pair_id, first_alert.text) == (AlertKind.WORRY, "worry", "Hij is bang")
    assert triage.state.value == "nieuw"
    assert [h.pair_id for h in overview.needing_attention()] == ["missed", "worry", "untrained"]
    assert (overview.total.planned, overview.total.held) == (16, 14)  # 4 + 4 + 2 + 4


def test_a_handled_worry_no_longer_makes_the_pair_a_risk_but_stays_in_the_inbox() -> None:
    histories = monday_school()
    worry = next(a for a in generate_alerts(histories, DAY) if a.kind is AlertKind.WORRY)
    picked = transition(new_triage(worry.alert_id), "in_behandeling", by="IB", at=MONDAY, note="Gesprek gepland")
    in_progress = school_overview(histories, DAY, triages={worry.alert_id: picked})
    assert next(h for h in in_progress.healths if h.pair_id == "worry").status is Health.RISICO
    done = transition(picked, "afgehandeld", by="IB", at=MONDAY + timedelta(hours=3), note="Met ouders gesproken")
    handled = school_overview(histories, DAY, triages={worry.alert_id: done})
    assert next(h for h in handled.healths if h.pair_id == "worry").status is Health.OP_KOERS
    assert handled.new_worries == 0
    assert handled.alerts[-1][0].alert_id == worry.alert_id  # handled alerts go last
    assert handled.open_alerts == in_progress.open_alerts - 1


def test_the_timeline_lists_sessions_levels_and_triage_steps_in_order() -> None:
    history = pair(
        [held(DATES[0]), held(DATES[1], worry=True, note="zorg")],
        "p",
        tutee_levels=(LevelMeasurement(date(2026, 6, 1), 3), LevelMeasurement(date(2027, 2, 1), 4)),
    )
    alerts = generate_alerts([history], DATES[1])
    triage = transition(new_triage(alerts[0].alert_id), "in_behandeling", by="juf Anna", at=MONDAY, note="bel ouders")
    timeline = pair_timeline(history, alerts=alerts, triages={alerts[0].alert_id: triage})
    assert [(e.day, e.kind) for e in timeline] == [
        (date(2026, 6, 1), "level_tutee"),
        (DATES[0], "session"),
        (DATES[1], "session"),
        (date(2026, 9, 21), "triage"),
        (date(2027, 2, 1), "level_tutee"),
    ]
    assert timeline[2].details["note"] == "zorg"
    assert timeline[3].details["by"] == "juf Anna"
    assert [e.kind for e in pair_timeline(history, as_of=DATES[0])] == ["level_tutee", "session"]


def reference_anchor(history: PairHistory, as_of: date, pct: float) -> date | None:
    """Brute force: walk back over the planned days (due before ``as_of``) while the pair was behind on the
    morning after each of them."""
    if pair_dosage(history, as_of).planned == 0 or pair_dosage(history, as_of).behind_pct < pct:
        return None
    anchor = None
    for day in reversed([p for p in PLAN.planned_dates() if p < as_of]):
        if pair_dosage(history, morning_after(day)).behind_pct < pct:
            break
        anchor = day
    return anchor


@given(
    statuses=st.lists(st.sampled_from(["held", "tutee_absent", "cancelled", "none"]), min_size=1, max_size=20),
    pct=st.sampled_from([10, 25, 50, 75]),
)
def test_the_behind_plan_anchor_matches_a_brute_force_walk(statuses: list[str], pct: int) -> None:
    checkins = [CheckIn(d, SessionStatus(s)) for d, s in zip(DATES, statuses, strict=False) if s != "none"]
    history = pair(checkins)
    as_of = morning_after(DATES[len(statuses) - 1])
    found = behind_plan(history, as_of, pct)
    expected = reference_anchor(history, as_of, pct)
    assert (found.anchor if found else None) == expected
    if found and found.planned >= Thresholds().too_early_sessions:  # health waits for 3 due sessions
        at_pct = Thresholds(dosage_behind_pct=pct, dosage_risk_pct=max(pct, 50))
        assert pair_health(history, as_of, at_pct).codes  # something is said about a pair behind plan
