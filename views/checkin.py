"""Check-in after a session: under a minute for the tutor, taps only when nothing needs saying.

The tutor taps how it went and "Hoe ging het samen?"; beside the worry about the maatje there is "Ik wil zelf
iets vertellen" (the tutor's own trouble, private, a signal like the worry). A tutee with a login of their own
answers their questions on their own screen (``views/tutee_checkin.py``): the tutor's device is not handed
over. Only for a tutee without a login yet the hand-over stays, as a fallback:

Two steps on one shared device. The tutor's part (the private worry included) is saved and its widgets
are cleared *before* the screen says "Geef het apparaat aan …"; the tutee's step then shows only the
tutee's two questions (nothing of the tutor's answers, no list, no way back to them) and saves them onto
the same check-in. One check-in per pair and day: a second one for that day edits the first.

The form keeps one submission id (in session state) per round, so a double click or a resubmit stores
one check-in. "Opgeslagen!" appears only after ``save_checkin`` returned (it commits first). The worry
signal goes to the teacher and the IB'er only; the tutor's own list never shows it.
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
from peermatch.services.checkins import my_checkins, save_checkin, save_tutee_answers
from peermatch.services.notifications import announce_signal
from peermatch.services.pupil_home import load_own_pair
from peermatch.services.tutee import tutee_answers_on_own_login
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.pupil import require_pupil
from ui.text import plain
from ui.tutor import home

_SUBMISSION, _SAVED, _ROUND = "checkin_submission", "checkin_saved", "checkin_round"
_HANDOVER = "checkin_handover"  # (check-in id, tutee's first name) while the device is with the tutee
_FALLBACK_QUESTIONS = (*TUTEE_QUESTIONS, "tutee_together")  # the hand-over asks "Hoe ging het samen?" too

pupil = require_pupil()
lang = current_lang()
moods = list(range(1, len(MOOD_EMOJI) + 1))


def _forget_round(round_no: int) -> None:
    """Drop every answer of the tutor's form of this round from the session (the worry text included)."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("ci_") and
                k.endswith(f"_{round_no}")]:  # fmt: skip
        del st.session_state[key]


handover = st.session_state.get(_HANDOVER)
if handover is not None:  # the tutee's own step: only their questions are on the screen
    checkin_id, name = handover
    st.session_state.pop(_SAVED, None)
    st.success(t("tutor.checkin.handover", name=plain(name)), icon="✅")
    st.title(t("tutor.checkin.handover_title", name=plain(name)))
    with st.form("tutee_step"):
        answers = {
            key: st.radio(
                t(f"checkins.question.{key}"),
                moods,
                format_func=mood_emoji,
                index=None,
                horizontal=True,
                key=f"tutee_{key}_{checkin_id}",
            )
            for key in _FALLBACK_QUESTIONS
        }
        done = st.form_submit_button(t("tutor.checkin.tutee_done"), type="primary")
    skipped = st.button(t("tutor.checkin.tutee_skip", name=plain(name)), key="tutee_skip")
    if done or skipped:
        with shown_errors():
            if done:
                save_tutee_answers(database(), pupil, checkin_id, fun=answers["tutee_fun"],
                                   learned=answers["tutee_learned"], together=answers["tutee_together"])  # fmt: skip
            del st.session_state[_HANDOVER]
            st.session_state[_SAVED] = ("tutee", name)
            st.rerun()
    st.stop()

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

saved = st.session_state.pop(_SAVED, None)
if saved == "new":
    st.success(t("checkins.saved.new"), icon="🎉")
elif saved == "again":
    st.info(t("checkins.saved.again"))
elif saved == "edited":
    st.success(t("tutor.checkin.edited"), icon="✏️")
elif isinstance(saved, tuple) and saved[0] == "own_login":
    st.success(t("checkins.saved.new"), icon="🎉")
    st.info(t("tutee.checkin.own_login", name=plain(saved[1])), icon="🧒")
elif isinstance(saved, tuple):
    st.success(t("tutor.checkin.tutee_saved", name=plain(saved[1])), icon="🎉")

mine = []
with shown_errors():
    mine = my_checkins(database(), pupil, limit=10)  # newest first: also the list at the end of the page
if any(c.pair_id == pair_id and c.session_date == date.today() for c in mine):
    st.info(t("tutor.checkin.edit_note"))

statuses = list(SessionStatus)
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
    together = st.radio(
        f"👫 {t('checkins.question.tutor_together')}", moods, format_func=mood_emoji, index=None, horizontal=True,
        key=f"ci_together_{round_no}",
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
    own = st.checkbox(f"🙋 {t('checkins.question.tutor_own')}", key=f"ci_own_{round_no}")
    own_text = st.text_area(
        t("checkins.question.tutor_own_text"), max_chars=500, height=80, key=f"ci_own_text_{round_no}"
    )
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
        tutor_together=together,
        tutor_own=own,
        tutor_own_text=own_text,
    )
    with shown_errors():
        result = save_checkin(database(), pupil, form, today=date.today())
        announce_signal(database(), pupil, result)  # a new worry or help request: a mail (a link, no text)
        # saved: clear the tutor's answers (worry included) before anything asks to hand the device over
        _forget_round(round_no)
        st.session_state[_ROUND] = round_no + 1
        st.session_state[_SUBMISSION] = new_submission_id()
        st.session_state[_SAVED] = "edited" if result.edited else "new" if result.created else "again"
        if result.checkin.status is SessionStatus.HELD and (result.created or result.edited):
            if tutee_answers_on_own_login(database(), pupil, pair_id):  # the tutee answers on their own screen
                st.session_state[_SAVED] = ("own_login", card.first_name)
            else:  # the fallback: a tutee without a login yet answers on this device
                st.session_state[_HANDOVER] = (result.checkin.id, card.first_name)
        st.rerun()

st.header(t("tutor.checkin.mine"))
with shown_errors():
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
