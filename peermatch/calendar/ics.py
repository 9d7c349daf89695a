"""A programme's weekly moments as an iCalendar file (RFC 5545) for the teachers' own agenda.

One weekly recurring event per moment, in the Europe/Amsterdam timezone (with its VTIMEZONE, so an agenda
shows 10:30 in winter and in summer), until the plan's last day, with an EXDATE for every date of that moment
that falls on a day off of the plan (a holiday or a cancelled day). Built with the ``icalendar`` library, so
the folding, escaping and timezone rules are the standard's, not ours.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from peermatch.monitoring.history import Plan
from peermatch.programme import Moment

__all__ = ["SCHOOL_TZ", "programme_ics"]

SCHOOL_TZ = ZoneInfo("Europe/Amsterdam")
_PRODID = "-//PeerMatch//Maatjes-momenten//NL"


def _first_on_or_after(start: date, weekday: int) -> date:
    return date.fromordinal(start.toordinal() + (weekday - start.isoweekday()) % 7)


def programme_ics(
    programme_id: int,
    moments: Sequence[Moment],
    plan: Plan,
    *,
    summary: str,
    description: str,
    generated_at: datetime,
) -> bytes:
    """The iCalendar file of the programme's ``moments`` over ``plan`` (its start, end and days off).

    ``summary`` and ``description`` are the event texts in the teacher's language; ``generated_at`` is the
    DTSTAMP (a timezone-aware moment). A moment whose weekday has no date in the plan gives no event."""
    cal = Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", summary)
    cal.add("x-wr-timezone", SCHOOL_TZ.key)
    until = datetime.combine(plan.end, time(23, 59, 59), SCHOOL_TZ).astimezone(UTC)
    skipped = plan.skipped_dates()
    for moment in sorted(moments, key=lambda m: (m.weekday, m.start)):
        first = _first_on_or_after(plan.start, moment.weekday)
        if first > plan.end:
            continue
        event = Event()
        event.add("uid", f"peermatch-programme-{programme_id}-day-{moment.weekday}-{moment.start:%H%M}@peermatch")
        event.add("dtstamp", generated_at.astimezone(UTC))
        event.add("summary", summary)
        event.add("description", description)
        event.add("dtstart", datetime.combine(first, moment.start, SCHOOL_TZ))
        event.add("dtend", datetime.combine(first, moment.end, SCHOOL_TZ))
        event.add("rrule", {"freq": "weekly", "until": until})
        exdates = [datetime.combine(d, moment.start, SCHOOL_TZ) for d in skipped if d.isoweekday() == moment.weekday]
        if exdates:
            event.add("exdate", exdates)
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
