"""Pair health: every rule fires on a constructed history, with its numbers, and only then."""

from __future__ import annotations

from datetime import date

import pytest
from monitoring_fixtures import DATES, PLAN, held, missed, morning_after, pair, steady

from peermatch.monitoring import (
    HEALTH_RULES,
    CheckIn,
    Health,
    MonitoringError,
    Plan,
    SessionStatus,
    Thresholds,
    alert_id,
    health_counts,
    pair_health,
)

# After the 6th planned session (Thursday 17 September) six sessions were planned.
SIXTH = DATES[5]


def test_a_pair_that_met_every_time_happily_is_on_course() -> None:
    health = pair_health(steady(6), SIXTH)
    assert health.status is Health.OP_KOERS
    assert health.reasons == ()


def test_a_pair_with_fewer_than_three_sessions_and_nothing_wrong_is_too_early_to_tell() -> None:
    health = pair_health(steady(2), DATES[1])
    assert health.status is Health.TE_VROEG
    assert health.codes == ("too_early",)
    assert dict(health.reasons[0].params) == {"held": 2, "needed": 3}


def test_a_worry_signal_in_the_last_two_weeks_makes_the_pair_a_risk_even_early_on() -> None:
    history = pair([held(DATES[0], worry=True, note="Hij wil niet meer komen")])
    health = pair_health(history, DATES[0])
    assert health.status is Health.RISICO
    assert health.codes == ("worry",)
    assert health.reasons[0].params["date"] == "2026-09-07"


def test_a_worry_older_than_the_worry_window_no_longer_counts() -> None:
    checkins = [held(DATES[0], worry=True), *(held(d) for d in DATES[1:6])]
    assert pair_health(pair(checkins), date(2026, 9, 20)).status is Health.RISICO  # 14 days incl. 7 Sep
    assert pair_health(pair(checkins), date(2026, 9, 21)).status is Health.OP_KOERS


def test_two_missed_sessions_in_a_row_need_attention() -> None:
    checkins = [*(held(d) for d in DATES[:4]), missed(DATES[4]), missed(DATES[5], SessionStatus.CANCELLED)]
    health = pair_health(pair(checkins), SIXTH)
    assert health.status is Health.AANDACHT_NODIG
    assert "missed" in health.codes
    reason = next(r for r in health.reasons if r.code == "missed")
    assert dict(reason.params) == {"count": 2, "since": DATES[4].isoformat()}


def test_a_held_session_ends_a_missed_streak() -> None:
    checkins = [*(held(d) for d in DATES[:3]), missed(DATES[3]), held(DATES[4]), missed(DATES[5])]
    assert "missed" not in pair_health(pair(checkins), SIXTH).codes


def test_four_missed_sessions_in_a_row_make_the_pair_a_risk() -> None:
    checkins = [*(held(d) for d in DATES[:4]), *(missed(d) for d in DATES[4:8])]
    health = pair_health(pair(checkins), DATES[7])
    assert health.status is Health.RISICO
    assert "missed_long" in health.codes
    assert "missed" not in health.codes  # one streak, reported once at its own level


def test_a_falling_run_reports_its_whole_length_and_keeps_its_start_as_it_goes_on() -> None:
    checkins = [held(d, tutee_fun=v) for d, v in zip(DATES[:4], (5, 4, 3, 2), strict=True)]
    reason = next(r for r in pair_health(pair(checkins), DATES[3]).reasons if r.code == "mood_falling")
    assert reason.params["values"] == "5 → 4 → 3 → 2"
    assert reason.params["since"] == DATES[0].isoformat()


def test_the_tutees_fun_falling_over_three_sessions_needs_attention() -> None:
    checkins = [held(DATES[0]), held(DATES[1]), held(DATES[2], tutee_fun=4), held(DATES[3], tutee_fun=3),
                held(DATES[4], tutee_fun=2)]  # fmt: skip
    health = pair_health(pair(checkins), DATES[4])
    assert health.status is Health.AANDACHT_NODIG
    reason = next(r for r in health.reasons if r.code == "mood_falling")
    assert reason.params["score"] == "tutee_fun"
    assert reason.params["values"] == "4 → 3 → 2"
    assert reason.params["since"] == DATES[2].isoformat()
    assert "plezier van de tutee" in reason.message("nl")


