"""Bestuursoverzicht (bovenschools coördinator): per school of the board the programmes, pairs, dosage, health
and growth, as suppressed aggregates (no pupil anywhere), and the funder's CSV. Viewing and downloading are
audited in every school of the board."""

from __future__ import annotations

import streamlit as st

from peermatch.services.board import BoardOverview, board_overview
from ui.auth import require_user
from ui.board_view import board_download, board_tables
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t

user = require_user()
st.title(t("board.title"))
overview: BoardOverview | None = None
with shown_errors():
    overview = board_overview(database(), user)
if overview is None:
    st.stop()
board_tables(overview)
board_download(user)
