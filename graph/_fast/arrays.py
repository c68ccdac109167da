"""The graph as arrays: built once, shared by every kernel."""

from __future__ import annotations

import logging
from collections.abc import Hashable
from functools import cached_property
from itertools import chain, compress
from operator import methodcaller
from typing import Any

import networkx as nx
import numpy as np
import scipy as sp

log = logging.getLogger(__name__)


class Arrays:
    """A networkx graph as arrays, built once and shared by the kernels.

    Node ``i`` is the ``i``-th node of ``G`` in its own order. ``matrix`` is
    the weighted adjacency matrix exactly as ``nx.to_scipy_sparse_array``
    builds it (a self-loop once on the diagonal, a missing weight counts 1,
    ``weight=None`` makes every entry 1), in CSR form with sorted columns.
    Everything else (the matrix without self-loops, the edge list, the igraph
    graph, components) is derived from it on first use.
    """

    def __init__(self, G: nx.Graph, weight: str | None = "weight") -> None:
        self.nodes: list[Hashable] = list(G)
        self.n = n = len(self.nodes)
        self.weight = weight
        index = {u: i for i, u in enumerate(self.nodes)}
        nbrdicts = [nbrs for _, nbrs in G.adjacency()]
        counts = np.fromiter(map(len, nbrdicts), dtype=np.int64, count=n)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        arcs = int(indptr[-1])
        indices = np.fromiter(
            map(index.__getitem__, chain.from_iterable(nbrdicts)), dtype=np.int32, count=arcs
        )
        data = np.ones(arcs) if weight is None else _weights(nbrdicts, indices, counts, weight)
        matrix = sp.sparse.csr_array((data, indices, indptr), shape=(n, n))
        matrix.sort_indices()
        self.matrix = matrix
        self.cache: dict[str, Any] = {}

    @classmethod
    def from_edges(cls, n: int, u: np.ndarray, v: np.ndarray) -> Arrays:
        """Unweighted arrays of nodes ``0 .. n-1`` and ties ``u[i] - v[i]`` (no loops)."""
        arrays = cls.__new__(cls)
        arrays.nodes = list(range(n))
        arrays.n = n
        arrays.weight = None
        rows = np.concatenate((u, v)).astype(np.int32)
        cols = np.concatenate((v, u)).astype(np.int32)
        arrays.matrix = sp.sparse.coo_array(
            (np.ones(len(rows)), (rows, cols)), shape=(n, n)
        ).tocsr()
        arrays.matrix.sort_indices()
        arrays.cache = {}
        return arrays

    @classmethod
    def from_ties(
        cls,
        nodes: list[Hashable],
        u: np.ndarray,
        v: np.ndarray,
        w: np.ndarray,
        weight: str | None = "weight",
    ) -> Arrays:
        """Arrays of ``nodes`` and ties ``nodes[u[i]] - nodes[v[i]]`` of weight ``w[i]``.

        The same arrays as ``Arrays(G, weight)`` for the graph ``G`` with those
        nodes (in that order) and ties, without going through networkx. The
        ties must be distinct, with ``u < v``.
        """
        arrays = cls.__new__(cls)
        arrays.nodes = list(nodes)
        arrays.n = n = len(arrays.nodes)
        arrays.weight = weight
        rows = np.concatenate((u, v)).astype(np.int32)
        cols = np.concatenate((v, u)).astype(np.int32)
        data = np.concatenate((w, w)).astype(float) if weight is not None else np.ones(len(rows))
        arrays.matrix = sp.sparse.coo_array((data, (rows, cols)), shape=(n, n)).tocsr()
        arrays.matrix.sort_indices()
        arrays.cache = {}
        return arrays

    def unweighted(self) -> Arrays:
        """The same graph with every tie of weight 1 (``Arrays(G, None)``)."""
        arrays = Arrays.__new__(Arrays)
        arrays.nodes, arrays.n, arrays.weight, arrays.cache = self.nodes, self.n, None, {}
        A = self.matrix
        arrays.matrix = sp.sparse.csr_array(
            (np.ones(len(A.data)), A.indices, A.indptr), shape=A.shape
        )
        return arrays

    # -- derived views -----------------------------------------------------

    @cached_property
    def loops(self) -> np.ndarray:
        """Node -> whether it has a self-loop."""
        return self._diagonal_mask_rows()[0]

    @cached_property
    def loop_weight(self) -> np.ndarray:
        """Node -> weight of its self-loop (0 without one)."""
        return self._diagonal_mask_rows()[1]

    def _diagonal_mask_rows(self) -> tuple[np.ndarray, np.ndarray]:
        A = self.matrix
        rows = np.repeat(np.arange(self.n), np.diff(A.indptr))
        on_diag = A.indices == rows
        has = np.zeros(self.n, dtype=bool)
        has[rows[on_diag]] = True
        weight = np.zeros(self.n)
        weight[rows[on_diag]] = A.data[on_diag]
        return has, weight

    @cached_property
    def simple(self) -> sp.sparse.csr_array:
        """The weighted adjacency matrix without self-loops (explicit zeros kept)."""
        A = self.matrix
        if not self.loops.any():
            return A
        rows = np.repeat(np.arange(self.n), np.diff(A.indptr))
        keep = A.indices != rows
        indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows[keep], minlength=self.n), out=indptr[1:])
        return sp.sparse.csr_array((A.data[keep], A.indices[keep], indptr), shape=A.shape)

    @cached_property
    def degree(self) -> np.ndarray:
        """Number of neighbours, self excluded."""
        return np.diff(self.simple.indptr)

    @cached_property
    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each tie once, ``(u, v, weight)`` with ``u < v``; self-loops left out."""
        S = self.simple
        rows = np.repeat(np.arange(self.n, dtype=np.int32), np.diff(S.indptr))
        upper = rows < S.indices
        return rows[upper], S.indices[upper], S.data[upper]

    @cached_property
    def igraph(self):
        """The ties as an undirected igraph graph on vertices ``0 .. n-1``."""

        u, v, _ = self.edges
        return _igraph_graph(self.n, u, v)

    @cached_property
    def components(self) -> np.ndarray:
        """Node -> connected component label."""
        if self.n == 0:
            return np.zeros(0, dtype=np.int32)
        return sp.sparse.csgraph.connected_components(self.simple, directed=False)[1]


def arrays_for(G: nx.Graph, weight: str | None, arrays: Arrays | None = None) -> Arrays:
    """``G`` as arrays weighted by ``weight``: ``arrays`` itself when given, or derived from it.

    ``arrays`` is the graph already converted (by :class:`Arrays` or
    :meth:`Arrays.from_ties`), handed down explicitly by a caller that runs
    several metrics on one graph so the conversion (seconds at 50,000 groups)
    happens once. Its unweighted form is derived once and kept on it. Without
    ``arrays``, ``G`` is converted.
    """
    if arrays is None:
        return Arrays(G, weight)
    if arrays.n != G.number_of_nodes():
        raise ValueError(
            f"the arrays hold {arrays.n} nodes but the graph has {G.number_of_nodes()}"
        )
    if weight == arrays.weight:
        return arrays
    if weight is None:
        unweighted = arrays.cache.get("unweighted")
        if unweighted is None:
            unweighted = arrays.cache["unweighted"] = arrays.unweighted()
        return unweighted
    return Arrays(G, weight)


def _weights(
    nbrdicts: list[dict], indices: np.ndarray, counts: np.ndarray, weight: str
) -> np.ndarray:
    """Each arc's weight, read once per tie.

    The two arcs of a tie share one attribute dict; reading only the arcs
    ``u -> v`` with ``u <= v`` and copying to the reverse arcs halves the
    visits to those scattered dicts, which dominate the conversion.
    """
    n = len(counts)
    rows = np.repeat(np.arange(n, dtype=np.int64), counts)
    upper = indices >= rows
    up = int(np.count_nonzero(upper))
    values = compress(chain.from_iterable(map(dict.values, nbrdicts)), upper.tolist())
    upper_weights = np.fromiter(map(methodcaller("get", weight, 1), values), float, count=up)
    data = np.empty(len(indices))
    data[upper] = upper_weights
    lower = ~upper
    if lower.any():
        keys = rows[upper] * n + indices[upper]
        order = np.argsort(keys)
        mirror = indices[lower].astype(np.int64) * n + rows[lower]
        data[lower] = upper_weights[order[np.searchsorted(keys, mirror, sorter=order)]]
    return data


def _igraph_graph(n: int, u: np.ndarray, v: np.ndarray):
    import igraph

    return igraph.Graph(n=n, edges=list(zip(u.tolist(), v.tolist(), strict=True)))
