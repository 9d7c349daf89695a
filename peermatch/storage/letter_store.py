"""The parent letter in the database: the family's language per pupil (``pupils.family_language``) and the
school's contact line for parents (``school_letter_contact``).

A pupil's family language is read and set through the pupil's group (a leerkracht only for the own groups,
like everything about a pupil); the contact line is read by every staff member of the school and changed by
the beheerder and the ib (``storage.settings.SETTINGS_EDITORS``). Both changes are audited; the audit names the
pupil by id and the language code, never a name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser, require_group_access, require_role
from peermatch.errors import PermissionDeniedError, Problem
from peermatch.storage import audit
from peermatch.storage.access import load_pupil
from peermatch.storage.enums import AuditAction
from peermatch.storage.models import Group, PupilRow, SchoolLetterContact, utcnow
from peermatch.storage.settings import SETTINGS_EDITORS

__all__ = ["StoredContact", "family_languages_of", "letter_contact_of", "store_family_language",
           "store_letter_contact"]  # fmt: skip


@dataclass(frozen=True)
class StoredContact:
    """The school's contact line as stored (``updated_by`` "" when never set: then the schoolyard line only)."""

    name: str = ""
    detail: str = ""
    schoolyard: bool = True
    updated_by: str = ""


def _staff(actor: object) -> AuthenticatedUser:
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    return actor


def family_languages_of(session: Session, actor: AuthenticatedUser, pupil_ids: Iterable[int]) -> dict[int, str]:
    """The stored family language of each pupil the actor may see among ``pupil_ids`` ("" when none was chosen);
    a pupil of another school or of a group the actor may not see is left out."""
    actor = _staff(actor)
    wanted = list(dict.fromkeys(pupil_ids))
    if not wanted:
        return {}
    rows = session.execute(
        sa.select(PupilRow.id, PupilRow.school_id, PupilRow.group_id, Group.name, PupilRow.family_language)
        .outerjoin(Group, Group.id == PupilRow.group_id)
        .where(PupilRow.id.in_(wanted), PupilRow.school_id == actor.school_id)
    ).all()
    out: dict[int, str] = {}
    for pupil_id, school_id, group_id, group_name, language in rows:
        try:
            require_group_access(actor, school_id, group_id, group_name or "")
        except PermissionDeniedError:  # e.g. a leerkracht's pair whose tutor is in a colleague's group
            continue
        out[pupil_id] = language or ""
    return out


def store_family_language(session: Session, actor: AuthenticatedUser, pupil_id: int, language: str | None) -> None:
    """Remember the language of the pupil's family for the parent letter (``None``: back to Dutch). The caller
    checks the code; the pupil is checked against the actor here. Audited as ``family_language``."""
    actor = _staff(actor)
    pupil = load_pupil(session, actor, pupil_id)
    if (pupil.family_language or None) == (language or None):
        return
    pupil.family_language = language or None
    session.flush()
    audit.record(session, actor, pupil.school_id, AuditAction.UPDATE, "family_language", pupil.id,
                 detail=language or "")  # fmt: skip


def letter_contact_of(session: Session, actor: AuthenticatedUser) -> StoredContact:
    """The contact line of the actor's school (any staff member reads it: every letter prints it)."""
    actor = _staff(actor)
    row = session.get(SchoolLetterContact, actor.school_id)
    if row is None:
        return StoredContact()
    return StoredContact(row.name, row.detail, row.schoolyard, row.updated_by_name)


def store_letter_contact(session: Session, actor: AuthenticatedUser, name: str, detail: str, schoolyard: bool) -> None:
    """Store the school's contact line (beheerder and ib; audited). The caller checks and tidies the texts."""
    actor = _staff(actor)
    require_role(actor, *SETTINGS_EDITORS)
    row = session.get(SchoolLetterContact, actor.school_id)
    if row is None:
        row = SchoolLetterContact(school_id=actor.school_id)
        session.add(row)
    row.name, row.detail, row.schoolyard = name, detail, schoolyard
    row.updated_at = utcnow()
    row.updated_by_name = actor.display_name or actor.username
    session.flush()
    audit.record(session, actor, actor.school_id, AuditAction.UPDATE, "settings", "letter_contact")
