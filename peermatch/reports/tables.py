"""The export tables: pairs, sessions and outcomes, as plain rows ready for CSV, XLSX or a page.

Column headers are in the user's language (``reports.column.*``); cell values are language-neutral
codes and numbers (health status and session status as codes, dates as dates). With a
:class:`Pseudonymiser` the tables hold no names, no pupil or pair ids and no free text (a note can
name a child): only stable codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from peermatch.i18n import DEFAULT_LANG, translate
from peermatch.monitoring.alerts import Triage, checkin_alert_id, generate_alerts, triage_of
from peermatch.monitoring.history import PairHistory, PupilLevels
from peermatch.monitoring.outcomes import compare_growth, level_growth, pair_trend
from peermatch.monitoring.overview import follow_pair
from peermatch.monitoring.thresholds import DEFAULT_THRESHOLDS, Thresholds
from peermatch.pseudonym import Pseudonymiser

__all__ = ["Table", "growth_table", "outcomes_table", "pairs_table", "sessions_table"]


@dataclass(frozen=True)
class Table:
    """A named table: ``keys`` are stable column ids, ``headers`` their labels in the user's language."""

    name: str
    keys: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.keys, row, strict=True)) for row in self.rows]


def _table(name: str, keys: Sequence[str], rows: Iterable[Sequence[Any]], lang: str) -> Table:
    headers = tuple(translate(f"reports.column.{k}", lang) for k in keys)
    return Table(translate(f"reports.table.{name}", lang), tuple(keys), headers, tuple(tuple(r) for r in rows))


class _Who:
    """Ids and names as they go out: real, or codes only."""

    def __init__(self, names: Mapping[str, str] | None, codes: Pseudonymiser | None) -> None:
        self.names = names or {}
        self.codes = codes

    def pupil(self, pupil_id: str) -> str:
        return self.codes.pupil(pupil_id) if self.codes else pupil_id

    def pair(self, pair_id: str) -> str:
        return self.codes.pair(pair_id) if self.codes else pair_id

    def name(self, pupil_id: str) -> str:
        return "" if self.codes else self.names.get(pupil_id, "")


def pairs_table(
    histories: Iterable[PairHistory],
    as_of: date,
    *,
    names: Mapping[str, str] | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    triages: Mapping[str, Triage] | None = None,
    lang: str = DEFAULT_LANG,
) -> Table:
    """One row per pair: who, groeps, whether it runs (an ended one with its end day and reason, no health and
    its dosage until the end), health with its reasons, its open worries and every worry's triage state in
    words (the same as *Paren volgen*: :func:`peermatch.monitoring.follow_pair`), dosage against the plan,
    mean scores. A pseudonymised table leaves out the names and the end reason (free text)."""
    who = _Who(names, pseudonymiser)
    keys = [
        *("pair", "tutor", "tutor_name", "tutor_group", "tutee", "tutee_name", "tutee_group", "pair_state"),
        *("end_date", "end_reason", "health", "reasons", "open_worries", "worry_triage"),
        *("planned", "held", "behind_pct", "minutes", "training_ready", "tutor_mood", "tutee_fun", "tutee_learned"),
    ]
    if pseudonymiser:
        keys = [k for k in keys if not k.endswith("_name") and k != "end_reason"]
    rows = []
    for h in histories:
        follow = follow_pair(h, as_of, thresholds=thresholds, triages=triages)
        health, dose = follow.health, follow.dosage
        worries = [(a, t) for a, t in follow.alerts if a.kind.is_worry]
        means = pair_trend(h, as_of, last_n=10_000).means
        values: dict[str, Any] = {
            "pair": who.pair(h.pair_id),
            "tutor": who.pupil(h.tutor_id),
            "tutor_name": who.name(h.tutor_id),
            "tutor_group": h.tutor_group,
            "tutee": who.pupil(h.tutee_id),
            "tutee_name": who.name(h.tutee_id),
            "tutee_group": h.tutee_group,
            "pair_state": translate("reports.pair_state.ended" if follow.ended else "reports.pair_state.active", lang),
            "end_date": h.ended_on,
            "end_reason": h.end_reason,
            "health": "" if health is None else health.status.label(lang),
            "reasons": ""
            if health is None
            else " | ".join(r.message(lang) for r in health.reasons if r.code != "too_early"),
            "open_worries": sum(1 for _, t in worries if t.state.is_open),
            "worry_triage": " | ".join(f"{t.state.label(lang)}: {a.message(lang)}" for a, t in worries),
            "planned": dose.planned,
            "held": dose.held,
            "behind_pct": dose.behind_pct,
            "minutes": dose.minutes,
            "training_ready": translate("reports.yes" if h.training_ready else "reports.no", lang),
            "tutor_mood": means["tutor_mood"],
            "tutee_fun": means["tutee_fun"],
            "tutee_learned": means["tutee_learned"],
        }
        rows.append([values[k] for k in keys])
    return _table("pairs", keys, rows, lang)


