"""The `peermatch` command: exit codes, formats and languages, as a teacher or a script uses it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from peermatch.cli import main
from peermatch.demo import generate_school, write_roster

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from datetime import date

    return write_roster(generate_school(160, seed=11, today=date.today()), tmp_path_factory.mktemp("s") / "school.csv")


@pytest.fixture
def bad_roster(tmp_path: Path) -> Path:
    path = tmp_path / "klas5.csv"
    path.write_text(
        "leerlingnummer;roepnaam;groep;geboortedatum;avi\n"
        "00123;Sem;5A;31-02-2016;M8\n"
        "00124;Noor;5A;03-09-2016;AVI-E5\n",
        encoding="cp1252",
    )
    return path


def test_check_of_the_template_finds_no_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DATA / "roster_template.csv")]) == 0
    assert "0 fouten" in capsys.readouterr().out


def test_check_of_the_demo_school_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DATA / "demo_school.csv"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pupils"] == 200
    assert report["errors"] == []


def test_check_reports_every_error_at_once_with_row_column_and_value(
    bad_roster: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(bad_roster), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    located = {(e["row"], e["column"], e["value"]) for e in report["errors"]}
    assert (2, "geboortedatum", "31-02-2016") in located
    assert (2, "avi", "M8") in located
    assert all(e["message"] for e in report["errors"])


def test_check_speaks_dutch_by_default_and_english_on_request(
    bad_roster: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", str(bad_roster)])
    dutch = capsys.readouterr().out
    main(["--lang", "en", "check", str(bad_roster)])
    english = capsys.readouterr().out
    assert "FOUT" in dutch
    assert "bestaan niet" in dutch
    assert "ERROR" in english
    assert "do not exist" in english


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\xff" * 50, b"leerlingnummer,roepnaam,groep,geboortedatum\n"])
def test_an_unreadable_file_exits_2_with_one_clear_message(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lijst.csv"
    path.write_bytes(content)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "lijst.csv" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "bestaat-niet.csv")]) == 2
    assert "bestaat-niet.csv" in capsys.readouterr().err


def test_demo_writes_a_school_that_check_accepts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo.xlsx"
    assert main(["demo", "--pupils", "60", "--seed", "3", "--out", str(out)]) == 0
    assert main(["check", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["pupils"] == 60


def test_the_console_script_runs_as_a_real_process(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "peermatch.cli", "check", str(DATA / "roster_template.csv"), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["errors"] == []
