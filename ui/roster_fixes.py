"""Correcting the rows with errors of an uploaded roster in place, before it is imported (*Leerlingen*).

The rows with errors of the file as uploaded are an editable table (only the columns PeerMatch reads); every
edit reruns the page, and the file is read again with the corrections (``read_roster(fixes=...)``), so the
counts, the problem list and the import button always show the corrected roster. Each read runs in a child process
(:mod:`peermatch.roster.worker`), like the first one. The table's input is the
file's own cells, never its output (Streamlit #7749); a new file gets a new table.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from peermatch.i18n.formatting import plural
from peermatch.model import Roster
from peermatch.roster import error_row_cells, read_roster
from peermatch.roster.worker import run_isolated
from ui.i18n import current_lang, t

__all__ = ["fix_in_place"]

FixItems = tuple[tuple[int, tuple[tuple[str, str], ...]], ...]


@st.cache_data(max_entries=16, show_spinner=False)
def _read_fixed(content: bytes, filename: str, fixes: FixItems) -> Roster:
    fixed = {row: dict(cells) for row, cells in fixes}
    return run_isolated(read_roster, (content,), {"filename": filename, "fixes": fixed}, file=filename)


@st.cache_data(max_entries=16, show_spinner=False)
def _cells(content: bytes, filename: str, rows: tuple[int, ...]) -> dict[int, dict[str, str]]:
    return run_isolated(error_row_cells, (content,), {"filename": filename, "rows": rows}, file=filename)


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA else str(value).strip()


def fix_in_place(prefix: str, filename: str, content: bytes, original: Roster) -> Roster:
    """The roster with the teacher's corrections of its error rows (``original`` when it has none to fix)."""
    rows = tuple(sorted({p.row for p in original.errors if p.row is not None}))
    cells = _cells(content, filename, rows) if rows else {}
    rows = tuple(r for r in rows if r in cells)
    if not rows:
        return original
    lang = current_lang()
    headers = list(cells[rows[0]])
    row_col, message_col = t("upkeep.ui.fix_row"), t("upkeep.ui.fix_message")
    base = pd.DataFrame(
        {
            row_col: list(rows),
            **{h: [cells[r][h] for r in rows] for h in headers},
            message_col: [" ".join(p.message(lang) for p in original.errors if p.row == r) for r in rows],
        }
    )
    st.subheader(t("upkeep.ui.fix_title"))
    st.caption(t("upkeep.ui.fix_hint"))
    digest = hashlib.sha256(content).hexdigest()[:12]
    edited = st.data_editor(base, key=f"{prefix}_fix_{digest}", hide_index=True, num_rows="fixed",
                            disabled=[row_col, message_col], width="stretch")  # fmt: skip
    fixes: FixItems = tuple(
        (row, changed)
        for i, row in enumerate(rows)
        if (
            changed := tuple(
                (h, _text(edited.iloc[i][h])) for h in headers if _text(edited.iloc[i][h]) != cells[row][h]
            )
        )
    )
    roster = _read_fixed(content, filename, fixes) if fixes else original
    if roster.ok:
        st.success(t("upkeep.ui.fixed_all"))
    else:
        st.warning(plural("upkeep.ui.fixes_left", len(roster.errors), lang))
        if any(p.row not in rows for p in roster.errors):
            st.info(t("upkeep.ui.fix_elsewhere"))
    return roster
