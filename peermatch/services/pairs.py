"""A programme's pairs after matching: the listings, publish or throw away a draft, end a pair, swap two
tutors (pinned for every later run), and replace a tutor with the least disruption.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from peermatch import pairing
from peermatch.auth import AuthenticatedUser
from peermatch.matching import Pair
from peermatch.pairing import PairIds, reasons_json, replacement_tutor
from peermatch.services.database import Database
from peermatch.services.matcher_input import constraints_of, pupils_and_rules
from peermatch.storage import constraints, runs
from peermatch.storage.programmes import get_programme
from peermatch.storage.queries import PairListing
from peermatch.storage.queries import pair_listings as _pair_listings
from peermatch.storage.replacements import add_replacement_pair
from peermatch.storage.runs import PairInfo, RunInfo
from peermatch.vocabulary import ConstraintKind, PairStatus

__all__ = [
    "PairInfo",
    "PairListing",
    "RunInfo",
    "accept_replacement",
    "delete_draft",
    "end_pair",
    "pair_listings",
    "propose_replacement",
    "publish",
    "published_pairs",
    "swap_tutors",
]


def pair_listings(db: Database, actor: AuthenticatedUser, run_id: int) -> list[PairListing]:
    """The run's pairs with the pupils' names and groups (the view is audited)."""
    with db.write() as session:
        return _pair_listings(session, actor, run_id)


def published_pairs(
    db: Database, actor: AuthenticatedUser, programme_id: int
) -> tuple[RunInfo | None, list[PairListing]]:
    """The programme's published run and its pairs with names and groups; ``(None, [])`` before publishing."""
    with db.write() as session:
        run = runs.published_run(session, actor, programme_id)
        return run, _pair_listings(session, actor, run.id) if run else []


def publish(db: Database, actor: AuthenticatedUser, run_id: int, *, on: date | None = None) -> RunInfo:
    """Make the draft the programme's published run (the previous one is superseded); pairs start ``on``."""
    with db.write() as session:
        return runs.publish_run(session, actor, run_id, on=on)


def delete_draft(db: Database, actor: AuthenticatedUser, run_id: int) -> None:
    """Throw away a draft run (published and superseded runs are history and stay)."""
    with db.write() as session:
        runs.delete_draft(session, actor, run_id)


def end_pair(db: Database, actor: AuthenticatedUser, pair_id: int, *, reason: str, on: date) -> PairInfo:
    """Stop an active pair on ``on`` with a short reason."""
    with db.write() as session:
        return runs.end_pair(session, actor, pair_id, reason=reason, on=on)


def swap_tutors(
    db: Database, actor: AuthenticatedUser, programme_id: int, first: PairIds, second: PairIds
) -> tuple[PairIds, PairIds]:
    """Swap the tutors of two pairs ``(tutor number, tutee number)`` and pin the two new pairs.

    Raises ``RuleError`` naming every hard rule or forbid a new pair would break; then nothing changes.
    The old pairs' pins are dropped. Returns the new pairs; the caller re-runs the matcher.
    """
    with db.write() as session:
        programme = get_programme(session, actor, programme_id)
        pupils, rules = pupils_and_rules(session, actor, programme)
        pins, forbids = constraints_of(session, actor, programme.id)
        new = pairing.swap_tutors(pupils, rules, first, second, forbids=forbids)
        for pin in pins:
            if pin in (first, second):
                constraints.remove_constraint(session, actor, programme.id, *pin)
        for tutor, tutee in new:
            constraints.set_constraint(session, actor, programme.id, tutor, tutee, ConstraintKind.PIN)
        return new


def propose_replacement(
    db: Database, actor: AuthenticatedUser, programme_id: int, pairs: Sequence[PairInfo], ended: PairInfo
) -> Pair | None:
    """The best free tutor for the tutee of ``ended`` (one of the run's ``pairs``), every other pair untouched.

    Tutors at capacity (counting the active ``pairs``) and the tutor of ``ended`` are left out; tutees of
    other active pairs take no part. None when no free tutor meets the hard rules. Nothing is saved.
    """
    with db.read() as session:
        programme = get_programme(session, actor, programme_id)
        pupils, rules = pupils_and_rules(session, actor, programme)
    active = [p for p in pairs if p.status is PairStatus.ACTIVE]
    load: dict[str, int] = {}
    for p in active:
        load[p.tutor_number] = load.get(p.tutor_number, 0) + 1
    busy_tutees = {p.tutee_number for p in active}
    free = [p for p in pupils if p.pupil_id not in busy_tutees or p.pupil_id == ended.tutee_number]
    return replacement_tutor(free, rules, ended.tutee_number, load=load, exclude=[ended.tutor_number])


def accept_replacement(
    db: Database, actor: AuthenticatedUser, run_id: int, ended: int, replacement: Pair, *, reason: str, on: date
) -> int:
    """End pair ``ended`` with ``reason`` and add ``replacement`` to the published run, both on ``on``.

    One transaction: either both happen or neither. Returns the new pair's id.
    """
    with db.write() as session:
        runs.end_pair(session, actor, ended, reason=reason, on=on)
        tutor, tutee = replacement.tutor_number, replacement.tutee_number
        return add_replacement_pair(session, actor, run_id, tutor, tutee, explanation=reasons_json(replacement),
                                    cost=float(replacement.cost), on=on)  # fmt: skip
