"""Monitoring use cases: the pair histories the acting staff member may see (built from the stored rows of
``storage.monitoring_store``), the alert triage and the evaluation talks.

Who may see what is checked by the repository on every read and write (ib and beheerder the whole school, a
leerkracht the pairs of their own groups; worries only for their readers). The school's thresholds come from
``storage.settings``. Reading the histories is audited as a view.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from types import MappingProxyType

from sqlalchemy.orm import Session

from peermatch import monitoring as mon
from peermatch.auth import AuthenticatedUser
from peermatch.calendar import SchoolCalendar
from peermatch.calendar.plan import programme_plan
from peermatch.errors import InvalidInputError, MonitoringError, PermissionDeniedError, Problem
from peermatch.services.calendar import read_programme_calendars
from peermatch.services.database import Database
from peermatch.storage import monitoring_store as store
from peermatch.storage import practice_store
from peermatch.storage.checkin_store import StaffCheckIn
from peermatch.storage.models import utcnow
from peermatch.storage.programmes import list_programmes
from peermatch.storage.settings import stored_thresholds
from peermatch.training import ModuleSet, load_modules
from peermatch.training.progress import TutorProgress, is_ready
from peermatch.training.quiz import Attempt

__all__ = [
    "TEXT_MAX",
    "Evaluation",
    "Monitored",
    "add_evaluation",
    "cache_stats",
    "cached_overview",
    "cached_with_triages",
    "checkin_triages",
    "clear_cache",
    "evaluations",
    "load_monitored",
    "load_with_triages",
    "pair_histories",
    "programme_names",
    "read_monitored",
    "read_triages",
    "school_thresholds",
    "set_triage",
    "triages",
]

TEXT_MAX = store.TEXT_MAX
Evaluation = store.Evaluation


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
    by_pair: Mapping[str, mon.PairHistory] = field(init=False, repr=False, compare=False)  # pair id -> history

    def __post_init__(self) -> None:  # one index, so a picker's label per pair is no scan of every pair
        object.__setattr__(self, "by_pair", {h.pair_id: h for h in self.histories})

    @property
    def active(self) -> tuple[mon.PairHistory, ...]:
        """The running pairs: the only ones that get alerts and count in health, dosage and group counts."""
        return tuple(mon.active_only(self.histories))

    def pair_label(self, pair_id: str) -> str:
        h = self.by_pair.get(pair_id)
        if h is None:
            return pair_id
        return f"{self.names.get(h.tutor_id, h.tutor_id)} → {self.names.get(h.tutee_id, h.tutee_id)}"


@cache
def _modules() -> ModuleSet:
    """The training modules, loaded once per process (readiness does not depend on the language)."""
    return load_modules("nl")


def school_thresholds(session: Session, actor: AuthenticatedUser) -> mon.Thresholds:
    """The thresholds the actor's school judges with, read inside the caller's transaction."""
    return mon.thresholds_from_stored(stored_thresholds(session, actor).values)


def _plan(programme: store.MonitoredProgramme, start: date, calendar: SchoolCalendar) -> mon.Plan:
    """The programme's plan for a pair starting on ``start``: one session per weekly moment, without the school's
    holidays and the programme's cancelled days (the one plan: :func:`peermatch.calendar.plan.programme_plan`)."""
    return programme_plan(start, programme.weeks, programme.weekdays, calendar,
                          sessions_per_week=programme.sessions_per_week)  # fmt: skip


def _checkins(columns: store.CheckInColumns) -> dict[int, mon.CheckInSeries]:
    """Each pair's check-ins as columns (the stored columns are sorted by pair and day): no object per check-in."""
    out: dict[int, mon.CheckInSeries] = {}
    statuses: dict[str, mon.SessionStatus] = {s.value: s for s in mon.SessionStatus}
    try:
        status = tuple([statuses[x] for x in columns.status])
    except KeyError:
        status = tuple(mon.SessionStatus(x) for x in columns.status)  # raises for the unknown one
    day, minutes = tuple(columns.day), tuple(m or 0 for m in columns.minutes)
    mood, fun, learned = tuple(columns.tutor_mood), tuple(columns.tutee_fun), tuple(columns.tutee_learned)
    worry, helps, note = tuple(columns.worry), tuple(columns.needs_help), tuple(columns.note)
    together = tuple(columns.together)
    pair_ids, start, n = columns.pair_id, 0, len(columns.pair_id)
    for i in range(1, n + 1):
        if i == n or pair_ids[i] != pair_ids[start]:
            out[pair_ids[start]] = mon.CheckInSeries(day[start:i], status[start:i], minutes[start:i], mood[start:i],
                                                     fun[start:i], learned[start:i], worry[start:i], helps[start:i],
                                                     note[start:i], together[start:i])  # fmt: skip
            start = i
    return out


