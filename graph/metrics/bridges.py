"""Where to build bridges: how fragile each movement link is, and who could be introduced.

Both functions compare movements by **primary movement**, as every metric of
this package does (see :mod:`graph.metrics`): a group listed in several
movements stands in the first one only. That keeps the tie graph between two
movements bipartite (no group is at both ends of it), so its minimum vertex
cover is its maximum matching (König), and makes ``ties`` here the ``ties``
of :func:`graph.metrics.movement_matrix` for the same pair. Groups without a
movement belong to no pair but still carry paths (``distance``) and count as
common neighbours (introductions).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np
import scipy as sp

from graph._fast.arrays import Arrays, arrays_for
from graph.metrics._common import (
    implementation,
    primary_movements,
    require_simple_undirected,
    shared_parameters,
)

__all__ = [
    "movement_links",
    "introductions",
    "MOVEMENT_LINK_COLUMNS",
    "INTRODUCTION_COLUMNS",
    "DEFAULT_TOP",
    "CRITICAL_SEPARATOR",
]

#: The columns of :func:`movement_links` and of ``movement_links.csv``, in order.
MOVEMENT_LINK_COLUMNS: tuple[str, ...] = (
    "movement_a",
    "movement_b",
    "ties",
    "carriers",
    "cut_size",
    "critical_groups",
    "distance",
)
#: The columns of :func:`introductions` and of ``introductions.csv``, in order.
INTRODUCTION_COLUMNS: tuple[str, ...] = (
    "movement_a",
    "movement_b",
    "group_a",
    "group_b",
    "common_neighbours",
    "adamic_adar",
    "rank",
)
#: Suggested introductions per movement pair unless told otherwise.
DEFAULT_TOP = 5
#: What joins the ids of ``critical_groups`` (as ``movements`` in ``group_metrics``).
CRITICAL_SEPARATOR = ";"
#: Adamic-Adar scores equal to this many decimals rank as equal (sums of the same
#: terms in another order can differ in the last bits).
_DECIMALS = 9
#: Rows of a movement's groups scored at once by the fast backend (memory: rows x groups).
_CHUNK = 256


@shared_parameters
def movement_links(
    G: nx.Graph,
    *,
    movement: str | None = "primary_movement",
    arrays: Arrays | None = None,
) -> list[dict[str, Any]]:
    """How each pair of movements is tied, and how fragile that link is.

    Parameters
    ----------
    %(G, movement)s
    arrays : optional
        ``G`` already converted (:meth:`graph.projection.Ties.arrays`).

    Returns
    -------
    list of dict
        One row per unordered pair ``movement_a < movement_b`` of the primary
        movements present in ``G`` (every pair, tied or not), sorted, with the
        keys of :data:`MOVEMENT_LINK_COLUMNS`:

        * ``ties``: ties between a group of ``movement_a`` and one of ``movement_b``;
        * ``carriers``: distinct groups at either end of one of those ties;
        * ``cut_size``: the fewest groups whose departure leaves no such tie;
        * ``critical_groups``: the groups every one of those ties touches, sorted
          and joined with ``;`` (``""`` when none, or when there are no ties);
        * ``distance``: the fewest hops from any group of one movement to any
          group of the other (1 when tied), ``None`` when unreachable.

    Notes
    -----
    The ties between two movements form a bipartite graph; ``cut_size`` is its
    minimum vertex cover, which König's theorem equates with its maximum
    matching (Hopcroft-Karp). With no ties it is 0. A group is critical when
    removing it alone cuts the link: a single tie makes both its ends
    critical; ties fanning out of one group make that group critical; two
    disjoint ties leave none. Paths for ``distance`` may run through any
    group, groups without a movement included. Self-loops are ignored.

    References
    ----------
    .. [1] König, D. (1931). Gráfok és mátrixok. *Matematikai és Fizikai
       Lapok* 38, 116-119.
    .. [2] Hopcroft, J. E., Karp, R. M. (1973). An n^5/2 algorithm for maximum
       matchings in bipartite graphs. *SIAM J. Computing* 2(4), 225-231.

    Examples
    --------
    Housing (h1, h2) reaches disability (d1, d2) only through h1; labour (l1)
    hangs off d2:

    >>> G = nx.Graph([("h1", "d1"), ("h1", "d2"), ("h2", "h1"), ("d2", "l1")])
    >>> nx.set_node_attributes(G, {"h1": "housing", "h2": "housing", "d1": "disability",
    ...                            "d2": "disability", "l1": "labour"}, "primary_movement")
    >>> [(r["movement_a"], r["movement_b"], r["ties"], r["cut_size"], r["critical_groups"],
    ...   r["distance"]) for r in movement_links(G)]
    [('disability', 'housing', 2, 1, 'h1', 1), ('disability', 'labour', 1, 1, 'd2;l1', 1), \
('housing', 'labour', 0, 0, '', 2)]
    """
    require_simple_undirected(G)
    arrays = arrays_for(G, None, arrays)
    nodes = arrays.nodes
    movements, codes = _codes(G, movement)
    u, v, _ = arrays.edges
    cu, cv = codes[u], codes[v]
    cross = (cu >= 0) & (cv >= 0) & (cu != cv)
    u, v, cu, cv = u[cross], v[cross], cu[cross], cv[cross]
    # orient each tie from the lower movement's group to the higher's
    swap = cu > cv
    u, v = np.where(swap, v, u), np.where(swap, u, v)
    cu, cv = np.minimum(cu, cv), np.maximum(cu, cv)
    size = len(movements)
    key = cu.astype(np.int64) * size + cv
    order = np.argsort(key, kind="stable")
    key, u, v = key[order], u[order], v[order]
    bounds = np.searchsorted(key, np.arange(size * size + 1))
    distance = _movement_distances(arrays, codes, size)
    rows = []
    for i in range(size):
        for j in range(i + 1, size):
            lo, hi = bounds[i * size + j], bounds[i * size + j + 1]
            rows.append(
                {
                    "movement_a": movements[i],
                    "movement_b": movements[j],
                    **_link(nodes, u[lo:hi], v[lo:hi]),
                    "distance": distance[i][j],
                }
            )
    return rows


@shared_parameters
def introductions(
    G: nx.Graph,
    *,
    top: int = DEFAULT_TOP,
    movement: str | None = "primary_movement",
    backend: str = "fast",
    arrays: Arrays | None = None,
) -> list[dict[str, Any]]:
    """Pairs of groups in different movements who share partners but are not tied.

    Parameters
    ----------
    %(G)s
    top : int, optional
        At most this many suggestions per pair of movements.
    %(movement, backend)s
    arrays : optional
        ``G`` already converted (:meth:`graph.projection.Ties.arrays`).

    Returns
    -------
    list of dict
        Rows with the keys of :data:`INTRODUCTION_COLUMNS`, sorted by
        ``(movement_a, movement_b, rank)``: ``group_a`` of ``movement_a`` and
        ``group_b`` of ``movement_b`` (``movement_a < movement_b``), not tied,
        with ``common_neighbours`` >= 1 partners in common and their
        Adamic-Adar index ``adamic_adar``; ``rank`` counts from 1 within the
        pair. Pairs of movements with no candidate have no rows.

    Notes
    -----
    The Adamic-Adar index of ``a`` and ``b`` is ``sum(1 / log(degree(w)))``
    over their common neighbours ``w`` (every ``w`` has degree >= 2), on the
    whole coalition graph, unweighted. Candidates are ranked by it (scores
    equal to 9 decimals are equal), then by the number of common neighbours,
    then by ``group_a`` and ``group_b``. Only pairs that share a neighbour are
    scored: the fast backend multiplies sparse adjacency rows (one movement's
    groups at a time), the networkx one walks each group's neighbour pairs.
    Self-loops are ignored.

    References
    ----------
    .. [1] Adamic, L. A., Adar, E. (2003). Friends and neighbors on the Web.
       *Social Networks* 25(3), 211-230.
    .. [2] Liben-Nowell, D., Kleinberg, J. (2007). The link-prediction problem
       for social networks. *JASIST* 58(7), 1019-1031.

    Examples
    --------
    ``a`` (housing) and ``b`` (labour) both work with ``w`` and ``x``; ``c``
    (labour) only with ``w``:

    >>> G = nx.Graph([("a", "w"), ("b", "w"), ("c", "w"), ("a", "x"), ("b", "x")])
    >>> nx.set_node_attributes(G, {"a": "housing", "b": "labour", "c": "labour"},
    ...                        "primary_movement")
    >>> [(r["group_a"], r["group_b"], r["common_neighbours"], round(r["adamic_adar"], 4),
    ...   r["rank"]) for r in introductions(G)]
    [('a', 'b', 2, 2.3529, 1), ('a', 'c', 1, 0.9102, 2)]
    """
    run = implementation(G, backend, _introductions_fast, _introductions_networkx)
    if top < 1:
        from graph.errors import UsageError

        raise UsageError(f"top must be at least 1, not {top}")
    found = run(G, movement, top, arrays=arrays)
    rows = []
    for (a, b), candidates in sorted(found.items()):
        for rank, (ga, gb, cn, aa) in enumerate(candidates, 1):
            rows.append(
                {
                    "movement_a": a,
                    "movement_b": b,
                    "group_a": ga,
                    "group_b": gb,
                    "common_neighbours": cn,
                    "adamic_adar": aa,
                    "rank": rank,
                }
            )
    return rows


# -- helpers -------------------------------------------------------------------------------


def _codes(G: nx.Graph, movement: str | None) -> tuple[list[Any], np.ndarray]:
    """The sorted primary movements, and each node's index among them (-1 for none)."""
    primary = primary_movements(G, movement)
    movements = sorted({m for m in primary.values() if m is not None})
    position = {m: i for i, m in enumerate(movements)}
    codes = np.fromiter(
        (position[m] if m is not None else -1 for m in primary.values()),
        dtype=np.int64,
        count=len(primary),
    )
    return movements, codes


