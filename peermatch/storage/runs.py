"""Matching runs and their pairs: save a draft, publish it (one published run per programme), end a pair."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from peermatch.auth import AuthenticatedUser
from peermatch.drafts import PairDraft
from peermatch.errors import ConflictError, InvalidInputError, NotFoundError, Problem
from peermatch.storage import audit
from peermatch.storage.access import load_pair, load_programme, load_run
from peermatch.storage.enums import AuditAction, PairStatus, RunStatus
from peermatch.storage.models import MatchingRun, PairRow, Programme, PupilRow, utcnow

__all__ = [
    "SUPERSEDED_REASON",
    "TOP_UP_OF",
    "PairDraft",
    "PairInfo",
    "RunInfo",
    "decided_pairs",
    "delete_draft",
    "end_pair",
    "get_run",
    "list_runs",
    "publish_run",
    "published_run",
    "run_pairs",
    "running_pair_ids",
    "save_run",
]

SUPERSEDED_REASON = "superseded"  # end reason of the pairs of a run replaced by a newer published run
TOP_UP_OF = "top_up_of"  # summary key of a draft made beside a published run: that run's id (see publish_run)


@dataclass(frozen=True)
class RunInfo:
    id: int
    programme_id: int
    status: RunStatus
    created_at: datetime
    published_at: datetime | None
    created_by_id: int | None
    rules: Mapping[str, Any]
    summary: Mapping[str, Any]
    pair_count: int


@dataclass(frozen=True)
class PairInfo:
    id: int
    run_id: int
    tutor_pk: int  # database ids (``PupilRow.id``)
    tutee_pk: int
    tutor_number: str  # pupil numbers
    tutee_number: str
    status: PairStatus
    pinned: bool
    explanation: Any
    cost: float | None
    start_date: date | None
    end_date: date | None
    end_reason: str | None

    @property
    def ended_by_decision(self) -> bool:
        """Ended by a person (a reason such as "verhuisd"), not superseded by a newer run: it never comes back."""
        return self.status is PairStatus.ENDED and self.end_reason != SUPERSEDED_REASON


def running_pair_ids() -> sa.Select[int]:
    """The ids of the running pairs (active in their programme's published run); narrow it with ``.where``
    on ``PairRow`` or ``MatchingRun`` (both are in the query)."""
    return (
        sa.select(PairRow.id)
        .join(MatchingRun, MatchingRun.id == PairRow.run_id)
        .where(MatchingRun.status == RunStatus.PUBLISHED, PairRow.status == PairStatus.ACTIVE)
    )


def _run_info(session: Session, run: MatchingRun) -> RunInfo:
    count = session.scalar(sa.select(sa.func.count()).select_from(PairRow).where(PairRow.run_id == run.id)) or 0
    return RunInfo(
        run.id,
        run.programme_id,
        run.status,
        run.created_at,
        run.published_at,
        run.created_by_id,
        dict(run.rules),
        dict(run.summary),
        count,
    )


def _pairs_query() -> sa.Select[PairRow, str, str]:
    tutor, tutee = aliased(PupilRow), aliased(PupilRow)
    return (
        sa.select(PairRow, tutor.pupil_number, tutee.pupil_number)
        .join(tutor, tutor.id == PairRow.tutor_id)
        .join(tutee, tutee.id == PairRow.tutee_id)
        .order_by(PairRow.id)
    )


def _pair_info(p: PairRow, tutor_number: str, tutee_number: str) -> PairInfo:
    return PairInfo(
        p.id,
        p.run_id,
        p.tutor_id,
        p.tutee_id,
        tutor_number,
        tutee_number,
        p.status,
        p.pinned,
        p.explanation,
        p.cost,
        p.start_date,
        p.end_date,
        p.end_reason,
    )


def _programme_pupils(session: Session, programme: Programme, group_ids: set[int]) -> dict[str, PupilRow]:
    query = sa.select(PupilRow).where(PupilRow.school_id == programme.school_id, PupilRow.group_id.in_(group_ids))
    return {p.pupil_number: p for p in session.scalars(query)}


def save_run(
    session: Session,
    actor: AuthenticatedUser,
    programme_id: int,
    pairs: Sequence[PairDraft],
    *,
    rules: Mapping[str, Any],
    summary: Mapping[str, Any] | None = None,
) -> RunInfo:
    """Store the matcher's result as a draft run. Tutors must be in the tutor groups, tutees in the tutee groups."""
    programme = load_programme(session, actor, programme_id)
    tutors = _programme_pupils(session, programme, {g.id for g in programme.tutor_groups})
    tutees = _programme_pupils(session, programme, {g.id for g in programme.tutee_groups})
    run = MatchingRun(
        school_id=programme.school_id,
        programme_id=programme.id,
        status=RunStatus.DRAFT,
        created_by_id=actor.id,
        rules=dict(rules),
        summary=dict(summary or {}),
    )
    for draft in pairs:
        if draft.tutor_number not in tutors:
            raise NotFoundError(Problem("storage.run.not_a_tutor", value=draft.tutor_number))
        if draft.tutee_number not in tutees:
            raise NotFoundError(Problem("storage.run.not_a_tutee", value=draft.tutee_number))
        run.pairs.append(
            PairRow(
                school_id=programme.school_id,
                tutor_id=tutors[draft.tutor_number].id,
                tutee_id=tutees[draft.tutee_number].id,
                status=PairStatus.PROPOSED,
                pinned=draft.pinned,
                cost=draft.cost,
                explanation=draft.explanation,
            )
        )
    session.add(run)
    session.flush()
    audit.record(session, actor, programme.school_id, AuditAction.CREATE, "run", run.id)
    return _run_info(session, run)


def get_run(session: Session, actor: AuthenticatedUser, run_id: int) -> RunInfo:
    run, _ = load_run(session, actor, run_id)
    return _run_info(session, run)


def lock_for_publishing(session: Session, run_id: int) -> None:
    """Hold the run's programme row until this transaction ends (``SELECT ... FOR UPDATE``; on SQLite the write
    transaction already holds the database): two publishes of one programme then run one after the other, and
    the second one reads what the first committed (a draft published meanwhile is no longer a draft). Call it
    first in the transaction, before anything of the run is read. An unknown run locks nothing (the access
    check that follows refuses it)."""
    programme_id = sa.select(MatchingRun.programme_id).where(MatchingRun.id == run_id).scalar_subquery()
    session.execute(sa.select(Programme.id).where(Programme.id == programme_id).with_for_update())


def list_runs(session: Session, actor: AuthenticatedUser, programme_id: int) -> list[RunInfo]:
    """The programme's runs, newest first."""
    programme = load_programme(session, actor, programme_id)
    runs = session.scalars(
        sa.select(MatchingRun).where(MatchingRun.programme_id == programme.id).order_by(MatchingRun.id.desc())
    )
    return [_run_info(session, run) for run in runs]


def published_run(session: Session, actor: AuthenticatedUser, programme_id: int) -> RunInfo | None:
    programme = load_programme(session, actor, programme_id)
    run = session.scalar(
        sa.select(MatchingRun).where(
            MatchingRun.programme_id == programme.id, MatchingRun.status == RunStatus.PUBLISHED
        )
    )
    return _run_info(session, run) if run else None


def run_pairs(session: Session, actor: AuthenticatedUser, run_id: int) -> list[PairInfo]:
    """The pairs of a run (the view is audited)."""
    run, programme = load_run(session, actor, run_id)
    audit.record(session, actor, programme.school_id, AuditAction.VIEW, "run", run.id)
    return [_pair_info(*row) for row in session.execute(_pairs_query().where(PairRow.run_id == run.id))]


def decided_pairs(
    session: Session, actor: AuthenticatedUser, programme_id: int
) -> tuple[RunInfo, list[PairInfo]] | None:
    """The programme's published run and all its pairs (active and ended), for the matcher; None before
    publishing. Not a view of pupils' data (numbers only), so not audited: ``run_pairs`` is the listing."""
    programme = load_programme(session, actor, programme_id)
    run = session.scalar(
        sa.select(MatchingRun).where(
            MatchingRun.programme_id == programme.id, MatchingRun.status == RunStatus.PUBLISHED
        )
    )
    if run is None:
        return None
    return _run_info(session, run), [
        _pair_info(*row) for row in session.execute(_pairs_query().where(PairRow.run_id == run.id))
    ]


def _start_of(programme: Programme, on: date) -> date:
    return programme.start_date if programme.start_date and programme.start_date > on else on


def publish_run(session: Session, actor: AuthenticatedUser, run_id: int, *, on: date | None = None) -> RunInfo:
    """Make a draft the programme's published run; the previously published run becomes superseded.

    Its pairs become active from ``on`` (default today), or from the programme's start date when that
    is later; a pair that was already active in the previous run keeps its original start date.

    A *top-up* draft (its summary's ``top_up_of`` names the published run it was made beside: only new
    pairs for the tutees without an active pair) is added to that run instead: its pairs join the published
    run as active pairs and the draft itself goes; every pair already there, active or ended, stays as it
    is. When another run was published since, ``ConflictError`` (``storage.run.base_changed``).
    """
    run, programme = load_run(session, actor, run_id)
    if run.status is not RunStatus.DRAFT:
        raise ConflictError(Problem("storage.run.not_draft", value=str(run.id)))
    on = on or date.today()
    started: dict[tuple[int, int], date | None] = {}
    previous = session.scalar(
        sa.select(MatchingRun).where(
            MatchingRun.programme_id == programme.id, MatchingRun.status == RunStatus.PUBLISHED
        )
    )
    base = run.summary.get(TOP_UP_OF)
    if base is not None:
        if previous is None or previous.id != base:
            raise ConflictError(Problem("storage.run.base_changed", value=str(run.id)))
        return _add_to_published(session, actor, programme, run, previous, on)
    if previous is not None:
        for pair in previous.pairs:
            if pair.status is PairStatus.ACTIVE:
                started[(pair.tutor_id, pair.tutee_id)] = pair.start_date
                pair.status, pair.end_date, pair.end_reason = PairStatus.ENDED, on, SUPERSEDED_REASON
        previous.status = RunStatus.SUPERSEDED
        session.flush()  # the one-published-run index must see the old run go first
    for pair in run.pairs:
        pair.status = PairStatus.ACTIVE
        pair.start_date = started.get((pair.tutor_id, pair.tutee_id)) or _start_of(programme, on)
    run.status, run.published_at = RunStatus.PUBLISHED, utcnow()
    session.flush()
    audit.record(session, actor, programme.school_id, AuditAction.PUBLISH, "run", run.id)
    return _run_info(session, run)


def _add_to_published(
    session: Session,
    actor: AuthenticatedUser,
    programme: Programme,
    draft: MatchingRun,
    published: MatchingRun,
    on: date,
) -> RunInfo:
    """Move a top-up draft's pairs into the published run (active from ``on``) and drop the emptied draft."""
    for pair in list(draft.pairs):
        pair.status, pair.start_date = PairStatus.ACTIVE, _start_of(programme, on)
        published.pairs.append(pair)  # leaves draft.pairs: the draft's delete-orphan cascade no longer reaches it
    session.flush()
    session.delete(draft)
    session.flush()
    audit.record(session, actor, programme.school_id, AuditAction.PUBLISH, "run", published.id)
    return _run_info(session, published)


def delete_draft(session: Session, actor: AuthenticatedUser, run_id: int) -> None:
    """Throw away a draft run (published and superseded runs are history and stay)."""
    run, programme = load_run(session, actor, run_id)
    if run.status is not RunStatus.DRAFT:
        raise ConflictError(Problem("storage.run.not_draft", value=str(run.id)))
    session.delete(run)
    session.flush()
    audit.record(session, actor, programme.school_id, AuditAction.DELETE, "run", run_id)


def end_pair(session: Session, actor: AuthenticatedUser, pair_id: int, *, reason: str, on: date) -> PairInfo:
    """Stop an active pair on ``on`` with a short reason (e.g. "tutee caught up", "moved school")."""
    pair, _, programme = load_pair(session, actor, pair_id)
    if pair.status is not PairStatus.ACTIVE:
        raise ConflictError(Problem("storage.pair.not_active", value=str(pair.id)))
    reason = reason.strip()
    if not reason or len(reason) > 200:
        raise InvalidInputError(Problem("storage.pair.reason", value=reason))
    if pair.start_date and on < pair.start_date:
        raise InvalidInputError(Problem("storage.pair.end_before_start", value=on.isoformat()))
    pair.status, pair.end_date, pair.end_reason = PairStatus.ENDED, on, reason
    session.flush()
    audit.record(session, actor, programme.school_id, AuditAction.UPDATE, "pair", pair.id)
    row = session.execute(_pairs_query().where(PairRow.id == pair.id)).one()
    return _pair_info(*row)
