"""Stored data for monitoring, as plain rows: the programmes and pairs of the published runs, their
check-ins and level measurements, the tutors' training attempts, alert triage steps and evaluation talks.

The monitoring objects (histories, health, alerts, triage) are built from these rows in
:mod:`peermatch.services.monitoring`; nothing here knows the monitoring rules.

Who may see what (checked here, on every read and write): ib and beheerder the whole school; a leerkracht
the pairs whose tutor or tutee is in one of their own groups. Worry signals (``worry``, its text) go only to
the readers in :data:`peermatch.storage.checkin_store.WORRY_READERS`: for a beheerder they are blanked.

Alerts are not stored: they are generated again from the check-ins with stable ids; only their triage steps
are (table ``alert_triage``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Bundle, Session, aliased, selectinload

from peermatch.auth import AuthenticatedUser, require_group_access, require_school
from peermatch.board_policy import refuse_board
from peermatch.errors import InvalidInputError, PermissionDeniedError, Problem
from peermatch.storage import audit
from peermatch.storage.access import not_found
from peermatch.storage.checkin_store import WORRY_READERS
from peermatch.storage.enums import AuditAction, PairStatus, RunStatus
from peermatch.storage.models import (
    AlertTriage,
    CheckInRow,
    EvaluationTalk,
    Group,
    LevelMeasurementRow,
    MatchingRun,
    MonitoringVersion,
    PairRow,
    Programme,
    PupilRow,
    TrainingAttempt,
)

__all__ = [
    "TEXT_MAX",
    "CheckInColumns",
    "Evaluation",
    "MonitoredPair",
    "MonitoredProgramme",
    "PupilName",
    "StoredAttempt",
    "StoredLevel",
    "TriageStep",
    "active_pupils",
    "add_evaluation",
    "add_triage_step",
    "checkin_columns",
    "data_version",
    "evaluations",
    "group_names",
    "levels_of",
    "monitored_pairs",
    "monitored_programmes",
    "record_view",
    "require_pair",
    "training_attempts",
    "triage_steps",
]

TEXT_MAX = 1000
_CHUNK = 900  # stay under SQLite's bound-parameter limit


@dataclass(frozen=True)
class MonitoredProgramme:
    """A programme of the actor's school as monitoring plans it."""

    id: int
    name: str
    subject: str
    start_date: date | None
    weeks: int
    sessions_per_week: int
    minutes_per_session: int
    weekdays: tuple[int, ...]  # the distinct ISO weekdays of its moments (Monday = 1 … Sunday = 7), sorted
    group_ids: frozenset[int]  # its tutor and tutee groups


@dataclass(frozen=True)
class PupilName:
    id: int
    group_id: int | None
    first_name: str
    prefix: str | None
    last_name: str | None

    @property
    def full_name(self) -> str:
        return " ".join(x for x in (self.first_name, self.prefix, self.last_name) if x)


@dataclass(frozen=True)
class MonitoredPair:
    """An active or ended pair of a published run (``ended_on`` and ``end_reason`` set for an ended one)."""

    id: int
    programme_id: int
    start_date: date | None
    tutor: PupilName
    tutee: PupilName
    ended_on: date | None = None
    end_reason: str = ""


class StoredLevel(NamedTuple):
    pupil_id: int
    day: date
    index_low: float
    index_high: float


@dataclass(frozen=True)
class StoredAttempt:
    """One stored training attempt (without the answers)."""

    pupil_id: int
    module_id: str
    number: int
    taken_on: date
    correct: int
    total: int
    passed: bool
    module_version: int


@dataclass(frozen=True)
class TriageStep:
    alert_id: str
    state: str
    by: str
    at: datetime
    note: str
    kind: str = ""  # the alert's kind (monitoring's AlertKind value)
    pair_id: int | None = None


@dataclass(frozen=True)
class Evaluation:
    id: int
    pair_id: int
    held_on: date
    went_well: str
    could_be_better: str
    what_can_i_do: str
    by: str
    created_at: datetime


