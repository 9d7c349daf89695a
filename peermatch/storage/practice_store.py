"""Practice sign-offs: a teacher saw a tutor do a module's role-play ("Probeer het"), per tutor and module.

Rows only: readiness is the training core. A leerkracht signs off the pupils of her own groups; ib and
beheerder the whole school (``peermatch.storage.access``). Signing and undoing are audited.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.storage import audit
from peermatch.storage.access import load_pupil
from peermatch.storage.enums import AuditAction
from peermatch.storage.models import PracticeSignoff

__all__ = ["add_signoff", "remove_signoff", "signed_modules"]

_ENTITY = "practice_signoff"
_CHUNK = 500  # ids per IN (...): well under every database's limit on bound parameters


def signed_modules(session: Session, *pupil_ids: int) -> dict[int, frozenset[str]]:
    """Pupil id -> the module ids whose practice a teacher signed off. No permission check: callers check."""
    if not pupil_ids:
        return {}
    found: dict[int, set[str]] = defaultdict(set)
    ids = sorted(set(pupil_ids))
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            sa.select(PracticeSignoff.pupil_id, PracticeSignoff.module_id).where(
                PracticeSignoff.pupil_id.in_(ids[start : start + _CHUNK])
            )
        )
        for pupil_id, module_id in rows:
            found[pupil_id].add(module_id)
    return {pupil: frozenset(modules) for pupil, modules in found.items()}


def _row_of(pupil_id: int, module_id: str) -> sa.ColumnElement[bool]:
    return sa.and_(PracticeSignoff.pupil_id == pupil_id, PracticeSignoff.module_id == module_id)


def add_signoff(session: Session, actor: AuthenticatedUser, pupil_id: int, module_id: str, today: date) -> bool:
    """Record that ``actor`` saw the pupil practise ``module_id``; ``False`` when it was already signed off."""
    pupil = load_pupil(session, actor, pupil_id)
    existing = session.scalar(sa.select(PracticeSignoff.id).where(_row_of(pupil.id, module_id)))
    if existing is not None:
        return False
    session.add(
        PracticeSignoff(school_id=pupil.school_id, pupil_id=pupil.id, module_id=module_id, signed_on=today,
                        signed_by_id=actor.id, signed_by_name=actor.display_name)
    )  # fmt: skip
    audit.record(session, actor, pupil.school_id, AuditAction.CREATE, _ENTITY, pupil.id, detail=module_id)
    session.flush()
    return True


def remove_signoff(session: Session, actor: AuthenticatedUser, pupil_id: int, module_id: str) -> bool:
    """Undo a sign-off (a wrong tap); ``False`` when there was none."""
    pupil = load_pupil(session, actor, pupil_id)
    row = session.scalar(sa.select(PracticeSignoff).where(_row_of(pupil.id, module_id)))
    if row is None:
        return False
    session.delete(row)
    audit.record(session, actor, pupil.school_id, AuditAction.DELETE, _ENTITY, pupil.id, detail=module_id)
    session.flush()
    return True
