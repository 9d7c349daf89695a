"""Training: the module list (with what is passed), a module (story, tips, do's and don'ts), its quiz with
feedback per answer, retries, and the Tutorbewijs when every core module is passed."""

from __future__ import annotations

from datetime import date

import streamlit as st

from peermatch.services.training import QuizResult, record_attempt
from peermatch.training import Module
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t
from ui.pupil import modules, require_pupil
from ui.scroll import scroll_to_top, scroll_to_top_next_run
from ui.tutor import certificate_button, home, readiness_block, subjects_of

_OPEN = "training_module"

pupil = require_pupil()
module_set = modules()


def _result_key(module: Module) -> str:
    return f"quiz_result_{module.id}"


def _round_key(module: Module) -> str:
    return f"quiz_round_{module.id}"


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


def _show_feedback(module: Module, result: QuizResult) -> None:
    for number, (question, outcome) in enumerate(zip(module.quiz, result.questions, strict=True), start=1):
        text = f"**{number}. {question.question}**\n\n"
        if not outcome.answered:
            st.warning(text + t("training.quiz.unanswered"))
        elif outcome.correct:
            st.success(text + f"✅ {outcome.feedback}")
        else:
            right = question.correct_choice.text
            st.error(text + f"❌ {outcome.feedback}\n\n" + t("tutor.training.right_answer", answer=right))
    if result.passed:
        st.balloons()
        st.success(t("training.quiz.passed", correct=result.correct, total=result.total))
    else:
        st.info(t("training.quiz.not_passed", correct=result.correct, total=result.total))
    if st.button(t("tutor.training.retry"), key=f"retry_{module.id}"):
        st.session_state.pop(_result_key(module), None)
        st.session_state[_round_key(module)] = st.session_state.get(_round_key(module), 0) + 1
        st.rerun()


def _show_quiz(module: Module) -> None:
    st.header(t("tutor.training.quiz"))
    round_no = st.session_state.get(_round_key(module), 0)
    with st.form(f"quiz_{module.id}_{round_no}"):
        answers: dict[str, str | None] = {}
        for number, question in enumerate(module.quiz, start=1):
            texts = {c.id: c.text for c in question.choices}
            answers[question.id] = st.radio(
                f"{number}. {question.question}",
                options=list(texts),
                format_func=lambda cid, texts=texts: texts[cid],  # type: ignore[misc]
                index=None,
                key=f"q_{module.id}_{round_no}_{question.id}",
            )
        submitted = st.form_submit_button(t("tutor.training.check"), type="primary")
    if submitted:
        with shown_errors():
            result = record_attempt(database(), pupil, module, answers, today=date.today())
            st.session_state[_result_key(module)] = result
        st.rerun()


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
        st.header(t("tutor.training.quiz"))
        _show_feedback(module, result)
        if result.passed:
            certificate_button(home(pupil), key="certificate_module")
    else:
        _show_quiz(module)


scroll_to_top()
with shown_errors():
    opened = module_set.get(str(st.session_state.get(_OPEN, "")))
    if opened is None:
        _show_list()
    else:
        _show_module(opened)
