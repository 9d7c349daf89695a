"""Schoolvakanties (beheerder and IB'er): the school's holiday region and its holidays. The list comes with
PeerMatch per region (Rijksoverheid); the school removes a period it does not keep, restores it, or adds its
own days off. No session is planned on them: the plan, the dosage and the signals leave them out."""

from __future__ import annotations

import streamlit as st

from peermatch.services import calendar as cal
from peermatch.services.settings import SETTINGS_EDITORS
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.holidays_view import holiday_add_form, holiday_list, region_form, show_done
from ui.i18n import t

user = require_user()
st.title(t("calendar.holidays.title"))
if user.role not in SETTINGS_EDITORS:
    st.error(t("calendar.holidays.editors_only"))
    st.stop()
show_done()
st.write(t("calendar.holidays.intro"))
holidays: cal.SchoolHolidays | None = None
with shown_errors():
    holidays = cal.school_holiday_list(database(), user)
if holidays is None:
    st.stop()
st.caption(t("calendar.holidays.source", url=holidays.source))
region_form(user, holidays.region)
holiday_list(user, holidays.rows)
holiday_add_form(user)
