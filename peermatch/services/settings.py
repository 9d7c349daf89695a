"""The settings a school may change. For now: the numbers behind pair health and alerts
(:class:`peermatch.monitoring.Thresholds`).

Every staff member of the school reads them (the monitoring pages judge the pairs with them); only the
beheerder and the ib change or reset them, and every change is audited (``storage.settings``). A school
that never changed a number follows the default of the version it runs; what is ignored when stored
numbers are read is :func:`peermatch.monitoring.thresholds_from_stored`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from peermatch.auth import AuthenticatedUser
from peermatch.errors import MonitoringError, Problem
from peermatch.monitoring.thresholds import (
    ATTENTION_LIMIT,
    DEFAULT_THRESHOLDS,
    THRESHOLD_NAMES,
    Thresholds,
    thresholds_from_stored,
)
from peermatch.services.database import Database
from peermatch.storage.settings import SETTINGS_EDITORS, store_thresholds, stored_thresholds

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


def monitoring_settings(db: Database, actor: AuthenticatedUser) -> ThresholdSettings:
    """The thresholds of the actor's school (the defaults when none were stored), with who changed them last."""
    with db.read() as session:
        stored = stored_thresholds(session, actor)
    return ThresholdSettings(thresholds_from_stored(stored.values), stored.updated_at, stored.updated_by)


def monitoring_thresholds(db: Database, actor: AuthenticatedUser) -> Thresholds:
    """The thresholds the actor's school judges pair health and alerts with (any staff member may read them)."""
    return monitoring_settings(db, actor).thresholds


def set_monitoring_thresholds(db: Database, actor: AuthenticatedUser, thresholds: Thresholds) -> None:
    """Store the school's thresholds (beheerder and ib only; audited). ``thresholds`` was validated when it
    was made: build it inside the same error handling, so a bad combination stores nothing."""
    if not isinstance(thresholds, Thresholds):
        raise MonitoringError(Problem("monitoring.threshold_invalid", column="thresholds", value=str(thresholds)))
    defaults = asdict(DEFAULT_THRESHOLDS)
    with db.write() as session:
        store_thresholds(session, actor, {k: v for k, v in asdict(thresholds).items() if v != defaults[k]})


def reset_monitoring_thresholds(db: Database, actor: AuthenticatedUser) -> None:
    """Back to the defaults (beheerder and ib only; audited, and remembered as a change by the actor)."""
    with db.write() as session:
        store_thresholds(session, actor, {})