def _levels(
    session: Session, actor: AuthenticatedUser, pupil_ids: Iterable[int], subject: str
) -> dict[int, tuple[mon.LevelMeasurement, ...]]:
    """Each pupil's measurements on the shared index (the middle of the stored range), oldest first."""
    out: dict[int, list[mon.LevelMeasurement]] = defaultdict(list)
    for row in store.levels_of(session, actor, pupil_ids, subject):
        out[row.pupil_id].append(mon.LevelMeasurement(row.day, (row.index_low + row.index_high) / 2))
    return {k: tuple(v) for k, v in out.items()}


def _ready(session: Session, actor: AuthenticatedUser, tutor_ids: set[int], subject: str) -> dict[int, bool]:
    """Has each tutor passed every core training module for ``subject``? (Judged once per distinct list of
    attempts: most tutors share one, e.g. none yet or every module passed at the first try.)"""
    if not tutor_ids:
        return {}
    by_tutor: dict[int, list[Attempt]] = defaultdict(list)
    for a in store.training_attempts(session, actor, tutor_ids):
        by_tutor[a.pupil_id].append(
            Attempt(module_id=a.module_id, number=a.number, taken_on=a.taken_on, correct=a.correct, total=a.total,
                    passed=a.passed, tutor_id="", module_version=a.module_version)
        )  # fmt: skip
    modules = _modules()
    signed = practice_store.signed_modules(session, *tutor_ids)  # the ids are the actor's already
    judged: dict[tuple[tuple[Attempt, ...], tuple[str, ...]], bool] = {}  # tutors with the same record: judged once
    out: dict[int, bool] = {}
    for t in tutor_ids:
        attempts = tuple(by_tutor.get(t, ()))
        practised = tuple(sorted(signed.get(t, ())))
        ready = judged.get((attempts, practised))
        if ready is None:
            progress = TutorProgress.from_attempts(attempts)
            ready = judged[(attempts, practised)] = bool(is_ready(progress, subject, modules, practised).ready)
        out[t] = ready
    return out


def _non_participants(
    session: Session,
    actor: AuthenticatedUser,
    programmes: Sequence[store.MonitoredProgramme],
    paired: set[int],
    groups: Mapping[int, str],
) -> tuple[mon.PupilLevels, ...]:
    """Active pupils of the programmes' groups (that the actor may see) who are in no pair: the comparison group."""
    out: list[mon.PupilLevels] = []
    for subject in {p.subject for p in programmes}:
        group_ids = {g for p in programmes if p.subject == subject for g in p.group_ids}
        others = [(pid, gid) for pid, gid in store.active_pupils(session, actor, group_ids) if pid not in paired]
        if not others:
            continue
        levels = _levels(session, actor, [pid for pid, _ in others], subject)
        out.extend(mon.PupilLevels(str(pid), groups.get(gid, ""), levels.get(pid, ())) for pid, gid in others)
    return tuple(out)


@contextmanager
def bulk_objects() -> Iterator[None]:
    """Build 100,000s of small objects without the cyclic garbage collector's passes in between (they only
    scan the new, acyclic values again and again: half the time of a big load). Collection resumes after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_monitored(
    session: Session, actor: AuthenticatedUser, programme_id: int | None = None, *, with_training: bool = True
) -> Monitored:
    """What :func:`load_monitored` returns, inside the caller's transaction (for the services that need more)."""
    with bulk_objects():
        return _read_monitored(session, actor, programme_id, with_training=with_training)


