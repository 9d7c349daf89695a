"""An error nobody foresaw: the page shows our own message with a reference id, the server log has the
traceback under the same id, and the page never shows the exception's text or a source path (issue 11, item 7)."""

from __future__ import annotations

import logging
import re

import pytest
from streamlit.testing.v1 import AppTest


def _failing_page() -> None:
    import streamlit as st

    from ui.errors import unexpected_errors

    with unexpected_errors():
        st.write("voor de fout")
        raise RuntimeError("secret detail /srv/peermatch/views/x.py line 12")


def _stopping_page() -> None:
    import streamlit as st

    from ui.errors import unexpected_errors

    with unexpected_errors():
        st.write("gestopt")
        st.stop()
    st.write("never shown")


def test_an_unforeseen_error_shows_a_reference_that_the_log_also_has(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="ui.errors"):
        at = AppTest.from_function(_failing_page).run()
    assert not at.exception  # no traceback element on the page
    [error] = at.error
    match = re.search(r"PM-[0-9A-F]{6}", error.value)
    assert match, error.value
    assert "Er ging iets mis" in error.value
    assert "secret detail" not in error.value
    assert "/srv/" not in error.value
    logged = [r for r in caplog.records if match.group(0) in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info is not None
    assert "secret detail" in str(logged[0].exc_info[1])


def test_two_errors_get_different_references() -> None:
    first = AppTest.from_function(_failing_page).run().error[0].value
    second = AppTest.from_function(_failing_page).run().error[0].value
    assert re.findall(r"PM-[0-9A-F]{6}", first) != re.findall(r"PM-[0-9A-F]{6}", second)


def test_streamlit_control_flow_is_not_an_error() -> None:
    at = AppTest.from_function(_stopping_page).run()
    assert not at.error
    assert [m.value for m in at.markdown] == ["gestopt"]
