"""A programme's pairs after matching: the listings, publish or throw away a draft, end a pair, swap two
tutors (pinned for every later run), and replace a tutor with the least disruption.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peermatch import pairing
from peermatch.auth import AuthenticatedUser
from peermatch.costs import pin_problems
from peermatch.errors import ConflictError, Problem, RuleError
from peermatch.matching import Pair
from peermatch.model import Pupil
from peermatch.pairing import PairIds, reasons_json, replacement_tutor
from peermatch.rules import Rules, tutee_candidate, tutor_candidate
from peermatch.services.database import Database
from peermatch.services.matcher_input import constraints_of, pupils_and_rules
from peermatch.storage import constraints, runs
from peermatch.storage.programmes import get_programme
from peermatch.storage.queries import PairListing
from peermatch.storage.queries import pair_listings as _pair_listings
from peermatch.storage.replacements import add_replacement_pair
from peermatch.storage.runs import PairInfo, RunInfo
from peermatch.vocabulary import ConstraintKind, PairStatus, RunStatus

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
    """Make the draft the programme's published run (the previous one is superseded); pairs start ``on``.

    The draft's pairs are checked again against the programme's forbids (the teacher's and every pupil's
    'not with') and its current hard rules, with ages on ``on`` (default today): a pair forbidden or
    changed rules since the run make the draft stale. Then ``ConflictError`` names every such pair (first
    names) and asks for a new run, and nothing is published (the previous published run stays). A top-up
    draft (made beside published pairs) is also stale when one of its tutees got a maatje since, one of its
    pairs was ended since, or a tutor's active pairs leave no place.
    """
    try:
        with db.write() as session:
            return _publish(session, actor, run_id, on)
    except IntegrityError as exc:  # another publish of this programme committed between our checks and ours
        raise ConflictError(Problem("matching.race.publish", value=str(run_id))) from exc


def _publish(session: Session, actor: AuthenticatedUser, run_id: int, on: date | None) -> RunInfo:
    runs.lock_for_publishing(session, run_id)  # a second publish at the same moment waits, then reads ours
    run = runs.get_run(session, actor, run_id)
    if run.status is RunStatus.DRAFT:  # anything else: publish_run refuses it as not a draft
        programme = get_programme(session, actor, run.programme_id)
        pupils, rules = pupils_and_rules(session, actor, programme, reference_date=on)
        _, forbids = constraints_of(session, actor, programme.id)
        decided = runs.decided_pairs(session, actor, programme.id) if runs.TOP_UP_OF in run.summary else None
        problems = _stale_problems(pupils, rules, forbids, _pair_listings(session, actor, run.id),
                                   decided[1] if decided else [])  # fmt: skip
        if problems:
            raise ConflictError(problems)
    return runs.publish_run(session, actor, run_id, on=on)


# A hard rule a drafted pair breaks (``pin_problems`` codes) as the same message about a drafted pair.
_STALE_CODES = {
    "matching.pin.no_level": "matching.publish.no_level",
    "matching.pin.margin": "matching.publish.margin",
    "matching.pin.min_level": "matching.publish.min_level",
    "matching.pin.no_birth_date": "matching.publish.no_birth_date",
    "matching.pin.age": "matching.publish.age",
    "matching.pin.same_class": "matching.publish.same_class",
    "matching.pin.forbidden": "matching.publish.forbidden",
}


def _stale_problems(
    pupils: Sequence[Pupil],
    rules: Rules,
    forbids: Collection[PairIds],
    listings: Sequence[PairListing],
    published: Sequence[PairInfo] = (),
) -> list[Problem]:
    """What keeps a draft from being published: empty when every pair still keeps the forbids and hard rules.

    Else a first problem ``matching.publish.stale`` naming the stale pairs (tutor – tutee, first names) and
    asking for a new run, then one problem per broken rule per pair: forbidden (either way round, or a
    pupil's ``not_with``), the rules of :func:`peermatch.costs.pin_problems`, a pupil who is no longer a
    tutor or tutee of the programme, and a tutor with more tutees than ``rules.capacity``. ``published``:
    the pairs of the published run a top-up draft joins (its active pairs count, its ended pairs stay ended).
    """
    by_id = {p.pupil_id: p for p in pupils}
    forbidden = {frozenset((str(a), str(b))) for a, b in forbids}
    active = [p for p in published if p.status is PairStatus.ACTIVE]
    busy = {p.tutee_number for p in active}
    ended = {(p.tutor_number, p.tutee_number) for p in published if p.ended_by_decision}
    load: dict[str, int] = {}
    for p in active:
        load[p.tutor_number] = load.get(p.tutor_number, 0) + 1
    stale: list[str] = []
    details: list[Problem] = []
    for row in sorted(listings, key=lambda r: r.pair.id):
        tutor_number, tutee_number = row.pair.tutor_number, row.pair.tutee_number
        tutor, tutee = by_id.get(tutor_number), by_id.get(tutee_number)
        names = {"tutor": row.tutor_first_name or tutor_number, "tutee": row.tutee_first_name or tutee_number}
        found: list[Problem] = []
        if tutee_number in busy:
            found.append(Problem("matching.publish.tutee_busy", params=names))
        if (tutor_number, tutee_number) in ended:
            found.append(Problem("matching.publish.ended", params=names))
        if tutor is None or not tutor_candidate(tutor, rules):
            found.append(Problem("matching.publish.not_tutor", params=names))
        if tutee is None or not tutee_candidate(tutee, rules):
            found.append(Problem("matching.publish.not_tutee", params=names))
        if tutor is not None and tutee is not None:
            barred = (
                frozenset((tutor_number, tutee_number)) in forbidden
                or tutee_number in tutor.not_with
                or tutor_number in tutee.not_with
            )
            found += [Problem(_STALE_CODES.get(p.code, p.code), params={**p.params, **names})
                      for p in pin_problems(tutor, tutee, rules, barred)]  # fmt: skip
        load[tutor_number] = load.get(tutor_number, 0) + 1
        if load[tutor_number] > rules.capacity:
            found.append(Problem("matching.publish.capacity", params={**names, "capacity": rules.capacity}))
        if found:
            stale.append(f"{names['tutor']} – {names['tutee']}")
            details += found
    if not stale:
        return []
    return [Problem("matching.publish.stale", params={"pairs": ", ".join(stale)}), *details]


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

    Tutors at capacity (counting the active ``pairs``), the tutor of ``ended`` and every tutor the tutee had
    an earlier pair with in the run are left out; tutees of
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
    before = [p.tutor_number for p in pairs if p.tutee_number == ended.tutee_number]  # ended pairs stay ended
    return replacement_tutor(free, rules, ended.tutee_number, load=load, exclude=[ended.tutor_number, *before])


def accept_replacement(
    db: Database, actor: AuthenticatedUser, run_id: int, ended: int, replacement: Pair, *, reason: str, on: date
) -> int:
    """End pair ``ended`` with ``reason`` and add ``replacement`` to the published run, both on ``on``.

    One transaction: either both happen or neither. Returns the new pair's id. The replacement is checked
    as it is stored, not trusted from the caller: it must be for the ended pair's tutee in the same run
    (``ConflictError`` otherwise), and keep the programme's hard rules, forbids and the tutor's capacity
    (``RuleError`` naming each broken rule).
    """
    with db.write() as session:
        info = runs.end_pair(session, actor, ended, reason=reason, on=on)
        tutor, tutee = replacement.tutor_number, replacement.tutee_number
        new_id = add_replacement_pair(
            session, actor, run_id, tutor, tutee, replaces=info.id,
            explanation=reasons_json(replacement), cost=float(replacement.cost), on=on,
        )  # fmt: skip
        programme = get_programme(session, actor, runs.get_run(session, actor, run_id).programme_id)
        pupils, rules = pupils_and_rules(session, actor, programme, reference_date=on)
        _, forbids = constraints_of(session, actor, programme.id)
        active = [r for r in _pair_listings(session, actor, run_id) if r.pair.status is PairStatus.ACTIVE]
        problems = _replacement_problems(pupils, rules, forbids, active, replacement)
        if problems:
            raise RuleError(problems)  # rolls back the ending and the new pair together
        return new_id


def _replacement_problems(
    pupils: Sequence[Pupil],
    rules: Rules,
    forbids: Collection[PairIds],
    active: Sequence[PairListing],
    replacement: Pair,
) -> list[Problem]:
    """The hard rules, forbids and capacity the replacement pair breaks (``pin_problems`` codes)."""
    by_id = {p.pupil_id: p for p in pupils}
    tutor, tutee = by_id.get(replacement.tutor_number), by_id.get(replacement.tutee_number)
    names = {"tutor": (tutor.first_name if tutor else None) or replacement.tutor_number,
             "tutee": (tutee.first_name if tutee else None) or replacement.tutee_number}  # fmt: skip
    if tutor is None or not tutor_candidate(tutor, rules):
        return [Problem("matching.publish.not_tutor", params=names)]
    if tutee is None or not tutee_candidate(tutee, rules):
        return [Problem("matching.publish.not_tutee", params=names)]
    forbidden = {frozenset((str(a), str(b))) for a, b in forbids}
    barred = (
        frozenset((tutor.pupil_id, tutee.pupil_id)) in forbidden
        or tutee.pupil_id in tutor.not_with
        or tutor.pupil_id in tutee.not_with
    )
    problems = pin_problems(tutor, tutee, rules, barred)
    if sum(1 for r in active if r.pair.tutor_number == tutor.pupil_id) > rules.capacity:
        problems.append(Problem("matching.publish.capacity", params={**names, "capacity": rules.capacity}))
    return problems