@pytest.mark.parametrize(
    ("scores", "falls"),
    [
        ((4, 3, 2), True),
        ((5, 3, 1), True),
        ((4, 4, 2), False),
        ((5, 3, 3), False),
        ((3, 3, 3), False),
        ((4, 2, 3), False),
        ((2, 3, 4), False),
    ],
)
def test_a_score_falls_only_when_each_of_the_last_three_answers_is_lower_than_the_one_before(
    scores: tuple[int, int, int], falls: bool
) -> None:
    checkins = [held(d, tutor_mood=s) for d, s in zip(DATES[:3], scores, strict=True)]
    health = pair_health(pair(checkins), DATES[2])
    assert ("mood_falling" in health.codes) is falls


def test_unanswered_scores_are_skipped_when_looking_for_a_fall() -> None:
    checkins = [held(DATES[0], tutor_mood=5), held(DATES[1], tutor_mood=None), missed(DATES[2]),
                held(DATES[3], tutor_mood=4), held(DATES[4], tutor_mood=3)]  # fmt: skip
    assert "mood_falling" in pair_health(pair(checkins), DATES[4]).codes


def test_a_help_request_needs_attention() -> None:
    checkins = [held(d) for d in DATES[:4]] + [
        held(DATES[4], help_needed=True, note="Kunt u helpen met moeilijke woorden?")
    ]
    health = pair_health(pair(checkins), DATES[4])
    assert health.status is Health.AANDACHT_NODIG
    assert health.codes == ("help_needed",)


def test_once_a_worry_that_asked_for_help_is_handled_the_help_request_is_handled_too() -> None:
    checkins = [held(d) for d in DATES[:4]] + [held(DATES[4], worry=True, help_needed=True, note="Hij is bang")]
    history = pair(checkins)
    assert pair_health(history, DATES[4]).codes == ("worry",)
    handled = pair_health(history, DATES[4], resolved={alert_id("worry", "p1", DATES[4])})
    assert handled.status is Health.OP_KOERS


def test_a_tutor_who_has_not_finished_training_needs_attention() -> None:
    health = pair_health(steady(6, training_ready=False), SIXTH)
    assert health.status is Health.AANDACHT_NODIG
    assert health.codes == ("training",)


def test_no_check_in_for_ten_days_needs_attention() -> None:
    history = steady(4)  # last check-in Thursday 17 September; the Monday after has none yet
    assert "no_checkin" not in pair_health(history, date(2026, 9, 26)).codes  # 9 days
    health = pair_health(history, date(2026, 9, 27))
    assert "no_checkin" in health.codes
    reason = next(r for r in health.reasons if r.code == "no_checkin")
    assert dict(reason.params) == {"days": 10, "since": "2026-09-17"}


def test_a_pair_with_no_check_in_at_all_counts_silence_from_the_first_planned_session() -> None:
    health = pair_health(pair([]), date(2026, 9, 17))
    assert "no_checkin" in health.codes
    assert next(r for r in health.reasons if r.code == "no_checkin").params["days"] == 10


def test_nothing_is_said_about_silence_or_dosage_before_the_plan_starts() -> None:
    health = pair_health(pair([]), date(2026, 9, 1))
    assert health.status is Health.TE_VROEG


def test_a_quarter_of_the_plan_behind_needs_attention_and_half_is_a_risk() -> None:
    # 8 due by Friday 2 October: 6 held is 25 % behind, 4 held is 50 % behind.
    six = pair([held(d) for d in DATES[:6]])
    four = pair([held(d) for d in DATES[:4]])
    day = morning_after(DATES[7])
    assert day == date(2026, 10, 2)
    reason = next(r for r in pair_health(six, day).reasons if r.code == "dosage_behind")
    assert dict(reason.params) == {"planned": 8, "held": 6, "pct": 25.0}
    four_health = pair_health(four, day)
    assert four_health.status is Health.RISICO
    assert "dosage_far" in four_health.codes


def test_reasons_come_worst_first_and_the_status_is_the_worst() -> None:
    checkins = [held(d) for d in DATES[:3]] + [held(DATES[3], worry=True)]
    health = pair_health(pair(checkins, training_ready=False), DATES[3])
    assert health.status is Health.RISICO
    assert health.codes == ("worry", "training")
    assert [r.level for r in health.reasons] == [Health.RISICO, Health.AANDACHT_NODIG]


