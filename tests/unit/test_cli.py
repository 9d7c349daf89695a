"""The `peermatch` command: exit codes, formats and languages, as a teacher or a script uses it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def test_the_json_of_an_unreadable_file_carries_its_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lijst.csv"
    path.write_bytes(b"\x00\x01 not text")
    assert main(["check", str(path), "--format", "json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["unreadable"] is True
    assert [e["code"] for e in report["errors"]] == ["roster.file.binary"]
    assert report["errors"][0]["file"] == "lijst.csv"
    assert report["errors"][0]["message"]


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


def _match_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["match", *args, "--format", "json"])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else {})


def test_match_gives_pairs_with_explanations_and_every_unpaired_tutee_a_reason(
    school: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result = _match_json([str(school), "--subject", "lezen"], capsys)
    assert code == 0
    pairs, unpaired, summary = result["pairs"], result["unpaired"], result["summary"]
    assert pairs, "the demo school has tutors and tutees"
    assert all(p["tutor_id"] and p["tutee_id"] and p["explanation"] for p in pairs)
    assert all(u["pupil_id"] and u["reason"] for u in unpaired)
    assert summary["paired"] == len(pairs)
    assert summary["paired"] + summary["unpaired"] == summary["tutees"]


def test_match_honours_a_pin_and_a_forbid(school: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, first = _match_json([str(school), "--subject", "lezen"], capsys)
    pairs = first["pairs"]
    assert len(pairs) >= 2
    a, b = pairs[0], pairs[1]
    code, second = _match_json(
        [str(school), "--subject", "lezen", "--forbid", f"{a['tutor_id']}:{a['tutee_id']}"], capsys
    )
    assert code == 0
    made = {(p["tutor_id"], p["tutee_id"]) for p in second["pairs"]}
    assert (a["tutor_id"], a["tutee_id"]) not in made
    code, third = _match_json([str(school), "--subject", "lezen", "--pin", f"{b['tutor_id']}:{b['tutee_id']}"], capsys)
    assert code == 0
    pinned = [p for p in third["pairs"] if p["pinned"]]
    assert [(p["tutor_id"], p["tutee_id"]) for p in pinned] == [(b["tutor_id"], b["tutee_id"])]


def test_match_refuses_an_impossible_option_with_exit_1_and_a_message(
    school: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["match", str(school), "--subject", "lezen", "--capacity", "5"]) == 1
    assert "1, 2 of 3" in capsys.readouterr().err
    assert main(["match", str(school), "--subject", "lezen", "--forbid", "99999:1"]) == 1
    assert "99999" in capsys.readouterr().err


def test_match_on_a_roster_with_errors_pairs_nobody_and_exits_1(
    bad_roster: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["match", str(bad_roster), "--subject", "lezen"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "niets gekoppeld" in captured.err


def test_match_writes_csv_with_a_row_per_pair_and_per_unpaired_tutee(
    school: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "koppels.csv"
    assert main(["match", str(school), "--subject", "rekenen", "--format", "csv", "--out", str(out)]) == 0
    _, result = _match_json([str(school), "--subject", "rekenen"], capsys)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("status,tutor_id")
    assert len(lines) - 1 == len(result["pairs"]) + len(result["unpaired"])


def test_match_text_report_is_english_on_request(school: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "match", str(school), "--subject", "lezen", "--best-only"]) == 0
    out = capsys.readouterr().out
    assert "tutees have a tutor" in out
    assert " → " in out


def test_match_without_roles_or_groups_names_the_options_and_the_groups_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real export has no 'rol' column: never a silent '0 van de 0 tutees' (issue 12, item 2)."""
    roster = tmp_path / "export.csv"
    roster.write_text(
        "leerlingnummer;voornaam;achternaam;geboortedatum;groep;avi\n"
        "1;Sara;Jansen;12-03-2016;5A;E4\n2;Tim;Kok;12-03-2014;7A;E7\n",
        encoding="utf-8",
    )
    assert main(["match", str(roster), "--subject", "lezen"]) == 1
    message = capsys.readouterr().err
    assert "--tutor-groups" in message
    assert "--tutee-groups" in message
    assert "Groepen in dit bestand: 5A, 7A." in message
    assert main(["match", str(roster), "--subject", "lezen", "--tutor-groups", "7A", "--tutee-groups", "5A"]) == 0
    assert "1 van de 1 tutees heeft een tutor" in capsys.readouterr().out