def _read_monitored(
    session: Session, actor: AuthenticatedUser, programme_id: int | None, *, with_training: bool
) -> Monitored:
    programmes = store.monitored_programmes(session, actor, programme_id)
    pairs = store.monitored_pairs(session, actor, [p.id for p in programmes])
    checkins = _checkins(store.checkin_columns(session, actor, pairs))
    groups = store.group_names(session, actor)
    by_programme = {p.id: p for p in programmes}
    calendars = read_programme_calendars(session, actor, by_programme)
    levels: dict[str, dict[int, tuple[mon.LevelMeasurement, ...]]] = {}
    ready: dict[str, dict[int, bool]] = {}
    for subject in {p.subject for p in programmes}:
        of_subject = [r for r in pairs if by_programme[r.programme_id].subject == subject]
        levels[subject] = _levels(session, actor, [i for r in of_subject for i in (r.tutor.id, r.tutee.id)], subject)
        tutors = {r.tutor.id for r in of_subject}
        ready[subject] = _ready(session, actor, tutors, subject) if with_training else dict.fromkeys(tutors, True)
    histories: list[mon.PairHistory] = []
    names: dict[str, str] = {}
    first: dict[str, str] = {}
    programme_of: dict[str, int] = {}
    plans: dict[tuple[int, date], mon.Plan] = {}  # pairs of a programme mostly share their start: one plan each
    for pair in pairs:
        programme = by_programme[pair.programme_id]
        start = pair.start_date or programme.start_date
        if start is None:
            continue
        subject = programme.subject
        for p in (pair.tutor, pair.tutee):
            names[str(p.id)] = p.full_name
            first[str(p.id)] = p.first_name
        programme_of[str(pair.id)] = programme.id
        plan = plans.get((programme.id, start))
        if plan is None:
            plan = plans[programme.id, start] = _plan(programme, start, calendars[programme.id])
        histories.append(
            mon.PairHistory(
                pair_id=str(pair.id),
                tutor_id=str(pair.tutor.id),
                tutee_id=str(pair.tutee.id),
                plan=plan,
                checkins=checkins.get(pair.id) or mon.CheckInSeries(),
                training_ready=ready[subject].get(pair.tutor.id, True),
                tutor_levels=levels[subject].get(pair.tutor.id, ()),
                tutee_levels=levels[subject].get(pair.tutee.id, ()),
                tutor_group=groups.get(pair.tutor.group_id or -1, ""),
                tutee_group=groups.get(pair.tutee.group_id or -1, ""),
                subject=subject,
                ended_on=pair.ended_on,
                end_reason=pair.end_reason,
            )
        )
    store.record_view(session, actor, programme_id)
    paired = {i for r in pairs for i in (r.tutor.id, r.tutee.id)}
    return Monitored(  # read-only mappings: one value may serve many page views (the cache below)
        tuple(histories),
        _non_participants(session, actor, programmes, paired, groups),
        MappingProxyType(names),
        MappingProxyType(first),
        MappingProxyType(programme_of),
        MappingProxyType({p.id: p.name for p in programmes}),
        school_thresholds(session, actor),
    )


def read_triages(session: Session, actor: AuthenticatedUser) -> dict[str, mon.Triage]:
    """What :func:`triages` returns, inside the caller's transaction."""
    events: dict[str, list[mon.TriageEvent]] = defaultdict(list)
    whose: dict[str, tuple[mon.AlertKind | None, str]] = {}
    kinds = {k.value: k for k in mon.AlertKind}
    for step in store.triage_steps(session, actor):
        events[step.alert_id].append(mon.TriageEvent(mon.TriageState(step.state), step.by, step.at, step.note))
        whose[step.alert_id] = (kinds.get(step.kind), "" if step.pair_id is None else str(step.pair_id))
    return {k: mon.Triage(k, tuple(v), *whose[k]) for k, v in events.items()}


def load_monitored(
    db: Database, actor: AuthenticatedUser, programme_id: int | None = None, *, with_training: bool = True
) -> Monitored:
    """The pairs of the published runs (active and ended) the actor may see, as monitoring histories.
    ``programme_id`` narrows to one programme (of the actor's school). Audited as a view."""
    with db.write() as session:
        return read_monitored(session, actor, programme_id, with_training=with_training)


def pair_histories(db: Database, actor: AuthenticatedUser, programme_id: int | None = None) -> list[mon.PairHistory]:
    """The monitoring histories of the pairs the actor may see (see :func:`load_monitored`)."""
    return list(load_monitored(db, actor, programme_id).histories)


