"""Koppelen: run the matcher on a programme, review the draft (why each pair), pin / forbid / swap, re-run, publish."""

from __future__ import annotations

import streamlit as st

from peermatch.rules import Objective
from peermatch.services.matching import change_rules, latest_draft, programmes_to_match
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t
from ui.match_review import (
    constraint_controls,
    draft_table,
    publish_button,
    run_matcher,
    swap_controls,
    unpaired_list,
)

user = require_user()
st.title(t("ui.review.title"))
if st.session_state.pop("publish_done", False):
    st.success(t("ui.review.published"))
    st.page_link("views/paren.py", label=t("ui.start.go", page=t("ui.nav.pairs")), icon="➡️")

programmes = []
with shown_errors():
    programmes = programmes_to_match(database(), user)
if not programmes:
    st.info(t("ui.start.step.programme"))
    st.page_link("views/programmas.py", label=t("ui.start.go", page=t("ui.nav.programmes")), icon="➡️")
    st.stop()

names = {p.id: p.spec.name for p in programmes}
chosen = st.selectbox(t("ui.review.programme"), list(names), format_func=names.__getitem__, key="review_programme")
programme = next(p for p in programmes if p.id == chosen)
objectives = [o.value for o in Objective]
current = str(programme.spec.rules.get("objective", Objective.MOST_PAIRS.value))
objective = st.radio(t("ui.prog.objective"), objectives, objectives.index(current), horizontal=True,
                     format_func=lambda o: t(f"ui.prog.objective_{o}"), key=f"objective_{chosen}")  # fmt: skip
if st.button(t("ui.review.run"), type="primary", key="run_match"):
    if objective != current:
        with shown_errors():
            programme = change_rules(database(), user, programme.id, {**programme.spec.rules, "objective": objective})
    run_matcher(user, programme.id)

run = latest_draft(database(), user, programme.id)
if run is None:
    st.info(t("ui.review.no_draft"))
    st.stop()
st.subheader(t("ui.review.draft"))
with shown_errors():
    rows = draft_table(user, run)
    constraint_controls(user, programme.id, rows)
    swap_controls(user, programme.id, rows)
    unpaired_list(user, programme, run)
    publish_button(user, run)