def _link(nodes: list[Hashable], u: np.ndarray, v: np.ndarray) -> dict[str, Any]:
    """ties, carriers, cut_size, critical_groups of one movement pair's ties ``u[k]-v[k]``."""
    ties = len(u)
    if ties == 0:
        return {"ties": 0, "carriers": 0, "cut_size": 0, "critical_groups": ""}
    ends, touches = np.unique(np.concatenate((u, v)), return_counts=True)
    critical = sorted(nodes[i] for i in ends[touches == ties].tolist())
    B = nx.Graph()
    left = np.unique(u).tolist()
    B.add_nodes_from(left)
    B.add_edges_from(zip(u.tolist(), v.tolist(), strict=True))
    matching = nx.bipartite.hopcroft_karp_matching(B, top_nodes=left)
    return {
        "ties": ties,
        "carriers": len(ends),
        "cut_size": len(matching) // 2,  # the matching maps both ends of each pair
        "critical_groups": CRITICAL_SEPARATOR.join(map(str, critical)),
    }


def _movement_distances(arrays: Arrays, codes: np.ndarray, size: int) -> list[list[int | None]]:
    """``distance[i][j]`` (i < j): fewest hops between movements i and j, None if unreachable."""
    S = arrays.simple
    adjacency = sp.sparse.csr_array(
        (np.ones(len(S.data), dtype=np.int8), S.indices, S.indptr), shape=S.shape
    )
    distance: list[list[int | None]] = [[None] * size for _ in range(size)]
    for i in range(size - 1):
        hops = np.full(arrays.n, -1, dtype=np.int64)
        frontier = codes == i
        hops[frontier] = 0
        level = 0
        while frontier.any():
            level += 1
            reached = (adjacency @ frontier.astype(np.int8)) > 0
            frontier = reached & (hops < 0)
            hops[frontier] = level
        for j in range(i + 1, size):
            reach = hops[(codes == j) & (hops >= 0)]
            distance[i][j] = int(reach.min()) if len(reach) else None
    return distance


