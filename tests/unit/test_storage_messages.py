"""Every problem code the storage and auth layers raise has a Dutch and an English message."""

from __future__ import annotations

import re
from pathlib import Path

from peermatch.i18n import catalogue

ROOT = Path(__file__).resolve().parents[2]
NOT_FOUND_KINDS = ("school", "group", "pupil", "programme", "run", "pair", "user")


def _used_codes() -> set[str]:
    used: set[str] = set()
    for path in [*(ROOT / "peermatch" / "auth").rglob("*.py"), *(ROOT / "peermatch" / "storage").rglob("*.py"),
                 *(ROOT / "peermatch" / "services").rglob("*.py")]:  # fmt: skip
        text = path.read_text("utf-8")
        used |= set(re.findall(r"""["']((?:storage|auth)\.[a-z0-9_.]+)["']""", text))
        used |= {f"storage.not_found.{c}" for c in re.findall(r"""not_found\(\s*["']([a-z_]+)["']""", text)}
    return {code for code in used if not code.endswith(".")}


def test_every_storage_and_auth_problem_code_has_a_message_in_both_languages() -> None:
    used = _used_codes()
    assert "storage.programme.weeks" in used
    assert {f"storage.not_found.{k}" for k in NOT_FOUND_KINDS} <= used
    nl, en = catalogue("nl"), catalogue("en")
    assert sorted(c for c in used if c not in nl) == []
    assert sorted(c for c in used if c not in en) == []


def test_no_storage_or_auth_message_is_left_unused() -> None:
    used = _used_codes()
    defined = {c for c in catalogue("nl") if c.startswith(("storage.", "auth."))}
    assert sorted(defined - used) == []
