"""The user's language in the app: Dutch by default, English on request (sidebar switch)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from peermatch.i18n import DEFAULT_LANG, LANGUAGES, translate

__all__ = ["current_lang", "language_switch", "t"]

_KEY = "lang"
_LABELS = {"nl": "Nederlands", "en": "English"}


def current_lang() -> str:
    lang = st.session_state.get(_KEY, DEFAULT_LANG)
    return lang if lang in LANGUAGES else DEFAULT_LANG


def t(code: str, **params: Any) -> str:
    """The message ``code`` in the user's language."""
    return translate(code, current_lang(), **params)


def language_switch() -> None:
    """A language picker in the sidebar; the choice lives in session state."""
    if _KEY not in st.session_state:
        st.session_state[_KEY] = DEFAULT_LANG
    st.sidebar.selectbox("Taal / Language", LANGUAGES, key=_KEY, format_func=lambda code: _LABELS.get(code, code))
