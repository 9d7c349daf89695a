"""The Koppelen page's parts: run the matcher on a stored programme and save a draft; the draft's table;
pins and forbids; swap the tutors of two pairs; unpaired tutees with a one-click suggestion; publish.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from peermatch.auth import AuthenticatedUser
from peermatch.errors import PeerMatchError
from peermatch.matching import MatchResult, match
from peermatch.model import Pupil
from peermatch.pairing import (
    apply_suggestion,
    drafts,
    explain,
    rules_for,
    swap_tutors,
    unpaired_from_json,
    unpaired_to_json,
)
from peermatch.rules import Rules
from peermatch.storage.constraints import list_constraints, remove_constraint, set_constraint
from peermatch.storage.programmes import ProgrammeInfo, ProgrammeSpec, update_programme
from peermatch.storage.pupils import list_groups, to_model_pupils
from peermatch.storage.queries import PairListing, pair_listings
from peermatch.storage.runs import RunInfo, delete_draft, list_runs, publish_run, save_run
from peermatch.vocabulary import ConstraintKind, RunStatus
from ui.db import session
from ui.errors import shown_errors
from ui.i18n import current_lang, t
from ui.text import plain

__all__ = [
    "constraint_controls",
    "draft_table",
    "latest_draft",
    "publish_button",
    "run_matcher",
    "swap_controls",
    "unpaired_list",
]


def latest_draft(user: AuthenticatedUser, programme_id: int) -> RunInfo | None:
    with session(read_only=True) as s:
        runs = list_runs(s, user, programme_id)
    return runs[0] if runs and runs[0].status is RunStatus.DRAFT else None


def run_matcher(user: AuthenticatedUser, programme: ProgrammeInfo) -> bool:
    """Match the programme's stored pupils (pins and forbids kept), save a draft (replacing the previous draft).
    False (and a message) when the core refused."""
    with st.status(t("ui.review.running"), expanded=True) as status:
        bar = st.progress(0.0)

        def progress(fraction: float, text: str) -> None:
            bar.progress(fraction, text=text)

        try:
            result = _match_and_save(user, programme, progress)
        except PeerMatchError as exc:  # e.g. a pin that the changed rules no longer allow
            status.update(label=t("ui.review.failed"), state="error", expanded=True)
            st.error(plain(exc.message(current_lang())))
            return False
        status.update(label=t("ui.review.done", paired=result.summary.paired, tutees=result.summary.tutees),
                      state="complete", expanded=False)  # fmt: skip
    return True


def _match_and_save(
    user: AuthenticatedUser, programme: ProgrammeInfo, progress: Callable[[float, str], None]
) -> MatchResult:
    spec = programme.spec
    with session() as s:
        pupils, rules = _pupils_and_rules(s, user, spec)
        constraints = list_constraints(s, user, programme.id)
        pins = [(c.tutor_number, c.tutee_number) for c in constraints if c.kind is ConstraintKind.PIN]
        forbids = [(c.tutor_number, c.tutee_number) for c in constraints if c.kind is ConstraintKind.FORBID]
        result = match(pupils, rules, pins=pins, forbids=forbids, lang=current_lang(), progress=progress)
        for old in list_runs(s, user, programme.id):
            if old.status is RunStatus.DRAFT:
                delete_draft(s, user, old.id)
        summary = {**result.summary.to_dict(current_lang()), "unpaired_detail": unpaired_to_json(result)}
        save_run(s, user, programme.id, drafts(result), rules=dict(spec.rules), summary=summary)
    return result


def _pupils_and_rules(s: Session, user: AuthenticatedUser, spec: ProgrammeSpec) -> tuple[list[Pupil], Rules]:
    names = {g.id: g.name for g in list_groups(s, user, user.school_id)}
    pupils = to_model_pupils(s, user, user.school_id, [*spec.tutor_group_ids, *spec.tutee_group_ids])
    rules = rules_for(spec.subject, spec.rules, [names[g] for g in spec.tutor_group_ids],
                      [names[g] for g in spec.tutee_group_ids])  # fmt: skip
    return list(pupils), rules


def _rows(user: AuthenticatedUser, run_id: int) -> list[PairListing]:
    with session() as s:  # the view is audited
        return pair_listings(s, user, run_id)


def draft_table(user: AuthenticatedUser, run: RunInfo) -> list[PairListing]:
    rows = _rows(user, run.id)
    lang = current_lang()
    frame = pd.DataFrame(
        {
            t("ui.match.tutor"): [f"{r.tutor_name} ({r.tutor_group})" for r in rows],
            t("ui.match.tutee"): [f"{r.tutee_name} ({r.tutee_group})" for r in rows],
            t("ui.review.pinned"): ["📌" if r.pair.pinned else "" for r in rows],
            t("ui.match.why"): [explain(r.pair.explanation, lang) for r in rows],
        }
    )
    st.metric(t("ui.match.paired"), f"{run.summary.get('paired', len(rows))} / {run.summary.get('tutees', '?')}")
    with st.container(key="draft_pairs"):
        st.dataframe(frame, hide_index=True, width="stretch")
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
        with shown_errors(), session() as s:
            set_constraint(s, user, programme_id, row.tutor_number, row.tutee_number, kind)
            st.success(t(f"ui.review.{kind.value}_saved", pair=plain(labels[chosen])))
    with session(read_only=True) as s:
        constraints = list_constraints(s, user, programme_id)
    if constraints:
        icons = {ConstraintKind.PIN: "📌", ConstraintKind.FORBID: "🚫"}
        shown = {c.id: f"{icons[c.kind]} {c.tutor_number} → {c.tutee_number}" for c in constraints}
        r1, r2 = st.columns([4, 1], vertical_alignment="bottom")
        drop = r1.selectbox(t("ui.review.constraints"), list(shown), format_func=shown.__getitem__, key="constraint")
        if r2.button(t("ui.review.remove"), key="remove_constraint"):
            gone = next(c for c in constraints if c.id == drop)
            with shown_errors(), session() as s:
                remove_constraint(s, user, programme_id, gone.tutor_number, gone.tutee_number)
            st.rerun()


def swap_controls(user: AuthenticatedUser, programme: ProgrammeInfo, rows: list[PairListing]) -> None:
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
        _swap_and_pin(user, programme, a, b)
    except PeerMatchError as exc:
        lines = "\n".join(f"- {plain(p.message(current_lang()))}" for p in exc.problems)
        st.error(f"{t('ui.review.swap_refused')}\n\n{lines}")
        return
    if not run_matcher(user, programme):  # the pins are saved; the message says why the re-run failed
        return
    st.session_state["swap_done"] = t("ui.review.swap_saved", tutor1=plain(a.tutor_name), tutee1=plain(a.tutee_name),
                                      tutor2=plain(b.tutor_name), tutee2=plain(b.tutee_name))  # fmt: skip
    st.rerun()


def _swap_and_pin(user: AuthenticatedUser, programme: ProgrammeInfo, a: PairListing, b: PairListing) -> None:
    """Check the swap against the hard rules and the forbids; pin the two new pairs (dropping the old pins)."""
    old = [(a.pair.tutor_number, a.pair.tutee_number), (b.pair.tutor_number, b.pair.tutee_number)]
    with session() as s:
        pupils, rules = _pupils_and_rules(s, user, programme.spec)
        constraints = list_constraints(s, user, programme.id)
        forbids = [(c.tutor_number, c.tutee_number) for c in constraints if c.kind is ConstraintKind.FORBID]
        new = swap_tutors(pupils, rules, old[0], old[1], forbids=forbids)
        for c in constraints:
            if c.kind is ConstraintKind.PIN and (c.tutor_number, c.tutee_number) in old:
                remove_constraint(s, user, programme.id, c.tutor_number, c.tutee_number)
        for tutor, tutee in new:
            set_constraint(s, user, programme.id, tutor, tutee, ConstraintKind.PIN)


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
    with shown_errors(), session() as s:
        updated = update_programme(s, user, programme.id, replace(programme.spec, rules=rules))
    if updated is not None:
        run_matcher(user, updated)
        st.rerun()


def publish_button(user: AuthenticatedUser, run: RunInfo) -> None:
    if st.button(t("ui.review.publish"), type="primary", key="publish"):
        with shown_errors(), session() as s:
            publish_run(s, user, run.id)
            st.session_state["publish_done"] = True
        if st.session_state.get("publish_done"):
            st.rerun()
