"""Stored data for monitoring: pair histories built from the database, alert triage, evaluation talks.

Who may see what (checked here, in the core): ib and beheerder the whole school; a leerkracht the pairs
whose tutor or tutee is in one of their own groups. Worry signals (``worry``, its text) go only to the
readers in :data:`peermatch.storage.checkin_store.WORRY_READERS`: for a beheerder they are blanked.

Alerts are not stored: they are generated again from the check-ins with stable ids
(:func:`peermatch.monitoring.alert_id`); only their triage steps are (table ``alert_triage``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Bundle, Session, aliased, selectinload

from peermatch import monitoring as mon
from peermatch.auth import AuthenticatedUser, require_group_access, require_school
from peermatch.errors import InvalidInputError, MonitoringError, PermissionDeniedError, Problem
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
    PairRow,
    Programme,
    PupilRow,
    utcnow,
)
from peermatch.storage.settings import monitoring_thresholds
from peermatch.storage.training_store import attempts_of
from peermatch.training import ModuleSet, load_modules
from peermatch.training.progress import TutorProgress, is_ready
from peermatch.training.quiz import Attempt

__all__ = [
    "TEXT_MAX",
    "Evaluation",
    "Monitored",
    "add_evaluation",
    "evaluations",
    "load_monitored",
    "pair_histories",
    "set_triage",
    "triages",
]

TEXT_MAX = 1000


@dataclass(frozen=True)
class Monitored:
    """What the monitoring pages read: the histories (pair and pupil ids as text), names, programmes, and the
    school's thresholds (``storage.settings``) to judge the pairs with."""

    histories: tuple[mon.PairHistory, ...]
    non_participants: tuple[mon.PupilLevels, ...]
    names: Mapping[str, str]  # pupil id -> full name
    first_names: Mapping[str, str]  # pupil id -> first name
    programme_of: Mapping[str, int]  # pair id -> programme id
    programmes: Mapping[int, str]  # programme id -> name
    thresholds: mon.Thresholds  # the school's pair-health thresholds (the defaults unless it changed them)

    def pair_label(self, pair_id: str) -> str:
        h = next((h for h in self.histories if h.pair_id == pair_id), None)
        if h is None:
            return pair_id
        return f"{self.names.get(h.tutor_id, h.tutor_id)} → {self.names.get(h.tutee_id, h.tutee_id)}"


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
    return actor


@cache
def _modules() -> ModuleSet:
    """The training modules, loaded once per process (readiness does not depend on the language)."""
    return load_modules("nl")


def _plan(programme: Programme, start: date) -> mon.Plan:
    days = tuple(sorted({m.weekday - 1 for m in programme.moments}))
    weekdays = days if len(days) == programme.sessions_per_week else ()
    return mon.Plan(start, max(programme.weeks, 1), min(max(programme.sessions_per_week, 1), 7), weekdays)


_CHECKIN_COLUMNS = (
    CheckInRow.pair_id, CheckInRow.session_date, CheckInRow.status, CheckInRow.minutes, CheckInRow.tutor_mood,
    CheckInRow.tutee_fun,
    CheckInRow.tutee_learned, CheckInRow.worry, CheckInRow.needs_help, CheckInRow.worry_text, CheckInRow.was_hard,
    CheckInRow.try_next, CheckInRow.went_well,
)  # fmt: skip


def _checkin(row: tuple[Any, ...], sees_worries: bool, statuses: Mapping[str, mon.SessionStatus]) -> mon.CheckIn:
    """A stored check-in (the columns of ``_CHECKIN_COLUMNS``) as monitoring reads it."""
    _, day, status, minutes, mood, fun, learned, worry, help_needed, worry_text, hard, try_next, well = row
    worry = worry and sees_worries
    note = worry_text if worry and worry_text else (hard or try_next or well)
    return mon.CheckIn(day, statuses[status], minutes or 0, mood, fun, learned, worry, help_needed, note)


def _ready(session: Session, tutor_ids: set[int], subject: str) -> dict[int, bool]:
    if not tutor_ids:
        return {}
    attempts: list[Attempt] = attempts_of(session, *tutor_ids)
    by_tutor: dict[str, list[Attempt]] = defaultdict(list)
    for a in attempts:
        by_tutor[a.tutor_id].append(a)
    modules = _modules()
    return {
        t: bool(is_ready(TutorProgress.from_attempts(by_tutor.get(str(t), [])), subject, modules).ready)
        for t in tutor_ids
    }


