"""The security battery (issue 11): ``pytest tests/security``. Reuses the storage helpers of tests/unit."""

from __future__ import annotations

import sys
from pathlib import Path

UNIT = Path(__file__).resolve().parents[1] / "unit"
if str(UNIT) not in sys.path:
    sys.path.insert(0, str(UNIT))
