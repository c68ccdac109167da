"""Shortest-path searches: Brandes' dependencies as sparse products, and bit-parallel BFS."""

from __future__ import annotations

import logging

import numpy as np
import scipy as sp

from graph._fast.arrays import Arrays

log = logging.getLogger(__name__)

# Sources per batch of the sparse-product Brandes, and when it is used.
_BRANDES_BATCH = 64
_ALGEBRA_MAX_DIAMETER = 40
_FLOAT32_ABOVE = 5000
# Above this many groups with a tie, a graph whose mean degree is below
# _ALGEBRA_MIN_DEGREE is searched by igraph: a search's dense levels cost the
# algebra its n x batch arrays however few arcs there are, igraph's only its
# arcs (a 6,000-group month of mean degree 4.6: 2.5 times faster; of degree 9:
# even; of degree 31: 2.8 times slower, on the 10,000-group benchmark dataset).
_SPARSE_ABOVE = 1000
_ALGEBRA_MIN_DEGREE = 10

# Sources per pass of the bit-parallel BFS (64 per machine word).
_BFS_WORDS = 4

_ALL_BITS = np.uint64(0xFFFF_FFFF_FFFF_FFFF)


def _igraph_betweenness(g, sources: np.ndarray | None) -> np.ndarray:
    """igraph's betweenness from ``sources`` (all by default): dependencies, halved."""
    if g.vcount() == 0:
        return np.zeros(0)
    if sources is None:
        return np.asarray(g.betweenness(directed=False), dtype=float)
    if len(sources) == 0:
        return np.zeros(g.vcount())
    return np.asarray(g.betweenness(directed=False, sources=sources.tolist()), dtype=float)


def _brandes_method(arrays: Arrays) -> str:
    """``"algebra"`` for dense enough graphs of small diameter, else ``"igraph"``.

    :func:`brandes` costs one sparse product and a few passes over its
    ``n x batch`` arrays per level of the searches, so it wins only when
    there are few levels and many arcs, as in coalition graphs (diameter 5
    or 6 at 50,000 groups): a graph of more than :data:`_SPARSE_ABOVE`
    groups with a tie whose mean degree is below :data:`_ALGEBRA_MIN_DEGREE`
    goes to igraph. A component's diameter is at most its size minus one,
    and at most twice the eccentricity of any of its nodes.
    """
    if arrays.n < 3 or len(arrays.edges[0]) == 0:
        return "igraph"
    active = int(np.count_nonzero(arrays.degree))
    if active > _SPARSE_ABOVE and 2 * len(arrays.edges[0]) < _ALGEBRA_MIN_DEGREE * active:
        return "igraph"
    labels = arrays.components
    sizes = np.bincount(labels)
    _, first = np.unique(labels, return_index=True)
    big = first[sizes[labels[first]] > _ALGEBRA_MAX_DIAMETER + 1]
    if len(big) == 0:
        return "algebra"
    for start in range(0, len(big), 16):
        hops = sp.sparse.csgraph.shortest_path(
            arrays.simple,
            method="D",
            directed=False,
            unweighted=True,
            indices=big[start : start + 16],
        )
        if 2 * hops[np.isfinite(hops)].max(initial=0) > _ALGEBRA_MAX_DIAMETER:
            return "igraph"
    return "algebra"


def brandes(
    arrays: Arrays,
    sources: np.ndarray,
    *,
    sums: tuple[np.ndarray, np.ndarray] | None = None,
    dtype: type | None = None,
) -> np.ndarray:
    """Brandes' dependencies from ``sources``, summed per node, as sparse products.

    The searches run :data:`_BRANDES_BATCH` sources at a time as dense
    ``n x batch`` matrices: one level of all of them is one product of the
    adjacency matrix with the frontier's path counts, and the dependencies
    flow back one level per product (Brandes 2001 in the linear-algebra form
    of Kepner & Gilbert 2011). Returns the sum over sources ``s`` and
    targets ``t`` of the share of shortest ``s``-``t`` paths through each
    node, ordered pairs, as networkx accumulates it before scaling.

    ``sums``: arrays to which each node's distance sum and reach count (over
    these sources) are added, for closeness. ``dtype``: of the path counts;
    float32 above :data:`_FLOAT32_ABOVE` nodes (twice as fast; relative
    error below 1e-6), float64 otherwise.
    """
    n = arrays.n
    acc = np.zeros(n)
    if dtype is None:
        dtype = np.float32 if n > _FLOAT32_ABOVE else np.float64
    S = arrays.simple
    A = sp.sparse.csr_array((np.ones(S.nnz, dtype=dtype), S.indices, S.indptr), shape=S.shape)
    indptr = S.indptr.astype(np.int64)
    indices = S.indices.astype(np.intp)
    degree = np.diff(indptr)
    sources = np.asarray(sources, dtype=np.int64)
    buffers: dict[int, tuple[np.ndarray, ...]] = {}  # reused: fresh pages cost a fault each
    for start in range(0, len(sources), _BRANDES_BATCH):
        batch = sources[start : start + _BRANDES_BATCH]
        acc += _brandes_batch(A, indptr, indices, degree, batch, dtype, sums, buffers)
    return acc


