"""Reports and exports for the IB'er: tables (pairs, sessions, outcomes, growth) as CSV and XLSX,
safe against formula injection and optionally pseudonymised; the programme report PDF; the parent
letter PDF in the family's language (Dutch, English, Turkish, Arabic, Polish). Pure: the caller passes
:class:`~peermatch.monitoring.PairHistory` values."""

from __future__ import annotations

from peermatch.errors import ReportError
from peermatch.reports.letter_pdf import (
    SLIP_CHOICES,
    ParentLetter,
    letter_date,
    letter_text,
    parent_letter_pdf,
    parent_letters_pdf,
    slip_text,
)
from peermatch.reports.letter_texts import LETTER_LANGUAGES, letter_language_name, right_to_left
from peermatch.reports.programme_pdf import format_number, programme_report_pdf
from peermatch.reports.spreadsheet import table_csv, tables_xlsx
from peermatch.reports.tables import Table, growth_table, outcomes_table, pairs_table, sessions_table

__all__ = [
    "LETTER_LANGUAGES",
    "SLIP_CHOICES",
    "ParentLetter",
    "ReportError",
    "Table",
    "format_number",
    "growth_table",
    "letter_date",
    "letter_language_name",
    "letter_text",
    "outcomes_table",
    "pairs_table",
    "parent_letter_pdf",
    "parent_letters_pdf",
    "programme_report_pdf",
    "right_to_left",
    "sessions_table",
    "slip_text",
    "table_csv",
    "tables_xlsx",
]
