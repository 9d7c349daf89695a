"""Mijn maatje: the tutor's home. The tutee's first name, groep and practice level, the weekly moment(s),
and the training path with "Klaar om te starten!" or what is left; at the start and at the end of the programme
"Even 3 vragen over jezelf" (the before/after scale). Never scores or other pupils."""

from __future__ import annotations

from datetime import date

import streamlit as st

from peermatch.services.focus import pupil_weekly_focus
from peermatch.services.outcomes import due_scales
from peermatch.services.pupil_home import pair_stages
from ui.db import database
from ui.errors import shown_errors
from ui.farewell_view import stage_block
from ui.focus_view import focus_card
from ui.i18n import t
from ui.outcome_view import outcome_card, outcome_saved_note
from ui.pupil import require_pupil
from ui.text import plain
from ui.tutor import certificate_button, home, moment_text, readiness_block

pupil = require_pupil()
st.title(t("tutor.home.title", name=pupil.first_name))

with shown_errors():
    info = home(pupil)
    focus = pupil_weekly_focus(database(), pupil, date.today())  # this week's, per pair
    stages = pair_stages(database(), pupil, date.today())  # the kennismaking first, the farewell at the end
    scales = due_scales(database(), pupil, date.today())  # "Even 3 vragen over jezelf": at the start and the end
    outcome_saved_note()
    st.header(t("tutor.home.my_tutee"))
    if not info.tutees:
        st.info(t("tutor.home.no_tutee"))
    for card in info.tutees:
        with st.container(border=True):
            st.markdown(f"## 🧒 {plain(card.first_name)}")
            if card.pair_id in scales:  # before the session and its check-in: about the tutor themselves
                outcome_card(pupil, scales[card.pair_id], read_aloud=False)
            if card.pair_id in stages:
                stage_block(stages[card.pair_id])
            st.markdown(t("tutor.home.tutee_group", group=plain(card.group_name)))
            role = t(f"tutor.role.{card.subject.value}")
            if card.practice_level:
                st.markdown(t("tutor.home.level", role=role, level=card.practice_level))
            else:
                st.markdown(t("tutor.home.level_unknown", role=role))
            for moment in card.moments:
                st.markdown(moment_text(moment))
            st.markdown(t("tutor.home.minutes", minutes=card.minutes_per_session))
            if card.pair_id in focus:
                focus_card(focus[card.pair_id])
    for due in scales.values():  # a tutor who is also tutored elsewhere answers as that pair's tutee here
        if due.pair_id not in {card.pair_id for card in info.tutees}:
            outcome_card(pupil, due, read_aloud=False)
    st.header(t("tutor.home.training"))
    for readiness in info.readiness:
        readiness_block(readiness)
    certificate_button(info, key="certificate_home")
    st.page_link("views/training.py", label=t("tutor.home.to_training"), icon="📚")
    if info.tutees:
        st.page_link("views/checkin.py", label=t("tutor.home.to_checkin"), icon="✅")
