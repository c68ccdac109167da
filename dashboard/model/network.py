"""The coalition graph as arrays, and the network page's filters on it.

A browser draws a few thousand Cytoscape elements before it stalls, and the
coalition graph may have 10,000 groups and 400,000 ties. :class:`NetworkIndex`
holds the coalition graph as numpy arrays, built once per date window;
:meth:`NetworkIndex.select` applies the page's filters (tie types, minimum
weight, movements, ego view) in milliseconds and returns a
:class:`Selection` — the same groups and ties as :func:`filter_graph`, the
readable networkx reference kept beside it.

Tie types are named by their short names (``members``, ``actions``,
``resources``; :data:`graph.schema.TIE_BY_SHORT`), as in the URL.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import sparse

from graph._fast.cuts import components_kept
from graph.errors import NotFound
from graph.projection import Ties
from graph.schema import TIE_BY_SHORT

__all__ = ["NetworkIndex", "Selection", "filter_graph", "size_values"]


@dataclass(frozen=True)
class Selection:
    """Groups and ties a network view shows: boolean masks over a :class:`NetworkIndex`.

    ``shown`` is each tie's weight over the chosen tie types (as
    ``shown_weight`` of :func:`filter_graph`).
    """

    nodes: np.ndarray
    edges: np.ndarray
    shown: np.ndarray
    focus: int | None = None

    @property
    def n_nodes(self) -> int:
        return int(self.nodes.sum())

    @property
    def n_edges(self) -> int:
        return int(self.edges.sum())


class NetworkIndex:
    """The coalition graph as arrays: nodes in id order, each tie once with its counts.

    Attributes
    ----------
    G : networkx.Graph
        The graph indexed (node data are read from it when drawing).
    nodes : list
        Group ids, sorted as text; a group's index is its place here.
    movement_ids : list
        Every movement of a group, sorted; ``primary`` holds codes into it (-1: none).
    u, v : numpy.ndarray
        Each tie's two groups (``u < v``), ties sorted by ``(u, v)``.
    counts : dict
        Per tie type (``members``, ``actions``, ``resources``), each tie's count.
    degree, strength : numpy.ndarray
        Per group, over the whole graph.
    """

    def __init__(self, G: nx.Graph):
        nodes = sorted(G, key=str)
        position = {node: i for i, node in enumerate(nodes)}
        m = G.number_of_edges()
        u = np.empty(m, np.int64)
        v = np.empty(m, np.int64)
        columns = {t: np.zeros(m, np.int64) for t in TIE_BY_SHORT}
        weight = np.zeros(m, np.float64)
        for k, (a, b, d) in enumerate(G.edges(data=True)):
            i, j = position[a], position[b]
            u[k], v[k] = (i, j) if i <= j else (j, i)
            for t, kind in TIE_BY_SHORT.items():
                columns[t][k] = int(d.get(kind, 0) or 0)
            weight[k] = float(d.get("weight", 1) or 0)
        order = np.lexsort((v, u))
        self._setup(
            nodes,
            [dict(G.nodes[node]) for node in nodes],
            u[order],
            v[order],
            {t: c[order] for t, c in columns.items()},
            weight[order],
        )

    @classmethod
    def from_ties(cls, ties: Ties) -> NetworkIndex:
        """The index of ``ties.graph()``, built from the arrays (no networkx graph needed)."""
        index = cls.__new__(cls)
        columns = {t: ties.counts[:, Ties.COLUMNS.index(kind)] for t, kind in TIE_BY_SHORT.items()}
        if ties.groups != sorted(ties.groups, key=str):  # as __init__ orders the nodes
            raise ValueError("Ties.groups must be sorted as text")
        index._setup(list(ties.groups), list(ties.node_data), ties.u, ties.v, columns, ties.weight)
        return index

    def _setup(self, nodes, data, u, v, columns, weight) -> None:
        self.nodes: list = nodes
        self.position = {node: i for i, node in enumerate(self.nodes)}
        n = len(self.nodes)
        self._data = data
        memberships = [list(d.get("movements") or []) for d in data]
        primaries = [d.get("primary_movement") for d in data]
        self.movement_ids = sorted(
            {m for ms in memberships for m in ms} | {p for p in primaries if p}
        )
        self.code = {m: i for i, m in enumerate(self.movement_ids)}
        self.primary = np.array([self.code.get(p, -1) if p else -1 for p in primaries], np.int64)
        self.in_movement = np.zeros((n, max(1, len(self.movement_ids))), dtype=bool)
        for i, ms in enumerate(memberships):
            for m in ms:
                self.in_movement[i, self.code[m]] = True
        self.names = [str(d.get("name") or node) for node, d in zip(self.nodes, data, strict=True)]
        self._folded = [
            (name.casefold(), str(node).casefold())
            for node, name in zip(self.nodes, self.names, strict=True)
        ]
        m = len(u)
        self.u, self.v = np.asarray(u, np.int64), np.asarray(v, np.int64)
        self.counts = {t: np.asarray(c, np.int64) for t, c in columns.items()}
        self.weight = np.asarray(weight, np.float64)
        self.degree = np.bincount(self.u, minlength=n) + np.bincount(self.v, minlength=n)
        self.strength = np.bincount(self.u, self.weight, minlength=n) + np.bincount(
            self.v, self.weight, minlength=n
        )
        self.components = components_kept(n, self.u, self.v)[0]
        # Each group's ties, as a sparse matrix holding tie index + 1.
        ids = np.arange(1, m + 1, dtype=np.int64)
        self._adjacency = sparse.csr_matrix(
            (
                np.concatenate([ids, ids]),
                (np.concatenate([self.u, self.v]), np.concatenate([self.v, self.u])),
            ),
            shape=(n, n),
        )

    def node_data(self, i: int) -> dict:
        """Group ``i``'s node attributes (``name``, ``movements``, ``primary_movement``...)."""
        return self._data[i]

    def cross_count(self) -> int:
        """Ties whose two groups have different primary movements (none is its own)."""
        pu, pv = self.primary[self.u], self.primary[self.v]
        return int(np.count_nonzero((pu != pv) | (pu < 0) | (pv < 0)))

    def cross_share(self) -> float | None:
        """The share of ties whose two groups have different primary movements (None: no ties).

        As ``cross_movement_tie_share`` of :func:`graph.metrics.network_summary`:
        a group without a movement is a movement of its own.
        """
        return self.cross_count() / len(self.u) if len(self.u) else None

    def __len__(self) -> int:
        return len(self.nodes)

    def select(
        self,
        *,
        ties: Iterable[str] = tuple(TIE_BY_SHORT),
        min_weight: float = 0,
        movements: Iterable[str] | None = None,
        focus: str | None = None,
        hops: int = 1,
    ) -> Selection:
        """The groups and ties :func:`filter_graph` keeps, as masks.

        Raises
        ------
        graph.errors.NotFound
            If ``focus`` is not a group of the graph.
        """
        chosen = set(ties)
        shown = np.zeros(len(self.u), np.int64)
        for t in TIE_BY_SHORT:
            if t in chosen:
                shown += self.counts[t]
        edges = (shown > 0) & (shown >= min_weight)
        keep = np.ones(len(self.nodes), dtype=bool)
        f = None
        if focus:
            if focus not in self.position:
                raise NotFound(f"no group with id {focus!r} in this window")
            f = self.position[focus]
            keep = self._reach(f, edges, max(1, int(hops)))
        wanted = set(movements or ())
        if wanted:
            columns = [self.code[m] for m in sorted(wanted) if m in self.code]
            in_any = (
                self.in_movement[:, columns].any(axis=1)
                if columns
                else np.zeros(len(self.nodes), dtype=bool)
            )
            if f is not None:
                in_any[f] = True
            keep &= in_any
        edges &= keep[self.u] & keep[self.v]
        return Selection(keep, edges, shown, f)

    def _reach(self, start: int, edges: np.ndarray, hops: int) -> np.ndarray:
        """Groups within ``hops`` of ``start`` over the ties in ``edges``."""
        reach = np.zeros(len(self.nodes), dtype=bool)
        reach[start] = True
        frontier = np.array([start])
        for _ in range(hops):
            rows = self._adjacency[frontier]
            usable = edges[rows.data - 1]
            found = np.unique(rows.indices[usable])
            found = found[~reach[found]]
            if not len(found):
                break
            reach[found] = True
            frontier = found
        return reach

    def matches(self, term: str) -> np.ndarray:
        """Indices of groups whose name or id contains ``term`` (case-insensitive)."""
        term = (term or "").strip().casefold()
        if not term:
            return np.zeros(0, np.int64)
        return np.array(
            [i for i, (name, gid) in enumerate(self._folded) if term in name or term in gid],
            dtype=np.int64,
        )

    def subgraph(self, nodes: np.ndarray, edges: np.ndarray, shown: np.ndarray) -> nx.Graph:
        """A networkx graph of the groups ``nodes`` and the ties ``edges`` (index arrays)."""
        H = nx.Graph()
        H.add_nodes_from((self.nodes[i], self._data[i]) for i in nodes.tolist())
        for k in edges.tolist():
            attrs = {kind: int(self.counts[t][k]) for t, kind in TIE_BY_SHORT.items()}
            H.add_edge(
                self.nodes[self.u[k]],
                self.nodes[self.v[k]],
                **attrs,
                weight=float(self.weight[k]),
                shown_weight=int(shown[k]),
            )
        return H


