"""Inloggen: username and password of a staff account (the demo accounts are printed by `make run`), and a
link to the pupils' login in the page itself (on a phone the sidebar is folded away)."""

from __future__ import annotations

import streamlit as st

from ui.auth import login_form
from ui.i18n import t

st.title(t("ui.login.title"))
st.caption(t("ui.login.intro"))
login_form()
st.divider()
st.page_link("views/leerling_login.py", label=t("ui.login.pupil_link"), icon="🎒")
