"""Fast kernels behind :mod:`graph.metrics`: NumPy, SciPy and igraph.

Nothing here is public API. :func:`graph.metrics.group_metrics` and the
metric functions with ``backend="fast"`` convert the networkx graph once into
:class:`Arrays` (a compact numeric copy with a stable node order) and hand it
to the kernels below. Each kernel computes exactly what the networkx
reference in :mod:`graph.metrics` computes (``backend="networkx"``); the
tests run both and compare them.

========================  ===================================================
kernel                    how
========================  ===================================================
:func:`traversals`        betweenness by Brandes' algorithm as sparse
                          matrix products, 64 sources at a time (igraph's
                          Brandes for graphs of large diameter); closeness
                          from the same searches or a bit-parallel
                          breadth-first search; in worker processes when
                          the graph is large
:func:`pagerank`          networkx's own SciPy power iteration, on our matrix
:func:`eigenvector`       per-component Perron vector (LAPACK / ARPACK)
:func:`structural_holes`  one listing of the triangles (NumPy)
:func:`brokerage`         the same triangles, classified by movement
:func:`louvain`           igraph's multilevel, seeded
========================  ===================================================

Run as ``python -m graph.fast JOB OUT`` it is a worker of :class:`Traversals`.
"""

from __future__ import annotations

import logging
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Hashable
from contextlib import contextmanager
from functools import cached_property
from itertools import chain, compress
from operator import methodcaller
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import scipy as sp

log = logging.getLogger(__name__)

# Components up to this size get a dense eigendecomposition; larger ones ARPACK.
DENSE_EIGEN_MAX = 200

# Work (searches x arcs) above which betweenness and closeness go to worker processes.
PARALLEL_WORK = 1e9

# Sources per batch of the sparse-product Brandes, and when it is used.
_BRANDES_BATCH = 64
_ALGEBRA_MAX_DIAMETER = 40
_FLOAT32_ABOVE = 5000

# Sources per pass of the bit-parallel BFS (64 per machine word).
_BFS_WORDS = 4

# Upper bounds of one chunk of the triangle listing.
_TRIANGLE_TABLE = 8_000_000
_TRIANGLE_CANDIDATES = 1_000_000

_ALL_BITS = np.uint64(0xFFFF_FFFF_FFFF_FFFF)


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


# Conversions shared inside `shared_arrays` blocks: (id(G), weight) -> Arrays.
_SHARED: dict[tuple[int, str | None], Arrays] = {}
_SHARING: dict[int, int] = {}


@contextmanager
def shared_arrays(G: nx.Graph, *prebuilt: Arrays):
    """Inside this block, convert ``G`` once per weight and share the arrays.

    Every metric converts its graph (:func:`arrays_of`); a caller that runs
    several on the same graph (the whole suite) wraps them in this block so
    the conversion (seconds at 50,000 groups) happens once. ``prebuilt``
    arrays (from :meth:`Arrays.from_ties`) are used as they are. ``G`` must
    not change inside the block.
    """
    key = id(G)
    _SHARING[key] = _SHARING.get(key, 0) + 1
    for arrays in prebuilt:
        _SHARED[(key, arrays.weight)] = arrays
    try:
        yield
    finally:
        _SHARING[key] -= 1
        if not _SHARING[key]:
            del _SHARING[key]
            for shared in [k for k in _SHARED if k[0] == key]:
                _SHARED.pop(shared, None)


def arrays_of(G: nx.Graph, weight: str | None = "weight") -> Arrays:
    """``Arrays(G, weight)``, shared inside a :func:`shared_arrays` block."""
    key = id(G)
    if key not in _SHARING:
        return Arrays(G, weight)
    arrays = _SHARED.get((key, weight))
    if arrays is None:
        base = _SHARED.get((key, "weight")) if weight is None else None
        arrays = base.unweighted() if base is not None else Arrays(G, weight)
        _SHARED[(key, weight)] = arrays
    return arrays


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


# ---------------------------------------------------------------------------
# betweenness


