"""The Leerlingen page's parts: commit a previewed roster, and the levels table of one group.

Editing a level adds a NEW dated measurement (the history stays); the editor's output is never fed
back as its input (Streamlit #7749): the table is rebuilt from the database, and a save bumps the key.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.levels import parse_level
from peermatch.model import Roster, Subject
from peermatch.storage.importing import import_roster
from peermatch.storage.measurements import add_measurement, latest_levels_of
from peermatch.storage.pupils import list_pupils
from ui.db import session
from ui.errors import shown_errors
from ui.i18n import t

__all__ = ["commit_roster", "levels_editor"]

_SUBJECTS = {Subject.LEZEN: "ui.pupils.reading", Subject.REKENEN: "ui.pupils.maths"}


def commit_roster(user: AuthenticatedUser, roster: Roster, filename: str, measured_on: date) -> bool:
    """Import the previewed roster all-or-nothing; True when it was stored."""
    with shown_errors(), session() as s:
        report = import_roster(s, user.school_id, roster, measured_on=measured_on, source=filename, actor=user)
        st.session_state["import_report"] = t(
            "ui.pupils.imported",
            created=report.pupils_created,
            updated=report.pupils_updated,
            unchanged=report.pupils_unchanged,
            levels=report.measurements_added + report.measurements_changed,
            groups=", ".join(report.groups_created) or "-",
        )
        return True
    return False


def _levels_frame(user: AuthenticatedUser, group_id: int) -> pd.DataFrame:
    with session() as s:
        pupils = list_pupils(s, user, group_id)
        levels = latest_levels_of(s, [p.id for p in pupils])
    frame = pd.DataFrame(
        {
            "id": [p.id for p in pupils],
            t("ui.pupils.number"): [p.pupil_number for p in pupils],
            t("ui.pupils.name"): [p.display_name for p in pupils],
        }
    )
    for subject, label in _SUBJECTS.items():
        frame[t(label)] = [levels[p.id][subject].code if subject in levels[p.id] else "" for p in pupils]
    return frame.set_index("id")


def levels_editor(user: AuthenticatedUser, group_id: int, measured_on: date) -> None:
    """The group's pupils with their newest levels; changed cells become new measurements on ``measured_on``."""
    with shown_errors():
        base = _levels_frame(user, group_id)
        version = st.session_state.setdefault("levels_version", 0)
        fixed = [t("ui.pupils.number"), t("ui.pupils.name")]
        edited = st.data_editor(base, disabled=fixed, key=f"levels_{group_id}_{version}", hide_index=True)
        if not st.button(t("ui.pupils.save_levels"), key="save_levels"):
            return
        changes = 0
        with session() as s:
            for pupil_id in base.index:
                for subject, label in _SUBJECTS.items():
                    new = str(edited.at[pupil_id, t(label)] or "").strip()
                    if new and new != base.at[pupil_id, t(label)]:
                        level = parse_level(subject, new)
                        add_measurement(s, user, int(pupil_id), level, measured_on=measured_on, source="app")
                        changes += 1
        st.session_state["levels_version"] = version + 1
        st.session_state["levels_saved"] = t("ui.pupils.levels_saved", count=changes)
        st.rerun()
