"""The rules of a staff account's fields and of who may be blocked: pure functions, no database.

A username is lower case, 2 to 80 characters of ``a-z 0-9 . _ @ -`` (starting with a letter or digit)
and unique across all schools (that part is the database's: ``peermatch.storage.users``). A display
name is at most 120 characters (the username when left empty). Only a leerkracht is linked to groups:
a beheerder or ib sees the whole school anyway. A beheerder never blocks their own account, nor the
school's last active beheerder, so a school never locks itself out.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from peermatch.auth.policy import AuthenticatedUser, StaffRole, normalize_username
from peermatch.errors import AuthError, InvalidInputError, PermissionDeniedError, Problem

__all__ = [
    "DEMO_ENV_VAR",
    "MAX_DISPLAY_NAME_LENGTH",
    "account_display_name",
    "account_username",
    "demo_logins_allowed",
    "require_another_beheerder",
    "require_groups_fit_role",
    "require_not_self",
]

MAX_DISPLAY_NAME_LENGTH = 120
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,79}")


def account_username(username: str) -> str:
    """The username as stored (trimmed, lower case); ``AuthError`` when it has the wrong form."""
    name = normalize_username(username)
    if not _USERNAME.fullmatch(name):
        raise AuthError(Problem("auth.username.invalid", value=username))
    return name


def account_display_name(display_name: str, username: str) -> str:
    """The display name as stored (trimmed; the username when empty); ``InvalidInputError`` when too long."""
    display = display_name.strip() or username
    if len(display) > MAX_DISPLAY_NAME_LENGTH:
        raise InvalidInputError(Problem("auth.display_name.too_long", value=display))
    return display


def require_groups_fit_role(role: StaffRole, group_ids: Collection[int]) -> None:
    """Only a leerkracht is linked to groups: a beheerder or ib sees the whole school anyway."""
    if role is not StaffRole.LEERKRACHT and group_ids:
        raise InvalidInputError(Problem("auth.groups.not_teacher"))


def require_not_self(actor: AuthenticatedUser, user_id: int) -> None:
    """A beheerder never blocks their own account (``PermissionDeniedError``)."""
    if user_id == actor.id:
        raise PermissionDeniedError(Problem("auth.denied.self"))


def require_another_beheerder(other_active_beheerders: int) -> None:
    """Blocking an active beheerder needs another active beheerder in the school (``PermissionDeniedError``)."""
    if other_active_beheerders == 0:
        raise PermissionDeniedError(Problem("auth.denied.last_beheerder"))


DEMO_ENV_VAR = "PEERMATCH_DEMO"


def demo_logins_allowed(environ: Mapping[str, str]) -> bool:
    """True when ``PEERMATCH_DEMO=1``: the demo school's public accounts log in even beside a real school."""
    return environ.get(DEMO_ENV_VAR, "").strip() == "1"
