"""Koppelen: upload a roster, see its problems, choose the rules and read the proposed pairs."""

from __future__ import annotations

import streamlit as st

from peermatch.errors import PeerMatchError
from peermatch.matching import match
from ui.i18n import current_lang, t
from ui.matching_view import rules_form, show_result
from ui.roster_input import roster_from_user
from ui.text import plain

st.title(t("ui.match.title"))
st.caption(t("ui.match.intro"))

roster = roster_from_user()
if roster is not None:
    rules = rules_form(roster)
    if rules is not None:
        with st.spinner(t("ui.match.busy")):
            try:
                st.session_state["match_result"] = match(roster.pupils, rules)
            except PeerMatchError as exc:
                st.session_state.pop("match_result", None)
                st.error(plain(exc.message(current_lang())))
    result = st.session_state.get("match_result")
    if result is not None:
        show_result(result.to_dict(current_lang()))
