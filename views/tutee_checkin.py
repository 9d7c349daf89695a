"""The tutee's own check-in after the session, on their own login: three taps on faces (pictures and words,
read aloud on request) and "Ik wil de juf iets vertellen". Private: the tutor never sees any of it; the
message is a signal for the teacher and the IB'er. "Dank je wel" appears only after the save committed."""

from __future__ import annotations

from datetime import date

import streamlit as st

from peermatch.services.notifications import announce_tutee_message
from peermatch.services.tutee import TuteeAnswers, save_tutee_checkin, tutee_home
from peermatch.tutee_checkin import TUTEE_ITEMS
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.pupil import require_pupil
from ui.text import plain
from ui.tutee_view import face_question, read_aloud_button

_SAVED, _ROUND = "tutee_saved", "tutee_round"

pupil = require_pupil()
lang = current_lang()
home = None
with shown_errors():
    home = tutee_home(database(), pupil)
if home is None:
    st.stop()
cards = {card.pair_id: card for card in home.maatjes}
if not cards:
    st.info(t("tutee.home.no_pair"))
    st.stop()
pair_id = next(iter(cards))
if len(cards) > 1:
    pair_id = st.selectbox(
        t("tutee.checkin.pair"), list(cards), format_func=lambda p: cards[p].tutor_first_name, key="tutee_pair"
    )
st.title(t("tutee.checkin.title", name=plain(cards[pair_id].tutor_first_name)))

saved = st.session_state.pop(_SAVED, None)
if saved == "told":
    st.success(t("tutee.checkin.saved_tell"), icon="🔒")
elif saved == "saved":
    st.success(t("tutee.checkin.saved"), icon="🎉")
st.caption(t("tutee.checkin.intro"))

round_no = st.session_state.get(_ROUND, 0)
with st.form(f"tutee_form_{round_no}"):
    faces = {item.key: face_question(item.picture, item.text(lang), f"tutee_{item.key}_{round_no}")
             for item in TUTEE_ITEMS}  # fmt: skip
    with st.container(border=True):
        tell_words = t("tutee.question.tell")
        tell = st.checkbox(f"🙋 {tell_words}", key=f"tutee_tell_{round_no}")
        read_aloud_button(f"{tell_words}. {t('tutee.checkin.tell_who')}", f"tell_{round_no}")
        st.caption(t("tutee.checkin.tell_who"))
        tell_text = st.text_input(t("tutee.checkin.tell_text"), max_chars=300, key=f"tutee_tell_text_{round_no}")
    submitted = st.form_submit_button(t("tutee.checkin.submit"), type="primary")
if submitted:
    answers = TuteeAnswers(pair_id, faces["fun"], faces["learned"], faces["together"], tell, tell_text)
    with shown_errors():
        result = save_tutee_checkin(database(), pupil, answers, today=date.today())
        announce_tutee_message(database(), pupil, result)  # a new message to the juf: a mail (a link, no text)
        for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("tutee_")
                    and k.endswith(f"_{round_no}")]:  # fmt: skip
            del st.session_state[key]  # nothing of the answers stays on the screen
        st.session_state[_ROUND] = round_no + 1
        st.session_state[_SAVED] = "told" if result.told_anew else "saved"
        st.rerun()
