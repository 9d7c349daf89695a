"""Inloggen voor leerlingen: the class code, the pupil's number and the personal code (or 5 pictures) from the card.

Big, friendly and forgiving: lower case, spaces and dashes are fine; a wrong code gets a kind message;
after too many wrong tries that one pupil waits (the core throttles per pupil: class code and number), never
the rest of the class.
"""

from __future__ import annotations

import streamlit as st

from peermatch.pupil_auth import PICTURE_CODE_LENGTH, PICTURES, CodeKind, normalize_class_code, picture_of
from peermatch.services.pupil_login import login_kind, pupil_login
from ui.client import request_address
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t
from ui.pupil import log_in_pupil

_PICKED = "pupil_pictures"

st.markdown(
    "<style>.st-key-pupil_class_code input, .st-key-pupil_number input, .st-key-pupil_personal_code input"
    "{font-size: 1.8rem; letter-spacing: 0.3rem; text-transform: uppercase;}</style>",
    unsafe_allow_html=True,
)
st.title(t("tutor.login.title"))
st.markdown(f"### {t('tutor.login.intro')}")
if st.session_state.pop("pupil_expired", False):
    st.info(t("tutor.login.expired"))

typed_class = st.text_input(t("tutor.login.class_code"), key="pupil_class_code", max_chars=12)
typed_number = st.text_input(t("login_guard.number"), key="pupil_number", max_chars=2)
kind = CodeKind.TEXT
if normalize_class_code(typed_class):
    kind = login_kind(database(), typed_class)

personal: str | list[str]
if kind is CodeKind.PICTURES:
    picked: list[str] = st.session_state.setdefault(_PICKED, [])
    st.markdown(f"#### {t('tutor.login.pictures')}")
    columns = st.columns(4)  # 16 pictures, 4 x 4; a picture may be tapped again (repeats are part of the code)
    full = len(picked) >= PICTURE_CODE_LENGTH
    for i, picture in enumerate(PICTURES):
        label = f"{picture.emoji} {t(f'pupil.picture.{picture.key}')}"
        if columns[i % 4].button(label, key=f"pic_{picture.key}", disabled=full, width="stretch"):
            picked.append(picture.key)
            st.rerun()
    shown = " ".join(picture_of(k).emoji for k in picked)
    st.markdown(f"## {shown or '…'} &nbsp; {len(picked)}/{PICTURE_CODE_LENGTH}")
    if picked and st.button(t("tutor.login.pictures_again"), key="pic_clear"):
        st.session_state[_PICKED] = []
        st.rerun()
    personal = list(picked)
    submitted = st.button(t("tutor.login.submit"), key="pupil_login_submit", type="primary")
else:
    # A form: the typed code and the button arrive together (a password field may not commit on its own).
    with st.form("pupil_login_form", border=False):
        personal = st.text_input(
            t("tutor.login.personal_code"), key="pupil_personal_code", max_chars=12, type="password"
        )
        submitted = st.form_submit_button(t("tutor.login.submit"), key="pupil_login_submit", type="primary")

if submitted:
    if not normalize_class_code(typed_class) or not typed_number.strip() or not personal:
        st.warning(t("tutor.login.fill_in"))
    else:
        found = None
        failed = False
        with shown_errors():
            found = pupil_login(database(), typed_class, typed_number, personal, address=request_address())
            failed = found is None
        if found is not None:
            st.session_state.pop(_PICKED, None)
            log_in_pupil(found)
            st.rerun()
        elif failed:
            st.session_state[_PICKED] = []
            st.error(t("pupil.login.failed"))
st.caption(t("tutor.login.help"))
