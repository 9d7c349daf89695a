"""Paren: the published pairs per programme; end a pair, replace a tutor, print the list and cards."""

from __future__ import annotations

import streamlit as st

from peermatch.storage.programmes import list_programmes
from peermatch.storage.queries import pair_listings
from peermatch.storage.runs import published_run
from ui.auth import require_user
from ui.db import session
from ui.errors import shown_errors
from ui.i18n import t
from ui.pairs_view import end_or_replace, pairs_table, print_button

user = require_user()
st.title(t("ui.pairs.title"))
if message := st.session_state.pop("pairs_message", None):
    st.success(message)

programmes = []
with shown_errors(), session(read_only=True) as s:
    programmes = list_programmes(s, user, user.school_id)
if not programmes:
    st.info(t("ui.start.step.programme"))
    st.stop()

names = {p.id: p.spec.name for p in programmes}
chosen = st.selectbox(t("ui.review.programme"), list(names), format_func=names.__getitem__, key="pairs_programme")
programme = next(p for p in programmes if p.id == chosen)
with shown_errors():
    with session() as s:
        run = published_run(s, user, programme.id)
        rows = pair_listings(s, user, run.id) if run else []
    if run is None:
        st.info(t("ui.pairs.none"))
        st.page_link("views/koppelen.py", label=t("ui.start.go", page=t("ui.nav.match")), icon="➡️")
        st.stop()
    pairs_table(rows)
    print_button(programme, rows)
    st.subheader(t("ui.pairs.change"))
    end_or_replace(user, programme, run, rows)
