"""The calendar of one programme on its page: the plan (from its start, without holidays and cancelled days),
"vandaag geen maatjes-moment" and any other day, undo, and the .ics file for the teacher's agenda."""

from __future__ import annotations

from datetime import date

import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.i18n.formatting import long_date
from peermatch.services import calendar as cal
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.text import plain

__all__ = ["programme_calendar_section"]

_DONE = "programme_calendar_done"


def _day(day: date) -> str:
    return long_date(day, current_lang())


def _reason(reason: str) -> str:
    if reason == cal.REASON_CANCELLED:
        return t("calendar.page.reason_cancelled")
    return cal.holiday_label(reason, current_lang())


def _done(message: str) -> None:
    st.session_state[_DONE] = message
    st.rerun()


def _cancel(user: AuthenticatedUser, programme_id: int, day: date, reason: str = "") -> None:
    with shown_errors():
        cal.cancel_day(database(), user, programme_id, day, reason, lang=current_lang())
        _done(t("calendar.page.cancelled_done", day=_day(day)))


def _undo(user: AuthenticatedUser, programme_id: int, day: date) -> None:
    with shown_errors():
        cal.undo_cancel(database(), user, programme_id, day)
        _done(t("calendar.page.undone", day=_day(day)))


def _today_buttons(user: AuthenticatedUser, pc: cal.ProgrammeCalendar, today: date) -> None:
    if today in pc.calendar.cancelled:
        st.info(t("calendar.page.today_cancelled"))
        if st.button(t("calendar.page.today_undo"), key="cal_today_undo"):
            _undo(user, pc.programme.id, today)
        return
    if not pc.is_moment_day(today) or pc.calendar.holiday_of(today) is not None:
        return  # no moment today, or a holiday: nothing to cancel
    if st.button(t("calendar.page.today_cancel"), key="cal_today", help=t("calendar.page.today_cancel_help")):
        _cancel(user, pc.programme.id, today)


def _other_day(user: AuthenticatedUser, pc: cal.ProgrammeCalendar, today: date) -> None:
    with st.form("cal_other"):
        st.markdown(f"**{t('calendar.page.other_title')}**")
        c1, c2 = st.columns([1, 2])
        day = c1.date_input(t("calendar.page.other_day"), today, key="cal_other_day", format="DD-MM-YYYY")
        reason = c2.text_input(t("calendar.page.other_reason"), key="cal_other_reason", max_chars=cal.REASON_MAX)
        if st.form_submit_button(t("calendar.page.other_submit"), key="cal_other_submit"):
            _cancel(user, pc.programme.id, day, reason)


def _cancelled_list(user: AuthenticatedUser, pc: cal.ProgrammeCalendar) -> None:
    if not pc.cancelled:
        return
    st.markdown(f"**{t('calendar.page.cancelled_title')}**")
    for c in pc.cancelled:
        line, button = st.columns([4, 1], vertical_alignment="center")
        reason = plain(c.reason) if c.reason else t("calendar.page.no_reason")
        line.write(t("calendar.page.cancelled_line", day=_day(c.day), reason=reason, by=plain(c.by)))
        if button.button(t("calendar.page.undo"), key=f"cal_undo_{c.day.isoformat()}"):
            _undo(user, pc.programme.id, c.day)


def programme_calendar_section(user: AuthenticatedUser, programme_id: int, today: date | None = None) -> None:
    """The plan, the cancel buttons, the cancelled days and the download of the programme's .ics file."""
    today = today or date.today()
    st.subheader(t("calendar.page.title"))
    if message := st.session_state.pop(_DONE, None):
        st.success(message)
    pc: cal.ProgrammeCalendar | None = None
    with shown_errors():
        pc = cal.programme_calendar(database(), user, programme_id)
    if pc is None:
        return
    if pc.plan is None:
        st.info(t("calendar.page.no_start"))
        return
    region = t(f"calendar.region.{pc.calendar.region.value}")
    st.write(t("calendar.page.summary", first=_day(pc.plan.start), last=_day(pc.plan.end), region=region,
               planned=pc.plan.total, skipped=len(pc.skipped)))  # fmt: skip
    upcoming = pc.upcoming(today)
    if upcoming:
        st.caption(t("calendar.page.upcoming", dates=", ".join(_day(d) for d in upcoming)))
    else:
        st.caption(t("calendar.page.none_upcoming"))
    _today_buttons(user, pc, today)
    _cancelled_list(user, pc)
    _other_day(user, pc, today)
    if pc.skipped:
        with st.expander(t("calendar.page.skipped_title")):
            for day, reason in pc.skipped:
                st.markdown(f"- {t('calendar.page.skipped_line', day=_day(day), reason=plain(_reason(reason)))}")
    if pc.programme.spec.moments:
        with shown_errors():
            name, body = cal.programme_ics(database(), user, programme_id, lang=current_lang())
            st.download_button(t("calendar.page.download"), body, file_name=name, mime="text/calendar",
                               key="cal_ics", help=t("calendar.page.download_help"), on_click="ignore")  # fmt: skip
