"""The Accounts page in AppTest, on the demo database: the beheerder adds a teacher for 5A, who logs in and
sees only 5A; the password is shown once; blocking ends the logins; a taken username is a message and
writes nothing; a name that looks like markdown is shown as typed; only the beheerder has the page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from apphelpers import APP, PASSWORDS, TIMEOUT_S, count, logged_in, ok, try_login
from streamlit.testing.v1 import AppTest

from peermatch.auth.throttle import STAFF_ACCOUNT
from peermatch.errors import LoginThrottledError
from peermatch.services import Database
from peermatch.services.login import authenticate
from peermatch.storage.engine import make_engine, session_factory
from peermatch.storage.enums import StaffRole
from peermatch.storage.models import utcnow
from ui.text import plain

PAGE = "views/accounts.py"


def _group_id(url: str, name: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT id FROM groups WHERE name = :n"), {"n": name}).scalar_one())
    finally:
        engine.dispose()


def _scalar_id(url: str, sql: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(sql)).scalar_one())
    finally:
        engine.dispose()


def _button(at: AppTest, label: str) -> object:
    found = [b for b in at.button if b.label == label]
    assert len(found) == 1, [b.label for b in at.button]
    return found[0]


def _table(at: AppTest) -> list[dict[str, str]]:
    tables = [d.value for d in at.dataframe if "Gebruikersnaam" in d.value.columns]
    assert len(tables) == 1
    return list(tables[0].to_dict("records"))  # type: ignore[arg-type]  # pandas-stubs: records have Hashable keys


def test_the_beheerder_sees_the_schools_accounts_in_a_table(db_url: str) -> None:
    at = logged_in(db_url, "beheer", page=PAGE)
    assert [t.value for t in at.title] == ["Accounts"]
    rows = {r["Gebruikersnaam"]: r for r in _table(at)}
    assert set(rows) == {"beheer", "ib", "juf.fatima"}
    assert rows["juf.fatima"]["Rol"] == "Leerkracht"
    assert rows["juf.fatima"]["Groepen"] == "5A, 7A"
    assert rows["ib"]["Groepen"] == "hele school"
    assert rows["beheer"]["Actief"] == "ja"
    assert rows["beheer"]["Laatst ingelogd"] != "nog nooit"  # logged in to open the page


def test_a_new_teacher_for_5a_logs_in_sees_only_5a_and_is_blocked_again(db_url: str) -> None:
    at = logged_in(db_url, "beheer", page=PAGE)
    group_5a = _group_id(db_url, "5A")
    at.text_input(key="acc_new0_name").set_value("Meester Ali")
    at.text_input(key="acc_new0_username").set_value("Meester.Ali")
    role = at.selectbox(key="acc_new0_role").value
    assert role is not None
    assert role.value == "leerkracht"  # the default role
    at.multiselect(key="acc_new0_groups").set_value([group_5a])
    at.button(key="acc_new0_submit").click().run()
    ok(at)
    assert [s.value for s in at.success] == ["Het account van Meester Ali is gemaakt. Gebruikersnaam: meester.ali"]
    assert not at.error
    assert len(at.code) == 1
    password = at.code[0].value
    assert len(password) >= 12
    assert "nooit meer" in at.warning[0].value
    assert {r["Gebruikersnaam"]: r["Groepen"] for r in _table(at)}["meester.ali"] == "5A"
    assert at.text_input(key="acc_new1_username").value == ""  # a fresh form: nothing typed stays behind

    ok(at.run())  # the password is shown once only
    assert not at.code
    assert "accounts_secret" not in at.session_state  # popped: the password is kept nowhere

    ali = try_login(db_url, "meester.ali", password)
    assert ali is not None
    assert ali.group_ids == {group_5a}
    assert ali.must_change_password  # the beheerder saw it: Ali chooses his own first
    as_ali = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    as_ali.session_state["auth_user"] = ali
    ok(as_ali.run())
    assert [t.value for t in as_ali.title] == ["Mijn account"]  # nothing else until it is changed
    as_ali.text_input(key="own_pw0_current").set_value(password)
    as_ali.text_input(key="own_pw0_new").set_value("fiets-wolk-tulp-42")
    as_ali.text_input(key="own_pw0_again").set_value("fiets-wolk-tulp-42")
    ok(as_ali.form_submit_button[0].click().run())
    assert not as_ali.session_state["auth_user"].must_change_password
    password = "fiets-wolk-tulp-42"
    ok(as_ali.switch_page("views/leerlingen.py").run())
    assert [o.split(" ")[0] for o in as_ali.selectbox(key="group").options] == ["5A"]

    at.selectbox(key="acc_pick").set_value(ali.id).run()
    _button(ok(at), "Account blokkeren").click().run()  # type: ignore[attr-defined]
    ok(at)
    assert [s.value for s in at.success] == ["Het account van Meester Ali is geblokkeerd; inloggen kan niet meer."]
    assert {r["Gebruikersnaam"]: r["Actief"] for r in _table(at)}["meester.ali"] == "nee"
    assert try_login(db_url, "meester.ali", password) is None


def test_a_reset_shows_a_new_password_once_and_the_old_one_stops_working(db_url: str) -> None:
    at = logged_in(db_url, "beheer", page=PAGE)
    fatima = try_login(db_url, "juf.fatima", "demo-fatima-2026")
    assert fatima is not None
    at.selectbox(key="acc_pick").set_value(fatima.id).run()
    _button(ok(at), "Nieuw wachtwoord instellen").click().run()  # type: ignore[attr-defined]
    ok(at)
    assert [s.value for s in at.success] == ["Het wachtwoord van Juf Fatima (demo) is vervangen."]
    new_password = at.code[0].value
    assert try_login(db_url, "juf.fatima", "demo-fatima-2026") is None
    assert try_login(db_url, "juf.fatima", new_password) is not None


def test_a_name_that_looks_like_markdown_is_shown_as_typed(db_url: str) -> None:
    name = "**Meester** [Ali](https://x.nl) $x$"
    # every markdown sign escaped, and a word joiner before '://' so the address is no live link: shown, not rendered
    literal = r"\*\*Meester\*\* \[Ali\](https" + "\u2060" + r"://x.nl) \$x\$"
    assert plain(name) == literal
    at = logged_in(db_url, "beheer", page=PAGE)
    at.text_input(key="acc_new0_name").set_value(name)
    at.text_input(key="acc_new0_username").set_value("meester_ali")
    at.selectbox(key="acc_new0_role").set_value(StaffRole.IB)  # no groups to pick, no groups warning
    at.button(key="acc_new0_submit").click().run()
    ok(at)
    assert [s.value for s in at.success] == [f"Het account van {literal} is gemaakt. Gebruikersnaam: meester\\_ali"]
    assert "meester\\_ali" in at.warning[0].value  # the password-once warning names the username too
    assert {r["Gebruikersnaam"]: r["Naam"] for r in _table(at)}["meester_ali"] == name  # a table cell: as stored

    ali = try_login(db_url, "meester_ali", at.code[0].value)
    assert ali is not None
    at.selectbox(key="acc_pick").set_value(ali.id).run()
    _button(ok(at), "Nieuw wachtwoord instellen").click().run()  # type: ignore[attr-defined]
    ok(at)
    assert [s.value for s in at.success] == [f"Het wachtwoord van {literal} is vervangen."]
    as_ali = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    as_ali.session_state["auth_user"] = try_login(db_url, "meester_ali", at.code[0].value)
    ok(as_ali.run())  # Ali's own menu names him as typed too
    assert any(literal in c.value for c in as_ali.sidebar.caption)


def test_a_duplicate_username_shows_the_message_and_writes_nothing(db_url: str) -> None:
    at = logged_in(db_url, "beheer", page=PAGE)
    users, audit = count(db_url, "users"), count(db_url, "audit_log")
    at.text_input(key="acc_new0_name").set_value("Nog een juf")
    at.text_input(key="acc_new0_username").set_value("juf.fatima")
    at.button(key="acc_new0_submit").click().run()
    ok(at)
    assert len(at.error) == 1
    assert at.error[0].value.startswith("De gebruikersnaam 'juf.fatima' is al in gebruik")
    assert not at.code  # no password shown for an account that was not made
    assert (count(db_url, "users"), count(db_url, "audit_log")) == (users, audit)
    assert at.text_input(key="acc_new0_username").value == "juf.fatima"  # kept, to correct


def test_the_beheerder_cannot_block_their_own_account_on_the_page(db_url: str) -> None:
    at = logged_in(db_url, "beheer", page=PAGE)
    own = at.session_state["auth_user"].id
    at.selectbox(key="acc_pick").set_value(own).run()
    ok(at)
    assert _button(at, "Account blokkeren").disabled  # type: ignore[attr-defined]
    assert _button(at, "Nieuw wachtwoord instellen").disabled  # type: ignore[attr-defined]
    assert any("eigen account" in c.value for c in at.caption)


@pytest.mark.parametrize("username", ["ib", "juf.fatima"])
def test_only_the_beheerder_gets_the_accounts_page(db_url: str, username: str) -> None:
    at = logged_in(db_url, username, page="views/proef.py")  # their other pages do open
    with pytest.raises(ValueError, match="Could not find a navigation page") as refused:
        at.switch_page(PAGE)
    assert "views/accounts.py" not in str(refused.value).split("Known pages:")[1]
    assert "views/proef.py" in str(refused.value)


def test_the_beheerder_lifts_a_colleagues_login_lock_on_the_page(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        db = Database(session_factory(engine))
        now = utcnow()
        for i in range(STAFF_ACCOUNT.lock_at):  # wrong passwords past the growing waits, the last one now
            moment = now - (STAFF_ACCOUNT.lock_at - 1 - i) * STAFF_ACCOUNT.lock_for
            assert authenticate(db, "juf.fatima", "fout-fout-fout", now=moment) is None
    finally:
        engine.dispose()
    with pytest.raises(LoginThrottledError):
        try_login(db_url, "juf.fatima", PASSWORDS["juf.fatima"])
    at = logged_in(db_url, "beheer", page=PAGE)
    fatima = _scalar_id(db_url, "SELECT id FROM users WHERE username = 'juf.fatima'")
    at.selectbox(key="acc_pick").set_value(fatima).run()
    assert any("te vaak een verkeerd wachtwoord" in w.value for w in ok(at).warning)
    _button(at, "Inloggen weer toestaan").click().run()  # type: ignore[attr-defined]
    assert "kan weer inloggen." in ok(at).success[0].value
    assert not any("te vaak een verkeerd wachtwoord" in w.value for w in at.warning)
    assert try_login(db_url, "juf.fatima", PASSWORDS["juf.fatima"]) is not None
