"""Errors from the core as readable messages: never a traceback on a page."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from peermatch.errors import DatabaseBusyError, PeerMatchError
from ui.i18n import current_lang, t
from ui.text import plain

__all__ = ["error_reference", "shown_errors", "unexpected_errors"]

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


def error_reference() -> str:
    """A short id to quote on the phone (``PM-7F3A9C``): printed on the page and in the server's log line."""
    return f"PM-{secrets.token_hex(3).upper()}"


@contextmanager
def unexpected_errors() -> Iterator[None]:
    """The last net under every page: an error nobody foresaw becomes our own message with a reference id.

    The traceback goes to the server's log under that id (``client.showErrorDetails = "none"`` keeps it off
    the page); the user reads what to do and which code to pass on. Streamlit's own control flow
    (``st.rerun``, ``st.stop``) derives from ``BaseException`` and passes through untouched.
    """
    try:
        yield
    except Exception as exc:  # nothing unforeseen may reach the page as a traceback
        reference = error_reference()
        log.error("unexpected error %s", reference, exc_info=exc)
        st.error(t("ui.error.unexpected", reference=reference))