def filter_graph(
    G: nx.Graph,
    *,
    ties: Iterable[str] = tuple(TIE_BY_SHORT),
    min_weight: float = 0,
    movements: Iterable[str] | None = None,
    focus: str | None = None,
    hops: int = 1,
) -> nx.Graph:
    """The part of the coalition graph a network view shows.

    An edge is kept when the sum of its counts over the chosen tie ``ties``
    (``shown_weight``) is positive and at least ``min_weight``. With
    ``focus``, only groups within ``hops`` of it over the kept edges remain
    (the ego view). With ``movements``, only groups in at least one of those
    movements remain (the focus group always stays). Nodes keep their
    attributes; isolated groups stay.

    Raises
    ------
    graph.errors.NotFound
        If ``focus`` is not a group of ``G``.
    """
    chosen = [t for t in TIE_BY_SHORT if t in set(ties)]
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, d in G.edges(data=True):
        shown = sum(int(d.get(TIE_BY_SHORT[t], 0) or 0) for t in chosen)
        if shown > 0 and shown >= min_weight:
            H.add_edge(u, v, **d, shown_weight=shown)
    keep = set(H)
    if focus:
        if focus not in H:
            raise NotFound(f"no group with id {focus!r} in this window")
        keep = set(nx.ego_graph(H, focus, radius=max(1, int(hops))))
    wanted = set(movements or ())
    if wanted:
        keep = {
            n for n in keep if n == focus or wanted.intersection(H.nodes[n].get("movements") or [])
        }
    return H.subgraph(keep).copy()


def size_values(
    index: NetworkIndex, size: str, metrics: Mapping[str, Mapping] | None
) -> np.ndarray:
    """Per group (index order), the metric the nodes are sized by; undefined is 0.

    ``degree`` and ``strength`` come from the graph itself; the others from
    ``metrics`` (group metric rows by id), which may then not be None.
    """
    if size == "degree":
        return index.degree.astype(np.float64)
    if size == "strength":
        return index.strength.astype(np.float64)
    if metrics is None:
        raise ValueError(f"sizing by {size!r} needs the group metrics")
    out = np.zeros(len(index.nodes), np.float64)
    for i, node in enumerate(index.nodes):
        value = (metrics.get(node) or {}).get(size)
        try:
            x = float(value) if value is not None else 0.0
        except (TypeError, ValueError):
            x = 0.0
        out[i] = x if x > 0 and math.isfinite(x) else 0.0
    return out
