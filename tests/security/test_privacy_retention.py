"""Finding (issue 11): nothing was ever deleted by time; worry texts stayed forever. Now a daily run deletes
what expired per school (31 July + N months), audited as counts only (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import privacy_world  # noqa: F401  (tests/unit on the path)
import pytest
import sqlalchemy as sa
from privacy_world import WORRY, busy_tutoring
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory, row_count
from tutoring_world import cheap_argon2

from peermatch.cli import main
from peermatch.errors import InvalidInputError, PermissionDeniedError
from peermatch.retention import Retention, add_months, kept_after, school_year_end
from peermatch.services import Database
from peermatch.services.privacy import retention_settings, run_retention, set_retention
from peermatch.storage.engine import ENV_VAR, unit_of_work
from peermatch.storage.models import AuditLog, CheckInRow, EvaluationTalk, MatchingRun, OutcomeAnswerRow, PairRow

__all__ = ["backend", "cheap_argon2", "engine", "factory"]


def _worry_texts(session: Session) -> list[str]:
    return list(session.scalars(sa.select(CheckInRow.worry_text).where(CheckInRow.worry_text != "")))


def _retention_audit(session: Session) -> list[str]:
    rows = session.scalars(sa.select(AuditLog.detail).where(AuditLog.action == "retention").order_by(AuditLog.id))
    return [r or "" for r in rows]


def test_the_dates_follow_the_school_year() -> None:
    assert school_year_end(date(2025, 11, 18)) == date(2026, 7, 31)
    assert school_year_end(date(2026, 7, 31)) == date(2026, 7, 31)
    assert add_months(date(2026, 7, 31), 3) == date(2026, 10, 31)
    assert add_months(date(2026, 7, 31), 7) == date(2027, 2, 28)
    assert kept_after(date(2026, 10, 31), 3) == date(2025, 7, 31)  # the last day the worries of 2025-26 are kept
    assert kept_after(date(2026, 11, 1), 3) == date(2026, 7, 31)
    with pytest.raises(InvalidInputError):
        Retention(checkin_months=-1)
    with pytest.raises(InvalidInputError):
        Retention(checkin_months=2, worry_months=3)


@pytest.mark.usefixtures("cheap_argon2")
def test_worry_texts_then_check_ins_and_pairs_are_deleted_when_they_expire(factory: sessionmaker[Session]) -> None:
    tutoring = busy_tutoring(factory)
    db = Database(factory)
    with unit_of_work(factory, read_only=True) as session:
        assert _worry_texts(session) == [WORRY]

    first = run_retention(db, date(2026, 10, 31))  # nothing expired yet: both schools looked at, zero counts
    assert set(first) == {tutoring.world.school_id, tutoring.world.other_school_id}
    assert all(counts.total == 0 for counts in first.values())
    with unit_of_work(factory, read_only=True) as session:
        assert _worry_texts(session) == [WORRY]

    done = run_retention(db, date(2026, 11, 1))  # 31 July 2026 + 3 months passed: the worry texts go
    assert done[tutoring.world.school_id].worry_texts == 1
    assert done[tutoring.world.school_id].checkins == 0
    with unit_of_work(factory, read_only=True) as session:
        assert _worry_texts(session) == []
        assert row_count(session, CheckInRow) == 3  # the check-ins themselves are kept 12 months
        assert session.scalar(sa.select(sa.func.count()).where(CheckInRow.worry.is_(True))) == 1

    assert run_retention(db, date(2026, 11, 1)) == {}  # the same day again: skipped, nothing written
    done = run_retention(db, date(2027, 8, 1))  # 31 July 2026 + 12 months passed: check-ins and pair histories go
    counts = done[tutoring.world.school_id]
    assert (counts.checkins, counts.runs, counts.pairs, counts.outcomes) == (3, 1, 3, 2)
    with unit_of_work(factory, read_only=True) as session:
        for table in (CheckInRow, EvaluationTalk, PairRow, MatchingRun, OutcomeAnswerRow):
            assert row_count(session, table) == 0, table
        details = _retention_audit(session)
    assert any("worry_texts=1" in d for d in details)
    assert any("checkins=3" in d and "pairs=3" in d and "outcomes=2" in d for d in details)
    assert not any(WORRY in d or "Noor" in d for d in details)  # counts only, never the data


@pytest.mark.usefixtures("cheap_argon2")
def test_the_school_sets_its_own_months_and_only_the_beheerder_changes_them(factory: sessionmaker[Session]) -> None:
    tutoring = busy_tutoring(factory)
    db, world = Database(factory), tutoring.world
    assert retention_settings(db, world.ib).retention == Retention(12, 3, 12)
    with pytest.raises(PermissionDeniedError):
        set_retention(db, world.ib, Retention(12, 0, 12))
    set_retention(db, world.beheerder, Retention(24, 0, 24))
    assert retention_settings(db, world.juf).retention == Retention(24, 0, 24)
    done = run_retention(db, date(2025, 11, 19))  # 0 months: worries of last school year only; this year's stay
    assert done[world.school_id].worry_texts == 0
    done = run_retention(db, date(2026, 8, 1))  # the day after 31 July 2026: the worry texts go at once
    assert done[world.school_id].worry_texts == 1
    assert done[world.school_id].checkins == 0  # 24 months for the check-ins
    with unit_of_work(factory, read_only=True) as session:
        assert row_count(session, CheckInRow) == 3
        other = session.scalars(sa.select(AuditLog.detail).where(AuditLog.entity_id == "retention")).all()
    assert other == ["checkins=24 worry_texts=0 pairs=24"]


@pytest.mark.usefixtures("cheap_argon2")
def test_the_retention_command_runs_every_school_and_prints_counts_only(
    factory: sessionmaker[Session], engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tutoring = busy_tutoring(factory)
    monkeypatch.setenv(ENV_VAR, engine.url.render_as_string(hide_password=False))
    assert main(["retention", "--today", "2027-08-01"]) == 0
    out = capsys.readouterr().out
    assert f"school {tutoring.world.school_id}: checkins=3 worry_texts=1 evaluations=1 runs=1 pairs=3 outcomes=2" in out
    assert WORRY not in out
    assert main(["retention", "--today", "2027-08-01"]) == 0  # again: nothing left to delete
    assert f"school {tutoring.world.school_id}: checkins=0 worry_texts=0" in capsys.readouterr().out
    with unit_of_work(factory, read_only=True) as session:
        assert row_count(session, CheckInRow) == 0
