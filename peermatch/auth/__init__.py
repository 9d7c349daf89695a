"""Staff accounts in the core: who may do what (:mod:`.policy`), passwords (:mod:`.passwords`) and the
rules of an account's fields and of blocking (:mod:`.accounts`).

Logging in, reloading and managing accounts need the database: they are services (``peermatch.services.login``,
``peermatch.services.accounts``, ``peermatch.services.passwords``).
"""

from __future__ import annotations

from peermatch.auth.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    check_password_policy,
    credential_stamp,
    generate_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from peermatch.auth.policy import (
    SCHOOL_WIDE_ROLES,
    AuthenticatedUser,
    StaffRole,
    can_read_group,
    is_expired,
    normalize_username,
    require_group_access,
    require_groups_access,
    require_role,
    require_school,
)

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "SCHOOL_WIDE_ROLES",
    "AuthenticatedUser",
    "StaffRole",
    "can_read_group",
    "check_password_policy",
    "credential_stamp",
    "generate_password",
    "hash_password",
    "is_expired",
    "needs_rehash",
    "normalize_username",
    "require_group_access",
    "require_groups_access",
    "require_role",
    "require_school",
    "verify_password",
]
