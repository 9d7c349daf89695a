"""Bestuursoverzicht in AppTest: a board over the demo school and a second, empty school; its coordinator
(created like ``peermatch create-board`` does, logged in for real) sees per school the programmes with
suppressed counts, no pupil name anywhere on the page, and no other page in the navigation (a pupil page asked
for by path is not there). A school's IB'er has no board page."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from apphelpers import APP, TIMEOUT_S, logged_in, ok
from monitoring_world import build_monitored
from streamlit.testing.v1 import AppTest

from peermatch.auth import AuthenticatedUser
from peermatch.demo_school.seed import DEMO_SCHOOL_NAME
from peermatch.services import Database
from peermatch.services.board import create_board
from peermatch.services.login import authenticate
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.schools import create_school

PAGE = "views/bestuur.py"


def _coordinator(url: str) -> tuple[AuthenticatedUser, set[str]]:
    """The board's coordinator, logged in, and every pupil's first and last name in the database."""
    engine = make_engine(url)
    try:
        factory = session_factory(engine)
        with unit_of_work(factory) as session:
            create_school(session, "OBS Noord")
            rows = session.execute(sa.text("SELECT first_name, last_name FROM pupils")).all()
        db = Database(factory)
        made = create_board(db, "Mentoren op Zuid", ["OBS Noord", DEMO_SCHOOL_NAME], "coord.zuid")  # real one first
        user = authenticate(db, made.username, made.password)
        assert user is not None
        assert user.must_change_password  # a generated password: only Mijn account until it is changed
        with unit_of_work(factory) as session:  # as after the first login's change of password
            session.execute(sa.text("UPDATE users SET must_change_password = false WHERE id = :id"), {"id": user.id})
        user = authenticate(db, made.username, made.password)
    finally:
        engine.dispose()
    assert user is not None
    return user, {n for first, last in rows for n in (first, last) if len(n) > 3}


def _as(user: AuthenticatedUser) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state["auth_user"] = user
    at.session_state["auth_last_seen"] = datetime.now(UTC)
    return ok(at.run())


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in (at.title, at.subheader, at.markdown, at.caption, at.info) for e in kind]
    parts += [at.dataframe[i].value.to_csv() for i in range(len(at.dataframe))]
    return "\n".join(str(p) for p in parts)


def test_the_coordinator_sees_each_school_with_suppressed_counts_and_no_pupil(db_url: str) -> None:
    build_monitored(db_url, pairs=4)  # two programmes of the demo school: 4 and 2 pairs
    user, names = _coordinator(db_url)
    at = _as(user)
    assert at.title[0].value == "Bestuursoverzicht"
    assert [s.value for s in at.subheader] == ["OBS De Maasbrug (demo)", "OBS Noord"]
    assert at.info[0].value == "Deze school heeft nog geen tutorprogramma."
    frame = at.dataframe[0].value
    assert "Volgen 7A-5A" in set(frame["Programma"])
    assert set(frame["Actieve paren"]) == {"<5"}  # 4 and 2 pairs: both below five
    assert set(frame["Groei tutees (mnd)"]) == {""}  # fewer than five tutees: no growth figure
    words = set(re.findall(r"\w+", _texts(at)))  # whole words: "Noor" is a pupil, "OBS Noord" a school
    assert sorted(names & words) == []


def _known_pages(at: AppTest, asked: str) -> list[str]:
    """The pages the app registered in ``st.navigation`` for this session, as AppTest reports them when a page
    outside them is asked for by path."""
    with pytest.raises(ValueError, match="Could not find a navigation page") as refused:
        at.switch_page(asked)
    known = re.search(r"Known pages: \[(.*)\]", str(refused.value))
    assert known is not None
    return sorted(Path(p.strip(" '")).name for p in known.group(1).split(","))


def test_the_coordinators_navigation_holds_only_the_board_page(db_url: str) -> None:
    user, _ = _coordinator(db_url)
    at = _as(user)
    for page in ("views/leerlingen.py", "views/overzicht.py", "views/signalen.py", "views/paren.py"):
        assert _known_pages(at, page) == ["bestuur.py"]
    assert at.title[0].value == "Bestuursoverzicht"


def test_a_schools_ib_has_no_board_page(db_url: str) -> None:
    known = _known_pages(ok(logged_in(db_url, "ib")), PAGE)
    assert "leerlingen.py" in known
    assert "bestuur.py" not in known