def _staff(actor: object) -> AuthenticatedUser:
    if not isinstance(actor, AuthenticatedUser):
        raise PermissionDeniedError(Problem("pupil.denied.staff_only"))
    return refuse_board(actor)  # a board account reads aggregates through services.board only


def _visible(actor: AuthenticatedUser, *group_ids: int | None) -> bool:
    return actor.school_wide or any(g is not None and g in actor.group_ids for g in group_ids)


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def monitored_programmes(
    session: Session, actor: AuthenticatedUser, programme_id: int | None = None
) -> list[MonitoredProgramme]:
    """The programmes of the actor's school by name; ``programme_id`` narrows to that one (of the actor's
    school, else not found or denied)."""
    actor = _staff(actor)
    query = (
        sa.select(Programme)
        .options(selectinload(Programme.moments), selectinload(Programme.tutor_groups),
                 selectinload(Programme.tutee_groups))
        .where(Programme.school_id == actor.school_id)
        .order_by(Programme.name)
    )  # fmt: skip
    if programme_id is not None:
        programme = session.get(Programme, programme_id)
        if programme is None:
            raise not_found("programme", programme_id)
        require_school(actor, programme.school_id)
        query = query.where(Programme.id == programme_id)
    return [
        MonitoredProgramme(
            id=p.id,
            name=p.name,
            subject=p.subject.value,
            start_date=p.start_date,
            weeks=p.weeks,
            sessions_per_week=p.sessions_per_week,
            minutes_per_session=p.minutes_per_session,
            weekdays=tuple(sorted({m.weekday for m in p.moments})),
            group_ids=frozenset(g.id for g in (*p.tutor_groups, *p.tutee_groups)),
        )
        for p in session.scalars(query)
    ]


def monitored_pairs(session: Session, actor: AuthenticatedUser, programme_ids: Iterable[int]) -> list[MonitoredPair]:
    """The active and ended pairs of the published runs of these programmes that the actor may see, by id."""
    actor = _staff(actor)
    tutor, tutee = aliased(PupilRow), aliased(PupilRow)

    def person(p: type[PupilRow], name: str) -> Bundle[Any]:  # columns, not ORM entities: faster for 1,000s
        return Bundle(name, p.id, p.group_id, p.first_name, p.prefix, p.last_name)

    rows = session.execute(
        sa.select(
            Bundle("pair", PairRow.id, PairRow.start_date, PairRow.status, PairRow.end_date, PairRow.end_reason),
            MatchingRun.programme_id,
            person(tutor, "tutor"),
            person(tutee, "tutee"),
        )
        .join(MatchingRun, MatchingRun.id == PairRow.run_id)
        .join(tutor, tutor.id == PairRow.tutor_id)
        .join(tutee, tutee.id == PairRow.tutee_id)
        .where(
            MatchingRun.school_id == actor.school_id,
            MatchingRun.status == RunStatus.PUBLISHED,
            MatchingRun.programme_id.in_(list(programme_ids)),
            PairRow.status.in_([PairStatus.ACTIVE, PairStatus.ENDED]),
        )
        .order_by(PairRow.id)
    ).all()
    return [
        MonitoredPair(
            pair.id,
            programme_id,
            pair.start_date,
            PupilName(*tutor_row),
            PupilName(*tutee_row),
            _ended_on(pair.status, pair.end_date, pair.start_date),
            pair.end_reason or "",
        )
        for pair, programme_id, tutor_row, tutee_row in rows
        if _visible(actor, tutor_row.group_id, tutee_row.group_id)
    ]


def _ended_on(status: PairStatus, end_date: date | None, start_date: date | None) -> date | None:
    """The day an ended pair stopped (its start when no end day was stored); ``None`` for an active pair."""
    if status is not PairStatus.ENDED:
        return None
    return end_date or start_date or date.min


class CheckInColumns(NamedTuple):
    """The check-ins of many pairs as parallel columns, sorted by pair and day (what monitoring reads of them).

    ``note`` is computed by the database: the worry's text for a check-in with a worry (for a worry reader),
    else the first non-empty of was_hard, try_next, went_well. For an actor who may not read worries,
    ``worry`` is false and the worry's text is never read."""

    pair_id: list[int]
    day: list[date]
    status: list[str]
    minutes: list[int | None]
    tutor_mood: list[int | None]
    tutee_fun: list[int | None]
    tutee_learned: list[int | None]
    worry: list[bool]
    needs_help: list[bool]
    note: list[str]
    together: list[int | None]  # the lower of the tutor's and the tutee's "Hoe ging het samen?" (either may be empty)


