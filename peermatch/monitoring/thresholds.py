"""The numbers behind pair health and alerts, which a school may change.

Defaults follow the issue's Monday story and the dosage research in ``domain/training.md`` §4.4
(sessions 1-5 times a week in blocks of 4-10 weeks): two missed sessions in a row or a tutee's
emoji falling for three sessions need a look; ten days without a check-in means the weekly moment
is probably not happening; a quarter of the planned sessions behind is worth a question, half
behind is a risk.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from peermatch.errors import Problem
from peermatch.monitoring.history import MonitoringError

__all__ = ["DEFAULT_THRESHOLDS", "Thresholds"]


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
