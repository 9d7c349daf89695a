"""PeerMatch, the teachers' app. Run with `make run` (migrates, seeds the demo school, starts Streamlit).

Routing only: the login page for a visitor, the work pages for a logged-in staff member (menu by role).
"""

from __future__ import annotations

import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.vocabulary import StaffRole
from ui.auth import current_user, logout_button
from ui.errors import unexpected_errors
from ui.i18n import language_switch, t
from ui.privacy_view import retention_at_start
from ui.pupil import current_pupil, pupil_logout_button
from ui.tutee_view import shows_tutee_pages

st.set_page_config(page_title="PeerMatch", page_icon="🤝", layout="wide")
language_switch()
retention_at_start()  # AVG: what expired is deleted, once per process and day (cheap when nothing expired)


def _pages(user: AuthenticatedUser) -> dict[str, list[st.Page]]:
    if user.role is StaffRole.BOVENSCHOOLS:  # a board coordinator: the board's aggregates, no school page at all
        return {"": [st.Page("views/bestuur.py", title=t("board.nav"), icon="🏛️", url_path="bestuur", default=True)]}
    work = [
        st.Page("views/start.py", title=t("ui.nav.start"), icon="🏠", url_path="start", default=True),
        st.Page("views/leerlingen.py", title=t("ui.nav.pupils"), icon="🧒", url_path="leerlingen"),
        st.Page("views/programmas.py", title=t("ui.nav.programmes"), icon="🗓️", url_path="programmas"),
        st.Page("views/koppelen.py", title=t("ui.nav.match"), icon="🤝", url_path="koppelen"),
        st.Page("views/paren.py", title=t("ui.nav.pairs"), icon="👫", url_path="paren"),
        st.Page("views/tutors.py", title=t("tutor.nav.staff"), icon="🎓", url_path="tutors"),
    ]
    work += [
        st.Page("views/overzicht.py", title=t("ib.nav.overview"), icon="📊", url_path="overzicht"),
        st.Page("views/signalen.py", title=t("ib.nav.signals"), icon="🔔", url_path="signalen"),
        st.Page("views/paren_volgen.py", title=t("ib.nav.follow"), icon="🧭", url_path="paren-volgen"),
        st.Page("views/resultaten.py", title=t("ib.nav.results"), icon="📈", url_path="resultaten"),
    ]
    tools = [st.Page("views/proef.py", title=t("ui.nav.trial"), icon="🧪", url_path="proefkoppeling")]
    if user.role in (StaffRole.BEHEERDER, StaffRole.IB):
        tools.append(st.Page("views/instellingen.py", title=t("settings.nav"), icon="⚙️", url_path="instellingen"))
        tools.append(st.Page("views/vakanties.py", title=t("calendar.holidays.nav"), icon="🏖️", url_path="vakanties"))
        tools.append(st.Page("views/audit.py", title=t("privacy.audit.nav"), icon="🔍", url_path="audit"))
    mine = st.Page("views/mijn_account.py", title=t("accounts.mine.title"), icon="🔒", url_path="mijn-account")
    if user.role is StaffRole.BEHEERDER:
        tools.append(st.Page("views/accounts.py", title=t("accounts.title"), icon="👥", url_path="accounts"))
        return {t("ui.nav.section_work"): work, t("ui.nav.section_tools"): [*tools, mine]}
    return {t("ui.nav.section_work"): [*work, *tools, mine]}


def _tutor_pages() -> list[st.Page]:
    """A logged-in tutor sees only these: their own maatje, the training and the check-in."""
    return [
        st.Page("views/tutor_home.py", title=t("tutor.nav.home"), icon="🧒", url_path="mijn-maatje", default=True),
        st.Page("views/training.py", title=t("tutor.nav.training"), icon="📚", url_path="training"),
        st.Page("views/checkin.py", title=t("tutor.nav.checkin"), icon="✅", url_path="check-in"),
    ]


def _tutee_pages() -> list[st.Page]:
    """A pupil who is only a tutee: their own maatje, their own check-in and the welcome."""
    return [
        st.Page("views/tutee_home.py", title=t("tutee.nav.home"), icon="🧒", url_path="mijn-maatje", default=True),
        st.Page("views/tutee_checkin.py", title=t("tutee.nav.checkin"), icon="✅", url_path="na-het-moment"),
        st.Page("views/tutee_welkom.py", title=t("tutee.nav.welcome"), icon="👋", url_path="welkom"),
    ]


pupil = current_pupil()
user = None if pupil is not None else current_user()
if pupil is not None:
    pupil_logout_button(pupil)
    page = st.navigation(_tutee_pages() if shows_tutee_pages(pupil) else _tutor_pages())
elif user is None:
    page = st.navigation(
        [
            st.Page("views/login.py", title=t("ui.nav.login"), icon="🔑", url_path="login"),
            st.Page("views/leerling_login.py", title=t("tutor.nav.pupil_login"), icon="🎒", url_path="leerling"),
        ]
    )
elif user.must_change_password:  # a generated password: the change page before anything else
    logout_button(user)
    page = st.navigation(
        [st.Page("views/mijn_account.py", title=t("accounts.mine.title"), icon="🔒", url_path="mijn-account")]
    )
else:
    logout_button(user)
    page = st.navigation(_pages(user), expanded=True)  # over 12 pages would fold under "View N more"
with unexpected_errors():  # our own message and a reference id, never a traceback (the log has it)
    page.run()
