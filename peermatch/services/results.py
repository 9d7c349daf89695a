"""Resultaten: one programme's monitoring data with what its report and letters need, and the audited delivery
of an export (CSV, XLSX, PDF, parent letters): the file is built and its download recorded in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from peermatch import monitoring as mon
from peermatch.auth import AuthenticatedUser
from peermatch.reports.bundle import ExportFile
from peermatch.services.database import Database
from peermatch.services.monitoring import Monitored, read_monitored, read_triages
from peermatch.storage import audit
from peermatch.storage.access import get_school
from peermatch.storage.monitoring_store import monitored_programmes

__all__ = ["ProgrammeResults", "deliver_export", "programme_results"]

DEFAULT_MINUTES = 30


@dataclass(frozen=True)
class ProgrammeResults:
    data: Monitored
    school: str  # the school's name, for the report and the letters
    minutes_per_session: int  # the programme's, for the parent letters
    triages: Mapping[str, mon.Triage] = field(default_factory=dict)  # the stored triage: the exports show it


def programme_results(db: Database, actor: AuthenticatedUser, programme_id: int) -> ProgrammeResults:
    """The programme's pairs the actor may see (audited as a view), the school's name, the session length and the
    stored triage (the exports show each worry's state)."""
    with db.write() as session:
        data = read_monitored(session, actor, programme_id)
        school = get_school(session, actor.school_id).name
        programme = next(iter(monitored_programmes(session, actor, programme_id)), None)
        triages = read_triages(session, actor)
    minutes = programme.minutes_per_session if programme else DEFAULT_MINUTES
    return ProgrammeResults(data, school, minutes, triages)


def deliver_export(db: Database, actor: AuthenticatedUser, export: ExportFile, entity_id: int | str | None) -> bytes:
    """The export's file, built now; the download is audited as ``export_<key>`` of ``entity_id``."""
    with db.write() as session:
        data = export.build()
        audit.record_export(session, actor, f"export_{export.key}", entity_id)
    return data
