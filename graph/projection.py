"""The coalition graph: groups tied by shared members, joint actions and shared resources.

The tie counts are the one-mode projection of the group–item affiliations,
``B Bᵀ`` for each group × item incidence matrix ``B`` — networkx's
``bipartite.weighted_projected_graph`` (Newman 2001) as one sparse product per
tie kind. :func:`coalition_ties` gives them as arrays (:class:`Ties`);
:func:`coalition_graph` as the networkx graph every metric takes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import compress

import networkx as nx
import numpy as np
from scipy import sparse

from graph._fast.arrays import Arrays
from graph.coalition import Coalition
from graph.errors import UsageError
from graph.schema import TIE_KINDS, TIE_SHORT

__all__ = [
    "coalition_graph",
    "coalition_graph_with_arrays",
    "coalition_ties",
    "Ties",
    "DEFAULT_WEIGHTS",
    "parse_weights",
]

#: The weight of each tie kind, by its short name, unless told otherwise.
DEFAULT_WEIGHTS: dict[str, float] = dict.fromkeys(TIE_SHORT.values(), 1.0)


def parse_weights(text: str | None) -> dict[str, float]:
    """Parse ``members=1,actions=0.5,resources=0`` into a weights dict."""
    weights = dict(DEFAULT_WEIGHTS)
    if not text:
        return weights
    for part in text.split(","):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in weights:
            raise UsageError(
                f"--weights: {part!r} is not one of members=, actions=, resources= with a number"
            )
        try:
            weights[key] = float(value)
        except ValueError:
            raise UsageError(f"--weights: {value!r} for {key} is not a number") from None
        if weights[key] < 0:
            raise UsageError(f"--weights: {key} must not be negative")
    return weights


def coalition_graph(
    coalition: Coalition,
    *,
    weights: Mapping[str, float] | None = None,
    movements: Iterable[str] | None = None,
) -> nx.Graph:
    """Build the undirected group–group coalition graph.

    Two groups are tied when they share at least one member, took part in the
    same action, or share the same resource. Each tie carries
    ``shared_members``, ``joint_actions``, ``shared_resources`` and ``weight``
    (their weighted sum). A tie type whose weight is 0 makes no ties. Every
    group is a node, isolated ones too, with ``name``, ``movements`` and
    ``primary_movement``.

    Parameters
    ----------
    coalition : Coalition
    weights : mapping, optional
        ``{"members": w, "actions": w, "resources": w}``; all 1 by default.
    movements : iterable of str, optional
        Keep only groups in at least one of these movements.

    Notes
    -----
    The counts are sparse products ``B Bᵀ`` of group × item incidence
    matrices, so building the graph is fast at any size.
    """
    return coalition_ties(coalition, weights=weights, movements=movements).graph()


def coalition_graph_with_arrays(
    coalition: Coalition,
    *,
    weights: Mapping[str, float] | None = None,
    movements: Iterable[str] | None = None,
) -> tuple[nx.Graph, Arrays]:
    """:func:`coalition_graph`, and the same graph converted for the metrics (``arrays=``).

    The arrays (weighted by ``weight``) come from the same sparse products as
    the graph, so the metric suite can skip converting it.
    """
    ties = coalition_ties(coalition, weights=weights, movements=movements)
    return ties.graph(), ties.arrays()


@dataclass(frozen=True)
class Ties:
    """The coalition graph as arrays: what :func:`coalition_graph` holds, without networkx.

    ``groups`` are the group ids, sorted; ``node_data`` their node attributes
    (``name``, ``movements``, ``primary_movement``). Tie ``k`` joins
    ``groups[u[k]]`` and ``groups[v[k]]`` (``u < v``; ties sorted by
    ``(u, v)``), with ``counts[k]`` its shared members, joint actions and
    shared resources and ``weight[k]`` their weighted sum.
    """

    groups: list[str]
    node_data: list[dict]
    u: np.ndarray
    v: np.ndarray
    counts: np.ndarray
    weight: np.ndarray

    #: The edge attribute of each column of ``counts``.
    COLUMNS = TIE_KINDS

    def graph(self) -> nx.Graph:
        """The networkx graph of :func:`coalition_graph`."""
        G = nx.Graph()
        G.add_nodes_from(zip(self.groups, self.node_data, strict=True))
        ids = self.groups
        G.add_edges_from(
            (
                ids[a],
                ids[b],
                {"shared_members": m, "joint_actions": j, "shared_resources": r, "weight": w},
            )
            for a, b, m, j, r, w in zip(
                self.u.tolist(),
                self.v.tolist(),
                self.counts[:, 0].tolist(),
                self.counts[:, 1].tolist(),
                self.counts[:, 2].tolist(),
                self.weight.tolist(),
                strict=True,
            )
        )
        return G

    def arrays(self) -> Arrays:
        """The graph converted for the metrics' fast backend (``arrays=``), without networkx."""
        return Arrays.from_ties(self.groups, self.u, self.v, self.weight, "weight")


