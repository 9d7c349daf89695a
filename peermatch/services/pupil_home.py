"""What a logged-in pupil (a tutor) sees of their own: their pairs, the tutee cards, and their training.

Never scores, birth dates, last names or other pupils: the tutee's first name, groep, practice level
and weekly moments (:class:`TuteeCard`), and the tutor's own progress and readiness.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from peermatch.calendar.plan import programme_plan
from peermatch.model import Subject
from peermatch.pair_stage import PairStage, pair_stage
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services.calendar import build_school_calendar
from peermatch.services.database import Database
from peermatch.storage import practice_store, pupil_pairs, pupil_stage
from peermatch.storage.programmes import Moment
from peermatch.storage.pupil_logins import require_active_pupil
from peermatch.storage.pupil_pairs import OwnPair, TuteeCard
from peermatch.storage.training_store import attempts_of
from peermatch.training.modules import ModuleSet
from peermatch.training.progress import Readiness, TutorProgress, is_ready

__all__ = [
    "Moment",
    "OwnPair",
    "TuteeCard",
    "TutorHome",
    "load_own_pair",
    "own_pairs",
    "pair_stages",
    "stages_of",
    "tutor_view",
]


@dataclass(frozen=True)
class TutorHome:
    """The tutor's home page: own first name and groep, the tutee(s), and the training progress.

    ``readiness`` has one entry per subject of the tutor's pairs (empty without ``modules``)."""

    first_name: str
    group_name: str
    tutees: tuple[TuteeCard, ...]
    progress: TutorProgress
    readiness: tuple[Readiness, ...]


def own_pairs(db: Database, pupil: AuthenticatedPupil) -> list[OwnPair]:
    """The pupil's active pairs as tutor (in published runs)."""
    with db.read() as session:
        return pupil_pairs.own_pairs(session, pupil)


def load_own_pair(db: Database, pupil: AuthenticatedPupil, pair_id: int) -> OwnPair:
    """One of the pupil's own active pairs; PermissionDeniedError for any other pair (also another school's),
    so a pupil cannot even learn whether a pair id exists."""
    with db.read() as session:
        return pupil_pairs.load_own_pair(session, pupil, pair_id)


def tutor_view(
    db: Database,
    pupil: AuthenticatedPupil,
    *,
    modules: ModuleSet | None = None,
    subjects: Sequence[Subject] | None = None,
) -> TutorHome:
    """The logged-in tutor's home: each tutee's first name, groep, practice level and weekly moments, and
    the tutor's own training progress.

    With ``modules``, ``readiness`` is given for the subjects of the tutor's pairs, or for ``subjects``
    when given (e.g. a tutor who trains before being paired)."""
    with db.read() as session:
        me = require_active_pupil(session, pupil)
        cards = pupil_pairs.tutee_cards(session, pupil)
        attempts = attempts_of(session, me.id)
        practised = practice_store.signed_modules(session, me.id).get(me.id, frozenset())
        first_name = me.first_name
    progress = TutorProgress.from_attempts(attempts)
    wanted = sorted(set(subjects)) if subjects is not None else sorted({card.subject for card in cards})
    readiness = tuple(is_ready(progress, s, modules, practised) for s in wanted) if modules is not None else ()
    return TutorHome(first_name, pupil.group_name, tuple(cards), progress, readiness)


def pair_stages(db: Database, pupil: AuthenticatedPupil, today: date) -> dict[int, PairStage]:
    """Where each of the pupil's own active pairs stands on ``today`` (pair id -> stage): the first session is
    the kennismaking, the last two prepare the farewell. Counted on the programme's plan (the school's holidays
    and the programme's cancelled days left out) against the days checked in as held. Pairs without a start
    date have no stage."""
    with db.read() as session:
        plans, days = pupil_stage.pupil_pair_plans(session, pupil)
    return stages_of(plans, days, today)


def stages_of(
    plans: Sequence[pupil_stage.PupilPairPlan], days: pupil_stage.SchoolDays, today: date
) -> dict[int, PairStage]:
    """Each plan's stage on ``today`` (pair id -> stage), on the school's calendar; pairs without a start have
    none."""
    school = build_school_calendar(days.region, days.changes)
    out: dict[int, PairStage] = {}
    for p in plans:
        if p.start is None:
            continue
        calendar = school.with_cancelled(days.cancelled.get(p.programme_id, frozenset()))
        plan = programme_plan(p.start, p.weeks, p.weekdays, calendar, sessions_per_week=p.sessions_per_week)
        out[p.pair_id] = pair_stage(plan.planned_dates(), p.held_days, today)
    return out
