"""Signalen: the triage inbox. Open an alert (worries first), read the check-in text, mark it
"in behandeling" with a note, then "afgehandeld". Every step is stored with who and when."""

from __future__ import annotations

import streamlit as st

from peermatch import monitoring as mon
from ui.auth import require_user
from ui.i18n import t
from ui.monitoring_view import alert_label, pick_programme, triage_form, week
from ui.privacy_view import worry_alerts_view

PAGE = 50  # alerts (each with its triage form) per page

user = require_user()
st.title(t("ib.signals.title"))
if message := st.session_state.pop("ib_message", None):
    st.success(message)
programme_id = pick_programme(user, key="signals_programme")
school = week(user, programme_id)
data, rows = school.data, list(school.overview.alerts)  # the inbox: open first, worries first
show_done = st.toggle(t("ib.signals.show_done"), key="signals_done")
if not show_done:
    rows = [(a, tr) for a, tr in rows if tr.state is not mon.TriageState.AFGEHANDELD]
counts = {s: sum(1 for _, tr in rows if tr.state is s) for s in mon.TriageState}
st.caption(t("ib.signals.counts", new=counts[mon.TriageState.NIEUW], busy=counts[mon.TriageState.IN_BEHANDELING]))
if not rows:
    st.success(t("ib.signals.empty"))
    st.stop()
if len(rows) > PAGE:  # thousands of forms at once help nobody: pages of PAGE, open ones first (inbox order)
    pages = (len(rows) + PAGE - 1) // PAGE
    page = st.number_input(t("scale.signals.page", pages=pages), min_value=1, max_value=pages, value=1, step=1,
                           key="signals_page")  # fmt: skip
    st.caption(t("scale.signals.showing", first=(page - 1) * PAGE + 1, last=min(page * PAGE, len(rows)),
                 total=len(rows)))  # fmt: skip
    rows = rows[(page - 1) * PAGE : page * PAGE]
worry_alerts_view(user, "signalen", [a for a, _ in rows], data)  # the texts below: audited once per run
for alert, triage in rows:
    worry = alert.kind in (mon.AlertKind.WORRY, mon.AlertKind.HELP_NEEDED)
    with st.expander(alert_label(alert, triage, data), expanded=worry and triage.state is mon.TriageState.NIEUW):
        triage_form(user, alert, triage)
