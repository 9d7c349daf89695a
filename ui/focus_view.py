"""The weekly focus: the teacher's form on a programme's page, and the card a tutor sees on *Mijn maatje*."""

from __future__ import annotations

from datetime import date

import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.focus import TEXT_MAX, FocusKind, WeeklyFocus, current_focus, week_start
from peermatch.i18n.formatting import long_date
from peermatch.services import focus as service
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.text import plain

__all__ = ["focus_card", "focus_section"]

_DONE = "weekly_focus_done"
_ICONS = {FocusKind.WORDS: "🔤", FocusKind.STRATEGY: "🧠", FocusKind.OUTDOOR: "🌳", FocusKind.OTHER: "⭐"}


def _week(day: date) -> str:
    return long_date(week_start(day), current_lang())


def _line(focus: WeeklyFocus) -> str:
    return t("focus.line", week=_week(focus.week), kind=t(f"focus.kinds.{focus.kind.value}"), text=plain(focus.text),
             by=plain(focus.by))  # fmt: skip


def focus_section(user: AuthenticatedUser, programme_id: int, today: date | None = None) -> None:
    """This week's focus of the programme, a form to set one for any week, and the other weeks' list."""
    today = today or date.today()
    st.subheader(t("focus.title"))
    st.caption(t("focus.intro"))
    if done := st.session_state.pop(_DONE, None):
        st.success(done)
    focuses: list[WeeklyFocus] = []
    with shown_errors():
        focuses = service.weekly_focuses(database(), user, programme_id)
    now = current_focus(focuses, today)
    if now is None:
        st.info(t("focus.none"))
    else:
        st.markdown(f"{_ICONS[now.kind]} {_line(now)}")
        if st.button(t("focus.remove"), key=f"focus_remove_{programme_id}"):
            with shown_errors():
                service.clear_weekly_focus(database(), user, programme_id, today)
                st.session_state[_DONE] = t("focus.removed", week=_week(today))
                st.rerun()
    kinds = list(FocusKind)
    with st.form(f"focus_{programme_id}", clear_on_submit=True):
        c1, c2 = st.columns(2)
        week = c1.date_input(t("focus.week"), today, help=t("focus.week_help"), format="DD-MM-YYYY",
                             key=f"focus_week_{programme_id}")  # fmt: skip
        kind = c2.radio(t("focus.kind"), kinds, kinds.index(now.kind) if now else 0, horizontal=True,
                        format_func=lambda k: f"{_ICONS[k]} {t(f'focus.kinds.{k.value}')}",
                        key=f"focus_kind_{programme_id}")  # fmt: skip
        text = st.text_area(t("focus.text"), placeholder=t("focus.text_placeholder"), max_chars=TEXT_MAX,
                            key=f"focus_text_{programme_id}")  # fmt: skip
        saved = st.form_submit_button(t("focus.save"), key=f"focus_save_{programme_id}")
    if saved:
        with shown_errors():
            chosen = week if isinstance(week, date) else today
            service.set_weekly_focus(database(), user, programme_id, chosen, kind, text)
            st.session_state[_DONE] = t("focus.saved", week=_week(chosen))
            st.rerun()
    others = [f for f in focuses if f is not now]
    if others:
        with st.expander(t("focus.earlier")):
            for f in others:
                st.markdown(f"{_ICONS[f.kind]} {_line(f)}")


def focus_card(focus: WeeklyFocus) -> None:
    """This week's focus on the tutor's card: an icon, the kind in words and the teacher's text (plain)."""
    st.markdown(f"**{_ICONS[focus.kind]} {t('focus.pupil.title')}: {t(f'focus.kinds.{focus.kind.value}')}**")
    st.markdown(plain(focus.text))
