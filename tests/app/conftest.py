"""AppTest fixtures: a fresh run of the whole app (app.py routes to the Koppelen page).

The pages live in ``views/``, not ``pages/``: a ``pages/`` folder next to app.py would put a fresh Streamlit
process in "pages directory" mode, where a rerun of /koppelen runs the page without app.py (no language switch,
and later no login check). ``test_widget_rerun_runs_the_entrypoint_on_a_cold_start`` guards against it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
TIMEOUT_S = 30


@pytest.fixture
def app() -> AppTest:
    """The app after its first run, as a teacher sees it on arrival (Dutch, nothing uploaded)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
