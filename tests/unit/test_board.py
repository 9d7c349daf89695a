"""The board view (issue 14, part 3): aggregation from monitoring histories, small-cell suppression, the funder's
CSV, and the board service on a real database (SQLite and PostgreSQL): a board of two schools, its coordinator
created by ``create-board`` and logged in for real, aggregates without a pupil, every view and export audited."""

from __future__ import annotations

import csv
import dataclasses
import io
import uuid
from datetime import date, time

import pytest
import sqlalchemy as sa
from board_world import BOARD, build_board
from monitoring_fixtures import DATES, START, missed, pair, steady
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import WORLD_ROSTER, World, backend, build_world, engine, factory, make_pupil, make_roster

from peermatch import board as core
from peermatch.cli import main
from peermatch.errors import AuthError, InvalidInputError
from peermatch.model import Role, Subject
from peermatch.monitoring import Health, LevelMeasurement, PairHistory, PupilLevels
from peermatch.services import Database
from peermatch.services.board import board_export, board_overview, create_board
from peermatch.services.login import authenticate
from peermatch.storage import runs
from peermatch.storage.engine import ENV_VAR, unit_of_work
from peermatch.storage.enums import StaffRole
from peermatch.storage.importing import import_roster
from peermatch.storage.models import AuditLog, BoardSchoolRow, BoardUserRow, CheckInRow, Group, PairRow, User
from peermatch.storage.programmes import Moment, ProgrammeSpec, create_programme

__all__ = ["backend", "engine", "factory"]

AS_OF = DATES[8]  # after nine planned sessions
NAMES = [p.first_name for p in WORLD_ROSTER] + ["Anders", "Jansen"]


def _levels(*steps: float) -> tuple[LevelMeasurement, ...]:
    return tuple(LevelMeasurement(date(2026, 9 + i, 1), 3.0 + s) for i, s in enumerate(steps))


def _grown(n: int, first: int = 0) -> list[PairHistory]:
    return [
        steady(8, f"p{i}", tutee_levels=(LevelMeasurement(START, 3.0), LevelMeasurement(AS_OF, 4.0)))
        for i in range(first, first + n)
    ]


def _others(n: int) -> list[PupilLevels]:
    return [PupilLevels(f"o{i}", "4b", (LevelMeasurement(START, 3.0), LevelMeasurement(AS_OF, 3.5))) for i in range(n)]


# --- suppression and aggregation (pure) ------------------------------------------------------------------------


def test_a_count_below_five_is_suppressed_and_shown_as_less_than_five() -> None:
    assert [core.suppress(n) for n in (0, 1, 4, 5, 17)] == [None, None, None, 5, 17]
    assert [core.shown(core.suppress(n)) for n in (0, 4, 5)] == ["<5", "<5", "5"]


def test_five_pairs_show_their_counts_dosage_health_and_growth_against_non_participants() -> None:
    histories = [*_grown(5), pair([missed(d) for d in DATES[:4]], "stuck")]
    figures = core.programme_figures("OBS A", "Leesmaatjes", "lezen", histories, _others(6), AS_OF)
    assert (figures.active_pairs, figures.ended_pairs) == (6, 0)
    assert figures.planned == 6 * 8  # a session is due the day after it
    assert figures.held == 5 * 8
    assert figures.tutees.n == 5
    assert figures.tutees.mean_months == 5.0  # one index step = 5 months
    assert figures.others.n == 6
    assert figures.others.mean_months == 2.5
    line = core.board_line(figures)
    assert line.active_pairs == 6
    assert line.ended_pairs is None  # 0 ended: below five
    assert (line.planned, line.held, line.held_pct) == (48, 40, 83.3)
    assert line.health[Health.OP_KOERS] == 5
    assert line.health[Health.RISICO] is None
    assert (line.growth.tutees_n, line.growth.tutees_months) == (5, 5.0)
    assert line.growth.difference_months == 2.5


def test_fewer_than_five_pupils_give_no_growth_and_fewer_than_five_pairs_no_dosage() -> None:
    figures = core.programme_figures("OBS A", "Klein", "lezen", _grown(4), _others(4), AS_OF)
    assert figures.tutees.n == 4
    assert figures.held == 32  # the exact figures exist, inside the core only
    line = core.board_line(figures)
    assert line.active_pairs is None
    assert (line.planned, line.held, line.held_pct) == (None, None, None)
    assert all(v is None for v in line.health.values())
    assert line.growth == core.GrowthLine(None, None, None, None)
    assert line.growth.difference_months is None


