"""Check-in after a session: under a minute for the tutor, two emoji questions for the tutee.

The form keeps one submission id (in session state) until the tutor starts a new check-in, so a double
click or a resubmit stores one check-in. "Opgeslagen!" appears only after ``save_checkin`` returned
(it commits first). The worry signal goes to the teacher and the IB'er only; the tutor's own list never
shows it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from peermatch.checkins import (
    MOOD_EMOJI,
    REFLECTION_QUESTIONS,
    TUTEE_QUESTIONS,
    CheckInForm,
    SessionStatus,
    mood_emoji,
    new_submission_id,
    status_label,
)
from peermatch.services.checkins import my_checkins, save_checkin
from peermatch.services.pupil_home import load_own_pair
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.pupil import require_pupil
from ui.text import plain
from ui.tutor import home

_SUBMISSION, _SAVED, _ROUND = "checkin_submission", "checkin_saved", "checkin_round"

pupil = require_pupil()
lang = current_lang()
st.title(t("tutor.checkin.title"))

info = None
with shown_errors():
    info = home(pupil)
if info is None:
    st.stop()
cards = {card.pair_id: card for card in info.tutees}
if not cards:
    st.info(t("tutor.home.no_tutee"))
    st.stop()

asked = st.query_params.get("pair")
if asked is not None:  # a deep link: only one of the pupil's own pairs opens
    allowed = False
    with shown_errors():
        allowed = load_own_pair(database(), pupil, int(asked) if asked.isdigit() else -1).pair_id in cards
    if not allowed:
        st.stop()
    st.session_state["checkin_pair"] = int(asked)

if st.session_state.get("checkin_pair") not in cards:
    st.session_state["checkin_pair"] = next(iter(cards))
pair_id = st.selectbox(
    t("tutor.checkin.pair"),
    options=list(cards),
    format_func=lambda pid: cards[pid].first_name,
    key="checkin_pair",
)
card = cards[pair_id]
submission = st.session_state.setdefault(_SUBMISSION, new_submission_id())
round_no = st.session_state.get(_ROUND, 0)

saved = st.session_state.get(_SAVED)
if saved == "new":
    st.success(t("checkins.saved.new"), icon="🎉")
elif saved == "again":
    st.info(t("checkins.saved.again"))
if saved and st.button(t("tutor.checkin.another"), key="checkin_another"):
    st.session_state[_SUBMISSION] = new_submission_id()
    st.session_state[_ROUND] = round_no + 1
    st.session_state.pop(_SAVED, None)
    st.rerun()

statuses = list(SessionStatus)
moods = list(range(1, len(MOOD_EMOJI) + 1))
with st.form(f"checkin_form_{round_no}"):
    day = st.date_input(t("tutor.checkin.date"), value=date.today(), max_value=date.today(), format="DD-MM-YYYY")
    status = st.radio(
        t("checkins.question.status"),
        statuses,
        format_func=lambda s: status_label(s, lang),
        key=f"ci_status_{round_no}",
    )
    minutes = st.number_input(
        t("checkins.question.minutes"), min_value=0, max_value=120, value=card.minutes_per_session, step=5
    )
    activity = st.text_input(t("checkins.question.activity"), max_chars=200, key=f"ci_activity_{round_no}")
    mood = st.radio(
        t("checkins.question.tutor_mood"), moods, format_func=mood_emoji, index=None, horizontal=True,
        key=f"ci_mood_{round_no}",
    )  # fmt: skip
    reflections = {
        q.key: st.text_area(
            q.question(lang), placeholder=q.starter(lang), max_chars=300, height=80, key=f"ci_{q.key}_{round_no}"
        )
        for q in REFLECTION_QUESTIONS
    }
    needs_help = st.checkbox(t("checkins.question.needs_help"), key=f"ci_help_{round_no}")
    st.markdown(f"##### {t('tutor.checkin.worry_title')}")
    st.caption(t("tutor.checkin.worry_who"))
    worry = st.checkbox(t("checkins.question.worry"), key=f"ci_worry_{round_no}")
    worry_text = st.text_area(
        t("checkins.question.worry_text"), max_chars=500, height=80, key=f"ci_worry_text_{round_no}"
    )
    st.markdown(f"#### {t('tutor.checkin.tutee_part', name=plain(card.first_name))}")
    tutee = {
        key: st.radio(
            t(f"checkins.question.{key}"),
            moods,
            format_func=mood_emoji,
            index=None,
            horizontal=True,
            key=f"ci_{key}_{round_no}",
        )
        for key in TUTEE_QUESTIONS
    }
    submitted = st.form_submit_button(t("tutor.checkin.submit"), type="primary")

if submitted:
    form = CheckInForm(
        submission_id=submission,
        pair_id=pair_id,
        session_date=day if isinstance(day, date) else date.today(),
        status=status,
        minutes=int(minutes) if status is SessionStatus.HELD else None,
        activity=activity,
        tutor_mood=mood,
        went_well=reflections["went_well"],
        was_hard=reflections["was_hard"],
        try_next=reflections["try_next"],
        needs_help=needs_help,
        worry=worry,
        worry_text=worry_text,
        tutee_fun=tutee["tutee_fun"],
        tutee_learned=tutee["tutee_learned"],
    )
    with shown_errors():
        result = save_checkin(database(), pupil, form, today=date.today())
        st.session_state[_SAVED] = "new" if result.created else "again"
        st.rerun()

st.header(t("tutor.checkin.mine"))
with shown_errors():
    mine = my_checkins(database(), pupil, limit=10)
    if not mine:
        st.caption(t("tutor.checkin.none_yet"))
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("tutor.checkin.col.date"): c.session_date.strftime("%d-%m-%Y"),
                        t("tutor.checkin.col.tutee"): c.tutee_first_name,
                        t("tutor.checkin.col.status"): status_label(c.status, lang),
                        t("tutor.checkin.col.minutes"): c.minutes,
                        t("tutor.checkin.col.mood"): mood_emoji(c.tutor_mood),
                        t("tutor.checkin.col.activity"): c.activity,
                    }
                    for c in mine
                ]
            ),
            hide_index=True,
            width="stretch",
        )
