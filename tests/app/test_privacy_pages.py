"""Privacy in the app (issue 11, items 5-6), in AppTest on the demo database: every page run that shows worry
texts is audited once (which page, groups and pairs), every download on its click, logout; the Audit page for
the beheerder and the IB'er (filters, CSV, its own reads audited) and not for a leerkracht; the retention
months and the erasure of a pupil on Instellingen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from apphelpers import account, as_pupil, count, demo_codes, logged_in, ok
from monitoring_world import WORRY, Monitored, build_monitored

from peermatch.services import Database
from peermatch.services.privacy import audit_csv, record_download
from peermatch.storage.engine import make_engine, session_factory
from ui.privacy_view import audited_file


@pytest.fixture
def world(db_url: str) -> Monitored:
    return build_monitored(db_url)


def _rows(url: str, where: str, **params: object) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            sql = f"SELECT entity, entity_id, detail FROM audit_log WHERE {where} ORDER BY id"
            return [tuple(r) for r in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def _worry_views(url: str) -> list[tuple[object, ...]]:
    return _rows(url, "action = 'view' AND entity = 'worries'")


def _exports(url: str, entity: str) -> int:
    return len(_rows(url, "action = 'export' AND entity = :e", e=entity))


@pytest.mark.parametrize("page", ["views/overzicht.py", "views/signalen.py"])
def test_a_page_that_shows_worry_texts_audits_which_groups_once_per_run(
    db_url: str, world: Monitored, page: str
) -> None:
    at = ok(logged_in(db_url, "ib", page=page))
    assert WORRY in " ".join([e.value for e in at.error] + [i.value for i in at.info])
    views = _worry_views(db_url)
    assert len(views) == 1  # once per page run, not once per alert
    _, name, detail = views[0]
    assert name == page.removeprefix("views/").removesuffix(".py")
    assert "7A" in str(detail)
    assert "5A" in str(detail)
    assert str(world.worry_pair) in str(detail)
    assert WORRY not in str(detail)
    ok(at.run())  # the next run shows them again: audited again
    assert len(_worry_views(db_url)) == 2


def test_following_the_worry_pair_is_audited_and_a_quiet_pair_is_not(db_url: str, world: Monitored) -> None:
    at = ok(logged_in(db_url, "ib", page="views/paren_volgen.py"))
    quiet = next(p for p in world.pairs if p != world.worry_pair)
    ok(at.selectbox(key="follow_pair").set_value(str(quiet)).run())
    before = len(_worry_views(db_url))
    ok(at.selectbox(key="follow_pair").set_value(str(world.worry_pair)).run())
    views = _worry_views(db_url)
    assert len(views) == before + 1
    assert views[-1][1] == "paren_volgen"
    assert f"pairs={world.worry_pair}" in str(views[-1][2])


def test_the_teachers_tutor_page_audits_the_worries_of_her_group(tutor_db: str) -> None:
    at = ok(logged_in(tutor_db, "juf.fatima", page="views/tutors.py"))
    for group in at.selectbox(key="tutors_group").options:
        ok(at.selectbox(key="tutors_group").set_value(group).run())
        if any("zorg" in e.value.lower() for e in at.error):
            views = _worry_views(tutor_db)
            assert views
            assert views[-1][1] == "tutors"
            assert f"groups={group}" in str(views[-1][2])
            return
    pytest.fail("the demo has a worry in one of juf Fatima's groups")


def test_the_pair_list_pdf_is_audited_when_it_is_downloaded(db_url: str, world: Monitored) -> None:
    at = ok(logged_in(db_url, "ib", page="views/paren.py"))
    assert _exports(db_url, "pairs_pdf") == 0  # showing the button is no download
    assert at.download_button(key="print_pairs").proto.deferred_file_id  # the file is made (and audited) on click
    engine = make_engine(db_url)
    try:  # what the button's click runs (AppTest does not run a deferred download): the audited file
        db, ib = Database(session_factory(engine)), account(db_url, "ib")
        deliver = audited_file(db, ib, "pairs_pdf", world.programme_id, lambda: b"%PDF-1.7")
        assert deliver() == b"%PDF-1.7"
    finally:
        engine.dispose()
    assert _exports(db_url, "pairs_pdf") == 1


def test_the_koppels_csv_of_a_trial_is_audited_when_it_is_downloaded(db_url: str) -> None:
    at = ok(logged_in(db_url, "juf.fatima", page="views/proef.py"))
    ok(at.button(key="use_demo").click().run())
    (submit,) = at.form_submit_button
    ok(submit.click().run())
    assert _exports(db_url, "koppels_csv") == 0
    ok(at.download_button(key="download_pairs").click().run())
    assert _exports(db_url, "koppels_csv") == 1


def test_the_login_cards_pdf_is_audited_when_it_is_downloaded(tutor_db: str) -> None:
    at = ok(logged_in(tutor_db, "juf.fatima", page="views/tutors.py"))
    ok(at.button(key="cards_generate").click().run())
    ok(at.download_button(key="cards_download").click().run())
    assert _exports(tutor_db, "login_cards_pdf") == 1


def test_logout_is_audited(db_url: str) -> None:
    at = ok(logged_in(db_url, "ib"))
    user = account(db_url, "ib")
    ok(at.sidebar.button(key="logout").click().run())
    assert _rows(db_url, "action = 'logout' AND user_id = :u", u=user.id) == [("user", str(user.id), None)]


def test_a_pupils_logout_is_audited(tutor_db: str) -> None:
    at = as_pupil(tutor_db, demo_codes(tutor_db)["ready"])
    pupil = at.session_state["pupil_user"]
    ok(at.sidebar.button(key="pupil_logout").click().run())
    assert _rows(tutor_db, "action = 'logout' AND entity = 'pupil'") == [("pupil", str(pupil.id), None)]


def test_the_audit_page_filters_shows_and_exports_and_its_reads_are_audited(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        db, ib = Database(session_factory(engine)), account(db_url, "ib")
        record_download(db, ib, '=HYPERLINK("http://x")')  # an entity that would run as a formula
    finally:
        engine.dispose()
    at = ok(logged_in(db_url, "beheer", page="views/audit.py"))
    assert at.title[0].value == "Auditlog"
    assert len(at.dataframe[0].value) >= 2
    assert len(_rows(db_url, "action = 'view' AND entity = 'audit'")) == 1

    ok(at.selectbox(key="audit_action").set_value("export").run())
    shown = at.dataframe[0].value
    assert set(shown["Actie"]) == {"gedownload"}
    ok(at.selectbox(key="audit_person").set_value(ib.id).run())
    assert set(at.dataframe[0].value["Wie"]) == {"ib"}
    at.date_input(key="audit_from").set_value(date.today() - timedelta(days=60))
    ok(at.date_input(key="audit_to").set_value(date.today() - timedelta(days=50)).run())  # before the demo
    assert "Geen regels met deze filters." in [i.value for i in at.info]
    assert len(_rows(db_url, "action = 'view' AND entity = 'audit'")) == 4  # every read, with its filter
    assert "action=export" in str(_rows(db_url, "action = 'view' AND entity = 'audit'")[-1][2])

    engine = make_engine(db_url)
    try:
        text = audit_csv(Database(session_factory(engine)), ib)
    finally:
        engine.dispose()
    assert text.splitlines()[0] == "at,user,action,entity,entity_id,detail"
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text
    assert _exports(db_url, "audit_csv") == 1


def test_a_leerkracht_has_no_audit_page(db_url: str) -> None:
    at = ok(logged_in(db_url, "juf.fatima"))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/audit.py")


def test_the_beheerder_sets_the_retention_months_and_the_ib_reads_them(db_url: str) -> None:
    at = ok(logged_in(db_url, "beheer", page="views/instellingen.py"))
    at.number_input(key="retention_worry_months").set_value(1)
    ok(at.button(key="retention_save").click().run())
    assert "De bewaartermijnen zijn opgeslagen. De volgende opschoning gebruikt ze." in [s.value for s in at.success]
    ib = ok(logged_in(db_url, "ib", page="views/instellingen.py"))
    assert any("zorgteksten 1 maanden" in c.value for c in ib.caption)
    assert not any(n.key == "retention_worry_months" for n in ib.number_input)


def _pupil(url: str) -> tuple[int, str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            query = sa.text("SELECT id, first_name, prefix, last_name FROM pupils ORDER BY id LIMIT 1")
            row = conn.execute(query).one()
    finally:
        engine.dispose()
    return int(row[0]), " ".join(p for p in row[1:] if p)


def test_the_ib_erases_a_pupil_on_instellingen_after_typing_the_name(db_url: str) -> None:
    pupil_id, name = _pupil(db_url)
    pupils = count(db_url, "pupils")
    at = ok(logged_in(db_url, "ib", page="views/instellingen.py"))
    assert not any(t.key == "erase_school_open" for t in at.toggle)  # the whole school: the beheerder only
    ok(at.toggle(key="erase_pupil_open").set_value(True).run())
    ok(at.selectbox(key="erase_pupil_id").set_value(pupil_id).run())
    at.text_input(key="erase_pupil_typed").input("iemand anders")
    ok(at.button(key="erase_pupil_go").click().run())
    assert any("is niet de volledige naam" in e.value for e in at.error)
    assert count(db_url, "pupils") == pupils
    at.text_input(key="erase_pupil_typed").input(name)
    ok(at.button(key="erase_pupil_go").click().run())
    assert "De leerling en alle gegevens over hem of haar zijn gewist." in [s.value for s in at.success]
    assert count(db_url, "pupils") == pupils - 1
    assert _rows(db_url, "action = 'delete' AND entity = 'pupil'")[0][1] == str(pupil_id)


def test_the_beheerder_erases_the_school_after_typing_its_name_and_is_logged_out(db_url: str) -> None:
    at = ok(logged_in(db_url, "beheer", page="views/instellingen.py"))
    ok(at.toggle(key="erase_school_open").set_value(True).run())
    at.text_input(key="erase_school_typed").input("Een andere school")
    ok(at.button(key="erase_school_go").click().run())
    assert any("is niet de naam van de school" in e.value for e in at.error)
    assert count(db_url, "schools") == 1
    at.text_input(key="erase_school_typed").input("OBS De Maasbrug (demo)")
    ok(at.button(key="erase_school_go").click().run())
    assert (count(db_url, "schools"), count(db_url, "pupils"), count(db_url, "users")) == (0, 0, 0)
    assert "De school en al haar gegevens zijn gewist." in [w.value for w in at.warning]
    assert at.text_input(key="login_username")  # back at the login
