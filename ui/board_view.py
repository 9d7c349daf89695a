"""The widgets of the Bestuursoverzicht: one table per school (suppressed counts shown as ``<5``) and the
funder's CSV download, built and audited only when clicked."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from peermatch import board as core
from peermatch import monitoring as mon
from peermatch.auth import AuthenticatedUser
from peermatch.i18n.formatting import long_date, number
from peermatch.services.board import BoardOverview, board_export
from ui.db import database
from ui.i18n import current_lang, t

__all__ = ["board_download", "board_frame", "board_tables"]


def _count(value: core.Count) -> str:
    return core.SUPPRESSED if value is None else number(value, current_lang())


def _months(value: float | None) -> str:
    return "" if value is None else number(value, current_lang(), decimals=1)


def board_frame(lines: Sequence[core.BoardLine]) -> pd.DataFrame:
    """One school's programmes as a table of text cells (``<5`` where a count is suppressed)."""
    rows = [
        {
            t("board.column.programme"): line.programme,
            t("board.column.subject"): t(f"ui.subject.{line.subject}"),
            t("board.column.active_pairs"): _count(line.active_pairs),
            t("board.column.ended_pairs"): _count(line.ended_pairs),
            t("board.column.held"): _count(line.held),
            t("board.column.planned"): _count(line.planned),
            t("board.column.held_pct"): _months(line.held_pct),
            **{t(f"monitoring.health.{s.value}"): _count(line.health[s]) for s in mon.Health},
            t("board.column.tutees_n"): _count(line.growth.tutees_n),
            t("board.column.tutee_growth"): _months(line.growth.tutees_months),
            t("board.column.others_n"): _count(line.growth.others_n),
            t("board.column.other_growth"): _months(line.growth.others_months),
            t("board.column.difference"): _months(line.growth.difference_months),
        }
        for line in lines
    ]
    return pd.DataFrame(rows)


def board_tables(overview: BoardOverview) -> None:
    st.write(t("board.intro", board=overview.board))
    st.caption(t("board.as_of", day=long_date(overview.as_of, current_lang())))
    for school in overview.schools:
        st.subheader(school)
        lines = [line for line in overview.lines if line.school == school]
        if not lines:
            st.info(t("board.no_programmes"))
            continue
        st.dataframe(board_frame(lines), hide_index=True, width="stretch")
    st.caption(t("board.suppressed_note"))


def board_download(user: AuthenticatedUser) -> None:
    """The funder's CSV, made (and audited in every school of the board) only when clicked."""
    db = database()

    def csv() -> bytes:
        return board_export(db, user)

    st.download_button(t("board.download"), csv, file_name="bestuursoverzicht.csv", mime="text/csv",
                       help=t("board.download_help"), key="board_csv", on_click="ignore")  # fmt: skip