class Traversals:
    """Betweenness and closeness, the two metrics that search from every node.

    Build it with :func:`traversals`; it starts at once, and
    :meth:`betweenness` and :meth:`closeness` wait for the results.
    Betweenness is ``nx.betweenness_centrality(G, k=samples, seed=seed)``
    and closeness ``nx.closeness_centrality(G)``.

    The work is a list of :class:`Task` shares. When it is large (searches
    times arcs above :data:`PARALLEL_WORK`) the shares go to worker processes
    (``python -m graph.fast``, one per CPU) that run while the caller
    computes the other metrics; a worker that cannot start or fails has its
    share computed in this process.
    """

    def __init__(
        self,
        arrays: Arrays,
        sources: np.ndarray | None,
        workers: int | None,
        closeness: bool,
        order: np.ndarray | None = None,
    ) -> None:
        self.arrays = arrays
        self.sources = sources
        self.with_closeness = closeness
        n = arrays.n
        # The searches run on the nodes renumbered in ``order``: neighbours close
        # in memory, and batches of sources whose searches overlap.
        self.rank = None
        self.work = arrays
        if order is not None and n:
            self.rank = np.empty(n, dtype=np.int64)
            self.rank[order] = np.arange(n)
            u, v, _ = arrays.edges
            self.work = Arrays.from_edges(n, self.rank[u], self.rank[v])
        method = _brandes_method(self.work)
        if sources is None:
            between = np.arange(n)
        elif self.rank is None:
            between = np.sort(sources)
        else:
            between = np.sort(self.rank[sources])
        # An exact run searches from every node anyway: closeness comes with it.
        from_levels = closeness and sources is None and method != "igraph"
        close = np.arange(n) if closeness and not from_levels else np.zeros(0, dtype=np.int64)
        if workers is None:
            work = (len(between) + len(close) / 16) * (2 * len(arrays.edges[0]) + n)
            workers = available_cpus() if work > PARALLEL_WORK else 1
        workers = max(1, min(workers, n))
        self.tasks = [
            Task(b, c, method, from_levels)
            for b, c in zip(
                np.array_split(between, workers), np.array_split(close, workers), strict=True
            )
        ]
        self._procs: list[tuple[subprocess.Popen | None, Path, Path, Task]] = []
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._result: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        #: peak resident memory of each worker that finished, in MB
        self.worker_peaks_mb: list[float] = []
        if workers > 1:
            self._start()

    @property
    def workers(self) -> int:
        """Number of worker processes started (0: all computed in this process)."""
        return len(self._procs)

    def _start(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="coalition-metrics-")
        folder = Path(self._tmp.name)
        u, v, _ = self.work.edges
        env = {**os.environ, "PYTHONPATH": _pythonpath()}
        for i, task in enumerate(self.tasks):
            job = folder / f"job-{i}.npz"
            out = folder / f"out-{i}.npz"
            errors = folder / f"err-{i}.txt"
            np.savez(job, n=np.int64(self.work.n), u=u, v=v, **task.to_arrays())
            try:
                with open(errors, "wb") as err:
                    proc = subprocess.Popen(
                        [sys.executable, "-m", "graph.fast", str(job), str(out)],
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=err,
                        env=env,
                    )
            except OSError as exc:
                log.warning("metrics worker did not start (%s); computing here", exc)
                proc = None
            self._procs.append((proc, out, errors, task))

    def _collect(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._result is not None:
            return self._result
        n = self.arrays.n
        acc = np.zeros(n)
        total = np.zeros(n, dtype=np.int64)
        reached = np.zeros(n, dtype=np.int64)
        try:
            if self._procs:
                pending = self._procs
            else:
                pending = [(None, None, None, task) for task in self.tasks]
            for proc, out, errors, task in pending:
                part = None
                if proc is not None:
                    proc.wait()
                    if proc.returncode == 0 and out.exists():
                        with np.load(out) as done:
                            part = (done["acc"], done["total"], done["reached"])
                            self.worker_peaks_mb.append(float(done["peak_mb"]))
                    else:
                        log.warning(
                            "metrics worker failed (exit %s: %s); computing here",
                            proc.returncode,
                            errors.read_text(errors="replace").strip()[-500:],
                        )
                if part is None:
                    part = task.run(self.work)
                acc += part[0]
                total += part[1]
                reached += part[2]
        finally:
            self.cancel()
        if self.rank is not None:
            acc, total, reached = acc[self.rank], total[self.rank], reached[self.rank]
        self._result = (acc, total, reached)
        return self._result

    def betweenness(self) -> np.ndarray:
        """Normalised as networkx normalises (endpoints excluded)."""
        acc = self._collect()[0]  # dependencies summed over ordered (source, target) pairs
        n = self.arrays.n
        big_n = n - 1
        if big_n < 2:
            return acc
        if self.sources is None:
            return acc * (1.0 / (big_n * (big_n - 1)))
        k = len(self.sources)
        scale = np.full(n, 1.0 / (k * (big_n - 1)))
        scale[self.sources] = 1.0 / ((k - 1) * (big_n - 1)) if k > 1 else np.nan
        return acc * scale

    def closeness(self) -> np.ndarray:
        """``nx.closeness_centrality(G)``."""
        if not self.with_closeness:
            raise ValueError("these traversals were started without closeness")
        _, total, reached = self._collect()
        return closeness_from_sums(self.arrays.n, total, reached)

    def cancel(self) -> None:
        """Stop the workers still running and remove their files."""
        for proc, *_ in self._procs:
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
        self._procs = []
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


class Task:
    """One share of a :class:`Traversals` job, run here or in a worker process.

    ``between``: sources whose shortest-path dependencies are added up (by
    ``method``, ``"algebra"`` or ``"igraph"``); ``close``: sources of
    bit-parallel searches for closeness; ``from_levels``: also add closeness
    sums from the betweenness searches themselves.
    """

    def __init__(
        self, between: np.ndarray, close: np.ndarray, method: str, from_levels: bool
    ) -> None:
        self.between = np.asarray(between, dtype=np.int64)
        self.close = np.asarray(close, dtype=np.int64)
        self.method = method
        self.from_levels = from_levels

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {
            "between": self.between,
            "close": self.close,
            "method": np.array(self.method),
            "from_levels": np.array(self.from_levels),
        }

    @classmethod
    def from_arrays(cls, data) -> Task:
        return cls(data["between"], data["close"], str(data["method"]), bool(data["from_levels"]))

    def run(self, arrays: Arrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(dependencies, distance sums, reached counts)``, each per node."""
        n = arrays.n
        total = np.zeros(n, dtype=np.int64)
        reached = np.zeros(n, dtype=np.int64)
        if self.method == "igraph":
            acc = 2.0 * _igraph_betweenness(arrays.igraph, self.between)
        else:
            sums = (total, reached) if self.from_levels else None
            acc = brandes(arrays, self.between, sums=sums)
        if len(self.close):
            part_total, part_reached = distance_sums(arrays, self.close)
            total += part_total
            reached += part_reached
        return acc, total, reached


def traversals(
    arrays: Arrays,
    *,
    samples: int | None = None,
    seed: int = 42,
    workers: int | None = None,
    closeness: bool = True,
    order: np.ndarray | None = None,
) -> Traversals:
    """Start betweenness (exact, or from ``samples`` sources) and closeness.

    networkx draws its sources as ``random.Random(seed).sample(list(G), k)``;
    the same sources here make the sampled values equal to networkx's.
    ``workers=None`` decides from the size of the graph; 1 never starts a
    process. ``closeness=False`` skips closeness. ``order``: the nodes in the
    order to search them (a permutation of ``0 .. n-1``), e.g. by movement, so
    that a batch of searches overlaps; the results do not depend on it.
    """
    sources = None
    if samples is not None:
        index = {u: i for i, u in enumerate(arrays.nodes)}
        chosen = random.Random(seed).sample(arrays.nodes, samples)
        sources = np.fromiter(map(index.__getitem__, chosen), dtype=np.int64, count=samples)
    return Traversals(arrays, sources, workers, closeness, order)


def _igraph_graph(n: int, u: np.ndarray, v: np.ndarray):
    import igraph

    return igraph.Graph(n=n, edges=list(zip(u.tolist(), v.tolist(), strict=True)))


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
    """``"algebra"`` for graphs of small diameter, else ``"igraph"``.

    :func:`brandes` costs one sparse product per level of the searches, so it
    wins only when there are few levels, as in coalition graphs (diameter 5
    or 6 at 50,000 groups). A component's diameter is at most its size minus
    one, and at most twice the eccentricity of any of its nodes.
    """
    if arrays.n < 3 or len(arrays.edges[0]) == 0:
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
    for start in range(0, len(sources), _BRANDES_BATCH):
        batch = sources[start : start + _BRANDES_BATCH]
        acc += _brandes_batch(A, indptr, indices, degree, batch, dtype, sums)
    return acc


def _brandes_batch(A, indptr, indices, degree, sources, dtype, sums) -> np.ndarray:
    """One batch of :func:`brandes`: dependencies summed per node.

    Each product ``A @ X`` is computed the cheapest of three ways: pulled
    into every row, pulled into the few rows that need it, or pushed out of
    the few rows where ``X`` is not zero (direction-optimising, as in Beamer
    et al. 2012).
    """
    n = A.shape[0]
    k = len(sources)
    cols = np.arange(k)
    level = np.full((n, k), -1, dtype=np.int8)  # diameter <= _ALGEBRA_MAX_DIAMETER
    level[sources, cols] = 0
    sigma = np.zeros((n, k), dtype=dtype)
    sigma[sources, cols] = 1
    # level 1: the sources' neighbours, one path each
    lengths = degree[sources]
    offsets = np.repeat(indptr[sources] - np.cumsum(lengths) + lengths, lengths)
    nbrs = indices[np.arange(int(lengths.sum())) + offsets]
    which = np.repeat(cols, lengths)
    level[nbrs, which] = 1
    sigma[nbrs, which] = 1
    frontier = np.zeros((n, k), dtype=dtype)
    frontier[nbrs, which] = 1
    lit = np.unique(nbrs)  # rows where the frontier is not zero
    depth = 1
    live = degree > 0
    while True:
        unseen = level < 0
        live &= unseen.any(axis=1)
        rows = np.flatnonzero(live)
        if len(rows) == 0:
            break
        pulled = _product(A, frontier, rows, lit, degree)
        if pulled.shape[0] == n:  # every row: whole-matrix operations
            new = unseen & (pulled > 0)
            if not new.any():
                break
            pulled *= new
            frontier = pulled
            sigma += pulled
            level[new] = depth + 1
            lit = np.flatnonzero(new.any(axis=1))
        else:
            new = unseen[rows] & (pulled > 0)
            if not new.any():
                break
            pulled *= new
            frontier = np.zeros((n, k), dtype=dtype)
            frontier[rows] = pulled
            sigma[rows] += pulled
            block = level[rows]
            block[new] = depth + 1
            level[rows] = block
            lit = rows[new.any(axis=1)]
        depth += 1
    # dependencies, from the deepest level back to level 1
    delta = np.zeros((n, k), dtype=dtype)
    t = np.empty((n, k), dtype=dtype)
    for d in range(depth, 1, -1):
        at = level == d
        t.fill(0)
        np.add(delta, 1, out=t, where=at)
        np.divide(t, sigma, out=t, where=at)
        below = level == d - 1
        rows = np.flatnonzero(below.any(axis=1))
        pushed = _product(A, t, rows, np.flatnonzero(at.any(axis=1)), degree)
        if pushed.shape[0] == n:
            pushed *= sigma
            pushed *= below
            delta += pushed
        else:
            pushed *= sigma[rows]
            pushed *= below[rows]
            delta[rows] += pushed
    if sums is not None:
        total, reached = sums
        far = np.maximum(level, 0)
        total += far.sum(axis=1, dtype=np.int64)
        reached += np.count_nonzero(far, axis=1)
    return delta.sum(axis=1, dtype=np.float64)


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


def _pythonpath() -> str:
    root = str(Path(__file__).resolve().parent.parent)
    current = os.environ.get("PYTHONPATH")
    return root if not current else os.pathsep.join([root, current])


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------------------
# closeness


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


# ---------------------------------------------------------------------------
# pagerank and eigenvector


def pagerank(
    arrays: Arrays, *, alpha: float = 0.85, max_iter: int = 100, tol: float = 1.0e-6
) -> np.ndarray:
    """``nx.pagerank(G, weight=...)``: networkx's own SciPy iteration on our matrix.

    Same matrix, same start, same dangling rule (a node without ties, or
    whose ties all weigh 0, spreads its score uniformly), same stopping rule
    (L1 change below ``n * tol``), so the results agree with networkx to
    rounding. Raises ``nx.PowerIterationFailedConvergence`` as networkx does.
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


# ---------------------------------------------------------------------------
# triangles: structural holes and brokerage


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


# ---------------------------------------------------------------------------
# movements


def participation(arrays: Arrays, codes: np.ndarray) -> np.ndarray:
    """Participation coefficient; NaN when a node's ties weigh 0 in total."""
    n = arrays.n
    A = arrays.matrix
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    per = sp.sparse.coo_array(
        (A.data, (rows, codes[A.indices])), shape=(n, int(codes.max(initial=-1)) + 1)
    ).tocsr()
    per.sum_duplicates()
    total = np.asarray(per.sum(axis=1)).ravel()
    per_rows = np.repeat(np.arange(n), np.diff(per.indptr))
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = per.data / total[per_rows]
        result = np.maximum(0.0, 1.0 - np.bincount(per_rows, shares**2, minlength=n))
    result[total == 0] = np.nan
    result[np.diff(A.indptr) == 0] = 0.0
    return result


def ei_index(arrays: Arrays, codes: np.ndarray) -> np.ndarray:
    """Krackhardt-Stern E-I index; NaN for a node without ties."""
    A = arrays.matrix
    n = arrays.n
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    internal = np.bincount(rows, codes[rows] == codes[A.indices], minlength=n)
    ties = np.diff(A.indptr)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (ties - 2 * internal) / ties


# ---------------------------------------------------------------------------
# communities and cut points


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


def articulation_points(arrays: Arrays) -> np.ndarray:
    """Indices of the nodes whose removal disconnects their component."""
    if arrays.n == 0:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(arrays.igraph.articulation_points(), dtype=np.int64)


def components_kept(
    n: int, u: np.ndarray, v: np.ndarray, keep: np.ndarray | None = None
) -> tuple[int, float]:
    """Components of the nodes ``keep`` (all: None) over ties ``u - v``, and fragmentation.

    Fragmentation is Borgatti's, ``1 - sum s(s-1) / (k(k-1))`` over the
    component sizes ``s`` of the ``k`` kept nodes (0.0 under two nodes).
    """
    keep = np.ones(n, dtype=bool) if keep is None else keep
    kept = np.flatnonzero(keep)
    k = len(kept)
    if not k:
        return 0, 0.0
    edges = keep[u] & keep[v]
    new = np.full(n, -1, np.int64)
    new[kept] = np.arange(k)
    matrix = sp.sparse.coo_array(
        (np.ones(int(edges.sum())), (new[u[edges]], new[v[edges]])), shape=(k, k)
    )
    count, labels = sp.sparse.csgraph.connected_components(matrix, directed=False)
    if k < 2:
        return int(count), 0.0
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


# ---------------------------------------------------------------------------
# worker


def _worker(job: str, out: str) -> None:
    """Compute one share of a :class:`Traversals` job."""
    with np.load(job) as data:
        arrays = Arrays.from_edges(int(data["n"]), data["u"], data["v"])
        task = Task.from_arrays(data)
    acc, total, reached = task.run(arrays)
    np.savez(out, acc=acc, total=total, reached=reached, peak_mb=np.float64(peak_memory_mb()))


def peak_memory_mb() -> float:
    """This process's peak resident memory in MB (``VmHWM``), NaN if unknown.

    Unlike ``getrusage``, it is not inflated by the memory of the parent a
    worker was forked from before it started Python.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return float("nan")


if __name__ == "__main__":
    _worker(*sys.argv[1:3])
