"""The programme report and the parent letters: real PDFs with the expected text, in Dutch and English,
friendly and without stigma."""

from __future__ import annotations

import re
from datetime import date

import pytest
from monitoring_fixtures import DATES, held, missed, morning_after, pair
from test_training_certificate import pdf_text

from peermatch.monitoring import LevelMeasurement, PupilLevels
from peermatch.monitoring.synthetic import synthetic_programme
from peermatch.reports import (
    ParentLetter,
    ReportError,
    letter_text,
    parent_letter_pdf,
    parent_letters_pdf,
    programme_report_pdf,
)

LETTER = ParentLetter(
    first_name="Zoë",
    role="tutee",
    subject="lezen",
    school="OBS De Regenboog",
    start=date(2026, 10, 5),
    weekdays=(1, 3),
    minutes=20,
    weeks=12,
    contact="juf Anna, intern begeleider",
    contact_detail="010-1234567",
    signed_by="Anna de Vries",
)
STIGMA = ("zwak", "achterstand", "achter ", "slecht", "probleem", "moeite", "weak", "behind", "struggl", "poor")


def flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_the_programme_report_shows_headlines_health_dosage_and_growth() -> None:
    levels = (LevelMeasurement(date(2026, 6, 1), 3), LevelMeasurement(date(2027, 2, 1), 5))
    a = pair([held(d) for d in DATES[:4]], "a", tutee_levels=levels)
    b = pair([held(DATES[0]), held(DATES[1]), missed(DATES[2]), held(DATES[3], worry=True)], "b", tutee_levels=levels)
    others = [PupilLevels("x", "4b", (LevelMeasurement(date(2026, 6, 1), 3), LevelMeasurement(date(2027, 2, 1), 4)))]
    day = morning_after(DATES[3])
    pdf = programme_report_pdf([a, b], day, non_participants=others, school="OBS De Regenboog", compress=False)
    assert pdf.startswith(b"%PDF-")
    text = flat(pdf)
    assert "Tutorleren: programmaverslag" in text
    assert "Stand op 18 september 2026 · OBS De Regenboog" in text
    assert "7 van 8 gepland (87,5%)" in text  # 4 + 3 held of 2 × 4 planned
    assert "Op koers 1" in text
    assert "Risico 1" in text
    assert "Zorgsignalen 1" in text
    assert "Alle groepen 2 8 7 87,5% 1" in text  # b held 3 of 4: 25 % behind
    # growth: tutees in 4b grew 2 steps (10 months), the one non-participant 1 step: difference +1
    assert "tutee 4b 2 2,00 10,0 1 1,00 +1,00" in text
    assert "één stap is ongeveer een half schooljaar (≈ 5 schoolmaanden)" in text
    for name in ("a-tutee", "b-tutor"):
        assert name not in text  # aggregates only


def test_the_report_says_when_there_is_no_growth_data_yet_and_speaks_english() -> None:
    text = flat(programme_report_pdf([pair([held(DATES[0])])], DATES[0], lang="en", compress=False))
    assert "Peer tutoring: programme report" in text
    assert "not yet two measurements" in text


def test_the_report_of_a_large_synthetic_programme_is_a_complete_pdf() -> None:
    demo = synthetic_programme(120)
    pdf = programme_report_pdf(demo.histories, date(2026, 11, 23), non_participants=demo.non_participants)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_the_tutee_letter_explains_the_buddy_the_moment_and_the_contact() -> None:
    pdf = parent_letter_pdf(LETTER, compress=False)
    assert pdf.startswith(b"%PDF-")
    assert re.search(rb"/MediaBox \[0 0 595\.28 841\.89\]", pdf)  # A4 portrait
    text = flat(pdf)
    assert "Zoë gaat lezen met een leesmaatje" in text
    assert "Beste ouder(s) of verzorger(s) van Zoë," in text
    assert "Vanaf 5 oktober 2026 doet Zoë mee" in text
    assert "2 keer per week samen, op dinsdag en donderdag, steeds ongeveer 20 minuten, 12 weken lang" in text
    assert "Neem gerust contact op met juf Anna, intern begeleider: 010-1234567." in text
    assert "Anna de Vries" in text
    assert "Wat heeft uw kind nodig?" in text  # the reply slip at the foot of the same page
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1


def test_the_tutor_letter_explains_the_training_and_the_check_in() -> None:
    letter = ParentLetter(**{**LETTER.__dict__, "role": "tutor", "subject": "rekenen", "first_name": "Mohammed"})
    text = flat(parent_letter_pdf(letter, compress=False))
    assert "Mohammed wordt rekenmaatje" in text
    assert "korte training" in text
    assert "check-in" in text
    # the worry box is about the maatje, never about the tutor; the tutor's own trouble goes to the teacher
    assert "Maakt Mohammed zich zorgen over het maatje?" in text
    assert "Zit Mohammed zelf ergens mee? Dan kan Mohammed altijd naar de leerkracht gaan." in text


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("role", ["tutor", "tutee"])
@pytest.mark.parametrize("subject", ["lezen", "rekenen"])
def test_no_letter_ever_uses_stigmatising_words(lang: str, role: str, subject: str) -> None:
    letter = ParentLetter(**{**LETTER.__dict__, "role": role, "subject": subject})
    title, parts = letter_text(letter, lang)
    text = (title + " " + " ".join(h + " " + p for h, p in parts)).lower()
    assert not [word for word in STIGMA if word in text]
    assert "{" not in text
    assert "zoë" in text


def test_the_english_letter_is_in_english() -> None:
    text = flat(parent_letter_pdf(LETTER, "en", compress=False))
    assert "Zoë will read with a reading buddy" in text
    assert "Tuesday and Thursday" in text


@pytest.mark.parametrize(
    ("change", "code"),
    [({"first_name": "  "}, "reports.letter.no_name"), ({"role": "ouder"}, "reports.letter.unknown_role"),
     ({"subject": "taal"}, "reports.letter.unknown_subject"), ({"weekdays": ()}, "reports.letter.no_moment")],
)  # fmt: skip
def test_an_incomplete_letter_is_refused_with_a_message(change: dict[str, object], code: str) -> None:
    with pytest.raises(ReportError) as caught:
        parent_letter_pdf(ParentLetter(**{**LETTER.__dict__, **change}))
    assert caught.value.problems[0].code == code
    with pytest.raises(ReportError):
        parent_letter_pdf(LETTER, "de")


def test_letters_for_a_whole_group_come_one_per_page_in_one_pdf() -> None:
    letters = [ParentLetter(**{**LETTER.__dict__, "first_name": name}) for name in ("Zoë", "Bilal", "Yasmin")]
    pdf = parent_letters_pdf(letters, compress=False)
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 3
    text = flat(pdf)
    assert [text.count(f"verzorger(s) van {name},") for name in ("Zoë", "Bilal", "Yasmin")] == [1, 1, 1]


def test_a_batch_with_one_incomplete_letter_is_refused_before_anything_is_drawn() -> None:
    with pytest.raises(ReportError) as caught:
        parent_letters_pdf([LETTER, ParentLetter(**{**LETTER.__dict__, "first_name": ""})])
    assert caught.value.problems[0].code == "reports.letter.no_name"
    with pytest.raises(ReportError) as empty:
        parent_letters_pdf([])
    assert empty.value.message("nl") == "Er is geen leerling om een brief voor te maken."
