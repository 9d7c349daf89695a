"""Match a stored programme: its pupils, rules, pins and forbids through the matcher, saved as the draft run.

Also what the Koppelen page needs around it: the programmes to choose from, the newest draft, and a change
of the programme's matching rules (the objective, or an unpaired tutee's suggestion) before a re-run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.matching import Progress
from peermatch.model import Pupil
from peermatch.pairing import PairIds, Proposal, TopUp, propose, top_up
from peermatch.rules import Rules
from peermatch.services.database import Database
from peermatch.services.matcher_input import constraints_of, pupils_and_rules
from peermatch.storage.programmes import ProgrammeInfo, get_programme, list_programmes, update_programme
from peermatch.storage.runs import (
    TOP_UP_OF,
    RunInfo,
    decided_pairs,
    delete_draft,
    list_runs,
    save_run,
)
from peermatch.vocabulary import PairStatus, RunStatus

__all__ = [
    "ProgrammeInfo",
    "RunInfo",
    "change_rules",
    "latest_draft",
    "match_programme",
    "match_programme_in",
    "programmes_to_match",
]


def programmes_to_match(db: Database, actor: AuthenticatedUser) -> list[ProgrammeInfo]:
    """The programmes of the actor's school that the actor may see."""
    with db.read() as session:
        return list_programmes(session, actor, actor.school_id)


def latest_draft(db: Database, actor: AuthenticatedUser, programme_id: int) -> RunInfo | None:
    """The programme's newest run when it is a draft (waiting for review), else None."""
    with db.read() as session:
        runs = list_runs(session, actor, programme_id)
    return runs[0] if runs and runs[0].status is RunStatus.DRAFT else None


def change_rules(db: Database, actor: AuthenticatedUser, programme_id: int, rules: Mapping[str, Any]) -> ProgrammeInfo:
    """Store new matching rules for the programme (the rest of the programme stays as it is)."""
    with db.write() as session:
        programme = get_programme(session, actor, programme_id)
        return update_programme(session, actor, programme.id, replace(programme.spec, rules=dict(rules)))


def match_programme(
    db: Database,
    actor: AuthenticatedUser,
    programme_id: int,
    *,
    lang: str,
    progress: Progress | None = None,
    reference_date: date | None = None,
) -> RunInfo:
    """Match the programme's stored pupils (pins kept, forbids never made) and save the draft run.

    A previous draft of the programme is replaced; published runs stay. ``reference_date`` is the day ages
    are counted on (default today). Raises ``RuleError`` when the core refuses (e.g. a pin the rules no
    longer allow); nothing is saved then. The run's summary has the counts and the unpaired tutees.

    Once the programme has published pairs, those decisions are facts: the run re-optimises only the
    tutees without an active pair (a *top-up*, see :func:`peermatch.pairing.top_up`), active pairs keep
    their tutor's place, an ended pair is never proposed again, and publishing the draft adds its pairs to
    the published run. The summary then also has ``kept`` (active pairs), ``top_up_of`` (the published
    run's id) and ``pins_skipped`` (pins on tutees who already have a maatje, as tutor – tutee numbers).

    Three steps, so the solve never holds the database's write lock (a class checking in meanwhile is not
    kept waiting): read the programme, its pupils and constraints; solve; save the draft.
    """
    with db.read() as session:
        programme = get_programme(session, actor, programme_id)
        pupils, rules = pupils_and_rules(session, actor, programme, reference_date=reference_date)
        pins, forbids = constraints_of(session, actor, programme.id)
        decided = _decided(session, actor, programme.id, pupils, pins, forbids)
    proposal = _propose(pupils, rules, pins, forbids, decided, lang=lang, progress=progress)
    with db.write() as session:
        return _save_draft(session, actor, programme, proposal)


def match_programme_in(
    session: Session, actor: AuthenticatedUser, programme_id: int, *, lang: str, reference_date: date | None = None
) -> RunInfo:
    """:func:`match_programme` inside the caller's transaction (the demo seed builds a whole school in one)."""
    programme = get_programme(session, actor, programme_id)
    pupils, rules = pupils_and_rules(session, actor, programme, reference_date=reference_date)
    pins, forbids = constraints_of(session, actor, programme.id)
    decided = _decided(session, actor, programme.id, pupils, pins, forbids)
    return _save_draft(session, actor, programme, _propose(pupils, rules, pins, forbids, decided, lang=lang))


def _decided(
    session: Session,
    actor: AuthenticatedUser,
    programme_id: int,
    pupils: list[Pupil],
    pins: list[PairIds],
    forbids: list[PairIds],
) -> tuple[int, TopUp] | None:
    """The published run's id and what its decisions leave to match; None before the first publish."""
    found = decided_pairs(session, actor, programme_id)
    if found is None:
        return None
    run, pairs = found
    active = [(p.tutor_number, p.tutee_number) for p in pairs if p.status is PairStatus.ACTIVE]
    ended = [(p.tutor_number, p.tutee_number) for p in pairs if p.ended_by_decision]
    return run.id, top_up(pupils, pins, forbids, active=active, ended=ended)


def _propose(
    pupils: list[Pupil],
    rules: Rules,
    pins: list[PairIds],
    forbids: list[PairIds],
    decided: tuple[int, TopUp] | None,
    *,
    lang: str,
    progress: Progress | None = None,
) -> Proposal:
    if decided is None:
        return propose(pupils, rules, pins=pins, forbids=forbids, lang=lang, progress=progress)
    base, rest = decided
    proposal = propose(rest.pupils, rules, pins=rest.pins, forbids=rest.forbids, taken=rest.taken, lang=lang,
                       progress=progress)  # fmt: skip
    kept = sum(rest.taken.values())
    summary = {**proposal.summary, "kept": kept, TOP_UP_OF: base,
               "pins_skipped": [list(pin) for pin in rest.skipped_pins]}  # fmt: skip
    return replace(proposal, summary=summary)


def _save_draft(session: Session, actor: AuthenticatedUser, programme: ProgrammeInfo, proposal: Proposal) -> RunInfo:
    for old in list_runs(session, actor, programme.id):
        if old.status is RunStatus.DRAFT:
            delete_draft(session, actor, old.id)
    return save_run(
        session, actor, programme.id, proposal.drafts, rules=dict(programme.spec.rules), summary=proposal.summary
    )
