"""Two people publish the same programme at once (issue 11, item 8): the one who comes second gets a clear message
in her language, never a raw IntegrityError, and the programme has exactly one published run afterwards.

The race is made deterministic: the first publish holds its transaction open (its run published, not committed)
while the second one, for the same draft, starts in a thread; then the first commits. The second waits for the
first (the programme row is locked for publishing; on SQLite the write lock) and then finds the draft published:
"already published", in Dutch. On main the second read the draft before the first committed and published it a
second time on PostgreSQL (or met the one-published-run index: a raw ``IntegrityError``).
"""

from __future__ import annotations

import threading
import time
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, build_world, engine, factory

from peermatch.errors import ConflictError
from peermatch.model import Subject
from peermatch.services import Database, pairs
from peermatch.services.matching import match_programme
from peermatch.storage import runs
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import MatchingRun
from peermatch.storage.programmes import ProgrammeSpec, create_programme
from peermatch.vocabulary import RunStatus

__all__ = ["backend", "engine", "factory"]  # fixtures used by the test below

ON = date(2025, 10, 6)


def test_the_second_of_two_simultaneous_publishes_gets_a_message_not_a_crash(
    factory: sessionmaker[Session],
) -> None:
    world = build_world(factory)
    db = Database(factory)
    spec = ProgrammeSpec("Lezen 7A-5A", Subject.LEZEN, (world.groups["7A"],), (world.groups["5A"],))
    with unit_of_work(factory) as session:
        programme_id = create_programme(session, world.juf, world.school_id, spec).id
    run = match_programme(db, world.juf, programme_id, lang="nl", reference_date=ON)
    outcome: list[object] = []

    def publish_too() -> None:  # the colleague's click on "Publiceren" for the same draft
        try:
            outcome.append(pairs.publish(db, world.juf, run.id, on=ON))
        except Exception as exc:  # the outcome is what the test checks
            outcome.append(exc)

    with unit_of_work(factory) as session:
        runs.lock_for_publishing(session, run.id)
        runs.publish_run(session, world.juf, run.id, on=ON)  # flushed, not committed yet
        thread = threading.Thread(target=publish_too)
        thread.start()
        time.sleep(1.0)  # the colleague's publish starts and waits for ours
    thread.join(timeout=30)
    assert not thread.is_alive()
    [result] = outcome
    assert isinstance(result, ConflictError), repr(result)  # a message, not a crash and not a second publish
    assert [p.code for p in result.problems] == ["storage.run.not_draft"]
    assert "al gepubliceerd" in result.problems[0].message("nl")
    with unit_of_work(factory, read_only=True) as session:
        published = session.scalars(
            sa.select(MatchingRun.id).where(
                MatchingRun.programme_id == programme_id, MatchingRun.status == RunStatus.PUBLISHED
            )
        ).all()
    assert len(published) == 1
