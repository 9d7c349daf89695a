"""A login card for one demo tutee (the demo seeds cards for tutors only): the class code of the tutee's group and
a personal code, stored the way the Tutors page stores them (an argon2 hash with the group's salt)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from peermatch.demo_school.activity import demo_login_tutors
from peermatch.demo_school.seed import DEMO_SCHOOL_NAME
from peermatch.pupil_auth import hash_personal_code
from peermatch.storage.engine import make_engine, session_factory, unit_of_work
from peermatch.storage.enums import PairStatus
from peermatch.storage.models import GroupLoginCode, PairRow, PupilCredential, PupilRow
from peermatch.storage.schools import find_school

__all__ = ["TUTEE_CLASS_CODE", "TUTEE_CODE", "TuteeLogin", "give_tutee_a_login"]

TUTEE_CLASS_CODE, TUTEE_CODE = "MAAS5B", "RAKET"
_SALT = "74757465652d6c6f67696e2d73616c74"


@dataclass(frozen=True)
class TuteeLogin:
    class_code: str
    number: int  # the number on the card (the per-pupil throttle, migration 0011)
    personal_code: str
    tutee_first_name: str
    tutor_first_name: str
    pair_id: int


def give_tutee_a_login(url: str, tutor_index: int) -> TuteeLogin:
    """A personal code for the tutee of the ``tutor_index``-th demo login tutor (only that tutee gets one)."""
    engine = make_engine(url)
    try:
        with unit_of_work(session_factory(engine)) as s:
            school = find_school(s, DEMO_SCHOOL_NAME)
            assert school is not None
            tutor = demo_login_tutors(s, school.id)[tutor_index]
            pair = s.scalars(
                sa.select(PairRow).where(PairRow.tutor_id == tutor.id, PairRow.status == PairStatus.ACTIVE)
            ).first()
            assert pair is not None
            tutee = s.get_one(PupilRow, pair.tutee_id)
            assert tutee.group_id is not None
            row = s.get(GroupLoginCode, tutee.group_id)
            if row is None:
                row = GroupLoginCode(group_id=tutee.group_id, school_id=school.id, class_code=TUTEE_CLASS_CODE,
                                     code_kind="text", salt=_SALT)  # fmt: skip
                s.add(row)
                s.flush()
            taken = s.scalars(sa.select(PupilCredential.login_number).where(
                PupilCredential.group_id == tutee.group_id, PupilCredential.pupil_id != tutee.id)).all()  # fmt: skip
            number = next(n for n in range(1, 100) if n not in set(taken))
            code_hash = hash_personal_code(TUTEE_CODE, row.salt)
            s.merge(PupilCredential(pupil_id=tutee.id, school_id=school.id, group_id=tutee.group_id,
                                    code_hash=code_hash, login_number=number))  # fmt: skip
            return TuteeLogin(row.class_code, number, TUTEE_CODE, tutee.first_name, tutor.first_name, pair.id)
    finally:
        engine.dispose()
