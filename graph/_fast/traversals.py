"""Betweenness and closeness jobs: shares of searches, in worker processes when large."""

from __future__ import annotations

import contextlib
import logging
import os
import random
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np

from graph._fast.arrays import Arrays
from graph._fast.searches import (
    _brandes_method,
    _igraph_betweenness,
    brandes,
    closeness_from_sums,
    distance_sums,
)

log = logging.getLogger(__name__)

# Work (searches x arcs) above which betweenness and closeness go to worker processes.
PARALLEL_WORK = 1e9


class Traversals:
    """Betweenness and closeness, the two metrics that search from every node.

    Build it with :func:`traversals`; it starts at once, and
    :meth:`betweenness` and :meth:`closeness` wait for the results.
    Betweenness is ``nx.betweenness_centrality(G, k=samples, seed=seed)``
    and closeness ``nx.closeness_centrality(G)``.

    The work is a list of :class:`Task` shares. When it is large (searches
    times arcs above :data:`PARALLEL_WORK`) the shares go to worker processes
    (a pool of fresh interpreters, one per CPU) that run while the caller
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
        pool: ProcessPoolExecutor | None = None,
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
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future | None] = []
        self._result: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        #: peak resident memory of each worker share that finished, in MB
        self.worker_peaks_mb: list[float] = []
        if pool is not None:  # the caller's pool, kept running for its next jobs
            self._submit(pool)
        elif workers > 1:
            self._start(workers)

    @property
    def workers(self) -> int:
        """Number of worker processes started (0: all computed in this process)."""
        return len(self._futures)

    def _start(self, workers: int) -> None:
        """Hand each share to a pool of fresh interpreters (``spawn``: no forked locks)."""
        try:
            self._pool = worker_pool(workers)
        except OSError as exc:  # pragma: no cover - no processes on this system
            log.warning("metrics workers did not start (%s); computing here", exc)
            return
        self._submit(self._pool)

    def _submit(self, pool: ProcessPoolExecutor) -> None:
        """Hand each share to ``pool``; a share that cannot go is computed here."""
        u, v, _ = self.work.edges
        for task in self.tasks:
            try:
                future = pool.submit(_run_share, self.work.n, u, v, task)
            except (OSError, RuntimeError) as exc:  # pragma: no cover - pool broken at start
                log.warning("metrics worker did not start (%s); computing here", exc)
                future = None
            self._futures.append(future)

    def _collect(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._result is not None:
            return self._result
        n = self.arrays.n
        acc = np.zeros(n)
        total = np.zeros(n, dtype=np.int64)
        reached = np.zeros(n, dtype=np.int64)
        futures = self._futures or [None] * len(self.tasks)
        try:
            for future, task in zip(futures, self.tasks, strict=True):
                part = None
                if future is not None:
                    try:
                        *part, peak_mb = future.result()
                        self.worker_peaks_mb.append(peak_mb)
                    except Exception as exc:  # a worker that died or failed: do its share here
                        log.warning("metrics worker failed (%r); computing here", exc)
                        part = None
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

    def done(self) -> bool:
        """Whether every share handed to a worker has finished (so collecting will not wait)."""
        return all(f is None or f.done() for f in self._futures)

    def cancel(self) -> None:
        """Stop the workers still running (shares not yet collected are dropped).

        Shares in a pool the caller passed are cancelled if they have not
        started; the pool itself is the caller's to shut down.
        """
        pool, self._pool = self._pool, None
        if pool is None:
            if self._result is None:
                for future in self._futures:
                    if future is not None:
                        future.cancel()
            return
        if all(f is None or f.done() for f in self._futures):
            # Every share delivered, or failed (a broken pool cleans itself up): the idle
            # workers leave when told to.
            pool.shutdown(wait=True)
            return
        # Shares still running, and the caller gave up on them. Python 3.11's pool has no
        # public way to stop a running share: end its processes, then shut the pool down.
        processes = set((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        processes |= set((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            with contextlib.suppress(AttributeError, ValueError):  # not started, or closed
                process.kill()
        for process in processes:
            with contextlib.suppress(AssertionError, ValueError):
                process.join(timeout=10)


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
    pool: ProcessPoolExecutor | None = None,
) -> Traversals:
    """Start betweenness (exact, or from ``samples`` sources) and closeness.

    networkx draws its sources as ``random.Random(seed).sample(list(G), k)``;
    the same sources here make the sampled values equal to networkx's.
    ``workers=None`` decides from the size of the graph; 1 never starts a
    process. ``closeness=False`` skips closeness. ``order``: the nodes in the
    order to search them (a permutation of ``0 .. n-1``), e.g. by movement, so
    that a batch of searches overlaps; the results do not depend on it.
    ``pool``: a :func:`worker_pool` to hand the ``workers`` shares to instead of
    starting one (a caller running many jobs starts it once).
    """
    sources = None
    if samples is not None:
        index = {u: i for i, u in enumerate(arrays.nodes)}
        chosen = random.Random(seed).sample(arrays.nodes, samples)
        sources = np.fromiter(map(index.__getitem__, chosen), dtype=np.int64, count=samples)
    return Traversals(arrays, sources, workers, closeness, order, pool)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` fresh interpreters for :class:`Traversals` shares."""
    return ProcessPoolExecutor(workers, mp_context=get_context("spawn"))


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _run_share(n: int, u: np.ndarray, v: np.ndarray, task: Task) -> tuple:
    """In a worker process: one share of a :class:`Traversals` job, and the worker's peak memory."""
    acc, total, reached = task.run(Arrays.from_edges(n, u, v))
    return acc, total, reached, peak_memory_mb()


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
