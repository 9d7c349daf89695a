"""Overzicht: the school at a glance — open worry signals first (nieuw and in behandeling, with their state in
words), pairs that need attention, dosage vs plan. Only running pairs are counted; ended ones are named."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from peermatch import monitoring as mon
from peermatch.i18n.formatting import plural
from ui.auth import require_user
from ui.i18n import current_lang, t
from ui.monitoring_view import HEALTH_ICONS, alert_label, pick_programme, week
from ui.privacy_view import worry_alerts_view
from ui.text import plain

user = require_user()
lang = current_lang()
st.title(t("ib.overview.title"))
programme_id = pick_programme(user, key="overview_programme")
school = week(user, programme_id)
data, ov = school.data, school.overview
if not data.histories:
    st.info(t("ib.no_pairs"))
    st.stop()

worries = ov.open_worries()  # nieuw and in behandeling, the oldest first: afgehandeld is not open
st.subheader(t("ib.overview.worries", count=len(worries)))
if worries:
    for alert, triage in worries:
        st.error(alert_label(alert, triage, data) + (f" — “{plain(alert.text)}”" if alert.text else ""))
    st.page_link("views/signalen.py", label=t("ib.overview.to_signals"), icon="➡️")
    worry_alerts_view(user, "overzicht", [a for a, _ in worries], data)
else:
    st.success(t("ib.overview.no_worries"))
if handled := ov.handled_worries():
    with st.expander(t("lifecycle.handled_worries", count=len(handled))):
        for alert, triage in handled:
            st.write(alert_label(alert, triage, data))
if ov.ended:
    st.caption(plural("lifecycle.ended_pairs", len(ov.ended), lang))

columns = st.columns(4)
for column, health in zip(columns, reversed(list(mon.Health)), strict=True):
    column.metric(f"{HEALTH_ICONS[health]} {health.label(lang)}", ov.counts.get(health, 0))

attention = [h for h in ov.healths if h.status in (mon.Health.RISICO, mon.Health.AANDACHT_NODIG)]
st.subheader(t("ib.overview.attention", count=len(attention)))
if attention:
    rows = [
        {
            t("ib.col.pair"): data.pair_label(h.pair_id),
            t("ib.col.health"): f"{HEALTH_ICONS[h.status]} {h.status.label(lang)}",
            t("ib.col.reasons"): " · ".join(r.message(lang) for r in h.reasons),
        }
        for h in attention
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
else:
    st.success(t("ib.overview.all_well"))

st.subheader(t("ib.overview.dosage"))
dosage = [
    {
        t("ib.col.group"): t("ib.overview.total") if g is ov.total else g.group or "—",
        t("ib.col.pairs"): g.pairs,
        t("ib.col.planned"): g.planned,
        t("ib.col.held"): g.held,
        t("ib.col.missed"): g.missed,
        t("ib.col.behind"): g.pairs_behind,
    }
    for g in (*ov.groups, ov.total)
]
st.dataframe(pd.DataFrame(dosage), hide_index=True, width="stretch")
other = ov.other_open()
if other:
    with st.expander(t("ib.overview.other_alerts", count=len(other))):
        for alert, triage in other:
            st.write(alert_label(alert, triage, data))
