"""A board's roster of several schools (issue 14, part 1): the `brin` / `school` column fills each pupil's
school, and the matcher keeps pairs within a school unless asked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from peermatch.matching import match
from peermatch.model import Subject
from peermatch.roster import read_roster
from peermatch.rules import Rules

CSV = """leerlingnummer;roepnaam;achternaam;geboortedatum;groep;avi;rol;BRIN
1;Sanne;Voorbeeld;12-03-2015;7A;E7;tutor;04AB
2;Daan;Proefhuis;05-11-2016;5B;M4;tutee;05CD
3;Noor;Test;01-02-2016;5A;M4;tutee;04AB
"""


def test_the_brin_column_keeps_pairs_within_a_school() -> None:
    roster = read_roster(CSV.encode(), filename="bestuur.csv", today=date(2026, 2, 1))
    assert roster.ok, [p.message("nl") for p in roster.errors]
    assert {p.pupil_id: p.school for p in roster.pupils} == {"1": "04AB", "2": "05CD", "3": "04AB"}
    rules = Rules(subject=Subject.LEZEN, reference_date=roster.reference_date)
    within = match(roster.pupils, rules)
    assert [(p.tutor_number, p.tutee_number) for p in within.pairs] == [("1", "3")]  # Daan's school has no tutor
    daan = next(u for u in within.unpaired if u.pupil_id == "2")
    assert daan.reason_code
    noor_gone = [p for p in roster.pupils if p.pupil_id != "3"]
    assert not match(noor_gone, rules).pairs  # never across schools by default
    across = match(noor_gone, replace(rules, across_schools=True))
    assert [(p.tutor_number, p.tutee_number) for p in across.pairs] == [("1", "2")]


def test_a_roster_without_a_school_column_is_one_school() -> None:
    roster = read_roster(CSV.replace(";BRIN", "").replace(";04AB", "").replace(";05CD", "").encode(),
                         filename="school.csv", today=date(2026, 2, 1))  # fmt: skip
    assert roster.ok
    assert {p.school for p in roster.pupils} == {""}
