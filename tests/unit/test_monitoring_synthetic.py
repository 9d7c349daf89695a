"""The synthetic demo programme: seeded, varied, and showing every alert kind."""

from __future__ import annotations

from datetime import date

from peermatch.monitoring import AlertKind, Health, generate_alerts, pair_health
from peermatch.monitoring.synthetic import synthetic_programme

DAY = date(2026, 11, 23)


def test_the_same_seed_gives_the_same_programme() -> None:
    assert synthetic_programme(12, seed=7) == synthetic_programme(12, seed=7)
    assert synthetic_programme(12, seed=7) != synthetic_programme(12, seed=8)


def test_the_demo_programme_shows_every_alert_kind_and_every_health_status_but_too_early() -> None:
    demo = synthetic_programme(40, as_of=DAY)
    assert len(demo.histories) == 40
    kinds = {a.kind for a in generate_alerts(demo.histories, DAY)}
    assert kinds == set(AlertKind)
    statuses = {pair_health(h, DAY).status for h in demo.histories}
    assert {Health.OP_KOERS, Health.AANDACHT_NODIG, Health.RISICO} <= statuses
    assert all(h.checkins_until(DAY) == h.sorted_checkins for h in demo.histories)  # nothing in the future


def test_most_synthetic_pairs_are_on_course() -> None:
    demo = synthetic_programme(200, as_of=DAY)
    on_course = sum(1 for h in demo.histories if pair_health(h, DAY).status is Health.OP_KOERS)
    assert on_course >= 100


def test_every_pupil_has_a_synthetic_first_name_and_levels() -> None:
    demo = synthetic_programme(10)
    for h in demo.histories:
        assert demo.names[h.tutor_id]
        assert demo.names[h.tutee_id]
        assert len(h.tutee_levels) == 2
    assert {p.group for p in demo.non_participants} == {"4a", "4b", "5a", "7a", "7b", "8a"}
