"""The Leerlingen page's parts: commit a previewed roster, and the levels table of one group.

Editing a level adds a NEW dated measurement (the history stays); the editor's output is never fed
back as its input (Streamlit #7749): the table is rebuilt from the database, and a save bumps the key.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.i18n import translate
from peermatch.i18n.formatting import plural
from peermatch.levels import ambiguous_choices
from peermatch.model import Roster, Subject
from peermatch.services.levels import LevelEntry, group_levels, record_levels
from peermatch.services.roster_import import ImportReport, commit_import, preview_import
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.text import plain

__all__ = ["commit_roster", "levels_editor", "show_preview"]

_SUBJECTS = {Subject.LEZEN: "ui.pupils.reading", Subject.REKENEN: "ui.pupils.maths"}


def _counts(report: ImportReport) -> dict[str, object]:
    return {
        "created": plural("ui.pupils.new_pupils", report.pupils_created, current_lang()),
        "updated": report.pupils_updated,
        "unchanged": report.pupils_unchanged,
        "levels": plural("ui.pupils.levels", report.measurements_added + report.measurements_changed, current_lang()),
        "groups": ", ".join(report.groups_created) or "-",
    }


def show_preview(user: AuthenticatedUser, roster: Roster, filename: str, measured_on: date) -> None:
    """One line on what importing the roster would change (a dry run: nothing is stored), or why it is refused."""
    with shown_errors():
        report = preview_import(database(), user, roster, measured_on=measured_on, source=filename)
        st.caption(t("ui.pupils.preview", **_counts(report)))


def commit_roster(user: AuthenticatedUser, roster: Roster, filename: str, measured_on: date) -> bool:
    """Import the previewed roster all-or-nothing; True when it was stored."""
    with shown_errors():
        report = commit_import(database(), user, roster, measured_on=measured_on, source=filename)
        st.session_state["import_report"] = t("ui.pupils.imported", **_counts(report))
        return True
    return False


def _levels_frame(user: AuthenticatedUser, group_id: int) -> pd.DataFrame:
    rows = group_levels(database(), user, group_id)
    frame = pd.DataFrame(
        {
            "id": [r.pupil.id for r in rows],
            t("ui.pupils.number"): [r.pupil.pupil_number for r in rows],
            t("ui.pupils.name"): [r.pupil.display_name for r in rows],
        }
    )
    for subject, label in _SUBJECTS.items():
        frame[t(label)] = [r.code(subject) for r in rows]
    return frame.set_index("id")


def _ask(pupil_name: str, entry: LevelEntry, lang: str) -> str | None:
    """A choice for a typed level that could mean more than one (a bare AVI number); None until chosen."""
    choices = ambiguous_choices(entry.subject, entry.written)
    labels = {c: t("upkeep.ui.old_avi", n=c.split()[1]) if c.endswith(" oud") else f"AVI {c}" for c in choices}
    return st.selectbox(
        t("upkeep.ui.ask_level", name=pupil_name, value=entry.written, subject=t(_SUBJECTS[entry.subject])),
        choices, index=None, format_func=labels.__getitem__, placeholder=t("upkeep.ui.choose"),
        key=f"level_choice_{entry.pupil_id}_{entry.subject.value}_{entry.written}",
    )  # fmt: skip


def levels_editor(user: AuthenticatedUser, group_id: int, measured_on: date) -> None:
    """The group's pupils with their newest levels; changed cells become new measurements on ``measured_on``.

    A typed level that could mean more than one (a bare ``4``: AVI M4, E4 or the old AVI 4) is never guessed:
    a choice appears under the table, and saving is refused (naming the value and the choices) until it is made.
    """
    with shown_errors():
        base = _levels_frame(user, group_id)
        version = st.session_state.setdefault("levels_version", 0)
        fixed = [t("ui.pupils.number"), t("ui.pupils.name")]
        edited = st.data_editor(base, disabled=fixed, key=f"levels_{group_id}_{version}", hide_index=True)
        entries = [
            LevelEntry(int(pupil_id), subject, new)
            for pupil_id in base.index
            for subject, label in _SUBJECTS.items()
            if (new := str(edited.at[pupil_id, t(label)] or "").strip()) and new != base.at[pupil_id, t(label)]
        ]
        lang = current_lang()
        chosen = {}
        for entry in entries:
            if ambiguous_choices(entry.subject, entry.written):
                chosen[entry] = _ask(str(base.at[entry.pupil_id, t("ui.pupils.name")]), entry, lang)
        if not st.button(t("ui.pupils.save_levels"), key="save_levels"):
            return
        open_questions = [entry for entry, choice in chosen.items() if choice is None]
        if open_questions:
            for entry in open_questions:
                choices = ", ".join(ambiguous_choices(entry.subject, entry.written))
                st.error(plain(translate("levels.ambiguous", lang, value=entry.written, choices=choices)))
            return
        entries = [replace(e, written=choice) if (choice := chosen.get(e)) else e for e in entries]
        changes = record_levels(database(), user, entries, measured_on=measured_on, source="app")
        st.session_state["levels_version"] = version + 1
        st.session_state["levels_saved"] = t("ui.pupils.levels_saved", count=changes)
        st.rerun()
