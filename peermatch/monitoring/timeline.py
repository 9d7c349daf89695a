"""One pair's timeline for *Paren volgen*: sessions, check-in signals, level measurements and triage
steps, oldest first, as plain entries a page can list or chart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from peermatch.monitoring.alerts import Alert, Triage
from peermatch.monitoring.history import PairHistory

__all__ = ["TimelineEntry", "pair_timeline"]


@dataclass(frozen=True)
class TimelineEntry:
    """``kind`` is ``session``, ``level_tutor``, ``level_tutee``, ``triage`` or ``ended`` (the day the pair
    was stopped, with its ``reason``); ``details`` carries the values."""

    day: date
    kind: str
    details: Mapping[str, Any] = field(default_factory=dict)


def pair_timeline(
    history: PairHistory,
    *,
    alerts: Iterable[Alert] = (),
    triages: Mapping[str, Triage] | None = None,
    as_of: date | None = None,
) -> list[TimelineEntry]:
    """Everything that happened to the pair, oldest first (same day: sessions, then levels, then triage, then
    the end). Triage steps come from ``alerts`` and from the ``triages`` that name this pair."""
    entries: list[tuple[date, int, TimelineEntry]] = []
    for c in history.sorted_checkins if as_of is None else history.checkins_until(as_of):
        details = {"status": c.status.value, "minutes": c.minutes, "tutor_mood": c.tutor_mood,
                   "tutee_fun": c.tutee_fun, "tutee_learned": c.tutee_learned, "worry": c.worry,
                   "help_needed": c.help_needed, "note": c.note}  # fmt: skip
        entries.append((c.day, 0, TimelineEntry(c.day, "session", details)))
    for kind, levels in (("level_tutor", history.tutor_levels), ("level_tutee", history.tutee_levels)):
        for m in levels:
            if as_of is None or m.day <= as_of:
                entries.append((m.day, 1, TimelineEntry(m.day, kind, {"index": m.index})))
    triages = triages or {}
    kinds = {t.alert_id: t.kind for t in triages.values() if t.pair_id == history.pair_id and t.kind is not None}
    kinds.update({a.alert_id: a.kind for a in alerts if a.pair_id == history.pair_id})
    for key, kind in kinds.items():
        if key not in triages:
            continue
        for event in triages[key].events:
            day = event.at.date() if isinstance(event.at, datetime) else event.at
            details = {"alert_id": key, "alert_kind": kind.value, "state": event.state.value,
                       "by": event.by, "note": event.note}  # fmt: skip
            entries.append((day, 2, TimelineEntry(day, "triage", details)))
    ended = history.ended_on
    if ended is not None and (as_of is None or ended <= as_of):
        entries.append((ended, 3, TimelineEntry(ended, "ended", {"reason": history.end_reason})))
    entries.sort(key=lambda e: (e[0], e[1]))
    return [e[2] for e in entries]
