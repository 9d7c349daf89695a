"""Exact min-cost flow on a small layered network: the matcher's classes of interchangeable pupils.

The network (``transport``): a source feeds every tutee class its size; a tutee class sends units to tutor
classes along class edges (cost = the pair cost) or to "unpaired" (cost = the class's unpaired cost,
capacity ``unpaired_limit`` over all classes together); a tutor class takes at most its places. Every unit
leaves the source, so the cheapest flow is the cheapest assignment of every tutee to a place or to
"unpaired" (the pupil problem's optimum, because pupils within a class are interchangeable).

Primal-dual (successive shortest paths with blocking flows): Dijkstra on reduced costs (scipy), then a
maximum flow on the arcs of reduced cost 0 (scipy's Dinic), repeated until every unit has arrived. Each
phase raises the cost of the cheapest remaining path, so there are at most as many phases as distinct
path costs (integers, a few hundred at most). Integer data give an integer optimum; everything is exact
integer arithmetic except Dijkstra, whose float64 sums stay far below 2**53.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra, maximum_flow

__all__ = ["Transport", "transport"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Transport:
    """The optimum: units per class edge, units per tutee class left unpaired, and the phases it took."""

    flow: IntArray  # per edge, in the order given
    unpaired: IntArray  # per tutee class
    phases: int


def transport(
    supply: IntArray,
    places: IntArray,
    tail: IntArray,
    head: IntArray,
    cost: IntArray,
    unpaired_cost: IntArray,
    unpaired_limit: int,
) -> Transport:
    """Cheapest way to send every unit of ``supply`` (per tutee class) along edges ``tail -> head`` (tutee
    class -> tutor class, one cost each, no capacity of their own) into ``places`` (per tutor class), or to
    "unpaired" at ``unpaired_cost`` per unit (at most ``unpaired_limit`` units in all).

    Solved on a few cheap edges per class first; the node potentials of that optimum price every other
    edge, and edges with a negative reduced cost join until none is left: then the flow is optimal for all
    edges (complementary slackness), exactly as if every edge had been there from the start.

    Raises ``ValueError`` when ``unpaired_limit`` is too small for every unit to find a place.
    """
    ne = int(supply.size)
    chosen = _cheapest(tail, head, cost, _FIRST_EDGES)
    for _ in range(_MAX_ROUNDS):
        flow, unpaired, potential, phases = _solve(
            supply, places, tail[chosen], head[chosen], cost[chosen], unpaired_cost, unpaired_limit
        )
        reduced = cost + potential[tail] - potential[ne + head]
        inside = np.zeros(tail.size, dtype=np.bool_)
        inside[chosen] = True
        priced = np.flatnonzero(~inside & (reduced < 0))
        if priced.size == 0:
            out = np.zeros(tail.size, dtype=np.int64)
            out[chosen] = flow
            return Transport(out, unpaired, phases)
        join = priced[_cheapest(tail[priced], head[priced], reduced[priced], _PRICED_EDGES)]
        chosen = np.sort(np.concatenate((chosen, join)))
    flow, unpaired, _, phases = _solve(supply, places, tail, head, cost, unpaired_cost, unpaired_limit)
    return Transport(flow, unpaired, phases)


_METHOD = "dinic"
_FIRST_EDGES = 24  # per tutee class and per tutor class, the cheapest edges of the first round
_PRICED_EDGES = 24  # per class, the most negative priced edges that join for the next round
_MAX_ROUNDS = 12  # then every edge at once


def _cheapest(tail: IntArray, head: IntArray, cost: IntArray, count: int) -> IntArray:
    """The ``count`` cheapest edges of every tutee class and of every tutor class (sorted edge indices)."""
    keep = np.zeros(tail.size, dtype=np.bool_)
    for side in (tail, head):
        order = np.lexsort((cost, side))
        ordered = side[order]
        rank = np.arange(order.size) - np.searchsorted(ordered, ordered, side="left")
        keep[order[rank < count]] = True
    return np.flatnonzero(keep)


def _solve(
    supply: IntArray,
    places: IntArray,
    tail: IntArray,
    head: IntArray,
    cost: IntArray,
    unpaired_cost: IntArray,
    unpaired_limit: int,
) -> tuple[IntArray, IntArray, IntArray, int]:
    """Primal-dual on the given edges: flow per edge, unpaired per tutee class, node potentials, phases."""
    ne, nt, k = int(supply.size), int(places.size), int(tail.size)
    total = int(supply.sum())
    if total == 0:
        return np.zeros(k, np.int64), np.zeros(ne, np.int64), np.zeros(ne + nt + 3, np.int64), 0
    # nodes: tutee classes 0..ne-1, tutor classes ne.., U = ne+nt, source, sink
    u, s, t = ne + nt, ne + nt + 1, ne + nt + 2
    nodes = ne + nt + 3
    e_idx = np.arange(ne, dtype=np.int64)
    t_idx = np.arange(nt, dtype=np.int64)
    a_tail = np.concatenate((np.full(ne, s), tail, e_idx, ne + t_idx, [u])).astype(np.int64)
    a_head = np.concatenate((e_idx, ne + head, np.full(ne, u), np.full(nt, t), [t])).astype(np.int64)
    a_cap = np.concatenate((supply, supply[tail], supply, places, [min(unpaired_limit, total)])).astype(np.int64)
    a_cost = np.concatenate((np.zeros(ne), cost, unpaired_cost, np.zeros(nt), [0])).astype(np.int64)
    # Every arc and its reverse sit in one sorted layout (no pair of nodes twice), so the residual graph
    # of a phase, and its arcs of reduced cost 0, are subsets of it that need no sorting.
    arcs = a_tail.size
    rows = np.concatenate((a_tail, a_head))
    cols = np.concatenate((a_head, a_tail))
    layout = np.lexsort((cols, rows))
    row_at, col_at = rows[layout], cols[layout]
    col32 = col_at.astype(np.int32)
    row_start = np.searchsorted(row_at, np.arange(nodes + 1))  # positions of each node's arcs
    arc_at = (layout % arcs).astype(np.int64)  # the arc at each position
    forward_at = layout < arcs  # the arc itself (else its reverse)
    position = np.empty(2 * arcs, dtype=np.int64)
    position[layout] = np.arange(2 * arcs)
    fwd_pos, bwd_pos = position[:arcs], position[arcs:]
    # arcs into the source or out of the sink never lie on a shortest source-sink path
    useful = (col_at != s) & (row_at != t)
    reduced = np.where(forward_at, a_cost[arc_at], -a_cost[arc_at])  # kept up to date with the potentials
    residual = np.where(forward_at & useful, a_cap[arc_at], 0)  # kept up to date arc by arc
    flow = np.zeros(arcs, dtype=np.int64)
    potential = np.zeros(nodes, dtype=np.int64)
    scale = float(nodes + 1)  # weight = reduced cost * scale + 1: no zero weights, fewest arcs among ties
    sent, phases = 0, 0
    while sent < total:
        phases += 1
        live = np.flatnonzero(residual > 0)
        graph = csr_matrix(
            (reduced[live] * scale + 1.0, col32[live], np.searchsorted(live, row_start)), shape=(nodes, nodes)
        )
        dist = dijkstra(graph, indices=s)
        if not np.isfinite(dist[t]):
            raise ValueError("not every unit can be placed")
        d = np.floor(np.minimum(dist, dist[t]) / scale + 1e-9).astype(np.int64)
        potential += d
        reduced += d[row_at] - d[col_at]
        zero = live[reduced[live] == 0]
        capacity = np.minimum(residual[zero], total).astype(np.int32)
        tight = csr_matrix((capacity, col32[zero], np.searchsorted(zero, row_start)), shape=(nodes, nodes))
        pushed = maximum_flow(tight, s, t, method=_METHOD)
        if pushed.flow_value == 0:
            raise ValueError("no progress")  # cannot happen with exact potentials; never loop forever
        net = pushed.flow  # sorted CSR: the admissible arcs plus the reverses scipy added
        keys = np.repeat(np.arange(nodes, dtype=np.int64), np.diff(net.indptr)) * nodes + net.indices
        units = net.data[np.searchsorted(keys, row_at[zero] * nodes + col_at[zero])].astype(np.int64)
        moved = units != 0
        zero, units = zero[moved], units[moved]
        back = ~forward_at[zero]
        arc = arc_at[zero]
        delta = np.zeros(arcs, dtype=np.int64)
        delta[arc[back]] = -units[back]  # a reverse arc used: flow back (skew-symmetric, so an arc
        delta[arc[~back]] = units[~back]  # present both ways gives the same net value twice)
        changed = np.unique(arc)
        flow[changed] += delta[changed]
        residual[fwd_pos[changed]] = (a_cap[changed] - flow[changed]) * useful[fwd_pos[changed]]
        residual[bwd_pos[changed]] = flow[changed] * useful[bwd_pos[changed]]
        sent += int(pushed.flow_value)
    return flow[ne : ne + k].copy(), flow[ne + k : ne + k + ne].copy(), potential, phases
