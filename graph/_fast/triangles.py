"""One listing of the triangles, for structural holes and brokerage."""

from __future__ import annotations

import logging

import numpy as np
import scipy as sp

from graph._fast.arrays import Arrays

log = logging.getLogger(__name__)

# Upper bounds of one chunk of the triangle listing.
_TRIANGLE_TABLE = 8_000_000
_TRIANGLE_CANDIDATES = 1_000_000


def triangles(arrays: Arrays) -> tuple[np.ndarray, ...]:
    """Every triangle once, as arrays ``(a, b, c, e_ab, e_bc, e_ac)``.

    Edge ids index :func:`oriented` (each tie once, from its lower-ranked end
    to its higher-ranked end, ranking nodes by degree). ``a -> b -> c`` are
    in increasing rank, so a triangle is found exactly once and the work is
    the number of oriented two-step paths, far below :math:`\\sum_v d_v^2`
    when some groups have many ties (Chiba & Nishizeki 1985). The result is
    kept on ``arrays``: structural holes and brokerage share it.
    """
    if "triangles" in arrays.cache:
        return arrays.cache["triangles"]
    U = oriented(arrays)
    n = arrays.n
    chunks = []
    if n and U.nnz:
        indptr = U.indptr.astype(np.int64)
        indices = U.indices.astype(np.int64)
        outdeg = np.diff(indptr)
        # candidates per row a: sum of the out-degrees of a's out-neighbours
        per_row = np.add.reduceat(
            np.concatenate((outdeg[indices], [0])), np.minimum(indptr[:-1], len(indices))
        )
        per_row[outdeg == 0] = 0
        max_rows = max(1, _TRIANGLE_TABLE // n)
        table = np.zeros(max_rows * n, dtype=np.int64)
        bounds = _chunk_bounds(per_row, max_rows, _TRIANGLE_CANDIDATES)
        for r0, r1 in zip(bounds[:-1], bounds[1:], strict=True):
            found = _triangle_chunk(int(r0), int(r1), n, indptr, indices, outdeg, table)
            if found is not None:
                chunks.append(found)
    # int32 halves the memory; node and edge ids stay below 2**31
    if chunks:
        result = tuple(
            np.concatenate(parts).astype(np.int32) for parts in zip(*chunks, strict=True)
        )
    else:
        result = tuple(np.zeros(0, dtype=np.int32) for _ in range(6))
    arrays.cache["triangles"] = result
    return result


def _chunk_bounds(load: np.ndarray, max_rows: int, max_load: int) -> list[int]:
    """Split rows into runs of at most ``max_rows`` rows and about ``max_load`` load."""
    bounds = [0]
    n = len(load)
    cumulative = np.cumsum(load)
    while bounds[-1] < n:
        start = bounds[-1]
        base = cumulative[start - 1] if start else 0
        stop = int(np.searchsorted(cumulative, base + max_load, side="right"))
        bounds.append(min(n, start + max_rows, max(stop, start + 1)))
    return bounds


def _triangle_chunk(r0, r1, n, indptr, indices, outdeg, table):
    first = np.arange(indptr[r0], indptr[r1])  # arcs a -> b
    if len(first) == 0:
        return None
    found = None
    a_of_first = np.repeat(np.arange(r0, r1), outdeg[r0:r1])
    b = indices[first]
    # mark the out-neighbours of the chunk's rows: table[a - r0, c] = edge id + 1
    slots = (a_of_first - r0) * n + b
    table[slots] = first + 1
    lengths = outdeg[b]
    total = int(lengths.sum())
    if total:
        seg = np.zeros(len(first), dtype=np.int64)
        np.cumsum(lengths[:-1], out=seg[1:])
        pick = np.repeat(np.arange(len(first)), lengths)
        second = np.arange(total) + np.repeat(indptr[b] - seg, lengths)  # arcs b -> c
        c = indices[second]
        a = a_of_first[pick]
        third = table[(a - r0) * n + c]
        hit = third > 0
        if hit.any():
            pick = pick[hit]
            found = (a[hit], b[pick], c[hit], first[pick], second[hit], third[hit] - 1)
    table[slots] = 0
    return found


def oriented(arrays: Arrays) -> sp.sparse.csr_array:
    """Each tie once as a CSR row ``u -> v`` from lower to higher (degree, index) rank."""
    if "oriented" in arrays.cache:
        return arrays.cache["oriented"]
    S = arrays.simple
    n = arrays.n
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), arrays.degree))] = np.arange(n)
    rows = np.repeat(np.arange(n), np.diff(S.indptr))
    keep = rank[rows] < rank[S.indices]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[keep], minlength=n), out=indptr[1:])
    U = sp.sparse.csr_array((S.data[keep], S.indices[keep], indptr), shape=(n, n))
    arrays.cache["oriented"] = U
    return U


