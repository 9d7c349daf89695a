"""Synthetic pupils for speed measurements of the matcher (never real pupils).

A school of ``n`` pupils over groep 3-8, classes of about 28, birth dates that fit the grade (some
pupils a year older: doubled a year), reading and maths levels around the usual level of the grade,
motivation 1-5 (some unknown) and a role: groep 6-8 mostly tutors, groep 3-5 mostly tutees.

    .venv/bin/python -m benchmarks._synthetic 1000 6000 10000
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from peermatch.levels import MATHS_CODES, READING_CODES
from peermatch.model import Level, Pupil, Role, Subject

__all__ = ["REFERENCE_DATE", "synthetic_pupils"]

REFERENCE_DATE = date(2026, 2, 1)
_READING = {v: k for k, v in READING_CODES.items()}
_MATHS = {v: k for k, v in MATHS_CODES.items() if v == int(v)}


def _level(subject: Subject, grade: int, rng: random.Random) -> Level:
    usual = min(max(2 * grade - 5, 0), 11)
    index = float(min(max(round(rng.gauss(usual, 1.6)), 0 if subject is Subject.LEZEN else 1), 11))
    code = (_READING if subject is Subject.LEZEN else _MATHS)[index]
    return Level(subject, code, index, index)


def synthetic_pupils(n: int, seed: int = 2026, *, tutor_share: float = 0.8) -> list[Pupil]:
    """``n`` pupils; ``tutor_share`` of groep 6-8 want to tutor, the rest of them take no part."""
    rng = random.Random(seed)
    pupils = []
    per_grade = max(1, n // 6)
    for k in range(n):
        grade = 3 + min(k // per_grade, 5)
        cls = f"{grade}{chr(ord('A') + (k % per_grade) // 28)}"
        age_days = int((grade + 3.5) * 365.25 + rng.uniform(-182, 182) + (365 if rng.random() < 0.05 else 0))
        role = (
            (Role.TUTOR if rng.random() < tutor_share else Role.NONE)
            if grade >= 6
            else (Role.TUTEE if rng.random() < 0.85 else Role.NONE)
        )
        pupils.append(
            Pupil(
                pupil_id=f"{k:06d}",
                first_name=f"Kind{k}",
                birth_date=REFERENCE_DATE - timedelta(days=age_days),
                group=cls,
                grade=grade,
                reading=_level(Subject.LEZEN, grade, rng),
                maths=_level(Subject.REKENEN, grade, rng),
                role=role,
                motivation=None if rng.random() < 0.1 else rng.randint(1, 5),
            )
        )
    return pupils


def main(argv: list[str]) -> None:
    """Median of three runs per size and capacity: build, solve, explain and total seconds."""
    import statistics

    from peermatch.matching import match
    from peermatch.rules import Rules

    for n in [int(a) for a in argv] or [1000]:
        pupils = synthetic_pupils(n)
        for capacity in (1, 2):
            rules = Rules(Subject.LEZEN, capacity=capacity, reference_date=REFERENCE_DATE)
            runs = []
            for _ in range(3):
                t0 = time.perf_counter()
                result = match(pupils, rules)
                s = result.summary
                runs.append((s.build_s, s.solve_s, s.explain_s, time.perf_counter() - t0))
            b, v, e, total = (statistics.median(r[k] for r in runs) for k in range(4))
            print(
                f"n={n} cap={capacity}: tutees={s.tutees} tutors={s.tutors} paired={s.paired} "
                f"unpaired={s.unpaired} parts={s.components} solver={s.solver} "
                f"build={b:.3f}s solve={v:.3f}s explain={e:.3f}s total={total:.3f}s"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
