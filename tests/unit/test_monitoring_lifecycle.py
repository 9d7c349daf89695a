"""Monitoring follows the pair's life (issue 15, item 3): an ended pair gets no alert and counts nowhere but
keeps its history; "training not finished" waits until the first session is near; one triage state and one
order (worries first, by severity, the oldest first) on every page and in every export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitoring_fixtures import DATES, START, held, missed, pair, steady

from peermatch.monitoring import (
    TRAINING_LEAD_DAYS,
    AlertKind,
    Health,
    PairHistory,
    Triage,
    checkin_alert_id,
    follow_pair,
    generate_alerts,
    new_triage,
    school_overview,
    transition,
)
from peermatch.reports.tables import pairs_table, sessions_table

AT = datetime(2026, 9, 21, 8, 15, tzinfo=UTC)


def _group_of_twelve() -> list[PairHistory]:
    """Twelve running pairs in 4b and a thirteenth that ended ("verhuisd") after two missed sessions and a worry."""
    running = [steady(4, f"p{n}") for n in range(12)]
    ended = pair([held(DATES[0], worry=True, note="Hij is stil"), missed(DATES[1]), missed(DATES[2])], "gone",
                 ended_on=DATES[2], end_reason="verhuisd")  # fmt: skip
    return [*running, ended]


def test_an_ended_pair_gets_no_alert_and_is_counted_in_no_dosage_or_health() -> None:
    histories = _group_of_twelve()
    as_of = DATES[4]
    assert [a for a in generate_alerts(histories, as_of) if a.pair_id == "gone"] == []
    overview = school_overview(histories, as_of)
    assert len(overview.healths) == 12
    assert sum(overview.counts.values()) == 12
    [group] = overview.groups
    assert group.pairs == 12  # the group of 12 shows 12 pairs, not 13
    assert overview.total.planned == 12 * 4
    assert [h.pair_id for h in overview.ended] == ["gone"]


def test_an_ended_pair_keeps_its_history_with_its_end_on_the_timeline() -> None:
    [*_, ended] = _group_of_twelve()
    follow = follow_pair(ended, DATES[6])
    assert follow.ended
    assert follow.health is None
    assert follow.alerts == ()
    assert follow.dosage.planned == 3  # the sessions until its end, not the weeks after
    kinds = [e.kind for e in follow.timeline]
    assert kinds == ["session", "session", "session", "ended"]
    assert follow.timeline[-1].details == {"reason": "verhuisd"}
    assert follow.timeline[-1].day == DATES[2]


def test_an_unfinished_training_is_a_signal_only_when_the_first_session_is_near() -> None:
    untrained = pair([], training_ready=False)
    weeks_before = START - timedelta(days=21)
    assert generate_alerts([untrained], weeks_before) == []  # publishing weeks ahead: no flood on day 0
    near = START - timedelta(days=TRAINING_LEAD_DAYS)
    assert [a.kind for a in generate_alerts([untrained], near)] == [AlertKind.TRAINING]
    assert [a.kind for a in generate_alerts([untrained], START)] == [AlertKind.TRAINING]
    assert school_overview([untrained], weeks_before).counts[Health.AANDACHT_NODIG] == 0


def _triaged(history_worry_day: int) -> tuple[list[PairHistory], dict[str, Triage]]:
    worried = pair([held(DATES[history_worry_day], worry=True, note="Ze wordt gepest")], "w")
    untrained = [steady(1, f"t{n}", training_ready=False) for n in range(18)]
    key = checkin_alert_id("w", DATES[history_worry_day], worry=True, help_needed=False)
    assert key is not None
    return [*untrained, worried], {key: transition(new_triage(key), "in_behandeling", by="IB", at=AT)}


def test_a_worry_in_behandeling_stays_above_every_milder_alert() -> None:
    histories, triages = _triaged(0)
    overview = school_overview(histories, DATES[1], triages=triages)
    first, triage = overview.alerts[0]
    assert (first.kind, first.pair_id, triage.state.value) == (AlertKind.WORRY, "w", "in_behandeling")
    assert [a.pair_id for a, _ in overview.open_worries()] == ["w"]
    assert len(overview.other_open()) == 18


def test_a_handled_worry_is_open_nowhere_but_shown_as_handled_everywhere() -> None:
    histories, triages = _triaged(0)
    [(key, triage)] = triages.items()
    triages = {key: transition(triage, "afgehandeld", by="IB", at=AT, note="Met ouders gesproken")}
    as_of = DATES[1]
    overview = school_overview(histories, as_of, triages=triages)
    assert overview.open_worries() == ()
    assert [t.state.value for _, t in overview.handled_worries()] == ["afgehandeld"]
    worried = histories[-1]
    follow = follow_pair(worried, as_of, triages=triages)
    assert [t.state.value for _, t in follow.alerts] == ["afgehandeld"]
    assert follow.health is not None
    assert follow.health.status is not Health.RISICO  # the handled worry is no longer counted
    [row] = pairs_table([worried], as_of, triages=triages).records()
    assert row["open_worries"] == 0
    assert row["worry_triage"].startswith("Afgehandeld: Zorgsignaal")
    assert row["pair_state"] == "actief"
    [session] = sessions_table([worried], as_of=as_of, triages=triages).records()
    assert (session["triage"], session["status"]) == ("Afgehandeld", "gehouden")


def test_the_export_names_an_ended_pair_and_its_reason() -> None:
    [*_, ended] = _group_of_twelve()
    [row] = pairs_table([ended], DATES[6]).records()
    assert (row["pair_state"], row["end_date"], row["end_reason"], row["health"]) == (
        "beëindigd",
        DATES[2],
        "verhuisd",
        "",
    )
