"""Issue 11, item 4: ``peermatch create-school NAME --admin USERNAME`` onboards a real school (SQLite and PostgreSQL).

Failed on the old main (checked by hand once): the only way to create a school was ``seed-demo``, whose
passwords are printed in the README, and there was no such command.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from storage_fixtures import backend, db_url

from peermatch.cli import main
from peermatch.demo import generate_school
from peermatch.demo_school.seed import demo_accounts, seed_demo
from peermatch.errors import PermissionDeniedError
from peermatch.services import Database
from peermatch.services.login import authenticate
from peermatch.storage.engine import make_engine

__all__ = ["backend", "db_url"]  # fixtures used by the tests below


def test_create_school_prints_a_generated_password_once_that_must_be_changed(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PEERMATCH_DATABASE_URL", db_url)
    assert main(["create-school", "OBS De Echte", "--admin", "Beheer.Echt", "--admin-name", "Anna de Vries"]) == 0
    out, err = capsys.readouterr()
    assert "OBS De Echte" in err
    assert "niet bewaard en nooit meer getoond" in err
    (line,) = out.splitlines()  # stdout: only the password line, for a script to pick up
    password = line.rsplit(": ", 1)[1]
    assert len(password) >= 12
    db = Database.connect(db_url)
    admin = authenticate(db, "beheer.echt", password)
    assert admin is not None
    assert admin.must_change_password  # the first login asks for a password of their own
    assert admin.display_name == "Anna de Vries"
    engine = make_engine(db_url)
    try:
        with engine.connect() as c:
            stored = c.execute(sa.text("SELECT password_hash FROM users WHERE username = 'beheer.echt'")).scalar_one()
            actions = c.execute(sa.text("SELECT action, entity FROM audit_log WHERE action = 'create'")).all()
    finally:
        engine.dispose()
    assert password not in stored
    assert {tuple(a) for a in actions} == {("create", "school"), ("create", "user")}


def test_a_second_school_of_the_same_name_or_a_taken_username_is_refused_in_the_users_language(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PEERMATCH_DATABASE_URL", db_url)
    assert main(["create-school", "OBS Echt", "--admin", "beheer.echt"]) == 0
    capsys.readouterr()
    assert main(["create-school", "OBS Echt", "--admin", "iemand.anders"]) == 1
    out, err = capsys.readouterr()
    assert out == ""  # no password: nothing was made
    assert "Er is al een school met de naam 'OBS Echt'" in err
    assert main(["--lang", "en", "create-school", "OBS Anders", "--admin", "beheer.echt"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("No school created:")


def test_once_a_real_school_exists_the_demo_accounts_are_refused(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PEERMATCH_DATABASE_URL", db_url)
    monkeypatch.delenv("PEERMATCH_DEMO", raising=False)
    seed_demo(db_url, generate_school(40, 2026))
    demo = demo_accounts()[0]
    db = Database.connect(db_url)
    assert authenticate(db, demo.username, demo.password) is not None  # only the demo: fine
    assert main(["create-school", "OBS Echt", "--admin", "beheer.echt"]) == 0
    with pytest.raises(PermissionDeniedError):
        authenticate(db, demo.username, demo.password)
    monkeypatch.setenv("PEERMATCH_DEMO", "1")
    assert authenticate(db, demo.username, demo.password) is not None
