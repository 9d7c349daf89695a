"""Privacy pieces the pages share: the daily retention run at start, audited downloads and worry views, the
retention form and the erasure of a pupil or the school (Instellingen)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date

import streamlit as st

from peermatch import monitoring as mon
from peermatch.auth import AuthenticatedUser
from peermatch.errors import PeerMatchError
from peermatch.records import PupilInfo
from peermatch.retention import MAX_MONTHS, Retention
from peermatch.services import Database, database_url
from peermatch.services import privacy as service
from peermatch.services.monitoring import Monitored
from peermatch.vocabulary import StaffRole
from ui.auth import log_out
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.text import plain

log = logging.getLogger(__name__)

__all__ = [
    "audited_download",
    "audited_file",
    "erase_section",
    "retention_at_start",
    "retention_section",
    "worry_alerts_view",
    "worry_history_view",
    "worry_view",
]


@st.cache_resource(show_spinner=False)
def _retention_ran(url: str, day: date) -> int:
    return len(service.run_retention(database(), day))


def retention_at_start() -> None:
    """The retention run, once per process and day (each school is looked at once a day: cheap). A busy or
    unreachable database does not stop the app: the run is logged and tried again on the next page run."""
    try:
        _retention_ran(database_url(), date.today())
    except PeerMatchError as exc:  # DatabaseBusyError and friends; not cached, so the next run tries again
        log.warning("retention run postponed: %s", exc, exc_info=exc)


def audited_download(user: AuthenticatedUser, entity: str, entity_id: int | str | None = None) -> Callable[[], None]:
    """An ``on_click`` for ``st.download_button``: the download is audited when it is clicked."""

    def clicked() -> None:
        try:
            service.record_download(database(), user, entity, entity_id)
        except PeerMatchError as exc:  # the file is delivered anyway; the message says why no entry was made
            st.session_state["privacy_audit_error"] = exc.message(current_lang())

    return clicked


def audited_file(
    db: Database, user: AuthenticatedUser, entity: str, entity_id: int | str | None, make: Callable[[], bytes]
) -> Callable[[], bytes]:
    """The ``data`` of a download button whose file is made on the click (deferred: the page does not rerun, so a
    second quick click works too): the download is audited, then the file made. It runs in Streamlit's own
    thread, outside the script: ``db`` is resolved by the page beforehand, and nothing here calls Streamlit.
    When the audit entry cannot be written the file is not delivered (no download without its record)."""

    def deliver() -> bytes:
        service.record_download(db, user, entity, entity_id)
        return make()

    return deliver


def worry_view(user: AuthenticatedUser, page: str, groups: Iterable[str], pair_ids: Iterable[int | str]) -> None:
    """Audit that this page run showed worry texts (of these groups and pairs), once per run."""
    pairs = list(pair_ids)
    if pairs:
        with shown_errors():
            service.record_worry_view(database(), user, page, groups, pairs)


def worry_alerts_view(user: AuthenticatedUser, page: str, alerts: Iterable[mon.Alert], data: Monitored) -> None:
    """Audit the worry texts of these alerts shown on this page run (only alerts that carry a text)."""
    shown = {a.pair_id for a in alerts if a.text}
    groups = [g for h in data.histories if h.pair_id in shown for g in (h.tutor_group, h.tutee_group)]
    worry_view(user, page, groups, shown)


def worry_history_view(user: AuthenticatedUser, page: str, history: mon.PairHistory) -> None:
    """Audit that this page run showed one pair's check-ins with a worry text."""
    if any(c.worry and c.note for c in history.checkins):
        worry_view(user, page, [history.tutor_group, history.tutee_group], [history.pair_id])


def retention_section(user: AuthenticatedUser) -> None:
    """The school's retention months: the beheerder changes them, the IB'er reads them."""
    st.subheader(t("privacy_admin.retention.title"))
    stored = None
    with shown_errors():
        stored = service.retention_settings(database(), user)
    if stored is None:
        return
    current = stored.retention
    st.write(t("privacy_admin.retention.intro"))
    if user.role is not StaffRole.BEHEERDER:
        st.caption(t("privacy_admin.retention.readonly", checkins=current.checkin_months, worries=current.worry_months,
                     pairs=current.pair_months))  # fmt: skip
        return
    with st.form("privacy_retention"):
        fields = {}
        for name, value in (("checkin_months", current.checkin_months), ("worry_months", current.worry_months),
                            ("pair_months", current.pair_months)):  # fmt: skip
            fields[name] = int(st.number_input(t(f"privacy_admin.retention.{name}"), min_value=0, max_value=MAX_MONTHS,
                                               value=value, step=1, key=f"retention_{name}"))  # fmt: skip
        save = st.form_submit_button(t("privacy_admin.retention.save"), key="retention_save")
    if stored.updated_by:
        st.caption(t("privacy_admin.retention.changed_by", name=plain(stored.updated_by)))
    if save:
        with shown_errors():
            service.set_retention(database(), user, Retention(**fields))
            st.success(t("privacy_admin.retention.saved"))


def _pupil_label(p: PupilInfo) -> str:
    name = " ".join(x for x in (p.first_name, p.prefix, p.last_name) if x)
    return f"{name} ({p.group_name or '—'}, {p.pupil_number})"


def erase_section(user: AuthenticatedUser) -> None:
    """Erase one pupil (beheerder, IB'er) or the whole school (beheerder), each after typing the name."""
    st.subheader(t("privacy_admin.erase.title"))
    if message := st.session_state.pop("privacy_erased", None):
        st.success(message)
    if st.toggle(t("privacy_admin.erase.pupil_toggle"), key="erase_pupil_open"):
        pupils: list[PupilInfo] = []
        with shown_errors():
            pupils = service.erasable_pupils(database(), user)
        by_id = {p.id: p for p in pupils}
        chosen = st.selectbox(t("privacy_admin.erase.pupil"), list(by_id), index=None,
                              format_func=lambda i: _pupil_label(by_id[i]), key="erase_pupil_id")  # fmt: skip
        if chosen is not None:
            pupil = by_id[chosen]
            full = " ".join(x for x in (pupil.first_name, pupil.prefix, pupil.last_name) if x)
            st.warning(t("privacy_admin.erase.pupil_warning", name=plain(full)))
            typed = st.text_input(t("privacy_admin.erase.type_pupil", name=plain(full)), key="erase_pupil_typed")
            if st.button(t("privacy_admin.erase.pupil_button"), type="primary", key="erase_pupil_go"):
                with shown_errors():
                    service.delete_pupil(database(), user, chosen, typed)
                    for key in ("erase_pupil_id", "erase_pupil_typed"):
                        st.session_state.pop(key, None)
                    st.session_state["privacy_erased"] = t("privacy_admin.erase.pupil_done")
                    st.rerun()
    if user.role is not StaffRole.BEHEERDER:
        return
    if st.toggle(t("privacy_admin.erase.school_toggle"), key="erase_school_open"):
        st.error(t("privacy_admin.erase.school_warning"))
        typed_school = st.text_input(t("privacy_admin.erase.type_school"), key="erase_school_typed")
        if st.button(t("privacy_admin.erase.school_button"), type="primary", key="erase_school_go"):
            with shown_errors():
                service.delete_school(database(), user, typed_school)
                log_out("privacy_admin.erase.school_done")
                st.rerun()