def _brandes_batch(A, indptr, indices, degree, sources, dtype, sums, buffers) -> np.ndarray:
    """One batch of :func:`brandes`: dependencies summed per node.

    The forward searches keep each level's path counts (``fronts[d]``: the
    paths to the nodes at distance ``d``, zero elsewhere), which is all the
    dependencies need flowing back: the counts of a level are its mask.
    Each product ``A @ X`` is computed the cheapest of three ways: pulled
    into every row, pulled into the few rows that need it, or pushed out of
    the few rows where ``X`` is not zero (direction-optimising, as in Beamer
    et al. 2012).
    """
    n = A.shape[0]
    k = len(sources)
    cols = np.arange(k)
    unseen = np.ones((n, k), dtype=bool)
    unseen[sources, cols] = False
    # level 1: the sources' neighbours, one path each
    lengths = degree[sources]
    offsets = np.repeat(indptr[sources] - np.cumsum(lengths) + lengths, lengths)
    nbrs = indices[np.arange(int(lengths.sum())) + offsets]
    which = np.repeat(cols, lengths)
    unseen[nbrs, which] = False
    frontier = np.zeros((n, k), dtype=dtype)
    frontier[nbrs, which] = 1
    reached = np.zeros(n, dtype=bool)
    reached[nbrs] = True
    lit = np.flatnonzero(reached)  # rows where the frontier is not zero
    fronts = [None, frontier]  # fronts[d]: the path counts of the nodes at distance d
    lits = [None, lit]
    live = degree > 0
    while True:
        live &= _any_rows(unseen)
        rows = np.flatnonzero(live)
        if len(rows) == 0:
            break
        pulled = _product(A, frontier, rows, lit, degree)
        if pulled.shape[0] == n:  # every row: whole-matrix operations
            pulled *= unseen
            new = pulled > 0
            lit = np.flatnonzero(_any_rows(new))
            if len(lit) == 0:
                break
            frontier = pulled
            unseen ^= new
        else:
            pulled *= unseen[rows]
            new = pulled > 0
            found = _any_rows(new)
            if not found.any():
                break
            lit = rows[found]
            frontier = np.zeros((n, k), dtype=dtype)
            frontier[rows] = pulled
            unseen[rows] ^= new
        fronts.append(frontier)
        lits.append(lit)
    depth = len(fronts) - 1
    # dependencies, from the deepest level back to level 1:
    # delta[v] += sigma[v] * sum over w one level deeper of (1 + delta[w]) / sigma[w]
    # (whole-array operations: a ufunc's ``where=`` is slow on a scattered mask, so
    # the zeros of a level divide by 1 and are masked out after)
    if k in buffers:  # the arrays of the batch before, of the same size
        delta, t, safe = buffers[k]
        delta.fill(0)
    else:
        delta = np.zeros((n, k), dtype=dtype)
        t = np.empty((n, k), dtype=dtype)
        safe = np.empty((n, k), dtype=dtype)
        buffers[k] = (delta, t, safe)
    for d in range(depth, 1, -1):
        counts = fronts[d]
        at = counts > 0
        np.maximum(counts, 1, out=safe)  # where there are paths, at least one
        np.add(delta, 1, out=t)
        t /= safe
        t *= at
        pushed = _product(A, t, lits[d - 1], lits[d], degree)
        if pushed.shape[0] == n:
            pushed *= fronts[d - 1]
            delta += pushed
        else:
            rows = lits[d - 1]
            pushed *= fronts[d - 1][rows]
            delta[rows] += pushed
    if sums is not None:
        total, reached = sums
        for d in range(1, depth + 1):
            found = np.count_nonzero(fronts[d], axis=1)
            total += d * found
            reached += found
    return delta.sum(axis=1, dtype=np.float64)


def _any_rows(mask: np.ndarray) -> np.ndarray:
    """``mask.any(axis=1)`` for an ``n x k`` boolean array, eight columns at a time.

    The columns are OR-ed as machine words, one whole-column operation per
    eight of them (a reduction along rows this short costs NumPy a loop
    per row: twenty times slower).
    """
    if not mask.shape[1] or mask.shape[1] % 8 or not mask.flags.c_contiguous:
        return mask.any(axis=1)
    words = mask.view(np.uint64)
    seen = words[:, 0].copy()
    for j in range(1, words.shape[1]):
        seen |= words[:, j]
    return seen != 0


def _product(A, X: np.ndarray, rows: np.ndarray, lit: np.ndarray, degree: np.ndarray):
    """``A @ X`` where only rows ``rows`` are wanted and ``X`` is zero outside ``lit``.

    Returns all ``n`` rows, or only ``rows`` (when that is cheaper to compute).
    """
    n = A.shape[0]
    pull = int(degree[rows].sum()) if len(rows) * 2 <= n else A.nnz
    push = 2 * int(degree[lit].sum())  # a scatter costs about twice a gather
    if push < pull:
        return A[lit].T @ X[lit]
    if len(rows) * 2 > n:
        return A @ X
    return A[rows] @ X


