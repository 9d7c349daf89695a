"""The ``peermatch`` command: check a roster, match tutors and tutees, make a demo school or a real one.

Exit codes: 0 = done (warnings allowed), 1 = the data has errors (or a pin/forbid is impossible),
2 = the file cannot be read or is not a supported format (and wrong usage, as argparse does).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from peermatch.errors import PeerMatchError, Problem, RosterError, Severity
from peermatch.exports import to_csv
from peermatch.i18n import DEFAULT_LANG, LANGUAGES, translate
from peermatch.i18n.formatting import plural
from peermatch.model import Pupil, Roster, Subject
from peermatch.rules import Objective, Rules, tutee_candidate, tutor_candidate

__all__ = ["main"]

EXIT_OK, EXIT_DATA, EXIT_UNREADABLE = 0, 1, 2

PAIR_COLUMNS = (
    "status", "tutor_id", "tutor_name", "tutor_group", "tutor_level",
    "tutee_id", "tutee_name", "tutee_group", "tutee_level", "explanation", "suggestion",
)  # fmt: skip


_LEVELS_HELP = (
    "niveaubestand uit het leerlingvolgsysteem (CSV/XLSX: leerlingnummer of naam + geboortedatum, en AVI of "
    "rekenen); mag vaker"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peermatch", description="PeerMatch: tutorkoppels voor leesmaatjes en rekenmaatjes."
    )
    parser.add_argument("--lang", choices=LANGUAGES, default=os.environ.get("PEERMATCH_LANG", DEFAULT_LANG),
                        help="taal van de meldingen / language of messages (nl, en)")  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="controleer een leerlingenlijst (CSV, XLSX of EDEX.XML)")
    check.add_argument("file", type=Path)
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--levels", action="append", default=[], type=Path, metavar="FILE", help=_LEVELS_HELP)

    m = sub.add_parser("match", help="maak tutor-tutee-koppels")
    m.add_argument("file", type=Path)
    m.add_argument("--levels", action="append", default=[], type=Path, metavar="FILE", help=_LEVELS_HELP)
    m.add_argument("--subject", choices=[s.value for s in Subject], required=True)
    m.add_argument("--margin", type=float, default=2, help="minimaal niveauverschil (standaard 2)")
    m.add_argument("--min-age-gap", type=float, default=0.5, help="tutor minimaal zoveel jaar ouder (standaard 0,5)")
    m.add_argument("--max-age-gap", type=float, default=3, help="tutor maximaal zoveel jaar ouder (standaard 3)")
    m.add_argument("--min-tutor-level", default=None, metavar="NIVEAU",
                   help="tutor minstens op dit niveau, bv. E6 of Plus (AVI of functioneringsniveau)")  # fmt: skip
    m.add_argument("--capacity", type=int, default=1, help="tutees per tutor, 1-3 (standaard 1)")
    m.add_argument("--allow-same-class", action="store_true", help="koppels binnen dezelfde klas toestaan")
    m.add_argument("--tutor-groups", default="", help="groepen die tutor zijn, bv. '7A,7B' of '7'")
    m.add_argument("--tutee-groups", default="", help="groepen die tutee zijn, bv. '5A,5B' of '5'")
    m.add_argument("--pin", action="append", default=[], metavar="TUTOR:TUTEE", help="dit koppel moet er komen")
    m.add_argument("--forbid", action="append", default=[], metavar="TUTOR:TUTEE", help="dit koppel nooit maken")
    m.add_argument(
        "--best-only", action="store_true", help="alleen goede koppels; liever ongekoppeld dan een matig koppel"
    )
    m.add_argument("--across-schools", action="store_true",
                   help="koppels tussen scholen toestaan (een lijst met meerdere scholen)")  # fmt: skip
    m.add_argument("--max-memory", type=float, default=4000, metavar="MB",  # = pairing.DEFAULT_MAX_MEMORY_MB
                   help="weiger een lijst die naar schatting meer geheugen vraagt (MB, standaard 4000)")  # fmt: skip
    m.add_argument("--format", choices=("text", "csv", "json"), default="text")
    m.add_argument("--out", type=Path, help="schrijf de uitvoer naar dit bestand")

    demo = sub.add_parser("demo", help="maak een verzonnen demoschool (CSV of XLSX)")
    demo.add_argument("--pupils", type=int, default=200)
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--out", type=Path, required=True)

    sub.add_parser("seed-demo", help="zet de database klaar en laad de demoschool met demo-accounts (idempotent)")
    sub.add_parser("weekly-summary", help="mail de weekse samenvatting naar de intern begeleiders")

    keep = sub.add_parser("retention", help="verwijder wat over de bewaartermijn is (AVG; dagelijks, idempotent)")
    keep.add_argument("--today", type=_day, help="doe alsof het vandaag deze dag is (JJJJ-MM-DD)")
    erase = sub.add_parser("delete-pupil", help="verwijder een leerling en alles over hem of haar (AVG)")
    erase.add_argument("--school", required=True, help="de naam van de school")
    erase.add_argument("pupil_number", help="het leerlingnummer")
    erase.add_argument("--yes", action="store_true", help="niet vragen om te bevestigen")
    school = sub.add_parser(
        "create-school", help="maak een echte school met haar eerste beheerder (wachtwoord eenmalig)"
    )
    school.add_argument("name", help="de naam van de school")
    school.add_argument("--admin", required=True, help="de gebruikersnaam van de eerste beheerder")
    school.add_argument("--admin-name", default="", help="de naam van de beheerder zoals collega's die zien")
    gone = sub.add_parser("delete-school", help="verwijder een hele school met alle gegevens (AVG)")
    gone.add_argument("school", help="de naam van de school")
    gone.add_argument("--yes", action="store_true", help="niet vragen om te bevestigen")
    board = sub.add_parser("create-board", help="maak een bestuur boven scholen met een bovenschools coördinator")
    board.add_argument("name", help="de naam van het bestuur of het stedelijke programma")
    board.add_argument("--school", action="append", default=[], required=True,
                       help="de naam van een school van het bestuur; mag vaker")  # fmt: skip
    board.add_argument("--coordinator", required=True, help="de gebruikersnaam van de bovenschools coördinator")
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _problem_line(problem: Problem, lang: str) -> str:
    kind = translate(f"cli.severity.{problem.severity.value}", lang)
    where = problem.location(lang)
    return f"{kind} {where}: {problem.message(lang)}" if where else f"{kind}: {problem.message(lang)}"


def _print_problems(problems: Sequence[Problem], lang: str, out: TextIO) -> None:
    for problem in problems:
        print(_problem_line(problem, lang), file=out)


def _read(path: Path, lang: str, why: list[dict[str, Any]] | None = None, levels: Sequence[Path] = ()) -> Roster | int:
    """The roster (with the levels of ``levels`` added), or ``EXIT_UNREADABLE`` with the reason on stderr (and
    added to ``why`` for a JSON report)."""
    from peermatch.roster import read_roster
    from peermatch.roster.combine import combine_with_match
    from peermatch.roster.levels_file import read_level_file

    current = path
    try:
        roster = read_roster(path, filename=path.name)
        if not levels:
            return roster
        files = []
        for current in levels:
            files.append(read_level_file(current, filename=current.name))
        combined, found = combine_with_match(roster, files)
        matched = len(found.readings)
        names = ", ".join(p.name for p in levels)
        note = translate("levelfile.cli.combined", lang, file=path.name, matched=matched,
                         pupils=len(roster.pupils), files=names)  # fmt: skip
        print(note, file=sys.stderr)
        return combined
    except RosterError as exc:
        _print_problems(exc.problems, lang, sys.stderr)
        if why is not None:
            why.extend(p.as_dict(lang) for p in exc.problems)
        return EXIT_UNREADABLE
    except OSError as exc:
        message = translate("cli.cannot_open", lang, file=str(current), reason=exc.strerror or str(exc))
        print(message, file=sys.stderr)
        if why is not None:
            why.append({"code": "cli.cannot_open", "file": current.name, "message": message})
        return EXIT_UNREADABLE


def _check(args: argparse.Namespace) -> int:
    lang = args.lang
    why: list[dict[str, Any]] = []
    roster = _read(args.file, lang, why, args.levels)
    if isinstance(roster, int):
        if args.format == "json":  # the reason too, not only on stderr
            print(json.dumps({"pupils": 0, "errors": why, "warnings": [], "unreadable": True}, ensure_ascii=False))
        return roster
    if args.format == "json":
        payload = {
            "pupils": len(roster.pupils),
            "errors": [p.as_dict(lang) for p in roster.errors],
            "warnings": [p.as_dict(lang) for p in roster.warnings],
            "info": [p.as_dict(lang) for p in roster.problems if p.severity is Severity.INFO],
            "dropped_columns": list(roster.dropped_columns),
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print_problems(roster.problems, lang, sys.stdout)
        counts = {
            "pupils": plural("cli.count.pupils", len(roster.pupils), lang),
            "errors": plural("cli.count.errors", len(roster.errors), lang),
            "warnings": plural("cli.count.warnings", len(roster.warnings), lang),
        }
        print(translate("cli.check_summary", lang, file=args.file.name, **counts))
    return EXIT_OK if roster.ok else EXIT_DATA


def _pairs_arg(values: Sequence[str], option: str, lang: str) -> list[tuple[str, str]] | None:
    pairs: list[tuple[str, str]] = []
    for value in values:
        tutor, sep, tutee = value.partition(":")
        if not sep or not tutor.strip() or not tutee.strip():
            print(translate("cli.bad_pair_option", lang, option=option, value=value), file=sys.stderr)
            return None
        pairs.append((tutor.strip(), tutee.strip()))
    return pairs


def _groups(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


def _has_both_sides(pupils: Sequence[Pupil], rules: Rules) -> bool:
    """Does anybody tutor and anybody get a tutor? (Real exports have no ``rol`` column: then the groups decide.)"""
    return any(tutor_candidate(p, rules) for p in pupils) and any(tutee_candidate(p, rules) for p in pupils)


def _match(args: argparse.Namespace) -> int:
    from peermatch.levels import parse_level
    from peermatch.matching import json_text
    from peermatch.pairing import propose

    lang = args.lang
    pins = _pairs_arg(args.pin, "--pin", lang)
    forbids = _pairs_arg(args.forbid, "--forbid", lang)
    if pins is None or forbids is None:
        return EXIT_UNREADABLE
    roster = _read(args.file, lang, levels=args.levels)
    if isinstance(roster, int):
        return roster
    if not roster.ok:
        _print_problems(roster.errors, lang, sys.stderr)
        print(plural("cli.fix_first", len(roster.errors), lang), file=sys.stderr)
        return EXIT_DATA
    try:
        rules = Rules(
            subject=Subject(args.subject),
            margin=args.margin,
            min_age_gap_months=round(args.min_age_gap * 12),
            max_age_gap_months=round(args.max_age_gap * 12),
            capacity=args.capacity,
            allow_same_class=args.allow_same_class,
            objective=Objective.BEST_ONLY if args.best_only else Objective.MOST_PAIRS,
            min_tutor_level=None
            if args.min_tutor_level is None
            else parse_level(Subject(args.subject), args.min_tutor_level).low,
            tutor_groups=_groups(args.tutor_groups),
            tutee_groups=_groups(args.tutee_groups),
            reference_date=roster.reference_date,
            across_schools=args.across_schools,
        )
        rules.validate()
        if not _has_both_sides(roster.pupils, rules):
            groups = ", ".join(sorted({p.group for p in roster.pupils if p.group})) or "-"
            print(translate("cli.no_sides", lang, file=args.file.name, groups=groups), file=sys.stderr)
            return EXIT_DATA
        result = propose(
            roster.pupils, rules, pins=pins, forbids=forbids, lang=lang, max_memory_mb=args.max_memory
        ).result
    except PeerMatchError as exc:
        _print_problems(exc.problems, lang, sys.stderr)
        return EXIT_DATA
    payload = result.to_dict(lang)
    if args.format == "json":
        text = json_text(payload)
    elif args.format == "csv":
        text = to_csv(_csv_rows(payload, lang), PAIR_COLUMNS)
    else:
        text = _text_report(payload, lang)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(translate("cli.written", lang, file=str(args.out)), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _csv_rows(payload: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{"status": translate("cli.status.paired", lang), **pair} for pair in payload["pairs"]]
    for item in payload["unpaired"]:
        rows.append({
            "status": translate("cli.status.unpaired", lang),
            "tutee_id": item["pupil_id"],
            "tutee_name": item.get("name", ""),
            "tutee_group": item.get("group", ""),
            "tutee_level": item.get("level", ""),
            "explanation": item["reason"],
            "suggestion": item.get("suggestion") or "",
        })  # fmt: skip
    return rows


def _text_report(payload: dict[str, Any], lang: str) -> str:
    lines: list[str] = []
    summary = payload["summary"]
    lines.append(plural("cli.match_summary", summary["paired"], lang, **summary))
    lines.append("")
    for pair in payload["pairs"]:
        head = translate("cli.pair_line", lang, **{k: v for k, v in pair.items() if isinstance(v, str | int | float)})
        lines.append(head)
        lines.append(f"    {pair['explanation']}")
    if payload["unpaired"]:
        lines.append("")
        lines.append(translate("cli.unpaired_header", lang, count=len(payload["unpaired"])))
        for item in payload["unpaired"]:
            lines.append(translate("cli.unpaired_line", lang, **{k: v for k, v in item.items() if isinstance(v, str)}))
            lines.append(f"    {item['reason']}")
            if item.get("suggestion"):
                lines.append(f"    → {item['suggestion']}")
    for bottleneck in summary.get("bottlenecks", []):
        lines.append("")
        lines.append(f"! {bottleneck}")
    return "\n".join(lines) + "\n"


def _demo(args: argparse.Namespace) -> int:
    from peermatch.demo import generate_school, write_roster

    if args.pupils < 2 or args.pupils > 50_000:
        print(translate("cli.demo_size", args.lang), file=sys.stderr)
        return EXIT_UNREADABLE
    path = write_roster(generate_school(args.pupils, args.seed), args.out)
    print(translate("cli.demo_written", args.lang, pupils=args.pupils, file=str(path)), file=sys.stderr)
    return EXIT_OK


def _seed_demo(args: argparse.Namespace) -> int:
    """Migrate the database (PEERMATCH_DATABASE_URL or the default file) and seed the demo school; print the logins."""
    from peermatch.demo import generate_school
    from peermatch.demo_school.seed import DEMO_SCHOOL_NAME, demo_accounts, demo_pupil_logins, seed_demo
    from peermatch.storage.engine import database_url, make_engine, session_factory, unit_of_work

    report = seed_demo(None, generate_school(200, 2026), tutor_activity=True)
    pupils = report.roster.pupils_created if report.roster else 0
    print(f"{DEMO_SCHOOL_NAME}: {database_url()} (+{pupils} pupils, +{len(report.accounts_created)} accounts)")
    for account in demo_accounts():
        print(f"  {account.role.value:<11} {account.username:<12} {account.password}")
    engine = make_engine(None)
    try:
        with unit_of_work(session_factory(engine), read_only=True) as session:
            logins = demo_pupil_logins(session)
    finally:
        engine.dispose()
    for login in logins:
        codes = f"klassencode {login.class_code}  nummer {login.number}  code {login.personal_code}"
        print(f"  tutor       {login.first_name:<12} {codes}  ({login.note})")
    return EXIT_OK


def _weekly_summary(args: argparse.Namespace) -> int:
    """Mail every IB'er who wants it the week in numbers (PEERMATCH_SMTP_HOST etc.; see deploy/)."""
    from datetime import date

    from peermatch.services.database import Database
    from peermatch.services.notifications import mail_configured, send_weekly_summaries

    if not mail_configured():
        print(translate("cli.no_smtp", args.lang), file=sys.stderr)
        return EXIT_UNREADABLE
    sent = send_weekly_summaries(Database.connect(), today=date.today(), lang=args.lang)
    print(translate("cli.weekly_sent", args.lang, count=sent), file=sys.stderr)
    return EXIT_OK


