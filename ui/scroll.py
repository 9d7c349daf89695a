"""Scroll the page back to its top after a click that replaced what the page shows (a training module opened
from far down the list): Streamlit keeps the scroll position of the previous run, so the new content would
open mid-page. A page change already starts at the top; this is for a change inside one page."""

from __future__ import annotations

import streamlit as st

__all__ = ["scroll_to_top", "scroll_to_top_next_run"]

_FLAG = "_scroll_to_top"
# The main area scrolls in Streamlit's layout (stMain), the window on some browsers: both go back to the top.
_SCRIPT = (
    "<script>for (const el of [document.querySelector('[data-testid=\"stMain\"]'), document.scrollingElement])"
    " { if (el) { el.scrollTo({top: 0, left: 0, behavior: 'instant'}); } }</script>"
)


def scroll_to_top_next_run() -> None:
    """Ask the next run of this page to start at the top (call before ``st.rerun()``)."""
    st.session_state[_FLAG] = True


def scroll_to_top() -> None:
    """Scroll to the top in this run when the previous one asked for it (once)."""
    if st.session_state.pop(_FLAG, False):
        st.html(_SCRIPT, unsafe_allow_javascript=True, width="content")
