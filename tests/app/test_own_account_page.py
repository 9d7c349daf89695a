"""The staff session follows the database, and Mijn account, in AppTest on the demo database: a teacher whom
the beheerder blocks, or whose password the beheerder resets, is logged out at her next click, with a message;
a password changed on Mijn account keeps that session and ends the account's other ones; new groups count at
once; every staff role has Mijn account, with name, username, role and groups; a changed password works at
the next login and the old one does not; a mismatch, a wrong current password or a weak new one is a readable error and
changes nothing; too many wrong current passwords end the session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from apphelpers import PASSWORDS, account, logged_in, ok, try_login
from streamlit.testing.v1 import AppTest

from peermatch.auth import AuthenticatedUser
from peermatch.services import Database
from peermatch.services.accounts import set_user_active, set_user_groups
from peermatch.services.passwords import reset_password
from peermatch.storage.engine import make_engine, session_factory
from ui.own_account import MAX_WRONG
from ui.text import plain

PAGE = "views/mijn_account.py"
NEW_PASSWORD = "mijn-nieuwe-wachtwoord-2026"
BLOCKED = "Je account is geblokkeerd of verwijderd. Vraag je beheerder."
PASSWORD_CHANGED = "Je wachtwoord is gewijzigd. Log opnieuw in."
LOGIN_TITLE = ["Inloggen bij PeerMatch"]


def _as_beheerder(url: str, change: Callable[[Database, AuthenticatedUser], object]) -> None:
    """What the beheerder does on the Accounts page, straight in the database (her page stays open)."""
    beheerder = account(url, "beheer")
    engine = make_engine(url)
    try:
        change(Database(session_factory(engine)), beheerder)
    finally:
        engine.dispose()


def _scalar(url: str, sql: str, **params: object) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(sql), params).scalar_one())
    finally:
        engine.dispose()


def _stored_hash(url: str, username: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            query = sa.text("SELECT password_hash FROM users WHERE username = :u")
            return str(conn.execute(query, {"u": username}).scalar_one())
    finally:
        engine.dispose()


def _failed_logins(url: str, user_id: int) -> int:
    return _scalar(url, "SELECT count(*) FROM audit_log WHERE user_id = :u AND action = 'login_failed'", u=user_id)


def _fill(at: AppTest, current: str, new: str, again: str) -> AppTest:
    fields = {w.key.rsplit("_", 1)[1]: w for w in at.text_input if w.key and w.key.startswith("own_pw")}
    assert sorted(fields) == ["again", "current", "new"]
    fields["current"].set_value(current)
    fields["new"].set_value(new)
    fields["again"].set_value(again)
    submit = at.form_submit_button[0]  # the password form (the e-mail form follows)
    return ok(submit.click().run())


def _mine(url: str, username: str = "juf.fatima") -> AppTest:
    at = logged_in(url, username, page=PAGE)
    assert [t.value for t in at.title] == ["Mijn account"]
    return at


# ------------------------------------------------------------------------------------------------ the session


def test_a_teacher_blocked_by_the_beheerder_is_logged_out_at_her_next_click(db_url: str) -> None:
    at = logged_in(db_url, "juf.fatima", page="views/leerlingen.py")
    juf = at.session_state["auth_user"]
    _as_beheerder(db_url, lambda db, beheerder: set_user_active(db, beheerder, juf.id, False))
    ok(at.run())  # her next click: no 30 minutes' grace
    assert [t.value for t in at.title] == ["Inloggen bij PeerMatch"]
    assert [w.value for w in at.warning] == [BLOCKED]
    assert "auth_user" not in at.session_state
    assert not [b for b in at.sidebar.button if b.label == "Uitloggen"]
    ok(at.run())  # the message is shown once
    assert not at.warning


def test_a_teacher_whose_password_the_beheerder_resets_is_logged_out_at_her_next_click(db_url: str) -> None:
    at = logged_in(db_url, "juf.fatima", page="views/leerlingen.py")
    assert [t.value for t in at.title] != LOGIN_TITLE
    juf = at.session_state["auth_user"]
    _as_beheerder(db_url, lambda db, beheerder: reset_password(db, beheerder, juf.id, NEW_PASSWORD))
    ok(at.run())  # her next click, in the session opened with the old password
    assert [t.value for t in at.title] == LOGIN_TITLE
    assert [w.value for w in at.warning] == [PASSWORD_CHANGED]
    assert "auth_user" not in at.session_state
    assert not [b for b in at.sidebar.button if b.label == "Uitloggen"]
    ok(at.run())  # the message is shown once
    assert not at.warning
    assert try_login(db_url, "juf.fatima", NEW_PASSWORD) is not None  # she logs in again with the new one


def test_a_reset_of_a_colleagues_password_leaves_the_teacher_logged_in(db_url: str) -> None:
    at = logged_in(db_url, "juf.fatima", page="views/leerlingen.py")
    ib = account(db_url, "ib")
    _as_beheerder(db_url, lambda db, beheerder: reset_password(db, beheerder, ib.id, NEW_PASSWORD))
    ok(at.run())
    assert [o.split(" ")[0] for o in at.selectbox(key="group").options] == ["5A", "7A"]
    assert not at.warning


def test_new_groups_count_at_the_teachers_next_click(db_url: str) -> None:
    at = logged_in(db_url, "juf.fatima", page="views/leerlingen.py")
    assert sorted(o.split(" ")[0] for o in at.selectbox(key="group").options) == ["5A", "7A"]
    group_6a = _scalar(db_url, "SELECT id FROM groups WHERE name = '6A'")
    juf = at.session_state["auth_user"]
    _as_beheerder(db_url, lambda db, beheerder: set_user_groups(db, beheerder, juf.id, [group_6a]))
    ok(at.run())
    assert [o.split(" ")[0] for o in at.selectbox(key="group").options] == ["6A"]
    assert at.session_state["auth_user"].group_ids == {group_6a}


def test_an_idle_session_still_ends_with_its_own_message(db_url: str) -> None:
    at = logged_in(db_url, "juf.fatima")
    at.session_state["auth_last_seen"] = datetime.now(UTC) - timedelta(minutes=31)
    ok(at.run())
    assert [t.value for t in at.title] == ["Inloggen bij PeerMatch"]
    assert [i.value for i in at.info] == ["Je was een tijd niet actief en bent uitgelogd. Log opnieuw in."]
    assert not at.warning


# ------------------------------------------------------------------------------------------------ Mijn account


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("juf.fatima", ["Juf Fatima (demo)", "juf.fatima", "Leerkracht", "5A, 7A"]),
        ("ib", ["ib", "Intern begeleider", "hele school"]),
        ("beheer", ["beheer", "Beheerder", "hele school"]),
    ],
)
def test_every_staff_role_sees_its_own_details(db_url: str, username: str, expected: list[str]) -> None:
    at = _mine(db_url, username)
    details = at.markdown[0].value
    for label, value in zip(["Naam", "Gebruikersnaam", "Rol", "Groepen"][-len(expected) :], expected, strict=True):
        assert f"**{label}:** {value}" in details
    assert any("minstens 12" in c.value for c in at.caption)  # the policy in one line
    assert any("Vraag je beheerder" in c.value for c in at.caption) == (username != "beheer")


def test_a_changed_password_works_at_the_next_login_and_the_old_one_does_not(db_url: str) -> None:
    at = _mine(db_url)
    _fill(at, PASSWORDS["juf.fatima"], NEW_PASSWORD, NEW_PASSWORD)
    assert [s.value for s in at.success] == ["Je wachtwoord is gewijzigd. Log voortaan in met je nieuwe wachtwoord."]
    assert not at.error
    assert all(field.value == "" for field in at.text_input)  # a fresh form: no password stays behind
    assert try_login(db_url, "juf.fatima", NEW_PASSWORD) is not None
    assert try_login(db_url, "juf.fatima", PASSWORDS["juf.fatima"]) is None
    assert [t.value for t in ok(at.run()).title] == ["Mijn account"]  # still logged in


def test_an_own_change_keeps_this_session_and_ends_the_accounts_other_sessions(db_url: str) -> None:
    other = logged_in(db_url, "juf.fatima", page="views/leerlingen.py")  # e.g. her laptop in the classroom
    at = _mine(db_url)
    before = at.session_state["auth_user"].credential
    _fill(at, PASSWORDS["juf.fatima"], NEW_PASSWORD, NEW_PASSWORD)
    assert at.success
    assert at.session_state["auth_user"].credential != before  # this session holds the new password's stamp
    for _ in range(2):  # the next clicks here work, not just the rerun right after the change
        ok(at.run())
        assert [t.value for t in at.title] == ["Mijn account"]
        assert not at.warning
    ok(at.switch_page("views/leerlingen.py").run())
    assert [o.split(" ")[0] for o in at.selectbox(key="group").options] == ["5A", "7A"]
    ok(other.run())  # the session opened with the old password ends at its next click
    assert [t.value for t in other.title] == LOGIN_TITLE
    assert [w.value for w in other.warning] == [PASSWORD_CHANGED]


@pytest.mark.parametrize(
    ("current", "new", "again", "error"),
    [
        (PASSWORDS["juf.fatima"], NEW_PASSWORD, NEW_PASSWORD + "x", "De twee nieuwe wachtwoorden zijn niet gelijk."),
        ("niet-mijn-wachtwoord", NEW_PASSWORD, NEW_PASSWORD, "Het huidige wachtwoord klopt niet."),
        (PASSWORDS["juf.fatima"], "kort", "kort", "Een wachtwoord moet minstens 12 tekens lang zijn."),
    ],
    ids=["mismatch", "wrong-current", "weak"],
)
def test_a_refused_change_shows_a_readable_error_and_changes_nothing(
    db_url: str, current: str, new: str, again: str, error: str
) -> None:
    at = _mine(db_url)
    before = _stored_hash(db_url, "juf.fatima")
    _fill(at, current, new, again)
    assert len(at.error) == 1
    assert at.error[0].value.startswith(error)
    assert not at.success
    assert _stored_hash(db_url, "juf.fatima") == before
    assert try_login(db_url, "juf.fatima", PASSWORDS["juf.fatima"]) is not None
    assert try_login(db_url, "juf.fatima", new) is None


def test_a_wrong_current_password_is_audited_and_counted(db_url: str) -> None:
    at = _mine(db_url)
    juf = at.session_state["auth_user"]
    before = _failed_logins(db_url, juf.id)
    _fill(at, "niet-mijn-wachtwoord", NEW_PASSWORD, NEW_PASSWORD)
    assert _failed_logins(db_url, juf.id) == before + 1  # like a failed login
    assert [w.value for w in at.warning] == [
        f"Nog {MAX_WRONG - 1} poging(en) met het huidige wachtwoord; daarna word je uitgelogd."
    ]
    _fill(at, PASSWORDS["juf.fatima"], NEW_PASSWORD, NEW_PASSWORD)  # then the right one still works
    assert at.success
    assert _failed_logins(db_url, juf.id) == before + 1


def test_too_many_wrong_current_passwords_end_the_session(db_url: str) -> None:
    at = _mine(db_url)
    juf = at.session_state["auth_user"]
    before = _failed_logins(db_url, juf.id)
    for _ in range(MAX_WRONG - 1):
        _fill(at, "raden-raden-raden", NEW_PASSWORD, NEW_PASSWORD)
        assert [t.value for t in at.title] == ["Mijn account"]
    _fill(at, "raden-raden-raden", NEW_PASSWORD, NEW_PASSWORD)
    assert [t.value for t in at.title] == ["Inloggen bij PeerMatch"]
    assert [w.value for w in at.warning] == [
        "Je hebt te vaak een verkeerd huidig wachtwoord ingevuld en bent daarom uitgelogd. Log opnieuw in."
    ]
    assert "auth_user" not in at.session_state
    assert _failed_logins(db_url, juf.id) == before + MAX_WRONG
    assert try_login(db_url, "juf.fatima", PASSWORDS["juf.fatima"]) is not None  # the account itself is fine


def test_a_name_is_shown_as_typed_not_as_markdown() -> None:
    assert plain("*Ali* [klik](https://x.nl) a_b") == r"\*Ali\* \[klik\](https" + "\u2060" + r"://x.nl) a\_b"
    assert plain("$x$ # ~y~ <b>") == r"\$x\$ \# \~y\~ \<b\>"  # no formula, heading, strike-through or tag
    assert plain("Juf Fatima (demo)") == "Juf Fatima (demo)"  # ordinary names are untouched


def test_an_ib_er_enters_an_address_and_switches_the_mails_on_mijn_account(db_url: str) -> None:
    at = logged_in(db_url, "ib", PAGE)
    assert [t.label for t in at.toggle] == [
        "Mail me bij een nieuw zorgsignaal of een hulpvraag in mijn groepen",
        "Stuur me elke week een samenvatting (intern begeleider)",
    ]
    assert "verstuurt (nog) geen e-mail" in " ".join(c.value for c in at.caption)  # no SMTP in the tests' env
    at.text_input(key="mail_email").set_value("ib at school")
    ok(at.form_submit_button[-1].click().run())
    message = "'ib at school' is geen e-mailadres. Schrijf het als naam@school.nl, of laat het veld leeg."
    assert [e.value for e in at.error] == [plain(message)]  # (plain: an address in a message is never a link)
    at.text_input(key="mail_email").set_value("IB@Maasbrug.nl")
    at.toggle(key="mail_weekly").set_value(False)
    ok(at.form_submit_button[-1].click().run())
    assert [s.value for s in at.success] == ["Je e-mailinstellingen zijn opgeslagen."]
    row = _scalar(db_url, "SELECT count(*) FROM users WHERE username = 'ib' AND email = 'IB@maasbrug.nl' "
                  "AND notify_signals AND NOT notify_weekly")  # fmt: skip
    assert row == 1


def test_a_teacher_has_no_weekly_switch_and_a_beheerder_no_signal_switch(db_url: str) -> None:
    at = logged_in(db_url, "juf.fatima", PAGE)
    assert [t.label for t in at.toggle] == ["Mail me bij een nieuw zorgsignaal of een hulpvraag in mijn groepen"]
    at = logged_in(db_url, "beheer", PAGE)
    assert not at.toggle
    assert at.text_input(key="mail_email").value == ""
