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

    Raises ``ValueError`` when ``unpaired_limit`` is too small for every unit to find a place.
    """
    ne, nt, k = int(supply.size), int(places.size), int(tail.size)
    total = int(supply.sum())
    if total == 0:
        return Transport(np.zeros(k, np.int64), np.zeros(ne, np.int64), 0)
    # nodes: tutee classes 0..ne-1, tutor classes ne.., U = ne+nt, source, sink
    u, s, t = ne + nt, ne + nt + 1, ne + nt + 2
    nodes = ne + nt + 3
    e_idx = np.arange(ne, dtype=np.int64)
    t_idx = np.arange(nt, dtype=np.int64)
    a_tail = np.concatenate((np.full(ne, s), tail, e_idx, ne + t_idx, [u])).astype(np.int64)
    a_head = np.concatenate((e_idx, ne + head, np.full(ne, u), np.full(nt, t), [t])).astype(np.int64)
    a_cap = np.concatenate((supply, supply[tail], supply, places, [min(unpaired_limit, total)])).astype(np.int64)
    a_cost = np.concatenate((np.zeros(ne), cost, unpaired_cost, np.zeros(nt), [0])).astype(np.int64)
    keep = a_cap > 0
    keep[ne : ne + k] = True  # keep every class edge so the flow comes back aligned with the input
    flow = np.zeros(a_tail.size, dtype=np.int64)
    potential = np.zeros(nodes, dtype=np.int64)
    scale = float(nodes + 1)  # weight = reduced cost * scale + 1: no zero weights, fewest arcs among ties
    sent, phases = 0, 0
    while sent < total:
        phases += 1
        fwd = keep & (flow < a_cap)
        bwd = flow > 0
        rows = np.concatenate((a_tail[fwd], a_head[bwd]))
        cols = np.concatenate((a_head[fwd], a_tail[bwd]))
        reduced = np.concatenate((a_cost[fwd], -a_cost[bwd])) + potential[rows] - potential[cols]
        graph = csr_matrix((reduced * scale + 1.0, (rows, cols)), shape=(nodes, nodes))
        dist = dijkstra(graph, directed=True, indices=s)
        if not np.isfinite(dist[t]):
            raise ValueError("not every unit can be placed")
        d = np.floor(np.minimum(dist, dist[t]) / scale + 1e-9).astype(np.int64)
        potential += d
        rc = np.concatenate((a_cost[fwd], -a_cost[bwd])) + potential[rows] - potential[cols]
        zero = rc == 0
        res_cap = np.concatenate(((a_cap - flow)[fwd], flow[bwd]))
        adm = csr_matrix(
            (np.minimum(res_cap[zero], total).astype(np.int32), (rows[zero], cols[zero])), shape=(nodes, nodes)
        )
        pushed = maximum_flow(adm, s, t, method="dinic")
        if pushed.flow_value == 0:
            raise ValueError("no progress")  # cannot happen with exact potentials; never loop forever
        net = pushed.flow
        delta = np.asarray(net[a_tail, a_head]).reshape(-1).astype(np.int64)
        flow += delta
        sent += int(pushed.flow_value)
    return Transport(flow[ne : ne + k].copy(), flow[ne + k : ne + k + ne].copy(), phases)
