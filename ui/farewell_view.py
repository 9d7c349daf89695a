"""A proper start and farewell (issue 13, item 4): the tutor's prompt for the kennismaking and for the last two
sessions on *Mijn maatje*, and the teacher's farewell cards on *Paren*."""

from __future__ import annotations

import streamlit as st

from peermatch.farewell_card import FarewellPair, farewell_cards_pdf
from peermatch.pair_stage import PairStage, Stage
from peermatch.services.matching import ProgrammeInfo
from peermatch.services.pairs import PairListing
from peermatch.vocabulary import PairStatus
from ui.auth import require_user
from ui.db import database
from ui.i18n import current_lang, t
from ui.privacy_view import audited_file

__all__ = ["farewell_download", "stage_block"]


def stage_block(stage: PairStage) -> None:
    """The kennismaking questions before the first session; "nog 2 keer samen" before the end."""
    if stage.stage is Stage.FIRST:
        with st.container(border=True):
            st.markdown(f"**👋 {t('farewell.pupil.first_title')}**")
            st.markdown(t("farewell.pupil.first_intro"))
            st.markdown("\n".join(f"- {t(f'farewell.pupil.first_q{i}')}" for i in (1, 2, 3, 4)))
            st.markdown(t("farewell.pupil.first_self"))
    elif stage.stage is Stage.ENDING:
        title = t("farewell.pupil.ending_title_last") if stage.left == 1 else t("farewell.pupil.ending_title",
                                                                                 left=stage.left)  # fmt: skip
        with st.container(border=True):
            st.markdown(f"**🌟 {title}**")
            st.markdown(t("farewell.pupil.ending_intro"))
            st.markdown(t("farewell.pupil.ending_card"))


def farewell_download(programme: ProgrammeInfo, rows: list[PairListing]) -> None:
    """The farewell cards of the programme's running pairs: one page per pair, a card for each child."""
    lang = current_lang()
    subject = programme.spec.subject.value
    pairs = [FarewellPair(r.tutor_first_name, r.tutee_first_name, subject)
             for r in rows if r.pair.status is PairStatus.ACTIVE]  # fmt: skip
    title = t("farewell.card.file_title")

    def pdf() -> bytes:  # made only when clicked, in its own thread: no Streamlit calls, everything captured
        return farewell_cards_pdf(pairs, title, lang)

    data = audited_file(database(), require_user(), "farewell_cards", programme.id, pdf)
    st.download_button(t("farewell.staff.download"), data, file_name="afscheidskaartjes.pdf", mime="application/pdf",
                       help=t("farewell.staff.download_help"), key="farewell_cards", on_click="ignore")  # fmt: skip
