"""Shared by the privacy tests: the helpers of tests/unit on the path, a tutoring world with check-ins,
worries and an evaluation talk, and the rows about a pupil found through the models' metadata (every
table that hangs from the pupil, directly or through a pair or run: a table added later is covered)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from tutoring_world import Tutoring, build_tutoring, checkin_form, login_as

from peermatch.outcome_scale import Moment, OutcomeAnswer
from peermatch.services import Database
from peermatch.services.checkins import save_checkin
from peermatch.storage import monitoring_store, outcome_store
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import Base, OutcomeAnswerRow, PairRow

__all__ = ["SESSION_DAY", "WORRY", "busy_tutoring", "rows_hanging_from", "rows_still_there"]

SESSION_DAY = date(2025, 11, 18)  # school year 2025-26: ends 31 July 2026
WORRY = "Hij zegt dat hij thuis slecht slaapt"


def busy_tutoring(factory: sessionmaker[Session]) -> Tutoring:
    """The tutoring world with a check-in per pair (Noor's with a worry), an evaluation talk for Noor's pair, and
    the before/after scale's "voor" of Noor and of Noor's tutee."""
    tutoring = build_tutoring(factory)
    db = Database(factory)
    for tutor in ("Noor", "Fatima", "Liam"):
        extra = {"worry": True, "worry_text": WORRY} if tutor == "Noor" else {}
        save_checkin(db, login_as(factory, tutoring.cards[tutor]), checkin_form(tutoring, tutor, **extra),
                     today=SESSION_DAY)  # fmt: skip
    with unit_of_work(factory) as session:
        monitoring_store.add_evaluation(session, tutoring.world.ib, tutoring.pairs["Noor"], held_on=SESSION_DAY,
                                        went_well="Samen gelezen", could_be_better="", what_can_i_do="")  # fmt: skip
    noor = login_as(factory, tutoring.cards["Noor"])
    with unit_of_work(factory) as session:
        pair_id = tutoring.pairs["Noor"]
        assert outcome_store.record_answer(session, noor, OutcomeAnswer(pair_id, Moment.BEFORE, 3, 4, 2), SESSION_DAY)
        pair = session.get(PairRow, pair_id)
        assert pair is not None
        session.add(OutcomeAnswerRow(school_id=pair.school_id, pair_id=pair_id, pupil_id=pair.tutee_id, side="tutee",
                                     moment="voor", subject="lezen", confidence=2, pleasure=3, courage=1,
                                     answered_on=SESSION_DAY))  # fmt: skip
    return tutoring


def rows_hanging_from(session: Session, table_name: str, ids: set[int]) -> dict[str, set[tuple[object, ...]]]:
    """Every row that references one of these rows of ``table_name``, through any chain of foreign keys,
    by table: the primary keys as tuples. Found through ``Base.metadata``, not a hand-kept list."""
    found: dict[str, set[tuple[object, ...]]] = {}
    todo: list[tuple[sa.Table, set[object]]] = [(Base.metadata.tables[table_name], set(ids))]
    while todo:
        parent, keys = todo.pop()
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table is not parent or not keys:
                    continue
                pk = list(table.primary_key.columns)
                rows = session.execute(sa.select(*pk).where(fk.parent.in_(keys))).all()
                new = {tuple(r) for r in rows} - found.get(table.name, set())
                if not new:
                    continue
                found.setdefault(table.name, set()).update(new)
                if len(pk) == 1:
                    todo.append((table, {r[0] for r in new}))
    return found


def rows_still_there(session: Session, rows: dict[str, set[tuple[object, ...]]]) -> dict[str, int]:
    """How many of these rows (from :func:`rows_hanging_from`) are still in the database, by table."""
    left: dict[str, int] = {}
    for name, keys in rows.items():
        table = Base.metadata.tables[name]
        pk = list(table.primary_key.columns)
        present = {tuple(r) for r in session.execute(sa.select(*pk)).all()}
        if n := len(keys & present):
            left[name] = n
    return left
