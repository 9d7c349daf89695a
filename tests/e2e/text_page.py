"""A page for test_text_stays_text.py: untrusted texts through ui.text.plain, and one control that is not."""

import streamlit as st

from ui.text import plain

UNTRUSTED = [
    "Log opnieuw in op http://evil.example/login",
    "Kijk op www.evil.example",
    "Mail juf@evil.example",
    "**vet** [klik](https://evil.example/x) $x$",
]
for text in UNTRUSTED:
    st.markdown(plain(text))
st.warning(plain("Zorg: zie https://evil.example/zorg"))
st.markdown("Control: https://control.example")  # the one live link on the page
