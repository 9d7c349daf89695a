"""Training: the module list (with what is passed), a module (story, tips, do's and don'ts), its quiz (a few
questions drawn from the module's pool, choices shuffled), the review (why an answer is wrong, the right one
only after a pass), retries with fresh questions, and the Tutorbewijs once the tutor is ready (every core
module passed and the practice signed off by the juf or meester)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from peermatch.services.training import QuizResult, quiz_paper, record_attempt
from peermatch.training import Module
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t
from ui.pupil import modules, require_pupil
from ui.quiz_view import quiz_form, quiz_review
from ui.scroll import scroll_to_top, scroll_to_top_next_run
from ui.tutor import certificate_button, home, readiness_block, subjects_of

_OPEN = "training_module"

pupil = require_pupil()
module_set = modules()


def _result_key(module: Module) -> str:
    return f"quiz_result_{module.id}"


def _show_list() -> None:
    st.title(t("tutor.training.title"))
    info = home(pupil)
    for readiness in info.readiness:
        readiness_block(readiness)
    certificate_button(info, key="certificate_training")
    subjects = subjects_of(info)
    shown = [m for m in module_set if any(m.applies_to(s) for s in subjects)] if subjects else list(module_set)
    for module in shown:
        with st.container(border=True):
            cols = st.columns([6, 2])
            mark = "✅" if info.progress.passed(module.id) else ("⭐" if module.core else "➕")
            cols[0].markdown(f"### {mark} {module.title}")
            kind = t("tutor.training.core") if module.core else t("tutor.training.optional")
            cols[0].caption(f"{kind} · {t('tutor.training.minutes', minutes=module.minutes)} · {module.summary}")
            if cols[1].button(t("tutor.training.open"), key=f"open_{module.id}", width="stretch"):
                st.session_state[_OPEN] = module.id
                scroll_to_top_next_run()  # the module starts at its title, not where the list was scrolled to
                st.rerun()


def _show_quiz(module: Module) -> None:
    st.header(t("tutor.training.quiz"))
    paper = quiz_paper(database(), pupil, module)  # the same on every rerun until this try is stored
    answers = quiz_form(module, paper)
    if answers is not None:
        with shown_errors():
            result = record_attempt(database(), pupil, module, answers, today=date.today(), paper=paper)
            st.session_state[_result_key(module)] = result
        st.rerun()


def _show_result(module: Module, result: QuizResult) -> None:
    st.header(t("tutor.training.quiz"))
    quiz_review(module, result)
    if st.button(t("tutor.training.retry"), key=f"retry_{module.id}"):
        st.session_state.pop(_result_key(module), None)  # the next paper is drawn afresh (attempt + 1)
        st.rerun()
    if result.passed:
        certificate_button(home(pupil), key="certificate_module")


def _show_module(module: Module) -> None:
    if st.button(t("tutor.training.back"), key="training_back", icon="⬅️"):
        st.session_state.pop(_OPEN, None)
        scroll_to_top_next_run()
        st.rerun()
    st.title(module.title)
    st.caption(t("tutor.training.minutes", minutes=module.minutes))
    st.markdown(module.body)
    st.divider()
    result = st.session_state.get(_result_key(module))
    if isinstance(result, QuizResult):
        _show_result(module, result)
    else:
        _show_quiz(module)


scroll_to_top()
with shown_errors():
    opened = module_set.get(str(st.session_state.get(_OPEN, "")))
    if opened is None:
        _show_list()
    else:
        _show_module(opened)
