"""A pair the matcher proposes, as the repositories store it: a small value type of the core.

It lives apart from ``peermatch.pairing`` so that ``peermatch.storage`` can take drafts without knowing the matcher.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["PairDraft"]


@dataclass(frozen=True)
class PairDraft:
    """One pair proposed by the matcher, by pupil number (``model.Pupil.pupil_id``)."""

    tutor_number: str
    tutee_number: str
    cost: float | None = None
    explanation: Any = ()  # JSON: a list of reasons (i18n codes + params) or text
    pinned: bool = False
