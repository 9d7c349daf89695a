"""No input, however broken, makes read_roster raise anything but a RosterError."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peermatch.errors import RosterError, UnsupportedFileError
from peermatch.model import Roster
from peermatch.roster import read_roster
from peermatch.roster.template import template_csv, template_xlsx

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rosters"
SEEDS = [
    template_csv(),
    template_xlsx(),
    (FIXTURES / "EDEX.XML").read_bytes(),
    (FIXTURES / "groep5_semicolon.csv").read_bytes(),
]
PREFIXES = [
    b"",
    b"PK\x03\x04",
    b"<EDEX>",
    b"<?xml version='1.0'?>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"leerlingnummer;roepnaam;groep;geboortedatum\r\n",
    b"leerlingnummer,roepnaam,groep,geboortedatum,avi,rekenen,rol,motivatie,niet_koppelen_met\n1,",
]


def read_or_refuse(data: bytes) -> None:
    refused: RosterError | None = None
    try:
        roster = read_roster(data, filename="upload.csv", today=dt.date(2024, 10, 1))
    except RosterError as exc:
        refused = exc
    if refused is not None:
        assert refused.problems, "a RosterError always carries its problem"
        assert refused.problems[0].code != "roster.file.unreadable", "only the safety net gives this: a bug"
        assert all(p.message("nl") and p.message("en") for p in refused.problems)
    else:
        assert isinstance(roster, Roster)
        assert len({p.pupil_id for p in roster.pupils}) == len(roster.pupils)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=400))
def test_random_bytes_only_ever_raise_roster_errors(prefix: bytes, body: bytes) -> None:
    read_or_refuse(prefix + body)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(SEEDS),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.floats(0.05, 1.0),
)
def test_damaged_real_files_only_ever_raise_roster_errors(
    seed: bytes, edits: list[tuple[float, int]], cut: float
) -> None:
    data = bytearray(seed[: max(1, int(len(seed) * cut))])
    for where, byte in edits:
        data[int(where * len(data))] = byte
    read_or_refuse(bytes(data))


@settings(max_examples=200, deadline=None)
@given(
    cells=st.lists(
        st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12), min_size=9, max_size=9),
        min_size=1,
        max_size=6,
    )
)
def test_any_cell_text_under_a_valid_header_gives_a_roster(cells: list[list[str]]) -> None:
    header = "leerlingnummer\troepnaam\tgroep\tgeboortedatum\tavi\trekenen\trol\tmotivatie\tniet_koppelen_met"
    lines = [header] + [
        "\t".join(c.replace("\t", " ").replace("\n", " ").replace("\r", " ") for c in row) for row in cells
    ]
    read_or_refuse(("\n".join(lines) + "\n").encode("utf-8"))


def test_an_unexpected_internal_failure_becomes_an_unreadable_file_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import peermatch.roster as roster_module

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("Fenna")  # a bug somewhere, with a pupil's value in the message

    monkeypatch.setattr(roster_module, "validate", broken)

    with pytest.raises(UnsupportedFileError) as info:
        read_roster(template_csv(), filename="klas.csv")

    assert info.value.problems[0].code == "roster.file.unreadable"
    assert "Fenna" not in info.value.message("nl")
