"""The fixed vocabularies the database stores as text (never as native PostgreSQL enum types).

They are core values, defined in :mod:`peermatch.vocabulary`; the models import them from here.
"""

from __future__ import annotations

from peermatch.vocabulary import AuditAction, ConstraintKind, PairStatus, RunStatus, Scale, StaffRole

__all__ = ["AuditAction", "ConstraintKind", "PairStatus", "RunStatus", "Scale", "StaffRole"]
