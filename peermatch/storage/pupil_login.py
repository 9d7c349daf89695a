"""Pupil logins: class codes and personal codes per group, login with throttling, and what a logged-in
pupil may see (their own pairs, as tutor: the tutee's first name and practice level, never more).

Staff functions (``generate_codes``, ``reset_code``, ``class_code_of``, ``clear_login_failures``) take an
``AuthenticatedUser`` with access to the group. PupilRow functions take an :class:`AuthenticatedPupil` and
re-check on every call that the pupil is still active and in the same group (a moved pupil's login
stops working). Plain personal codes are returned once, for printing, and never stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from peermatch.auth import AuthenticatedUser
from peermatch.errors import LoginThrottledError, NotFoundError, PermissionDeniedError, Problem
from peermatch.model import Subject
from peermatch.pupil_auth import (
    CLASS_CODE_LENGTH,
    AuthenticatedPupil,
    CodeKind,
    LoginCard,
    generate_class_code,
    generate_personal_code,
    hash_personal_code,
    new_salt,
    normalize_class_code,
    normalize_personal_code,
)
from peermatch.storage import audit
from peermatch.storage.access import load_group, load_pupil
from peermatch.storage.enums import AuditAction, PairStatus, RunStatus
from peermatch.storage.measurements import latest_levels_of
from peermatch.storage.models import (
    Group,
    GroupLoginCode,
    MatchingRun,
    PairRow,
    Programme,
    PupilCredential,
    PupilLoginFailure,
    PupilRow,
    utcnow,
)
from peermatch.storage.programmes import Moment
from peermatch.training.modules import ModuleSet
from peermatch.training.progress import Readiness, TutorProgress, is_ready

__all__ = [
    "MAX_FAILURES",
    "THROTTLE_WINDOW",
    "OwnPair",
    "TuteeCard",
    "TutorHome",
    "class_code_of",
    "clear_login_failures",
    "generate_codes",
    "load_own_pair",
    "login_kind",
    "own_pairs",
    "pupil_login",
    "require_active_pupil",
    "reset_code",
    "tutor_view",
]

MAX_FAILURES = 10  # failed logins per class code ...
THROTTLE_WINDOW = timedelta(minutes=15)  # ... within this window, then wait


# --- staff: codes ------------------------------------------------------------------------------------


def _unused_class_code(session: Session) -> str:
    while True:  # 31**6 ≈ 887 million codes: a clash is rare, but possible
        candidate = generate_class_code()
        if session.scalar(sa.select(GroupLoginCode.group_id).where(GroupLoginCode.class_code == candidate)) is None:
            return candidate


def _login_code(session: Session, group: Group, kind: CodeKind | None, new_class_code: bool) -> GroupLoginCode:
    row = session.get(GroupLoginCode, group.id)
    if row is None:
        row = GroupLoginCode(
            group_id=group.id,
            school_id=group.school_id,
            class_code=_unused_class_code(session),
            code_kind=(kind or CodeKind.TEXT).value,
            salt=new_salt(),
        )
        session.add(row)
    else:
        if new_class_code:
            row.class_code = _unused_class_code(session)
        if kind is not None:
            row.code_kind = kind.value
    session.flush()
    return row


def _fresh_code(row: GroupLoginCode, used: set[str]) -> tuple[str, str]:
    kind = CodeKind(row.code_kind)
    while True:
        code = generate_personal_code(kind)
        hashed = hash_personal_code(code, row.salt)
        if hashed not in used:
            used.add(hashed)
            return code, hashed


def _store_credential(session: Session, pupil: PupilRow, group_id: int, hashed: str) -> None:
    credential = session.get(PupilCredential, pupil.id)
    if credential is None:
        session.add(PupilCredential(pupil_id=pupil.id, school_id=pupil.school_id, group_id=group_id, code_hash=hashed))
    else:
        credential.group_id, credential.code_hash, credential.created_at = group_id, hashed, utcnow()


def generate_codes(
    session: Session,
    actor: AuthenticatedUser,
    group_id: int,
    *,
    kind: CodeKind | None = None,
    new_class_code: bool = False,
) -> list[LoginCard]:
    """New personal codes for every active pupil of the group (old codes stop working), by first name.

    The group keeps its class code unless ``new_class_code``; ``kind`` switches the group between
    text and picture codes (default: as before, text for a new group). The returned cards hold the
    only copy of the plain codes: print them (``peermatch.logincards.login_cards_pdf``) right away.
    """
    group = load_group(session, actor, group_id)
    row = _login_code(session, group, kind, new_class_code)
    pupils = session.scalars(
        sa.select(PupilRow)
        .where(PupilRow.group_id == group.id, PupilRow.active)
        .order_by(PupilRow.first_name, PupilRow.id)
    ).all()
    session.execute(sa.delete(PupilCredential).where(PupilCredential.group_id == group.id))
    session.flush()
    used: set[str] = set()
    cards = []
    for pupil in pupils:
        code, hashed = _fresh_code(row, used)
        _store_credential(session, pupil, group.id, hashed)
        cards.append(LoginCard(pupil.id, pupil.first_name, group.name, row.class_code, code, CodeKind(row.code_kind)))
    session.flush()
    audit.record(session, actor, group.school_id, AuditAction.UPDATE, "login_codes", group.id)
    return cards


def reset_code(session: Session, actor: AuthenticatedUser, pupil_id: int) -> LoginCard:
    """A new personal code for one pupil (lost card, code seen by others); the old one stops working."""
    pupil = load_pupil(session, actor, pupil_id)
    if pupil.group is None or not pupil.active:
        raise NotFoundError(Problem("pupil.codes.no_group", value=pupil.first_name))
    row = _login_code(session, pupil.group, None, False)
    used = set(
        session.scalars(
            sa.select(PupilCredential.code_hash).where(
                PupilCredential.group_id == pupil.group.id, PupilCredential.pupil_id != pupil.id
            )
        )
    )
    code, hashed = _fresh_code(row, used)
    _store_credential(session, pupil, pupil.group.id, hashed)
    session.flush()
    audit.record(session, actor, pupil.school_id, AuditAction.UPDATE, "login_code", pupil.id)
    return LoginCard(pupil.id, pupil.first_name, pupil.group.name, row.class_code, code, CodeKind(row.code_kind))


def class_code_of(session: Session, actor: AuthenticatedUser, group_id: int) -> tuple[str, CodeKind] | None:
    """The group's class code and code kind, or None when no codes were made yet."""
    group = load_group(session, actor, group_id)
    row = session.get(GroupLoginCode, group.id)
    return (row.class_code, CodeKind(row.code_kind)) if row else None


