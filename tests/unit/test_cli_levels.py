"""`peermatch check|match PUPILS --levels FILE [--levels FILE]`: a pupil export and level files, one roster.

Fixtures (tests/fixtures/levels, synthetic): an EDEXML 2.1 export without levels (EDEXML holds none), a wide
ParnasSys-style group overview and a long ESIS-style test list; sources in tests/unit/test_roster_levels_file.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peermatch.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "levels"
EDEX, WIDE, LONG = FIXTURES / "EDEX.XML", FIXTURES / "groepsoverzicht_wide.csv", FIXTURES / "toetsen_long.csv"
GROUPS = ["--tutor-groups", "7A", "--tutee-groups", "5B"]


def test_an_edex_export_plus_a_level_file_become_pairs_in_one_command(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["match", str(EDEX), "--levels", str(WIDE), "--subject", "lezen", *GROUPS, "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0
    result = json.loads(out)
    assert result["summary"]["paired"] == 3
    assert {(p["tutor_id"], p["tutee_id"]) for p in result["pairs"]} <= {
        (t, e) for t in ("00701", "00702", "00703") for e in ("00501", "00502", "00503")
    }
    assert "6 van de 6 leerlingen" in err


def test_without_levels_the_edex_export_pairs_nobody(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["match", str(EDEX), "--subject", "lezen", *GROUPS, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["paired"] == 0


def test_check_with_two_level_files_is_clean_and_names_both(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(EDEX), "--levels", str(WIDE), "--levels", str(LONG), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0
    report = json.loads(out)
    assert report["errors"] == []
    assert report["pupils"] == 6
    assert {i["file"] for i in report["info"]} >= {"groepsoverzicht_wide.csv", "toetsen_long.csv"}
    assert "groepsoverzicht_wide.csv, toetsen_long.csv" in err


def test_an_unmatched_level_row_is_an_error_and_match_refuses_all_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = tmp_path / "cito.csv"
    extra.write_text("Leerlingnummer;AVI\n00701;E7\n00999;M5\n", encoding="utf-8")
    assert main(["check", str(EDEX), "--levels", str(extra), "--format", "json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [(e["file"], e["row"], e["value"], e["code"]) for e in errors] == [
        ("cito.csv", 3, "00999", "levelfile.match.unknown_number")
    ]
    assert main(["match", str(EDEX), "--levels", str(extra), "--subject", "lezen", *GROUPS]) == 1
    err = capsys.readouterr().err
    assert "cito.csv, rij 3" in err
    assert "00999" in err


def test_an_unreadable_level_file_exits_2_with_its_reason_also_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "leerlingen.csv"
    plain.write_text("Leerlingnummer;Roepnaam;Groep\n00701;Lotte;7A\n", encoding="utf-8")
    assert main(["check", str(EDEX), "--levels", str(plain), "--format", "json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["unreadable"] is True
    assert [e["code"] for e in report["errors"]] == ["levelfile.file.no_level_column"]


def test_a_missing_level_file_names_that_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "check", str(EDEX), "--levels", str(tmp_path / "gone.csv")]) == 2
    assert "gone.csv" in capsys.readouterr().err
