"""Outcomes on known data: level growth in steps and months, participants against non-participants,
and check-in trends. Expected numbers are worked out by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest
from monitoring_fixtures import DATES, START, held, missed, pair

from peermatch.monitoring import LevelMeasurement, PupilLevels
from peermatch.monitoring.outcomes import (
    MONTHS_PER_STEP,
    compare_growth,
    level_growth,
    pair_trend,
    programme_means,
    slope,
    summarise_growth,
)

JAN, JUN, SEP = date(2026, 1, 20), date(2026, 6, 10), date(2026, 9, 1)
FEB27 = date(2027, 2, 1)


def m(day: date, index: float) -> LevelMeasurement:
    return LevelMeasurement(day, index)


def test_one_index_step_counts_as_five_school_months() -> None:
    assert MONTHS_PER_STEP == 5.0


def test_growth_runs_from_the_last_measurement_before_the_start_to_the_latest() -> None:
    levels = [m(JUN, 3), m(JAN, 2), m(FEB27, 5)]  # any order; baseline June (3), latest Feb (5)
    assert level_growth(levels, START) == 2
    assert level_growth(levels) == 3  # without a start date: from the first (2)


def test_growth_needs_two_measurements_and_a_later_one() -> None:
    assert level_growth([m(JAN, 2)], START) is None
    assert level_growth([], START) is None
    assert level_growth([m(JAN, 2), m(JUN, 3)], START) is None  # nothing measured after the start


def test_the_summary_gives_n_mean_median_and_months() -> None:
    s = summarise_growth([1, 2, 2, 4])  # mean 9/4 = 2.25, median (2+2)/2 = 2
    assert (s.n, s.mean_steps, s.median_steps) == (4, 2.25, 2.0)
    assert (s.mean_months, s.median_months) == (11.2, 10.0)  # 2.25 × 5 = 11.25 -> 11.2 (round half even)
    empty = summarise_growth([])
    assert (empty.n, empty.mean_steps, empty.mean_months) == (0, None, None)


def test_participants_are_compared_with_non_participants_of_the_same_groep() -> None:
    # Tutees in 4b grow 2 and 1 step (mean 1.5, median 1.5); their tutors in 7a grow 1 and 0.
    a = pair([], "a", tutee_levels=(m(JUN, 3), m(FEB27, 5)), tutor_levels=(m(JUN, 8), m(FEB27, 9)))
    b = pair([], "b", tutee_levels=(m(JUN, 4), m(FEB27, 5)), tutor_levels=(m(JUN, 9), m(FEB27, 9)))
    # Non-participants in 4b grow 1, 0 and 2 (mean 1); in 7a one grows 1; 5a is not in the programme.
    others = [
        PupilLevels("n1", "4b", (m(JUN, 3), m(FEB27, 4))),
        PupilLevels("n2", "4b", (m(JUN, 4), m(FEB27, 4))),
        PupilLevels("n3", "4b", (m(JUN, 2), m(FEB27, 4))),
        PupilLevels("n4", "4b", (m(FEB27, 4),)),  # one measurement: left out
        PupilLevels("n5", "7a", (m(JUN, 8), m(FEB27, 9))),
        PupilLevels("n6", "5a", (m(JUN, 5), m(FEB27, 6))),
    ]
    tutees, tutors = compare_growth([a, b], others)
    assert (tutees.role, tutees.group) == ("tutee", "4b")
    assert (tutees.participants.n, tutees.participants.mean_steps, tutees.participants.median_steps) == (2, 1.5, 1.5)
    assert (tutees.non_participants.n, tutees.non_participants.mean_steps) == (3, 1.0)
    assert tutees.difference_steps == 0.5
    assert tutees.difference_months == 2.5
    assert (tutors.role, tutors.group, tutors.participants.mean_steps) == ("tutor", "7a", 0.5)
    assert tutors.non_participants.n == 1
    assert tutors.difference_steps == -0.5


def test_without_non_participants_in_a_groep_the_difference_is_unknown() -> None:
    a = pair([], "a", tutee_levels=(m(JUN, 3), m(FEB27, 5)))
    [row] = compare_growth([a], [])
    assert row.participants.n == 1
    assert row.non_participants.n == 0
    assert row.difference_steps is None
    assert row.difference_months is None


def test_a_tutor_with_two_tutees_is_counted_once() -> None:
    levels = (m(JUN, 8), m(FEB27, 10))
    a = pair([], "a", tutor_levels=levels)
    b = pair([], "b", tutor_levels=levels)
    b = type(b)("b", "a-tutor", "b-tutee", b.plan, tutor_levels=levels, tutor_group="7a")
    [row] = compare_growth([a, b])
    assert row.participants.n == 1


def test_slope_is_the_least_squares_slope_per_session() -> None:
    assert slope([4, 3, 2]) == -1.0
    assert slope([2, 2, 2, 2]) == 0.0
    # x - 1.5 = -1.5, -0.5, 0.5, 1.5; y - 2.5 = -1.5, 0.5, -0.5, 1.5; sxy = 2.25 - 0.25 - 0.25 + 2.25 = 4; sxx = 5
    assert slope([1, 3, 2, 4]) == 0.8
    assert slope([3]) is None


def test_a_pairs_trend_uses_its_last_held_sessions_only() -> None:
    checkins = [held(DATES[0], tutee_fun=1), held(DATES[1], tutee_fun=5, tutee_learned=None),
                missed(DATES[2]), held(DATES[3], tutee_fun=4), held(DATES[4], tutee_fun=3)]  # fmt: skip
    trend = pair_trend(pair(checkins), last_n=3)  # fun 5, 4, 3; learned 4, 4
    assert trend.sessions == 3
    assert trend.slopes["tutee_fun"] == -1.0
    assert trend.means["tutee_fun"] == 4.0
    assert trend.slopes["tutee_learned"] == 0.0
    assert trend.means["tutor_mood"] == 4.0
    assert pair_trend(pair([])).slopes["tutee_fun"] is None


def test_programme_means_cover_held_sessions_and_the_share_that_learned_something() -> None:
    a = pair([held(DATES[0], tutee_learned=5, tutor_mood=3), held(DATES[1], tutee_learned=2)], "a")
    b = pair([held(DATES[0], tutee_learned=4, tutor_mood=5), missed(DATES[1])], "b")
    result = programme_means([a, b])
    assert result.checkins == 3
    assert result.means["tutor_mood"] == 4.0  # (3 + 4 + 5) / 3
    assert result.means["tutee_learned"] == pytest.approx(3.67)  # 11 / 3
    assert result.learned_share == pytest.approx(0.667)  # 5 and 4 of 5, 4, 2
    assert programme_means([]).learned_share is None
