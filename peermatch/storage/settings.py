"""The settings a school may change. For now: the numbers behind pair health and alerts
(:class:`peermatch.monitoring.Thresholds`).

Every staff member of the school reads them (the monitoring pages judge the pairs with them); only the
beheerder and the ib change or reset them, and every change is audited. One row per school in
``school_settings``, holding only the numbers that differ from the defaults: a school that never changed a
number follows the default of the version it runs. When read, unknown keys (a threshold that no longer
exists) and values that are not whole numbers are ignored, missing keys take the default, and a stored set
that no longer passes validation as a whole (say a default changed under it) falls back to the defaults, so
the monitoring pages always open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import datetime

from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, require_role
from peermatch.errors import MonitoringError, PermissionDeniedError, Problem
from peermatch.monitoring.thresholds import DEFAULT_THRESHOLDS, Thresholds
from peermatch.storage import audit
from peermatch.storage.enums import AuditAction, StaffRole
from peermatch.storage.models import SchoolSettings, utcnow

__all__ = [
    "ATTENTION_LIMIT",
    "SETTINGS_EDITORS",
    "THRESHOLD_NAMES",
    "ThresholdSettings",
    "monitoring_settings",
    "monitoring_thresholds",
    "reset_monitoring_thresholds",
    "set_monitoring_thresholds",
]

SETTINGS_EDITORS = (StaffRole.BEHEERDER, StaffRole.IB)
THRESHOLD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Thresholds))
"""The thresholds in the order of :class:`Thresholds` (and of the settings page)."""
ATTENTION_LIMIT: Mapping[str, str] = {"missed_in_a_row_risk": "missed_in_a_row", "dosage_risk_pct": "dosage_behind_pct"}
"""Each risk threshold and the attention threshold it may not be below (``monitoring.threshold_order``)."""


@dataclass(frozen=True)
class ThresholdSettings:
    """The thresholds the school judges with, and who last changed (or reset) them and when."""

    thresholds: Thresholds
    updated_at: datetime | None  # None: never changed, the defaults
    updated_by: str  # the name as it was then; "" when never changed

    @property
    def changed(self) -> tuple[str, ...]:
        """The names of the thresholds that differ from the defaults."""
        return tuple(n for n in THRESHOLD_NAMES if getattr(self.thresholds, n) != getattr(DEFAULT_THRESHOLDS, n))


def _staff(actor: object) -> AuthenticatedUser:
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    return actor


def _from_stored(stored: object) -> Thresholds:
    """The thresholds from the stored JSON (see the module doc for what is ignored)."""
    if not isinstance(stored, Mapping):
        return DEFAULT_THRESHOLDS
    values = {k: v for k, v in stored.items() if k in THRESHOLD_NAMES and type(v) is int}
    try:
        return Thresholds(**values)
    except MonitoringError:
        return DEFAULT_THRESHOLDS


def monitoring_settings(session: Session, actor: AuthenticatedUser) -> ThresholdSettings:
    """The thresholds of the actor's school (the defaults when none were stored), with who changed them last."""
    actor = _staff(actor)
    row = session.get(SchoolSettings, actor.school_id)
    if row is None:
        return ThresholdSettings(DEFAULT_THRESHOLDS, None, "")
    return ThresholdSettings(_from_stored(row.monitoring_thresholds), row.updated_at, row.updated_by_name)


def monitoring_thresholds(session: Session, actor: AuthenticatedUser) -> Thresholds:
    """The thresholds the actor's school judges pair health and alerts with (any staff member may read them)."""
    return monitoring_settings(session, actor).thresholds


def _store(session: Session, actor: AuthenticatedUser, values: dict[str, int]) -> None:
    require_role(actor, *SETTINGS_EDITORS)
    row = session.get(SchoolSettings, actor.school_id)
    if row is None:
        row = SchoolSettings(school_id=actor.school_id)
        session.add(row)
    row.monitoring_thresholds = values
    row.updated_at = utcnow()
    row.updated_by_id = actor.id
    row.updated_by_name = actor.display_name or actor.username
    session.flush()
    audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "settings", "monitoring_thresholds")


def set_monitoring_thresholds(session: Session, actor: AuthenticatedUser, thresholds: Thresholds) -> None:
    """Store the school's thresholds (beheerder and ib only; audited). ``thresholds`` was validated when it
    was made: build it inside the same error handling, so a bad combination stores nothing."""
    actor = _staff(actor)
    if not isinstance(thresholds, Thresholds):
        raise MonitoringError(Problem("monitoring.threshold_invalid", column="thresholds", value=str(thresholds)))
    defaults = asdict(DEFAULT_THRESHOLDS)
    _store(session, actor, {k: v for k, v in asdict(thresholds).items() if v != defaults[k]})


def reset_monitoring_thresholds(session: Session, actor: AuthenticatedUser) -> None:
    """Back to the defaults (beheerder and ib only; audited, and remembered as a change by the actor)."""
    _store(session, _staff(actor), {})
