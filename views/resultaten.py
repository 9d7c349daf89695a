"""Resultaten: per programme — growth of participants against non-participants, charts (dosage vs plan,
mood trend per pair, growth distribution) and the exports (CSV, XLSX, pseudonymised XLSX, report PDF,
parent letters per pupil or for all tutees or tutors at once). Every download is audited."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from peermatch import monitoring as mon
from peermatch import reports
from peermatch.services.results import ProgrammeResults, programme_results
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.monitoring_view import pick_programme, today
from ui.results_view import (
    SECRET_ENV,
    Export,
    build_exports,
    dosage_chart,
    download,
    growth_chart,
    growth_frame,
    letter_weekdays,
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


def _letter(pupil: str) -> reports.ParentLetter:
    history, role = pupils[pupil]
    return reports.ParentLetter(
        first_name=data.first_names.get(pupil, ""), role=role, subject=history.subject, school=school,
        start=history.plan.start, weekdays=letter_weekdays(history.plan),
        minutes=minutes, weeks=history.plan.weeks, contact=user.display_name, day=day,
    )  # fmt: skip


pupil = st.selectbox(t("ib.letter.pupil"), sorted(pupils, key=_who), format_func=_who, key="letter")
letter = _letter(pupil)
with shown_errors():
    reports.letter_text(letter, lang)  # checks the letter now (a problem shows here); the PDF is made on click
    download(user, Export("letter", t("ib.letter.download"), f"brief-{pupil}.pdf", "application/pdf",
                          lambda: reports.parent_letter_pdf(letter, lang)), pupil)  # fmt: skip
for role in ("tutee", "tutor"):  # every pupil of that role in the programme, one letter per page, to print at once
    batch = [_letter(p) for p in sorted(pupils, key=_who) if pupils[p][1] == role]
    if batch:
        with shown_errors():
            for each in batch:  # checks every letter now: a problem shows as a message here, not on the click
                reports.letter_text(each, lang)
            download(user, Export(f"letters_{role}", t(f"ib.letter.all_{role}"), f"brieven-{role}s.pdf",
                                  "application/pdf", partial(reports.parent_letters_pdf, batch, lang)),
                     programme_id)  # fmt: skip
