"""The Koppelen page's parts: run the matcher on a stored programme and save a draft; the draft's table;
pins and forbids; swap the tutors of two pairs; unpaired tutees with a one-click suggestion; publish.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from peermatch.auth import AuthenticatedUser
from peermatch.errors import PeerMatchError
from peermatch.pairing import apply_suggestion, explain, unpaired_from_json
from peermatch.services import constraints, pairs
from peermatch.services.matching import ProgrammeInfo, RunInfo, change_rules, match_programme
from peermatch.services.pairs import PairListing
from peermatch.vocabulary import ConstraintKind
from ui.db import database
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.text import plain

__all__ = [
    "constraint_controls",
    "draft_table",
    "publish_button",
    "run_matcher",
    "swap_controls",
    "unpaired_list",
]


def run_matcher(user: AuthenticatedUser, programme_id: int) -> bool:
    """Match the programme's stored pupils (pins and forbids kept), save a draft (replacing the previous draft).
    False (and a message) when the core refused."""
    with st.status(t("ui.review.running"), expanded=True) as status:
        bar = st.progress(0.0)

        def progress(fraction: float, text: str) -> None:
            bar.progress(fraction, text=text)

        try:
            run = match_programme(database(), user, programme_id, lang=current_lang(), progress=progress)
        except PeerMatchError as exc:  # e.g. a pin that the changed rules no longer allow
            status.update(label=t("ui.review.failed"), state="error", expanded=True)
            st.error(plain(exc.message(current_lang())))
            return False
        status.update(label=t("ui.review.done", paired=run.summary["paired"], tutees=run.summary["tutees"]),
                      state="complete", expanded=False)  # fmt: skip
    return True


def draft_table(user: AuthenticatedUser, run: RunInfo) -> list[PairListing]:
    rows = pairs.pair_listings(database(), user, run.id)  # the view is audited
    lang = current_lang()
    frame = pd.DataFrame(
        {
            t("ui.match.tutor"): [f"{r.tutor_name} ({r.tutor_group})" for r in rows],
            t("ui.match.tutee"): [f"{r.tutee_name} ({r.tutee_group})" for r in rows],
            t("ui.review.pinned"): ["📌" if r.pair.pinned else "" for r in rows],
            t("ui.match.why"): [explain(r.pair.explanation, lang) for r in rows],
        }
    )
    if "kept" in run.summary:  # a top-up beside published pairs: those stay as they are
        st.info(t("ui.review.top_up", kept=run.summary["kept"]))
        skipped = ", ".join(f"{tutor} → {tutee}" for tutor, tutee in run.summary.get("pins_skipped", []))
        if skipped:
            st.warning(t("ui.review.pins_skipped", pairs=skipped))
    st.metric(t("ui.match.paired"), f"{run.summary.get('paired', len(rows))} / {run.summary.get('tutees', '?')}")
    with st.container(key="draft_pairs"):
        st.dataframe(frame, hide_index=True, width="stretch",
                     column_config={t("ui.match.why"): st.column_config.TextColumn(width="large")})  # fmt: skip
    if rows:  # the whole reason of one pair, never cut off by the cell
        why = {i: f"{r.tutor_name} → {r.tutee_name}" for i, r in enumerate(rows)}
        chosen = st.selectbox(t("ui.review.why_pair"), list(why), format_func=why.__getitem__, key="why_pair")
        st.markdown(plain(explain(rows[chosen].pair.explanation, lang)))
    unused = run.summary.get("unused_tutors") or []
    if unused:
        names = ", ".join(f"{u['name']} ({u['group']})" for u in unused)
        st.caption(t("ui.review.unused_tutors", count=len(unused), names=plain(names)))
    return rows


def constraint_controls(user: AuthenticatedUser, programme_id: int, rows: list[PairListing]) -> None:
    """Pin or forbid one pair of the draft; the next run keeps pins and never makes a forbidden pair."""
    if not rows:
        return
    labels = {i: f"{r.tutor_name} → {r.tutee_name}" for i, r in enumerate(rows)}
    c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
    chosen = c1.selectbox(t("ui.review.pair"), list(labels), format_func=labels.__getitem__, key="constraint_pair")
    kind = ConstraintKind.PIN if c2.button(t("ui.review.pin"), key="pin") else None
    kind = ConstraintKind.FORBID if c3.button(t("ui.review.forbid"), key="forbid") else kind
    if kind is not None:
        row = rows[chosen].pair
        with shown_errors():
            constraints.set_constraint(database(), user, programme_id, row.tutor_number, row.tutee_number, kind)
            st.success(t(f"ui.review.{kind.value}_saved", pair=plain(labels[chosen])))
    stored = constraints.list_constraints(database(), user, programme_id)
    if stored:
        icons = {ConstraintKind.PIN: "📌", ConstraintKind.FORBID: "🚫"}
        shown = {c.id: f"{icons[c.kind]} {c.tutor_number} → {c.tutee_number}" for c in stored}
        r1, r2 = st.columns([4, 1], vertical_alignment="bottom")
        drop = r1.selectbox(t("ui.review.constraints"), list(shown), format_func=shown.__getitem__, key="constraint")
        if r2.button(t("ui.review.remove"), key="remove_constraint"):
            gone = next(c for c in stored if c.id == drop)
            with shown_errors():
                constraints.remove_constraint(database(), user, programme_id, gone.tutor_number, gone.tutee_number)
            st.rerun()


def swap_controls(user: AuthenticatedUser, programme_id: int, rows: list[PairListing]) -> None:
    """Swap the tutors of two draft pairs. Both new pairs must keep the hard rules (else a message naming
    the rule and nothing changes); they are pinned, so this and every later re-run keeps them."""
    if done := st.session_state.pop("swap_done", None):
        st.success(done)
    if len(rows) < 2:
        return
    labels = {i: f"{r.tutor_name} → {r.tutee_name}" for i, r in enumerate(rows)}
    st.markdown(f"**{t('ui.review.swap_title')}**")
    c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    first = c1.selectbox(t("ui.review.swap_first"), list(labels), 0, format_func=labels.__getitem__, key="swap_first")
    second = c2.selectbox(t("ui.review.swap_second"), list(labels), 1, format_func=labels.__getitem__,
                          key="swap_second")  # fmt: skip
    if not c3.button(t("ui.review.swap"), key="swap"):
        return
    if first == second:
        st.warning(t("ui.review.swap_same_pair"))
        return
    a, b = rows[first], rows[second]
    try:
        pairs.swap_tutors(database(), user, programme_id, (a.pair.tutor_number, a.pair.tutee_number),
                          (b.pair.tutor_number, b.pair.tutee_number))  # fmt: skip
    except PeerMatchError as exc:
        lines = "\n".join(f"- {plain(p.message(current_lang()))}" for p in exc.problems)
        st.error(f"{t('ui.review.swap_refused')}\n\n{lines}")
        return
    if not run_matcher(user, programme_id):  # the pins are saved; the message says why the re-run failed
        return
    st.session_state["swap_done"] = t("ui.review.swap_saved", tutor1=plain(a.tutor_name), tutee1=plain(a.tutee_name),
                                      tutor2=plain(b.tutor_name), tutee2=plain(b.tutee_name))  # fmt: skip
    st.rerun()


def unpaired_list(user: AuthenticatedUser, programme: ProgrammeInfo, run: RunInfo) -> None:
    """The draft's tutees without a tutor (kept with the run), with reason, suggestion and an apply button."""
    unpaired = unpaired_from_json(run.summary.get("unpaired_detail"))
    if not unpaired:
        return
    st.subheader(t("ui.match.unpaired_title"))
    lang = current_lang()
    for i, item in enumerate(unpaired):
        suggestion = item.suggestion(lang)
        where = f"{plain(item.group)}, {plain(item.level or '-')}"
        st.markdown(f"**{plain(item.name)}** ({where}): {plain(item.reason(lang))}"
                    + (f"  \n→ {plain(suggestion)}" if suggestion else ""))  # fmt: skip
        new_rules = apply_suggestion(programme.spec.rules, item)
        if new_rules is not None and st.button(t("ui.review.apply"), key=f"apply_{i}"):
            _apply_rules(user, programme, new_rules)


def _apply_rules(user: AuthenticatedUser, programme: ProgrammeInfo, rules: dict[str, Any]) -> None:
    updated = None
    with shown_errors():
        updated = change_rules(database(), user, programme.id, rules)
    if updated is not None:
        run_matcher(user, updated.id)
        st.rerun()


def publish_button(user: AuthenticatedUser, run: RunInfo) -> None:
    if st.button(t("ui.review.publish"), type="primary", key="publish"):
        with shown_errors():
            pairs.publish(database(), user, run.id)
            st.session_state["publish_done"] = True
        if st.session_state.get("publish_done"):
            st.rerun()
