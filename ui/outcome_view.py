"""The before/after scale on a pupil's page ("Even 3 vragen over jezelf"), and its section on *Resultaten*.

A pupil taps one of five faces (with words) for each of the three statements; the tutee's page reads every
statement aloud on request, as their check-in does. "Dank je wel" appears only after ``save_outcome`` committed.
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.checkins import MOOD_EMOJI, mood_emoji
from peermatch.outcome_scale import ITEMS, MIN_CELL, ItemChange, Moment, OutcomeAnswer
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services.outcomes import (
    DueScale,
    OutcomeSummary,
    outcome_answers_per_pupil,
    programme_outcomes,
    save_outcome,
)
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.tutee_view import read_aloud_button

__all__ = ["outcome_card", "outcome_chart", "outcome_results", "outcome_saved_note"]

_SAVED = "outcome_saved"
_FACES = list(range(1, len(MOOD_EMOJI) + 1))


def _face_words(value: int) -> str:
    return f"{mood_emoji(value)} {t(f'outcome.face.{value}')}"


def outcome_saved_note() -> None:
    """ "Dank je wel!" (or "al beantwoord") once, after the rerun that follows a save."""
    saved = st.session_state.pop(_SAVED, None)
    if saved == "new":
        st.success(t("outcome.card.saved"), icon="🎉")
    elif saved == "again":
        st.info(t("outcome.card.already"))


def outcome_card(pupil: AuthenticatedPupil, due: DueScale, *, read_aloud: bool) -> None:
    """The three statements of ``due`` as a small form of taps; saved for the logged-in pupil's own pair."""
    lang = current_lang()
    key = f"outcome_{due.pair_id}_{due.moment.value}"
    with st.container(border=True, key=f"{key}_card"):
        st.markdown(f"### 📝 {t('outcome.card.title')}")
        st.caption(t(f"outcome.card.intro_{due.moment.value}"))
        if read_aloud:
            st.caption(t("outcome.card.read_aloud_hint"))
        with st.form(key):
            answers: dict[str, int | None] = {}
            for item in ITEMS:
                text = item.text(due.subject, lang)
                st.markdown(f"#### {item.picture} {text}")
                if read_aloud:
                    read_aloud_button(text, f"{key}_{item.key}")
                answers[item.key] = st.radio(text, _FACES, format_func=_face_words, index=None, horizontal=True,
                                             key=f"{key}_{item.key}", label_visibility="collapsed")  # fmt: skip
            st.caption(t("outcome.card.no_wrong"))
            submitted = st.form_submit_button(t("outcome.card.submit"), type="primary")
    if submitted:
        answer = OutcomeAnswer(due.pair_id, due.moment, answers["confidence"], answers["pleasure"], answers["courage"])
        with shown_errors():
            stored = save_outcome(database(), pupil, answer, today=date.today())
            st.session_state[_SAVED] = "new" if stored else "again"
            st.rerun()


def _number(value: float | None, *, signed: bool = False) -> str:
    """One decimal ("3,4" in Dutch, "+0,6" for a change); "–" for a suppressed value."""
    if value is None:
        return "–"
    text = f"{value:+.1f}" if signed else f"{value:.1f}"
    return text.replace(".", ",") if current_lang() == "nl" else text


def _table(items: tuple[ItemChange, ...]) -> pd.DataFrame:
    rows = [
        {
            t("outcome.results.role"): t(f"ib.role.{i.side.value}"),
            t("outcome.results.item"): t(f"outcome.short.{i.item}"),
            t("outcome.results.n_before"): i.n_before,
            t("outcome.results.mean_before"): _number(i.mean_before),
            t("outcome.results.n_after"): i.n_after,
            t("outcome.results.mean_after"): _number(i.mean_after),
            t("outcome.results.n_both"): i.n_both,
            t("outcome.results.change"): _number(i.change, signed=True),
        }
        for i in items
    ]
    return pd.DataFrame(rows)


def outcome_chart(items: tuple[ItemChange, ...]) -> alt.Chart:
    """Mean before and after per item, one panel per role (suppressed means are left out)."""
    rows = [
        {"rol": t(f"ib.role.{i.side.value}"), "vraag": t(f"outcome.short.{i.item}"),
         "moment": t(f"outcome.moment.{moment.value}"), "score": mean}
        for i in items
        for moment, mean in ((Moment.BEFORE, i.mean_before), (Moment.AFTER, i.mean_after))
        if mean is not None
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["rol", "vraag", "moment", "score"])
    order = [t("outcome.moment.voor"), t("outcome.moment.na")]
    chart: alt.Chart = (
        alt.Chart(frame, title=t("outcome.results.chart"))
        .mark_bar()
        .encode(x=alt.X("vraag:N", title=""), xOffset=alt.XOffset("moment:N", sort=order),
                y=alt.Y("score:Q", scale=alt.Scale(domain=[1, 5]), title=t("outcome.results.score")),
                color=alt.Color("moment:N", title=t("outcome.results.moment"), sort=order),
                column=alt.Column("rol:N", title=""), tooltip=["rol:N", "vraag:N", "moment:N", "score:Q"])
    )  # fmt: skip
    return chart


def outcome_results(user: AuthenticatedUser, programme_id: int) -> None:
    """The *Resultaten* section "Zelfvertrouwen en plezier, voor en na": a table per role and item with n, a chart
    of the means, the small-cell note, and (on request, audited) the answers per pupil."""
    st.subheader(t("outcome.results.title"))
    summary: OutcomeSummary | None = None
    with shown_errors():
        summary = programme_outcomes(database(), user, programme_id)
    if summary is None:
        return
    words = ", ".join(f"'{item.text(summary.subject, current_lang())}'" for item in ITEMS)
    st.caption(t("outcome.results.intro", items=words))
    if not summary.answered:
        st.info(t("outcome.results.none"))
        return
    st.dataframe(_table(summary.items), hide_index=True, width="stretch", key="outcome_table")
    if summary.suppressed:
        st.info(t("outcome.results.small", min=MIN_CELL), icon="🔒")
    if any(i.mean_before is not None or i.mean_after is not None for i in summary.items):
        st.altair_chart(outcome_chart(summary.items), width="stretch")
    with st.expander(t("outcome.results.per_pupil")):
        st.caption(t("outcome.results.per_pupil_note"))
        if st.button(t("outcome.results.per_pupil_show"), key="outcome_per_pupil"):
            with shown_errors():
                rows = outcome_answers_per_pupil(database(), user, programme_id)
                st.dataframe(
                    pd.DataFrame(
                        [
                            {
                                t("outcome.results.pupil"): r.pupil_name,
                                t("outcome.results.role"): t(f"ib.role.{r.side.value}"),
                                t("outcome.results.moment"): t(f"outcome.moment.{r.moment.value}"),
                                **{t(f"outcome.short.{item.key}"): v for item, v in zip(ITEMS, r.values, strict=True)},
                                t("outcome.results.date"): r.answered_on.strftime("%d-%m-%Y"),
                            }
                            for r in rows
                        ]
                    ),
                    hide_index=True,
                    width="stretch",
                )
