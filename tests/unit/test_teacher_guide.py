"""The teacher's guide (issue 13, item 7): one A4 page per programme in both languages and both subjects, every
text of its sections present, and the session structure the research names (wait, hint, retell, check-in)."""

from __future__ import annotations

import re

import pytest

from peermatch.i18n import translate
from peermatch.model import Subject
from peermatch.teacher_guide import SECTIONS, teacher_guide_pdf


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("subject", list(Subject))
def test_the_guide_is_one_page_with_every_section(subject: Subject, lang: str) -> None:
    pdf = teacher_guide_pdf("Leesmaatjes 7 → 5", subject, "dinsdag 10:30-11:00", 20, lang)
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1  # one A4: it fits, nothing runs onto a second page
    for title, items in SECTIONS:
        for key in (title, *items):
            code = key.format(subject=subject.value)
            assert translate(code, lang) != code, code  # every text exists in this language


def test_the_session_follows_the_research_structure() -> None:
    reading = " ".join(translate(f"guide.lezen_{i}", "nl") for i in range(1, 6))
    assert "4-5 tellen" in reading  # Paired Reading / Pause-Prompt-Praise: wait before you correct
    assert "hint" in reading
    assert "Wat gebeurde er eerst?" in reading  # PALS retell
    assert "check-in" in reading
    maths = " ".join(translate(f"guide.rekenen_{i}", "nl") for i in range(1, 6))
    assert "Hoe wist je dat?" in maths
    sources = translate("guide.sources", "nl")
    for source in ("Topping", "PALS", "Pause, Prompt, Praise", "Peeters", "EEF"):
        assert source in sources
