"""The stored settings of a school: one row per school in ``school_settings``. For now the numbers behind
pair health and alerts, stored as a JSON object holding only the numbers that differ from the defaults.

This module stores and reads the row as it is; what the numbers mean (and what is ignored when read) is
:func:`peermatch.monitoring.thresholds_from_stored`, used by :mod:`peermatch.services.settings`.
Every staff member of the school reads them; only the beheerder and the ib change or reset them, and
every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, require_role
from peermatch.errors import PermissionDeniedError, Problem
from peermatch.storage import audit
from peermatch.storage.enums import AuditAction, StaffRole
from peermatch.storage.models import SchoolSettings, utcnow

__all__ = ["SETTINGS_EDITORS", "StoredThresholds", "store_thresholds", "stored_thresholds"]

SETTINGS_EDITORS = (StaffRole.BEHEERDER, StaffRole.IB)


@dataclass(frozen=True)
class StoredThresholds:
    """The school's stored threshold numbers as stored (``None`` when the school never changed them), and who
    last changed (or reset) them and when."""

    values: object  # the stored JSON: a mapping when written by this version, anything when not
    updated_at: datetime | None  # None: never changed
    updated_by: str  # the name as it was then; "" when never changed


def _staff(actor: object) -> AuthenticatedUser:
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    return actor


def stored_thresholds(session: Session, actor: AuthenticatedUser) -> StoredThresholds:
    """The threshold numbers stored for the actor's school (any staff member may read them)."""
    actor = _staff(actor)
    row = session.get(SchoolSettings, actor.school_id)
    if row is None:
        return StoredThresholds(None, None, "")
    return StoredThresholds(row.monitoring_thresholds, row.updated_at, row.updated_by_name)


def store_thresholds(session: Session, actor: AuthenticatedUser, values: Mapping[str, int]) -> None:
    """Store the numbers that differ from the defaults for the actor's school (``{}``: back to the defaults).
    Beheerder and ib only; audited, and remembered as a change by the actor."""
    actor = _staff(actor)
    require_role(actor, *SETTINGS_EDITORS)
    row = session.get(SchoolSettings, actor.school_id)
    if row is None:
        row = SchoolSettings(school_id=actor.school_id)
        session.add(row)
    row.monitoring_thresholds = dict(values)
    row.updated_at = utcnow()
    row.updated_by_id = actor.id
    row.updated_by_name = actor.display_name or actor.username
    session.flush()
    audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "settings", "monitoring_thresholds")
