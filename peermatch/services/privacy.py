"""Privacy (AVG): how long the school keeps what pupils wrote, the daily run that deletes what expired, the
erasure of a pupil or a whole school, and the audit log people can read (and export, formula-safe).

Every function here is audited: a change, a deletion (ids and counts, never the deleted data), a retention
run (counts), a read of the audit log itself, each download of pupil data (on the button's click) and each
page run that shows worry texts (which page, groups and pairs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from peermatch.auth import AuthenticatedUser, require_role
from peermatch.exports import to_csv
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.records import PupilInfo
from peermatch.retention import Retention, RetentionCounts
from peermatch.services.database import Database
from peermatch.storage import audit, retention
from peermatch.storage.access import get_school
from peermatch.storage.audit import AUDIT_READERS, AuditEntry, AuditFilter
from peermatch.storage.enums import AuditAction, StaffRole
from peermatch.storage.pupils import pupils_for_matching
from peermatch.storage.schools import find_school

__all__ = [
    "AUDIT_COLUMNS",
    "AUDIT_READERS",
    "AuditEntry",
    "AuditFilter",
    "AuditPage",
    "RetentionCounts",
    "audit_csv",
    "audit_page",
    "audit_people",
    "delete_pupil",
    "delete_pupil_by_number",
    "delete_school",
    "delete_school_by_name",
    "erasable_pupils",
    "record_download",
    "record_logout",
    "record_pupil_logout",
    "record_worry_view",
    "retention_settings",
    "run_retention",
    "set_retention",
]

AUDIT_COLUMNS = ("at", "user", "action", "entity", "entity_id", "detail")
AUDIT_LIMIT = 1000


@dataclass(frozen=True)
class AuditPage:
    """What the Audit page shows: the entries, newest first, at most ``AUDIT_LIMIT``."""

    entries: tuple[AuditEntry, ...]


def retention_settings(db: Database, actor: AuthenticatedUser) -> retention.StoredRetention:
    """The school's retention months (the defaults when never changed) and who changed them last."""
    with db.read() as session:
        return retention.retention_of(session, actor)


def set_retention(db: Database, actor: AuthenticatedUser, months: Retention) -> None:
    """Store the school's retention months (beheerder only; audited). They apply from the next run."""
    with db.write() as session:
        retention.store_retention(session, actor, months)


def run_retention(db: Database, today: date | None = None, *, force: bool = False) -> dict[int, RetentionCounts]:
    """Delete in every school what expired on ``today`` (default: today), one transaction per school; audited
    as counts. Schools already looked at today are skipped unless ``force``: cheap to call at every start."""
    day = today or date.today()
    with db.read() as session:
        schools = retention.school_ids(session)
    done: dict[int, RetentionCounts] = {}
    for school_id in schools:
        with db.write() as session:
            counts = retention.expire_school(session, school_id, day, force=force)
        if counts is not None:
            done[school_id] = counts
    return done


def erasable_pupils(db: Database, actor: AuthenticatedUser) -> list[PupilInfo]:
    """Every pupil of the school, also those who left (beheerder and ib; audited as a view of the school)."""
    require_role(actor, StaffRole.BEHEERDER, StaffRole.IB)
    with db.write() as session:
        return pupils_for_matching(session, actor, actor.school_id, include_inactive=True)


def delete_pupil(db: Database, actor: AuthenticatedUser, pupil_id: int, typed_name: str) -> None:
    """Erase a pupil and everything about them (beheerder or ib), once ``typed_name`` is their full name."""
    with db.write() as session:
        retention.delete_pupil_confirmed(session, actor, pupil_id, typed_name)


def delete_school(db: Database, actor: AuthenticatedUser, typed_name: str) -> None:
    """Erase the actor's whole school (beheerder only), once ``typed_name`` is the school's name."""
    with db.write() as session:
        retention.delete_school_confirmed(session, actor, actor.school_id, typed_name)