def _note(sees_worries: bool) -> sa.ColumnElement[str]:
    reflection = sa.case(
        (CheckInRow.was_hard != "", CheckInRow.was_hard),
        (CheckInRow.try_next != "", CheckInRow.try_next),
        else_=sa.func.coalesce(CheckInRow.went_well, ""),
    )
    if not sees_worries:
        return reflection
    return sa.case((sa.and_(CheckInRow.worry, CheckInRow.worry_text != ""), CheckInRow.worry_text), else_=reflection)


def _together() -> sa.ColumnElement[int | None]:
    """The lower of the two answers to "Hoe ging het samen?" (a fall of either child's answer counts), or the one
    given; NULL when neither answered."""
    tutor, tutee = CheckInRow.tutor_together, CheckInRow.tutee_together
    return sa.case((tutee < tutor, tutee), else_=sa.func.coalesce(tutor, tutee))


def checkin_columns(session: Session, actor: AuthenticatedUser, pairs: Sequence[MonitoredPair]) -> CheckInColumns:
    """The check-ins of these pairs (from :func:`monitored_pairs`) in the actor's school, as columns sorted by
    pair and day (one query; the database picks the note and blanks the worries for an actor who may not read
    them)."""
    actor = _staff(actor)
    sees_worries = actor.role in WORRY_READERS
    ids = {p.id for p in pairs if _visible(actor, p.tutor.group_id, p.tutee.group_id)}
    programme_ids = sorted({p.programme_id for p in pairs})
    out = CheckInColumns([], [], [], [], [], [], [], [], [], [], [])
    if not ids:
        return out
    worry = CheckInRow.worry if sees_worries else sa.false()
    query = (
        sa.select(CheckInRow.pair_id, CheckInRow.session_date, CheckInRow.status, CheckInRow.minutes,
                  CheckInRow.tutor_mood, CheckInRow.tutee_fun, CheckInRow.tutee_learned, worry, CheckInRow.needs_help,
                  _note(sees_worries), _together())
        .where(CheckInRow.school_id == actor.school_id)
        .order_by(CheckInRow.pair_id, CheckInRow.session_date)
    )  # fmt: skip
    if len(ids) <= _CHUNK:
        query = query.where(CheckInRow.pair_id.in_(sorted(ids)))
    else:  # the pairs monitored_pairs read: published runs, active or ended (the same conditions)
        query = (
            query.join(PairRow, PairRow.id == CheckInRow.pair_id)
            .join(MatchingRun, MatchingRun.id == PairRow.run_id)
            .where(MatchingRun.status == RunStatus.PUBLISHED, MatchingRun.programme_id.in_(programme_ids),
                   PairRow.status.in_([PairStatus.ACTIVE, PairStatus.ENDED]))
        )  # fmt: skip
    result = session.connection().execute(query)  # Core rows: no ORM loading step per row
    rows = result.all() if actor.school_wide and len(ids) > _CHUNK else [r for r in result if r[0] in ids]
    if not rows:
        return out
    pair, day, status, minutes, mood, fun, learned, worries, helps, note, together = (
        list(c) for c in zip(*rows, strict=True)
    )
    return CheckInColumns(pair, day, status, minutes, mood, fun, learned, [bool(w) for w in worries],
                          [bool(h) for h in helps], note, together)  # fmt: skip


