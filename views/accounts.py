"""Accounts (beheerder only): the staff accounts; add one, change a teacher's groups, block, reset a password."""

from __future__ import annotations

import streamlit as st

from peermatch.storage.pupils import GroupInfo, list_groups
from peermatch.storage.users import UserInfo, list_users
from ui.accounts_view import accounts_table, add_account_form, manage_account, show_messages
from ui.auth import require_user
from ui.db import session
from ui.errors import shown_errors
from ui.i18n import t

user = require_user()
st.title(t("accounts.title"))
st.caption(t("accounts.intro"))
show_messages()

users: list[UserInfo] = []
groups: list[GroupInfo] = []
with shown_errors(), session(read_only=True) as s:
    users = list_users(s, user)
    groups = list_groups(s, user, user.school_id)
if users:  # empty only when the core refused (then its message is shown above)
    accounts_table(users, groups)
    add_account_form(user, groups)
    manage_account(user, users, groups)
