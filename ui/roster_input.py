"""Getting a roster into the app: an upload or the synthetic demo school, read once per file.

A file is read in a child process within the time and memory limits of :mod:`peermatch.roster.worker`, so a
hostile or huge file never blocks the other users. A roster read is cached (by content); a file that cannot be
read is remembered in the session by its hash with its problems, so a rerun (a language switch, another widget)
shows them again without reading the file again. Only "busy" (too many reads at once) is not remembered.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from peermatch.errors import Problem, RosterError
from peermatch.model import Roster
from peermatch.roster import read_roster
from peermatch.roster.worker import BUSY, run_isolated
from ui.i18n import current_lang, t
from ui.problems import show_problems
from ui.roster_fixes import fix_in_place
from ui.text import plain

__all__ = ["DEMO_ROSTER", "chosen_file", "file_key", "forget_file", "read_once", "roster_from_user"]

DEMO_ROSTER = Path(__file__).resolve().parent.parent / "data" / "demo_school.csv"
MAX_UPLOAD_MB = 20
REMEMBERED_FAILURES = 16  # per session


@st.cache_data(max_entries=16, show_spinner=False)
def _read(content: bytes, filename: str) -> Roster:
    return run_isolated(read_roster, (content,), {"filename": filename}, file=filename)


def file_key(name: str, content: bytes) -> str:
    """The file's identity in the session: its name (messages name it) and the SHA-256 of its content."""
    return f"{hashlib.sha256(content).hexdigest()}:{name}"


def _failures() -> dict[str, tuple[Problem, ...]]:
    failures = st.session_state.setdefault("roster_failed_reads", {})
    assert isinstance(failures, dict)
    return failures


def read_once(name: str, content: bytes) -> Roster:
    """The roster in the file; raises the :class:`RosterError` of its failed read, remembered per session."""
    key = file_key(name, content)
    failures = _failures()
    if key in failures:
        raise RosterError(failures[key])
    try:
        with st.spinner(t("upload.reading", file=plain(name))):
            return _read(content, name)
    except RosterError as exc:
        if not any(p.code == BUSY for p in exc.problems):
            while len(failures) >= REMEMBERED_FAILURES:
                failures.pop(next(iter(failures)))
            failures[key] = exc.problems
        raise


def _remember(file: tuple[str, bytes], prefix: str) -> None:
    """Keep the chosen file; a different file makes the previous matching result stale."""
    if st.session_state.get(f"{prefix}_file") != file:
        st.session_state[f"{prefix}_file"] = file
        st.session_state.pop("match_result", None)


def forget_file(prefix: str) -> None:
    """Drop the chosen file (e.g. after it was imported)."""
    st.session_state.pop(f"{prefix}_file", None)


def chosen_file(prefix: str = "roster") -> tuple[str, bytes] | None:
    file = st.session_state.get(f"{prefix}_file")
    return file if isinstance(file, tuple) else None


def roster_from_user(
    prefix: str = "roster", *, demo: bool = True, hint: str = "ui.roster.start_hint", fixable: bool = False
) -> Roster | None:
    """Upload widget (plus demo button); returns the roster read, or None after showing why not.

    ``prefix`` keeps the state of two pages apart (``{prefix}_upload``, ``{prefix}_file``); a roster with errors
    shows its problems and returns None, warnings don't block. ``fixable``: the rows with errors can be corrected
    in place (:func:`ui.roster_fixes.fix_in_place`), and the corrected roster is returned once no error is left.
    """
    upload = st.file_uploader(t("ui.roster.upload"), type=["csv", "txt", "xlsx", "xml"], key=f"{prefix}_upload",
                              help=t("ui.roster.upload_help"), max_upload_size=MAX_UPLOAD_MB)  # fmt: skip
    if upload is not None and upload.file_id != st.session_state.get(f"{prefix}_upload_seen"):
        st.session_state[f"{prefix}_upload_seen"] = upload.file_id  # each upload once, so the demo can replace it
        _remember((upload.name, upload.getvalue()), prefix)
    if demo and st.button(t("ui.roster.use_demo"), key="use_demo"):
        _remember((DEMO_ROSTER.name, DEMO_ROSTER.read_bytes()), prefix)
    file = chosen_file(prefix)
    if file is None:
        st.info(t(hint))
        return None
    name, content = file
    try:
        roster = read_once(name, content)
        if fixable and not roster.ok:
            roster = fix_in_place(prefix, name, content, roster)
    except RosterError as exc:
        st.error(t("ui.roster.unreadable", file=plain(name)))
        for problem in exc.problems:
            st.write(plain(problem.message(current_lang())))
        return None
    cols = st.columns(3)
    cols[0].metric(t("ui.roster.pupils"), len(roster.pupils))
    cols[1].metric(t("ui.roster.errors"), len(roster.errors))
    cols[2].metric(t("ui.roster.warnings"), len(roster.warnings))
    with st.expander(t("ui.roster.problems", file=name), expanded=not roster.ok):
        show_problems(roster.problems, key=f"{prefix}_problems")
    if not roster.ok:
        if not fixable:
            st.error(t("ui.roster.fix_first"))
        return None
    return roster
