"""The school's holidays (page Schoolvakanties): the region, the list of the region's holidays with the
school's own changes (remove or restore a shipped period, delete an added one) and a form to add a period."""

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

__all__ = ["holiday_add_form", "holiday_list", "region_form", "show_done"]

_DONE = "holidays_done"


def _done(message: str) -> None:
    st.session_state[_DONE] = message
    st.rerun()


def show_done() -> None:
    if message := st.session_state.pop(_DONE, None):
        st.success(message)


def region_form(user: AuthenticatedUser, current: cal.Region) -> None:
    regions = list(cal.Region)
    with st.form("holiday_region"):
        chosen = st.selectbox(t("calendar.holidays.region"), regions, regions.index(current), key="holiday_region",
                              format_func=lambda r: t(f"calendar.region.{r.value}"))  # fmt: skip
        if st.form_submit_button(t("calendar.holidays.region_save"), key="holiday_region_save"):
            with shown_errors():
                region = cal.set_region(database(), user, chosen)
                _done(t("calendar.holidays.region_saved", region=t(f"calendar.region.{region.value}")))


def _line(row: cal.HolidayRow) -> str:
    lang = current_lang()
    name = plain(cal.holiday_label(row.period.name, lang))
    text = t("calendar.holidays.line", name=name, first=long_date(row.period.first, lang),
             last=long_date(row.period.last, lang))  # fmt: skip
    if row.removed:
        return f"~~{text}~~ — {t('calendar.holidays.state_removed')}"
    return f"{text} — {t('calendar.holidays.state_added')}" if row.added else text


def holiday_list(user: AuthenticatedUser, rows: tuple[cal.HolidayRow, ...]) -> None:
    st.subheader(t("calendar.holidays.list_title"))
    for row in rows:
        line, button = st.columns([5, 1], vertical_alignment="center")
        line.markdown(_line(row))
        key = f"holiday_{row.period.first.isoformat()}_{row.period.last.isoformat()}"
        if row.change_id is not None:
            label = t("calendar.holidays.delete") if row.added else t("calendar.holidays.restore")
            if button.button(label, key=f"{key}_undo"):
                with shown_errors():
                    cal.undo_holiday_change(database(), user, row.change_id)
                    _done(t("calendar.holidays.changed"))
        elif button.button(t("calendar.holidays.remove"), key=f"{key}_remove"):
            with shown_errors():
                cal.remove_holiday(database(), user, row.period.first, row.period.last)
                _done(t("calendar.holidays.changed"))


def holiday_add_form(user: AuthenticatedUser) -> None:
    with st.form("holiday_add"):
        st.subheader(t("calendar.holidays.add_title"))
        c1, c2, c3 = st.columns([2, 1, 1])
        name = c1.text_input(t("calendar.holidays.add_name"), placeholder=t("calendar.holidays.add_name_placeholder"),
                             key="holiday_add_name")  # fmt: skip
        first = c2.date_input(t("calendar.holidays.add_first"), date.today(), key="holiday_add_first",
                              format="DD-MM-YYYY")  # fmt: skip
        last = c3.date_input(t("calendar.holidays.add_last"), date.today(), key="holiday_add_last",
                             format="DD-MM-YYYY")  # fmt: skip
        if st.form_submit_button(t("calendar.holidays.add_submit"), key="holiday_add_submit"):
            with shown_errors():
                added = cal.add_holiday(database(), user, first, last, name)
                _done(t("calendar.holidays.added", name=plain(added.period.name)))