def delete_pupil_by_number(db: Database, school_name: str, pupil_number: str) -> bool:
    """The command line: erase the pupil with this number in the named school; False when there is none."""
    with db.write() as session:
        school = find_school(session, school_name)
        return school is not None and retention.delete_pupil_trusted(session, school.id, pupil_number)


def delete_school_by_name(db: Database, school_name: str) -> bool:
    """The command line: erase the named school; False when there is none."""
    with db.write() as session:
        school = find_school(session, school_name)
        if school is None:
            return False
        retention.delete_school_confirmed(session, None, school.id, get_school(session, school.id).name)
        return True


def audit_page(db: Database, actor: AuthenticatedUser, where: AuditFilter | None = None) -> AuditPage:
    """The audit entries of the actor's school (beheerder and ib), newest first; the read is audited."""
    with db.write() as session:
        entries = audit.list_audit(session, actor, limit=AUDIT_LIMIT, where=where)
        audit.record(session, actor, actor.school_id, AuditAction.VIEW, "audit", detail=_filter_text(where))
    return AuditPage(tuple(entries))


def audit_people(db: Database, actor: AuthenticatedUser) -> dict[int, str]:
    """The school's staff accounts for the person filter (beheerder and ib)."""
    with db.read() as session:
        return audit.audit_people(session, actor)


def audit_csv(db: Database, actor: AuthenticatedUser, where: AuditFilter | None = None) -> str:
    """The filtered audit entries as CSV, every cell formula-safe; the export is audited."""
    with db.write() as session:
        entries = audit.list_audit(session, actor, limit=AUDIT_LIMIT, where=where)
        audit.record_export(session, actor, "audit_csv", detail=_filter_text(where))
    rows = [
        {"at": e.at.isoformat(timespec="seconds"), "user": e.username or "", "action": e.action, "entity": e.entity,
         "entity_id": e.entity_id or "", "detail": e.detail or ""}
        for e in entries
    ]  # fmt: skip
    return to_csv(rows, AUDIT_COLUMNS)


def _filter_text(where: AuditFilter | None) -> str | None:
    if where is None:
        return None
    parts = [
        f"{name}={value}"
        for name, value in (
            ("user", where.user_id),
            ("action", where.action),
            ("from", where.first_day),
            ("to", where.last_day),
        )
        if value not in (None, "")
    ]
    return " ".join(parts) or None


def record_download(
    db: Database,
    actor: AuthenticatedUser,
    entity: str,
    entity_id: int | str | None = None,
    *,
    detail: str | None = None,
) -> None:
    """Audit one download of pupil data (called from the download button's click)."""
    with db.write() as session:
        audit.record_export(session, actor, entity, entity_id, detail=detail)


def record_worry_view(
    db: Database, actor: AuthenticatedUser, page: str, groups: Iterable[str], pair_ids: Iterable[int | str] = ()
) -> None:
    """Audit that a page run showed worry texts: which page, of which groups and pairs (once per run)."""
    group_text = ",".join(sorted({g for g in groups if g}))
    pair_text = ",".join(sorted({str(p) for p in pair_ids}, key=lambda x: (len(x), x)))
    with db.write() as session:
        audit.record(
            session,
            actor,
            actor.school_id,
            AuditAction.VIEW,
            "worries",
            page,
            detail=f"groups={group_text} pairs={pair_text}",
        )


def record_logout(db: Database, actor: AuthenticatedUser) -> None:
    """Audit a staff member's logout (the button)."""
    with db.write() as session:
        audit.record(session, actor, actor.school_id, AuditAction.LOGOUT, "user", actor.id)


def record_pupil_logout(db: Database, pupil: AuthenticatedPupil) -> None:
    """Audit a pupil's logout (the button), by the pupil's id."""
    with db.write() as session:
        audit.record(session, None, pupil.school_id, AuditAction.LOGOUT, "pupil", pupil.id)
