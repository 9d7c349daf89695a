"""Pair health from explicit rules: op koers, aandacht nodig, risico, te vroeg om te zeggen.

Every rule has a code, fires on a history and a day, and carries the numbers it saw (its params),
so the IB'er reads *why* a pair is where it is. The status is the worst level among the rules that
fired; when none fired it is ``te_vroeg`` while fewer than ``too_early_sessions`` sessions were held,
and ``op_koers`` otherwise.

=================  ==============  =================================================================
rule code          level           fires when (defaults from :class:`Thresholds`)
=================  ==============  =================================================================
worry              risico          a check-in of the last ``worry_days`` (14) days has "ik maak me zorgen"
missed_long        risico          ``missed_in_a_row_risk`` (4) or more missed sessions in a row
dosage_far         risico          ``dosage_risk_pct`` (50) % or more of the sessions planned so far not held
missed             aandacht_nodig  ``missed_in_a_row`` (2) or more missed sessions in a row (and under the risk level)
mood_falling       aandacht_nodig  tutor mood or tutee fun lower at each of the last ``mood_falling_sessions`` (3)
help_needed        aandacht_nodig  a check-in of the last ``worry_days`` days asks the juf/meester for help (no worry)
training           aandacht_nodig  the tutor has not finished the training and the first session is at most
                                   7 days away or past (``signals.TRAINING_LEAD_DAYS``)
no_checkin         aandacht_nodig  no check-in for ``no_checkin_days`` (10) days since the plan started
dosage_behind      aandacht_nodig  ``dosage_behind_pct`` (25) % or more behind plan (and under the risk level)
too_early          te_vroeg        none of the above, and fewer than ``too_early_sessions`` (3) sessions held
=================  ==============  =================================================================

A worry or help request whose alert the IB'er has marked *afgehandeld* (``resolved``) no longer counts.
Missed means a check-in with status tutee_absent, tutor_absent or cancelled; a planned date without
any check-in is not counted as missed (the no_checkin and dosage rules cover it). The dosage rules
count the sessions of the days before today (a session is due once its day is over) and wait until
``too_early_sessions`` sessions were due.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from peermatch.i18n import DEFAULT_LANG, translate
from peermatch.monitoring.alerts import Triage, alert_id
from peermatch.monitoring.history import PairHistory
from peermatch.monitoring.signals import PairSignals, pair_signals, with_labels
from peermatch.monitoring.thresholds import DEFAULT_THRESHOLDS, Thresholds

__all__ = ["HEALTH_RULES", "Health", "HealthReason", "PairHealth", "health_counts", "pair_health", "resolved_alerts"]


class Health(StrEnum):
    """Ordered from good to bad; ``te_vroeg`` sits between op koers and aandacht nodig in a sort."""

    OP_KOERS = "op_koers"
    TE_VROEG = "te_vroeg"
    AANDACHT_NODIG = "aandacht_nodig"
    RISICO = "risico"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def label(self, lang: str = DEFAULT_LANG) -> str:
        return translate(f"monitoring.health.{self.value}", lang)


_RANKS = {h: i for i, h in enumerate(Health)}

HEALTH_RULES: Mapping[str, Health] = {
    "worry": Health.RISICO,
    "missed_long": Health.RISICO,
    "dosage_far": Health.RISICO,
    "missed": Health.AANDACHT_NODIG,
    "mood_falling": Health.AANDACHT_NODIG,
    "help_needed": Health.AANDACHT_NODIG,
    "training": Health.AANDACHT_NODIG,
    "no_checkin": Health.AANDACHT_NODIG,
    "dosage_behind": Health.AANDACHT_NODIG,
    "too_early": Health.TE_VROEG,
}


@dataclass(frozen=True)
class HealthReason:
    """A rule that fired, with the numbers it saw. ``message`` explains it in the user's language."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def level(self) -> Health:
        return HEALTH_RULES[self.code]

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return translate(f"monitoring.rule.{self.code}", lang, **with_labels(self.params, lang))


@dataclass(frozen=True)
class PairHealth:
    pair_id: str
    status: Health
    reasons: tuple[HealthReason, ...]  # worst first; empty for op koers

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


def pair_health(
    history: PairHistory,
    as_of: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    resolved: Collection[str] = frozenset(),
    signals: PairSignals | None = None,
) -> PairHealth:
    """The health of one pair on ``as_of`` (check-ins after that day are ignored).

    ``resolved`` holds the ids of alerts the IB'er has marked *afgehandeld*: a worry or help request
    whose alert is resolved no longer counts for the worry and help_needed rules. ``signals`` are the pair's
    :func:`pair_signals` on ``as_of`` with these thresholds, when the caller has them already.
    """
    t = thresholds
    sig = signals if signals is not None else pair_signals(history, as_of, t)
    reasons: list[HealthReason] = []

    flags = sig.flags
    worries = [c for c in flags if c.worry and alert_id("worry", history.pair_id, c.day) not in resolved]
    if worries:
        reasons.append(HealthReason("worry", {"count": len(worries), "date": worries[-1].day.isoformat()}))
    streak = sig.streak
    if streak and streak.count >= t.missed_in_a_row_risk:
        reasons.append(HealthReason("missed_long", {"count": streak.count, "since": streak.anchor.isoformat()}))
    elif streak and streak.count >= t.missed_in_a_row:
        reasons.append(HealthReason("missed", {"count": streak.count, "since": streak.anchor.isoformat()}))
    behind = sig.behind
    if behind:
        code = "dosage_far" if behind.pct >= t.dosage_risk_pct else "dosage_behind"
        reasons.append(HealthReason(code, {"planned": behind.planned, "held": behind.held, "pct": behind.pct}))
    for fall in sig.falls:
        values = " → ".join(str(v) for v in fall.values)
        reasons.append(
            HealthReason("mood_falling", {"score": fall.score, "values": values, "since": fall.anchor.isoformat()})
        )
    # a worry covers the help request of the same check-in: its alert is the worry's
    helps = [c for c in flags if c.help_needed and not c.worry]
    helps = [c for c in helps if alert_id("help_needed", history.pair_id, c.day) not in resolved]
    if helps:
        reasons.append(HealthReason("help_needed", {"count": len(helps), "date": helps[-1].day.isoformat()}))
    if sig.training is not None:
        reasons.append(HealthReason("training", {}))
    quiet = sig.quiet
    if quiet and quiet.days >= t.no_checkin_days:
        reasons.append(HealthReason("no_checkin", {"days": quiet.days, "since": quiet.anchor.isoformat()}))

    if not reasons and sig.held < t.too_early_sessions:
        reasons.append(HealthReason("too_early", {"held": sig.held, "needed": t.too_early_sessions}))
    reasons.sort(key=lambda r: -_RANKS[r.level])  # stable: rule order within a level
    status = reasons[0].level if reasons else Health.OP_KOERS
    return PairHealth(history.pair_id, status, tuple(reasons))


def resolved_alerts(triages: Mapping[str, Triage]) -> frozenset[str]:
    """The ids of the alerts marked afgehandeld: what :func:`pair_health` no longer counts (``resolved``)."""
    return frozenset(k for k, t in triages.items() if not t.state.is_open)


def health_counts(healths: Iterable[PairHealth]) -> dict[Health, int]:
    """How many pairs per status, every status present (0 when none)."""
    counts = Counter(h.status for h in healths)
    return {status: counts.get(status, 0) for status in Health}
