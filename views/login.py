"""Inloggen: username and password of a staff account (the demo accounts are printed by `make run`)."""

from __future__ import annotations

import streamlit as st

from ui.auth import login_form
from ui.i18n import t

st.title(t("ui.login.title"))
st.caption(t("ui.login.intro"))
login_form()
