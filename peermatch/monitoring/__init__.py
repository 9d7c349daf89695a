"""Monitoring for the intern begeleider: pair health, alerts and their triage, dosage, outcomes.

Pure functions over plain values (:mod:`.history`); no storage, no Streamlit. The caller loads
:class:`PairHistory` values and passes the school's :class:`Thresholds`.
"""

from __future__ import annotations

from peermatch.monitoring.alerts import (
    Alert,
    AlertKind,
    Triage,
    TriageEvent,
    TriageState,
    alert_id,
    alert_order,
    checkin_alert_id,
    generate_alerts,
    inbox,
    new_triage,
    transition,
    triage_of,
)
from peermatch.monitoring.dosage import (
    DosageTotals,
    GroupDosage,
    PairDosage,
    group_dosage,
    pair_dosage,
    programme_dosage,
)
from peermatch.monitoring.health import (
    HEALTH_RULES,
    Health,
    HealthReason,
    PairHealth,
    health_counts,
    pair_health,
    resolved_alerts,
)
from peermatch.monitoring.history import (
    CheckIn,
    LevelMeasurement,
    MonitoringError,
    PairHistory,
    Plan,
    PupilLevels,
    SessionStatus,
    active_only,
)
from peermatch.monitoring.outcomes import (
    MONTHS_PER_STEP,
    GrowthComparison,
    GrowthSummary,
    PairTrend,
    ProgrammeMeans,
    compare_growth,
    level_growth,
    pair_trend,
    programme_means,
    slope,
    summarise_growth,
)
from peermatch.monitoring.overview import Overview, PairFollow, follow_pair, school_overview
from peermatch.monitoring.signals import TRAINING_LEAD_DAYS
from peermatch.monitoring.thresholds import (
    ATTENTION_LIMIT,
    DEFAULT_THRESHOLDS,
    THRESHOLD_NAMES,
    Thresholds,
    thresholds_from_stored,
)
from peermatch.monitoring.timeline import TimelineEntry, pair_timeline

__all__ = [
    "ATTENTION_LIMIT",
    "DEFAULT_THRESHOLDS",
    "HEALTH_RULES",
    "MONTHS_PER_STEP",
    "THRESHOLD_NAMES",
    "TRAINING_LEAD_DAYS",
    "Alert",
    "AlertKind",
    "CheckIn",
    "DosageTotals",
    "GroupDosage",
    "GrowthComparison",
    "GrowthSummary",
    "Health",
    "HealthReason",
    "LevelMeasurement",
    "MonitoringError",
    "Overview",
    "PairDosage",
    "PairFollow",
    "PairHealth",
    "PairHistory",
    "PairTrend",
    "Plan",
    "ProgrammeMeans",
    "PupilLevels",
    "SessionStatus",
    "Thresholds",
    "TimelineEntry",
    "Triage",
    "TriageEvent",
    "TriageState",
    "active_only",
    "alert_id",
    "alert_order",
    "checkin_alert_id",
    "compare_growth",
    "follow_pair",
    "generate_alerts",
    "group_dosage",
    "health_counts",
    "inbox",
    "level_growth",
    "new_triage",
    "pair_dosage",
    "pair_health",
    "pair_timeline",
    "pair_trend",
    "programme_dosage",
    "programme_means",
    "resolved_alerts",
    "school_overview",
    "slope",
    "summarise_growth",
    "thresholds_from_stored",
    "transition",
    "triage_of",
]
