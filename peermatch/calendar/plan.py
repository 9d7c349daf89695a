"""The plan of a programme: the one source of the planned session dates.

One session per weekly moment (ISO weekday), ``weeks`` weeks from the start, without the school's holidays
and the programme's cancelled days. The dosage, every alert that counts planned sessions, the programme page
and the iCalendar file all read a plan made here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from peermatch.calendar import SchoolCalendar
from peermatch.monitoring.history import Plan

__all__ = ["plan_end", "programme_plan"]


def plan_end(start: date, weeks: int) -> date:
    """The last day of a plan of ``weeks`` weeks from ``start`` (included)."""
    return start + timedelta(days=7 * max(weeks, 1) - 1)


def programme_plan(
    start: date, weeks: int, weekdays: Iterable[int], calendar: SchoolCalendar, *, sessions_per_week: int = 1
) -> Plan:
    """The plan from ``start``: one session on each distinct weekday of the moments, each week, except on the
    calendar's days off. Without moments (a programme that has no fixed moment yet) ``sessions_per_week`` are
    spread over the week, still without the days off."""
    days = tuple(sorted(set(weekdays)))
    weeks = max(weeks, 1)
    per_week = len(days) if days else min(max(sessions_per_week, 1), 7)
    return Plan(start, weeks, per_week, days, calendar.days_off(start, plan_end(start, weeks)))
