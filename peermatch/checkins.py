"""The tutor's check-in after every session, pure: questions, scales, validation. No storage here
(that is ``peermatch.storage.checkin_store``, used by ``peermatch.services.checkins``) and no Streamlit.
The form and the session status are plain values in ``peermatch.checkin_form`` (re-exported here).

A check-in takes a tutor (9-12 years old) under a minute: did the session happen, how many minutes,
what did we do, how did it go (emoji 1-5), three short reflection questions with sentence starters,
"do you need help from the teacher?", and the private worry signal ("ik maak me zorgen over mijn
tutee") with a short text. The tutee answers two emoji questions on the same screen (fun; learned
something). The worry signal is for the group's teacher and the IB'er only: pupil-facing results
never contain it. Texts for every question and message are in ``i18n/checkins.*.toml``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from peermatch.checkin_form import CheckInForm, SessionStatus
from peermatch.errors import CheckInError, Problem
from peermatch.i18n import DEFAULT_LANG, translate

__all__ = [
    "MAX_ACTIVITY",
    "MAX_MINUTES",
    "MAX_REFLECTION",
    "MAX_WORRY",
    "MOOD_EMOJI",
    "REFLECTION_QUESTIONS",
    "TUTEE_QUESTIONS",
    "CheckInForm",
    "ReflectionQuestion",
    "SessionStatus",
    "mood_emoji",
    "new_submission_id",
    "status_label",
    "validate",
]

MAX_MINUTES = 120
MAX_ACTIVITY = 200  # "Boek: De Gorgels, blz. 12-15" / "tafels van 6 en 7"
MAX_REFLECTION = 300
MAX_WORRY = 500
MOOD_EMOJI = ("😞", "🙁", "😐", "🙂", "😄")  # value 1 .. 5


@dataclass(frozen=True)
class ReflectionQuestion:
    """A reflection question: ``key`` is the stored field; the question and its sentence starter are
    the i18n messages ``checkins.question.<key>`` and ``checkins.starter.<key>``."""

    key: str

    def question(self, lang: str = DEFAULT_LANG) -> str:
        return translate(f"checkins.question.{self.key}", lang)

    def starter(self, lang: str = DEFAULT_LANG) -> str:
        return translate(f"checkins.starter.{self.key}", lang)


REFLECTION_QUESTIONS = (ReflectionQuestion("went_well"), ReflectionQuestion("was_hard"), ReflectionQuestion("try_next"))
TUTEE_QUESTIONS = ("tutee_fun", "tutee_learned")  # questions: i18n checkins.question.tutee_fun / tutee_learned


def mood_emoji(value: int | None) -> str:
    """The emoji for a 1-5 answer ("" for none)."""
    return MOOD_EMOJI[value - 1] if value is not None and 1 <= value <= 5 else ""


def status_label(status: SessionStatus | str, lang: str = DEFAULT_LANG) -> str:
    return translate(f"checkins.status.{SessionStatus(status).value}", lang)


def new_submission_id() -> str:
    """A fresh id for one check-in form: make it when the form is shown, send it with every submit."""
    return str(uuid.uuid4())


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\r\n]+")
_TEXT_LIMITS = {
    "activity": MAX_ACTIVITY,
    "went_well": MAX_REFLECTION,
    "was_hard": MAX_REFLECTION,
    "try_next": MAX_REFLECTION,
    "worry_text": MAX_WORRY,
    "tutor_own_text": MAX_WORRY,
}
_SCALES = ("tutor_mood", "tutee_fun", "tutee_learned", "tutor_together")


def _clean_text(value: object) -> str:
    return _SPACES.sub(" ", _CONTROL.sub("", str(value or ""))).strip()


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate(
    form: CheckInForm, *, today: date, first_day: date | None = None, last_day: date | None = None
) -> CheckInForm:
    """The cleaned form, or :class:`CheckInError` listing every problem (in Dutch and English).

    Checks: a uuid as submission id; a known status; the date not after ``today`` and within
    ``first_day`` .. ``last_day`` (the pair's programme); minutes 0-120 and required when the session
    was held; emoji answers 1-5; text lengths. Cleans: texts trimmed (spaces and line breaks become
    one space); a worry text alone also sets ``worry`` (a child who wrote it meant it), a text of the tutor's
    own alone sets ``tutor_own``; when the session did not take place, minutes, the tutee's answers and
    "Hoe ging het samen?" are dropped.
    """
    problems: list[Problem] = []
    try:
        submission_id = str(uuid.UUID(str(form.submission_id)))
    except ValueError:
        problems.append(Problem("checkins.invalid.submission_id", value=str(form.submission_id)[:40]))
        submission_id = str(form.submission_id)
    try:
        status = SessionStatus(form.status)
    except ValueError:
        problems.append(Problem("checkins.invalid.status", value=str(form.status)[:40]))
        status = SessionStatus.HELD

    day = form.session_date
    if not isinstance(day, date):
        problems.append(Problem("checkins.invalid.date", value=str(day)[:40]))
    elif day > today:
        problems.append(Problem("checkins.invalid.date_future", value=day.isoformat()))
    elif first_day is not None and day < first_day:
        problems.append(Problem("checkins.invalid.date_before_start", value=day.isoformat(),
                                params={"first": first_day.isoformat()}))  # fmt: skip
    elif last_day is not None and day > last_day:
        problems.append(Problem("checkins.invalid.date_after_end", value=day.isoformat(),
                                params={"last": last_day.isoformat()}))  # fmt: skip

    minutes = form.minutes
    if status is SessionStatus.HELD:
        if minutes is None:
            problems.append(Problem("checkins.invalid.minutes_missing"))
        elif not _is_int(minutes) or not 0 <= minutes <= MAX_MINUTES:
            problems.append(Problem("checkins.invalid.minutes", value=str(minutes)[:20], params={"max": MAX_MINUTES}))
    else:
        minutes = None

    texts = {name: _clean_text(getattr(form, name)) for name in _TEXT_LIMITS}
    for name, limit in _TEXT_LIMITS.items():
        if len(texts[name]) > limit:
            problems.append(Problem(f"checkins.too_long.{name}", params={"max": limit, "length": len(texts[name])}))

    scales: dict[str, int | None] = {}
    for name in _SCALES:
        value = getattr(form, name)
        if value is not None and (not _is_int(value) or not 1 <= value <= 5):
            problems.append(Problem(f"checkins.invalid.{name}", value=str(value)[:20]))
        scales[name] = value
    if status is not SessionStatus.HELD:
        scales["tutee_fun"] = scales["tutee_learned"] = scales["tutor_together"] = None

    if problems:
        raise CheckInError(problems)
    return CheckInForm(
        submission_id=submission_id,
        pair_id=form.pair_id,
        session_date=day,
        status=status,
        minutes=minutes,
        activity=texts["activity"],
        tutor_mood=scales["tutor_mood"],
        went_well=texts["went_well"],
        was_hard=texts["was_hard"],
        try_next=texts["try_next"],
        needs_help=bool(form.needs_help),
        worry=bool(form.worry) or bool(texts["worry_text"]),
        worry_text=texts["worry_text"],
        tutee_fun=scales["tutee_fun"],
        tutee_learned=scales["tutee_learned"],
        tutor_together=scales["tutor_together"],
        tutor_own=bool(form.tutor_own) or bool(texts["tutor_own_text"]),
        tutor_own_text=texts["tutor_own_text"],
    )