def _ranked(candidates: list[tuple], top: int) -> list[tuple]:
    """The first ``top`` of ``(group_a, group_b, common, score)`` in the ranking's order."""
    candidates.sort(key=lambda c: (-round(c[3], _DECIMALS), -c[2], c[0], c[1]))
    return candidates[:top]


def _introductions_networkx(G, movement, top, *, arrays=None):
    """(movement_a, movement_b) -> ranked candidates, walking every group's neighbour pairs."""
    primary = primary_movements(G, movement)
    found: defaultdict[tuple, dict[tuple, list]] = defaultdict(dict)
    for w in G:
        partners = [x for x in G[w] if x != w]
        if len(partners) < 2:
            continue
        share = 1 / math.log(len(partners))
        for i, p in enumerate(partners):
            for q in partners[i + 1 :]:
                mp, mq = primary[p], primary[q]
                if mp is None or mq is None or mp == mq or G.has_edge(p, q):
                    continue
                a, b = (p, q) if mp < mq else (q, p)
                entry = found[(primary[a], primary[b])].setdefault((a, b), [0, 0.0])
                entry[0] += 1
                entry[1] += share
    return {
        pair: _ranked([(a, b, cn, aa) for (a, b), (cn, aa) in pairs.items()], top)
        for pair, pairs in found.items()
    }