def _retention(args: argparse.Namespace) -> int:
    """Delete what expired in every school (audited as counts per school); print the counts."""
    from peermatch.services.database import Database
    from peermatch.services.privacy import run_retention

    done = run_retention(Database.connect(), args.today, force=True)
    for school_id, counts in sorted(done.items()):
        print(translate("privacy_admin.cli.retention_school", args.lang, school=school_id, counts=counts.as_text()))
    return EXIT_OK


def _confirmed(args: argparse.Namespace, question: str, expected: str) -> bool:
    """``--yes``, or the name typed again at the prompt (no prompt without a terminal: refused)."""
    if args.yes:
        return True
    if not sys.stdin.isatty():
        print(translate("privacy_admin.cli.needs_yes", args.lang), file=sys.stderr)
        return False
    answer = input(translate(question, args.lang, name=expected) + " ")
    return " ".join(answer.split()).casefold() == " ".join(expected.split()).casefold()


def _delete_pupil(args: argparse.Namespace) -> int:
    from peermatch.services.database import Database
    from peermatch.services.privacy import delete_pupil_by_number

    if not _confirmed(args, "privacy_admin.cli.confirm_pupil", args.pupil_number):
        print(translate("privacy_admin.cli.not_deleted", args.lang), file=sys.stderr)
        return EXIT_DATA
    if not delete_pupil_by_number(Database.connect(), args.school, args.pupil_number):
        print(translate("privacy_admin.cli.no_pupil", args.lang, school=args.school, number=args.pupil_number),
              file=sys.stderr)  # fmt: skip
        return EXIT_DATA
    print(translate("privacy_admin.cli.pupil_deleted", args.lang, number=args.pupil_number), file=sys.stderr)
    return EXIT_OK


