"""Resultaten: charts (Altair) and exports for one programme. Exports are built only when asked for
(when its download button is clicked), and every download is audited by the service that delivers it
(``services.results.deliver_export``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from peermatch import monitoring as mon
from peermatch.auth import AuthenticatedUser
from peermatch.errors import PeerMatchError
from peermatch.pseudonym import Pseudonymiser
from peermatch.reports.bundle import ExportFile, export_files
from peermatch.services.monitoring import Monitored
from peermatch.services.results import deliver_export
from ui.db import database
from ui.i18n import t

__all__ = [
    "SECRET_ENV",
    "Export",
    "build_exports",
    "dosage_chart",
    "growth_chart",
    "letter_weekdays",
    "mood_chart",
    "pseudonymiser",
]

SECRET_ENV = "PEERMATCH_PSEUDONYM_SECRET"
Export = ExportFile


def pseudonymiser() -> Pseudonymiser | None:
    """The school's pseudonymiser from ``PEERMATCH_PSEUDONYM_SECRET``; None when missing or too weak."""
    secret = os.environ.get(SECRET_ENV, "")
    try:
        return Pseudonymiser(secret) if secret else None
    except PeerMatchError:
        return None


def dosage_chart(
    histories: tuple[mon.PairHistory, ...], as_of: date, thresholds: mon.Thresholds = mon.DEFAULT_THRESHOLDS
) -> alt.Chart:
    """Sessions held against planned, per groep (bars side by side): the running pairs only."""
    rows = []
    for g in mon.group_dosage(mon.active_only(histories), as_of, behind_pct=thresholds.dosage_behind_pct):
        rows += [
            {"groep": g.group or "—", "wat": t("ib.col.planned"), "sessies": g.planned},
            {"groep": g.group or "—", "wat": t("ib.col.held"), "sessies": g.held},
        ]
    frame = pd.DataFrame(rows, columns=["groep", "wat", "sessies"])
    chart: alt.Chart = (
        alt.Chart(frame, title=t("ib.results.dosage_chart"))
        .mark_bar()
        .encode(x=alt.X("groep:N", title=t("ib.col.group")), xOffset="wat:N", y=alt.Y("sessies:Q", title=""),
                color=alt.Color("wat:N", title=""), tooltip=["groep:N", "wat:N", "sessies:Q"])
    )  # fmt: skip
    return chart


def mood_chart(histories: list[mon.PairHistory], labels: Callable[[str], str]) -> alt.Chart:
    """The tutee's fun and the tutor's mood per held session, one line per pair."""
    rows = [
        {"paar": labels(h.pair_id), "datum": c.day.isoformat(), "score": c.tutee_fun}
        for h in histories
        for c in h.sorted_checkins
        if c.tutee_fun is not None
    ]
    frame = pd.DataFrame(rows, columns=["paar", "datum", "score"])
    chart: alt.Chart = (
        alt.Chart(frame, title=t("ib.results.mood_chart"))
        .mark_line(point=True)
        .encode(x=alt.X("datum:T", title="", axis=alt.Axis(format="%d-%m")),  # no English month names
                y=alt.Y("score:Q", scale=alt.Scale(domain=[1, 5]), title="1-5"),
                color=alt.Color("paar:N", title=""), tooltip=["paar:N", "datum:T", "score:Q"])
    )  # fmt: skip
    return chart


def pairs_to_chart(healths: list[mon.PairHealth], n: int = 5) -> list[str]:
    """The pairs the mood chart opens with: falling lines first, then the worst health."""
    ranked = sorted(healths, key=lambda h: ("mood_falling" not in h.codes, -h.status.rank))
    return [h.pair_id for h in ranked[:n]]


def growth_frame(histories: tuple[mon.PairHistory, ...], others: tuple[mon.PupilLevels, ...]) -> pd.DataFrame:
    start = min((h.plan.start for h in histories), default=None)
    rows = []
    for h in histories:
        for levels in (h.tutee_levels, h.tutor_levels):
            growth = mon.level_growth(levels, h.plan.start)
            if growth is not None:
                rows.append({"wie": t("ib.results.participants"), "groei": growth})
    for p in others:
        growth = mon.level_growth(p.measurements, start)
        if growth is not None:
            rows.append({"wie": t("ib.results.non_participants"), "groei": growth})
    return pd.DataFrame(rows, columns=["wie", "groei"])


def growth_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Per side (participants, non-participants) the share of its pupils at each growth in steps: the two
    sides differ in size, so counts side by side would mislead."""
    counts = frame.groupby(["wie", "groei"]).size().rename("leerlingen").reset_index()
    counts["aandeel"] = (100 * counts["leerlingen"] / counts.groupby("wie")["leerlingen"].transform("sum")).round(1)
    return counts


def growth_chart(frame: pd.DataFrame) -> alt.Chart:
    """The share of pupils that grew 0, ½, 1 ... index steps, participants and non-participants side by side."""
    chart: alt.Chart = (
        alt.Chart(growth_shares(frame), title=t("ib.results.growth_chart"))
        .mark_bar()
        .encode(x=alt.X("groei:O", title=t("ib.results.steps"), axis=alt.Axis(labelAngle=0)), xOffset="wie:N",
                y=alt.Y("aandeel:Q", title=t("ib.results.share")), color=alt.Color("wie:N", title=""),
                tooltip=["wie:N", "groei:O", "leerlingen:Q", "aandeel:Q"])
    )  # fmt: skip
    return chart


def build_exports(
    data: Monitored,
    as_of: date,
    *,
    school: str,
    programme: str,
    lang: str,
    pseudo: Pseudonymiser | None,
    triages: Mapping[str, mon.Triage] | None = None,
) -> list[Export]:
    """CSV, XLSX, pseudonymised XLSX (when a secret is set) and the programme report PDF, judged with the
    school's thresholds and the stored triage (each worry's state, as every page shows it)."""
    return export_files(data.histories, as_of, non_participants=data.non_participants, names=data.names,
                        pseudonymiser=pseudo, school=school, programme=programme, lang=lang,
                        thresholds=data.thresholds, triages=triages)  # fmt: skip


def download(user: AuthenticatedUser, export: Export, entity_id: int | str | None) -> None:
    """A download button that builds the file only when clicked (the service records the audit entry)."""
    db = database()  # resolved here: the callable runs on another thread, outside the script

    def deliver() -> bytes:
        return deliver_export(db, user, export, entity_id)

    st.download_button(export.label, deliver, file_name=export.file_name, mime=export.mime,
                       key=f"download_{export.key}", on_click="ignore")  # fmt: skip


def letter_weekdays(plan: mon.Plan) -> tuple[int, ...]:
    """The plan's weekly moments as a parent letter counts them (Monday = 0; the plan counts ISO, Monday = 1);
    without fixed moments, the plan's start day."""
    return tuple(d - 1 for d in plan.weekdays) or (plan.start.weekday(),)
