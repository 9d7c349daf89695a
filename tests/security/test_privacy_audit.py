"""Findings (issue 11): the audit log missed failed pupil logins, logouts, which group's worries were read and
the downloads, and nothing showed it. Now each is recorded, and the beheerder and the IB'er (not a leerkracht)
read and export the log, filtered, formula-safe, each read audited itself (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import privacy_world  # noqa: F401  (tests/unit on the path)
import pytest
import sqlalchemy as sa
from privacy_world import WORRY, busy_tutoring
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory
from tutoring_world import cheap_argon2

from peermatch.errors import PermissionDeniedError
from peermatch.services import Database
from peermatch.services.privacy import (
    AuditFilter,
    audit_csv,
    audit_page,
    record_download,
    record_logout,
    record_pupil_logout,
    record_worry_view,
)
from peermatch.services.pupil_login import pupil_login
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import AuditLog

__all__ = ["backend", "cheap_argon2", "engine", "factory"]


def _entries(factory: sessionmaker[Session], action: str) -> list[tuple[int, int | None, str, str | None, str | None]]:
    with unit_of_work(factory, read_only=True) as session:
        rows = session.execute(
            sa.select(AuditLog.school_id, AuditLog.user_id, AuditLog.entity, AuditLog.entity_id, AuditLog.detail)
            .where(AuditLog.action == action)
            .order_by(AuditLog.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


@pytest.mark.usefixtures("cheap_argon2")
def test_a_failed_pupil_login_is_audited_in_the_school_of_the_class_code(factory: sessionmaker[Session]) -> None:
    tutoring = busy_tutoring(factory)
    db, card = Database(factory), tutoring.cards["Noor"]
    wrong = "".join("x" if c != "x" else "y" for c in card.personal_code)
    assert pupil_login(db, card.class_code, card.number, wrong) is None
    assert (
        pupil_login(db, "ZZZZZZ", card.number, card.personal_code) is None
    )  # an unknown class code: no school to tell
    group = tutoring.world.groups["7A"]
    assert _entries(factory, "login_failed") == [(tutoring.world.school_id, None, "group", str(group), None)]
    with unit_of_work(factory, read_only=True) as session:  # neither code typed is kept anywhere in the log
        texts = session.scalars(sa.select(AuditLog.entity_id).where(AuditLog.entity_id.is_not(None))).all()
    assert wrong not in texts
    assert card.personal_code not in texts


@pytest.mark.usefixtures("cheap_argon2")
def test_logouts_worry_views_and_downloads_are_audited(factory: sessionmaker[Session]) -> None:
    tutoring = busy_tutoring(factory)
    db, world = Database(factory), tutoring.world
    record_logout(db, world.juf)
    noor = pupil_login(
        db, tutoring.cards["Noor"].class_code, tutoring.cards["Noor"].number, tutoring.cards["Noor"].personal_code
    )
    assert noor is not None
    record_pupil_logout(db, noor)
    assert _entries(factory, "logout") == [
        (world.school_id, world.juf.id, "user", str(world.juf.id), None),
        (world.school_id, None, "pupil", str(noor.id), None),
    ]
    record_worry_view(db, world.juf, "tutors", ["7A", "5A", "7A"], [tutoring.pairs["Noor"]])
    views = [e for e in _entries(factory, "view") if e[2] == "worries"]
    assert views == [
        (world.school_id, world.juf.id, "worries", "tutors", f"groups=5A,7A pairs={tutoring.pairs['Noor']}")
    ]
    record_download(db, world.juf, "pairs_pdf", tutoring.programme_id)
    assert (world.school_id, world.juf.id, "pairs_pdf", str(tutoring.programme_id), None) in _entries(factory, "export")


@pytest.mark.usefixtures("cheap_argon2")
def test_the_ib_reads_and_exports_the_log_filtered_and_a_leerkracht_cannot(factory: sessionmaker[Session]) -> None:
    tutoring = busy_tutoring(factory)
    db, world = Database(factory), tutoring.world
    record_download(db, world.juf, '=HYPERLINK("http://evil.example")', 1)
    record_download(db, world.juf, "+cmd", 2)
    with pytest.raises(PermissionDeniedError):
        audit_page(db, world.juf)
    with pytest.raises(PermissionDeniedError):
        audit_csv(db, world.juf)

    everything = audit_page(db, world.ib).entries
    assert everything  # the imports, the logins, the check-ins' pupils ...
    assert {e.action for e in everything} >= {"import", "login", "export"}
    exports = audit_page(db, world.ib, AuditFilter(user_id=world.juf.id, action="export")).entries
    assert [e.entity for e in exports] == ["+cmd", '=HYPERLINK("http://evil.example")']  # newest first
    today = date.today()
    assert audit_page(db, world.ib, AuditFilter(first_day=today, last_day=today)).entries
    assert audit_page(db, world.ib, AuditFilter(last_day=today - timedelta(days=1))).entries == ()
    assert all(e.entity != "+cmd" for e in audit_page(db, world.other_ib).entries)  # the other school: its own

    text = audit_csv(db, world.ib, AuditFilter(action="export"))
    rows = list(csv.DictReader(io.StringIO(text)))
    entities = {r["entity"] for r in rows}
    assert "'+cmd" in entities
    assert '\'=HYPERLINK("http://evil.example")' in entities
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())
    assert WORRY not in text

    reads = [e for e in _entries(factory, "view") if e[2] == "audit"]
    assert len(reads) == 5  # every read of the log, the refused ones not
    assert reads[1][4] == f"user={world.juf.id} action=export"
    assert [e[3] for e in _entries(factory, "export") if e[2] == "audit_csv"] == [None]
