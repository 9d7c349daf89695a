"""Mijn maatje, for a tutee: their tutor's first name, what they do together and the weekly moment(s); at the start
and at the end of the programme "Even 3 vragen over jezelf" (the before/after scale, read aloud on request)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from peermatch.services.outcomes import due_scales
from peermatch.services.tutee import tutee_home
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t
from ui.outcome_view import outcome_card, outcome_saved_note
from ui.pupil import require_pupil
from ui.text import plain
from ui.tutor import moment_text

pupil = require_pupil()
st.title(t("tutee.home.title", name=plain(pupil.first_name)))

with shown_errors():
    home = tutee_home(database(), pupil)
    scales = due_scales(database(), pupil, date.today())
    outcome_saved_note()
    if not home.maatjes:
        st.info(t("tutee.home.no_pair"))
    for card in home.maatjes:
        with st.container(border=True):
            st.markdown(f"## 🧒 {t('tutee.home.maatje', name=plain(card.tutor_first_name))}")
            st.markdown(t(f"tutee.home.{card.subject.value}"))
            for moment in card.moments:
                st.markdown(moment_text(moment))
            st.markdown(t("tutee.home.minutes", minutes=card.minutes_per_session))
            if card.pair_id in scales:
                outcome_card(pupil, scales[card.pair_id], read_aloud=True)
    if home.maatjes:
        st.page_link("views/tutee_checkin.py", label=t("tutee.home.to_checkin"), icon="✅")
    st.page_link("views/tutee_welkom.py", label=t("tutee.home.to_welcome"), icon="👋")
