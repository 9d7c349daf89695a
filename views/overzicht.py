"""Overzicht: the school at a glance — open worry signals first (nieuw and in behandeling, with their state in
words), pairs that need attention, dosage vs plan. Only running pairs are counted; ended ones are named.

Quick at 10,000 pairs (issue 14): the data is loaded once per change (``services.monitoring``), and a long list
is a table, not one element per row: the first :data:`AS_TEXT` open worries stand out as text, every other one
is in a table right below (never hidden); afgehandeld and other alerts are a table once there are more."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from peermatch import monitoring as mon
from peermatch.i18n.formatting import plural
from ui.auth import require_user
from ui.i18n import current_lang, t
from ui.monitoring_view import HEALTH_ICONS, STATE_ICONS, alert_label, pick_programme, week
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

AS_TEXT = 20  # rows of a list written one by one; a longer list is (also) a table


def alert_table(rows: tuple[tuple[mon.Alert, mon.Triage], ...], *, with_text: bool = False) -> None:
    """Alerts as one table (pair, signal, state; the tutor's text for worries), in the order given."""
    states = {s: f"{STATE_ICONS[s]} {s.label(lang)}" for s in mon.TriageState}
    frame = pd.DataFrame(
        {
            t("ib.col.pair"): [data.pair_label(a.pair_id) for a, _ in rows],
            t("scale.overview.col_signal"): [a.message(lang) for a, _ in rows],
            t("scale.overview.col_state"): [states[tr.state] for _, tr in rows],
            **({t("scale.overview.col_text"): [a.text for a, _ in rows]} if with_text else {}),
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def alert_list(rows: tuple[tuple[mon.Alert, mon.Triage], ...]) -> None:
    """A few alerts as lines; more as a table."""
    if len(rows) > AS_TEXT:
        alert_table(rows)
        return
    for alert, triage in rows:
        st.write(alert_label(alert, triage, data))


worries = ov.open_worries()  # nieuw and in behandeling, the oldest first: afgehandeld is not open
st.subheader(t("ib.overview.worries", count=len(worries)))
if worries:
    for alert, triage in worries[:AS_TEXT]:
        st.error(alert_label(alert, triage, data) + (f" — “{plain(alert.text)}”" if alert.text else ""))
    if len(worries) > AS_TEXT:  # every open worry stays listed: the rest in one table
        st.warning(t("scale.overview.more_worries", count=len(worries) - AS_TEXT))
        alert_table(worries[AS_TEXT:], with_text=True)
    st.page_link("views/signalen.py", label=t("ib.overview.to_signals"), icon="➡️")
    worry_alerts_view(user, "overzicht", [a for a, _ in worries], data)
else:
    st.success(t("ib.overview.no_worries"))
if handled := ov.handled_worries():
    with st.expander(t("lifecycle.handled_worries", count=len(handled))):
        alert_list(handled)
if ov.ended:
    st.caption(plural("lifecycle.ended_pairs", len(ov.ended), lang))

columns = st.columns(4)
for column, health in zip(columns, reversed(list(mon.Health)), strict=True):
    column.metric(f"{HEALTH_ICONS[health]} {health.label(lang)}", ov.counts.get(health, 0))

attention = ov.needing_attention()
st.subheader(t("ib.overview.attention", count=len(attention)))
if attention:
    col_pair, col_health, col_reasons = t("ib.col.pair"), t("ib.col.health"), t("ib.col.reasons")  # once, not per row
    labels = {h: f"{HEALTH_ICONS[h]} {h.label(lang)}" for h in mon.Health}
    rows = [
        {
            col_pair: data.pair_label(h.pair_id),
            col_health: labels[h.status],
            col_reasons: " · ".join(r.message(lang) for r in h.reasons),
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
        alert_list(other)
