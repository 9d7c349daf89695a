"""The programme form: groups, weekly moments, duration and the matching rules, each with a one-line explanation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from typing import Any

import streamlit as st

from peermatch.i18n.formatting import plural
from peermatch.model import Subject
from peermatch.pairing import DEFAULT_RULES, MIN_TUTOR_LEVELS
from peermatch.programme import Moment, ProgrammeSpec
from peermatch.records import GroupInfo
from peermatch.rules import Objective
from ui.i18n import current_lang, t

__all__ = ["programme_form", "rules_inputs"]

_WEEKDAYS = [1, 2, 3, 4, 5]  # ISO weekdays (Moment.weekday): Monday 1 ... Friday 5


def rules_inputs(stored: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The rules widgets (inside a form), prefilled from ``stored``; returns the rules as stored on a programme."""
    r = {**DEFAULT_RULES, **stored}
    c1, c2, c3, c4 = st.columns(4)
    margin = c1.number_input(t("ui.match.margin"), 1.0, 6.0, float(r["margin"]), 0.5, format="%.1f",
                             help=t("ui.match.margin_help"), key=f"{key}_margin")  # fmt: skip
    capacity = c2.number_input(t("ui.match.capacity"), 1, 3, int(r["capacity"]), help=t("ui.match.capacity_help"),
                               key=f"{key}_capacity")  # fmt: skip
    # in years, like the try-out's form (stored in months: 1.5 years = 18 months)
    min_gap = c3.number_input(t("ui.prog.min_age_gap"), 0.0, 2.0, int(r["min_age_gap_months"]) / 12, 0.5,
                              format="%.1f", help=t("ui.prog.min_age_gap_help"), key=f"{key}_min_gap")  # fmt: skip
    max_gap = c4.number_input(t("ui.prog.max_age_gap"), 0.5, 6.0, int(r["max_age_gap_months"]) / 12, 0.5,
                              format="%.1f", help=t("ui.match.max_age_gap_help"), key=f"{key}_max_gap")  # fmt: skip
    same_class = st.checkbox(t("ui.match.same_class"), bool(r["allow_same_class"]), help=t("ui.match.same_class_help"),
                             key=f"{key}_same_class")  # fmt: skip
    same_age = st.checkbox(t("ui.prog.same_age"), bool(r["allow_same_age"]), help=t("ui.prog.same_age_help"),
                           key=f"{key}_same_age")  # fmt: skip
    # the research: tutors with "hoog AVI of eigenlijk AVI uit"; none means the margin alone decides
    levels: list[str | None] = [None, *MIN_TUTOR_LEVELS]
    stored_level = r.get("min_tutor_level")
    min_level = st.selectbox(t("ui.prog.min_tutor_level"), levels, levels.index(stored_level) if stored_level in levels
                             else 0, format_func=lambda c: t("ui.prog.min_tutor_level_none") if c is None else c,
                             help=t("ui.prog.min_tutor_level_help"), key=f"{key}_min_level")  # fmt: skip
    objectives = [o.value for o in Objective]
    objective = st.radio(t("ui.prog.objective"), objectives, objectives.index(str(r["objective"])), horizontal=True,
                         format_func=lambda o: t(f"ui.prog.objective_{o}"), help=t("ui.match.best_only_help"),
                         key=f"{key}_objective")  # fmt: skip
    return {
        "margin": float(margin),
        "capacity": int(capacity),
        "min_age_gap_months": round(float(min_gap) * 12),
        "max_age_gap_months": round(float(max_gap) * 12),
        "allow_same_class": bool(same_class),
        "allow_same_age": bool(same_age),
        "objective": str(objective),
        "min_tutor_level": min_level,
    }


_DEFAULT_MOMENT = Moment(2, time(10, 30), time(11, 0))