def _levels(session: Session, pupil_ids: Iterable[int], subject: str) -> dict[int, tuple[mon.LevelMeasurement, ...]]:
    out: dict[int, list[mon.LevelMeasurement]] = defaultdict(list)
    ids = list(set(pupil_ids))
    if ids:
        query = (
            sa.select(LevelMeasurementRow.pupil_id, LevelMeasurementRow.measured_on, LevelMeasurementRow.index_low,
                      LevelMeasurementRow.index_high)
            .where(LevelMeasurementRow.pupil_id.in_(ids), LevelMeasurementRow.subject == subject)
            .order_by(LevelMeasurementRow.measured_on)
        )  # fmt: skip
        for pupil_id, day, low, high in session.execute(query):
            out[pupil_id].append(mon.LevelMeasurement(day, (low + high) / 2))
    return {k: tuple(v) for k, v in out.items()}


def _visible(actor: AuthenticatedUser, *group_ids: int | None) -> bool:
    return actor.school_wide or any(g is not None and g in actor.group_ids for g in group_ids)


def load_monitored(
    session: Session, actor: AuthenticatedUser, programme_id: int | None = None, *, with_training: bool = True
) -> Monitored:
    """The pairs of the published runs (active and ended) the actor may see, as monitoring histories.
    ``programme_id`` narrows to one programme (of the actor's school). Audited as a view."""
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
    programmes = list(session.scalars(query))
    tutor, tutee = aliased(PupilRow), aliased(PupilRow)

    def person(p: type[PupilRow], name: str) -> Bundle[Any]:  # columns, not ORM entities: faster for 1,000s
        return Bundle(name, p.id, p.group_id, p.first_name, p.prefix, p.last_name)

    pair_rows = session.execute(
        sa.select(
            Bundle("pair", PairRow.id, PairRow.start_date),
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
            MatchingRun.programme_id.in_([p.id for p in programmes]),
            PairRow.status.in_([PairStatus.ACTIVE, PairStatus.ENDED]),
        )
        .order_by(PairRow.id)
    ).all()
    pair_rows = [r for r in pair_rows if _visible(actor, r[2].group_id, r[3].group_id)]
    pair_ids = [r[0].id for r in pair_rows]
    sees_worries = actor.role in WORRY_READERS
    statuses = {s.value: s for s in mon.SessionStatus}
    checkins: dict[int, list[mon.CheckIn]] = defaultdict(list)
    for i in range(0, len(pair_ids), 900):  # stay under SQLite's bound-parameter limit
        chunk = sa.select(*_CHECKIN_COLUMNS).where(CheckInRow.pair_id.in_(pair_ids[i : i + 900]))
        for row in session.execute(chunk):
            checkins[row[0]].append(_checkin(tuple(row), sees_worries, statuses))
    groups = {g.id: g.name for g in session.scalars(sa.select(Group).where(Group.school_id == actor.school_id))}
    by_programme = {p.id: p for p in programmes}
    histories, names, first, programme_of = [], {}, {}, {}
    levels_cache: dict[str, dict[int, tuple[mon.LevelMeasurement, ...]]] = {}
    ready_cache: dict[str, dict[int, bool]] = {}
    for subject in {p.subject.value for p in programmes}:
        rows = [r for r in pair_rows if by_programme[r[1]].subject.value == subject]
        levels_cache[subject] = _levels(session, [i for r in rows for i in (r[2].id, r[3].id)], subject)
        tutors = {r[2].id for r in rows}
        ready_cache[subject] = _ready(session, tutors, subject) if with_training else dict.fromkeys(tutors, True)
    for pair, prog_id, tutor_row, tutee_row in pair_rows:
        programme = by_programme[prog_id]
        start = pair.start_date or programme.start_date
        if start is None:
            continue
        subject = programme.subject.value
        for p in (tutor_row, tutee_row):
            names[str(p.id)] = " ".join(x for x in (p.first_name, p.prefix, p.last_name) if x)
            first[str(p.id)] = p.first_name
        programme_of[str(pair.id)] = prog_id
        histories.append(
            mon.PairHistory(
                pair_id=str(pair.id),
                tutor_id=str(tutor_row.id),
                tutee_id=str(tutee_row.id),
                plan=_plan(programme, start),
                checkins=tuple(checkins.get(pair.id, ())),
                training_ready=ready_cache[subject].get(tutor_row.id, True),
                tutor_levels=levels_cache[subject].get(tutor_row.id, ()),
                tutee_levels=levels_cache[subject].get(tutee_row.id, ()),
                tutor_group=groups.get(tutor_row.group_id or -1, ""),
                tutee_group=groups.get(tutee_row.group_id or -1, ""),
                subject=subject,
            )
        )
    audit.record(session, actor, actor.school_id, AuditAction.VIEW, "monitoring", programme_id)
    return Monitored(
        tuple(histories),
        _non_participants(session, actor, programmes, {i for r in pair_rows for i in (r[2].id, r[3].id)}, groups),
        names,
        first,
        programme_of,
        {p.id: p.name for p in programmes},
        monitoring_thresholds(session, actor),
    )


