"""The IB'er's download set for one programme, as bytes: CSV of the pairs, XLSX of every table, an
optional pseudonymised XLSX (no names, stable codes) and the programme report PDF. Each file is built only when
asked for. Pure: the caller records the audit entry when a file is downloaded (``storage.audit.record_export``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from peermatch.i18n import DEFAULT_LANG, translate
from peermatch.monitoring import DEFAULT_THRESHOLDS, PairHistory, PupilLevels, Thresholds, Triage
from peermatch.pseudonym import Pseudonymiser
from peermatch.reports.programme_pdf import programme_report_pdf
from peermatch.reports.spreadsheet import table_csv, tables_xlsx
from peermatch.reports.tables import growth_table, outcomes_table, pairs_table, sessions_table

__all__ = ["XLSX_MIME", "ExportFile", "export_files"]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportFile:
    key: str  # csv, xlsx, xlsx_pseudo, pdf
    label: str
    file_name: str
    mime: str
    build: Callable[[], bytes]  # makes the file (deferred: a page builds only what is downloaded)

    @property
    def data(self) -> bytes:
        return self.build()


def export_files(
    histories: Iterable[PairHistory],
    as_of: date,
    *,
    non_participants: Iterable[PupilLevels] = (),
    names: Mapping[str, str] | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    school: str = "",
    programme: str = "",
    lang: str = DEFAULT_LANG,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    triages: Mapping[str, Triage] | None = None,
) -> list[ExportFile]:
    """Every file of the set (built when ``build`` is called); the pseudonymised XLSX only with a
    ``pseudonymiser``. Pair health, alerts and "behind plan" are judged with ``thresholds`` (the school's),
    worries with their stored ``triages`` (the state every page shows)."""
    h, others = list(histories), list(non_participants)
    tr = triages or {}

    def label(key: str) -> str:
        return translate(f"ib.export.{key}", lang)

    def csv() -> bytes:
        table = pairs_table(h, as_of, names=names, lang=lang, thresholds=thresholds, triages=tr)
        return table_csv(table).encode("utf-8-sig")

    def xlsx() -> bytes:
        return tables_xlsx([pairs_table(h, as_of, names=names, lang=lang, thresholds=thresholds, triages=tr),
                            sessions_table(h, as_of=as_of, lang=lang, triages=tr, thresholds=thresholds),
                            outcomes_table(h, names=names, lang=lang), growth_table(h, others, lang=lang)])  # fmt: skip

    def hidden() -> bytes:
        p = pseudonymiser
        return tables_xlsx([pairs_table(h, as_of, pseudonymiser=p, lang=lang, thresholds=thresholds, triages=tr),
                            sessions_table(h, as_of=as_of, pseudonymiser=p, lang=lang, triages=tr,
                                           thresholds=thresholds),
                            outcomes_table(h, pseudonymiser=p, lang=lang),
                            growth_table(h, others, lang=lang)])  # fmt: skip

    def pdf() -> bytes:
        return programme_report_pdf(h, as_of, non_participants=others, school=school, programme=programme, lang=lang,
                                    thresholds=thresholds, triages=tr)  # fmt: skip

    stem = f"peermatch-{as_of.isoformat()}"
    out = [
        ExportFile("csv", label("csv"), f"{stem}-paren.csv", "text/csv", csv),
        ExportFile("xlsx", label("xlsx"), f"{stem}.xlsx", XLSX_MIME, xlsx),
    ]
    if pseudonymiser is not None:
        out.append(ExportFile("xlsx_pseudo", label("xlsx_pseudo"), f"{stem}-pseudoniem.xlsx", XLSX_MIME, hidden))
    out.append(ExportFile("pdf", label("pdf"), f"{stem}-rapport.pdf", "application/pdf", pdf))
    return out