def sessions_table(
    histories: Iterable[PairHistory],
    *,
    as_of: date | None = None,
    names: Mapping[str, str] | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    triages: Mapping[str, Triage] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    lang: str = DEFAULT_LANG,
) -> Table:
    """One row per check-in. A worry or help request carries its triage state in words (``triage``), the one
    Signalen shows: stored, or *nieuw* while it is an open alert; empty when it is neither (too old, or the
    pair ended before anyone picked it up). The tutor's note is left out of a pseudonymised export."""
    del names  # sessions carry ids only; names stay in the pairs table
    who = _Who(None, pseudonymiser)
    triages = triages or {}
    keys = ["pair", "date", "status", "minutes", "tutor_mood", "tutee_fun", "tutee_learned", "worry", "help_needed",
            "triage", "note"]  # fmt: skip
    if pseudonymiser:
        keys.remove("note")
    rows = []
    for h in histories:
        current = {a.alert_id for a in generate_alerts([h], as_of, thresholds)} if as_of is not None else set()
        for c in h.sorted_checkins if as_of is None else h.checkins_until(as_of):
            key = checkin_alert_id(h.pair_id, c.day, worry=c.worry, help_needed=c.help_needed)
            known = key is not None and (key in triages or key in current)
            state = triage_of(triages, key).state.label(lang) if key is not None and known else ""
            values: dict[str, Any] = {
                "pair": who.pair(h.pair_id),
                "date": c.day,
                "status": translate(f"ib.status.{c.status.value}", lang),
                "minutes": c.minutes,
                "tutor_mood": c.tutor_mood,
                "tutee_fun": c.tutee_fun,
                "tutee_learned": c.tutee_learned,
                "worry": translate("reports.yes" if c.worry else "reports.no", lang),
                "help_needed": translate("reports.yes" if c.help_needed else "reports.no", lang),
                "triage": state,
                "note": c.note,
            }
            rows.append([values[k] for k in keys])
    return _table("sessions", keys, rows, lang)


def outcomes_table(
    histories: Iterable[PairHistory],
    *,
    names: Mapping[str, str] | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    lang: str = DEFAULT_LANG,
) -> Table:
    """One row per participating pupil and role: level growth since the plan's start, in steps and months."""
    who = _Who(names, pseudonymiser)
    keys = ["pupil", "name", "role", "group", "pair", "growth_steps", "growth_months"]
    if pseudonymiser:
        keys.remove("name")
    rows = []
    for h in histories:
        for role, pupil, group, levels in (
            ("tutee", h.tutee_id, h.tutee_group, h.tutee_levels),
            ("tutor", h.tutor_id, h.tutor_group, h.tutor_levels),
        ):
            steps = level_growth(levels, h.plan.start)
            values: dict[str, Any] = {
                "pupil": who.pupil(pupil),
                "name": who.name(pupil),
                "role": translate(f"reports.role.{role}", lang),
                "group": group,
                "pair": who.pair(h.pair_id),
                "growth_steps": steps,
                "growth_months": None if steps is None else round(steps * 5, 1),
            }
            rows.append([values[k] for k in keys])
    return _table("outcomes", keys, rows, lang)


def growth_table(
    histories: Iterable[PairHistory], non_participants: Iterable[PupilLevels] = (), *, lang: str = DEFAULT_LANG
) -> Table:
    """Growth per role and groep, participants against non-participants (no pupil-level data at all)."""
    keys = ["role", "group", "n", "mean_steps", "median_steps", "mean_months", "others_n", "others_mean_steps",
            "difference_steps", "difference_months"]  # fmt: skip
    rows = [
        [
            translate(f"reports.role.{c.role}", lang),
            c.group,
            c.participants.n,
            c.participants.mean_steps,
            c.participants.median_steps,
            c.participants.mean_months,
            c.non_participants.n,
            c.non_participants.mean_steps,
            c.difference_steps,
            c.difference_months,
        ]
        for c in compare_growth(histories, non_participants)
    ]
    return _table("growth", keys, rows, lang)
