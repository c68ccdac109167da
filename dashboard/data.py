"""The dashboard's one way to the data, with caching.

:class:`CoalitionData` reads the whole coalition from the store once and keeps
it. Everything derived from it — the windowed coalition, the coalition graph,
the metric report, node positions, per-group counts — is computed the first
time a view asks for it and kept per date window (a small LRU of
:class:`dashboard.model.snapshot.Snapshot`), so a click never recomputes the
whole suite. This module only caches: what is cached is defined in
:mod:`dashboard.model`, and no view is imported here.

Slow work never holds a page for long. Reading the store and every slow
derived value (the graph, the metric suite) run in a background thread of
their own; a page waits for them at most a couple of seconds
(``wait=``) and otherwise says what is being computed (:class:`Pending`) and
asks again by itself. :meth:`CoalitionData.warm` starts all of it when the
server starts, and again after the store changed, so that once warm every
page answers from memory.

Freshness: at most every ``check_every`` seconds the node and relationship
counts of the store are compared with those seen at the last read (a load or
an erased member changes them) and everything is re-read if they differ; the
counts are asked for in a background thread, one look at a time, so no page
waits for the store's answer (but after a look that could not reach it);
after ``max_age`` seconds the data are re-read anyway. While a re-read runs
(or when it finds a load half-written) pages keep showing the last complete
data.

Outages: while the store cannot be reached every request says so (a
:class:`graph.errors.StoreUnavailable`, which the pages show as a message) and
asks again, so the dashboard recovers by itself as soon as the store is back
— the embedded one possibly on new ports (:class:`graph.store.Reconnecting`
follows them; nothing here looks at a port).

The object lives on the Flask server of the app
(``app.server.config[DATA_KEY]``); callbacks reach it with :func:`current`.
Nothing here is module-level mutable state.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from dashboard.model.snapshot import Pending, Snapshot, in_background
from dashboard.model.trends import TrendsJob
from dashboard.params import parse_date
from graph.coalition import Coalition
from graph.errors import (
    CoalitionError,
    IncompleteLoad,
    LoadInProgress,
    UsageError,
)
from graph.metrics import DEFAULT_SEED
from graph.privacy import SUPPRESS_BELOW
from graph.read import read_coalition
from graph.store import Reconnecting, Store, StoreConfig
from graph.store.loadstate import read_state

__all__ = [
    "DATA_KEY",
    "SUPPRESS_BELOW",
    "WAIT",
    "CoalitionData",
    "Snapshot",
    "Pending",
    "EmptyDataset",
    "current",
    "current_snapshot",
]

log = logging.getLogger(__name__)

#: Key of the data source in ``app.server.config``.
DATA_KEY = "COALITION_DATA"
#: The longest a page waits for data still being read or computed (seconds).
WAIT = 2.0


class EmptyDataset(CoalitionError):
    """The store holds no coalition (no groups) yet."""


class CoalitionData:
    """Where the dashboard gets its data: the store, read once and cached.

    Parameters
    ----------
    config : StoreConfig, optional
        The store; :meth:`StoreConfig.from_env` when None (read at first use).
    check_every : float
        Seconds between two checks of the store's counts.
    max_age : float
        Seconds after which the data are re-read even if the counts agree.
    max_windows : int
        How many date windows to keep derived data for.
    suppress_below : int
        Member counts under this are shown as "<N".
    wait : float
        The longest a page waits for data still being read or computed
        before it says so (seconds).
    """

    def __init__(
        self,
        config: StoreConfig | None = None,
        *,
        check_every: float = 30.0,
        max_age: float = 600.0,
        max_windows: int = 8,
        suppress_below: int = SUPPRESS_BELOW,
        seed: int = DEFAULT_SEED,
        clock: Callable[[], float] = time.monotonic,
        wait: float = WAIT,
    ):
        self.config = config
        self.wait = wait
        self.check_every = check_every
        self.max_age = max_age
        self.max_windows = max_windows
        self.suppress_below = suppress_below
        self.seed = seed
        self._clock = clock
        self._lock = threading.RLock()
        self._connection = Reconnecting(config)
        self._static = False
        self._full: Coalition | None = None
        self._version: tuple | None = None
        self._loaded_at = 0.0
        self._checked_at = 0.0
        self._reading: Future | None = None
        self._checking: Future | None = None  # a look at the store's counts under way
        self._check_failed = False  # the last look could not reach the store
        self._warm = False
        self._snapshots: OrderedDict[tuple, Snapshot] = OrderedDict()
        self._trends: OrderedDict[tuple, TrendsJob] = OrderedDict()

    @classmethod
    def from_coalition(cls, coalition: Coalition, **kwargs) -> CoalitionData:
        """A data source over a coalition in memory, never touching a store."""
        source = cls(**kwargs)
        source._full = coalition
        source._static = True
        return source

    # -- public -------------------------------------------------------------------
    def snapshot(
        self, since: Any = None, until: Any = None, *, wait: float | None = None
    ) -> Snapshot:
        """The coalition in the window ``[since, until]`` with its derived data.

        ``wait`` bounds how long to wait for a first read of the store (None:
        as long as it takes). While the store is read again after a change,
        the last complete data are returned at once.

        Raises
        ------
        graph.errors.UsageError
            For a malformed date or ``since`` after ``until``.
        graph.errors.StoreError
            If the store cannot be reached or read.
        Pending
            If the store is still being read after ``wait`` seconds.
        EmptyDataset
            If the store holds no groups.
        """
        since = parse_date(since, name="since")
        until = parse_date(until, name="until")
        if since and until and since > until:
            raise UsageError(f"the window starts ({since}) after it ends ({until})")
        full = self._fresh(wait)
        if not full.groups:
            raise EmptyDataset(
                "The store holds no coalition yet: there are no groups to show. Load a "
                "dataset with `coalition load DIR` (or try `coalition demo`), then reload "
                "this page."
            )
        with self._lock:
            key = (id(full), since, until)
            snap = self._snapshots.get(key)
            if snap is None:
                snap = Snapshot(
                    full.window(since, until), seed=self.seed, suppress_below=self.suppress_below
                )
                self._snapshots[key] = snap
                while len(self._snapshots) > self.max_windows:
                    self._snapshots.popitem(last=False)
            else:
                self._snapshots.move_to_end(key)
            return snap

    def trends(
        self, every: str, since: Any = None, until: Any = None, *, wait: float | None = None
    ):
        """The whole coalition measured period by period (:func:`graph.metrics.trends.trends`).

        The first call for a period length and span starts the measuring in
        a background thread; later calls get the same result from memory (at
        most ``max_windows`` spans are kept, forgotten when the store changes).

        Raises
        ------
        Pending
            While periods are still being measured after ``wait`` seconds,
            with how many are done.
        graph.errors.UsageError
            For a malformed date, or a span without dates.
        """
        since = parse_date(since, name="since")
        until = parse_date(until, name="until")
        if since and until and since > until:
            raise UsageError(f"the window starts ({since}) after it ends ({until})")
        full = self._fresh(wait)
        if not full.groups:
            raise EmptyDataset("The store holds no coalition yet: there are no groups to show.")
        with self._lock:
            key = (id(full), every, since, until)
            job = self._trends.get(key)
            if job is None:
                job = self._trends[key] = TrendsJob(full, every, since, until, seed=self.seed)
                while len(self._trends) > self.max_windows:
                    self._trends.popitem(last=False)
            else:
                self._trends.move_to_end(key)
        return job.result(wait)

    def full_coalition(self, wait: float | None = None) -> Coalition:
        """The whole coalition, as last read (see :meth:`snapshot` for ``wait``)."""
        return self._fresh(wait)

    def warm(self, since: Any = None, until: Any = None) -> threading.Thread:
        """Read the store and compute everything for a window now, in a background thread.

        From then on, each time the store is read again (it changed), the
        whole-coalition window is computed again in the background too.
        Returns the thread (a daemon); errors are logged, and the pages show
        them when they ask.
        """
        self._warm = True

        def run() -> None:
            try:
                self.snapshot(since, until).warm()
                log.info("the dashboard's data are ready")
            except CoalitionError as exc:
                log.warning("could not prepare the dashboard's data: %s", exc)
            except Exception:
                log.exception("preparing the dashboard's data failed")

        thread = threading.Thread(target=run, name="dashboard-warm", daemon=True)
        thread.start()
        return thread

    def invalidate(self) -> None:
        """Forget everything; the next request re-reads the store."""
        with self._lock:
            if not self._static:
                self._full = None
            self._snapshots.clear()
            self._trends.clear()

    def close(self) -> None:
        self._connection.close()

    # -- internals ----------------------------------------------------------------
    def _fresh(self, wait: float | None) -> Coalition:
        """The whole coalition: as last read, or read again if due (see the module notes)."""
        with self._lock:
            if self._static:
                assert self._full is not None
                return self._full
            now = self._clock()
            reading = self._reading
            checking, look = self._checking, False
            if reading is None and checking is None:
                if self._full is None or now - self._loaded_at > self.max_age:
                    reading = self._start_reading(now)
                elif now - self._checked_at > self.check_every:
                    checking = self._checking = Future()
                    look = True
            previous = self._full
            failed = self._check_failed
        if look:
            # The store is asked outside the lock, one look at a time: meanwhile the
            # others go on with the data at hand. A page does not wait for the answer
            # either, unless the last look failed: then each page says why, as at the start.
            if wait is None or failed:
                self._check_version(now, checking)
            else:
                in_background("check", lambda: self._check_version(now, checking))
        if checking is not None and (wait is None or checking.done()):
            reading = checking.result()  # the reading the look started, or the store's error
        if reading is None:
            assert previous is not None
            return previous
        # With the last complete data at hand, a page does not wait for the new ones.
        timeout = wait if previous is None or wait is None else 0
        try:
            return reading.result(timeout=timeout)[1]
        except FutureTimeout:
            if previous is not None:
                return previous  # the last complete data, while the new are read
            raise Pending(
                "Reading the coalition from the graph store (started "
                f"{time.monotonic() - reading.started:.0f} s ago). This view fills in by "
                "itself as soon as it is read."
            ) from None
        except (LoadInProgress, IncompleteLoad):
            if previous is None:
                raise
            # A load is writing (or died part-way): keep showing the last complete
            # data rather than a mixture; check again later.
            log.info("a load is not complete; still showing the previous data")
            return previous

    def _check_version(self, now: float, checking: Future) -> None:
        """Compare the store's counts with those last read; start reading it again if they
        differ. ``checking`` gets the reading under way (or None), or the store's error."""
        try:
            version = self._guarded(self._read_version)
        except BaseException as exc:
            with self._lock:
                self._check_failed = True
                self._checking = None
            checking.set_exception(exc)
            return
        with self._lock:
            self._checking = None
            self._check_failed = False
            self._checked_at = now
            if self._reading is None and version != self._version:
                log.info("the store changed; reading the coalition again")
                self._start_reading(now)
            reading = self._reading
        checking.set_result(reading)

    def _start_reading(self, now: float) -> Future:
        """Read the store in the background (``self._lock`` held by the caller)."""

        def read() -> tuple[tuple, Coalition]:
            def work(store: Store) -> tuple[tuple, Coalition]:
                version = self._read_version(store)
                return version, read_coalition(store)

            try:
                version, full = self._guarded(work)
            except BaseException:
                with self._lock:
                    self._reading = None
                raise
            with self._lock:
                again = self._full is not None
                self._version, self._full = version, full
                self._snapshots.clear()
                self._trends.clear()
                self._loaded_at = self._checked_at = now
                self._reading = None
            if self._warm and again and full.groups:
                self.warm()  # the store changed: prepare the new data as at the start
            return version, full

        self._reading = in_background("read", read)
        return self._reading

    @staticmethod
    def _read_version(store: Store) -> tuple:
        state = read_state(store)
        return (state.status, state.version, *sorted(store.counts().items()))

    def _guarded(self, work: Callable[[Store], Any]) -> Any:
        """Run ``work`` on the store, connecting or reconnecting as :class:`Reconnecting` does."""
        return self._connection.run(work)


def current() -> CoalitionData:
    """The data source of the app serving the current request."""
    from flask import current_app

    return current_app.config[DATA_KEY]


def current_snapshot(since: Any = None, until: Any = None) -> tuple[CoalitionData, Snapshot]:
    """The current request's data source and its snapshot of ``[since, until]``.

    Waits for a first read of the store at most ``source.wait`` seconds (see
    :meth:`CoalitionData.snapshot`), as every page does.
    """
    source = current()
    return source, source.snapshot(since, until, wait=source.wait)
