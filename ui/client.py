"""The client's address as a plain string, for the login throttle (``peermatch.auth.throttle.client_address``):
Streamlit's peer address, or ``X-Forwarded-For`` only when ``PEERMATCH_TRUSTED_PROXY=1``."""

from __future__ import annotations

import os

import streamlit as st

from peermatch.auth.throttle import client_address

__all__ = ["request_address"]


def request_address() -> str | None:
    try:
        peer = st.context.ip_address
        forwarded = st.context.headers.get("X-Forwarded-For")
    except (AttributeError, RuntimeError, KeyError):  # no request (a bare script run)
        return None
    return client_address(peer, forwarded, os.environ)
