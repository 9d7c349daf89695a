"""Tutorprogramma's: create or edit a programme (groups, weekly moments, duration, matching rules), and its
calendar: the plan without holidays and cancelled days, "vandaag geen maatjes-moment", the .ics file."""

from __future__ import annotations

import streamlit as st

from peermatch.rules import Weights
from peermatch.services.programmes import ProgrammeBoard, programme_board, save_programme
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.focus_view import focus_section
from ui.guide_view import guide_download
from ui.i18n import current_lang, t
from ui.programme_calendar import programme_calendar_section
from ui.programme_form import programme_form

user = require_user()
st.title(t("ui.prog.title"))
st.caption(t("ui.prog.intro"))
if saved := st.session_state.pop("programme_saved", None):
    st.success(saved)

board = ProgrammeBoard((), ())
with shown_errors():
    board = programme_board(database(), user)
groups, programmes = list(board.groups), board.programmes

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
        with shown_errors():
            info = save_programme(database(), user, current.id if current else None, spec)
            st.session_state["programme_saved"] = t("ui.prog.saved", name=info.spec.name)
            st.session_state["programme_next"] = info.id
        if "programme_next" in st.session_state:
            st.rerun()
    if current is not None:  # the plan on the school's calendar: cancel a day, download the .ics
        programme_calendar_section(user, current.id)
        focus_section(user, current.id)
        guide_download(current.spec, key=f"guide_{current.id}")

with st.expander(t("ui.prog.weights_title")):
    for name in ("age_gap", "margin", "motivation", "need", "poor_pair"):
        st.markdown(f"- {Weights.describe(name, current_lang())}")
