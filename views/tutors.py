"""Tutors (staff): per group who is ready to start and who is stuck on which quiz question, the most
missed questions, the practice sign-off (one tap per tutor who did the "Probeer het" role-play while the
teacher watched), login cards (make or reset codes, download the PDF), and the check-ins of the groups,
worry signals on top with the IB'er's triage state in words (an afgehandeld one is no longer counted as open).
A leerkracht sees her own groups, the IB'er the whole school."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from peermatch.checkins import mood_emoji, status_label
from peermatch.i18n.formatting import plural
from peermatch.logincards import login_cards_pdf
from peermatch.model import Subject
from peermatch.pupil_auth import CodeKind, LoginCard
from peermatch.services.checkins import list_checkins
from peermatch.services.monitoring import checkin_triages
from peermatch.services.pupil_codes import class_code, clear_login_wait, make_login_cards, reset_login_card
from peermatch.services.training import GroupReadiness, readiness_for_group
from peermatch.services.tutors import group_pupils, tutor_groups
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.practice_view import practice_tab
from ui.privacy_view import audited_download, worry_view
from ui.pupil import modules
from ui.text import plain

_CARDS = "tutors_cards"

user = require_user()
lang = current_lang()
module_set = modules()
st.title(t("tutor.staff.title"))

db = database()
with shown_errors():
    groups = tutor_groups(db, user)
if not groups:
    st.info(t("tutor.staff.no_groups"))
    st.stop()
names = {g.id: g.name for g in groups}
cols = st.columns(2)
group_id = cols[0].selectbox(t("tutor.staff.group"), list(names), format_func=names.__getitem__, key="tutors_group")
subject = cols[1].radio(
    t("tutor.staff.subject"), list(Subject), format_func=lambda s: t(f"tutor.role.{s.value}"), horizontal=True,
    key="tutors_subject",
)  # fmt: skip

ready_tab, practice_tab_, cards_tab, checkins_tab = st.tabs(
    [t("tutor.staff.tab_ready"), t("practice.staff.tab"), t("tutor.staff.tab_cards"), t("tutor.staff.tab_checkins")]
)


def _question_text(module_id: str, question_id: str) -> str:
    module = module_set.get(module_id)
    question = module.question(question_id) if module else None
    return f"{module.title}: {question.question}" if module and question else f"{module_id} / {question_id}"


def _readiness(report: GroupReadiness) -> None:
    c1, c2 = st.columns(2)
    c1.metric(t("tutor.staff.ready_count"), len(report.ready))
    c2.metric(t("tutor.staff.not_ready_count"), len(report.not_ready))
    rows = []
    for tutor in report.tutors:
        missing = [module_set[m].title for m in tutor.readiness.missing if m in module_set]
        rows.append(
            {
                t("tutor.staff.col.name"): f"{tutor.first_name} {tutor.last_name}".strip(),
                t("tutor.staff.col.ready"): "✅" if tutor.readiness.ready else "—",
                t("tutor.staff.col.done"): f"{tutor.readiness.done}/{tutor.readiness.total}",
                t("practice.staff.col_practice"): "✅" if tutor.readiness.practice_signed else "—",
                t("tutor.staff.col.todo"): ", ".join(missing),
                t("tutor.staff.col.stuck"): "; ".join(_question_text(m, q) for m, q in tutor.stuck_on),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.subheader(t("tutor.staff.items"))
    missed = [item for item in report.items if item.wrong]
    if not missed:
        st.caption(t("tutor.staff.items_none"))
        return
    top = missed[0]
    st.warning(t("tutor.staff.most_missed", question=_question_text(top.module_id, top.question_id),
                 wrong=top.wrong, attempts=top.attempts))  # fmt: skip
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("tutor.staff.col.question"): _question_text(i.module_id, i.question_id),
                    t("tutor.staff.col.wrong"): f"{i.wrong}/{i.attempts}",
                    t("tutor.staff.col.stuck_names"): ", ".join(report.first_name(x) for x in i.stuck),
                }
                for i in missed[:10]
            ]
        ),
        hide_index=True,
        width="stretch",
    )


report: GroupReadiness | None = None
with ready_tab, shown_errors():
    report = readiness_for_group(db, user, group_id, subject or Subject.LEZEN, module_set)
    _readiness(report)

with practice_tab_, shown_errors():
    if report is not None:
        practice_tab(user, report, module_set)


def _offer_pdf(cards: list[LoginCard]) -> None:
    with st.spinner(t("tutor.staff.cards_making")):
        pdf = login_cards_pdf(cards, lang, created=datetime.now(UTC))
    st.warning(t("tutor.staff.cards_once"))
    st.download_button(
        t("tutor.staff.cards_download"), data=pdf, file_name=t("tutor.staff.cards_file", group=names[group_id]),
        mime="application/pdf", key="cards_download", type="primary", icon="🖨️",
        on_click=audited_download(user, "login_cards_pdf", group_id),
    )  # fmt: skip


with cards_tab, shown_errors():
    current = class_code(db, user, group_id)
    if current:
        st.markdown(t("tutor.staff.class_code", class_code=current[0], kind=t(f"tutor.staff.kind.{current[1].value}")))
    else:
        st.caption(t("tutor.staff.no_codes"))
    kind = st.radio(
        t("tutor.staff.kind_label"), list(CodeKind), format_func=lambda k: t(f"tutor.staff.kind.{k.value}"),
        horizontal=True, key="cards_kind", index=list(CodeKind).index(current[1]) if current else 0,
    )  # fmt: skip
    st.caption(t("tutor.staff.cards_warning"))
    if st.button(t("tutor.staff.cards_generate"), key="cards_generate"):
        with st.spinner(t("tutor.staff.cards_making")):
            made = make_login_cards(db, user, group_id, kind=kind)
        st.session_state[_CARDS] = (group_id, made)
    pupils = []
    if current:
        pupils = group_pupils(db, user, group_id)
    if pupils:
        by_id = {p.id: f"{p.first_name} {p.last_name}".strip() for p in sorted(pupils, key=lambda p: p.first_name)}
        c1, c2 = st.columns([3, 1])
        who = c1.selectbox(
            t("tutor.staff.reset_who"), list(by_id), format_func=by_id.__getitem__, key="cards_reset_who"
        )
        if c2.button(t("tutor.staff.reset"), key="cards_reset"):
            card = reset_login_card(db, user, who)
            st.session_state[_CARDS] = (group_id, [card])
        if st.button(t("tutor.staff.unblock"), key="cards_unblock"):
            clear_login_wait(db, user, group_id)
            st.success(t("tutor.staff.unblocked"))
    made_for = st.session_state.get(_CARDS)
    if made_for and made_for[0] == group_id:
        _offer_pdf(made_for[1])


with checkins_tab, shown_errors():
    rows = list_checkins(db, user, group_ids=[group_id], limit=200)
    states = checkin_triages(db, user, rows)  # the IB'er's triage of each worry and help request, as Signalen has it
    worries = [c for c in rows if c.worry]
    open_worries = [c for c in worries if states[c.id].state.is_open]  # afgehandeld is counted nowhere
    if open_worries:
        st.error(plural("lifecycle.tutors.worries", len(open_worries), lang), icon="⚠️")
    if worries:
        worry_view(user, "tutors", [names[group_id]], [c.pair_id for c in worries])
    for c in sorted(worries, key=lambda c: not states[c.id].state.is_open):  # stable: open first, order kept
        with st.container(border=True, key=f"worry_{c.id}"):
            day = c.session_date.strftime("%d-%m-%Y")
            st.markdown(t("lifecycle.tutors.worry_line", date=day, tutor=plain(c.tutor_first_name),
                          tutee=plain(c.tutee_first_name), state=states[c.id].state.label(lang),
                          text=plain(c.worry_text or "—")))  # fmt: skip
    if not rows:
        st.caption(t("tutor.staff.no_checkins"))
    else:
        table = pd.DataFrame(
            [
                {
                    t("tutor.staff.col.worry"): "⚠️" if c.worry else "",
                    t("tutor.staff.col.date"): c.session_date.strftime("%d-%m-%Y"),
                    t("tutor.staff.col.tutor"): f"{c.tutor_first_name} ({c.tutor_group})",
                    t("tutor.staff.col.tutee"): f"{c.tutee_first_name} ({c.tutee_group})",
                    t("tutor.staff.col.status"): status_label(c.status, lang),
                    t("tutor.staff.col.minutes"): c.minutes,
                    t("tutor.staff.col.mood"): mood_emoji(c.tutor_mood),
                    t("tutor.staff.col.help"): "🙋" if c.needs_help else "",
                    t("lifecycle.tutors.col_state"): states[c.id].state.label(lang) if c.id in states else "",
                    t("tutor.staff.col.activity"): c.activity,
                    t("tutor.staff.col.reflection"): " / ".join(x for x in (c.went_well, c.was_hard, c.try_next) if x),
                    t("tutor.staff.col.tutee_answers"): f"{mood_emoji(c.tutee_fun)} {mood_emoji(c.tutee_learned)}",
                }
                for c in rows
            ]
        )
        worry_col = t("tutor.staff.col.worry")
        st.dataframe(
            table.style.apply(lambda r: ["background-color: #ffe0e0" if r[worry_col] else "" for _ in r], axis=1),
            hide_index=True,
            width="stretch",
        )