def triages(db: Database, actor: AuthenticatedUser) -> dict[str, mon.Triage]:
    """Every stored triage of the actor's school (a leerkracht: of their pairs), by alert id."""
    with db.read() as session:
        return read_triages(session, actor)


def load_with_triages(
    db: Database, actor: AuthenticatedUser, programme_id: int | None = None
) -> tuple[Monitored, dict[str, mon.Triage]]:
    """:func:`load_monitored` and :func:`triages` in one transaction: what every monitoring page starts with.
    Loaded again only when the school's monitoring data changed since (:func:`cached_with_triages`)."""
    with db.write() as session:
        return cached_with_triages(session, actor, programme_id)


# --- One load per change, not per click (issue 14, part 2) ---------------------------------------------------

CACHE_SLOTS = 16  # (school, scope, programme) combinations kept per process; the least recently used goes first
_OVERVIEW_DAYS = 2  # overviews kept per slot (today's, and yesterday's around midnight)


@dataclass
class _Slot:
    version: tuple[int, int]
    data: Monitored
    triages: Mapping[str, mon.Triage]
    overviews: dict[date, mon.Overview] = field(default_factory=dict)


class _Cache:
    """The monitoring data per (school, what the actor may see, programme), at the database's change counter of
    the school (``storage.monitoring_store.data_version``). Nothing here is needed by another process: a stale
    slot is never used, because every use reads the counter first (one query) and a change anywhere (any app
    process, the command line, a migration) moves it. Bounded: :data:`CACHE_SLOTS` slots."""

    def __init__(self, slots: int) -> None:
        self._slots: OrderedDict[tuple[object, ...], _Slot] = OrderedDict()
        self._size = slots
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple[object, ...], version: tuple[int, int]) -> _Slot | None:
        with self._lock:
            slot = self._slots.get(key)
            if slot is None or slot.version != version:
                self.misses += 1
                return None
            self._slots.move_to_end(key)
            self.hits += 1
            return slot

    def put(self, key: tuple[object, ...], slot: _Slot) -> None:
        with self._lock:
            self._slots[key] = slot
            self._slots.move_to_end(key)
            while len(self._slots) > self._size:
                self._slots.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._slots.clear()
            self.hits = self.misses = 0


_CACHE = _Cache(CACHE_SLOTS)


def clear_cache() -> None:
    """Forget every loaded monitoring data set of this process (benchmarks measure a cold load with it)."""
    _CACHE.clear()


def cache_stats() -> tuple[int, int]:
    """(hits, misses) of this process's monitoring cache since it was last cleared."""
    return _CACHE.hits, _CACHE.misses


def _scope(actor: AuthenticatedUser) -> tuple[object, ...]:
    """What decides which rows the actor reads: the school, the role (worries), and the groups unless school-wide."""
    groups = () if actor.school_wide else tuple(sorted(actor.group_ids))
    return (actor.school_id, actor.role, actor.school_wide, groups)


def _slot(session: Session, actor: AuthenticatedUser, programme_id: int | None) -> _Slot:
    """The data and triage at the school's current change counter: from this process's cache when nothing changed
    since it was loaded, else loaded now. Either way the view is audited (once per call: per page view)."""
    key = (*_scope(actor), programme_id)
    version = store.data_version(session, actor)
    slot = _CACHE.get(key, version)
    if slot is not None:
        store.monitored_programmes(session, actor, programme_id)  # not found / denied, as a load would say
        store.record_view(session, actor, programme_id)
        return slot
    data = read_monitored(session, actor, programme_id)
    slot = _Slot(version, data, MappingProxyType(read_triages(session, actor)))
    _CACHE.put(key, slot)
    return slot


def cached_with_triages(
    session: Session, actor: AuthenticatedUser, programme_id: int | None = None
) -> tuple[Monitored, dict[str, mon.Triage]]:
    """What :func:`read_monitored` and :func:`read_triages` return, inside the caller's transaction; loaded
    again only when the school's monitoring data changed (in any process) since this process last loaded it for
    the same scope and programme. Audited as a view every time."""
    slot = _slot(session, actor, programme_id)
    return slot.data, dict(slot.triages)


