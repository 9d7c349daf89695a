"""The monitoring data is loaded once per change, not per click (issue 14, part 2), on SQLite and PostgreSQL:
a second page view reads one counter row and reuses what this process loaded; any change of the data (a new
check-in, an edited one, a triage step, a pupil renamed, a threshold), also one written through another engine
(another app process), moves the counter (database triggers, migration 0020) and the next view loads again.
Every view is audited, hit or not. And the columns give the same overview as check-ins given as objects."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory
from tutoring_world import START, Tutoring, build_tutoring, cheap_argon2

from peermatch import monitoring as mon
from peermatch.monitoring.synthetic import synthetic_programme
from peermatch.services import Database
from peermatch.services import monitoring as service
from peermatch.services.overview import school_week
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.models import AlertTriage, AuditLog, CheckInRow, MonitoringVersion, PairRow, PupilRow

__all__ = ["backend", "cheap_argon2", "engine", "factory"]  # fixtures used by the tests below

AS_OF = START + timedelta(days=9)  # both check-in days within the 14 worry days


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    service.clear_cache()
    built = build_tutoring(factory)
    with unit_of_work(factory) as session:
        for pair_id in built.pairs.values():
            session.add(_checkin(session, pair_id, START + timedelta(days=1)))
    return built


def _checkin(session: Session, pair_id: int, day: date, *, worry: bool = False) -> CheckInRow:
    pair = session.get_one(PairRow, pair_id)
    return CheckInRow(school_id=pair.school_id, submission_id=str(uuid.uuid4()), pair_id=pair_id,
                      tutor_id=pair.tutor_id, tutee_id=pair.tutee_id, session_date=day, status="held", minutes=20,
                      tutor_mood=4, tutee_fun=4, tutee_learned=4, worry=worry,
                      worry_text="Ze is verdrietig" if worry else "", went_well="Goed gelezen")  # fmt: skip


def _views(factory: sessionmaker[Session]) -> int:
    with unit_of_work(factory, read_only=True) as session:
        query = sa.select(sa.func.count()).select_from(AuditLog).where(AuditLog.entity == "monitoring")
        return int(session.scalar(query) or 0)


def _other_process(engine: Engine) -> sessionmaker[Session]:
    """A second engine on the same database: what another app server would write through."""
    return session_factory(make_engine(engine.url.render_as_string(hide_password=False)))


def test_a_second_view_reuses_the_loaded_data_and_is_still_audited(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    db, ib = Database(factory), tutoring.world.ib
    first = school_week(db, ib, AS_OF)
    second = school_week(db, ib, AS_OF)
    assert service.cache_stats() == (1, 1)
    assert second.data is first.data
    assert second.overview is first.overview  # judged once per change and day
    assert _views(factory) == 2  # every page view is in the audit log, also one served from memory
    data, triages = service.load_with_triages(db, ib)
    assert data is first.data
    assert triages == {}
    assert service.cache_stats() == (2, 1)
    assert _views(factory) == 3


@pytest.mark.parametrize("change", ["new_checkin", "edited_checkin", "triage", "renamed", "deleted_checkin"])
def test_a_change_written_by_another_process_is_seen_at_the_next_view(
    engine: Engine, factory: sessionmaker[Session], tutoring: Tutoring, change: str
) -> None:
    db, ib = Database(factory), tutoring.world.ib
    pair_id = tutoring.pairs["Fatima"]
    before = school_week(db, ib, AS_OF)
    other = _other_process(engine)
    try:
        with unit_of_work(other) as session:
            row = session.scalars(sa.select(CheckInRow).where(CheckInRow.pair_id == pair_id)).one()
            if change == "new_checkin":
                session.add(_checkin(session, pair_id, START + timedelta(days=8), worry=True))
            elif change == "edited_checkin":
                row.worry, row.worry_text = True, "Ze is verdrietig"
            elif change == "deleted_checkin":
                session.delete(row)
            elif change == "triage":
                session.add(AlertTriage(school_id=row.school_id, alert_id="x" * 16, kind="worry", pair_id=pair_id,
                                        state="in_behandeling", note="Gebeld", by_name="Juf"))  # fmt: skip
            else:
                session.get_one(PupilRow, row.tutor_id).first_name = "Fatma"
    finally:
        other.kw["bind"].dispose()
    after = school_week(db, ib, AS_OF)
    assert service.cache_stats() == (0, 2)
    assert after.data is not before.data
    h = after.data.by_pair[str(pair_id)]
    if change in ("new_checkin", "edited_checkin"):
        assert [a.kind for a, _ in after.overview.open_worries()] == [mon.AlertKind.WORRY]
    elif change == "deleted_checkin":
        assert len(h.checkins) == 0
    elif change == "triage":
        assert "x" * 16 in service.load_with_triages(db, ib)[1]
    else:
        assert after.data.names[h.tutor_id].startswith("Fatma")


def test_each_scope_and_programme_has_its_own_data(factory: sessionmaker[Session], tutoring: Tutoring) -> None:
    world, db = tutoring.world, Database(factory)
    ib = school_week(db, world.ib, AS_OF)
    juf = school_week(db, world.juf, AS_OF)  # a leerkracht: only the pairs of her own groups
    beheerder = school_week(db, world.beheerder, AS_OF)  # no worries
    assert service.cache_stats() == (0, 3)
    assert len(juf.data.histories) < len(ib.data.histories)
    assert beheerder.data is not ib.data
    programme = next(iter(ib.data.programmes))
    school_week(db, world.ib, AS_OF, programme)
    assert service.cache_stats() == (0, 4)


def test_the_counter_moves_with_every_write_and_goes_with_its_school(
    factory: sessionmaker[Session], tutoring: Tutoring
) -> None:
    school_id = tutoring.world.school_id
    with unit_of_work(factory) as session:
        before = session.get_one(MonitoringVersion, school_id)
        epoch, version = before.epoch, before.version
        pair_id = tutoring.pairs["Fatima"]
        session.add(_checkin(session, pair_id, START + timedelta(days=8)))
    with unit_of_work(factory) as session:
        after = session.get_one(MonitoringVersion, school_id)
        assert (after.epoch, after.version) == (epoch, version + 1)


def test_the_columns_judge_every_pair_as_the_check_in_objects_do() -> None:
    """The same synthetic school, its check-ins once as shuffled tuples of CheckIn and once as the columns
    storage gives: the same health, alerts, dosage and check-ins."""
    programme = synthetic_programme(120, as_of=date(2026, 11, 23), weeks_run=10, plan_weeks=12)
    rng = random.Random(3)
    as_objects, as_columns = [], []
    for h in programme.histories:
        shuffled = list(h.checkins)
        rng.shuffle(shuffled)
        as_objects.append(replace(h, checkins=tuple(shuffled)))
        rows = sorted(h.checkins, key=lambda c: c.day)
        as_columns.append(
            replace(h, checkins=mon.CheckInSeries.from_stored(
                [c.day for c in rows], [c.status.value for c in rows], [c.minutes or None for c in rows],
                [c.tutor_mood for c in rows], [c.tutee_fun for c in rows], [c.tutee_learned for c in rows],
                [c.worry for c in rows], [c.help_needed for c in rows], [c.note for c in rows]))
        )  # fmt: skip
    for day in (date(2026, 11, 23), date(2026, 10, 5)):
        a = mon.school_overview(as_objects, day)
        b = mon.school_overview(as_columns, day)
        assert (a.healths, a.alerts, a.total, a.groups) == (b.healths, b.alerts, b.total, b.groups)
        assert a.alerts  # the synthetic school has every kind of signal
        assert a.healths == tuple(
            sorted((mon.pair_health(h, day) for h in as_objects), key=lambda x: (-x.status.rank, x.pair_id))
        )
        assert [alert for alert, _ in a.alerts] == mon.generate_alerts(as_objects, day)  # none triaged yet
    for x, y in zip(as_objects, as_columns, strict=True):
        assert x.sorted_checkins == y.sorted_checkins == y.checkins
        in_order = replace(x, checkins=x.sorted_checkins)
        assert in_order == y
        assert hash(in_order) == hash(y)