def _moment_rows(stored: tuple[Moment, ...], key: str) -> list[Moment]:
    """One row (day, start, end) per weekly moment, inside the form; rows are added and removed with the form's
    own submit buttons, so what the teacher typed elsewhere in the form is kept."""
    rows_key = f"{key}_moment_rows"
    if rows_key not in st.session_state:
        st.session_state[rows_key] = list(range(max(1, len(stored))))
    rows: list[int] = st.session_state[rows_key]
    st.markdown(f"**{t('ui.prog.moments')}**")
    out = []
    for row in rows:
        moment = stored[row] if row < len(stored) else _DEFAULT_MOMENT
        m1, m2, m3, m4 = st.columns([3, 3, 3, 1], vertical_alignment="bottom")
        day = _WEEKDAYS.index(moment.weekday) if moment.weekday in _WEEKDAYS else 0
        weekday = m1.selectbox(t("ui.prog.weekday"), _WEEKDAYS, day, format_func=lambda d: t(f"ui.weekday.{d}"),
                               key=f"{key}_weekday_{row}")  # fmt: skip
        start = m2.time_input(t("ui.prog.start_time"), moment.start, key=f"{key}_start_{row}")
        end = m3.time_input(t("ui.prog.end_time"), moment.end, key=f"{key}_end_{row}")
        if len(rows) > 1:
            m4.form_submit_button("✖", help=t("ui.prog.remove_moment"), key=f"{key}_remove_moment_{row}")
        out.append(Moment(int(weekday), start, end))
    st.form_submit_button(t("ui.prog.add_moment"), key=f"{key}_add_moment")
    return out


def _rows_changed(key: str) -> bool:
    """Apply a click on "add a moment" or on a row's ✖ (after the form, so the values are in session state)."""
    rows: list[int] = st.session_state[f"{key}_moment_rows"]
    if st.session_state.get(f"{key}_add_moment"):
        rows.append(max(rows, default=-1) + 1)
        return True
    gone = [row for row in rows if st.session_state.get(f"{key}_remove_moment_{row}")]
    for row in gone:
        rows.remove(row)
    return bool(gone)


def programme_form(groups: list[GroupInfo], current: ProgrammeSpec | None, key: str) -> ProgrammeSpec | None:
    """The whole programme in one form; returns the spec when saved. Moments that end before they start are
    refused here with a message per moment; everything else is validated by the core."""
    names = {g.id: g.name for g in groups}
    spec = current or ProgrammeSpec("", Subject.LEZEN, (), ())
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
        moments = _moment_rows(spec.moments, key)
        d1, d2, d3, d4 = st.columns(4)
        start_date = d1.date_input(
            t("ui.prog.start_date"), spec.start_date or date.today(), key=f"{key}_start_date", format="DD-MM-YYYY"
        )
        weeks = d2.number_input(t("ui.prog.weeks"), 1, 60, spec.weeks, key=f"{key}_weeks")
        # one session per weekly moment: "keer per week" is the number of moments, never typed apart from them
        per_week = plural("calendar.form.per_week", len(moments), current_lang())
        d3.markdown(per_week, help=t("calendar.form.per_week_help"))
        minutes = d4.number_input(t("ui.prog.minutes"), 5, 240, spec.minutes_per_session, key=f"{key}_minutes")
        st.markdown(f"**{t('ui.prog.rules')}**")
        rules = rules_inputs(spec.rules, key)
        saved = st.form_submit_button(t("ui.prog.save"), type="primary", key=f"{key}_save")
    if _rows_changed(key):
        st.rerun()
    if not saved:
        return None
    late = [(i, m) for i, m in enumerate(moments, 1) if m.end <= m.start]
    if late:
        for i, m in late:
            st.error(t("ui.prog.moment_order", n=i, day=t(f"ui.weekday.{m.weekday}"), start=f"{m.start:%H:%M}",
                       end=f"{m.end:%H:%M}"))  # fmt: skip
        return None
    days = [m.weekday for m in moments]
    if twice := sorted({d for d in days if days.count(d) > 1}):
        st.error(t("calendar.form.same_weekday", day=t(f"ui.weekday.{twice[0]}")))
        return None
    return ProgrammeSpec(
        name=name,
        subject=Subject(subject),
        tutor_group_ids=tuple(tutor_groups),
        tutee_group_ids=tuple(tutee_groups),
        moments=tuple(moments),
        start_date=start_date,
        weeks=int(weeks),
        sessions_per_week=len(moments),
        minutes_per_session=int(minutes),
        rules=rules,
    )