def test_check_ins_after_the_day_asked_are_ignored() -> None:
    checkins = [held(d) for d in DATES[:6]] + [held(DATES[6], worry=True)]
    assert pair_health(pair(checkins), SIXTH).status is Health.OP_KOERS


def test_a_school_can_loosen_the_thresholds() -> None:
    checkins = [*(held(d) for d in DATES[:4]), missed(DATES[4]), missed(DATES[5])]
    loose = Thresholds(missed_in_a_row=3, dosage_behind_pct=40, dosage_risk_pct=60)
    assert pair_health(pair(checkins), SIXTH, loose).status is Health.OP_KOERS


@pytest.mark.parametrize(
    "kwargs",
    [{"missed_in_a_row": 0}, {"dosage_behind_pct": 120}, {"missed_in_a_row": 5}, {"dosage_risk_pct": 10},
     {"mood_falling_sessions": 1}],
)  # fmt: skip
def test_impossible_thresholds_are_refused_with_a_message(kwargs: dict[str, int]) -> None:
    with pytest.raises(MonitoringError) as caught:
        Thresholds(**kwargs)
    assert caught.value.problems[0].code.startswith("monitoring.threshold_")
    assert "{" not in caught.value.message("nl")


def test_every_rule_has_a_level_and_a_message_in_both_languages() -> None:
    from peermatch.i18n import catalogue

    for code in HEALTH_RULES:
        assert f"monitoring.rule.{code}" in catalogue("nl")
        assert f"monitoring.rule.{code}" in catalogue("en")
    for status in Health:
        assert status.label("nl") != status.label("en")


def test_health_counts_list_every_status() -> None:
    healths = [pair_health(steady(6, f"p{i}"), SIXTH) for i in range(3)] + [pair_health(steady(1, "x"), DATES[0])]
    assert health_counts(healths) == {
        Health.OP_KOERS: 3,
        Health.TE_VROEG: 1,
        Health.AANDACHT_NODIG: 0,
        Health.RISICO: 0,
    }


def test_the_plan_counts_sessions_on_its_weekdays() -> None:
    assert DATES[:4] == (date(2026, 9, 7), date(2026, 9, 10), date(2026, 9, 14), date(2026, 9, 17))
    assert len(DATES) == PLAN.total == 20
    assert PLAN.end == date(2026, 11, 15)
    assert PLAN.planned_until(date(2026, 9, 13)) == 2
    thursday_start = Plan(date(2026, 9, 10), weeks=1, sessions_per_week=2, weekdays=(1, 4))
    assert thursday_start.planned_dates() == (date(2026, 9, 10), date(2026, 9, 14))
    sunday = Plan(date(2026, 9, 7), weeks=1, sessions_per_week=1, weekdays=(7,))  # ISO, as a programme's moments
    assert sunday.planned_dates() == (date(2026, 9, 13),)
    spread = Plan(date(2026, 9, 7), weeks=1, sessions_per_week=3)
    assert spread.planned_dates() == (date(2026, 9, 7), date(2026, 9, 9), date(2026, 9, 11))


@pytest.mark.parametrize(
    "kwargs",
    [{"weeks": 0}, {"sessions_per_week": 8}, {"sessions_per_week": 2, "weekdays": (1,)},
     {"sessions_per_week": 1, "weekdays": (0,)}, {"sessions_per_week": 1, "weekdays": (8,)}],
)  # fmt: skip
def test_an_impossible_plan_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(MonitoringError):
        Plan(date(2026, 9, 7), **{"weeks": 4, **kwargs})  # type: ignore[arg-type]


def test_a_check_in_is_a_frozen_value() -> None:
    c = CheckIn(date(2026, 9, 7))
    with pytest.raises(AttributeError):
        c.minutes = 3  # type: ignore[misc]


def test_one_missed_first_session_is_not_yet_a_dosage_problem() -> None:
    health = pair_health(pair([missed(DATES[0])]), DATES[0])
    assert health.status is Health.TE_VROEG
    one_of_three = pair([missed(DATES[0]), held(DATES[1])])
    assert pair_health(one_of_three, morning_after(DATES[2])).codes == ("dosage_far",)
