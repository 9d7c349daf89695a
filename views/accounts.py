"""Accounts (beheerder only): the staff accounts; add one, change a teacher's groups, block, lift a login lock,
reset a password."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from peermatch.services.accounts import StaffAccounts, staff_accounts
from peermatch.services.login_guard import locked_accounts
from ui.accounts_view import accounts_table, add_account_form, manage_account, show_messages
from ui.auth import require_user
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import t

user = require_user()
st.title(t("accounts.title"))
st.caption(t("accounts.intro"))
show_messages()

school: StaffAccounts | None = None
locks: dict[int, datetime] = {}
with shown_errors():
    school = staff_accounts(database(), user)
    locks = locked_accounts(database(), user, datetime.now(UTC))  # after too many wrong passwords
if school is not None and school.accounts:  # None only when the core refused (then its message is shown above)
    accounts_table(school.accounts, school.groups)
    add_account_form(user, school.groups)
    manage_account(user, school.accounts, school.groups, locks)