def levels_of(session: Session, actor: AuthenticatedUser, pupil_ids: Iterable[int], subject: str) -> list[StoredLevel]:
    """The level measurements in ``subject`` of these pupils of the actor's school, oldest first."""
    actor = _staff(actor)
    ids = sorted(set(pupil_ids))
    out: list[StoredLevel] = []
    for chunk in _chunks(ids):
        query = (
            sa.select(LevelMeasurementRow.pupil_id, LevelMeasurementRow.measured_on, LevelMeasurementRow.index_low,
                      LevelMeasurementRow.index_high)
            .where(LevelMeasurementRow.pupil_id.in_(chunk), LevelMeasurementRow.subject == subject,
                   LevelMeasurementRow.school_id == actor.school_id)
            .order_by(LevelMeasurementRow.measured_on)
        )  # fmt: skip
        out.extend(StoredLevel(*row) for row in session.execute(query))
    out.sort(key=lambda m: m.day)
    return out


def training_attempts(session: Session, actor: AuthenticatedUser, pupil_ids: Iterable[int]) -> list[StoredAttempt]:
    """Every stored training attempt of these pupils of the actor's school, oldest first per pupil."""
    actor = _staff(actor)
    ids = sorted(set(pupil_ids))
    out: list[StoredAttempt] = []
    for chunk in _chunks(ids):
        rows = session.execute(
            sa.select(TrainingAttempt.pupil_id, TrainingAttempt.module_id, TrainingAttempt.attempt_no,
                      TrainingAttempt.taken_on, TrainingAttempt.correct, TrainingAttempt.total, TrainingAttempt.passed,
                      TrainingAttempt.module_version)
            .where(TrainingAttempt.pupil_id.in_(chunk), TrainingAttempt.school_id == actor.school_id)
            .order_by(TrainingAttempt.pupil_id, TrainingAttempt.taken_on, TrainingAttempt.id)
        )  # fmt: skip
        out.extend(StoredAttempt(*row) for row in rows)
    return out


def group_names(session: Session, actor: AuthenticatedUser) -> dict[int, str]:
    """Every group of the actor's school: id -> name."""
    actor = _staff(actor)
    return {g.id: g.name for g in session.scalars(sa.select(Group).where(Group.school_id == actor.school_id))}


