"""Audit (beheerder and IB'er): who viewed, changed, exported or deleted what, and when. Filter by person,
action and days; download what is shown as CSV (formula-safe). Reading this page is audited too."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from peermatch.services import privacy
from peermatch.vocabulary import AuditAction
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t

user = require_user()
st.title(t("privacy_admin.audit.title"))
if user.role not in privacy.AUDIT_READERS:
    st.error(t("privacy_admin.audit.readers_only"))
    st.stop()
st.caption(t("privacy_admin.audit.intro"))

db = database()
people: dict[int, str] = {}
with shown_errors():
    people = privacy.audit_people(db, user)
c1, c2, c3, c4 = st.columns(4)
everyone = t("privacy_admin.audit.all")
person = c1.selectbox(t("privacy_admin.audit.person"), [None, *people],
                      format_func=lambda i: people[i] if i else everyone, key="audit_person")  # fmt: skip
actions = [a.value for a in AuditAction]
action = c2.selectbox(
    t("privacy_admin.audit.action"), [None, *actions],
    format_func=lambda a: t(f"privacy_admin.action.{a}") if a else t("privacy_admin.audit.all"), key="audit_action",
)  # fmt: skip
today = date.today()
first = c3.date_input(t("privacy_admin.audit.from"), value=today - timedelta(days=90), format="DD-MM-YYYY",
                      key="audit_from")  # fmt: skip
last = c4.date_input(t("privacy_admin.audit.to"), value=today, format="DD-MM-YYYY", key="audit_to")
where = privacy.AuditFilter(
    user_id=person, action=action,
    first_day=first if isinstance(first, date) else None, last_day=last if isinstance(last, date) else None,
)  # fmt: skip
page = None
with shown_errors():
    page = privacy.audit_page(db, user, where)
if page is None:
    st.stop()

st.caption(t("privacy_admin.audit.count", count=len(page.entries), limit=privacy.AUDIT_LIMIT))
if not page.entries:
    st.info(t("privacy_admin.audit.empty"))
    st.stop()


def _action(action: str) -> str:
    return t(f"privacy_admin.action.{action}") if action in actions else action


frame = pd.DataFrame(
    [
        {
            t("privacy_admin.audit.col.at"): f"{e.at.astimezone():%d-%m-%Y %H:%M:%S}",
            t("privacy_admin.audit.col.person"): e.username or t("privacy_admin.audit.nobody"),
            t("privacy_admin.audit.col.action"): _action(e.action),
            t("privacy_admin.audit.col.entity"): e.entity,
            t("privacy_admin.audit.col.id"): e.entity_id or "",
            t("privacy_admin.audit.col.detail"): e.detail or "",
        }
        for e in page.entries
    ]
)
st.dataframe(frame, hide_index=True, width="stretch")


def _csv() -> str:  # made only when clicked, in its own thread (no Streamlit calls); audited by the service
    return privacy.audit_csv(db, user, where)


st.download_button(
    t("privacy_admin.audit.download"),
    _csv,
    file_name="audit.csv",
    mime="text/csv",
    key="audit_download",
    on_click="ignore",
)