def structural_holes(arrays: Arrays) -> tuple[np.ndarray, np.ndarray]:
    """Burt's constraint and effective size as :func:`graph.metrics` defines them.

    NaN for a node without ties (self excluded). With :math:`p_{uv}` the
    weight of u-v over u's strength and :math:`m_{vw}` the weight of v-w over
    v's strongest tie, the indirect terms :math:`\\sum_w p_{uw} p_{wv}` and
    :math:`\\sum_w p_{uw} m_{vw}` are non-zero only for ``w`` tied to both,
    so they are sums over the triangles through each tie.
    """
    n = arrays.n
    U = oriented(arrays)
    S = arrays.simple
    strength = np.asarray(S.sum(axis=1)).ravel()
    peak = np.zeros(n)
    has = arrays.degree > 0
    if has.any():
        peak[has] = np.maximum.reduceat(S.data, S.indptr[:-1][has])
    inv_s = np.divide(1.0, strength, out=np.zeros(n), where=strength != 0)
    inv_peak = np.divide(1.0, peak, out=np.zeros(n), where=peak != 0)
    m = U.nnz
    # slot 2e: the tie e from its lower-ranked end; slot 2e + 1: from the other end
    indirect = np.zeros(2 * m)
    redundancy = np.zeros(2 * m)
    w = U.data
    found = triangles(arrays)
    for start in range(0, len(found[0]), _TRIANGLE_CANDIDATES):
        a, b, c, ab, bc, ac = (x[start : start + _TRIANGLE_CANDIDATES] for x in found)
        ab, bc, ac = ab.astype(np.int64), bc.astype(np.int64), ac.astype(np.int64)
        wab, wbc, wac = w[ab], w[bc], w[ac]
        sa, sb, sc = inv_s[a], inv_s[b], inv_s[c]
        pa, pb, pc = inv_peak[a], inv_peak[b], inv_peak[c]
        for slot, first, second, via_s, end_peak in (
            (2 * ab, wac * sa, wbc, sc, pb),  # a -> b via c
            (2 * ab + 1, wbc * sb, wac, sc, pa),  # b -> a via c
            (2 * bc, wab * sb, wac, sa, pc),  # b -> c via a
            (2 * bc + 1, wac * sc, wab, sa, pb),  # c -> b via a
            (2 * ac, wab * sa, wbc, sb, pc),  # a -> c via b
            (2 * ac + 1, wbc * sc, wab, sb, pa),  # c -> a via b
        ):
            both = first * second
            np.add.at(indirect, slot, both * via_s)
            np.add.at(redundancy, slot, both * end_peak)
    u = np.repeat(np.arange(n), np.diff(U.indptr))
    v = U.indices
    src = np.empty(2 * m, dtype=np.int64)  # the node each slot starts from
    src[0::2], src[1::2] = u, v
    direct = np.repeat(w, 2) * inv_s[src]
    constraint = np.bincount(src, (direct + indirect) ** 2, minlength=n).astype(float)
    effective = (arrays.degree - np.bincount(src, redundancy, minlength=n)).astype(float)
    constraint[~has] = np.nan
    effective[~has] = np.nan
    return constraint, effective


ROLES = ("coordinator", "consultant", "representative", "liaison")


def brokerage(arrays: Arrays, codes: np.ndarray) -> np.ndarray:
    """Gould-Fernandez role counts, an ``n x 4`` array in :data:`ROLES` order.

    ``codes`` gives each node's movement as an integer (a node without a
    movement has a code of its own). Open pairs of neighbours are counted
    from the number of neighbours per movement; the pairs that are tied (the
    triangles through the node) are then taken off by role.
    """
    n = arrays.n
    S = arrays.simple
    rows = np.repeat(np.arange(n), np.diff(S.indptr))
    degree = arrays.degree.astype(np.int64)
    per = sp.sparse.coo_array(
        (np.ones(len(rows), dtype=np.int64), (rows, codes[S.indices])),
        shape=(n, int(codes.max(initial=-1)) + 1),
    ).tocsr()
    per.sum_duplicates()
    same = np.zeros(n, dtype=np.int64)
    mine = codes[rows] == codes[S.indices]
    np.add.at(same, rows[mine], 1)
    other = degree - same
    pair_rows = np.repeat(np.arange(n), np.diff(per.indptr))
    pairs = per.data * (per.data - 1) // 2
    all_pairs = np.bincount(pair_rows, pairs, minlength=n).astype(np.int64)
    other_pairs = all_pairs - same * (same - 1) // 2
    roles = np.column_stack(
        (
            same * (same - 1) // 2,
            other_pairs,
            same * other,
            other * (other - 1) // 2 - other_pairs,
        )
    )
    closed = np.zeros(4 * n, dtype=np.int64)
    a, b, c, *_ = triangles(arrays)
    ca, cb, cc = codes[a], codes[b], codes[c]
    for apex, m_apex, m1, m2 in ((a, ca, cb, cc), (b, cb, ca, cc), (c, cc, ca, cb)):
        closed += np.bincount(apex * 4 + _role(m_apex, m1, m2), minlength=4 * n)
    return roles - closed.reshape(n, 4)


def _role(mb: np.ndarray, ma: np.ndarray, mc: np.ndarray) -> np.ndarray:
    """Role index of broker movements ``mb`` between ``ma`` and ``mc``."""
    same = ma == mc
    return np.where(same, np.where(ma == mb, 0, 1), np.where((mb == ma) | (mb == mc), 2, 3)).astype(
        np.int64
    )
