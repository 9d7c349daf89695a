"""Synthetic check-in histories for the demo school and the benchmarks. Never real pupils.

Seeded: the same arguments always give the same school. Most pairs go well; some pairs have a
worry signal, some miss sessions, some have a falling mood, some tutors have not finished the
training and some pairs have gone quiet, so every rule and alert shows up in the demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from peermatch.monitoring.history import CheckIn, LevelMeasurement, PairHistory, Plan, PupilLevels, SessionStatus

__all__ = ["PROFILES", "SyntheticProgramme", "synthetic_programme"]

# profile -> weight; "steady" pairs dominate as in a real programme
PROFILES: dict[str, int] = {
    "steady": 62,
    "worry": 8,
    "missing": 8,
    "falling": 8,
    "untrained": 5,
    "quiet": 5,
    "early": 4,
}
_FIRST_NAMES = (
    "Emma", "Noah", "Julia", "Liam", "Mila", "Sem", "Tess", "Lucas", "Sara", "Finn", "Yara", "Daan", "Nora",
    "Levi", "Zoë", "Mohammed", "Fenna", "Milan", "Anouk", "Bram", "Eva", "Ayoub", "Lotte", "Jesse", "Ilse",
    "Mees", "Fleur", "Thijs", "Elif", "Ruben", "Saar", "Amir", "Lieke", "Stijn", "Noor", "Kaan",
)  # fmt: skip
_WORRIES = (
    "Mijn tutee zegt dat hij wordt gepest op het plein.",
    "Ze wilde vandaag helemaal niet lezen en was verdrietig.",
    "Hij zegt dat het thuis niet goed gaat.",
)
_HELPS = ("Hoe help ik bij lange woorden?", "Mijn tutee raakt snel afgeleid, wat kan ik doen?")


@dataclass(frozen=True)
class SyntheticProgramme:
    histories: tuple[PairHistory, ...]
    non_participants: tuple[PupilLevels, ...]
    names: dict[str, str]  # pupil id -> first name (synthetic)
    profiles: dict[str, str]  # pair id -> profile


def synthetic_programme(
    n_pairs: int = 40,
    *,
    seed: int = 2026,
    as_of: date = date(2026, 11, 23),
    weeks_run: int = 6,
    plan_weeks: int = 12,
    sessions_per_week: int = 2,
    non_participants_per_group: int = 12,
) -> SyntheticProgramme:
    """``n_pairs`` pairs whose plan started ``weeks_run`` weeks before ``as_of`` (on a Monday)."""
    rng = random.Random(seed)
    monday = as_of - timedelta(days=as_of.weekday())
    start = monday - timedelta(weeks=weeks_run)
    weekdays = tuple(sorted(rng.sample(range(1, 6), sessions_per_week))) if sessions_per_week <= 5 else ()  # ISO
    plan = Plan(start, plan_weeks, sessions_per_week, weekdays)
    tutee_groups, tutor_groups = ("4a", "4b", "5a"), ("7a", "7b", "8a")
    kinds, weights = list(PROFILES), list(PROFILES.values())
    histories: list[PairHistory] = []
    names: dict[str, str] = {}
    profiles: dict[str, str] = {}
    for i in range(n_pairs):
        profile = kinds[i % len(kinds)] if i < len(kinds) else rng.choices(kinds, weights)[0]
        pair_id, tutor_id, tutee_id = f"P{i + 1:04d}", f"T{i + 1:04d}", f"L{i + 1:04d}"
        names[tutor_id], names[tutee_id] = rng.choice(_FIRST_NAMES), rng.choice(_FIRST_NAMES)
        profiles[pair_id] = profile
        pair_plan = plan
        if profile == "early":  # a pair that started last week
            pair_plan = Plan(monday - timedelta(weeks=1), plan_weeks, sessions_per_week, weekdays)
        checkins = _checkins(rng, profile, [d for d in pair_plan.planned_dates() if d < as_of], as_of)
        tutee_group, tutor_group = tutee_groups[i % 3], tutor_groups[i % 3]
        base_tutee = 2 + (i % 3) * 2 + rng.choice((0, 0, 1))
        histories.append(
            PairHistory(
                pair_id,
                tutor_id,
                tutee_id,
                pair_plan,
                tuple(checkins),
                training_ready=profile != "untrained",
                tutor_levels=_levels(rng, base_tutee + 4, start, as_of, 1.0),
                tutee_levels=_levels(rng, base_tutee, start, as_of, 1.3),
                tutor_group=tutor_group,
                tutee_group=tutee_group,
            )
        )
    others = tuple(
        PupilLevels(f"N{g}{k:03d}", group, _levels(rng, 2 + g * 2 + (0 if g < 3 else 4), start, as_of, 1.0))
        for g, group in enumerate((*tutee_groups, *tutor_groups))
        for k in range(non_participants_per_group)
    )
    return SyntheticProgramme(tuple(histories), others, names, profiles)


def _levels(rng: random.Random, base: int, start: date, as_of: date, mean_gain: float) -> tuple[LevelMeasurement, ...]:
    gain = max(0.0, round(rng.gauss(mean_gain, 0.6)))
    return (
        LevelMeasurement(start - timedelta(days=21), float(base)),
        LevelMeasurement(as_of - timedelta(days=3), base + gain),
    )


def _checkins(rng: random.Random, profile: str, dates: list[date], as_of: date) -> list[CheckIn]:
    if profile == "quiet":
        dates = [d for d in dates if (as_of - d).days > 12]
    out: list[CheckIn] = []
    for k, day in enumerate(dates):
        if profile == "missing" and k >= len(dates) - 2:
            out.append(CheckIn(day, rng.choice((SessionStatus.TUTEE_ABSENT, SessionStatus.TUTOR_ABSENT))))
            continue
        if profile != "missing" and rng.random() < 0.05:
            out.append(CheckIn(day, SessionStatus.CANCELLED))
            continue
        mood, fun, learned = rng.choice((4, 5)), rng.choice((3, 4, 5)), rng.choice((3, 4, 4, 5))
        if profile == "falling" and k >= len(dates) - 3:
            fun = mood = 4 - (k - (len(dates) - 3))  # 4, 3, 2
        worry = profile == "worry" and k == len(dates) - 1
        help_needed = profile == "untrained" and k == len(dates) - 1
        note = rng.choice(_WORRIES) if worry else rng.choice(_HELPS) if help_needed else ""
        out.append(
            CheckIn(day, SessionStatus.HELD, rng.choice((15, 20, 20)), mood, fun, learned, worry, help_needed, note)
        )
    return out
