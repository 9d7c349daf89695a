"""The teacher's guide download on a programme's page (one A4, made only when clicked)."""

from __future__ import annotations

import streamlit as st

from peermatch.programme import ProgrammeSpec
from peermatch.teacher_guide import teacher_guide_pdf
from ui.i18n import current_lang, t

__all__ = ["guide_download"]


def guide_download(spec: ProgrammeSpec, key: str) -> None:
    lang = current_lang()
    moments = ", ".join(f"{t(f'ui.weekday.{m.weekday}')} {m.start:%H:%M}-{m.end:%H:%M}" for m in spec.moments)
    name, subject, minutes = spec.name, spec.subject, spec.minutes_per_session
    when = moments or t("guide.no_moments")

    def pdf() -> bytes:  # made only when clicked, in its own thread: no Streamlit calls, everything captured
        return teacher_guide_pdf(name, subject, when, minutes, lang)

    st.download_button(t("guide.download"), pdf, file_name="handleiding-maatjes-momenten.pdf", mime="application/pdf",
                       help=t("guide.download_help"), key=key, on_click="ignore")  # fmt: skip
