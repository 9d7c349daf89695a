"""The parent letter's settings: the family's language per pupil (chosen once by the teacher, kept for the next
letter; not the staff member's screen language) and the school's contact line for parents (Instellingen).

Every staff member reads both; a family's language is set by anyone who may see the pupil, the contact line by
the beheerder and the ib. Both are checked here and audited in ``storage.letter_store``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peermatch.auth import AuthenticatedUser
from peermatch.errors import InvalidInputError, Problem
from peermatch.reports.letter_texts import LETTER_LANGUAGES
from peermatch.retention import Retention
from peermatch.services.database import Database
from peermatch.storage.letter_store import (
    StoredContact,
    family_languages_of,
    letter_contact_of,
    store_family_language,
    store_letter_contact,
)
from peermatch.storage.retention import retention_of

__all__ = [
    "CONTACT_DETAIL_MAX",
    "CONTACT_NAME_MAX",
    "LetterSettings",
    "StoredContact",
    "family_languages",
    "letter_contact",
    "letter_settings",
    "set_family_language",
    "set_letter_contact",
]

CONTACT_NAME_MAX = 120
CONTACT_DETAIL_MAX = 200


@dataclass(frozen=True)
class LetterSettings:
    """What every letter of the school prints: the contact line and the retention months (how long things are kept)."""

    contact: StoredContact
    retention: Retention


def _pupil_pk(pupil_id: int | str) -> int:
    try:
        return int(pupil_id)
    except ValueError:
        raise InvalidInputError(Problem("letters.unknown_pupil", value=str(pupil_id))) from None


def family_languages(db: Database, actor: AuthenticatedUser, pupil_ids: Iterable[int | str]) -> dict[str, str]:
    """The family language of each of the pupils the actor may see (keyed by the id as text, as the monitoring data
    has it): the stored code, or Dutch when nobody chose one. Pupils the actor may not see are left out."""
    keys = {str(p): _pupil_pk(p) for p in pupil_ids}
    with db.read() as session:
        stored = family_languages_of(session, actor, keys.values())
    return {key: stored.get(pk) or LETTER_LANGUAGES[0] for key, pk in keys.items() if pk in stored}


def set_family_language(db: Database, actor: AuthenticatedUser, pupil_id: int | str, language: str) -> None:
    """Remember the language of the pupil's family (one of ``LETTER_LANGUAGES``): the next letter is in it."""
    if language not in LETTER_LANGUAGES:
        raise InvalidInputError(Problem("reports.letter.unknown_language", value=language))
    pk = _pupil_pk(pupil_id)
    with db.write() as session:
        store_family_language(session, actor, pk, None if language == LETTER_LANGUAGES[0] else language)


def letter_contact(db: Database, actor: AuthenticatedUser) -> StoredContact:
    """The school's contact line (the schoolyard line only when nobody set one)."""
    with db.read() as session:
        return letter_contact_of(session, actor)


def letter_settings(db: Database, actor: AuthenticatedUser) -> LetterSettings:
    """The contact line and the retention months that the school's letters print."""
    with db.read() as session:
        return LetterSettings(letter_contact_of(session, actor), retention_of(session, actor).retention)


def set_letter_contact(
    db: Database, actor: AuthenticatedUser, name: str, detail: str, schoolyard: bool
) -> StoredContact:
    """Store how parents reach the school: a name (may be empty: "the school"), a phone number or e-mail address,
    and whether the letter invites them to talk to the teacher on the schoolyard. One of the last two is needed,
    so that every letter reaches someone. Beheerder and ib only; audited."""
    name, detail = " ".join(name.split()), " ".join(detail.split())
    problems = []
    if len(name) > CONTACT_NAME_MAX:
        problems.append(Problem("letters.contact.too_long", column="name", value=name[:40] + "…",
                                params={"max": CONTACT_NAME_MAX}))  # fmt: skip
    if len(detail) > CONTACT_DETAIL_MAX:
        problems.append(Problem("letters.contact.too_long", column="detail", value=detail[:40] + "…",
                                params={"max": CONTACT_DETAIL_MAX}))  # fmt: skip
    if not detail and not schoolyard:
        problems.append(Problem("letters.contact.no_way"))
    if problems:
        raise InvalidInputError(problems)
    with db.write() as session:
        store_letter_contact(session, actor, name, detail, schoolyard)
        return letter_contact_of(session, actor)