def test_non_participants_of_other_groups_and_pupils_in_two_pairs_do_not_count_twice() -> None:
    once = [steady(8, f"p{i}", tutee_levels=_levels(0, 1)) for i in range(5)]
    twice = once + [dataclasses.replace(h, pair_id=f"q{i}", tutor_id=f"q{i}-tutor") for i, h in enumerate(once)]
    elsewhere = [PupilLevels(f"x{i}", "8c", _levels(0, 2)) for i in range(9)]
    figures = core.programme_figures("OBS A", "Dubbel", "lezen", twice, elsewhere, AS_OF)
    assert figures.tutees.n == 5  # ten pairs, five tutees
    assert figures.others.n == 0  # 8c has no tutee of this programme


def test_the_funders_csv_is_formula_safe_and_has_the_suppressed_cells_of_the_page() -> None:
    big = core.programme_figures('=HYPERLINK("x")', "+Lees", "lezen", _grown(5), _others(5), AS_OF)
    small = core.programme_figures("OBS B", "Klein", "rekenen", _grown(2), (), AS_OF)
    text = core.board_csv(core.board_lines([small, big]))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(core.CSV_COLUMNS)
    first, second = rows  # by school name: "=HYPERLINK..." sorts before "OBS B"
    assert first["school"] == '\'=HYPERLINK("x")'
    assert first["programme"] == "'+Lees"
    assert first["active_pairs"] == "5"
    assert first["tutee_growth_months"] == "5.0"
    assert second["active_pairs"] == "<5"
    assert second["sessions_held"] == "<5"
    assert second["tutee_growth_months"] == ""
    assert second["tutees_with_growth"] == "<5"


# --- the service on a real database (SQLite and PostgreSQL) ---------------------------------------------------


def _audit(factory: sessionmaker[Session], action: str) -> set[tuple[int, str, int | None]]:
    with unit_of_work(factory, read_only=True) as session:
        rows = session.execute(
            sa.select(AuditLog.school_id, AuditLog.entity, AuditLog.user_id).where(AuditLog.action == action)
        )
        return {(s, e, u) for s, e, u in rows if e == "board"}


def test_the_board_overview_holds_every_school_and_no_pupil_and_is_audited(factory: sessionmaker[Session]) -> None:
    board = build_board(factory)
    world = board.tutoring.world
    overview = board_overview(Database(factory), board.coordinator, date(2025, 11, 20))
    assert overview.board == BOARD
    assert overview.schools == ("OBS Elders", "OBS Test")
    (line,) = overview.lines  # OBS Elders has no programme
    assert (line.school, line.programme, line.subject) == ("OBS Test", "Leesmaatjes", "lezen")
    assert line.active_pairs is None
    assert line.planned is None  # three pairs: below five
    assert not [n for n in NAMES if n in repr(overview)]
    me = board.coordinator.id
    assert _audit(factory, "view") == {(world.school_id, "board", me), (world.other_school_id, "board", me)}
    data = board_export(Database(factory), board.coordinator, date(2025, 11, 20))
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(core.CSV_COLUMNS)
    assert "OBS Test,Leesmaatjes,lezen,<5,<5,<5,<5" in text
    assert not [n for n in NAMES if n in text]
    assert _audit(factory, "export") == {(world.school_id, "board", me), (world.other_school_id, "board", me)}


def test_the_board_account_is_stored_with_its_role_and_board_row(factory: sessionmaker[Session]) -> None:
    board = build_board(factory)
    assert board.coordinator.role is StaffRole.BOVENSCHOOLS
    assert board.coordinator.group_ids == frozenset()
    with unit_of_work(factory, read_only=True) as session:
        user = session.get_one(User, board.coordinator.id)
        assert user.password_hash.startswith("$argon2id$")
        assert board.account.password not in user.password_hash
        assert session.scalar(sa.select(BoardUserRow.board_id).where(BoardUserRow.user_id == user.id)) is not None
        assert session.scalar(sa.select(sa.func.count()).select_from(BoardSchoolRow)) == 2


@pytest.mark.parametrize(
    ("name", "schools", "coordinator", "error", "code"),
    [
        ("", ["OBS Test"], "c1", InvalidInputError, "board.name.invalid"),
        ("Zuid", [], "c1", InvalidInputError, "board.school.none"),
        ("Zuid", ["OBS Nergens"], "c1", InvalidInputError, "board.school.unknown"),
        ("Zuid", ["OBS Test", "OBS Test"], "c1", InvalidInputError, "board.school.twice"),
        ("Zuid", ["OBS Test"], "ib", AuthError, "auth.username.taken"),
        ("Zuid", ["OBS Test"], "x", AuthError, "auth.username.invalid"),
    ],
)
def test_bad_input_to_create_board_is_refused_with_a_clear_message(
    factory: sessionmaker[Session], name: str, schools: list[str], coordinator: str, error: type[Exception], code: str
) -> None:
    build_world(factory)
    with pytest.raises(error) as caught:
        create_board(Database(factory), name, schools, coordinator)
    assert caught.value.problems[0].code == code  # type: ignore[attr-defined]
    with unit_of_work(factory, read_only=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(BoardUserRow)) == 0


