"""Paren: the published pairs per programme; end a pair, replace a tutor, print the list and cards."""

from __future__ import annotations

import streamlit as st

from peermatch.services.matching import programmes_to_match
from peermatch.services.pairs import published_pairs
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.farewell_view import farewell_download
from ui.i18n import t
from ui.pairs_view import end_or_replace, pairs_table, print_button

user = require_user()
st.title(t("ui.pairs.title"))
if message := st.session_state.pop("pairs_message", None):
    st.success(message)
if tell := st.session_state.pop("pairs_tell", None):  # how to tell the children (issue 13, item 4)
    st.info(tell, icon="🗣️")

programmes = []
with shown_errors():
    programmes = programmes_to_match(database(), user)
if not programmes:
    st.info(t("ui.start.step.programme"))
    st.stop()

names = {p.id: p.spec.name for p in programmes}
chosen = st.selectbox(t("ui.review.programme"), list(names), format_func=names.__getitem__, key="pairs_programme")
programme = next(p for p in programmes if p.id == chosen)
with shown_errors():
    run, rows = published_pairs(database(), user, programme.id)
    if run is None:
        st.info(t("ui.pairs.none"))
        st.page_link("views/koppelen.py", label=t("ui.start.go", page=t("ui.nav.match")), icon="➡️")
        st.stop()
    pairs_table(rows)
    print_button(programme, rows)
    farewell_download(programme, rows)
    st.subheader(t("ui.pairs.change"))
    end_or_replace(user, programme, run, rows)