def cached_overview(
    session: Session, actor: AuthenticatedUser, as_of: date, programme_id: int | None = None
) -> tuple[Monitored, mon.Overview]:
    """The data and its :func:`peermatch.monitoring.school_overview` on ``as_of`` (school thresholds, stored
    triage), computed once per change of the data and day. Audited as a view every time."""
    slot = _slot(session, actor, programme_id)
    overview = slot.overviews.get(as_of)
    if overview is None:
        overview = mon.school_overview(slot.data.histories, as_of, triages=slot.triages,
                                       thresholds=slot.data.thresholds)  # fmt: skip
        while len(slot.overviews) >= _OVERVIEW_DAYS:
            slot.overviews.pop(next(iter(slot.overviews)))
        slot.overviews[as_of] = overview
    return slot.data, overview


def set_triage(
    db: Database,
    actor: AuthenticatedUser,
    alert_id: str,
    to: mon.TriageState | str,
    note: str = "",
    *,
    kind: mon.AlertKind | str,
    pair_id: int | str,
    anchor: date,
    at: datetime | None = None,
) -> mon.Triage:
    """Move an alert's triage one step (rules in :func:`peermatch.monitoring.transition`; an illegal move
    raises :class:`MonitoringError` and stores nothing). Returns the new triage. Audited.

    The id must be the one the server derives from ``kind``, ``pair_id`` and ``anchor``
    (:func:`peermatch.monitoring.alert_id`): an alert of another pair, sent along with a pair the caller
    may see, is refused (``PermissionDeniedError``), so nobody closes a signal of a pair they cannot see."""
    with db.write() as session:
        store.require_pair(session, actor, pair_id)
        if len(note) > TEXT_MAX:
            raise InvalidInputError(Problem("ib.error.too_long", value=str(TEXT_MAX)))
        try:
            kind_value = mon.AlertKind(kind).value
        except ValueError:
            raise MonitoringError(Problem("ib.error.kind", value=str(kind))) from None
        if alert_id != mon.alert_id(kind_value, str(pair_id), anchor):
            raise PermissionDeniedError(Problem("ib.error.alert_not_of_pair", value=alert_id))
        current = read_triages(session, actor).get(alert_id) or mon.new_triage(alert_id)
        moment = at or utcnow()
        if current.events and moment < current.events[-1].at:  # clocks of two app servers: never backwards
            moment = current.events[-1].at
        by = actor.display_name or actor.username
        result = mon.transition(current, to, by=by, at=moment, note=note)
        step = result.events[-1]
        store.add_triage_step(session, actor, alert_id=alert_id, kind=kind_value, pair_id=pair_id,
                              state=step.state.value, note=step.note, by=by, at=moment)  # fmt: skip
        return result


def add_evaluation(
    db: Database,
    actor: AuthenticatedUser,
    pair_id: int | str,
    *,
    held_on: date,
    went_well: str,
    could_be_better: str,
    what_can_i_do: str,
) -> Evaluation:
    """Store an evaluation talk for a pair the actor may see. At least one answer; each at most 1000 characters."""
    with db.write() as session:
        return store.add_evaluation(session, actor, pair_id, held_on=held_on, went_well=went_well,
                                    could_be_better=could_be_better, what_can_i_do=what_can_i_do)  # fmt: skip


def evaluations(db: Database, actor: AuthenticatedUser, pair_id: int | str) -> list[Evaluation]:
    """The pair's evaluation talks, oldest first."""
    with db.read() as session:
        return store.evaluations(session, actor, pair_id)


def programme_names(db: Database, actor: AuthenticatedUser) -> dict[int, str]:
    """The programmes of the actor's school that the monitoring pages offer: id -> name, in the list's order."""
    with db.read() as session:
        return {p.id: p.spec.name for p in list_programmes(session, actor, actor.school_id)}


def checkin_triages(db: Database, actor: AuthenticatedUser, checkins: Iterable[StaffCheckIn]) -> dict[int, mon.Triage]:
    """The triage of the worry or help request of each of these check-ins that has one, by check-in id: the
    state the IB'er set in Signalen (``nieuw`` when nobody picked it up yet), the same one every page shows."""
    with db.read() as session:
        stored = read_triages(session, actor)
    out: dict[int, mon.Triage] = {}
    for c in checkins:
        key = mon.checkin_alert_id(str(c.pair_id), c.session_date, worry=c.worry, help_needed=c.needs_help)
        if key is not None:
            out[c.id] = mon.triage_of(stored, key)
    return out
