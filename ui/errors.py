"""Errors from the core as readable messages: never a traceback on a page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from peermatch.errors import PeerMatchError
from ui.i18n import current_lang
from ui.text import plain

__all__ = ["shown_errors"]


@contextmanager
def shown_errors() -> Iterator[None]:
    """Run a block; a ``PeerMatchError`` (permission, not found, invalid input ...) becomes an ``st.error``.

    The message is escaped (``ui.text.plain``): it may repeat a name or value from a form or roster file.
    """
    try:
        yield
    except PeerMatchError as exc:
        st.error(plain(exc.message(current_lang())))  # values from forms and files in it
