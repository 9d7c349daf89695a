"""Stable pseudonyms for exports: the same pupil always gets the same code, nobody can go back.

A code is an HMAC-SHA256 of the pupil id under the school's secret, written as 10 base32 letters
and digits after a prefix (``L-7KQ2M4XJ9A``). Without the secret a code cannot be linked to a pupil
(nor guessed from a list of pupil ids); with another secret the codes differ, so two schools' exports
cannot be joined. The secret must be at least 16 characters and must stay inside the school.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from peermatch.errors import Problem, PseudonymError

__all__ = ["MIN_SECRET_LENGTH", "PseudonymError", "Pseudonymiser", "pseudonym"]

MIN_SECRET_LENGTH = 16


def pseudonym(pupil_id: str, secret: str | bytes, prefix: str = "L-") -> str:
    """The stable code of ``pupil_id`` under ``secret``."""
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    if len(key) < MIN_SECRET_LENGTH:
        raise PseudonymError(Problem("reports.secret_too_short", params={"minimum": MIN_SECRET_LENGTH}))
    digest = hmac.new(key, pupil_id.strip().encode("utf-8"), hashlib.sha256).digest()
    return prefix + base64.b32encode(digest).decode("ascii")[:10]


@dataclass(frozen=True)
class Pseudonymiser:
    """Codes for pupils (``L-``) and pairs (``K-``, koppel) under one school secret."""

    secret: str | bytes

    def __post_init__(self) -> None:
        pseudonym("check", self.secret)  # refuse a weak secret at once

    def pupil(self, pupil_id: str) -> str:
        return pseudonym(pupil_id, self.secret, "L-")

    def pair(self, pair_id: str) -> str:
        return pseudonym("pair:" + pair_id, self.secret, "K-")
