"""Leerlingen: upload a class list → preview with problems (fix the rows with errors in place) → import; browse
groups, correct levels, role and motivation, and mark pupils who leave or do not take part."""

from __future__ import annotations

from datetime import date

import streamlit as st

from peermatch.services.pupils import list_groups, list_pupils
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t
from ui.levels_input import add_levels_step
from ui.pupils_view import commit_roster, levels_editor, show_preview
from ui.roster_input import chosen_file, forget_file, roster_from_user
from ui.upkeep_view import details_editor, leave_controls, show_saved

user = require_user()
st.title(t("ui.pupils.title"))

tab_import, tab_groups = st.tabs([t("ui.pupils.tab_import"), t("ui.pupils.tab_groups")])
with tab_import:
    if report := st.session_state.pop("import_report", None):
        st.success(report)
    roster = roster_from_user("pupils", demo=False, hint="ui.pupils.upload_hint", fixable=True)
    file = chosen_file("pupils")
    if roster is not None and file is not None:
        measured_on = st.date_input(
            t("ui.pupils.measured_on"), value=date.today(), key="import_date", format="DD-MM-YYYY"
        )
        show_preview(user, roster, file[0], measured_on)
        pressed = st.button(t("ui.pupils.import"), type="primary", key="import_roster")
        if pressed and commit_roster(user, roster, file[0], measured_on):
            forget_file("pupils")
            st.rerun()
    elif file is not None:  # errors left: nothing can be imported yet (all or nothing)
        st.button(t("ui.pupils.import"), type="primary", key="import_roster", disabled=True)
    st.divider()
    add_levels_step(user)  # levels from the pupil-tracking system, for the pupils imported (EDEXML has none)

with tab_groups:
    if saved := st.session_state.pop("levels_saved", None):
        st.success(saved)
    show_saved()
    groups = []
    with shown_errors():
        groups = list_groups(database(), user)
    if not groups:
        st.info(t("ui.pupils.no_groups"))
    else:
        names = {g.id: f"{g.name} ({g.pupil_count})" for g in groups}
        group_id = st.selectbox(t("ui.pupils.group"), list(names), format_func=names.__getitem__, key="group")
        st.caption(t("ui.pupils.edit_hint"))
        day = st.date_input(t("ui.pupils.measured_on"), value=date.today(), key="levels_date", format="DD-MM-YYYY")
        levels_editor(user, group_id, day)
        with shown_errors():
            pupils = list_pupils(database(), user, group_id)
            details_editor(user, group_id, pupils)
            leave_controls(user, pupils, list_pupils(database(), user, group_id, include_inactive=True))
