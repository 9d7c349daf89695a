"""PeerMatch, the teachers' app. Run with `make run` (migrates, seeds the demo school, starts Streamlit).

Routing only: the login page for a visitor, the work pages for a logged-in staff member (menu by role).
"""

from __future__ import annotations

import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.storage.enums import StaffRole
from ui.auth import current_user, logout_button
from ui.i18n import language_switch, t

st.set_page_config(page_title="PeerMatch", page_icon="🤝", layout="wide")
language_switch()


def _pages(user: AuthenticatedUser) -> dict[str, list[st.Page]]:
    work = [
        st.Page("views/start.py", title=t("ui.nav.start"), icon="🏠", url_path="start", default=True),
        st.Page("views/leerlingen.py", title=t("ui.nav.pupils"), icon="🧒", url_path="leerlingen"),
        st.Page("views/programmas.py", title=t("ui.nav.programmes"), icon="🗓️", url_path="programmas"),
        st.Page("views/koppelen.py", title=t("ui.nav.match"), icon="🤝", url_path="koppelen"),
        st.Page("views/paren.py", title=t("ui.nav.pairs"), icon="👫", url_path="paren"),
    ]
    tools = [st.Page("views/proef.py", title=t("ui.nav.trial"), icon="🧪", url_path="proefkoppeling")]
    if user.role is StaffRole.BEHEERDER:
        return {t("ui.nav.section_work"): work, t("ui.nav.section_tools"): tools}
    return {t("ui.nav.section_work"): work + tools}


user = current_user()
if user is None:
    page = st.navigation([st.Page("views/login.py", title=t("ui.nav.login"), icon="🔑", url_path="login")])
else:
    logout_button(user)
    page = st.navigation(_pages(user))
page.run()