def _introductions_fast(G, movement, top, *, arrays=None):
    """(movement_a, movement_b) -> ranked candidates, from sparse products of adjacency rows."""
    arrays = arrays_for(G, None, arrays)
    nodes = arrays.nodes
    movements, codes = _codes(G, movement)
    S = arrays.simple
    adjacency = sp.sparse.csr_array(
        (np.ones(len(S.data)), S.indices, S.indptr), shape=S.shape
    ).astype(np.float64)
    degree = arrays.degree
    share = np.zeros(arrays.n)
    many = degree >= 2
    share[many] = 1 / np.log(degree[many])
    weighted = adjacency @ sp.sparse.dia_array((share, 0), shape=S.shape)
    weighted = sp.sparse.csr_array(weighted)
    found: dict[tuple, list] = {}
    for i in range(len(movements)):
        rows = np.flatnonzero(codes == i)
        later = [np.flatnonzero(codes == j) for j in range(i + 1, len(movements))]
        if not len(rows) or not later:
            continue
        columns = np.concatenate(later)
        starts = np.cumsum([0] + [len(c) for c in later])
        to_columns = sp.sparse.csc_array(adjacency[:, columns])  # symmetric: rows' partners
        kept: dict[int, list] = defaultdict(list)
        for chunk in range(0, len(rows), _CHUNK):
            part = rows[chunk : chunk + _CHUNK]
            common = (adjacency[part] @ to_columns).toarray()
            score = (weighted[part] @ to_columns).toarray()
            tied = adjacency[part][:, columns].toarray() > 0
            score[(common == 0) | tied] = -np.inf
            for k in range(len(later)):
                block = score[:, starts[k] : starts[k + 1]]
                picked = _best(block, top)
                if not len(picked[0]):
                    continue
                r, c = picked
                kept[k].extend(
                    (
                        nodes[part[x]],
                        nodes[columns[starts[k] + y]],
                        int(common[x, starts[k] + y]),
                        float(block[x, y]),
                    )
                    for x, y in zip(r.tolist(), c.tolist(), strict=True)
                )
                kept[k] = _ranked(kept[k], top)
        for k, candidates in kept.items():
            found[(movements[i], movements[i + 1 + k])] = candidates
    return found


def _best(block: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the valid scores that can be among the ``top`` best (ties kept)."""
    flat = np.round(block.ravel(), _DECIMALS)
    valid = np.isfinite(flat)
    if valid.sum() > top:
        threshold = np.partition(flat[valid], -top)[-top]
        valid &= flat >= threshold
    return np.unravel_index(np.flatnonzero(valid), block.shape)
