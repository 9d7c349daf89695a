"""Check-ins, pure: questions with sentence starters, the emoji scale, validation messages in Dutch and English."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from peermatch.checkins import (
    MAX_MINUTES,
    MOOD_EMOJI,
    REFLECTION_QUESTIONS,
    TUTEE_QUESTIONS,
    CheckInForm,
    SessionStatus,
    mood_emoji,
    new_submission_id,
    status_label,
    validate,
)
from peermatch.errors import CheckInError
from peermatch.i18n import catalogue, translate

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2025, 11, 20)
FIRST, LAST = date(2025, 10, 6), date(2025, 12, 15)


def _form(**changes: object) -> CheckInForm:
    base = CheckInForm(
        submission_id=new_submission_id(),
        pair_id=1,
        session_date=date(2025, 11, 18),
        status=SessionStatus.HELD,
        minutes=20,
        activity="Boek: De Gorgels, blz. 12-15",
        tutor_mood=4,
        went_well="Ze las de moeilijke woorden zelf",
        tutee_fun=5,
        tutee_learned=4,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _codes(form: CheckInForm) -> list[str]:
    with pytest.raises(CheckInError) as raised:
        validate(form, today=TODAY, first_day=FIRST, last_day=LAST)
    return [p.code for p in raised.value.problems]


def test_the_reflection_questions_have_the_sentence_starters_from_the_training() -> None:
    assert [q.question("nl") for q in REFLECTION_QUESTIONS] == [
        "Wat ging goed?", "Wat was lastig?", "Wat wil je de volgende keer proberen?",
    ]  # fmt: skip
    assert [q.starter("nl") for q in REFLECTION_QUESTIONS] == [
        "Het ging goed toen …", "Het was lastig toen …", "De volgende keer ga ik …",
    ]  # fmt: skip
    assert REFLECTION_QUESTIONS[0].question("en") == "What went well?"
    assert [translate(f"checkins.question.{k}", "nl") for k in TUTEE_QUESTIONS] == [
        "Vond je het leuk vandaag?", "Heb je iets geleerd?",
    ]  # fmt: skip


def test_the_emoji_scale_runs_from_sad_to_happy() -> None:
    assert MOOD_EMOJI == ("😞", "🙁", "😐", "🙂", "😄")
    assert [mood_emoji(v) for v in (1, 3, 5, None, 9)] == ["😞", "😐", "😄", "", ""]
    assert status_label("tutee_absent", "nl") == "Mijn maatje was er niet"


def test_a_good_form_is_cleaned_not_refused() -> None:
    clean = validate(_form(went_well="  Ze las\n de  moeilijke woorden\tzelf  "), today=TODAY, first_day=FIRST,
                     last_day=LAST)  # fmt: skip
    assert clean.went_well == "Ze las de moeilijke woorden zelf"
    assert clean.status is SessionStatus.HELD
    assert validate(_form(minutes=0), today=TODAY).minutes == 0
    assert validate(_form(minutes=MAX_MINUTES), today=TODAY).minutes == MAX_MINUTES


def test_a_worry_text_alone_sets_the_worry_signal() -> None:
    clean = validate(_form(worry=False, worry_text="Hij zegt dat hij thuis geen eten krijgt"), today=TODAY)
    assert clean.worry is True


def test_when_the_session_did_not_happen_minutes_and_tutee_answers_are_dropped() -> None:
    clean = validate(_form(status="tutee_absent", minutes=None), today=TODAY)
    assert (clean.status, clean.minutes, clean.tutee_fun, clean.tutee_learned) == (
        SessionStatus.TUTEE_ABSENT, None, None, None,
    )  # fmt: skip
    assert clean.tutor_mood == 4


def test_every_problem_is_reported_at_once() -> None:
    codes = _codes(_form(submission_id="x", status="maybe", minutes=121, tutor_mood=6, tutee_fun=0,
                         activity="a" * 201, worry_text="b" * 501, session_date=date(2025, 11, 21)))  # fmt: skip
    assert codes == [
        "checkins.invalid.submission_id", "checkins.invalid.status", "checkins.invalid.date_future",
        "checkins.invalid.minutes", "checkins.too_long.activity", "checkins.too_long.worry_text",
        "checkins.invalid.tutor_mood", "checkins.invalid.tutee_fun",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"minutes": None}, "checkins.invalid.minutes_missing"),
        ({"minutes": -1}, "checkins.invalid.minutes"),
        ({"minutes": True}, "checkins.invalid.minutes"),
        ({"session_date": date(2025, 10, 3)}, "checkins.invalid.date_before_start"),
        ({"went_well": "x" * 301}, "checkins.too_long.went_well"),
        ({"tutee_learned": 2.5}, "checkins.invalid.tutee_learned"),
    ],
)
def test_single_problems(changes: dict[str, object], code: str) -> None:
    assert _codes(_form(**changes)) == [code]


def test_a_date_after_the_programme_is_refused_with_a_dutch_and_english_message() -> None:
    form = _form(session_date=date(2025, 12, 16))
    with pytest.raises(CheckInError) as raised:
        validate(form, today=date(2026, 1, 10), first_day=FIRST, last_day=LAST)
    assert raised.value.message("nl") == (
        "2025-12-16 is na het einde van jullie maatjes-tijd (2025-12-15). Kies een eerdere dag."
    )
    assert "after your buddy programme ended" in raised.value.message("en")


def test_every_pupil_and_checkins_code_used_in_the_core_has_a_message_in_both_languages() -> None:
    used: set[str] = set()
    for path in (ROOT / "peermatch").rglob("*.py"):
        used |= set(re.findall(r"""["']((?:checkins|pupil)\.[a-z0-9_.]+)["']""", path.read_text("utf-8")))
    used |= {f"checkins.too_long.{f}" for f in ("activity", "went_well", "was_hard", "try_next", "worry_text")}
    used |= {f"checkins.invalid.{f}" for f in ("tutor_mood", "tutee_fun", "tutee_learned")}
    used = {code for code in used if not code.endswith(".") and not code.endswith(".py")}
    nl, en = catalogue("nl"), catalogue("en")
    assert sorted(c for c in used if c not in nl) == []
    assert sorted(c for c in used if c not in en) == []
