"""Showing problems from the core: a table with row, column, value and message, never a traceback."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from peermatch.errors import Problem, Severity
from ui.i18n import current_lang, t

__all__ = ["problems_table", "show_problems"]


def problems_table(problems: Sequence[Problem]) -> pd.DataFrame:
    lang = current_lang()
    return pd.DataFrame(
        {
            t("ui.problems.kind"): [t(f"cli.severity.{p.severity.value}") for p in problems],
            t("ui.problems.row"): [p.row if p.row is not None else "" for p in problems],
            t("ui.problems.column"): [p.column or "" for p in problems],
            t("ui.problems.value"): [p.value or "" for p in problems],
            t("ui.problems.message"): [p.message(lang) for p in problems],
        }
    )


def show_problems(problems: Sequence[Problem], *, key: str) -> None:
    """Errors first, then warnings and notes, as one table; a short line when there are none."""
    if not problems:
        st.success(t("ui.problems.none"))
        return
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    ordered = sorted(problems, key=lambda p: (order[p.severity], p.row or 0))
    with st.container(key=key):
        st.dataframe(problems_table(ordered), hide_index=True, width="stretch")
