"""Alerts from check-ins and schedules, and their triage: nieuw → in behandeling → afgehandeld.

An alert's id is a hash of its kind, its pair and its *anchor* (the day the situation began: the
check-in with the worry, the first missed session of the streak, the first answer of a falling run,
the last check-in before a silence, the day the pair fell behind, the plan's start for training).
Generating alerts again on a later day therefore yields the same ids for the same situations, and
a caller that stores triage by id never duplicates an alert. A new situation (a new worry, a new
streak after a held session) gets a new id.

Triage moves (anything else raises :class:`MonitoringError` with code ``monitoring.triage.illegal``)::

    nieuw ──────────► in_behandeling ──► afgehandeld
      └──────────────────────────────────►   │
                 in_behandeling ◄────────────┘  (reopen; needs a note)

Closing (``afgehandeld``) also needs a note: what was done.

Only running pairs get alerts (an ended pair keeps its history, see :attr:`PairHistory.active`). Every page
and export orders alerts the same way (:func:`inbox`): open ones first, worries and help requests above all
other kinds, by severity (the order of :class:`AlertKind`) and then age (the oldest open situation first);
afgehandeld last. A worry *in behandeling* so stays near the top until it is closed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from peermatch.errors import Problem
from peermatch.i18n import DEFAULT_LANG, translate
from peermatch.monitoring.history import MonitoringError, PairHistory
from peermatch.monitoring.signals import PairSignals, pair_signals, with_labels
from peermatch.monitoring.thresholds import DEFAULT_THRESHOLDS, Thresholds

__all__ = [
    "Alert",
    "AlertKind",
    "Triage",
    "TriageEvent",
    "TriageState",
    "alert_id",
    "alert_order",
    "checkin_alert_id",
    "generate_alerts",
    "inbox",
    "new_triage",
    "pair_alerts",
    "transition",
    "triage_of",
]


class AlertKind(StrEnum):
    """In inbox order (most severe first): worries first."""

    WORRY = "worry"
    HELP_NEEDED = "help_needed"
    MISSED = "missed"
    MOOD_FALLING = "mood_falling"
    TRAINING = "training"
    NO_CHECKIN = "no_checkin"
    DOSAGE_BEHIND = "dosage_behind"

    @property
    def is_worry(self) -> bool:
        """A worry or a help request: what the tutor asked the grown-ups to look at."""
        return self in (AlertKind.WORRY, AlertKind.HELP_NEEDED)

    @property
    def severity(self) -> int:
        """0 for the most severe kind (a worry), higher for milder ones."""
        return _SEVERITY[self]


_SEVERITY = {k: i for i, k in enumerate(AlertKind)}


class TriageState(StrEnum):
    NIEUW = "nieuw"
    IN_BEHANDELING = "in_behandeling"
    AFGEHANDELD = "afgehandeld"

    @property
    def is_open(self) -> bool:
        """Nieuw or in behandeling: still counted as open (afgehandeld is counted nowhere)."""
        return self is not TriageState.AFGEHANDELD

    def label(self, lang: str = DEFAULT_LANG) -> str:
        return translate(f"monitoring.triage.state.{self.value}", lang)


_MOVES: Mapping[TriageState, frozenset[TriageState]] = {
    TriageState.NIEUW: frozenset({TriageState.IN_BEHANDELING, TriageState.AFGEHANDELD}),
    TriageState.IN_BEHANDELING: frozenset({TriageState.AFGEHANDELD}),
    TriageState.AFGEHANDELD: frozenset({TriageState.IN_BEHANDELING}),
}


def alert_id(kind: AlertKind | str, pair_id: str, anchor: date) -> str:
    """16 hex characters of SHA-256 over ``kind|pair|anchor``: stable across runs and machines."""
    return hashlib.sha256(f"{AlertKind(kind).value}|{pair_id}|{anchor.isoformat()}".encode()).hexdigest()[:16]


def checkin_alert_id(pair_id: str, day: date, *, worry: bool, help_needed: bool) -> str | None:
    """The id of the alert a check-in of ``day`` raises: its worry's (which covers a help request of the same
    check-in), else its help request's, else ``None``. The Tutors tab and the exports read a worry's triage
    with it, the same id the inbox uses."""
    if worry:
        return alert_id(AlertKind.WORRY, pair_id, day)
    if help_needed:
        return alert_id(AlertKind.HELP_NEEDED, pair_id, day)
    return None


@dataclass(frozen=True)
class Alert:
    alert_id: str
    kind: AlertKind
    pair_id: str
    anchor: date
    params: Mapping[str, Any] = field(default_factory=dict)
    text: str = ""  # the tutor's check-in text, for worries and help requests

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return translate(f"monitoring.alert.{self.kind.value}", lang, **with_labels(self.params, lang))


def _alert(kind: AlertKind, pair_id: str, anchor: date, text: str = "", **params: Any) -> Alert:
    return Alert(alert_id(kind, pair_id, anchor), kind, pair_id, anchor, params, text)


def generate_alerts(
    histories: Iterable[PairHistory], as_of: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[Alert]:
    """Every alert of the running pairs on ``as_of`` (an ended pair gets none), in inbox order (kind, then
    oldest anchor first, then pair id: :func:`alert_order`).

    Worries and help requests are one alert per check-in (within ``worry_days``; a check-in with a worry
    gives only the worry alert, which covers its help request too); the others one per situation. An
    unfinished training is an alert only once the first session is near (:func:`training_due`).
    """
    out: list[Alert] = []
    for h in histories:
        if h.active:
            out.extend(pair_alerts(h, as_of, thresholds))
    out.sort(key=alert_order)
    return out


def pair_alerts(
    h: PairHistory, as_of: date, thresholds: Thresholds = DEFAULT_THRESHOLDS, signals: PairSignals | None = None
) -> list[Alert]:
    """The alerts of one pair on ``as_of``, unsorted (the caller sorts: see :func:`generate_alerts`); ``signals``
    are its :func:`pair_signals` on that day with these thresholds, when the caller has them already."""
    t = thresholds
    sig = signals if signals is not None else pair_signals(h, as_of, t)
    out: list[Alert] = []
    for c in sig.flags:
        if c.worry:
            out.append(_alert(AlertKind.WORRY, h.pair_id, c.day, c.note, date=c.day.isoformat()))
        elif c.help_needed:
            out.append(_alert(AlertKind.HELP_NEEDED, h.pair_id, c.day, c.note, date=c.day.isoformat()))
    streak = sig.streak
    if streak and streak.count >= t.missed_in_a_row:
        out.append(
            _alert(AlertKind.MISSED, h.pair_id, streak.anchor, count=streak.count, since=streak.anchor.isoformat())
        )
    for fall in sig.falls:
        values = " → ".join(str(v) for v in fall.values)
        # both scores can fall from the same day: the score is part of the situation's id
        key = alert_id(AlertKind.MOOD_FALLING, f"{h.pair_id}|{fall.score}", fall.anchor)
        params = {"score": fall.score, "values": values, "since": fall.anchor.isoformat()}
        out.append(Alert(key, AlertKind.MOOD_FALLING, h.pair_id, fall.anchor, params))
    first = sig.training
    if first is not None:  # anchored on the plan's start, so its id stays the same while it lasts
        out.append(_alert(AlertKind.TRAINING, h.pair_id, h.plan.start, start=first.isoformat()))
    quiet = sig.quiet
    if quiet and quiet.days >= t.no_checkin_days:
        out.append(
            _alert(AlertKind.NO_CHECKIN, h.pair_id, quiet.anchor, days=quiet.days, since=quiet.anchor.isoformat())
        )
    behind = sig.behind
    if behind:
        out.append(
            _alert(AlertKind.DOSAGE_BEHIND, h.pair_id, behind.anchor, planned=behind.planned, held=behind.held,
                   pct=behind.pct)
        )  # fmt: skip
    return out


def alert_order(alert: Alert) -> tuple[int, int, str, str]:
    """The sort key of alerts everywhere: severity (worries first), then age (oldest anchor first), then pair."""
    return (alert.kind.severity, alert.anchor.toordinal(), alert.pair_id, alert.alert_id)


@dataclass(frozen=True)
class TriageEvent:
    state: TriageState
    by: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class Triage:
    """An alert's triage: its current state and every step so far (oldest first). ``kind`` and ``pair_id``
    say whose alert it is when the triage was read from storage (so a pair's timeline keeps its triage steps
    after the alert itself is gone, e.g. once the pair ended)."""

    alert_id: str
    events: tuple[TriageEvent, ...] = ()
    kind: AlertKind | None = None
    pair_id: str = ""

    @property
    def state(self) -> TriageState:
        return self.events[-1].state if self.events else TriageState.NIEUW


def new_triage(alert_id: str) -> Triage:
    return Triage(alert_id)


def transition(triage: Triage, to: TriageState | str, *, by: str, at: datetime, note: str = "") -> Triage:
    """The triage after one step; raises :class:`MonitoringError` for a move that is not allowed,
    a missing ``by``, or closing/reopening without a note. The input is never changed."""
    try:
        target = TriageState(to)
    except ValueError:
        raise MonitoringError(Problem("monitoring.triage.unknown_state", value=str(to))) from None
    current = triage.state
    if target not in _MOVES[current]:
        raise MonitoringError(
            Problem("monitoring.triage.illegal", value=target.value, params={"current": current.value})
        )
    if not by.strip():
        raise MonitoringError(Problem("monitoring.triage.no_actor"))
    needs_note = target is TriageState.AFGEHANDELD or current is TriageState.AFGEHANDELD
    if needs_note and not note.strip():
        raise MonitoringError(Problem("monitoring.triage.note_required", value=target.value))
    if triage.events and at < triage.events[-1].at:
        raise MonitoringError(Problem("monitoring.triage.time_backwards", value=at.isoformat()))
    return replace(triage, events=(*triage.events, TriageEvent(target, by.strip(), at, note.strip())))


def triage_of(triages: Mapping[str, Triage], alert_id: str) -> Triage:
    """An alert's stored triage, or a new one (``nieuw``) when nobody has touched it: the one state every page
    and export shows."""
    return triages.get(alert_id) or new_triage(alert_id)


def inbox(alerts: Iterable[Alert], triages: Mapping[str, Triage]) -> list[tuple[Alert, Triage]]:
    """Alerts with their triage (``nieuw`` when none is stored): the open ones (nieuw and in behandeling
    alike) first, in :func:`alert_order` (worries first, then by severity, the oldest first), then the
    afgehandeld ones in the same order. A worry in behandeling stays above every other kind of alert."""
    rows = [(a, triage_of(triages, a.alert_id)) for a in alerts]
    rows.sort(key=lambda r: (not r[1].state.is_open, *alert_order(r[0])))
    return rows