def clear_login_failures(session: Session, actor: AuthenticatedUser, group_id: int) -> None:
    """Lift the login wait for the group's class code (the teacher is standing next to the class)."""
    group = load_group(session, actor, group_id)
    row = session.get(GroupLoginCode, group.id)
    if row is not None:
        session.execute(sa.delete(PupilLoginFailure).where(PupilLoginFailure.class_code == row.class_code))


# --- pupils: login -----------------------------------------------------------------------------------


@cache
def _dummy_salt() -> str:
    return new_salt()


def _throttle_key(typed: str) -> str:
    return (normalize_class_code(typed) or "".join(typed.split()).upper())[: CLASS_CODE_LENGTH * 2]


def login_kind(session: Session, class_code: str) -> CodeKind:
    """Which second step the login screen shows after the class code: type a code, or tap 3 pictures.

    An unknown class code gives ``TEXT`` (the login then simply fails), so only picture groups are
    recognisable here; the second step is throttled as usual."""
    normalized = normalize_class_code(class_code)
    if normalized is None:
        return CodeKind.TEXT
    kind = session.scalar(sa.select(GroupLoginCode.code_kind).where(GroupLoginCode.class_code == normalized))
    return CodeKind(kind) if kind else CodeKind.TEXT


def pupil_login(
    session: Session, class_code: str, personal_code: str | Sequence[str], *, now: datetime | None = None
) -> AuthenticatedPupil | None:
    """The pupil whose codes these are, or None. Raises :class:`LoginThrottledError` after
    ``MAX_FAILURES`` failed logins with this class code within ``THROTTLE_WINDOW``.

    A failure is recorded in this transaction: call it in a unit of work that commits.
    Every attempt costs one argon2 computation, also for an unknown class code.
    """
    at = now or utcnow()
    key = _throttle_key(class_code)
    since = at - THROTTLE_WINDOW
    failures = session.scalar(
        sa.select(sa.func.count())
        .select_from(PupilLoginFailure)
        .where(PupilLoginFailure.class_code == key, PupilLoginFailure.at > since)
    )
    if (failures or 0) >= MAX_FAILURES:
        raise LoginThrottledError(Problem("pupil.login.throttled", params={"minutes": THROTTLE_WINDOW.seconds // 60}))

    normalized = normalize_class_code(class_code)
    row = None
    if normalized:
        row = session.scalar(sa.select(GroupLoginCode).where(GroupLoginCode.class_code == normalized))
    kind = CodeKind(row.code_kind) if row else CodeKind.TEXT
    code = normalize_personal_code(personal_code, kind)
    hashed = hash_personal_code(code or "-", row.salt if row else _dummy_salt())
    found = None
    if row is not None and code is not None:
        found = session.execute(
            sa.select(PupilCredential, PupilRow, Group)
            .join(PupilRow, PupilRow.id == PupilCredential.pupil_id)
            .join(Group, Group.id == PupilRow.group_id)
            .where(PupilCredential.group_id == row.group_id, PupilCredential.code_hash == hashed)
            .where(PupilRow.group_id == row.group_id, PupilRow.active)
        ).first()
    if found is None:
        session.add(PupilLoginFailure(class_code=key, at=at))
        session.execute(sa.delete(PupilLoginFailure).where(PupilLoginFailure.at < at - 4 * THROTTLE_WINDOW))
        session.flush()
        return None
    credential, pupil, group = found
    credential.last_login_at = at
    audit.record(session, None, pupil.school_id, AuditAction.LOGIN, "pupil", pupil.id)
    session.flush()
    return AuthenticatedPupil(pupil.id, pupil.school_id, group.id, pupil.first_name, group.name)


def require_active_pupil(session: Session, pupil: AuthenticatedPupil) -> PupilRow:
    """The pupil's row; PermissionDeniedError when the login is no longer valid (inactive, moved, removed)."""
    if not isinstance(pupil, AuthenticatedPupil):
        raise PermissionDeniedError(Problem("pupil.denied.not_a_pupil"))
    row = session.get(PupilRow, pupil.id)
    if row is None or not row.active or row.school_id != pupil.school_id or row.group_id != pupil.group_id:
        raise PermissionDeniedError(Problem("pupil.denied.login_expired"))
    return row


# --- pupils: what they may see -----------------------------------------------------------------------


@dataclass(frozen=True)
class OwnPair:
    """One of the pupil's own active pairs, as the core needs it (ids only; nothing to show a pupil)."""

    pair_id: int
    tutor_id: int
    tutee_id: int
    programme_id: int
    subject: Subject
    start_date: date | None
    end_date: date | None  # the planned end of the programme (start + weeks), if known


@dataclass(frozen=True)
class TuteeCard:
    """What a tutor may know about a tutee: first name, groep and the level to practise at. Nothing else."""

    pair_id: int
    first_name: str
    group_name: str
    subject: Subject
    practice_level: str | None  # the latest level code in the subject, e.g. "M5"; None when unknown
    moments: tuple[Moment, ...]  # the weekly moment(s)
    minutes_per_session: int


@dataclass(frozen=True)
class TutorHome:
    """The tutor's home page: own first name and groep, the tutee(s), and the training progress.

    ``readiness`` has one entry per subject of the tutor's pairs (empty without ``modules``)."""

    first_name: str
    group_name: str
    tutees: tuple[TuteeCard, ...]
    progress: TutorProgress
    readiness: tuple[Readiness, ...]


def _own_pairs_query(pupil_id: int) -> sa.Select[PairRow, Programme]:
    return (
        sa.select(PairRow, Programme)
        .join(MatchingRun, MatchingRun.id == PairRow.run_id)
        .join(Programme, Programme.id == MatchingRun.programme_id)
        .where(MatchingRun.status == RunStatus.PUBLISHED, PairRow.status == PairStatus.ACTIVE)
        .where(PairRow.tutor_id == pupil_id)
        .order_by(PairRow.id)
    )


def _programme_end(programme: Programme) -> date | None:
    return programme.start_date + timedelta(weeks=programme.weeks) if programme.start_date else None


def _own_pair(pair: PairRow, programme: Programme) -> OwnPair:
    end = _programme_end(programme)
    return OwnPair(pair.id, pair.tutor_id, pair.tutee_id, programme.id, programme.subject, pair.start_date, end)


def own_pairs(session: Session, pupil: AuthenticatedPupil) -> list[OwnPair]:
    """The pupil's active pairs as tutor (in published runs)."""
    require_active_pupil(session, pupil)
    return [_own_pair(pair, programme) for pair, programme in session.execute(_own_pairs_query(pupil.id))]


def load_own_pair(session: Session, pupil: AuthenticatedPupil, pair_id: int) -> OwnPair:
    """One of the pupil's own active pairs; PermissionDeniedError for any other pair (also another school's),
    so a pupil cannot even learn whether a pair id exists."""
    require_active_pupil(session, pupil)
    found = session.execute(_own_pairs_query(pupil.id).where(PairRow.id == pair_id)).first()
    if found is None:
        raise PermissionDeniedError(Problem("pupil.denied.pair", value=str(pair_id)))
    return _own_pair(*found)


def tutor_view(
    session: Session,
    pupil: AuthenticatedPupil,
    *,
    modules: ModuleSet | None = None,
    subjects: Sequence[Subject] | None = None,
) -> TutorHome:
    """The logged-in tutor's home: each tutee's first name, groep, practice level and weekly moments, and
    the tutor's own training progress. Never scores, birth dates, last names or other pupils.

    With ``modules``, ``readiness`` is given for the subjects of the tutor's pairs, or for ``subjects``
    when given (e.g. a tutor who trains before being paired)."""
    from peermatch.storage.training_store import attempts_of  # here: training_store needs this module

    me = require_active_pupil(session, pupil)
    tutee = aliased(PupilRow)
    rows = session.execute(
        _own_pairs_query(me.id)
        .add_columns(tutee.id, tutee.first_name, Group.name)
        .join(tutee, tutee.id == PairRow.tutee_id)
        .outerjoin(Group, Group.id == tutee.group_id)
    ).all()
    levels = latest_levels_of(session, [row[2] for row in rows])
    cards = []
    for pair, programme, tutee_id, first_name, group_name in rows:
        level = levels.get(tutee_id, {}).get(programme.subject)
        cards.append(
            TuteeCard(
                pair_id=pair.id,
                first_name=first_name,
                group_name=group_name or "",
                subject=programme.subject,
                practice_level=level.code if level else None,
                moments=tuple(Moment(m.weekday, m.start, m.end) for m in programme.moments),
                minutes_per_session=programme.minutes_per_session,
            )
        )
    progress = TutorProgress.from_attempts(attempts_of(session, me.id))
    wanted = sorted(set(subjects)) if subjects is not None else sorted({card.subject for card in cards})
    readiness = tuple(is_ready(progress, s, modules) for s in wanted) if modules is not None else ()
    return TutorHome(me.first_name, pupil.group_name, tuple(cards), progress, readiness)
