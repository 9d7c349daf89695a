"""Keeping a group's roster up to date on *Leerlingen*: role, motivation and taking part in one table, and
pupils who leave (with an undo up to the leaving date).

The table is rebuilt from the database on every run and its output is never fed back as its input
(Streamlit #7749); a save bumps the key. Every change goes through :mod:`peermatch.services.pupil_upkeep`,
which checks the ids against the acting user and audits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import pandas as pd
import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.i18n.formatting import long_date, plural
from peermatch.model import Role
from peermatch.records import PupilInfo
from peermatch.services.pupil_upkeep import DetailsEdit, mark_leaving, save_details, undo_leaving
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.text import plain

__all__ = ["details_editor", "leave_controls", "show_saved"]

_ROLE_KEYS = {Role.OPEN: "open", Role.TUTOR: "tutor", Role.TUTEE: "tutee", Role.NONE: "geen"}
_SAVED = "upkeep_saved"


def _role_labels() -> dict[Role, str]:
    return {role: t(f"upkeep.role.{key}") for role, key in _ROLE_KEYS.items()}


def show_saved() -> None:
    """The success line of the last save (kept over the rerun that shows the new table)."""
    if saved := st.session_state.pop(_SAVED, None):
        st.success(saved)


def _frame(pupils: Sequence[PupilInfo]) -> pd.DataFrame:
    labels = _role_labels()
    lang = current_lang()
    return pd.DataFrame(
        {
            "id": [p.id for p in pupils],
            t("upkeep.ui.col_number"): [p.pupil_number for p in pupils],
            t("upkeep.ui.col_name"): [p.display_name for p in pupils],
            t("upkeep.ui.col_role"): [labels[p.role] for p in pupils],
            t("upkeep.ui.col_motivation"): pd.array([p.motivation for p in pupils], dtype="Int64"),
            t("upkeep.ui.col_not_taking_part"): [not p.takes_part for p in pupils],
            t("upkeep.ui.col_leaving"): [long_date(p.left_on, lang) if p.left_on else "" for p in pupils],
        }
    ).set_index("id")


def _motivation(value: object) -> object:
    """The cell as the service wants it: None when empty, else the value as typed (the service checks it)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def details_editor(user: AuthenticatedUser, group_id: int, pupils: Sequence[PupilInfo]) -> None:
    """Role (selectbox), motivation (1-5) and 'doet niet mee' of the group's pupils; saved all or nothing."""
    st.subheader(t("upkeep.ui.details_title"))
    st.caption(t("upkeep.ui.details_hint"))
    base = _frame(pupils)
    labels = _role_labels()
    values = {label: role.value for role, label in labels.items()}
    role_col, motivation_col = t("upkeep.ui.col_role"), t("upkeep.ui.col_motivation")
    out_col = t("upkeep.ui.col_not_taking_part")
    version = st.session_state.setdefault("details_version", 0)
    edited = st.data_editor(
        base,
        key=f"details_{group_id}_{version}",
        hide_index=True,
        disabled=[t("upkeep.ui.col_number"), t("upkeep.ui.col_name"), t("upkeep.ui.col_leaving")],
        column_config={
            role_col: st.column_config.SelectboxColumn(options=list(labels.values()), required=True),
            motivation_col: st.column_config.NumberColumn(min_value=1, max_value=5, step=1),
            out_col: st.column_config.CheckboxColumn(),
        },
    )
    if not st.button(t("upkeep.ui.save_details"), key="save_details"):
        return
    by_id = {p.id: p for p in pupils}
    edits = []
    for pupil_id in base.index:
        pupil = by_id[int(pupil_id)]
        role_label = edited.at[pupil_id, role_col]
        role = values.get(str(role_label), str(role_label) if role_label is not None else "")
        motivation = _motivation(edited.at[pupil_id, motivation_col])
        takes_part = not bool(edited.at[pupil_id, out_col])
        if (role, motivation, takes_part) != (pupil.role.value, pupil.motivation, pupil.takes_part):
            edits.append(DetailsEdit(pupil.id, role, motivation, takes_part=takes_part))
    if not edits:
        st.info(t("upkeep.ui.nothing_changed"))
        return
    with shown_errors():
        changed = save_details(database(), user, edits)
        st.session_state["details_version"] = version + 1
        st.session_state[_SAVED] = plural("upkeep.ui.details_saved", changed, current_lang())
        st.rerun()


def leave_controls(user: AuthenticatedUser, pupils: Sequence[PupilInfo], everyone: Sequence[PupilInfo]) -> None:
    """Mark a pupil of the group (``pupils``: those still there) as leaving on a date (default today), and undo
    a leave up to and including its date (``everyone``: the group with the pupils who left)."""
    st.subheader(t("upkeep.ui.leave_title"))
    st.caption(t("upkeep.ui.leave_hint"))
    lang = current_lang()
    staying = {p.id: p.display_name for p in pupils if p.left_on is None}
    version = st.session_state.setdefault("leave_version", 0)  # a new key after a leave: the choice is cleared
    choice = st.selectbox(t("upkeep.ui.leave_pupil"), list(staying), index=None, key=f"leave_pupil_{version}",
                          format_func=staying.__getitem__)  # fmt: skip
    day = st.date_input(t("upkeep.ui.leave_on"), value=date.today(), key="leave_on", format="DD-MM-YYYY")
    if st.button(t("upkeep.ui.leave_button"), key="mark_leaving", disabled=choice is None) and choice is not None:
        with shown_errors():
            report = mark_leaving(database(), user, int(choice), on=day)
            st.session_state[_SAVED] = t("upkeep.ui.left_saved", name=report.pupil.display_name,
                                         date=long_date(day, lang),
                                         pairs=plural("upkeep.ui.pairs", report.pairs, lang))  # fmt: skip
            st.session_state["leave_version"] = version + 1
            st.rerun()
    today = date.today()
    for pupil in everyone:
        if pupil.left_on is None or pupil.left_on < today:
            continue
        line, undo = st.columns([4, 1])
        line.write(plain(t("upkeep.ui.leaving_line", name=pupil.display_name, date=long_date(pupil.left_on, lang))))
        if undo.button(t("upkeep.ui.undo"), key=f"undo_leave_{pupil.id}"):
            with shown_errors():
                report = undo_leaving(database(), user, pupil.id)
                st.session_state[_SAVED] = t("upkeep.ui.undone", name=pupil.display_name,
                                             pairs=plural("upkeep.ui.pairs", report.pairs, lang))  # fmt: skip
                st.rerun()