def active_pupils(session: Session, actor: AuthenticatedUser, group_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(pupil id, group id) of the active pupils in those of these groups that the actor may see."""
    actor = _staff(actor)
    visible = [g for g in set(group_ids) if _visible(actor, g)]
    if not visible:
        return []
    rows = session.execute(
        sa.select(PupilRow.id, PupilRow.group_id).where(
            PupilRow.group_id.in_(visible), PupilRow.active, PupilRow.school_id == actor.school_id
        )
    ).all()
    return [(pupil_id, group_id) for pupil_id, group_id in rows if group_id is not None]


def data_version(session: Session, actor: AuthenticatedUser) -> tuple[int, int]:
    """The change counter of the monitoring data of the actor's school (``monitoring_versions``: kept by the
    database's triggers, migration 0015), as (epoch, version); (0, 0) before the first change. One cheap query:
    a page that loaded the data before at this counter may use it again."""
    actor = _staff(actor)
    row = session.execute(
        sa.select(MonitoringVersion.epoch, MonitoringVersion.version).where(
            MonitoringVersion.school_id == actor.school_id
        )
    ).first()
    return (0, 0) if row is None else (int(row[0]), int(row[1]))


def record_view(session: Session, actor: AuthenticatedUser, programme_id: int | None) -> None:
    """Audit that the actor read the monitoring data (of one programme, or of all when ``None``)."""
    actor = _staff(actor)
    audit.record(session, actor, actor.school_id, AuditAction.VIEW, "monitoring", programme_id)


def _load_pair(session: Session, actor: AuthenticatedUser, pair_id: int | str) -> PairRow:
    """A pair the actor may see: ib/beheerder in their school, a leerkracht when tutor or tutee is in their group."""
    actor = _staff(actor)
    try:
        key = int(pair_id)
    except (TypeError, ValueError):
        raise not_found("pair", pair_id) from None
    pair = session.get(PairRow, key)
    if pair is None:
        raise not_found("pair", pair_id)
    require_school(actor, pair.school_id)
    tutor, tutee = session.get_one(PupilRow, pair.tutor_id), session.get_one(PupilRow, pair.tutee_id)
    if not _visible(actor, tutor.group_id, tutee.group_id):
        require_group_access(actor, pair.school_id, tutee.group_id, tutee.group.name if tutee.group else "")
    return pair


def require_pair(session: Session, actor: AuthenticatedUser, pair_id: int | str) -> int:
    """The id of a pair the actor may see (see :func:`_load_pair`); not found or denied otherwise."""
    return _load_pair(session, actor, pair_id).id


def triage_steps(session: Session, actor: AuthenticatedUser) -> list[TriageStep]:
    """Every stored triage step of the actor's school (a leerkracht: of their pairs), oldest first."""
    actor = _staff(actor)
    tutor, tutee = aliased(PupilRow), aliased(PupilRow)
    rows = session.execute(
        sa.select(AlertTriage, tutor.group_id, tutee.group_id)
        .join(PairRow, PairRow.id == AlertTriage.pair_id)
        .join(tutor, tutor.id == PairRow.tutor_id)
        .join(tutee, tutee.id == PairRow.tutee_id)
        .where(AlertTriage.school_id == actor.school_id)
        .order_by(AlertTriage.at, AlertTriage.id)
    ).all()
    return [
        TriageStep(row.alert_id, row.state, row.by_name, row.at, row.note, row.kind, row.pair_id)
        for row, tutor_group, tutee_group in rows
        if _visible(actor, tutor_group, tutee_group)
    ]


def add_triage_step(
    session: Session,
    actor: AuthenticatedUser,
    *,
    alert_id: str,
    kind: str,
    pair_id: int | str,
    state: str,
    note: str,
    by: str,
    at: datetime,
) -> None:
    """Store one triage step of an alert of a pair the actor may see (the move was checked by the caller).
    Notes are at most :data:`TEXT_MAX` characters. Audited."""
    actor = _staff(actor)
    pair = _load_pair(session, actor, pair_id)
    if len(note) > TEXT_MAX:
        raise InvalidInputError(Problem("ib.error.too_long", value=str(TEXT_MAX)))
    session.add(
        AlertTriage(school_id=pair.school_id, alert_id=alert_id, kind=kind, pair_id=pair.id, state=state, note=note,
                    by_id=actor.id, by_name=by, at=at)
    )  # fmt: skip
    session.flush()
    audit.record(session, actor, pair.school_id, AuditAction.UPDATE, "alert", alert_id)


def add_evaluation(
    session: Session,
    actor: AuthenticatedUser,
    pair_id: int | str,
    *,
    held_on: date,
    went_well: str,
    could_be_better: str,
    what_can_i_do: str,
) -> Evaluation:
    """Store an evaluation talk for a pair the actor may see. At least one answer; each at most 1000 characters."""
    actor = _staff(actor)
    pair = _load_pair(session, actor, pair_id)
    answers = [a.strip() for a in (went_well, could_be_better, what_can_i_do)]
    if not any(answers):
        raise InvalidInputError(Problem("ib.error.evaluation_empty"))
    if any(len(a) > TEXT_MAX for a in answers):
        raise InvalidInputError(Problem("ib.error.too_long", value=str(TEXT_MAX)))
    by = actor.display_name or actor.username
    row = EvaluationTalk(school_id=pair.school_id, pair_id=pair.id, held_on=held_on, went_well=answers[0],
                         could_be_better=answers[1], what_can_i_do=answers[2], by_id=actor.id, by_name=by)  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, actor, pair.school_id, AuditAction.CREATE, "evaluation", row.id)
    return _evaluation(row)


def _evaluation(row: EvaluationTalk) -> Evaluation:
    return Evaluation(row.id, row.pair_id, row.held_on, row.went_well, row.could_be_better, row.what_can_i_do,
                      row.by_name, row.created_at)  # fmt: skip


def evaluations(session: Session, actor: AuthenticatedUser, pair_id: int | str) -> list[Evaluation]:
    """The pair's evaluation talks, oldest first."""
    pair = _load_pair(session, actor, pair_id)
    rows = session.scalars(
        sa.select(EvaluationTalk)
        .where(EvaluationTalk.pair_id == pair.id)
        .order_by(EvaluationTalk.held_on, EvaluationTalk.id)
    )
    return [_evaluation(r) for r in rows]
