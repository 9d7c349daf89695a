"""Tutor training: modules as data, quizzes, progress, readiness and the Tutorbewijs.

The module texts live in ``peermatch/training_modules/<lang>/*.md`` (YAML front matter + Markdown; the format
is in ``peermatch/training_modules/README.md``). This package reads and checks them, grades quizzes, tracks
each tutor's best tries, says whether a tutor is ready for a subject, shows the teacher which
question trips tutors up, and prints the certificate. It never imports Streamlit and never renders
Markdown: pages show ``Module.body`` themselves.

==================  ==========================================================================
``loader``          ``load_modules(lang, root)`` -> ``ModuleSet`` (bad files skipped + reported)
``modules``         ``Module``, ``Question``, ``Choice``, ``ModuleSet``; reading time
``quiz``            ``draw`` a paper, ``grade(module, answers, paper=)``, ``review``; the stored ``Attempt``
``progress``        ``TutorProgress.from_attempts``, ``is_ready(progress, subject, modules, practised)``
``analysis``        ``item_analysis(attempts)``: the most missed questions and who is stuck
``certificate``     ``certificate_pdf(first_name, subject, date, modules_passed, lang)``
==================  ==========================================================================
"""

from peermatch.training.analysis import ItemStats, item_analysis
from peermatch.training.certificate import certificate_pdf, format_date
from peermatch.training.loader import default_root, load_modules, parse_module
from peermatch.training.modules import (
    BOTH,
    READING_WORDS_PER_MINUTE,
    Choice,
    Module,
    ModuleSet,
    ModuleSubject,
    Question,
    parse_subject,
    reading_minutes,
)
from peermatch.training.progress import ModuleProgress, Readiness, TutorProgress, is_ready, progress_by_tutor
from peermatch.training.quiz import (
    DEFAULT_PASS_MARK,
    QUESTIONS_PER_ATTEMPT,
    AnswerRecord,
    Asked,
    Attempt,
    Paper,
    QuestionResult,
    QuizResult,
    ReviewItem,
    draw,
    grade,
    next_attempt_number,
    review,
)

__all__ = [
    "BOTH",
    "DEFAULT_PASS_MARK",
    "QUESTIONS_PER_ATTEMPT",
    "READING_WORDS_PER_MINUTE",
    "AnswerRecord",
    "Asked",
    "Attempt",
    "Choice",
    "ItemStats",
    "Module",
    "ModuleProgress",
    "ModuleSet",
    "ModuleSubject",
    "Paper",
    "Question",
    "QuestionResult",
    "QuizResult",
    "Readiness",
    "ReviewItem",
    "TutorProgress",
    "certificate_pdf",
    "default_root",
    "draw",
    "format_date",
    "grade",
    "is_ready",
    "item_analysis",
    "load_modules",
    "next_attempt_number",
    "parse_module",
    "parse_subject",
    "progress_by_tutor",
    "reading_minutes",
    "review",
]