def coalition_ties(
    coalition: Coalition,
    *,
    weights: Mapping[str, float] | None = None,
    movements: Iterable[str] | None = None,
) -> Ties:
    """The ties of :func:`coalition_graph` as :class:`Ties` arrays (same parameters)."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    incidence, since, until = coalition._links()
    wanted = set(movements) if movements else None
    if wanted is None:
        kept = np.ones(len(incidence.groups), dtype=bool)
        group_ids, node_data = list(incidence.groups), list(incidence.node_data)
    else:
        kept = np.array(
            [bool(wanted.intersection(d["movements"])) for d in incidence.node_data], dtype=bool
        ).reshape(-1)
        group_ids = list(compress(incidence.groups, kept.tolist()))
        node_data = list(compress(incidence.node_data, kept.tolist()))
    n = len(group_ids)
    renumber = np.full(len(incidence.groups) + 1, -1, dtype=np.int64)  # [-1] stays -1
    renumber[np.flatnonzero(kept)] = np.arange(n)
    kinds = tuple(TIE_SHORT.values())
    uppers = {}
    for kind in kinds:
        if weights[kind] != 0:
            groups, items, count = incidence.links(kind, since, until)
            uppers[kind] = _co_occurrence(n, renumber[groups], items, count)
    u, v, counts = _combine(n, [uppers.get(kind) for kind in kinds])
    weight = counts @ np.array([weights[k] for k in kinds], dtype=float)
    return Ties(group_ids, node_data, u, v, counts, weight)


def _co_occurrence(n: int, rows: np.ndarray, cols: np.ndarray, items: int) -> sparse.csr_matrix:
    """Upper triangle of ``B Bᵀ`` for the ``n`` × ``items`` incidence ``B`` of these links.

    Links of rows -1 (groups left out) are dropped; a repeated link counts once.
    """
    kept = rows >= 0
    B = sparse.csr_matrix(
        (np.ones(int(kept.sum()), dtype=np.int64), (rows[kept], cols[kept])), shape=(n, items)
    )
    B.data[:] = 1  # duplicates count once
    return sparse.triu(B @ B.T, k=1, format="csr")


# Counts below 2**21 pack three to an int64, so one sparse sum lines the three up.
_PACK = 21


def _combine(
    n: int, uppers: list[sparse.csr_matrix | None]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs tied by any of the upper triangles, sorted, and their three counts."""
    present = [(slot, U) for slot, U in enumerate(uppers) if U is not None and U.nnz]
    if not present:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros((0, 3), dtype=np.int64)
    if max(int(U.data.max()) for _, U in present) < 2**_PACK:
        total = sparse.csr_matrix((n, n), dtype=np.int64)
        for slot, U in present:
            total = total + U * (1 << (_PACK * (2 - slot)))
        total.sum_duplicates()  # sorted columns in each row (a no-op when already so)
        packed = total.data.astype(np.int64)
        counts = np.empty((len(packed), 3), dtype=np.int64)
        for slot in range(3):
            counts[:, slot] = (packed >> (_PACK * (2 - slot))) & ((1 << _PACK) - 1)
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(total.indptr))
        return rows, total.indices.astype(np.int64), counts
    keys, slots, values = [], [], []  # huge counts: line them up by sorting
    for slot, U in present:
        U = U.tocoo()
        keys.append(U.row.astype(np.int64) * n + U.col)
        slots.append(np.full(U.nnz, slot, dtype=np.int8))
        values.append(U.data.astype(np.int64))
    pairs = np.unique(np.concatenate(keys))
    counts = np.zeros((len(pairs), 3), dtype=np.int64)
    counts[np.searchsorted(pairs, np.concatenate(keys)), np.concatenate(slots)] = np.concatenate(
        values
    )
    return pairs // n, pairs % n, counts
