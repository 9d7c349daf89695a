"""Errors from the core as readable messages: never a traceback on a page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from peermatch.errors import PeerMatchError
from ui.i18n import current_lang

__all__ = ["shown_errors"]


@contextmanager
def shown_errors() -> Iterator[None]:
    """Run a block; a ``PeerMatchError`` (permission, not found, invalid input ...) becomes an ``st.error``."""
    try:
        yield
    except PeerMatchError as exc:
        st.error(exc.message(current_lang()))
