"""Errors from the core as readable messages: never a traceback on a page."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from peermatch.errors import DatabaseBusyError, PeerMatchError
from ui.i18n import current_lang
from ui.text import plain

__all__ = ["shown_errors"]

log = logging.getLogger(__name__)


@contextmanager
def shown_errors() -> Iterator[None]:
    """Run a block; a ``PeerMatchError`` (permission, not found, invalid input ...) becomes an ``st.error``.

    The message is escaped (``ui.text.plain``): it may repeat a name or value from a form or roster file.
    A database that stayed busy (``DatabaseBusyError``: the services translate a locked or lost database,
    never a raw ``OperationalError``) shows "Het is nu even druk. Probeer het zo nog eens." and is logged
    on the server with its cause. The page is not cleared, so a form keeps the answers typed in.
    """
    try:
        yield
    except DatabaseBusyError as exc:
        log.warning("shown to the user: %s", exc, exc_info=exc)
        st.error(plain(exc.message(current_lang())))
    except PeerMatchError as exc:
        st.error(plain(exc.message(current_lang())))  # values from forms and files in it
