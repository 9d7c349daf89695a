"""Start: what this user should do next (import pupils, create a programme, match, review a draft, see pairs),
and once pairs run: new worry signals and pairs that need attention, with a link to read them."""

from __future__ import annotations

import streamlit as st

from peermatch import monitoring as mon
from peermatch.services.overview import StartPage, start_page
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t
from ui.monitoring_view import today
from ui.text import plain

user = require_user()
st.title(t("ui.start.title", name=user.display_name))

info: StartPage | None = None
with shown_errors():
    info = start_page(database(), user, today())
if info is None:
    st.stop()
cols = st.columns(3)
cols[0].metric(t("ui.start.pupils"), info.pupils)
cols[1].metric(t("ui.start.groups"), info.groups)
cols[2].metric(t("ui.start.programmes"), info.programmes)
step = info.next_step
st.subheader(t("ui.start.next"))
st.info(t(f"ui.start.step.{step}"))
target = {
    "import": ("views/leerlingen.py", "ui.nav.pupils"),
    "programme": ("views/programmas.py", "ui.nav.programmes"),
    "match": ("views/koppelen.py", "ui.nav.match"),
    "review": ("views/koppelen.py", "ui.nav.match"),
    "pairs": ("views/paren.py", "ui.nav.pairs"),
}[step]
st.page_link(target[0], label=t("ui.start.go", page=t(target[1])), icon="➡️")
for name in info.drafts:
    st.write(t("ui.start.draft_waiting", name=plain(name)))
for name in info.published:
    st.write(t("ui.start.published", name=plain(name)))

ov = info.week
if ov is not None:  # the pairs are running: what needs the user this week
    new = sum(1 for _, tr in ov.alerts if tr.state is mon.TriageState.NIEUW)
    attention = len(ov.needing_attention())
    st.subheader(t("ui.start.week"))
    if new:
        st.error(t("ui.start.new_signals", count=new))
        st.page_link("views/signalen.py", label=t("ui.start.go", page=t("ib.nav.signals")), icon="🔔")
    if attention:
        st.warning(t("ui.start.attention", count=attention, total=len(ov.healths)))
        st.page_link("views/overzicht.py", label=t("ui.start.go", page=t("ib.nav.overview")), icon="📊")
    if not new and not attention:
        st.success(t("ui.start.all_well", total=len(ov.healths)))
