"""Read-only views for the app's pages: what to do next, and pairs with the pupils' names and groups.

Every function takes the acting user and goes through the same permission checks as the repository.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from peermatch.auth import AuthenticatedUser
from peermatch.board_policy import refuse_board
from peermatch.storage.enums import RunStatus
from peermatch.storage.models import PupilRow
from peermatch.storage.programmes import ProgrammeInfo, list_programmes
from peermatch.storage.pupils import list_groups
from peermatch.storage.runs import PairInfo, list_runs, run_pairs

__all__ = ["Overview", "PairListing", "overview", "pair_listings"]


@dataclass(frozen=True)
class Overview:
    """What a user has: pupils in their groups, programmes, and per programme a waiting draft / a published run."""

    pupils: int
    groups: int
    programmes: tuple[ProgrammeInfo, ...]
    drafts: tuple[ProgrammeInfo, ...]  # programmes whose newest run is a draft
    published: tuple[ProgrammeInfo, ...]

    @property
    def next_step(self) -> str:
        """``import``, ``programme``, ``match``, ``review`` or ``pairs``."""
        if not self.pupils:
            return "import"
        if not self.programmes:
            return "programme"
        if self.drafts:
            return "review"
        if not self.published:
            return "match"
        return "pairs"


def overview(session: Session, actor: AuthenticatedUser) -> Overview:
    refuse_board(actor)
    groups = list_groups(session, actor, actor.school_id)
    programmes = list_programmes(session, actor, actor.school_id)
    drafts, published = [], []
    for programme in programmes:
        runs = list_runs(session, actor, programme.id)
        if runs and runs[0].status is RunStatus.DRAFT:
            drafts.append(programme)
        if any(r.status is RunStatus.PUBLISHED for r in runs):
            published.append(programme)
    return Overview(
        pupils=sum(g.pupil_count for g in groups),
        groups=len(groups),
        programmes=tuple(programmes),
        drafts=tuple(drafts),
        published=tuple(published),
    )


@dataclass(frozen=True)
class PairListing:
    """A stored pair with what a teacher reads: names and groups."""

    pair: PairInfo
    tutor_name: str
    tutor_first_name: str
    tutor_group: str
    tutee_name: str
    tutee_first_name: str
    tutee_group: str


def _people(session: Session, ids: Iterable[int]) -> dict[int, PupilRow]:
    wanted = list(set(ids))
    query = sa.select(PupilRow).options(joinedload(PupilRow.group)).where(PupilRow.id.in_(wanted))
    return {p.id: p for p in session.scalars(query)}


def _name(p: PupilRow) -> str:
    return " ".join(part for part in (p.first_name, p.prefix, p.last_name) if part)


def pair_listings(session: Session, actor: AuthenticatedUser, run_id: int) -> list[PairListing]:
    """The run's pairs (permission-checked and audited by ``run_pairs``) with names and groups."""
    refuse_board(actor)
    pairs = run_pairs(session, actor, run_id)
    people = _people(session, [i for p in pairs for i in (p.tutor_pk, p.tutee_pk)])
    rows = []
    for p in pairs:
        tutor, tutee = people[p.tutor_pk], people[p.tutee_pk]
        rows.append(
            PairListing(
                p,
                _name(tutor),
                tutor.first_name,
                tutor.group.name if tutor.group else "",
                _name(tutee),
                tutee.first_name,
                tutee.group.name if tutee.group else "",
            )
        )
    return rows
