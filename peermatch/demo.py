"""Synthetic schools for demos, tests and benchmarks. Every pupil here is invented.

A school has groep 3-8, one or more classes per groep ("5A", "5B"), birth dates that fit the groep
(with a few pupils who repeated a year), reading (AVI) and maths levels spread around what is
expected for the groep at this time of year, motivation 1-5, some willing tutors, some unwilling
ones (``rol = geen``), tutees who are behind, and a few pairs that must never be made.
The output uses the columns of our roster template, so it goes through the real reader.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from peermatch.levels import MATHS_CODES, READING_CODES

__all__ = ["TEMPLATE_COLUMNS", "generate_school", "write_roster"]

TEMPLATE_COLUMNS: tuple[str, ...] = (
    "leerlingnummer", "roepnaam", "tussenvoegsel", "achternaam", "geboortedatum", "groep",
    "avi", "rekenen", "rol", "motivatie", "niet_koppelen_met",
)  # fmt: skip

_FIRST_NAMES = (
    "Daan", "Sem", "Noah", "Liam", "Mohamed", "Yusuf", "Ayoub", "Emma", "Julia", "Sara", "Noor", "Fatima",
    "Yasmin", "Mila", "Zoë", "Lucas", "Finn", "Adam", "Amira", "Ilyas", "Milan", "Levi", "Sofia", "Hiba",
    "Rayan", "Jayden", "Kenzo", "Aylin", "Elif", "Nova", "Lina", "Tess", "Saar", "Jesse", "Bram", "Luuk",
    "Mees", "Isa", "Aya", "Malak", "Anouk", "Jasmijn", "Chayenne", "Dewi", "Priya", "Raj", "Mei", "Bilal",
    "Nadia", "Omar", "Selin", "Emir", "Kiki", "Stijn", "Thijs", "Lotte", "Fenna", "Roos", "Ravi", "Joël",
)  # fmt: skip
_LAST_NAMES = (
    ("", "Jansen"), ("de", "Vries"), ("van", "Dijk"), ("", "Bakker"), ("", "El Amrani"), ("", "Yilmaz"),
    ("", "Öztürk"), ("", "Kaya"), ("", "Pinas"), ("", "Martina"), ("", "Nguyen"), ("", "Tran"),
    ("van den", "Berg"), ("", "Visser"), ("", "Smit"), ("de", "Jong"), ("", "Boukhari"), ("", "Ramdin"),
    ("", "Sanches"), ("van der", "Linden"), ("", "Mulder"), ("", "Koç"), ("", "Haddou"), ("", "Bouali"),
    ("", "Kartosen"), ("", "Doelah"), ("van", "Leeuwen"), ("", "Peeters"), ("", "Rahman"), ("", "Wong"),
)  # fmt: skip

_READING = {v: k for k, v in READING_CODES.items()}
_MATHS = {v: k for k, v in MATHS_CODES.items()}


def _school_year_start(today: date) -> int:
    return today.year if today.month >= 8 else today.year - 1


def _expected_index(grade: int, today: date) -> float:
    """What an average pupil in ``grade`` has reached at ``today``: E(g-1) in autumn, M(g) in spring."""
    base = 2.0 * (grade - 3)
    return base + (1.0 if 2 <= today.month <= 7 else 0.0)


def _level(rng: random.Random, expected: float, spread: float, codes: dict[float, str], lowest: float) -> str:
    value = round(rng.gauss(expected, spread))
    value = max(int(lowest), min(11, value))
    return codes.get(float(value), codes[11.0] if value >= 11 else codes[lowest])


def _classes_per_grade(pupils: int) -> int:
    return max(1, round(pupils / 6 / 26))


def generate_school(pupils: int = 200, seed: int = 2026, today: date | None = None) -> list[dict[str, str]]:
    """Rows (template columns, all text) for a synthetic school of about ``pupils`` pupils."""
    if pupils < 2:
        raise ValueError("a school needs at least 2 pupils")
    today = today or date.today()
    rng = random.Random(seed)
    year = _school_year_start(today)
    per_grade = _classes_per_grade(pupils)
    rows: list[dict[str, str]] = []
    for n in range(pupils):
        grade = 3 + n * 6 // pupils
        klass = f"{grade}{'ABCDEFGHJK'[rng.randrange(per_grade) % 10]}"
        repeated = rng.random() < 0.04
        oldest = date(year - grade - 4 - (1 if repeated else 0), 10, 1)  # six on 1 Oct of groep 3
        birth = oldest + timedelta(days=rng.randrange(365))
        expected = _expected_index(grade, today)
        reading = _level(rng, expected - (1 if repeated else 0), 1.8, _READING, 0.0)
        maths = _level(rng, expected - (1 if repeated else 0), 1.6, _MATHS, 1.0)
        if grade == 8 and maths == "M8" and rng.random() < 0.3:
            maths = "B8"
        prefix, last = rng.choice(_LAST_NAMES)
        motivation = rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 4, 4, 2))[0]
        behind = READING_CODES[reading] < expected - 0.5 or MATHS_CODES.get(maths, 1) < expected - 0.5
        if grade <= 5:
            role = "tutee" if behind or rng.random() < 0.25 else ""
        elif rng.random() < 0.12:
            role = "geen"
        else:
            role = "tutor" if motivation >= 3 or rng.random() < 0.3 else ""
        rows.append({
            "leerlingnummer": f"{10000 + n * 7 + rng.randrange(7):05d}" if n % 9 else f"0{1000 + n:04d}",
            "roepnaam": rng.choice(_FIRST_NAMES),
            "tussenvoegsel": prefix,
            "achternaam": last,
            "geboortedatum": birth.strftime("%d-%m-%Y"),
            "groep": klass,
            "avi": rng.choice((reading, reading, f"AVI-{reading}", f"AVI {reading}".lower())) if reading != "Start"
            else "Start",
            "rekenen": maths,
            "rol": role,
            "motivatie": str(motivation),
            "niet_koppelen_met": "",
        })  # fmt: skip
    _add_forbidden_pairs(rng, rows)
    return rows


def _add_forbidden_pairs(rng: random.Random, rows: list[dict[str, str]]) -> None:
    """About one pupil in forty gets a pupil they must never be paired with (a sibling, a conflict)."""
    tutors = [r for r in rows if r["rol"] == "tutor"]
    tutees = [r for r in rows if r["rol"] == "tutee"]
    if not tutors or not tutees:
        return
    for _ in range(max(1, len(rows) // 40)):
        tutee, tutor = rng.choice(tutees), rng.choice(tutors)
        existing = [x for x in tutee["niet_koppelen_met"].split(",") if x]
        if tutor["leerlingnummer"] not in existing:
            tutee["niet_koppelen_met"] = ",".join([*existing, tutor["leerlingnummer"]])


def write_roster(rows: Sequence[dict[str, str]], path: str | Path) -> Path:
    """Write rows in the template layout: ``.xlsx`` as a workbook, anything else as UTF-8 CSV."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Leerlingen"
        ws.append(list(TEMPLATE_COLUMNS))
        for row in rows:
            ws.append([row[c] for c in TEMPLATE_COLUMNS])
        wb.save(path)
        return path
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path
