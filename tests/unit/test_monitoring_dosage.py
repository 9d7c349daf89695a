"""Dosage: sessions held against the plan, per pair, per group and for the programme."""

from __future__ import annotations

from datetime import date

from monitoring_fixtures import DATES, held, missed, morning_after, pair

from peermatch.monitoring import group_dosage, pair_dosage, programme_dosage


def test_a_pair_counts_planned_sessions_up_to_the_day_and_held_sessions_with_their_minutes() -> None:
    history = pair([held(DATES[0]), held(DATES[1], minutes=15), missed(DATES[2]), held(DATES[3])])
    d = pair_dosage(history, date(2026, 9, 20))  # planned: 7, 10, 14, 17 September
    assert (d.planned, d.held, d.missed, d.minutes) == (4, 3, 1, 55)
    assert d.behind == 1
    assert d.behind_pct == 25.0
    assert d.held_pct == 75.0
    assert d.planned_total == 20


def test_before_the_plan_starts_nothing_is_planned_and_nothing_is_behind() -> None:
    d = pair_dosage(pair([]), date(2026, 9, 1))
    assert (d.planned, d.behind, d.behind_pct, d.held_pct) == (0, 0, 0.0, 0.0)


def test_extra_sessions_never_make_a_pair_negatively_behind() -> None:
    history = pair([held(DATES[0]), held(date(2026, 9, 8)), held(date(2026, 9, 9))])
    d = pair_dosage(history, morning_after(date(2026, 9, 9)))  # Thursday's session is not due yet
    assert (d.planned, d.held, d.behind_pct, d.held_pct) == (1, 3, 0.0, 300.0)


def test_a_session_day_does_not_start_behind() -> None:
    """On the morning of a session day that session is not missing yet; the next morning it is."""
    history = pair([held(d) for d in DATES[:3]])
    on_the_day = pair_dosage(history, DATES[3])
    assert (on_the_day.planned, on_the_day.held, on_the_day.behind) == (3, 3, 0)
    after = pair_dosage(history, morning_after(DATES[3]))
    assert (after.planned, after.held, after.behind) == (4, 3, 1)
    late = pair_dosage(pair([*history.checkins, held(DATES[3])]), morning_after(DATES[3]))
    assert (late.planned, late.held, late.behind) == (4, 4, 0)  # filled in that evening: on plan


def test_groups_sum_their_pairs_and_count_those_behind() -> None:
    day = date(2026, 9, 20)  # 4 planned per pair
    a = pair([held(d) for d in DATES[:4]], "a", tutee_group="4a")  # 4/4
    b = pair([held(d) for d in DATES[:2]], "b", tutee_group="4a")  # 2/4: 50 % behind
    c = pair([held(d) for d in DATES[:3]], "c", tutee_group="3b")  # 3/4: 25 % behind
    groups = group_dosage([a, b, c], day)
    assert [(g.group, g.pairs, g.planned, g.held, g.pairs_behind) for g in groups] == [
        ("3b", 1, 4, 3, 1),
        ("4a", 2, 8, 6, 1),
    ]
    assert groups[1].behind_pct == 25.0
    total = programme_dosage([a, b, c], day)
    assert (total.pairs, total.planned, total.held, total.behind_pct, total.pairs_behind) == (3, 12, 9, 25.0, 2)
    by_tutor_group = group_dosage([a, b, c], day, key=lambda h: h.tutor_group)
    assert [g.group for g in by_tutor_group] == ["7a"]
