"""Pupil login codes, staff side: a group's class code and its pupils' personal codes (make, reset, look up),
and lifting the login wait of a class code.

Every function takes an ``AuthenticatedUser`` with access to the group (``load_group`` / ``load_pupil``
check it). Plain personal codes are returned once, on the :class:`LoginCard`, for printing, and never
stored: only their argon2id hashes (``peermatch.pupil_auth``).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.auth.throttle import class_pupil_keys
from peermatch.errors import NotFoundError, Problem
from peermatch.pupil_auth import (
    MAX_LOGIN_NUMBER,
    CodeKind,
    LoginCard,
    generate_class_code,
    generate_personal_code,
    hash_personal_code,
    new_salt,
)
from peermatch.storage import audit
from peermatch.storage.access import load_group, load_pupil
from peermatch.storage.enums import AuditAction
from peermatch.storage.models import Group, GroupLoginCode, LoginThrottle, PupilCredential, PupilRow, utcnow

__all__ = ["class_code_of", "clear_login_failures", "generate_codes", "outdated_cards", "reset_code"]


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


def _store_credential(session: Session, pupil: PupilRow, group_id: int, hashed: str, number: int) -> None:
    credential = session.get(PupilCredential, pupil.id)
    if credential is None:
        session.add(PupilCredential(pupil_id=pupil.id, school_id=pupil.school_id, group_id=group_id, code_hash=hashed,
                                    login_number=number))  # fmt: skip
    else:
        credential.group_id, credential.code_hash, credential.created_at = group_id, hashed, utcnow()
        credential.login_number = number


def _too_many(group: Group, count: int) -> NotFoundError:
    return NotFoundError(Problem("login_guard.too_many_pupils", value=group.name,
                                 params={"count": count, "max": MAX_LOGIN_NUMBER}))  # fmt: skip


def generate_codes(
    session: Session,
    actor: AuthenticatedUser,
    group_id: int,
    *,
    kind: CodeKind | None = None,
    new_class_code: bool = False,
) -> list[LoginCard]:
    """New personal codes for every active pupil of the group (old codes stop working), by first name, numbered
    1, 2, 3 ... in that order (the number on the card, typed at login).

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
    if len(pupils) > MAX_LOGIN_NUMBER:
        raise _too_many(group, len(pupils))
    session.execute(sa.delete(PupilCredential).where(PupilCredential.group_id == group.id))
    session.flush()
    used: set[str] = set()
    cards = []
    for number, pupil in enumerate(pupils, start=1):
        code, hashed = _fresh_code(row, used)
        _store_credential(session, pupil, group.id, hashed, number)
        cards.append(
            LoginCard(pupil.id, pupil.first_name, group.name, row.class_code, code, CodeKind(row.code_kind), number)
        )
    session.flush()
    audit.record(session, actor, group.school_id, AuditAction.UPDATE, "login_codes", group.id)
    return cards


def reset_code(session: Session, actor: AuthenticatedUser, pupil_id: int) -> LoginCard:
    """A new personal code for one pupil (lost card, code seen by others); the old one stops working."""
    pupil = load_pupil(session, actor, pupil_id)
    if pupil.group is None or not pupil.active:
        raise NotFoundError(Problem("pupil.codes.no_group", value=pupil.first_name))
    row = _login_code(session, pupil.group, None, False)
    others = session.execute(
        sa.select(PupilCredential.code_hash, PupilCredential.login_number).where(
            PupilCredential.group_id == pupil.group.id, PupilCredential.pupil_id != pupil.id
        )
    ).all()
    used = {hashed for hashed, _ in others}
    own = session.get(PupilCredential, pupil.id)
    taken = {n for _, n in others if n is not None}
    number = own.login_number if own is not None and own.group_id == pupil.group.id else None
    if number is None or number in taken:  # a new pupil (or a card from before numbers): the lowest free one
        number = next((n for n in range(1, MAX_LOGIN_NUMBER + 1) if n not in taken), None)
        if number is None:
            raise _too_many(pupil.group, len(taken) + 1)
    code, hashed = _fresh_code(row, used)
    _store_credential(session, pupil, pupil.group.id, hashed, number)
    session.flush()
    audit.record(session, actor, pupil.school_id, AuditAction.UPDATE, "login_code", pupil.id)
    return LoginCard(pupil.id, pupil.first_name, pupil.group.name, row.class_code, code, CodeKind(row.code_kind),
                     number)  # fmt: skip


def class_code_of(session: Session, actor: AuthenticatedUser, group_id: int) -> tuple[str, CodeKind] | None:
    """The group's class code and code kind, or None when no codes were made yet."""
    group = load_group(session, actor, group_id)
    row = session.get(GroupLoginCode, group.id)
    return (row.class_code, CodeKind(row.code_kind)) if row else None


def outdated_cards(session: Session, actor: AuthenticatedUser, group_id: int) -> int:
    """How many of the group's pupils hold a card made before login numbers (migration 0011): those cards no
    longer log in, the group's cards must be printed again."""
    group = load_group(session, actor, group_id)
    count = session.scalar(
        sa.select(sa.func.count())
        .select_from(PupilCredential)
        .where(PupilCredential.group_id == group.id, PupilCredential.login_number.is_(None))
    )
    return int(count or 0)


def clear_login_failures(session: Session, actor: AuthenticatedUser, group_id: int) -> int:
    """Lift the login waits of the group's pupils (every number with the class code: the teacher is standing
    next to the class); how many pupils (numbers) had one."""
    group = load_group(session, actor, group_id)
    row = session.get(GroupLoginCode, group.id)
    if row is None:
        return 0
    result = session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key.in_(class_pupil_keys(row.class_code))))
    return int(getattr(result, "rowcount", 0) or 0)
