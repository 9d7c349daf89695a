"""Shared pieces of the IB'er's monitoring pages (Overzicht, Signalen, Paren volgen): loading the
histories for the logged-in user, labels, and the triage and evaluation forms."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from peermatch import monitoring as mon
from peermatch.auth import AuthenticatedUser
from peermatch.checkins import mood_emoji
from peermatch.i18n.formatting import numeric_date
from peermatch.levels import code_for_index
from peermatch.model import Subject
from peermatch.services import monitoring as service
from peermatch.services.overview import SchoolWeek, school_week
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.text import plain

__all__ = [
    "HEALTH_ICONS",
    "STATE_ICONS",
    "alert_label",
    "ended_text",
    "evaluation_form",
    "level_text",
    "load",
    "pair_option",
    "pick_programme",
    "signal_line",
    "timeline_frame",
    "today",
    "triage_form",
    "week",
]

HEALTH_ICONS = {
    mon.Health.RISICO: "🔴",
    mon.Health.AANDACHT_NODIG: "🟠",
    mon.Health.TE_VROEG: "⚪",
    mon.Health.OP_KOERS: "🟢",
}
STATE_ICONS = {mon.TriageState.NIEUW: "🆕", mon.TriageState.IN_BEHANDELING: "⏳", mon.TriageState.AFGEHANDELD: "✅"}


def today() -> date:
    """The school day the pages judge on (the server's local date)."""
    return date.today()


def pick_programme(user: AuthenticatedUser, *, key: str, allow_all: bool = True) -> int | None:
    """A programme picker; ``None`` means all programmes (when allowed). Stops the page without programmes."""
    programmes: dict[int, str] = {}
    with shown_errors():
        programmes = service.programme_names(database(), user)
    if not programmes:
        st.info(t("ib.no_programmes"))
        st.stop()
    names: dict[int | None, str] = {k: v for k, v in programmes.items()}
    options: list[int | None] = ([None] if allow_all else []) + list(programmes)
    return st.selectbox(
        t("ib.programme"), options, format_func=lambda i: names.get(i) or t("ib.all_programmes"), key=key
    )


def load(user: AuthenticatedUser, programme_id: int | None = None) -> tuple[service.Monitored, dict[str, mon.Triage]]:
    """The histories the user may see and the stored triage, in one short transaction (stops on an error)."""
    with shown_errors():
        return service.load_with_triages(database(), user, programme_id)
    st.stop()


def week(user: AuthenticatedUser, programme_id: int | None = None) -> SchoolWeek:
    """The pairs the user may see and their overview today (stops on an error)."""
    with shown_errors():
        return school_week(database(), user, today(), programme_id)
    st.stop()


def alert_label(alert: mon.Alert, triage: mon.Triage, data: service.Monitored) -> str:
    """The alert with its triage state in words (the same on every page): ``🆕 Nieuw · message — pair``."""
    lang = current_lang()
    return t("lifecycle.state_label", icon=STATE_ICONS[triage.state], state=triage.state.label(lang),
             message=alert.message(lang), pair=plain(data.pair_label(alert.pair_id)))  # fmt: skip  # names: as typed


def pair_option(data: service.Monitored, pair_id: str) -> str:
    """A pair in a picker: an ended one says so."""
    h = data.by_pair.get(pair_id)
    label = data.pair_label(pair_id)
    return t("lifecycle.ended_option", pair=label) if h is not None and not h.active else label


def ended_text(history: mon.PairHistory) -> str:
    """ "Beëindigd op 12-10-2026: reason" for an ended pair."""
    day = numeric_date(history.ended_on, current_lang()) if history.ended_on else ""
    if history.end_reason:
        return t("lifecycle.ended_on", date=day, reason=plain(history.end_reason))
    return t("lifecycle.ended_no_reason", date=day)


def signal_line(alert: mon.Alert, triage: mon.Triage) -> str:
    """One of a pair's alerts with its triage state in words, as a line: ``🆕 Nieuw · message``."""
    lang = current_lang()
    return f"{STATE_ICONS[triage.state]} {triage.state.label(lang)} · {plain(alert.message(lang))}"


def triage_form(user: AuthenticatedUser, alert: mon.Alert, triage: mon.Triage) -> None:
    """The next triage step for one alert, with a note; saved at once (a rerun shows the new state)."""
    lang = current_lang()
    st.caption(t("ib.triage.state", state=triage.state.label(lang)))
    for event in triage.events:
        st.write(f"- {event.at:%d-%m-%Y %H:%M} · {plain(event.by)}: {event.state.label(lang)} — {plain(event.note)}")
    if alert.text:
        st.info(t("ib.triage.checkin_text", text=plain(alert.text)))
    targets = {
        mon.TriageState.NIEUW: [mon.TriageState.IN_BEHANDELING, mon.TriageState.AFGEHANDELD],
        mon.TriageState.IN_BEHANDELING: [mon.TriageState.AFGEHANDELD],
        mon.TriageState.AFGEHANDELD: [mon.TriageState.IN_BEHANDELING],
    }[triage.state]
    with st.form(f"triage_{alert.alert_id}"):
        note = st.text_area(t("ib.triage.note"), max_chars=service.TEXT_MAX, key=f"note_{alert.alert_id}")
        to = st.radio(t("ib.triage.to"), targets, format_func=lambda s: s.label(lang), key=f"to_{alert.alert_id}",
                      horizontal=True)  # fmt: skip
        if st.form_submit_button(t("ib.triage.save"), key=f"save_{alert.alert_id}"):
            with shown_errors():
                service.set_triage(database(), user, alert.alert_id, to, note, kind=alert.kind, pair_id=alert.pair_id,
                                   anchor=alert.anchor)  # fmt: skip
                st.session_state["ib_message"] = t("ib.triage.saved", state=to.label(lang))
                st.rerun()


def evaluation_form(user: AuthenticatedUser, pair_id: str) -> None:
    """ "Wat ging goed? Wat kan beter? Wat kan ik voor je doen?" — saved for the pair."""
    with st.form(f"evaluation_{pair_id}", clear_on_submit=True):
        held_on = st.date_input(t("ib.eval.date"), value=today(), format="DD-MM-YYYY", key="eval_date")
        went_well = st.text_area(t("ib.eval.went_well"), max_chars=service.TEXT_MAX, key="eval_went_well")
        better = st.text_area(t("ib.eval.could_be_better"), max_chars=service.TEXT_MAX, key="eval_better")
        help_ = st.text_area(t("ib.eval.what_can_i_do"), max_chars=service.TEXT_MAX, key="eval_help")
        if st.form_submit_button(t("ib.eval.save"), key="eval_save"):
            with shown_errors():
                service.add_evaluation(database(), user, pair_id, held_on=held_on, went_well=went_well,
                                       could_be_better=better, what_can_i_do=help_)  # fmt: skip
                st.session_state["ib_message"] = t("ib.eval.saved")
                st.rerun()


def level_text(subject: str, index: float) -> str:
    """A level on the shared index as the school writes it: ``AVI E5`` for reading, ``M6`` for maths."""
    code = code_for_index(Subject(subject), index)
    return t("lifecycle.avi", level=code) if Subject(subject) is Subject.LEZEN else code


def timeline_frame(follow: mon.PairFollow, talks: list[service.Evaluation]) -> pd.DataFrame:
    """The pair's timeline (sessions, levels, triage steps, evaluation talks, its end) as one table, newest
    first."""
    lang = current_lang()
    rows = []
    for e in follow.timeline:
        d = e.details
        if e.kind == "session":
            scores = [t(f"lifecycle.score.{k}", face=mood_emoji(d[k]), value=d[k])
                      for k in ("tutor_mood", "tutee_fun", "tutee_learned") if d[k] is not None]  # fmt: skip
            flags = ("⚠️ " if d["worry"] else "") + ("🙋 " if d["help_needed"] else "")
            what = t(f"ib.status.{d['status']}") + (f" · {d['minutes']} min" if d["minutes"] else "")
            rows.append((e.day, t("ib.timeline.session"), " · ".join([f"{flags}{what}", *scores]), d["note"]))
        elif e.kind in ("level_tutor", "level_tutee"):
            rows.append((e.day, t(f"ib.timeline.{e.kind}"), level_text(follow.history.subject, d["index"]), ""))
        elif e.kind == "ended":
            rows.append((e.day, t("lifecycle.timeline_ended"), ended_text(follow.history), ""))
        else:
            state = mon.TriageState(d["state"]).label(lang)
            rows.append((e.day, t("ib.timeline.triage"), f"{t('ib.kind.' + d['alert_kind'])}: {state}",
                         f"{d['by']}: {d['note']}"))  # fmt: skip
    for talk in talks:
        text = " · ".join(
            f"{t(k)} {v}"
            for k, v in (("ib.eval.went_well", talk.went_well), ("ib.eval.could_be_better", talk.could_be_better),
                         ("ib.eval.what_can_i_do", talk.what_can_i_do)) if v
        )  # fmt: skip
        rows.append((talk.held_on, t("ib.timeline.evaluation"), talk.by, text))
    rows.sort(key=lambda r: r[0], reverse=True)
    columns = [t("ib.timeline.day"), t("ib.timeline.what"), t("ib.timeline.detail"), t("ib.timeline.note")]
    return pd.DataFrame(rows, columns=columns)
