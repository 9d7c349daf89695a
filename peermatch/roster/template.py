"""The roster template teachers download: ``data/roster_template.csv`` and ``data/roster_template.xlsx``.

Run ``python -m peermatch.roster.template [--out DIR]`` to (re)write both files. The output is
byte-for-byte reproducible (fixed document dates and zip timestamps), so a test can check that the
committed files are what this module writes. The three example pupils are fictional.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "COLUMNS",
    "EXAMPLE_ROWS",
    "EXAMPLE_SCHOOL_YEAR",
    "EXPLANATION",
    "main",
    "template_csv",
    "template_xlsx",
    "write_templates",
]

COLUMNS: tuple[str, ...] = (
    "leerlingnummer",
    "roepnaam",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "groep",
    "avi",
    "rekenen",
    "rol",
    "motivatie",
    "niet_koppelen_met",
)

# Clearly fictional pupils (surnames "Voorbeeld", "Proefhuis", "Testhuizen"; numbers 90001-90003).
# Their ages fit their groups in school year 2026-2027; move the birth years on when the examples
# start to give an age warning (a test reads the template on 1 October of that year).
EXAMPLE_SCHOOL_YEAR = 2026
EXAMPLE_ROWS: tuple[tuple[str, ...], ...] = (
    ("90001", "Sanne", "", "Voorbeeld", "12-03-2016", "7A", "E6", "M7", "tutor", "4", ""),
    ("90002", "Daan", "van", "Proefhuis", "05-11-2017", "5B", "M4", "E4", "tutee", "3", "90003"),
    ("90003", "Noor", "de", "Testhuizen", "21-06-2018", "5B", "E4", "M5", "tutee", "5", ""),
)

# (column, verplicht, uitleg, voorbeeld) for the sheet "Uitleg".
EXPLANATION: tuple[tuple[str, str, str, str], ...] = (
    (
        "leerlingnummer", "ja",
        "Het nummer uit de leerlingadministratie (ParnasSys, ESIS, Magister). Voorloopnullen blijven staan. "
        "Elk nummer maar één keer.",
        "00123",
    ),
    (
        "roepnaam", "ja",
        "De naam waarmee de leerling wordt aangesproken. Een tutor ziet alleen deze naam van zijn tutee.",
        "Sanne",
    ),
    ("tussenvoegsel", "nee", "Zoals van, de, van der.", "van"),
    ("achternaam", "nee", "Achternaam zonder tussenvoegsel.", "Voorbeeld"),
    (
        "geboortedatum", "ja",
        "Als dd-mm-jjjj. Ook goed: d-m-jjjj, dd/mm/jjjj of jjjj-mm-dd. "
        "Nodig om het leeftijdsverschil tussen tutor en tutee te bepalen.",
        "03-09-2015",
    ),
    (
        "groep", "ja",
        "De groep of klas zoals de school die noemt. Begint de naam met het groepsnummer (5B, groep 7), "
        "dan lezen we daar de jaargroep uit.",
        "5B",
    ),
    (
        "avi", "nee",
        "Het AVI-niveau (technisch lezen): Start, M3, E3, M4 … E7 of Plus. AVI M8 en E8 bestaan niet. "
        "Leeg: de leerling doet niet mee met lezen.",
        "E5",
    ),
    (
        "rekenen", "nee",
        "Het functioneringsniveau rekenen: M3, E3 … E7, B8 of M8. Geen I-V of A-E. "
        "Leeg: de leerling doet niet mee met rekenen.",
        "M5",
    ),
    (
        "rol", "nee",
        "tutor, tutee of geen. Leeg: het programma bepaalt het (welke groepen tutoren en welke geholpen worden).",
        "tutor",
    ),
    (
        "motivatie", "nee",
        "Hoe graag de leerling wil helpen of geholpen wil worden, van 1 (weinig) tot 5 (heel graag).",
        "4",
    ),
    (
        "niet_koppelen_met", "nee",
        "Leerlingnummers van leerlingen met wie deze leerling niet gekoppeld mag worden, gescheiden door komma's.",
        "90003, 90007",
    ),
)  # fmt: skip

_NOTE = (
    "Zet geen BSN, adres, afkomst, leerlinggewicht, diagnoses of opmerkingen in deze lijst: "
    "PeerMatch leest die niet in en bewaart ze niet."
)
_FIXED_TIME = dt.datetime(2024, 1, 1)
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def template_csv() -> bytes:
    """The CSV template: ``;``-separated UTF-8 with BOM, which Dutch Excel opens in columns with accents intact."""
    lines = [";".join(COLUMNS), *(";".join(row) for row in EXAMPLE_ROWS)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _reproducible(xlsx: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps and document dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, data)
    return out.getvalue()


def template_xlsx() -> bytes:
    """The XLSX template: sheet "Leerlingen" (header + examples, text ids, date cells) and sheet "Uitleg"."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    workbook.properties.creator = "PeerMatch"
    workbook.properties.title = "PeerMatch leerlingenlijst"
    workbook.properties.created = _FIXED_TIME
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = "Leerlingen"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for row in EXAMPLE_ROWS:
        values: list[object] = list(row)
        day, month, year = (int(part) for part in row[4].split("-"))
        values[4] = dt.date(year, month, day)
        values[9] = int(row[9])
        sheet.append(values)
    text_columns = ("A", "K")  # pupil numbers stay text: leading zeros survive
    for number in range(2, 2 + len(EXAMPLE_ROWS)):
        for letter in text_columns:
            sheet[f"{letter}{number}"].number_format = "@"
        sheet[f"E{number}"].number_format = "DD-MM-YYYY"
    widths = (16, 12, 14, 14, 14, 8, 8, 9, 8, 10, 20)
    for letter, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    roles = DataValidation(type="list", formula1='"tutor,tutee,geen"', allow_blank=True)
    roles.error, roles.errorTitle = "Kies tutor, tutee of geen (of laat leeg).", "Rol"
    motivation = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True)
    motivation.error, motivation.errorTitle = "Vul een heel getal van 1 tot en met 5 in.", "Motivatie"
    sheet.add_data_validation(roles)
    sheet.add_data_validation(motivation)
    roles.add("I2:I1000")
    motivation.add("J2:J1000")

    explanation = workbook.create_sheet("Uitleg")
    explanation.append(["Kolom", "Verplicht", "Uitleg", "Voorbeeld"])
    for cell in explanation[1]:
        cell.font, cell.fill = bold, fill
    for entry in EXPLANATION:
        explanation.append(list(entry))
    explanation.append([])
    explanation.append([_NOTE])
    for letter, width in zip("ABCD", (20, 10, 90, 14), strict=True):
        explanation.column_dimensions[letter].width = width
    for row_cells in explanation.iter_rows(min_row=2):
        row_cells[2].alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return _reproducible(buffer.getvalue())


def write_templates(out: Path) -> tuple[Path, Path]:
    """Write both templates into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = out / "roster_template.csv", out / "roster_template.xlsx"
    csv_path.write_bytes(template_csv())
    xlsx_path.write_bytes(template_xlsx())
    return csv_path, xlsx_path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the PeerMatch roster templates (CSV and XLSX).")
    parser.add_argument("--out", type=Path, default=Path("data"), help="folder to write into (default: data)")
    args = parser.parse_args(argv)
    for path in write_templates(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
