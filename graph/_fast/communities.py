"""Louvain communities (igraph) and the modularity of a partition."""

from __future__ import annotations

import logging
import random

import numpy as np

from graph._fast.arrays import Arrays, _igraph_graph

log = logging.getLogger(__name__)


def louvain(arrays: Arrays, *, seed: int = 42) -> np.ndarray:
    """Multilevel (Louvain) communities from igraph, reproducible from ``seed``.

    igraph draws the order in which it visits nodes from Python's
    :mod:`random`; a ``random.Random(seed)`` is installed for the call and
    the module's default put back after it.
    """
    import igraph

    if arrays.loops.any():
        A = arrays.matrix
        rows = np.repeat(np.arange(arrays.n), np.diff(A.indptr))
        upper = rows <= A.indices
        g = _igraph_graph(arrays.n, rows[upper], A.indices[upper])
        weights = A.data[upper].tolist()
    else:
        g = arrays.igraph
        weights = arrays.edges[2].tolist()
    igraph.set_random_number_generator(random.Random(seed))
    try:
        return np.asarray(g.community_multilevel(weights=weights).membership)
    finally:
        igraph.set_random_number_generator(random)


def modularity(arrays: Arrays, blocks: np.ndarray) -> float | None:
    """``nx.community.modularity(G, partition, weight=...)``; None without weight."""
    A = arrays.matrix
    n = arrays.n
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    degree = np.asarray(A.sum(axis=1)).ravel() + arrays.loop_weight  # loops count twice
    total = degree.sum()
    if total == 0:
        return None
    m = total / 2
    inside = A.data[blocks[rows] == blocks[A.indices]].sum() + arrays.loop_weight.sum()
    degree_sum = np.bincount(blocks, degree)
    return float(inside / 2 / m - ((degree_sum / (2 * m)) ** 2).sum())
