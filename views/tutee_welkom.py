"""Welkom, for a tutee: what a maatje does, what you may ask, whom you tell (each part can be read aloud)."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t
from ui.pupil import require_pupil
from ui.tutee_view import read_aloud_button

require_pupil()
st.title(f"👋 {t('tutee.welcome.title')}")
for part in ("what", "ask", "tell", "after"):
    text = t(f"tutee.welcome.{part}")
    with st.container(border=True):
        st.markdown(text)
        read_aloud_button(text.replace("#", "").replace("**", ""), f"welcome_{part}")
