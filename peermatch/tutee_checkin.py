"""The tutee's own check-in, pure: the questions (pictures and words), and validation. No storage, no Streamlit.

A tutee (often 6-9 years old) answers on their own login, after the session: three taps on faces and, when they
want, "Ik wil de juf iets vertellen" (private: a signal for the teacher and the IB'er, never shown to the tutor).
Every question can be read aloud (:mod:`peermatch.read_aloud`). Texts are in ``i18n/tutee.*.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peermatch.checkin_form import TuteeAnswers
from peermatch.errors import CheckInError, Problem
from peermatch.i18n import DEFAULT_LANG, translate

__all__ = ["MAX_TELL", "TUTEE_ITEMS", "TuteeAnswers", "TuteeItem", "validate_tutee"]

MAX_TELL = 300


@dataclass(frozen=True)
class TuteeItem:
    """A face question: ``key`` is the answer's field; ``picture`` goes with the words (for young readers)."""

    key: str
    picture: str

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return translate(f"tutee.question.{self.key}", lang)


TUTEE_ITEMS = (TuteeItem("fun", "🤝"), TuteeItem("learned", "💡"), TuteeItem("together", "👫"))

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def validate_tutee(answers: TuteeAnswers) -> TuteeAnswers:
    """The cleaned answers, or :class:`CheckInError` with every problem: faces 1-5 (or none), the text at most
    ``MAX_TELL`` characters, and something given (a face or the message). A text alone also sets ``tell``."""
    problems: list[Problem] = []
    for item in TUTEE_ITEMS:
        value = getattr(answers, item.key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5):
            problems.append(Problem(f"tutee.invalid.{item.key}", value=str(value)[:20]))
    text = _SPACES.sub(" ", _CONTROL.sub("", str(answers.tell_text or ""))).strip()
    if len(text) > MAX_TELL:
        problems.append(Problem("tutee.invalid.too_long", params={"max": MAX_TELL, "length": len(text)}))
    tell = bool(answers.tell) or bool(text)
    if not problems and not tell and all(getattr(answers, item.key) is None for item in TUTEE_ITEMS):
        problems.append(Problem("tutee.invalid.nothing"))
    if problems:
        raise CheckInError(problems)
    return TuteeAnswers(answers.pair_id, answers.fun, answers.learned, answers.together, tell, text)
