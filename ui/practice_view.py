"""The Tutors page's practice sign-off: the teacher watched a tutor do a module's "Probeer het" role-play.

One tap per tutor ("Gezien"), the module's checklist above the names, and "Ongedaan maken" for a wrong tap.
"Klaar om te starten" needs this and the passed quizzes (``peermatch.training.Readiness``).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.services.training import GroupReadiness, sign_off_practice, undo_practice
from peermatch.training import Module, ModuleSet
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t

__all__ = ["default_practice_module", "practice_tab"]


def default_practice_module(choices: list[Module]) -> int:
    """The index of the module to offer first: the subject's own core module (it puts the routines together),
    else the last core module, else the first."""
    for i, module in enumerate(choices):
        if module.core and module.subject != "both":
            return i
    cores = [i for i, m in enumerate(choices) if m.core]
    return cores[-1] if cores else 0


def practice_tab(user: AuthenticatedUser, report: GroupReadiness, module_set: ModuleSet) -> None:
    """Choose the exercise, read its checklist, tap "Gezien" per tutor (or undo)."""
    st.caption(t("practice.staff.intro"))
    choices = list(module_set.modules_for(report.subject))
    if not choices:
        return
    module = st.selectbox(
        t("practice.staff.module"), choices, index=default_practice_module(choices), format_func=lambda m: m.title,
        key=f"practice_module_{report.subject.value}",
    )  # fmt: skip
    with st.container(border=True):
        st.markdown(f"**{t('practice.staff.checklist')}**")
        st.markdown(module.try_it or t("practice.staff.no_checklist"))
    if not report.tutors:
        st.info(t("practice.staff.no_tutors"))
        return
    for tutor in report.tutors:
        name = f"{tutor.first_name} {tutor.last_name}".strip()
        cols = st.columns([4, 3, 2])
        cols[0].markdown(f"**{name}**")
        others = [module_set[m].title for m in tutor.readiness.practised if m != module.id and m in module_set]
        status = t("practice.staff.quizzes", done=tutor.readiness.done, total=tutor.readiness.total)
        if others:
            status += " · " + t("practice.staff.signed_other", modules=", ".join(others))
        cols[1].caption(status)
        if module.id in tutor.readiness.practised:
            cols[0].caption(f"✅ {t('practice.staff.signed')}")
            if cols[2].button(t("practice.staff.undo"), key=f"practice_undo_{tutor.pupil_id}", width="stretch"):
                with shown_errors():
                    undo_practice(database(), user, tutor.pupil_id, module.id)
                    st.session_state["practice_note"] = t("practice.staff.undone_now", name=tutor.first_name)
                    st.rerun()
        elif cols[2].button(t("practice.staff.sign"), key=f"practice_sign_{tutor.pupil_id}", type="primary",
                            icon="✅", width="stretch"):  # fmt: skip
            with shown_errors():
                sign_off_practice(database(), user, tutor.pupil_id, module.id, module_set, today=date.today())
                st.session_state["practice_note"] = t("practice.staff.signed_now", name=tutor.first_name)
                st.rerun()
    note = st.session_state.pop("practice_note", None)
    if note:
        st.success(note)
