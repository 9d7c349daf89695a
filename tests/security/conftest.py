"""The security battery (issue 11): one test per finding of the attack and privacy review, run as one command
(``make test-security``). The tests reuse the database fixtures of ``tests/unit`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import sys
from pathlib import Path

UNIT = str(Path(__file__).resolve().parents[1] / "unit")
if UNIT not in sys.path:
    sys.path.insert(0, UNIT)
