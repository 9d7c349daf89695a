"""Paren volgen: one pair's timeline (check-ins, sessions, levels, triage steps, evaluation talks) and the
evaluation talk form ("Wat ging goed? Wat kan beter? Wat kan ik voor je doen?")."""

from __future__ import annotations

import streamlit as st

from peermatch import monitoring as mon
from peermatch.services import monitoring as service
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.evaluation_voices_view import evaluation_voices_block
from ui.i18n import current_lang, t
from ui.monitoring_view import (
    HEALTH_ICONS,
    ended_text,
    evaluation_form,
    load,
    pair_option,
    pick_programme,
    signal_line,
    timeline_frame,
    today,
)
from ui.privacy_view import worry_history_view
from ui.text import plain

user = require_user()
lang = current_lang()
st.title(t("ib.follow.title"))
if message := st.session_state.pop("ib_message", None):
    st.success(message)
programme_id = pick_programme(user, key="follow_programme")
data, triages = load(user, programme_id)
if not data.histories:
    st.info(t("ib.no_pairs"))
    st.stop()
ids = [h.pair_id for h in data.histories]
pair_id = st.selectbox(t("ib.follow.pair"), ids, format_func=lambda p: pair_option(data, p), key="follow_pair")
history = data.by_pair[pair_id]
follow = mon.follow_pair(history, today(), thresholds=data.thresholds, triages=triages)  # judged like Overzicht
health, dose = follow.health, follow.dosage
a, b, c = st.columns(3)
shown = t("lifecycle.ended_metric") if health is None else f"{HEALTH_ICONS[health.status]} {health.status.label(lang)}"
a.metric(t("ib.col.health"), shown)
b.metric(t("ib.follow.dosage"), f"{dose.held} / {dose.planned}")
c.metric(t("ib.follow.groups"), f"{history.tutor_group} → {history.tutee_group}")
if follow.ended:
    st.info(ended_text(history))
for reason in health.reasons if health else ():
    st.warning(plain(reason.message(lang)))

talks: list[service.Evaluation] = []
with shown_errors():
    talks = service.evaluations(database(), user, pair_id)
if not follow.ended:
    st.subheader(t("lifecycle.signals"))
    with st.container(key="follow_signals"):
        for alert, triage in follow.alerts:  # worries first, the oldest first; each with its state in words
            st.markdown(signal_line(alert, triage))
        if not follow.alerts:
            st.caption(t("lifecycle.no_signals"))
st.subheader(t("ib.follow.timeline"))
frame = timeline_frame(follow, talks)
if frame.empty:
    st.info(t("ib.follow.empty"))
else:
    st.dataframe(frame, hide_index=True, width="stretch")
    worry_history_view(user, "paren_volgen", history)

st.subheader(t("ib.eval.title"))
st.caption(t("ib.eval.intro"))
evaluation_form(user, pair_id)
evaluation_voices_block(user, pair_id)  # each child's part and how it goes together (issue 13, item 3)
