"""Resultaten: per programme — growth of participants against non-participants, charts (dosage vs plan,
mood trend per pair, growth distribution), the before/after scale of confidence and pleasure beside the growth,
and the exports (CSV, XLSX, pseudonymised XLSX, report PDF, parent letters per pupil or for all tutees or tutors
at once, in each family's language). Every download is audited."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from peermatch import monitoring as mon
from peermatch import reports
from peermatch.services.results import ProgrammeResults, programme_results
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.letters_view import letters_section
from ui.monitoring_view import pick_programme, today
from ui.outcome_view import outcome_results
from ui.results_view import (
    SECRET_ENV,
    build_exports,
    dosage_chart,
    download,
    growth_chart,
    growth_frame,
    mood_chart,
    pairs_to_chart,
    pseudonymiser,
)

user = require_user()
lang = current_lang()
st.title(t("ib.results.title"))
programme_id = pick_programme(user, key="results_programme", allow_all=False)
assert programme_id is not None
results: ProgrammeResults | None = None
with shown_errors():
    results = programme_results(database(), user, programme_id)
if results is None:
    st.stop()
data, school, minutes = results.data, results.school, results.minutes_per_session
if not data.histories:
    st.info(t("ib.no_pairs"))
    st.stop()
day = today()

st.subheader(t("ib.results.growth"))
growth = reports.growth_table(data.histories, data.non_participants, lang=lang)
st.dataframe(pd.DataFrame(list(growth.rows), columns=list(growth.headers)), hide_index=True, width="stretch")
st.caption(t("ib.results.growth_note"))
left, right = st.columns(2)
left.altair_chart(dosage_chart(data.histories, day, data.thresholds), width="stretch")
right.altair_chart(growth_chart(growth_frame(data.histories, data.non_participants)), width="stretch")
outcome_results(user, programme_id)  # "Zelfvertrouwen en plezier, voor en na", beside the level growth
ids = [h.pair_id for h in data.histories]
resolved = mon.resolved_alerts(results.triages)
first = pairs_to_chart([mon.pair_health(h, day, data.thresholds, resolved=resolved) for h in data.active])
chosen = st.multiselect(t("ib.results.mood_pairs"), ids, default=first, format_func=data.pair_label, key="mood")
st.altair_chart(mood_chart([h for h in data.histories if h.pair_id in chosen], data.pair_label), width="stretch")

st.subheader(t("ib.results.exports"))
pseudo = pseudonymiser()
if pseudo is None:
    st.info(t("ib.results.no_secret", env=SECRET_ENV))
for export in build_exports(data, day, school=school, programme=data.programmes.get(programme_id, ""), lang=lang,
                            pseudo=pseudo, triages=results.triages):  # fmt: skip
    download(user, export, programme_id)

st.subheader(t("ib.letter.title"))
pupils = {h.tutee_id: (h, "tutee") for h in data.histories} | {h.tutor_id: (h, "tutor") for h in data.histories}


def _who(p: str) -> str:
    return f"{data.names.get(p, p)} ({t('ib.role.' + pupils[p][1])})"


letters_section(user, pupils, dict(data.first_names), _who, school=school, minutes=minutes, day=day,
                programme_id=programme_id)  # fmt: skip
