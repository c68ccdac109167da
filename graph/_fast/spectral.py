"""PageRank and eigenvector centrality on the arrays' matrix."""

from __future__ import annotations

import logging
from typing import Any

import networkx as nx
import numpy as np
import scipy as sp

from graph._fast.arrays import Arrays

log = logging.getLogger(__name__)

# Components up to this size get a dense eigendecomposition; larger ones ARPACK.
DENSE_EIGEN_MAX = 200


def pagerank(arrays: Arrays, *, tol: float, max_iter: int, alpha: float = 0.85) -> np.ndarray:
    """``nx.pagerank(G, weight=..., tol=tol, max_iter=max_iter)``: networkx's SciPy iteration.

    Same matrix, same start, same dangling rule (a node without ties, or
    whose ties all weigh 0, spreads its score uniformly), same stopping rule
    (L1 change below ``n * tol``), so the results agree with networkx to
    rounding. Raises ``nx.PowerIterationFailedConvergence`` as networkx does.
    The caller gives the rule (:func:`graph.metrics.centrality.pagerank_stopping`).
    """
    n = arrays.n
    if n == 0:
        return np.zeros(0)
    A = arrays.matrix
    S = np.asarray(A.sum(axis=1)).ravel()
    nonzero = S != 0
    S[nonzero] = 1.0 / S[nonzero]
    # x @ (Q A) == (Q A)^T x; keep the transpose in CSR for a fast product.
    M = (sp.sparse.dia_array((S[np.newaxis, :], 0), shape=A.shape) @ A).T.tocsr()
    x = np.repeat(1.0 / n, n)
    p = np.repeat(1.0 / n, n)
    dangling = np.flatnonzero(S == 0)
    for _ in range(max_iter):
        xlast = x
        x = alpha * (M @ x + x[dangling].sum() * p) + (1 - alpha) * p
        if np.absolute(x - xlast).sum() < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def eigenvector(A: Any) -> np.ndarray:
    """Leading eigenvector of a symmetric weighted adjacency matrix, per component.

    See :func:`graph.metrics.eigenvector` for the definition. ``A`` is any
    SciPy sparse matrix; both backends call this with the same matrix.
    """
    A = sp.sparse.csr_array(A)
    n = A.shape[0]
    if n == 0:
        return np.zeros(0)
    if (A.data == 0).any():
        # A tie of weight 0 joins nothing: the components are those of the ties that weigh.
        A = A.copy()
        A.eliminate_zeros()
    _, labels = sp.sparse.csgraph.connected_components(A, directed=False)
    order = np.argsort(labels, kind="stable")
    B = A[order][:, order].tocsr()
    bounds = np.concatenate(([0], np.cumsum(np.bincount(labels))))
    leading = []
    for start, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if stop - start < 2:
            continue
        value, vector = _perron(B[start:stop, start:stop])
        leading.append((value, start, stop, vector))
    x = np.zeros(n)
    top = max((value for value, *_ in leading), default=0.0)
    if top > 0:
        for value, start, stop, vector in leading:
            if value >= top * (1 - 1e-9):
                # Projection of the all-ones start vector on this component.
                x[order[start:stop]] = vector.sum() * vector
        x /= np.linalg.norm(x)
    return x


def _perron(block: Any) -> tuple[float, np.ndarray]:
    """Leading eigenvalue and non-negative unit eigenvector of a symmetric block."""
    size = block.shape[0]
    if size <= DENSE_EIGEN_MAX:
        values, vectors = np.linalg.eigh(block.toarray())
        value, vector = values[-1], vectors[:, -1]
    else:
        values, vectors = sp.sparse.linalg.eigsh(block, k=1, which="LA", v0=np.ones(size))
        value, vector = values[0], vectors[:, 0]
    vector = np.abs(vector)
    return float(value), vector / np.linalg.norm(vector)
