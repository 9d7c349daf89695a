"""Tutorprogramma's: create or edit a programme (groups, weekly moments, duration, matching rules)."""

from __future__ import annotations

import streamlit as st

from peermatch.rules import Weights
from peermatch.storage.programmes import create_programme, list_programmes, update_programme
from peermatch.storage.pupils import list_groups
from ui.auth import require_user
from ui.db import session
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.programme_form import programme_form

user = require_user()
st.title(t("ui.prog.title"))
st.caption(t("ui.prog.intro"))
if saved := st.session_state.pop("programme_saved", None):
    st.success(saved)

groups, programmes = [], []
with shown_errors(), session(read_only=True) as s:
    groups = list_groups(s, user, user.school_id)
    programmes = list_programmes(s, user, user.school_id)

NEW = 0
if "programme_next" in st.session_state:  # a widget's value may only be set before the widget is drawn
    st.session_state["programme_choice"] = st.session_state.pop("programme_next")
options = {NEW: t("ui.prog.new"), **{p.id: p.spec.name for p in programmes}}
chosen = st.selectbox(t("ui.prog.choose"), list(options), format_func=options.__getitem__, key="programme_choice")
current = next((p for p in programmes if p.id == chosen), None)
if not groups:
    st.info(t("ui.pupils.no_groups"))
else:
    spec = programme_form(groups, current.spec if current else None, key=f"prog{chosen}")
    if spec is not None:
        with shown_errors(), session() as s:
            if current is None:
                info = create_programme(s, user, user.school_id, spec)
            else:
                info = update_programme(s, user, current.id, spec)
            st.session_state["programme_saved"] = t("ui.prog.saved", name=info.spec.name)
            st.session_state["programme_next"] = info.id
        if "programme_next" in st.session_state:
            st.rerun()

with st.expander(t("ui.prog.weights_title")):
    for name in ("age_gap", "margin", "motivation", "need", "poor_pair"):
        st.markdown(f"- {Weights.describe(name, current_lang())}")
