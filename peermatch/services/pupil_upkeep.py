"""Roster upkeep in the app: a pupil's role and motivation, leaving the school, and taking part or not.

Each use case is one transaction for the acting user: the ids it gets are checked against the actor in the
repository (:mod:`peermatch.storage.pupil_upkeep`), and every change is audited. A pupil who leaves has their
active pairs ended with :func:`peermatch.storage.runs.end_pair` (the same ending as on *Paren*: history and
audit), with the reason :data:`LEFT_REASON` and the leaving date. From the moment a pupil is marked as leaving,
or as not taking part, the matcher no longer sees them; from the leaving date on they drop out of the group
lists. A leave can be undone up to and including its date (the pairs it ended come back when nothing took
their place); not taking part can be undone at any time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from peermatch.auth import AuthenticatedUser
from peermatch.errors import ConflictError, InvalidInputError, Problem
from peermatch.model import Role
from peermatch.records import PupilInfo
from peermatch.services.database import Database
from peermatch.storage import pupil_upkeep, runs
from peermatch.storage.access import load_pupil

__all__ = [
    "LEFT_REASON",
    "DetailsEdit",
    "LeaveReport",
    "mark_leaving",
    "save_details",
    "set_taking_part",
    "undo_leaving",
]

LEFT_REASON = "verhuisd / vertrokken"  # the end reason of the pairs of a pupil who leaves (as on Paren)
ROLE_CHOICES = tuple(r.value for r in Role)


@dataclass(frozen=True)
class DetailsEdit:
    """A role and motivation as a teacher set them for one pupil (checked before anything is stored)."""

    pupil_id: int
    role: str  # "tutor", "tutee", "geen" or "" (the programme's groups decide)
    motivation: object  # 1-5, or None / "" for unknown
    takes_part: bool | None = None  # False: "doet niet mee"; None: leave as it is


@dataclass(frozen=True)
class LeaveReport:
    pupil: PupilInfo
    pairs: int  # pairs ended (on marking) or made active again (on undoing)


def _motivation(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value != value:  # NaN: an emptied number cell
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise ValueError(value) from None
    if not number.is_integer() or not 1 <= number <= 5:
        raise ValueError(value)
    return int(number)


def save_details(db: Database, actor: AuthenticatedUser, edits: Iterable[DetailsEdit]) -> int:
    """Store role, motivation (and taking part) for each edited pupil, all or nothing; how many pupils changed.

    An unknown role or a motivation that is not a whole number 1-5 is refused with ``InvalidInputError``, one
    problem per value naming the pupil and the value; leaving out a pupil with an active pair is refused as in
    :func:`set_taking_part`. Then nothing is stored. A pupil the actor may not see (another school, another
    teacher's group) is refused as everywhere (``PermissionDeniedError``).
    """
    changed = 0
    with db.write() as session:
        checked: list[tuple[int, Role, int | None, bool | None]] = []
        problems: list[Problem] = []
        for edit in edits:
            pupil = load_pupil(session, actor, edit.pupil_id)
            name = " ".join(part for part in (pupil.first_name, pupil.prefix, pupil.last_name) if part)
            if edit.takes_part is False and pupil.takes_part:
                busy = pupil_upkeep.active_pairs(session, actor, pupil.id)
                if busy:
                    partners = ", ".join(dict.fromkeys(p.partner_first_name for p in busy))
                    problems.append(Problem("upkeep.has_pairs", params={"name": name, "partners": partners}))
                    continue
            role_text = (edit.role or "").strip().lower()
            if role_text not in ROLE_CHOICES:
                problems.append(Problem("upkeep.bad_role", value=edit.role, params={"name": name}))
                continue
            try:
                motivation = _motivation(edit.motivation)
            except ValueError:
                problems.append(Problem("upkeep.bad_motivation", value=str(edit.motivation), params={"name": name}))
                continue
            checked.append((pupil.id, Role(role_text), motivation, edit.takes_part))
        if problems:
            raise InvalidInputError(problems)
        for pupil_id, role, motivation, takes_part in checked:
            before, did = pupil_upkeep.set_details(session, actor, pupil_id, role=role, motivation=motivation)
            if takes_part is not None and takes_part != before.takes_part:
                pupil_upkeep.set_takes_part(session, actor, pupil_id, takes_part=takes_part)
                did = True
            changed += did
    return changed


def mark_leaving(
    db: Database, actor: AuthenticatedUser, pupil_id: int, *, on: date | None = None, today: date | None = None
) -> LeaveReport:
    """The pupil leaves the school on ``on`` (default today): their active pairs end on that date.

    One transaction: the mark, every ended pair (reason :data:`LEFT_REASON`) and their audit entries, or none of
    it (e.g. ``InvalidInputError`` when ``on`` is before a pair's start). A pupil already marked is refused.
    """
    today = today or date.today()
    on = on or today
    with db.write() as session:
        info = pupil_upkeep.set_leaving(session, actor, pupil_id, on=on, today=today)
        ended = pupil_upkeep.active_pairs(session, actor, pupil_id)
        for pair in ended:
            runs.end_pair(session, actor, pair.pair_id, reason=LEFT_REASON, on=on)
        return LeaveReport(info, len(ended))


def undo_leaving(db: Database, actor: AuthenticatedUser, pupil_id: int, *, today: date | None = None) -> LeaveReport:
    """Take back a leave, up to and including its date: the pupil is back, and so are the pairs it ended.

    A pair comes back only while its run is still published, its other pupil is still there and taking part,
    and its tutee has no other active pair (no replacement tutor). After the leaving date: ``ConflictError``.
    """
    today = today or date.today()
    with db.write() as session:
        left_on, info = pupil_upkeep.clear_leaving(session, actor, pupil_id, today=today)
        reopened = pupil_upkeep.reopen_pairs(session, actor, pupil_id, ended_on=left_on, reason=LEFT_REASON)
        return LeaveReport(info, reopened)


def set_taking_part(db: Database, actor: AuthenticatedUser, pupil_id: int, *, takes_part: bool) -> PupilInfo:
    """Mark a pupil as not taking part ("doet niet mee": the matcher leaves them out), or as taking part again.

    A pupil with an active pair cannot be left out: ``ConflictError`` names the other pupil(s), so the teacher
    ends the pair on *Paren* (or marks the pupil as leaving) first. Audited when it changes.
    """
    with db.write() as session:
        if not takes_part:
            busy = pupil_upkeep.active_pairs(session, actor, pupil_id)
            if busy:
                pupil = load_pupil(session, actor, pupil_id)
                partners = ", ".join(dict.fromkeys(p.partner_first_name for p in busy))
                raise ConflictError(Problem("upkeep.has_pairs", params={"name": pupil.first_name,
                                                                        "partners": partners}))  # fmt: skip
        return pupil_upkeep.set_takes_part(session, actor, pupil_id, takes_part=takes_part)
