"""The school at a glance: the monitoring overview of the pairs (Overzicht, Signalen) and the Start page
(what the user should do next and, once pairs run, what needs them this week)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peermatch import monitoring as mon
from peermatch.auth import AuthenticatedUser
from peermatch.services.database import Database
from peermatch.services.monitoring import Monitored, cached_overview, read_monitored, read_triages
from peermatch.storage.queries import overview

__all__ = ["SchoolWeek", "StartPage", "school_week", "start_page"]


@dataclass(frozen=True)
class SchoolWeek:
    """The pairs the actor may see and their overview on one day: health, the alert inbox with its triage
    (worries and help requests marked afgehandeld no longer count toward health) and the dosage."""

    data: Monitored
    overview: mon.Overview


@dataclass(frozen=True)
class StartPage:
    """What the Start page shows: the user's numbers, the next step (``import``, ``programme``, ``match``,
    ``review`` or ``pairs``), the programmes with a waiting draft or a published run, and the week's overview
    once pairs run (``None`` before, or when the user sees no pair)."""

    pupils: int
    groups: int
    programmes: int
    next_step: str
    drafts: tuple[str, ...]  # programme names
    published: tuple[str, ...]
    week: mon.Overview | None


def _week(data: Monitored, triages: dict[str, mon.Triage], as_of: date) -> mon.Overview:
    return mon.school_overview(data.histories, as_of, triages=triages, thresholds=data.thresholds)


def school_week(db: Database, actor: AuthenticatedUser, as_of: date, programme_id: int | None = None) -> SchoolWeek:
    """The overview on ``as_of`` of the pairs the actor may see (of one programme, or all), judged with the
    school's thresholds. Audited as a view of the monitoring data. Loaded and judged again only when the
    school's monitoring data changed since (in any app process: ``services.monitoring.cached_overview``)."""
    with db.write() as session:
        data, week = cached_overview(session, actor, as_of, programme_id)
    return SchoolWeek(data, week)


def start_page(db: Database, actor: AuthenticatedUser, as_of: date) -> StartPage:
    """The Start page for the actor on ``as_of``, in one transaction."""
    with db.write() as session:
        info = overview(session, actor)
        week = None
        if info.published:
            data = read_monitored(session, actor)
            if data.histories:
                week = _week(data, read_triages(session, actor), as_of)
    return StartPage(
        pupils=info.pupils,
        groups=info.groups,
        programmes=len(info.programmes),
        next_step=info.next_step,
        drafts=tuple(p.spec.name for p in info.drafts),
        published=tuple(p.spec.name for p in info.published),
        week=week,
    )
