"""Every message code the monitoring and reports code uses exists in both languages, with all its
dynamic variants (health statuses, rules, alert kinds, triage states). The letter's own texts are checked in
test_letter_languages.py."""

from __future__ import annotations

import re
from pathlib import Path

from peermatch.i18n import catalogue
from peermatch.monitoring import HEALTH_RULES, AlertKind, Health, TriageState
from peermatch.reports.letter_texts import letter_catalogue

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*(ROOT / "peermatch" / "monitoring").rglob("*.py"), *(ROOT / "peermatch" / "reports").rglob("*.py"),
           ROOT / "peermatch" / "pseudonym.py"]  # fmt: skip


def test_every_literal_code_in_the_code_has_a_message_in_both_languages() -> None:
    used: set[str] = set()
    for path in SOURCES:
        used |= set(re.findall(r"""["']((?:monitoring|reports)\.[a-z0-9_.]+)["']""", path.read_text("utf-8")))
    assert used
    for lang in ("nl", "en"):
        assert {code for code in used if not code.endswith(".")} - set(catalogue(lang)) == set()


def test_every_dynamic_code_has_a_message_in_both_languages() -> None:
    codes = [f"monitoring.health.{h.value}" for h in Health]
    codes += [f"monitoring.rule.{r}" for r in HEALTH_RULES]
    codes += [f"monitoring.alert.{k.value}" for k in AlertKind]
    codes += [f"reports.alert_kind.{k.value}" for k in AlertKind]
    codes += [f"monitoring.triage.state.{s.value}" for s in TriageState]
    codes += [f"monitoring.score.{s}" for s in ("tutor_mood", "tutee_fun", "tutee_learned")]
    for lang in ("nl", "en"):
        assert [c for c in codes if c not in catalogue(lang)] == []


def test_dutch_texts_never_use_stigmatising_words() -> None:
    texts = " ".join(letter_catalogue("nl").values()).lower()
    assert not [w for w in ("zwak", "achterstand", "slecht", "probleem") if w in texts]
