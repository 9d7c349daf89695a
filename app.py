"""PeerMatch, the teachers' app. Run with `make run` (or `streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

from ui.i18n import language_switch, t

st.set_page_config(page_title="PeerMatch", page_icon="🤝", layout="wide")
language_switch()

page = st.navigation(
    [st.Page("views/koppelen.py", title=t("ui.nav.match"), icon="🤝", url_path="koppelen", default=True)]
)
page.run()
