"""The programme form: groups, weekly moment, duration and the matching rules, each with a one-line explanation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from typing import Any

import streamlit as st

from peermatch.model import Subject
from peermatch.pairing import DEFAULT_RULES
from peermatch.rules import Objective
from peermatch.storage.programmes import Moment, ProgrammeSpec
from peermatch.storage.pupils import GroupInfo
from ui.i18n import t

__all__ = ["programme_form", "rules_inputs"]

_WEEKDAYS = [1, 2, 3, 4, 5]


def rules_inputs(stored: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The rules widgets (inside a form), prefilled from ``stored``; returns the rules as stored on a programme."""
    r = {**DEFAULT_RULES, **stored}
    c1, c2, c3, c4 = st.columns(4)
    margin = c1.number_input(t("ui.match.margin"), 1.0, 6.0, float(r["margin"]), 0.5, format="%.1f",
                             help=t("ui.match.margin_help"), key=f"{key}_margin")  # fmt: skip
    capacity = c2.number_input(t("ui.match.capacity"), 1, 3, int(r["capacity"]), help=t("ui.match.capacity_help"),
                               key=f"{key}_capacity")  # fmt: skip
    min_gap = c3.number_input(t("ui.prog.min_age_gap"), 0, 24, int(r["min_age_gap_months"]),
                              help=t("ui.prog.min_age_gap_help"), key=f"{key}_min_gap")  # fmt: skip
    max_gap = c4.number_input(t("ui.prog.max_age_gap"), 6, 72, int(r["max_age_gap_months"]),
                              help=t("ui.match.max_age_gap_help"), key=f"{key}_max_gap")  # fmt: skip
    same_class = st.checkbox(t("ui.match.same_class"), bool(r["allow_same_class"]), help=t("ui.match.same_class_help"),
                             key=f"{key}_same_class")  # fmt: skip
    same_age = st.checkbox(t("ui.prog.same_age"), bool(r["allow_same_age"]), help=t("ui.prog.same_age_help"),
                           key=f"{key}_same_age")  # fmt: skip
    objectives = [o.value for o in Objective]
    objective = st.radio(t("ui.prog.objective"), objectives, objectives.index(str(r["objective"])), horizontal=True,
                         format_func=lambda o: t(f"ui.prog.objective_{o}"), help=t("ui.match.best_only_help"),
                         key=f"{key}_objective")  # fmt: skip
    return {
        "margin": float(margin),
        "capacity": int(capacity),
        "min_age_gap_months": int(min_gap),
        "max_age_gap_months": int(max_gap),
        "allow_same_class": bool(same_class),
        "allow_same_age": bool(same_age),
        "objective": str(objective),
    }


def programme_form(groups: list[GroupInfo], current: ProgrammeSpec | None, key: str) -> ProgrammeSpec | None:
    """The whole programme in one form; returns the spec when saved (validation is the core's job)."""
    names = {g.id: g.name for g in groups}
    spec = current or ProgrammeSpec("", Subject.LEZEN, (), ())
    moment = spec.moments[0] if spec.moments else Moment(2, time(10, 30), time(11, 0))
    with st.form(f"programme_{key}"):
        name = st.text_input(t("ui.prog.name"), spec.name, placeholder=t("ui.prog.name_placeholder"), key=f"{key}_name")
        subjects = [s.value for s in Subject]
        subject = st.radio(t("ui.match.subject"), subjects, subjects.index(spec.subject.value), horizontal=True,
                           format_func=lambda s: t(f"ui.subject.{s}"), key=f"{key}_subject")  # fmt: skip
        g1, g2 = st.columns(2)
        tutors = [g for g in spec.tutor_group_ids if g in names]
        tutees = [g for g in spec.tutee_group_ids if g in names]
        tutor_groups = g1.multiselect(t("ui.match.tutor_groups"), list(names), tutors, format_func=names.__getitem__,
                                      key=f"{key}_tutor_groups")  # fmt: skip
        tutee_groups = g2.multiselect(t("ui.match.tutee_groups"), list(names), tutees, format_func=names.__getitem__,
                                      key=f"{key}_tutee_groups")  # fmt: skip
        m1, m2, m3 = st.columns(3)
        day = _WEEKDAYS.index(moment.weekday) if moment.weekday in _WEEKDAYS else 0
        weekday = m1.selectbox(t("ui.prog.weekday"), _WEEKDAYS, day, format_func=lambda d: t(f"ui.weekday.{d}"),
                               key=f"{key}_weekday")  # fmt: skip
        start = m2.time_input(t("ui.prog.start_time"), moment.start, key=f"{key}_start")
        end = m3.time_input(t("ui.prog.end_time"), moment.end, key=f"{key}_end")
        d1, d2, d3, d4 = st.columns(4)
        start_date = d1.date_input(t("ui.prog.start_date"), spec.start_date or date.today(), key=f"{key}_start_date")
        weeks = d2.number_input(t("ui.prog.weeks"), 1, 60, spec.weeks, key=f"{key}_weeks")
        per_week = d3.number_input(t("ui.prog.per_week"), 1, 7, spec.sessions_per_week, key=f"{key}_per_week")
        minutes = d4.number_input(t("ui.prog.minutes"), 5, 240, spec.minutes_per_session, key=f"{key}_minutes")
        st.markdown(f"**{t('ui.prog.rules')}**")
        rules = rules_inputs(spec.rules, key)
        saved = st.form_submit_button(t("ui.prog.save"), type="primary")
    if not saved:
        return None
    return ProgrammeSpec(
        name=name,
        subject=Subject(subject),
        tutor_group_ids=tuple(tutor_groups),
        tutee_group_ids=tuple(tutee_groups),
        moments=(Moment(int(weekday), start, end),),
        start_date=start_date,
        weeks=int(weeks),
        sessions_per_week=int(per_week),
        minutes_per_session=int(minutes),
        rules=rules,
    )
