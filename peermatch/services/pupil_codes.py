"""Login cards, staff side: make or reset the pupils' codes of a group (the cards are an audited export),
look up the class code, and lift the login wait of a class (the teacher is standing next to it).

A leerkracht: own groups only; ib and beheerder: the whole school (checked by the repositories).
The plain personal codes exist only on the returned :class:`LoginCard` objects: print them right away.
"""

from __future__ import annotations

from peermatch.auth import AuthenticatedUser
from peermatch.pupil_auth import CodeKind, LoginCard
from peermatch.services.database import Database
from peermatch.storage import pupil_codes
from peermatch.storage.audit import record_export

__all__ = ["class_code", "clear_login_wait", "make_login_cards", "outdated_cards", "reset_login_card"]


def class_code(db: Database, actor: AuthenticatedUser, group_id: int) -> tuple[str, CodeKind] | None:
    """The group's class code and code kind, or None when no codes were made yet."""
    with db.read() as session:
        return pupil_codes.class_code_of(session, actor, group_id)


def outdated_cards(db: Database, actor: AuthenticatedUser, group_id: int) -> int:
    """How many pupils of the group hold a card from before login numbers (it no longer works: print new cards)."""
    with db.read() as session:
        return pupil_codes.outdated_cards(session, actor, group_id)


def make_login_cards(
    db: Database, actor: AuthenticatedUser, group_id: int, *, kind: CodeKind | None = None, new_class_code: bool = False
) -> list[LoginCard]:
    """New personal codes for every active pupil of the group (old codes stop working), by first name,
    audited as an export of login cards. ``kind`` and ``new_class_code``: see ``storage.pupil_codes.generate_codes``."""
    with db.write() as session:
        cards = pupil_codes.generate_codes(session, actor, group_id, kind=kind, new_class_code=new_class_code)
        record_export(session, actor, "login_cards", group_id)
    return cards


def reset_login_card(db: Database, actor: AuthenticatedUser, pupil_id: int) -> LoginCard:
    """A new personal code for one pupil (lost card, code seen by others), audited as an export of their card."""
    with db.write() as session:
        card = pupil_codes.reset_code(session, actor, pupil_id)
        record_export(session, actor, "login_card", pupil_id)
    return card


def clear_login_wait(db: Database, actor: AuthenticatedUser, group_id: int) -> int:
    """Forget the failed logins of the group's pupils, so they can log in again right away; how many pupils
    (numbers) had a wait or a lock."""
    with db.write() as session:
        return pupil_codes.clear_login_failures(session, actor, group_id)
