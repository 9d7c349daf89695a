"""Small builders for constructed pair histories (Monday/Thursday plan from Monday 7 September 2026)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from peermatch.monitoring import CheckIn, PairHistory, Plan, SessionStatus

START = date(2026, 9, 7)  # a Monday
PLAN = Plan(START, weeks=10, sessions_per_week=2, weekdays=(1, 4))  # ISO: Monday and Thursday
DATES = PLAN.planned_dates()  # 7 Sep (Mon), 10 Sep (Thu), 14 Sep, 17 Sep, ...


def morning_after(day: date) -> date:
    """The next day: the first day on which ``day``'s session counts in the dosage (it is due once its day is over)."""
    return day + timedelta(days=1)


def held(day: date, **scores: Any) -> CheckIn:
    values: dict[str, Any] = {"minutes": 20, "tutor_mood": 4, "tutee_fun": 4, "tutee_learned": 4}
    values.update(scores)
    return CheckIn(day, SessionStatus.HELD, **values)


def missed(day: date, status: SessionStatus = SessionStatus.TUTEE_ABSENT) -> CheckIn:
    return CheckIn(day, status)


def pair(checkins: list[CheckIn] | tuple[CheckIn, ...], pair_id: str = "p1", **kwargs: Any) -> PairHistory:
    values: dict[str, Any] = {"tutor_group": "7a", "tutee_group": "4b"}
    values.update(kwargs)
    return PairHistory(pair_id, f"{pair_id}-tutor", f"{pair_id}-tutee", PLAN, tuple(checkins), **values)


def steady(n: int, pair_id: str = "p1", **kwargs: Any) -> PairHistory:
    """``n`` held, happy sessions on the first ``n`` planned dates."""
    return pair([held(d) for d in DATES[:n]], pair_id, **kwargs)
