"""The numbers behind pair health and alerts, which a school may change.

Defaults follow the issue's Monday story and the dosage research in ``domain/training.md`` §4.4
(sessions 1-5 times a week in blocks of 4-10 weeks): two missed sessions in a row or a tutee's
emoji falling for three sessions need a look; ten days without a check-in means the weekly moment
is probably not happening; a quarter of the planned sessions behind is worth a question, half
behind is a risk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from peermatch.errors import Problem
from peermatch.monitoring.history import MonitoringError

__all__ = ["ATTENTION_LIMIT", "DEFAULT_THRESHOLDS", "THRESHOLD_NAMES", "Thresholds", "thresholds_from_stored"]


@dataclass(frozen=True)
class Thresholds:
    missed_in_a_row: int = 2
    """Missed sessions in a row (absent or cancelled) that need attention."""
    missed_in_a_row_risk: int = 4
    """Missed sessions in a row that make the pair a risk."""
    mood_falling_sessions: int = 3
    """Tutor mood or tutee fun is falling when each of its last this-many answers is lower than the one before."""
    no_checkin_days: int = 10
    """Days without any check-in (once the plan has started) that need attention."""
    dosage_behind_pct: int = 25
    """Percentage of the planned sessions so far not held that needs attention."""
    dosage_risk_pct: int = 50
    """Percentage behind that makes the pair a risk."""
    too_early_sessions: int = 3
    """With fewer held sessions than this, and nothing else to report, it is too early to say; the
    dosage rules also wait until this many sessions were planned."""
    worry_days: int = 14
    """A worry or help request in a check-in of the last this-many days counts."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or value < 1 or (f.name.endswith("_pct") and value > 100):
                raise MonitoringError(Problem("monitoring.threshold_invalid", column=f.name, value=str(value)))
        if self.missed_in_a_row_risk < self.missed_in_a_row:
            raise MonitoringError(
                Problem(
                    "monitoring.threshold_order", column="missed_in_a_row_risk", value=str(self.missed_in_a_row_risk)
                )
            )
        if self.dosage_risk_pct < self.dosage_behind_pct:
            raise MonitoringError(
                Problem("monitoring.threshold_order", column="dosage_risk_pct", value=str(self.dosage_risk_pct))
            )
        if self.mood_falling_sessions < 2:
            raise MonitoringError(
                Problem(
                    "monitoring.threshold_invalid",
                    column="mood_falling_sessions",
                    value=str(self.mood_falling_sessions),
                )
            )


DEFAULT_THRESHOLDS = Thresholds()
THRESHOLD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Thresholds))
"""The thresholds in the order of :class:`Thresholds` (and of the settings page)."""
ATTENTION_LIMIT: Mapping[str, str] = {"missed_in_a_row_risk": "missed_in_a_row", "dosage_risk_pct": "dosage_behind_pct"}
"""Each risk threshold and the attention threshold it may not be below (``monitoring.threshold_order``)."""


def thresholds_from_stored(stored: object) -> Thresholds:
    """The thresholds a school stored (a mapping of the numbers that differ from the defaults).

    Unknown keys (a threshold that no longer exists) and values that are not whole numbers are ignored,
    missing keys take the default, and a set that no longer passes validation as a whole (say a default
    changed under it) falls back to the defaults, so the monitoring pages always open.
    """
    if not isinstance(stored, Mapping):
        return DEFAULT_THRESHOLDS
    values = {k: v for k, v in stored.items() if k in THRESHOLD_NAMES and type(v) is int}
    try:
        return Thresholds(**values)
    except MonitoringError:
        return DEFAULT_THRESHOLDS