def closeness(arrays: Arrays) -> np.ndarray:
    """``nx.closeness_centrality(G)`` (hops, Wasserman-Faust scaled).

    A node reaching ``r - 1`` others at total distance ``d`` scores
    ``(r - 1) / d * (r - 1) / (n - 1)``; a node reaching nobody scores 0.
    """
    return closeness_from_sums(arrays.n, *distance_sums(arrays))


def closeness_from_sums(n: int, total: np.ndarray, reached: np.ndarray) -> np.ndarray:
    """Closeness from each node's sum of distances and number of nodes reached."""
    result = np.zeros(n)
    ok = total > 0
    r = reached[ok].astype(float)
    result[ok] = (r / total[ok]) * (r / (n - 1))
    return result


def distance_sums(
    arrays: Arrays, sources: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per node ``v``: the sum of ``d(s, v)`` and the number of ``s`` reaching it.

    Over the given sources (all nodes by default); distances are hops.
    Summed over all sources these are each node's own distance sum and
    reach, as distances are symmetric. The searches run 256 at a time as one
    bit-parallel breadth-first search (Then et al. 2014): bit ``j`` of a
    node says whether source ``j`` has reached it, and one level of all 256
    searches is one gather-and-OR over the arcs.
    """
    n = arrays.n
    total = np.zeros(n, dtype=np.int64)
    reached = np.zeros(n, dtype=np.int64)
    S = arrays.simple
    indptr = S.indptr.astype(np.int64)
    indices = S.indices.astype(np.intp)
    degree = np.diff(indptr)
    if sources is None:
        sources = np.arange(n)
    # sources of one component together, so that a pass saturates quickly
    sources = sources[degree[sources] > 0]
    sources = sources[np.argsort(arrays.components[sources], kind="stable")]
    width = 64 * _BFS_WORDS
    for start in range(0, len(sources), width):
        _bfs_batch(sources[start : start + width], indptr, indices, degree, total, reached)
    return total, reached


def _bfs_batch(
    sources: np.ndarray,
    indptr: np.ndarray,
    indices: np.ndarray,
    degree: np.ndarray,
    total: np.ndarray,
    reached: np.ndarray,
) -> None:
    """Add one batch of breadth-first searches to ``total`` and ``reached``."""
    n = len(degree)
    k = len(sources)
    words = (k + 63) // 64
    bits = np.arange(k)
    plane = bits // 64
    bit = np.left_shift(np.uint64(1), (bits % 64).astype(np.uint64))
    full = np.full(words, _ALL_BITS)
    if k % 64:
        full[-1] = np.uint64((1 << (k % 64)) - 1)
    visited = np.zeros((words, n), dtype=np.uint64)
    visited[plane, sources] = bit
    # level 1, pushed from the sources: each source's bit on its neighbours
    lengths = degree[sources]
    starts = np.repeat(indptr[sources] - np.cumsum(lengths) + lengths, lengths)
    nbrs = indices[np.arange(int(lengths.sum())) + starts]
    frontier = np.zeros((words, n), dtype=np.uint64)
    np.bitwise_or.at(
        frontier.ravel(), np.repeat(plane, lengths) * n + nbrs, np.repeat(bit, lengths)
    )
    frontier &= ~visited
    visited |= frontier
    found = _popcount(frontier)
    total += found
    reached += found
    alive = degree > 0
    level = 1
    while True:
        level += 1
        alive &= ~(visited == full[:, np.newaxis]).all(axis=0)
        rows = np.flatnonzero(alive)
        if len(rows) == 0:
            break
        if len(rows) * 2 > n:
            arcs, seg, keep = indices, indptr[:-1][degree > 0], alive[degree > 0]
        else:
            lengths = degree[rows]
            seg = np.zeros(len(rows), dtype=np.int64)
            np.cumsum(lengths[:-1], out=seg[1:])
            arcs = indices[np.arange(int(lengths.sum())) + np.repeat(indptr[rows] - seg, lengths)]
            keep = None
        new = np.empty((words, len(rows)), dtype=np.uint64)
        for w in range(words):
            pulled = np.bitwise_or.reduceat(frontier[w][arcs], seg)
            if keep is not None:
                pulled = pulled[keep]
            new[w] = pulled & ~visited[w][rows]
        found = _popcount(new)
        if not found.any():
            break
        frontier = np.zeros((words, n), dtype=np.uint64)
        frontier[:, rows] = new
        visited[:, rows] |= new
        total[rows] += level * found
        reached[rows] += found


_BYTE_BITS = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


def _popcount(planes: np.ndarray) -> np.ndarray:
    """Set bits per column of a ``words x n`` uint64 array."""
    if hasattr(np, "bitwise_count"):  # NumPy 2
        return np.bitwise_count(planes).sum(axis=0, dtype=np.int64)
    counts = _BYTE_BITS[np.ascontiguousarray(planes).view(np.uint8)]
    return counts.reshape(planes.shape[0], planes.shape[1], 8).sum(axis=(0, 2))