def test_create_board_command_prints_the_password_once_and_it_logs_in(
    factory: sessionmaker[Session], engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    build_world(factory)
    monkeypatch.setenv(ENV_VAR, engine.url.render_as_string(hide_password=False))
    args = ["create-board", "Mentoren op Zuid", "--school", "OBS Test", "--school", "OBS Elders"]
    assert main([*args, "--coordinator", "Coord.Zuid"]) == 0
    out = capsys.readouterr().out
    password = out.split(": ")[-1].strip()
    assert "coord.zuid" in out
    assert out.count(password) == 1
    user = authenticate(Database(factory), "coord.zuid", password)
    assert user is not None
    assert user.role is StaffRole.BOVENSCHOOLS
    assert main([*args, "--coordinator", "iemand.anders"]) == 1  # the name is taken
    assert "Er is al een bestuur met de naam 'Mentoren op Zuid'." in capsys.readouterr().err


def _five_pairs_in_elders(factory: sessionmaker[Session], world: World) -> None:
    """OBS Elders gets five tutors (7A) and five tutees (5A), a reading programme with five published pairs from
    START, and three held check-ins per pair."""
    roster = [make_pupil("0101", "Anders", "5A", role=Role.TUTEE)]
    roster += [make_pupil(f"02{i}", f"Tutee{i}", "5A", role=Role.TUTEE) for i in range(4)]
    roster += [make_pupil(f"03{i}", f"Tutor{i}", "7A", reading="E6", role=Role.TUTOR) for i in range(5)]
    tutees = ["0101", *(f"02{i}" for i in range(4))]
    with unit_of_work(factory) as session:
        import_roster(
            session, world.other_school_id, make_roster(*roster), measured_on=START_2025, actor=world.other_ib
        )
        groups = {
            g.name: g.id for g in session.scalars(sa.select(Group).where(Group.school_id == world.other_school_id))
        }
        spec = ProgrammeSpec(name="Leesclub", subject=Subject.LEZEN, tutor_group_ids=(groups["7A"],),
                             tutee_group_ids=(groups["5A"],), moments=(Moment(2, time(10), time(10, 30)),),
                             start_date=START_2025, weeks=10, sessions_per_week=1, minutes_per_session=20)  # fmt: skip
        programme = create_programme(session, world.other_ib, world.other_school_id, spec)
        drafts = [runs.PairDraft(f"03{i}", tutees[i]) for i in range(5)]
        run = runs.save_run(session, world.other_ib, programme.id, drafts, rules={})
        runs.publish_run(session, world.other_ib, run.id, on=START_2025)
        for p in session.scalars(sa.select(PairRow).where(PairRow.run_id == run.id)):
            for day in HELD_ON:
                session.add(CheckInRow(school_id=p.school_id, submission_id=str(uuid.uuid4()), pair_id=p.id,
                                       tutor_id=p.tutor_id, tutee_id=p.tutee_id, session_date=day, status="held",
                                       minutes=20, tutor_mood=4, tutee_fun=4, tutee_learned=4))  # fmt: skip


START_2025 = date(2025, 10, 6)  # the Monday tutoring_world's programme starts too
HELD_ON = (date(2025, 10, 7), date(2025, 10, 14), date(2025, 10, 28))


def test_five_pairs_show_their_counts_through_the_service(factory: sessionmaker[Session]) -> None:
    board = build_board(factory)
    _five_pairs_in_elders(factory, board.tutoring.world)
    overview = board_overview(Database(factory), board.coordinator, date(2025, 11, 20))
    elders = next(line for line in overview.lines if line.school == "OBS Elders")
    assert (elders.programme, elders.active_pairs, elders.ended_pairs) == ("Leesclub", 5, None)
    assert elders.held == 15  # three held sessions of five pairs
    assert elders.planned is not None
    assert elders.planned >= 15
    assert elders.held_pct == round(100 * 15 / elders.planned, 1)
    assert sorted(v for v in elders.health.values() if v is not None) == [5]  # five alike pairs: one status
    assert elders.growth.tutees_n is None  # one measurement each: no growth, and fewer than five anyway
    text = board_export(Database(factory), board.coordinator, date(2025, 11, 20)).decode("utf-8-sig")
    assert f"OBS Elders,Leesclub,lezen,5,<5,{elders.planned},15," in text
    assert not [w for w in ("Anders", "Tutee0", "Tutor0") if w in text]
