"""Shared pieces of the tutee's pages: which pages a logged-in pupil gets, the face question, and "Lees voor"."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from peermatch.checkins import MOOD_EMOJI, mood_emoji
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.read_aloud import speech_html
from peermatch.services.tutee import is_tutee_only
from ui.db import database
from ui.i18n import current_lang, t

__all__ = ["face_question", "read_aloud_button", "shows_tutee_pages"]

_FACES = list(range(1, len(MOOD_EMOJI) + 1))


def shows_tutee_pages(pupil: AuthenticatedPupil) -> bool:
    """True for the tutee of an active pair who tutors nobody (see ``services.tutee.is_tutee_only``)."""
    return is_tutee_only(database(), pupil)


def read_aloud_button(text: str, key: str) -> None:
    """A small "Lees voor" button: the browser's own speech synthesis speaks ``text`` (nl-NL or en-GB)."""
    with st.container(key=f"speak_{key}"):
        components.html(speech_html(text, current_lang(), t("tutee.checkin.read_aloud")), height=48)


def face_question(picture: str, text: str, key: str) -> int | None:
    """A question with a picture and words, read aloud on request, answered with a tap on one of five faces."""
    st.markdown(f"#### {picture} {text}")
    read_aloud_button(text, key)
    return st.radio(
        text, _FACES, format_func=mood_emoji, index=None, horizontal=True, key=key, label_visibility="collapsed"
    )
