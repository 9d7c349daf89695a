"""The "Niveaus toevoegen" step on the Leerlingen page: level files from the pupil-tracking system, a preview
naming every row that does not fit, then all or nothing (:mod:`peermatch.services.level_import`)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from peermatch.auth.policy import AuthenticatedUser
from peermatch.errors import Problem, RosterError
from peermatch.i18n.formatting import plural
from peermatch.roster.levels_file import LevelFile, read_level_file
from peermatch.services.level_import import commit_levels, preview_levels
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.problems import show_problems
from ui.text import plain

__all__ = ["add_levels_step"]

MAX_UPLOAD_MB = 20


@st.cache_data(max_entries=32, show_spinner=False)
def _read(content: bytes, filename: str) -> LevelFile | tuple[Problem, ...]:
    """The level file, or the problems that make it unreadable (cached per file, like the class list)."""
    try:
        return read_level_file(content, filename=filename)
    except RosterError as exc:
        return exc.problems


def _files(uploads: list[tuple[str, bytes]]) -> list[LevelFile] | None:
    """Every uploaded file read; ``None`` (after saying why, per file) when one cannot be read at all."""
    files: list[LevelFile] = []
    readable = True
    for name, content in uploads:
        found = _read(content, name)
        if isinstance(found, LevelFile):
            files.append(found)
            continue
        readable = False
        st.error(t("levelfile.ui.unreadable", file=plain(name)))
        for problem in found:
            st.write(plain(problem.message(current_lang())))
    return files if readable else None


def _counts(levels: int, pupils: int) -> dict[str, str]:
    lang = current_lang()
    return {
        "levels": plural("levelfile.count.levels", levels, lang),
        "pupils": plural("levelfile.count.pupils", pupils, lang),
    }


def add_levels_step(user: AuthenticatedUser) -> None:
    """Upload level files, preview (every unmatched row named), store all or nothing, each level dated."""
    st.subheader(t("levelfile.ui.title"))
    if saved := st.session_state.pop("levels_import_report", None):
        st.success(saved)
    st.caption(t("levelfile.ui.intro"))
    generation = st.session_state.get("levels_upload_generation", 0)  # a new uploader (empty) after saving
    uploads = st.file_uploader(t("levelfile.ui.upload"), type=["csv", "txt", "xlsx"], accept_multiple_files=True,
                               key=f"levels_upload_{generation}", max_upload_size=MAX_UPLOAD_MB)  # fmt: skip
    if not uploads:
        return
    files = _files([(u.name, u.getvalue()) for u in uploads])
    if files is None:
        return
    day = st.date_input(t("levelfile.ui.measured_on"), value=date.today(), key="levels_file_date", format="DD-MM-YYYY")
    report = None
    with shown_errors():
        report = preview_levels(database(), user, files, measured_on=day)
    if report is None:
        return
    if not report.known_pupils:
        st.info(t("levelfile.ui.no_pupils"))
        return
    st.write(t("levelfile.ui.preview", unchanged=report.unchanged, **_counts(report.levels, report.pupils)))
    with st.expander(t("levelfile.ui.problems"), expanded=not report.ok):
        show_problems(report.problems, key="levels_problems")
    if not report.ok:
        st.error(t("levelfile.ui.fix_first"))
    if st.button(t("levelfile.ui.commit"), type="primary", key="commit_levels", disabled=not report.ok):
        with shown_errors():
            done = commit_levels(database(), user, files, measured_on=day)
            st.session_state["levels_import_report"] = t("levelfile.ui.saved", **_counts(done.levels, done.pupils))
            st.session_state["levels_upload_generation"] = generation + 1
            st.rerun()
