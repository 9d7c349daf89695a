"""`peermatch seed-demo` (the first step of `make run`): migrates, seeds the demo school once, prints the logins."""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelpers import count

from peermatch.cli import main
from peermatch.demo_school.seed import demo_accounts
from peermatch.storage.engine import ENV_VAR


def test_seed_demo_is_idempotent_and_prints_the_three_accounts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'pm.db'}"
    monkeypatch.setenv(ENV_VAR, url)
    assert main(["seed-demo"]) == 0
    first = capsys.readouterr().out
    assert "+200 pupils, +3 accounts" in first
    for account in demo_accounts():
        assert account.username in first
        assert account.password in first
    pupils = count(url, "pupils")
    assert main(["seed-demo"]) == 0
    assert "+0 pupils, +0 accounts" in capsys.readouterr().out
    assert count(url, "pupils") == pupils == 200
