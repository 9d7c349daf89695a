"""The form with the matching rules and the tables with pairs and unpaired pupils."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from peermatch.exports import to_csv
from peermatch.model import Roster, Subject
from peermatch.rules import Objective, Rules
from ui.auth import require_user
from ui.i18n import t
from ui.privacy_view import audited_download
from ui.text import plain

__all__ = ["rules_form", "show_result"]


def _group_options(roster: Roster) -> list[str]:
    return sorted({p.group for p in roster.pupils if p.group})


def rules_form(roster: Roster) -> Rules | None:
    """The teacher's choices; returns Rules when the button is pressed."""
    with st.form("rules"):
        labels = {s.value: t(f"ui.subject.{s.value}") for s in Subject}
        subject = st.radio(t("ui.match.subject"), list(labels), horizontal=True, format_func=labels.__getitem__,
                           key="subject")  # fmt: skip
        c1, c2, c3 = st.columns(3)
        margin = c1.number_input(
            t("ui.match.margin"), 1.0, 6.0, 2.0, 0.5, format="%.1f", help=t("ui.match.margin_help")
        )
        capacity = c2.number_input(t("ui.match.capacity"), 1, 3, 1, help=t("ui.match.capacity_help"))
        max_gap = c3.number_input(
            t("ui.match.max_age_gap"), 1.0, 6.0, 3.0, 0.5, format="%.1f", help=t("ui.match.max_age_gap_help")
        )
        groups = _group_options(roster)
        g1, g2 = st.columns(2)
        tutor_groups = g1.multiselect(t("ui.match.tutor_groups"), groups, help=t("ui.match.groups_help"),
                                      placeholder=t("ui.match.groups_placeholder"))  # fmt: skip
        tutee_groups = g2.multiselect(t("ui.match.tutee_groups"), groups, help=t("ui.match.groups_help"),
                                      placeholder=t("ui.match.groups_placeholder"))  # fmt: skip
        same_class = st.checkbox(t("ui.match.same_class"), help=t("ui.match.same_class_help"))
        best_only = st.toggle(t("ui.match.best_only"), help=t("ui.match.best_only_help"))
        submitted = st.form_submit_button(t("ui.match.run"), type="primary")
    if not submitted:
        return None
    return Rules(
        subject=Subject(subject),
        margin=float(margin),
        capacity=int(capacity),
        max_age_gap_months=round(float(max_gap) * 12),
        allow_same_class=same_class,
        objective=Objective.BEST_ONLY if best_only else Objective.MOST_PAIRS,
        tutor_groups=frozenset(tutor_groups),
        tutee_groups=frozenset(tutee_groups),
        reference_date=roster.reference_date,
    )


def _pairs_frame(pairs: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("ui.match.tutor"): [f"{p['tutor_name']} ({p['tutor_group']}, {p['tutor_level']})" for p in pairs],
            t("ui.match.tutee"): [f"{p['tutee_name']} ({p['tutee_group']}, {p['tutee_level']})" for p in pairs],
            t("ui.match.why"): [p["explanation"] for p in pairs],
        }
    )


def _unpaired_frame(unpaired: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("ui.match.tutee"): [f"{u['name']} ({u['group']}, {u['level']})" for u in unpaired],
            t("ui.match.reason"): [u["reason"] for u in unpaired],
            t("ui.match.suggestion"): [u.get("suggestion") or "" for u in unpaired],
        }
    )


def show_result(payload: dict[str, Any]) -> None:
    """Summary, bottlenecks, pairs with explanations and the unpaired with reason and suggestion."""
    summary = payload["summary"]
    cols = st.columns(3)
    cols[0].metric(t("ui.match.paired"), f"{summary['paired']} / {summary['tutees']}")
    cols[1].metric(t("ui.match.tutors"), summary["tutors"])
    cols[2].metric(t("ui.match.unpaired"), summary["unpaired"])
    for bottleneck in summary.get("bottlenecks", []):
        st.warning(plain(bottleneck))
    st.subheader(t("ui.match.pairs_title"))
    with st.container(key="pairs_table"):
        st.dataframe(_pairs_frame(payload["pairs"]), hide_index=True, width="stretch")
    with st.expander(t("ui.match.explain_all")):
        for pair in payload["pairs"]:
            names = f"{plain(pair['tutor_name'])} → {plain(pair['tutee_name'])}"
            st.markdown(f"**{names}**  \n{plain(pair['explanation'])}")
    if payload["unpaired"]:
        st.subheader(t("ui.match.unpaired_title"))
        with st.container(key="unpaired_table"):
            st.dataframe(_unpaired_frame(payload["unpaired"]), hide_index=True, width="stretch")
        for item in payload["unpaired"]:
            suggestion = f"  \n→ {plain(item['suggestion'])}" if item.get("suggestion") else ""
            name, group, level, reason = (plain(item[k]) for k in ("name", "group", "level", "reason"))
            st.markdown(f"**{name}** ({group}, {level}): {reason}{suggestion}")
    columns = ["tutor_id", "tutor_name", "tutor_group", "tutee_id", "tutee_name", "tutee_group", "explanation"]
    st.download_button(t("ui.match.download"), to_csv(payload["pairs"], columns), file_name="koppels.csv",
                       mime="text/csv", key="download_pairs",
                       on_click=audited_download(require_user(), "koppels_csv"))  # fmt: skip
