"""The Paren page's parts: the published pairs, end a pair, replace a tutor (least disruption), print."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.pairing import explain
from peermatch.printing import PrintPair, pairs_pdf
from peermatch.services import pairs
from peermatch.services.matching import ProgrammeInfo
from peermatch.services.pairs import PairListing, RunInfo
from peermatch.vocabulary import PairStatus
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.privacy_view import audited_file
from ui.text import plain

__all__ = ["end_or_replace", "pairs_table", "print_button"]


def pairs_table(rows: list[PairListing]) -> None:
    lang = current_lang()
    frame = pd.DataFrame(
        {
            t("ui.match.tutor"): [f"{r.tutor_name} ({r.tutor_group})" for r in rows],
            t("ui.match.tutee"): [f"{r.tutee_name} ({r.tutee_group})" for r in rows],
            t("ui.pairs.status"): [t(f"ui.pairs.status_{r.pair.status.value}") for r in rows],
            t("ui.pairs.since"): [r.pair.start_date.isoformat() if r.pair.start_date else "" for r in rows],
            t("ui.pairs.end_reason"): [r.pair.end_reason or "" for r in rows],
            t("ui.match.why"): [explain(r.pair.explanation, lang) for r in rows],
        }
    )
    with st.container(key="published_pairs"):
        st.dataframe(frame, hide_index=True, width="stretch")


def _proposal(user: AuthenticatedUser, programme: ProgrammeInfo, rows: list[PairListing], row: PairListing) -> None:
    """Re-match only this tutee among tutors with a free place; store the proposal in session state."""
    pair = pairs.propose_replacement(database(), user, programme.id, [r.pair for r in rows], row.pair)
    st.session_state["replacement"] = (row.pair.id, pair)


def end_or_replace(user: AuthenticatedUser, programme: ProgrammeInfo, run: RunInfo, rows: list[PairListing]) -> None:
    active = [r for r in rows if r.pair.status is PairStatus.ACTIVE]
    if not active:
        return
    labels = {r.pair.id: f"{r.tutor_name} → {r.tutee_name}" for r in active}
    chosen = st.selectbox(t("ui.review.pair"), list(labels), format_func=labels.__getitem__, key="pair_choice")
    row = next(r for r in active if r.pair.id == chosen)
    reason = st.text_input(t("ui.pairs.reason"), key="end_reason", placeholder=t("ui.pairs.reason_placeholder"))
    c1, c2 = st.columns(2)
    if c1.button(t("ui.pairs.end"), key="end_pair"):
        with shown_errors():
            pairs.end_pair(database(), user, row.pair.id, reason=reason, on=date.today())
            st.session_state["pairs_message"] = t("ui.pairs.ended", pair=labels[chosen])
            st.session_state["pairs_tell"] = plain(t("farewell.staff.tell_end", tutor=row.tutor_first_name,
                                                     tutee=row.tutee_first_name))  # fmt: skip
        if "pairs_message" in st.session_state:
            st.rerun()
    if c2.button(t("ui.pairs.replace"), key="replace_tutor"):
        with shown_errors():
            _proposal(user, programme, rows, row)
    proposal = st.session_state.get("replacement")
    if proposal and proposal[0] == row.pair.id:
        pair = proposal[1]
        if pair is None:
            st.warning(t("ui.pairs.no_replacement", tutee=plain(row.tutee_name)))
            return
        proposal_text = t("ui.pairs.proposal", tutor=pair.tutor_name, group=pair.tutor_group, tutee=row.tutee_name)
        st.info(plain(proposal_text) + "  \n" + plain(pair.explanation(current_lang())))  # fmt: skip
        if st.button(t("ui.pairs.accept"), type="primary", key="accept_replacement"):
            with shown_errors():
                pairs.accept_replacement(database(), user, run.id, row.pair.id, pair,
                                         reason=reason or t("ui.pairs.replaced_reason"), on=date.today())  # fmt: skip
                st.session_state["pairs_message"] = t("ui.pairs.replaced", tutor=pair.tutor_name, tutee=row.tutee_name)
                st.session_state["pairs_tell"] = plain(t("farewell.staff.tell_replace", old=row.tutor_first_name,
                                                         new=pair.tutor_name,
                                                         tutee=row.tutee_first_name))  # fmt: skip
            if "pairs_message" in st.session_state:
                st.session_state.pop("replacement", None)
                st.rerun()


def print_button(programme: ProgrammeInfo, rows: list[PairListing]) -> None:
    lang = current_lang()
    spec = programme.spec
    moments = ", ".join(f"{t(f'ui.weekday.{m.weekday}')} {m.start:%H:%M}-{m.end:%H:%M}" for m in spec.moments)
    subtitle = f"{t(f'ui.subject.{spec.subject.value}')} · {moments}"
    pairs = [
        PrintPair(r.tutor_name, r.tutor_first_name, r.tutor_group, r.tutee_name, r.tutee_first_name, r.tutee_group)
        for r in rows
        if r.pair.status is PairStatus.ACTIVE
    ]
    title = spec.name

    def pdf() -> bytes:  # made only when clicked, in its own thread: no Streamlit calls, everything captured
        return pairs_pdf(title, subtitle, pairs, lang)

    data = audited_file(database(), require_user(), "pairs_pdf", programme.id, pdf)  # the pair list and cards
    st.download_button(t("ui.pairs.print"), data, file_name="koppels.pdf", mime="application/pdf", key="print_pairs",
                       on_click="ignore")  # fmt: skip
