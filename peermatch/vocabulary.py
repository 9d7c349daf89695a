"""The fixed vocabularies of PeerMatch: scales, run and pair states, constraint kinds and audit actions.

Core values (the services and pages use them); the database stores each as text, never as a native
PostgreSQL enum type (``peermatch.storage.enums`` re-exports them for the models).
"""

from __future__ import annotations

from enum import StrEnum

from peermatch.auth.policy import StaffRole

__all__ = ["AuditAction", "ConstraintKind", "PairStatus", "RunStatus", "Scale", "StaffRole"]


class Scale(StrEnum):
    """The scale a level was measured on."""

    AVI2009 = "avi2009"  # AVI Start, M3 ... E7, Plus
    AVI_OLD = "avi_old"  # AVI 1-9 before 2009, stored as a range on the new scale
    FUNCTIONERINGSNIVEAU = "functioneringsniveau"  # maths, Cito


class RunStatus(StrEnum):
    DRAFT = "draft"  # proposed by the matcher, being reviewed
    PUBLISHED = "published"  # the pairs in use (at most one per programme)
    SUPERSEDED = "superseded"  # was published, replaced by a later run


class PairStatus(StrEnum):
    PROPOSED = "proposed"  # in a draft run
    ACTIVE = "active"  # in the published run, tutoring
    ENDED = "ended"  # stopped: see end_date and end_reason


class ConstraintKind(StrEnum):
    PIN = "pin"  # keep this pair in every re-run
    FORBID = "forbid"  # never propose this pair


class AuditAction(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    VIEW = "view"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    IMPORT = "import"
    EXPORT = "export"
    PUBLISH = "publish"
    LOGOUT = "logout"
    RETENTION = "retention"  # a retention run: what expired was deleted (counts in the detail)
