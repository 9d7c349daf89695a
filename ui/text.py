"""Text from users and files, shown as typed where Streamlit renders markdown.

``st.success``, ``st.info``, ``st.warning``, ``st.error``, ``st.markdown``, ``st.write`` and ``st.caption``
all render markdown, so a staff or pupil name like ``**Ali**``, ``[klik](https://x.nl)`` or ``$x$`` (names
and notes come from forms and roster files: untrusted input) would be formatted, linked or typeset.
:func:`plain` escapes it. Use it on the value, or on a whole message rendered by the core (the message
catalogues hold no markdown); never on a widget label or a table cell, which show text as it is.
"""

from __future__ import annotations

import re

__all__ = ["plain"]

_MARKDOWN = re.compile(r"([\\`*_\[\]<>$~|#])")
# Bare addresses that Streamlit's markdown (GitHub's autolink extension) turns into live links even when
# escaped: "http://...", "www....", "naam@school.nl". An invisible WORD JOINER (U+2060) before the character
# that makes them an address keeps them as text (a worry text saying "log opnieuw in op http://..." must
# never become a link); it reads the same, and a copied address does not work by accident.
_AUTOLINK = re.compile(r"(?<=[A-Za-z])(?=://)|(?<=\bwww)(?=\.)|(?<=\w)(?=@\w)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """``text`` shown as typed in markdown: ``*Ali*``, ``[x](y)`` or ``http://x.nl`` is not formatted or linked."""
    escaped = _MARKDOWN.sub(r"\\\1", str(text))
    return _AUTOLINK.sub(WORD_JOINER, escaped)
