"""Shared pieces of the tutor pages: the tutor's home data, readiness lines and the certificate button."""

from __future__ import annotations

from datetime import date

import streamlit as st

from peermatch.model import Subject
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services.pupil_home import Moment, TutorHome, tutor_view
from peermatch.training import Readiness, certificate_pdf
from ui.db import database
from ui.i18n import current_lang, t
from ui.pupil import modules

__all__ = ["certificate_button", "home", "moment_text", "readiness_block", "subjects_of"]

_ALL_SUBJECTS = (Subject.LEZEN, Subject.REKENEN)


def home(pupil: AuthenticatedPupil) -> TutorHome:
    """The tutor's home; a tutor without a pair yet sees readiness for both subjects."""
    found = tutor_view(database(), pupil, modules=modules())
    if not found.tutees:
        found = tutor_view(database(), pupil, modules=modules(), subjects=_ALL_SUBJECTS)
    return found


def subjects_of(info: TutorHome) -> tuple[Subject, ...]:
    return tuple(r.subject for r in info.readiness)


def moment_text(moment: Moment) -> str:
    return t(
        "tutor.home.moment",
        day=t(f"tutor.weekday.{moment.weekday}"),
        start=moment.start.strftime("%H:%M"),
        end=moment.end.strftime("%H:%M"),
    )


def readiness_block(readiness: Readiness) -> None:
    """Progress bar and "Klaar om te starten!", or what is still to do: core modules, or the practice sign-off."""
    role = t(f"tutor.role.{readiness.subject.value}")
    st.progress(
        readiness.done / readiness.total if readiness.total else 0.0,
        text=t("tutor.home.progress", role=role, done=readiness.done, total=readiness.total),
    )
    if readiness.ready:
        st.success(t("tutor.home.ready", role=role))
        return
    if readiness.quizzes_passed:  # the quizzes alone are not enough: the juf or meester saw the practice
        st.info(t("practice.quiz.wait_for_practice"))
        return
    module_set = modules()
    titles = [module_set[m].title for m in readiness.missing if m in module_set]
    st.info(t("tutor.home.todo", count=len(titles)) + "\n\n" + "\n".join(f"- {title}" for title in titles))


def certificate_button(info: TutorHome, key: str) -> None:
    """The "Download je tutorbewijs" button when the tutor is ready in at least one subject."""
    ready = [r for r in info.readiness if r.ready]
    if not ready:
        return
    subject = ready[0].subject.value if len(ready) == 1 else "both"
    module_set = modules()
    passed = [m for m in module_set if info.progress.passed(m.id) and m.core]
    pdf = certificate_pdf(info.first_name, subject, date.today(), passed, current_lang())
    st.download_button(
        t("tutor.training.certificate"),
        data=pdf,
        file_name=t("tutor.training.certificate_file", name=info.first_name),
        mime="application/pdf",
        key=key,
        type="primary",
        icon="🏅",
        on_click="ignore",
    )