def _non_participants(
    session: Session, actor: AuthenticatedUser, programmes: list[Programme], paired: set[int], groups: dict[int, str]
) -> tuple[mon.PupilLevels, ...]:
    """Active pupils of the programmes' groups (that the actor may see) who are in no pair: the comparison group."""
    out: list[mon.PupilLevels] = []
    for subject in {p.subject.value for p in programmes}:
        group_ids = {g.id for p in programmes if p.subject.value == subject for g in (*p.tutor_groups, *p.tutee_groups)}
        group_ids = {g for g in group_ids if _visible(actor, g)}
        if not group_ids:
            continue
        pupils = session.execute(
            sa.select(PupilRow.id, PupilRow.group_id).where(PupilRow.group_id.in_(group_ids), PupilRow.active)
        ).all()
        others = [(pid, gid) for pid, gid in pupils if pid not in paired]
        levels = _levels(session, [pid for pid, _ in others], subject)
        out.extend(mon.PupilLevels(str(pid), groups.get(gid or -1, ""), levels.get(pid, ())) for pid, gid in others)
    return tuple(out)


def pair_histories(
    session: Session, actor: AuthenticatedUser, programme_id: int | None = None
) -> list[mon.PairHistory]:
    """The monitoring histories of the pairs the actor may see (see :func:`load_monitored`)."""
    return list(load_monitored(session, actor, programme_id).histories)


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


def triages(session: Session, actor: AuthenticatedUser) -> dict[str, mon.Triage]:
    """Every stored triage of the actor's school (a leerkracht: of their pairs), by alert id."""
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
    events: dict[str, list[mon.TriageEvent]] = defaultdict(list)
    for row, tutor_group, tutee_group in rows:
        if _visible(actor, tutor_group, tutee_group):
            events[row.alert_id].append(mon.TriageEvent(mon.TriageState(row.state), row.by_name, row.at, row.note))
    return {k: mon.Triage(k, tuple(v)) for k, v in events.items()}


def set_triage(
    session: Session,
    actor: AuthenticatedUser,
    alert_id: str,
    to: mon.TriageState | str,
    note: str = "",
    *,
    kind: mon.AlertKind | str,
    pair_id: int | str,
    at: datetime | None = None,
) -> mon.Triage:
    """Move an alert's triage one step (rules in :func:`peermatch.monitoring.transition`; an illegal move
    raises :class:`MonitoringError` and stores nothing). Returns the new triage. Audited."""
    actor = _staff(actor)
    pair = _load_pair(session, actor, pair_id)
    if len(note) > TEXT_MAX:
        raise InvalidInputError(Problem("ib.error.too_long", value=str(TEXT_MAX)))
    try:
        kind_value = mon.AlertKind(kind).value
    except ValueError:
        raise MonitoringError(Problem("ib.error.kind", value=str(kind))) from None
    current = triages(session, actor).get(alert_id) or mon.new_triage(alert_id)
    moment = at or utcnow()
    if current.events and moment < current.events[-1].at:  # clocks of two app servers: never backwards
        moment = current.events[-1].at
    by = actor.display_name or actor.username
    result = mon.transition(current, to, by=by, at=moment, note=note)
    step = result.events[-1]
    session.add(
        AlertTriage(school_id=pair.school_id, alert_id=alert_id, kind=kind_value, pair_id=pair.id,
                    state=step.state.value, note=step.note, by_id=actor.id, by_name=by, at=moment)
    )  # fmt: skip
    session.flush()
    audit.record(session, actor, pair.school_id, AuditAction.UPDATE, "alert", alert_id)
    return result


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
