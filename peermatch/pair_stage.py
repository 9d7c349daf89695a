"""Where a pair is in its time together, for a proper start and farewell (issue 13, item 4).

The research behind PeerMatch asks for the relationship to come first and for a real ending: the first session
is a *kennismaking*, the last two are announced ("nog 2 keer samen") so the tutor can prepare the goodbye and the
farewell card. :func:`pair_stage` reads that from the pair's plan (the planned session dates, without holidays and
cancelled days) and the days the tutor already checked in a held session.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["FAREWELL_FROM", "PairStage", "Stage", "pair_stage"]

FAREWELL_FROM = 2  # "nog 2 keer samen": the farewell is prepared from this many sessions before the end


class Stage(StrEnum):
    FIRST = "first"  # no session held yet: the next one is the kennismaking
    RUNNING = "running"
    ENDING = "ending"  # at most FAREWELL_FROM sessions left: prepare the goodbye
    DONE = "done"  # no planned session left


@dataclass(frozen=True)
class PairStage:
    stage: Stage
    left: int  # planned sessions from today on that were not checked in yet
    held: int  # sessions checked in as held


def pair_stage(planned: Sequence[date], held_days: Collection[date], today: date) -> PairStage:
    """The pair's stage on ``today``: a planned day counts as left when it is today or later and not checked in
    as held yet (a session checked in today is done)."""
    held = len(held_days)
    left = sum(1 for d in planned if d >= today and d not in held_days)
    if left == 0:
        return PairStage(Stage.DONE, 0, held)
    if held == 0:
        return PairStage(Stage.FIRST, left, held)
    if left <= FAREWELL_FROM:
        return PairStage(Stage.ENDING, left, held)
    return PairStage(Stage.RUNNING, left, held)