def _create_school(args: argparse.Namespace) -> int:
    """A real school and its first beheerder; the generated password printed once (stdout), the rest on stderr."""
    from peermatch.services.database import Database
    from peermatch.services.onboarding import create_school_with_beheerder

    try:
        made = create_school_with_beheerder(Database.connect(), args.name, args.admin, args.admin_name)
    except PeerMatchError as error:
        print(translate("onboarding.failed", args.lang, reason=error.message(args.lang)), file=sys.stderr)
        return EXIT_DATA
    print(translate("onboarding.created", args.lang, school=made.school_name, username=made.username), file=sys.stderr)
    print(translate("onboarding.password", args.lang, username=made.username, password=made.password))
    print(translate("onboarding.password_once", args.lang), file=sys.stderr)
    print(translate("onboarding.demo_closed", args.lang), file=sys.stderr)
    return EXIT_OK


def _delete_school(args: argparse.Namespace) -> int:
    from peermatch.services.database import Database
    from peermatch.services.privacy import delete_school_by_name

    if not _confirmed(args, "privacy_admin.cli.confirm_school", args.school):
        print(translate("privacy_admin.cli.not_deleted", args.lang), file=sys.stderr)
        return EXIT_DATA
    if not delete_school_by_name(Database.connect(), args.school):
        print(translate("privacy_admin.cli.no_school", args.lang, school=args.school), file=sys.stderr)
        return EXIT_DATA
    print(translate("privacy_admin.cli.school_deleted", args.lang, school=args.school), file=sys.stderr)
    return EXIT_OK


def _create_board(args: argparse.Namespace) -> int:
    """A board of existing schools and its coordinator's account; the generated password is printed once."""
    from peermatch.services.board import create_board
    from peermatch.services.database import Database

    try:
        made = create_board(Database.connect(), args.name, args.school, args.coordinator)
    except PeerMatchError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return EXIT_DATA
    print(translate("board.cli.created", args.lang, board=made.board, schools=", ".join(made.schools)))
    print(translate("board.cli.account", args.lang, username=made.username))
    print(translate("board.cli.password", args.lang, password=made.password))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (also used by the console script)."""
    args = _parser().parse_args(argv)
    handlers = {"check": _check, "match": _match, "demo": _demo, "seed-demo": _seed_demo,
                "weekly-summary": _weekly_summary, "retention": _retention, "delete-pupil": _delete_pupil,
                "delete-school": _delete_school, "create-school": _create_school,
                "create-board": _create_board}  # fmt: skip
    try:
        return handlers[args.command](args)
    except BrokenPipeError:  # `peermatch match ... | head`
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
