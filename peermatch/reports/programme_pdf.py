"""The programme report for the team meeting: headline numbers, pair health, dosage against the plan
per groep, level growth of participants against non-participants, and the broader outcomes.

Only aggregates: no pupil's name or id is printed, so the report can go to the municipality.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from fpdf import FPDF
from fpdf.fonts import FontFace

from peermatch.errors import Problem, ReportError
from peermatch.i18n import DEFAULT_LANG, LANGUAGES, translate
from peermatch.i18n.formatting import number
from peermatch.monitoring.alerts import AlertKind, Triage
from peermatch.monitoring.health import Health
from peermatch.monitoring.history import PairHistory, PupilLevels
from peermatch.monitoring.outcomes import MONTHS_PER_STEP, compare_growth, programme_means
from peermatch.monitoring.overview import school_overview
from peermatch.monitoring.thresholds import DEFAULT_THRESHOLDS, Thresholds
from peermatch.pdf import BLUE, FAMILY, GREY, INK, LIGHT, a4
from peermatch.training.certificate import format_date

__all__ = ["format_number", "programme_report_pdf"]


def format_number(value: float | None, lang: str = DEFAULT_LANG, *, decimals: int = 1, signed: bool = False) -> str:
    """``1,5`` in Dutch, ``1.5`` in English, with a fixed number of decimals; ``–`` for no value."""
    if value is None:
        return "–"
    return number(value, lang, decimals=decimals, signed=signed)


def programme_report_pdf(
    histories: Iterable[PairHistory],
    as_of: date,
    *,
    non_participants: Iterable[PupilLevels] = (),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    school: str = "",
    programme: str = "",
    lang: str = DEFAULT_LANG,
    compress: bool = True,
    triages: Mapping[str, Triage] | None = None,
) -> bytes:
    """The report as PDF bytes (A4 portrait). ``compress=False`` writes readable streams for tests.

    Health, signals and dosage count the running pairs only (:func:`school_overview`), and the signals only
    the open ones (an afgehandeld worry is no longer counted); growth and scores include the ended pairs."""
    if lang not in LANGUAGES:
        raise ReportError(Problem("reports.unknown_language", value=lang))
    histories = list(histories)

    def t(code: str, **params: object) -> str:
        return translate(f"reports.programme.{code}", lang, **params)

    def n(value: float | None, decimals: int = 1, signed: bool = False) -> str:
        return format_number(value, lang, decimals=decimals, signed=signed)

    with a4(t("title"), lang, as_of, compress=compress) as pdf:
        pdf.set_font(FAMILY, "B", 20)
        pdf.set_text_color(*BLUE)
        pdf.cell(0, 10, t("title"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 11)
        pdf.set_text_color(*GREY)
        subtitle = " · ".join(p for p in (" ".join(school.split()), " ".join(programme.split())) if p)
        line = t("as_of", date=format_date(as_of, lang)) + (f" · {subtitle}" if subtitle else "")
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)

        overview = school_overview(histories, as_of, thresholds=thresholds, triages=triages)
        total, counts = overview.total, overview.counts
        means = programme_means(histories, as_of)
        learned = None if means.learned_share is None else round(100 * means.learned_share)
        _heading(pdf, t("headline"))
        _facts(
            pdf,
            [
                (t("pairs"), str(len(overview.healths))),
                (t("sessions"), t("sessions_value", held=total.held, planned=total.planned, pct=n(total.held_pct))),
                (t("minutes"), t("minutes_value", hours=n(round(total.minutes / 60, 1)))),
                (t("fun"), t("score_value", value=n(means.means["tutee_fun"], 2))),
                (t("mood"), t("score_value", value=n(means.means["tutor_mood"], 2))),
                (t("learned"), t("share_value", pct="–" if learned is None else str(learned))),
            ],
        )

        _heading(pdf, t("health"))
        _table(pdf, [t("status"), t("count")], [[s.label(lang), str(counts[s])] for s in Health], (110, 60))
        alerts = [a for a, triage in overview.alerts if triage.state.is_open]
        if alerts:
            per_kind = {k: sum(1 for a in alerts if a.kind is k) for k in AlertKind}
            rows = [[translate(f"reports.alert_kind.{k.value}", lang), str(c)] for k, c in per_kind.items() if c]
            pdf.ln(2)
            _table(pdf, [t("signal"), t("count")], rows, (110, 60))

        _heading(pdf, t("dosage"))
        groups = list(overview.groups)
        rows = [[g.group or "–", str(g.pairs), str(g.planned), str(g.held), n(g.held_pct) + "%", str(g.pairs_behind)]
                for g in [*groups, total]]  # fmt: skip
        rows[-1][0] = t("all_groups")
        headers = [t("group"), t("pairs_short"), t("planned"), t("held"), t("held_pct"), t("behind")]
        _table(pdf, headers, rows, (34, 22, 28, 28, 28, 30), bold_last=True)
        _note(pdf, t("dosage_note", pct=thresholds.dosage_behind_pct))

        comparisons = compare_growth(histories, non_participants)
        if pdf.get_y() + 40 + 7 * len(comparisons) > pdf.h - pdf.b_margin:
            pdf.add_page()  # keep the growth table and its note on one page
        _heading(pdf, t("growth"))
        if comparisons:
            rows = [
                [translate(f"reports.role.{c.role}", lang), c.group, str(c.participants.n),
                 n(c.participants.mean_steps, 2), n(c.participants.mean_months), str(c.non_participants.n),
                 n(c.non_participants.mean_steps, 2), n(c.difference_steps, 2, signed=True)]
                for c in comparisons
            ]  # fmt: skip
            headers = [t("role"), t("group"), "n", t("steps"), t("months"), t("others_n"), t("others_steps"),
                       t("difference")]  # fmt: skip
            _table(pdf, headers, rows, (17, 16, 11, 18, 17, 26, 36, 29))
        else:
            _note(pdf, t("no_growth"))
        _note(pdf, t("growth_note", months=n(MONTHS_PER_STEP, 0)))
        return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 13)
    pdf.set_text_color(*BLUE)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)


def _facts(pdf: FPDF, facts: Sequence[tuple[str, str]]) -> None:
    for label, value in facts:
        pdf.set_font(FAMILY, "", 10.5)
        pdf.set_text_color(*GREY)
        pdf.cell(70, 6.5, label)
        pdf.set_font(FAMILY, "B", 10.5)
        pdf.set_text_color(*INK)
        pdf.cell(0, 6.5, value, new_x="LMARGIN", new_y="NEXT")


def _table(
    pdf: FPDF,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    bold_last: bool = False,
) -> None:
    pdf.set_font(FAMILY, "", 9.5)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(190, 190, 190)
    pdf.set_line_width(0.2)
    head = FontFace(emphasis="BOLD", color=BLUE, fill_color=LIGHT)
    with pdf.table(col_widths=tuple(widths), width=sum(widths), align="LEFT", headings_style=head,
                   line_height=6, text_align="LEFT") as table:  # fmt: skip
        table.row(list(headers))
        for i, values in enumerate(rows):
            style = FontFace(emphasis="BOLD") if bold_last and i == len(rows) - 1 else None
            row = table.row()
            for value in values:
                row.cell(value, style=style)


def _note(pdf: FPDF, text: str) -> None:
    pdf.ln(1.5)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT", align="L")
