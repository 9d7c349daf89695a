"""The practice sign-off on SQLite and PostgreSQL: the teacher records the observed role-play per tutor,
audited, undoable, within her own groups; "Klaar om te starten" needs it and the passed quizzes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from storage_fixtures import backend, engine, factory
from tutoring_world import Tutoring, build_tutoring, cheap_argon2, login_as

from peermatch.errors import InvalidInputError, PermissionDeniedError
from peermatch.i18n import catalogue
from peermatch.model import Subject
from peermatch.services import Database, training
from peermatch.storage.engine import unit_of_work
from peermatch.storage.models import AuditLog, PracticeSignoff
from peermatch.training import ModuleSet, load_modules

__all__ = ["backend", "cheap_argon2", "engine", "factory"]  # fixtures used by the tests below

DAY = date(2025, 10, 1)


@pytest.fixture(scope="module")
def modules() -> ModuleSet:
    return load_modules("nl")


@pytest.fixture
def tutoring(factory: sessionmaker[Session], cheap_argon2: None) -> Tutoring:
    return build_tutoring(factory)


def _audit(factory: sessionmaker[Session]) -> list[tuple[str, str | None, str | None]]:
    with unit_of_work(factory, read_only=True) as session:
        rows = session.execute(
            sa.select(AuditLog.action, AuditLog.entity_id, AuditLog.detail)
            .where(AuditLog.entity == "practice_signoff")
            .order_by(AuditLog.id)
        )
        return [(str(a), e, d) for a, e, d in rows]


def test_the_juf_signs_off_a_tutors_practice_once_and_can_undo_it_both_audited(
    factory: sessionmaker[Session], tutoring: Tutoring, modules: ModuleSet
) -> None:
    db, juf, noor = Database(factory), tutoring.world.juf, tutoring.pupils["Noor"]
    assert training.sign_off_practice(db, juf, noor, "kennismaken", modules, today=DAY) is True
    assert training.sign_off_practice(db, juf, noor, "kennismaken", modules, today=DAY) is False  # a double tap
    with unit_of_work(factory, read_only=True) as session:
        row = session.scalars(sa.select(PracticeSignoff)).one()
        assert (row.pupil_id, row.module_id, row.signed_on, row.signed_by_id) == (noor, "kennismaken", DAY, juf.id)
        assert row.signed_by_name == juf.display_name
    assert training.undo_practice(db, juf, noor, "kennismaken") is True
    assert training.undo_practice(db, juf, noor, "kennismaken") is False
    with unit_of_work(factory, read_only=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(PracticeSignoff)) == 0
    assert _audit(factory) == [("create", str(noor), "kennismaken"), ("delete", str(noor), "kennismaken")]


def test_only_staff_of_the_tutors_group_may_sign_off_and_only_a_module_that_exists(
    factory: sessionmaker[Session], tutoring: Tutoring, modules: ModuleSet
) -> None:
    db, world, noor = Database(factory), tutoring.world, tutoring.pupils["Noor"]
    with pytest.raises(PermissionDeniedError):
        training.sign_off_practice(db, world.meester, noor, "kennismaken", modules, today=DAY)  # not her group
    with pytest.raises(PermissionDeniedError):
        training.sign_off_practice(db, world.other_ib, noor, "kennismaken", modules, today=DAY)  # other school
    pupil = login_as(factory, tutoring.cards["Noor"])
    with pytest.raises(PermissionDeniedError):
        training.sign_off_practice(db, pupil, noor, "kennismaken", modules, today=DAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError) as caught:
        training.sign_off_practice(db, world.juf, noor, "bestaat-niet", modules, today=DAY)
    message = caught.value.problems[0].message("nl")
    assert message == "Module 'bestaat-niet' bestaat niet (meer). Kies een module uit de lijst."
    assert training.sign_off_practice(db, world.ib, noor, "kennismaken", modules, today=DAY)  # the IB'er: whole school
    with pytest.raises(PermissionDeniedError):
        training.undo_practice(db, world.meester, noor, "kennismaken")
    assert _audit(factory) == [("create", str(noor), "kennismaken")]


def test_the_group_overview_is_ready_only_with_the_quizzes_and_the_practice(
    factory: sessionmaker[Session], tutoring: Tutoring, modules: ModuleSet
) -> None:
    db, juf = Database(factory), tutoring.world.juf
    noor = login_as(factory, tutoring.cards["Noor"])
    for module in modules.core_for(Subject.LEZEN):
        training.record_attempt(db, noor, module, {q.id: q.answer for q in module.quiz}, today=DAY)

    def noor_row() -> training.TutorReadiness:
        report = training.readiness_for_group(db, juf, tutoring.world.groups["7A"], Subject.LEZEN, modules)
        return next(t for t in report.tutors if t.pupil_id == noor.id)

    assert (noor_row().readiness.quizzes_passed, noor_row().readiness.ready) == (True, False)
    training.sign_off_practice(db, juf, noor.id, "rekenen-hardop", modules, today=DAY)
    assert noor_row().readiness.ready is False  # a maths role-play does not make a reading tutor ready
    training.sign_off_practice(db, juf, noor.id, "samen-lezen", modules, today=DAY)
    assert (noor_row().readiness.practised, noor_row().readiness.ready) == (("samen-lezen",), True)
    training.undo_practice(db, juf, noor.id, "samen-lezen")
    assert noor_row().readiness.ready is False


def test_every_practice_message_used_in_the_code_exists_in_both_languages() -> None:
    root = Path(__file__).resolve().parents[2]
    used: set[str] = set()
    for folder in ("peermatch", "ui", "views"):
        for path in (root / folder).rglob("*.py"):
            used |= set(re.findall(r"""["'](practice\.[a-z_]+\.?[a-z_]*)["']""", path.read_text("utf-8")))
    assert {"practice.paper_changed", "practice.staff.sign", "practice.quiz.why_wrong"} <= used
    assert used - set(catalogue("nl")) == set()
    assert used - set(catalogue("en")) == set()
