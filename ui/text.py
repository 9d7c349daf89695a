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


def plain(text: object) -> str:
    """``text`` shown as typed in markdown: ``*Ali*`` or ``[x](y)`` is not formatted or linked."""
    return _MARKDOWN.sub(r"\\\1", str(text))
