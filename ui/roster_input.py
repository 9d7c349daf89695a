"""Getting a roster into the app: an upload or the synthetic demo school, read once per file."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from peermatch.errors import RosterError
from peermatch.model import Roster
from peermatch.roster import read_roster
from ui.i18n import current_lang, t
from ui.problems import show_problems

__all__ = ["DEMO_ROSTER", "roster_from_user"]

DEMO_ROSTER = Path(__file__).resolve().parent.parent / "data" / "demo_school.csv"
MAX_UPLOAD_MB = 20


@st.cache_data(max_entries=16, show_spinner=False)
def _read(content: bytes, filename: str) -> Roster:
    return read_roster(content, filename=filename)


def _remember(file: tuple[str, bytes]) -> None:
    """Keep the chosen file; a different file makes the previous matching result stale."""
    if st.session_state.get("roster_file") != file:
        st.session_state["roster_file"] = file
        st.session_state.pop("match_result", None)


def roster_from_user() -> Roster | None:
    """Upload widget plus demo button; returns the roster read, or None after showing why not."""
    upload = st.file_uploader(t("ui.roster.upload"), type=["csv", "txt", "xlsx", "xml"], key="roster_upload",
                              help=t("ui.roster.upload_help"), max_upload_size=MAX_UPLOAD_MB)  # fmt: skip
    if upload is not None and upload.file_id != st.session_state.get("roster_upload_seen"):
        st.session_state["roster_upload_seen"] = upload.file_id  # take each upload once, so the demo can replace it
        _remember((upload.name, upload.getvalue()))
    if st.button(t("ui.roster.use_demo"), key="use_demo"):
        _remember((DEMO_ROSTER.name, DEMO_ROSTER.read_bytes()))
    if "roster_file" not in st.session_state:
        st.info(t("ui.roster.start_hint"))
        return None
    name, content = st.session_state["roster_file"]
    try:
        roster = _read(content, name)
    except RosterError as exc:
        st.error(t("ui.roster.unreadable", file=name))
        for problem in exc.problems:
            st.write(problem.message(current_lang()))
        return None
    cols = st.columns(3)
    cols[0].metric(t("ui.roster.pupils"), len(roster.pupils))
    cols[1].metric(t("ui.roster.errors"), len(roster.errors))
    cols[2].metric(t("ui.roster.warnings"), len(roster.warnings))
    with st.expander(t("ui.roster.problems", file=name), expanded=not roster.ok):
        show_problems(roster.problems, key="roster_problems")
    if not roster.ok:
        st.error(t("ui.roster.fix_first"))
        return None
    return roster
