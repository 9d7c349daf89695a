"""A tutor whose check-in meets a busy database, on the real check-in page (views/checkin.py) in AppTest:
while another connection (plain sqlite3, as another process would) holds SQLite's write lock past the
write deadline (``PEERMATCH_WRITE_DEADLINE_S=1``), the submit shows "Het is nu even druk. Probeer het zo
nog eens.", stores nothing and keeps every typed answer (and the submission id) on screen; once the lock
is gone the same form is saved exactly once. No code of ours is mocked.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from apphelpers import as_pupil, count, demo_codes, ok
from streamlit.testing.v1 import AppTest

from peermatch.services.database import DEADLINE_ENV_VAR

BUSY_NL = "Het is nu even druk. Probeer het zo nog eens."
SAVED_NL = "Opgeslagen. Wat jij schreef is nu weg van het scherm. Geef het apparaat aan {name}."

# Every answer of the form, by widget key (round 0), as the tutor typed or tapped it.
TEXTS = {
    "ci_activity_0": "Boek: De Gorgels, blz. 20-23",
    "ci_went_well_0": "Het ging goed toen we samen lazen.",
    "ci_was_hard_0": "Lange woorden waren lastig.",
    "ci_try_next_0": "Volgende keer eerst de plaatjes bekijken.",
}
RADIOS = {"ci_mood_0": 4}
CHECKBOXES = {"ci_help_0": True}
MINUTES = 25


@contextmanager
def _lock_held_by_another_connection(url: str) -> Iterator[None]:
    """A second connection (plain sqlite3, another "process") takes the write lock until the block ends
    (as ``_lock_held_by_another_connection`` in tests/unit/test_write_burst.py)."""
    path = sa.make_url(url).database
    assert path is not None
    taken, done = threading.Event(), threading.Event()
    failed: list[BaseException] = []

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            taken.set()
            done.wait(60)
            other.execute("COMMIT")
        except BaseException as exc:
            failed.append(exc)
            raise
        finally:
            other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(5), failed
    try:
        yield
    finally:
        done.set()
        holder.join()
    assert not failed, failed


def _stored(url: str, submission_id: str) -> int:
    """Rows with this submission id, read with a plain sqlite3 reader (WAL: it works while the lock is held;
    the app's engine would ask for the write lock first)."""
    path = sa.make_url(url).database
    assert path is not None
    reader = sqlite3.connect(path)
    try:
        sql = "SELECT count(*) FROM checkins WHERE submission_id = ?"
        return int(reader.execute(sql, (submission_id,)).fetchone()[0])
    finally:
        reader.close()


def _fill_in(at: AppTest) -> None:
    for key, text in TEXTS.items():
        widget = at.text_input(key=key) if key == "ci_activity_0" else at.text_area(key=key)
        widget.set_value(text)
    for key, choice in RADIOS.items():
        at.radio(key=key).set_value(choice)
    for key, checked in CHECKBOXES.items():
        at.checkbox(key=key).set_value(checked)
    at.number_input[0].set_value(MINUTES)


def _assert_answers_on_screen(at: AppTest) -> None:
    for key, text in TEXTS.items():
        widget = at.text_input(key=key) if key == "ci_activity_0" else at.text_area(key=key)
        assert widget.value == text, key
    for key, choice in RADIOS.items():
        assert at.radio(key=key).value == choice, key
    for key, checked in CHECKBOXES.items():
        assert at.checkbox(key=key).value is checked, key
    assert at.number_input[0].value == MINUTES


def _messages(at: AppTest) -> list[str]:
    return [str(e.value) for kind in (at.success, at.info, at.warning, at.error) for e in kind]


def test_a_busy_database_keeps_the_check_in_on_screen_and_the_retry_saves_it_once(
    tutor_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = as_pupil(tutor_db, demo_codes(tutor_db)["fresh"], "views/checkin.py")
    before = count(tutor_db, "checkins")
    submission = str(at.session_state["checkin_submission"])
    _fill_in(at)

    monkeypatch.setenv(DEADLINE_ENV_VAR, "1")
    with _lock_held_by_another_connection(tutor_db):
        began = time.monotonic()
        ok(at.form_submit_button[0].click().run())
        waited = time.monotonic() - began

        assert waited >= 0.9  # it really retried until the deployment's 1 s deadline ...
        assert waited < 15  # ... not the 20 s default
        assert [e.value for e in at.error] == [BUSY_NL]
        assert not at.success
        assert not any("Opgeslagen" in m for m in _messages(at))
        assert "checkin_saved" not in at.session_state
        _assert_answers_on_screen(at)
        assert at.session_state["checkin_submission"] == submission  # the same submission, for the retry
        assert _stored(tutor_db, submission) == 0
    assert count(tutor_db, "checkins") == before  # nothing stored (the other connection wrote nothing)

    ok(at.form_submit_button[0].click().run())  # the lock is gone: the tutor simply tries again
    tutee_name = at.session_state["checkin_handover"][1]
    assert [s.value for s in at.success] == [SAVED_NL.format(name=tutee_name)]
    assert not at.error
    assert count(tutor_db, "checkins") == before + 1
    assert _stored(tutor_db, submission) == 1
    ok(at.button(key="tutee_skip").click().run())  # the tutee's own step, skipped: back to the tutor's page
    mine = at.dataframe[-1].value
    assert list(mine["Wat we deden"])[:1] == [TEXTS["ci_activity_0"]]
