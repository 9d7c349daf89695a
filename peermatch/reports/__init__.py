"""Reports and exports for the IB'er: tables (pairs, sessions, outcomes, growth) as CSV and XLSX,
safe against formula injection and optionally pseudonymised; the programme report PDF; the parent
letter PDF. Pure: the caller passes :class:`~peermatch.monitoring.PairHistory` values."""

from __future__ import annotations

from peermatch.errors import ReportError
from peermatch.reports.letter_pdf import ParentLetter, letter_text, parent_letter_pdf, parent_letters_pdf
from peermatch.reports.programme_pdf import format_number, programme_report_pdf
from peermatch.reports.spreadsheet import table_csv, tables_xlsx
from peermatch.reports.tables import Table, growth_table, outcomes_table, pairs_table, sessions_table

__all__ = [
    "ParentLetter",
    "ReportError",
    "Table",
    "format_number",
    "growth_table",
    "letter_text",
    "outcomes_table",
    "pairs_table",
    "parent_letter_pdf",
    "parent_letters_pdf",
    "programme_report_pdf",
    "sessions_table",
    "table_csv",
    "tables_xlsx",
]
