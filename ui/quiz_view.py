"""The quiz of a training module: the drawn paper as a form, and the review after a try.

The paper (which questions, the choices in which order) comes from ``peermatch.services.training.quiz_paper``
and is the same on every rerun until the try is stored. After a failed try the review says which questions
were wrong and why the chosen answer is wrong, never which answer is right; after a pass it shows it all.
"""

from __future__ import annotations

import streamlit as st

from peermatch.training import Module, Paper, QuizResult, review
from ui.i18n import t

__all__ = ["quiz_form", "quiz_review"]


def quiz_form(module: Module, paper: Paper) -> dict[str, str | None] | None:
    """The paper's questions with their choices in the paper's order; the answers once submitted, else None."""
    st.caption(t("practice.quiz.intro", count=len(paper.asked)))
    with st.form(f"quiz_{module.id}_{paper.attempt}"):
        answers: dict[str, str | None] = {}
        for number, asked in enumerate(paper.asked, start=1):
            question = module.question(asked.question_id)
            if question is None:
                continue
            texts = {c.id: c.text for c in question.choices}
            answers[question.id] = st.radio(
                f"{number}. {question.question}",
                options=list(asked.choice_order),
                format_func=lambda cid, texts=texts: texts[cid],  # type: ignore[misc]
                index=None,
                key=f"q_{module.id}_{paper.attempt}_{question.id}",
            )
        submitted = st.form_submit_button(t("tutor.training.check"), type="primary")
    return answers if submitted else None


def quiz_review(module: Module, result: QuizResult) -> None:
    """Per question: right or not and why (the chosen answer's feedback); the right answer only after a pass."""
    for number, item in enumerate(review(module, result), start=1):
        head = f"**{number}. {item.question}**\n\n"
        if item.chosen_text is None:
            st.warning(head + t("training.quiz.unanswered"))
            continue
        chosen = t("practice.quiz.your_answer", answer=item.chosen_text) + "\n\n"
        if item.correct:
            st.success(head + chosen + t("practice.quiz.why_right", why=item.explanation or ""))
            continue
        text = head + chosen + t("practice.quiz.why_wrong", why=item.explanation or "")
        if item.right_text is not None:
            text += "\n\n" + t("practice.quiz.right_was", answer=item.right_text, why=item.right_feedback or "")
        st.error(text)
    if result.passed:
        st.balloons()
        st.success(t("training.quiz.passed", correct=result.correct, total=result.total))
    else:
        st.info(t("training.quiz.not_passed", correct=result.correct, total=result.total))
        st.caption(t("practice.quiz.think_again"))
