"""Published decisions are facts (issue 15, item 1).

Before: "Maak koppels" + "Publiceren" on a running programme made a whole new run that superseded the
published one, so two pairs ended as "wil liever stoppen" and "verhuisd" were active again and the
replacement tutor saved earlier was gone. Now a run beside published pairs re-optimises only the tutees
without an active pair; publishing it adds the new pairs to the published run (pair ids, start dates and
check-ins of running pairs stay); ended pairs never come back; a running pair cannot be forbidden.

The last test runs random sequences of match / pin / forbid / publish / end / replace / re-run against a
real (SQLite) database and checks after every step: no ended pair returns, no forbidden pair is active, no
tutee has two active pairs, no tutor more than the capacity, and a running pair keeps running (same id)
until someone ends it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import _sqlite_template, backend, engine, factory, make_pupil, make_roster

from peermatch.auth import AuthenticatedUser
from peermatch.errors import ConflictError, PeerMatchError
from peermatch.model import Role, Subject
from peermatch.services import Database, constraints, pairs
from peermatch.services.matching import change_rules, latest_draft, match_programme
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.enums import StaffRole
from peermatch.storage.importing import import_roster
from peermatch.storage.models import Group, MatchingRun, PairRow, PupilRow, School, User, UserGroup
from peermatch.storage.programmes import ProgrammeSpec, create_programme
from peermatch.vocabulary import ConstraintKind, PairStatus, RunStatus

__all__ = ["backend", "engine", "factory"]  # fixtures used by the tests below

ON = date(2025, 10, 6)

TUTEES = tuple(
    make_pupil(f"4{k:02d}", name, "4A" if k % 2 else "4B", reading=level, maths=level, role=Role.TUTEE,
               birth_date=date(2017, 1 + k % 12, 1))
    for k, (name, level) in enumerate(
        [("Aya", "M3"), ("Bram", "E3"), ("Cas", "M4"), ("Dewi", "M3"), ("Eva", "E3"), ("Finn", "M4")], start=1
    )
)  # fmt: skip
TUTORS = tuple(
    make_pupil(f"6{k:02d}", name, "6A" if k % 2 else "6B", reading=level, maths=level, role=Role.TUTOR,
               birth_date=date(2015, 1 + k % 12, 1))
    for k, (name, level) in enumerate(
        [("Gijs", "E6"), ("Hiba", "M7"), ("Ilse", "E5"), ("Joep", "E6"), ("Kim", "M6")], start=1
    )
)  # fmt: skip


@dataclass(frozen=True)
class School7:
    db: Database
    juf: AuthenticatedUser  # leerkracht of all four groups
    programme_id: int


def _school(factory: sessionmaker[Session], capacity: int = 1) -> School7:
    with unit_of_work(factory) as session:
        school = School(name="OBS De Maatjes")
        session.add(school)
        session.flush()
        user = User(school_id=school.id, username="juf", display_name="Juf", password_hash="x",
                    role=StaffRole.LEERKRACHT)  # fmt: skip
        session.add(user)
        session.flush()
        beheer = AuthenticatedUser(user.id, school.id, "juf", "Juf", StaffRole.BEHEERDER, frozenset())
        import_roster(session, school.id, make_roster(*TUTEES, *TUTORS), measured_on=ON, actor=beheer)
        groups = {g.name: g.id for g in session.scalars(sa.select(Group).where(Group.school_id == school.id))}
        session.add_all(UserGroup(user_id=user.id, group_id=g) for g in groups.values())
        juf = AuthenticatedUser(user.id, school.id, "juf", "Juf", StaffRole.LEERKRACHT, frozenset(groups.values()))
        spec = ProgrammeSpec("Lezen 6-4", Subject.LEZEN, (groups["6A"], groups["6B"]), (groups["4A"], groups["4B"]))
        programme_id = create_programme(session, juf, school.id, spec).id
    db = Database(factory)
    change_rules(db, juf, programme_id, {"capacity": capacity, "max_age_gap_months": 48})
    return School7(db, juf, programme_id)


def _all_pairs(factory: sessionmaker[Session], programme_id: int) -> list[tuple[int, str, str, PairStatus, str | None]]:
    """Every pair of every run of the programme: (id, tutor number, tutee number, status, end reason)."""
    tutor, tutee = sa.orm.aliased(PupilRow), sa.orm.aliased(PupilRow)
    query = (
        sa.select(PairRow.id, tutor.pupil_number, tutee.pupil_number, PairRow.status, PairRow.end_reason)
        .join(MatchingRun, MatchingRun.id == PairRow.run_id)
        .join(tutor, tutor.id == PairRow.tutor_id)
        .join(tutee, tutee.id == PairRow.tutee_id)
        .where(MatchingRun.programme_id == programme_id, MatchingRun.status == RunStatus.PUBLISHED)
    )
    with unit_of_work(factory) as session:
        return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def _active(factory: sessionmaker[Session], programme_id: int) -> dict[int, tuple[str, str]]:
    return {i: (a, b) for i, a, b, status, _ in _all_pairs(factory, programme_id) if status is PairStatus.ACTIVE}


def _match_and_publish(school: School7, on: date = ON) -> int:
    run = match_programme(school.db, school.juf, school.programme_id, lang="nl", reference_date=on)
    pairs.publish(school.db, school.juf, run.id, on=on)
    return run.id


def test_a_rerun_after_publishing_keeps_endings_and_the_replacement(factory: sessionmaker[Session]) -> None:
    school = _school(factory)
    _match_and_publish(school)
    before = _active(factory, school.programme_id)
    assert len(before) == 5  # five tutors, one place each: one tutee waits
    (quit_id, quit_pair), (moved_id, moved_pair), (swap_id, swap_pair), *_ = sorted(before.items())
    later = ON + timedelta(days=14)
    pairs.end_pair(school.db, school.juf, quit_id, reason="wil liever stoppen", on=later)
    pairs.end_pair(school.db, school.juf, moved_id, reason="verhuisd", on=later)
    run, listed = pairs.published_pairs(school.db, school.juf, school.programme_id)
    assert run is not None
    ended = next(r.pair for r in listed if r.pair.id == swap_id)
    proposal = pairs.propose_replacement(school.db, school.juf, school.programme_id, [r.pair for r in listed], ended)
    assert proposal is not None
    replacement_id = pairs.accept_replacement(
        school.db, school.juf, run.id, swap_id, proposal, reason="tutor ziek", on=later
    )
    running = _active(factory, school.programme_id)

    draft = match_programme(school.db, school.juf, school.programme_id, lang="nl", reference_date=later)

    assert draft.summary["kept"] == len(running) == 3
    assert draft.summary["top_up_of"] == run.id
    drafted = {(r.pair.tutor_number, r.pair.tutee_number) for r in pairs.pair_listings(school.db, school.juf, draft.id)}
    assert not drafted & {quit_pair, moved_pair, swap_pair}  # ended pairs are not proposed again
    assert not {tutee for _, tutee in drafted} & {tutee for _, tutee in running.values()}
    published = pairs.publish(school.db, school.juf, draft.id, on=later)

    assert published.id == run.id  # the new pairs join the published run; no new run supersedes it
    after = _all_pairs(factory, school.programme_id)
    status = {i: (s, reason) for i, _, _, s, reason in after}
    assert status[quit_id] == (PairStatus.ENDED, "wil liever stoppen")
    assert status[moved_id] == (PairStatus.ENDED, "verhuisd")
    assert status[swap_id] == (PairStatus.ENDED, "tutor ziek")
    assert status[replacement_id] == (PairStatus.ACTIVE, None)
    assert all(status[i][0] is PairStatus.ACTIVE for i in running)  # same ids: their check-ins stay theirs
    actives = [(a, b) for _, a, b, s, _ in after if s is PairStatus.ACTIVE]
    assert len({b for _, b in actives}) == len(actives)
    assert not set(actives) & {quit_pair, moved_pair, swap_pair}
    assert latest_draft(school.db, school.juf, school.programme_id) is None


def test_the_draft_says_what_stays_in_both_languages(factory: sessionmaker[Session]) -> None:
    from peermatch.i18n import translate

    school = _school(factory)
    _match_and_publish(school)
    draft = match_programme(school.db, school.juf, school.programme_id, lang="nl", reference_date=ON)
    assert draft.summary["kept"] == 5
    assert draft.summary["tutees"] == 1  # only the tutee without a maatje is matched again
    assert "Lopende koppels: 5" in translate("ui.review.top_up", "nl", kept=5)
    assert "Running pairs: 5" in translate("ui.review.top_up", "en", kept=5)


def test_a_pin_on_a_tutee_with_a_maatje_is_reported_not_used(factory: sessionmaker[Session]) -> None:
    school = _school(factory)
    _match_and_publish(school)
    tutor, tutee = next(iter(_active(factory, school.programme_id).values()))
    other_tutor = next(p.pupil_id for p in TUTORS if p.pupil_id != tutor)
    constraints.set_constraint(school.db, school.juf, school.programme_id, other_tutor, tutee, ConstraintKind.PIN)

    draft = match_programme(school.db, school.juf, school.programme_id, lang="nl", reference_date=ON)

    assert draft.summary["pins_skipped"] == [[other_tutor, tutee]]
    assert (tutor, tutee) in _active(factory, school.programme_id).values()


def test_a_running_pair_cannot_be_forbidden(factory: sessionmaker[Session]) -> None:
    school = _school(factory)
    _match_and_publish(school)
    tutor, tutee = next(iter(_active(factory, school.programme_id).values()))
    with pytest.raises(ConflictError) as caught:
        constraints.set_constraint(school.db, school.juf, school.programme_id, tutor, tutee, ConstraintKind.FORBID)
    assert caught.value.problems[0].code == "storage.constraint.active_pair"
    assert "Stop het eerst op de pagina Paren" in caught.value.message("nl")
    assert constraints.list_constraints(school.db, school.juf, school.programme_id) == []


def test_a_top_up_is_stale_when_a_replacement_took_its_tutor_meanwhile(factory: sessionmaker[Session]) -> None:
    school = _school(factory)  # one place per tutor: five pairs, one tutee waits
    _match_and_publish(school)
    running = sorted(_active(factory, school.programme_id).items())
    freed_id, (free_tutor, _) = running[0]
    pairs.end_pair(school.db, school.juf, freed_id, reason="ruzie", on=ON)
    draft = match_programme(school.db, school.juf, school.programme_id, lang="nl", reference_date=ON)
    drafted = [r.pair for r in pairs.pair_listings(school.db, school.juf, draft.id)]
    assert [p.tutor_number for p in drafted] == [free_tutor]  # the only tutor with a place
    # meanwhile a colleague replaces another pair's tutor on the Paren page: the free tutor is taken
    run, listed = pairs.published_pairs(school.db, school.juf, school.programme_id)
    assert run is not None
    other = next(r.pair for r in listed if r.pair.id == running[1][0])
    proposal = pairs.propose_replacement(school.db, school.juf, school.programme_id, [r.pair for r in listed], other)
    assert proposal is not None
    assert proposal.tutor_number == free_tutor
    pairs.accept_replacement(school.db, school.juf, run.id, other.id, proposal, reason="ziek", on=ON)

    with pytest.raises(ConflictError) as caught:
        pairs.publish(school.db, school.juf, draft.id, on=ON)

    codes = [p.code for p in caught.value.problems]
    assert codes == ["matching.publish.stale", "matching.publish.capacity"]
    assert latest_draft(school.db, school.juf, school.programme_id) is not None  # nothing published
    assert sum(1 for t, _ in _active(factory, school.programme_id).values() if t == free_tutor) == 1


# --------------------------------------------------------------------------------------------- properties

OPS = st.lists(
    st.tuples(st.sampled_from(["match", "pin", "forbid", "forbid_any", "publish", "end", "replace"]),
              st.integers(0, 40)),
    min_size=1, max_size=14,
)  # fmt: skip


@contextmanager
def _fresh_factory() -> Iterator[sessionmaker[Session]]:
    folder = Path(tempfile.mkdtemp(prefix="peermatch-props-"))
    shutil.copyfile(_sqlite_template(), folder / "p.db")
    made = make_engine(f"sqlite:///{folder / 'p.db'}")
    try:
        yield session_factory(made)
    finally:
        made.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def _step(school: School7, fac: sessionmaker[Session], op: str, k: int, day: date) -> set[tuple[str, str]]:
    """Do one operation as the teacher would; the pairs it ended (tutor, tutee). Refusals are fine."""
    ended: set[tuple[str, str]] = set()
    db, juf, pid = school.db, school.juf, school.programme_id
    draft = latest_draft(db, juf, pid)
    rows = pairs.pair_listings(db, juf, draft.id) if draft else []
    try:
        if op == "match":
            match_programme(db, juf, pid, lang="nl", reference_date=day)
        elif op in ("pin", "forbid") and rows:
            pair = rows[k % len(rows)].pair
            kind = ConstraintKind.PIN if op == "pin" else ConstraintKind.FORBID
            constraints.set_constraint(db, juf, pid, pair.tutor_number, pair.tutee_number, kind)
        elif op == "forbid_any":
            tutor, tutee = TUTORS[k % len(TUTORS)].pupil_id, TUTEES[k % len(TUTEES)].pupil_id
            constraints.set_constraint(db, juf, pid, tutor, tutee, ConstraintKind.FORBID)
        elif op == "publish" and draft:
            pairs.publish(db, juf, draft.id, on=day)
        elif op == "end":
            active = sorted(_active(fac, pid).items())
            if active:
                pair_id, combo = active[k % len(active)]
                pairs.end_pair(db, juf, pair_id, reason="stopt", on=day)
                ended.add(combo)
        elif op == "replace":
            run, listed = pairs.published_pairs(db, juf, pid)
            busy = {r.pair.tutee_number for r in listed if r.pair.status is PairStatus.ACTIVE}
            candidates = [r.pair for r in listed if r.pair.status is PairStatus.ACTIVE]
            if run and candidates:
                old = candidates[k % len(candidates)]
                proposal = pairs.propose_replacement(db, juf, pid, [r.pair for r in listed], old)
                if proposal is not None:
                    assert proposal.tutee_number == old.tutee_number
                    assert old.tutee_number in busy
                    pairs.accept_replacement(db, juf, run.id, old.id, proposal, reason="vervangen", on=day)
                    ended.add((old.tutor_number, old.tutee_number))
    except PeerMatchError:
        pass  # a refusal (stale draft, running pair forbidden, a pin the rules refuse ...) changes nothing
    return ended


def _check(school: School7, fac: sessionmaker[Session], capacity: int, ever_ended: set[tuple[str, str]]) -> None:
    active = _active(fac, school.programme_id)
    combos = list(active.values())
    assert not set(combos) & ever_ended, "an ended pair came back"
    forbidden = {
        (c.tutor_number, c.tutee_number)
        for c in constraints.list_constraints(school.db, school.juf, school.programme_id)
        if c.kind is ConstraintKind.FORBID
    }
    assert not set(combos) & forbidden, "a forbidden pair is active"
    tutees = [tutee for _, tutee in combos]
    assert len(tutees) == len(set(tutees)), "a tutee has two active pairs"
    for tutor in {t for t, _ in combos}:
        assert sum(1 for t, _ in combos if t == tutor) <= capacity


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS, capacity=st.integers(1, 2))
def test_random_sequences_keep_every_decision(ops: list[tuple[str, int]], capacity: int) -> None:
    with _fresh_factory() as fac:
        school = _school(fac, capacity=capacity)
        ever_ended: set[tuple[str, str]] = set()
        running: dict[int, tuple[str, str]] = {}
        for n, (op, k) in enumerate(ops):
            day = ON + timedelta(days=n)
            ended_now = _step(school, fac, op, k, day)
            ever_ended |= ended_now
            _check(school, fac, capacity, ever_ended)
            now = _active(fac, school.programme_id)
            for pair_id, combo in running.items():  # a running pair keeps running, same id, until ended
                assert combo in ended_now or now.get(pair_id) == combo, f"pair {combo} stopped running by {op}"
            running = now
