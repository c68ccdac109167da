"""Cut points, components of what is kept, and what-if."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import scipy as sp

from graph._fast.arrays import Arrays

log = logging.getLogger(__name__)


def articulation_points(arrays: Arrays) -> np.ndarray:
    """Indices of the nodes whose removal disconnects their component."""
    if arrays.n == 0:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(arrays.igraph.articulation_points(), dtype=np.int64)


def components_kept(
    n: int, u: np.ndarray, v: np.ndarray, keep: np.ndarray | None = None
) -> tuple[int, float | None]:
    """Components of the nodes ``keep`` (all: None) over ties ``u - v``, and fragmentation.

    Fragmentation is Borgatti's, ``1 - sum s(s-1) / (k(k-1))`` over the
    component sizes ``s`` of the ``k`` kept nodes (None, undefined, under two nodes).
    """
    keep = np.ones(n, dtype=bool) if keep is None else keep
    kept = np.flatnonzero(keep)
    k = len(kept)
    if not k:
        return 0, None
    edges = keep[u] & keep[v]
    new = np.full(n, -1, np.int64)
    new[kept] = np.arange(k)
    matrix = sp.sparse.coo_array(
        (np.ones(int(edges.sum())), (new[u[edges]], new[v[edges]])), shape=(k, k)
    )
    count, labels = sp.sparse.csgraph.connected_components(matrix, directed=False)
    if k < 2:
        return int(count), None
    sizes = np.bincount(labels).astype(np.float64)
    return int(count), float(1.0 - (sizes * (sizes - 1)).sum() / (k * (k - 1)))


def movement_pairs(
    u: np.ndarray, v: np.ndarray, codes: np.ndarray, edges: np.ndarray | None = None
) -> set[tuple[int, int]]:
    """Pairs ``(a, b)``, ``a < b``, of different movement codes (>= 0) tied by ``edges``."""
    cu, cv = codes[u], codes[v]
    mask = (cu >= 0) & (cv >= 0) & (cu != cv)
    if edges is not None:
        mask &= edges
    k = int(codes.max(initial=0)) + 1
    pairs = np.unique(np.minimum(cu[mask], cv[mask]) * k + np.maximum(cu[mask], cv[mask]))
    return {(int(p // k), int(p % k)) for p in pairs.tolist()}


def whatif(
    n: int, u: np.ndarray, v: np.ndarray, codes: np.ndarray, removed: np.ndarray
) -> dict[str, Any]:
    """Components, fragmentation and movement pairs before and after removing nodes.

    ``codes`` is each node's movement code (-1: none); the lost pairs are
    code pairs. See :func:`graph.metrics.whatif`.
    """
    keep = np.ones(n, dtype=bool)
    keep[removed] = False
    before = components_kept(n, u, v)
    after = components_kept(n, u, v, keep)
    lost = movement_pairs(u, v, codes) - movement_pairs(u, v, codes, keep[u] & keep[v])
    return {
        "components_before": before[0],
        "components_after": after[0],
        "fragmentation_before": before[1],
        "fragmentation_after": after[1],
        "lost_pairs": lost,
    }
