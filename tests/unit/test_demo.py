"""The synthetic demo school looks like a real Dutch school and goes through the real reader."""

from __future__ import annotations

from collections import Counter
from datetime import date

from peermatch.demo import TEMPLATE_COLUMNS, generate_school

TODAY = date(2026, 11, 23)


def test_the_same_seed_gives_the_same_school() -> None:
    assert generate_school(120, seed=7, today=TODAY) == generate_school(120, seed=7, today=TODAY)
    assert generate_school(120, seed=7, today=TODAY) != generate_school(120, seed=8, today=TODAY)


def test_a_school_has_groep_3_to_8_with_every_template_column() -> None:
    rows = generate_school(200, seed=1, today=TODAY)
    assert len(rows) == 200
    assert {int(r["groep"][0]) for r in rows} == {3, 4, 5, 6, 7, 8}
    assert all(tuple(r) == TEMPLATE_COLUMNS for r in rows)


def test_pupil_numbers_are_unique_text_and_some_keep_a_leading_zero() -> None:
    rows = generate_school(1000, seed=3, today=TODAY)
    ids = [r["leerlingnummer"] for r in rows]
    assert len(set(ids)) == len(ids)
    assert any(i.startswith("0") for i in ids)


def test_there_are_willing_tutors_unwilling_tutors_tutees_and_forbidden_pairs() -> None:
    rows = generate_school(200, seed=2026, today=TODAY)
    roles = Counter(r["rol"] for r in rows)
    assert roles["tutor"] > 20
    assert roles["tutee"] > 20
    assert roles["geen"] > 0
    assert sum(1 for r in rows if r["niet_koppelen_met"]) >= 1


def test_ages_fit_the_groep() -> None:
    for row in generate_school(300, seed=5, today=TODAY):
        day, month, year = map(int, row["geboortedatum"].split("-"))
        age = (TODAY - date(year, month, day)).days / 365.25
        grade = int(row["groep"][0])
        assert grade + 3 <= age <= grade + 5.2, row  # a few repeated a year
