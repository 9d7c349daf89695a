"""Birth dates in every notation Dutch rosters use, and which ones we refuse."""

from __future__ import annotations

import datetime as dt

import pytest

from peermatch.roster import read_roster
from peermatch.roster.cells import CellError
from peermatch.roster.dates import check_birth_date, implausible_age, parse_date

TODAY = dt.date(2024, 10, 1)


@pytest.mark.parametrize(
    "written",
    [
        "03-09-2015",  # dd-mm-jjjj
        "3-9-2015",  # d-m-jjjj
        "03/09/2015",  # dd/mm/jjjj
        "3/9/2015",  # d/m/jjjj
        "03.09.2015",  # dd.mm.jjjj
        "2015-09-03",  # ISO
        "2015-09-03 00:00:00",  # ISO with a time, as some exports write
        "42250",  # Excel serial number as text
        "42250,0",  # ... with a Dutch decimal comma
        "03092015",  # ddmmjjjj
        "20150903",  # jjjjmmdd
        " 03-09-2015 ",  # surrounding spaces
    ],
)
def test_each_date_notation_reads_as_3_september_2015(written: str) -> None:
    assert parse_date(written) == dt.date(2015, 9, 3)


def test_excel_serial_41640_is_new_years_day_2014() -> None:
    assert parse_date("41640") == dt.date(2014, 1, 1)
    assert parse_date(41640) == dt.date(2014, 1, 1)
    assert parse_date(41640.0) == dt.date(2014, 1, 1)


def test_real_date_and_datetime_cells_are_taken_as_they_are() -> None:
    assert parse_date(dt.datetime(2015, 9, 3, 0, 0)) == dt.date(2015, 9, 3)
    assert parse_date(dt.date(2015, 9, 3)) == dt.date(2015, 9, 3)


def test_an_empty_cell_is_no_date() -> None:
    assert parse_date("") is None
    assert parse_date(None) is None


@pytest.mark.parametrize("written", ["31-02-2015", "29-02-2015", "31/04/2016", "00-01-2015", "2015-02-30"])
def test_impossible_dates_are_refused_as_impossible(written: str) -> None:
    with pytest.raises(CellError) as info:
        parse_date(written)

    assert info.value.code == "roster.date.impossible"


def test_an_american_month_first_date_gets_its_own_explanation() -> None:
    with pytest.raises(CellError) as info:
        parse_date("09/23/2015")

    assert info.value.code == "roster.date.month_first"
    assert info.value.params == {"month": 23}


@pytest.mark.parametrize("written", ["3 september 2015", "03-09-15", "2015", "gisteren", "03-09/2015", "0"])
def test_unreadable_dates_are_refused_as_format_errors(written: str) -> None:
    with pytest.raises(CellError) as info:
        parse_date(written)

    assert info.value.code == "roster.date.format"


@pytest.mark.parametrize(
    ("birth", "code"),
    [
        (dt.date(2025, 1, 1), "roster.date.future"),
        (dt.date(1980, 12, 31), "roster.date.too_old"),
        (dt.date(2023, 1, 1), "roster.date.too_young"),
    ],
)
def test_birth_dates_that_cannot_belong_to_a_pupil_are_refused(birth: dt.date, code: str) -> None:
    with pytest.raises(CellError) as info:
        check_birth_date(birth, TODAY)

    assert info.value.code == code


def test_a_regular_birth_date_passes() -> None:
    check_birth_date(dt.date(2015, 9, 3), TODAY)


@pytest.mark.parametrize(
    ("birth", "grade", "plausible"),
    [
        (dt.date(2018, 3, 1), 3, True),  # 6.6 in groep 3 on 1 October: typical
        (dt.date(2016, 10, 3), 3, True),  # the oldest pupil who repeated a year: just under 8
        (dt.date(2019, 9, 1), 3, True),  # 5.1: skipped a year
        (dt.date(2016, 1, 1), 3, False),  # 8.75 in groep 3
        (dt.date(2019, 11, 1), 3, False),  # 4.9 in groep 3
        (dt.date(2012, 1, 1), 8, True),  # 12.75 in groep 8
        (dt.date(2014, 11, 1), 8, False),  # 9.9 in groep 8
    ],
)
def test_age_plausibility_allows_about_a_year_and_a_half_either_way(
    birth: dt.date, grade: int, plausible: bool
) -> None:
    assert (implausible_age(birth, grade, TODAY) is None) is plausible


def test_the_typical_age_moves_with_the_school_year() -> None:
    birth = dt.date(2016, 1, 1)

    assert implausible_age(birth, 3, dt.date(2024, 10, 1)) is not None  # 8.75 in groep 3 in October
    assert implausible_age(birth, 4, dt.date(2025, 6, 1)) is None  # 9.4 at the end of groep 4


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("31-02-2015", "roster.date.impossible"),
        ("2030-01-01", "roster.date.future"),
        ("01-01-1980", "roster.date.too_old"),
    ],
)
def test_date_problems_in_a_file_point_at_the_cell(written: str, code: str) -> None:
    text = f"leerlingnummer;roepnaam;geb. datum;groep\r\n1;Anna;{written};5B\r\n"

    roster = read_roster(text.encode(), filename="k.csv", today=TODAY)

    (problem,) = roster.errors
    assert (problem.code, problem.row, problem.column, problem.value) == (code, 2, "geb. datum", written)


def test_the_impossible_date_message_tells_the_teacher_how_to_write_it() -> None:
    text = "leerlingnummer;roepnaam;geboortedatum;groep\r\n1;Anna;31-02-2015;5B\r\n"

    (problem,) = read_roster(text.encode(), today=TODAY).errors

    assert problem.message("nl") == (
        "Geboortedatum '31-02-2015' bestaat niet. Schrijf de datum als dd-mm-jjjj, bijvoorbeeld 03-09-2015."
    )
