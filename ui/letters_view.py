"""The parent letter's widgets: the letter part of Resultaten (per pupil, with the family's language chosen once
and remembered; all tutees or tutors at once, each in their family's language) and the school's contact line for
parents on Instellingen. The letter's texts come from ``peermatch/reports/letters/<lang>.toml``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

import streamlit as st

from peermatch import reports
from peermatch.auth import AuthenticatedUser
from peermatch.monitoring import PairHistory
from peermatch.services import letters
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t
from ui.results_view import Export, download, letter_weekdays
from ui.text import plain

__all__ = ["contact_section", "language_label", "letter_for", "letters_section"]


def language_label(code: str) -> str:
    """``Turks — Türkçe``: the language in the staff member's words, then in its own (what the family reads)."""
    return f"{t('letters.language_name.' + code)} — {reports.letter_language_name(code)}"


def letter_for(
    history: PairHistory, role: str, first_name: str, *, school: str, minutes: int, day: date, language: str,
    settings: letters.LetterSettings, signed_by: str,
) -> reports.ParentLetter:  # fmt: skip
    """One pupil's letter in the family's language, with the school's contact line and retention."""
    contact = settings.contact
    return reports.ParentLetter(
        first_name=first_name, role=role, subject=history.subject, school=school, start=history.plan.start,
        weekdays=letter_weekdays(history.plan), minutes=minutes, weeks=history.plan.weeks, contact=contact.name,
        contact_detail=contact.detail, schoolyard=contact.schoolyard, day=day, language=language,
        retention=settings.retention, signed_by=signed_by,
    )  # fmt: skip


def letters_section(
    user: AuthenticatedUser, pupils: dict[str, tuple[PairHistory, str]], first_names: dict[str, str],
    who: Callable[[str], str], *, school: str, minutes: int, day: date, programme_id: int,
) -> None:  # fmt: skip
    """Resultaten's letter part: pick a pupil, the family's language (stored on change; only for a pupil of the
    actor's own groups), download; then the letters for every tutee or every tutor at once, each in the language
    chosen for that family."""
    settings: letters.LetterSettings | None = None
    languages: dict[str, str] = {}
    with shown_errors():
        settings = letters.letter_settings(database(), user)
        languages = letters.family_languages(database(), user, pupils)
    if settings is None:
        return
    if not settings.contact.updated_by:
        st.info(t("letters.no_contact_set"))

    def make(p: str) -> reports.ParentLetter:
        history, role = pupils[p]
        return letter_for(history, role, first_names.get(p, ""), school=school, minutes=minutes, day=day,
                          language=languages.get(p, "nl"), settings=settings, signed_by=user.display_name)  # fmt: skip

    order = sorted(pupils, key=who)
    pupil = st.selectbox(t("ib.letter.pupil"), order, format_func=who, key="letter")
    stored = languages.get(pupil, reports.LETTER_LANGUAGES[0])
    chosen = st.selectbox(t("letters.language"), reports.LETTER_LANGUAGES, format_func=language_label,
                          index=reports.LETTER_LANGUAGES.index(stored), key=f"letter_language_{pupil}",
                          help=t("letters.language_help"), disabled=pupil not in languages)  # fmt: skip
    if chosen != stored:
        with shown_errors():
            letters.set_family_language(database(), user, pupil, chosen)
            languages[pupil] = chosen
            st.success(t("letters.language_saved", language=t("letters.language_name." + chosen)))
    letter = make(pupil)
    with shown_errors():
        reports.letter_text(letter)  # checks the letter now (a problem shows here); the PDF is made on click
        download(user, Export("letter", t("ib.letter.download"), f"brief-{pupil}-{letter.language}.pdf",
                              "application/pdf", partial(reports.parent_letter_pdf, letter)), pupil)  # fmt: skip
    st.caption(t("letters.batch_note"))
    for role in ("tutee", "tutor"):  # every pupil of that role in the programme, one letter per page, to print at once
        batch = [make(p) for p in order if pupils[p][1] == role]
        if batch:
            with shown_errors():
                for each in batch:  # checks every letter now: a problem shows as a message here, not on the click
                    reports.letter_text(each)
                download(user, Export(f"letters_{role}", t(f"ib.letter.all_{role}"), f"brieven-{role}s.pdf",
                                      "application/pdf", partial(reports.parent_letters_pdf, batch)),
                         programme_id)  # fmt: skip


def contact_section(user: AuthenticatedUser) -> None:
    """Instellingen (beheerder and ib, the page's editors): how parents reach the school, printed in every letter."""
    st.subheader(t("letters.contact.title"))
    current: letters.StoredContact | None = None
    with shown_errors():
        current = letters.letter_contact(database(), user)
    if current is None:
        return
    st.write(t("letters.contact.intro"))
    with st.form("letter_contact"):
        name = st.text_input(t("letters.contact.name"), value=current.name, max_chars=letters.CONTACT_NAME_MAX,
                             help=t("letters.contact.name_help"), key="letter_contact_name")  # fmt: skip
        detail = st.text_input(t("letters.contact.detail"), value=current.detail, help=t("letters.contact.detail_help"),
                               max_chars=letters.CONTACT_DETAIL_MAX, key="letter_contact_detail")  # fmt: skip
        schoolyard = st.checkbox(t("letters.contact.schoolyard"), value=current.schoolyard,
                                 key="letter_contact_schoolyard")  # fmt: skip
        save = st.form_submit_button(t("letters.contact.save"), key="letter_contact_save")
    if current.updated_by:
        st.caption(t("letters.contact.changed_by", name=plain(current.updated_by)))
    if save:
        with shown_errors():
            letters.set_letter_contact(database(), user, name, detail, schoolyard)
            st.success(t("letters.contact.saved"))
