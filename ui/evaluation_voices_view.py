"""The evaluation talk's own parts for each child and the relationship item, for the page where evaluation
talks are entered (Paren volgen): a form beside ``ui.monitoring_view.evaluation_form`` and the earlier talks."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.checkins import mood_emoji
from peermatch.services.evaluation_voices import add_evaluation_voices, evaluation_voices
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t

__all__ = ["evaluation_voices_block"]

_PART_MAX = 1000


def evaluation_voices_block(user: AuthenticatedUser, pair_id: str) -> None:
    """The talk with the tutor and the tutee apart ("wat vind jij?") and "Hoe gaat het samen?" (1-5, faces)."""
    st.subheader(t("tutee.eval.title"))
    st.caption(t("tutee.eval.caption"))
    saved_key = f"voices_saved_{pair_id}"
    if st.session_state.pop(saved_key, False):
        st.success(t("tutee.eval.saved"))
    with st.form(f"voices_{pair_id}", clear_on_submit=True):
        held_on = st.date_input(t("tutee.eval.date"), value=date.today(), format="DD-MM-YYYY", key="voices_date")
        tutor_part = st.text_area(t("tutee.eval.tutor_part"), max_chars=_PART_MAX, key="voices_tutor")
        tutee_part = st.text_area(t("tutee.eval.tutee_part"), max_chars=_PART_MAX, key="voices_tutee")
        together = st.radio(t("tutee.eval.relationship"), [1, 2, 3, 4, 5], format_func=mood_emoji, index=None,
                            horizontal=True, key="voices_together")  # fmt: skip
        if st.form_submit_button(t("tutee.eval.submit"), key="voices_save"):
            with shown_errors():
                add_evaluation_voices(database(), user, pair_id, held_on=held_on if isinstance(held_on, date)
                                      else date.today(), tutor_part=tutor_part, tutee_part=tutee_part,
                                      relationship=together)  # fmt: skip
                st.session_state[saved_key] = True
                st.rerun()
    talks = []
    with shown_errors():
        talks = [v for v in evaluation_voices(database(), user, pair_id) if v.tutor_part or v.tutee_part or
                 v.relationship is not None]  # fmt: skip
    st.markdown(f"**{t('tutee.eval.list_title')}**")
    if not talks:
        st.caption(t("tutee.eval.none_yet"))
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("tutee.eval.col.date"): v.held_on.strftime("%d-%m-%Y"),
                    t("tutee.eval.col.tutor"): v.tutor_part,
                    t("tutee.eval.col.tutee"): v.tutee_part,
                    t("tutee.eval.col.together"): mood_emoji(v.relationship) or t("tutee.eval.relationship_none"),
                    t("tutee.eval.col.by"): v.by,
                }
                for v in reversed(talks)
            ]
        ),
        hide_index=True,
        width="stretch",
    )
