"""The demo programme as ``peermatch seed-demo`` seeds it: the IB'er's Monday story is all there.

Seeded once for a fixed Monday (23 November 2026) into a SQLite file; the checks read it back through the
same core functions the pages use.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from peermatch import monitoring as mon
from peermatch.auth import AuthenticatedUser
from peermatch.demo import generate_school
from peermatch.demo_school.activity import DEMO_PROGRAMME_NAME, seed_tutor_activity
from peermatch.demo_school.seed import demo_pupil_logins, seed_demo
from peermatch.services import Database
from peermatch.services import monitoring as monitoring_store
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.models import CheckInRow, Programme, User

MONDAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> monitoring_store.Monitored:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    seed_demo(url, generate_school(200, 2026, MONDAY), measured_on=MONDAY - timedelta(weeks=9))
    engine = make_engine(url)
    try:
        with unit_of_work(session_factory(engine)) as s:
            school_id = s.scalar(sa.select(User.school_id).where(User.username == "ib"))
            assert school_id is not None
            assert seed_tutor_activity(s, school_id, today=MONDAY)
            assert not seed_tutor_activity(s, school_id, today=MONDAY)  # a second time does nothing
        with unit_of_work(session_factory(engine), read_only=True) as s:
            ib = s.scalar(sa.select(User).where(User.username == "ib"))
            assert ib is not None
            actor = AuthenticatedUser(ib.id, ib.school_id, ib.username, ib.display_name, ib.role)
            data = monitoring_store.load_monitored(Database(session_factory(engine)), actor)
            programme = s.scalar(sa.select(Programme).where(Programme.name == DEMO_PROGRAMME_NAME))
            assert programme is not None
            assert [(m.weekday, f"{m.start:%H:%M}") for m in programme.moments] == [(2, "10:30"), (4, "10:30")]
            last_checkin = s.scalar(sa.select(sa.func.max(CheckInRow.session_date)))
            logins = demo_pupil_logins(s)
    finally:
        engine.dispose()
    assert last_checkin is not None
    assert last_checkin < MONDAY
    assert [x.personal_code for x in logins] == ["ZEBRA", "TAART", "KWAST"]
    return data


@pytest.fixture(scope="module")
def monday(seeded: monitoring_store.Monitored) -> mon.Overview:
    return mon.school_overview(seeded.histories, MONDAY)


def test_most_pairs_are_on_course_and_every_rule_shows_up_once(monday: mon.Overview) -> None:
    counts = monday.counts
    assert counts[mon.Health.OP_KOERS] > len(monday.healths) / 2
    assert counts[mon.Health.RISICO] >= 3
    assert counts[mon.Health.AANDACHT_NODIG] >= 5
    codes = {code for h in monday.healths for code in h.codes}
    assert {"worry", "missed", "mood_falling", "help_needed", "training", "no_checkin", "dosage_behind"} <= codes


def test_three_new_worry_signals_each_one_alert(monday: mon.Overview) -> None:
    assert monday.new_worries == 3
    kinds = Counter(a.kind for a, _ in monday.alerts)
    assert kinds[mon.AlertKind.WORRY] == 3
    assert kinds[mon.AlertKind.HELP_NEEDED] == 1  # the worries' help requests are part of the worry alerts
    assert all(a.text for a, _ in monday.alerts if a.kind is mon.AlertKind.WORRY)


def test_the_dosage_counts_only_sessions_that_are_over(
    monday: mon.Overview, seeded: monitoring_store.Monitored
) -> None:
    # from Tuesday 6 October: 7 Tuesdays and 7 Thursdays, without Tuesday 20 and Thursday 22 October (the
    # herfstvakantie 2026 of regio zuid, the demo school's region): 12 sessions, one per moment a week
    assert monday.total.planned == 12 * monday.total.pairs
    assert all(h.plan.skipped_dates()[:2] == (date(2026, 10, 20), date(2026, 10, 22)) for h in seeded.histories)
    in_holiday = [
        c.day for h in seeded.histories for c in h.checkins if date(2026, 10, 17) <= c.day <= date(2026, 10, 25)
    ]
    assert in_holiday == []  # the demo's tutors fill in no check-in in the holiday
    assert monday.total.held / monday.total.planned > 0.9


def test_the_new_avi_round_shows_growth_for_participants_and_the_comparison_group(
    seeded: monitoring_store.Monitored,
) -> None:
    rows = {(g.role, g.group): g for g in mon.compare_growth(seeded.histories, seeded.non_participants)}
    tutees, tutors = rows[("tutee", "5A")], rows[("tutor", "7A")]
    assert tutees.participants.n == len(seeded.histories)  # every tutee was measured again
    assert tutees.non_participants.n > 0  # 5A pupils without a tutor: the comparison group
    assert tutors.non_participants.n > 0
    assert tutees.participants.mean_steps is not None
    assert tutees.participants.mean_steps > 0
