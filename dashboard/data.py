"""The dashboard's one way to the data, with caching.

:class:`CoalitionData` reads the whole coalition from the store once and keeps
it. Everything derived from it — the windowed coalition, the coalition graph,
the metric report, node positions, per-group counts — is computed the first
time a view asks for it and kept per date window (a small LRU), so a click
never recomputes the whole suite.

Slow work never holds a page for long. Reading the store and every slow
derived value (the graph, the metric suite) run in a background thread of
their own; a page waits for them at most a couple of seconds
(``wait=``) and otherwise says what is being computed (:class:`Pending`) and
asks again by itself. :meth:`CoalitionData.warm` starts all of it when the
server starts, and again after the store changed, so that once warm every
page answers from memory.

Freshness: at most every ``check_every`` seconds the node and relationship
counts of the store are compared with those seen at the last read (a load or
an erased member changes them) and everything is re-read if they differ;
after ``max_age`` seconds the data are re-read anyway. While a re-read runs
(or when it finds a load half-written) pages keep showing the last complete
data.

Outages: while the store cannot be reached every request says so (a
:class:`graph.errors.StoreUnavailable`, which the pages show as a message) and
asks again, so the dashboard recovers by itself as soon as the store is back
— the embedded one possibly on new ports, read again from its ``store.json``.

The object lives on the Flask server of the app
(``app.server.config[DATA_KEY]``); callbacks reach it with :func:`current`.
Nothing here is module-level mutable state.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import networkx as nx

from dashboard.graphview import NetworkIndex, movement_ei
from dashboard.params import parse_date
from dashboard.views import band_ties, graph_positions
from graph.coalition import Coalition, Ties, coalition_ties, read_coalition
from graph.embedded import EmbeddedStore
from graph.errors import (
    CoalitionError,
    IncompleteLoad,
    LoadInProgress,
    StoreError,
    StoreUnavailable,
    UsageError,
)
from graph.fast import shared_arrays
from graph.loadstate import read_state
from graph.report import Report, compute_report
from graph.store import Store, StoreConfig, open_store

__all__ = [
    "DATA_KEY",
    "SUPPRESS_BELOW",
    "WAIT",
    "CoalitionData",
    "Snapshot",
    "Pending",
    "EmptyDataset",
    "current",
    "problem",
]

log = logging.getLogger(__name__)

#: Key of the data source in ``app.server.config``.
DATA_KEY = "COALITION_DATA"
#: Member counts under this are shown as "<5" (DESIGN.md, *Privacy*).
SUPPRESS_BELOW = 5
#: Above this many groups, betweenness is sampled (see ``graph.metrics``).
EXACT_MAX = 5000
#: The longest a page waits for data still being read or computed (seconds).
WAIT = 2.0


class Pending(CoalitionError):
    """Data a view needs are still being read or computed; the view asks again soon."""


class EmptyDataset(CoalitionError):
    """The store holds no coalition (no groups) yet."""


def _in_background(name: str, work: Callable[[], Any]) -> Future:
    """Run ``work`` in a daemon thread; its result (or exception) in the future returned."""
    future: Future = Future()
    future.set_running_or_notify_cancel()
    future.started = time.monotonic()  # type: ignore[attr-defined]

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to whoever waits for it
            future.set_exception(exc)

    threading.Thread(target=run, name=f"dashboard-{name}", daemon=True).start()
    return future


class Snapshot:
    """The coalition in one date window and everything derived from it, computed once.

    Each derived value is computed on first use, in a thread of its own, and
    kept; a snapshot is never modified after that, so views may share it
    between requests. The properties wait for a value as long as it takes;
    :meth:`get` with ``wait`` raises :class:`Pending` instead.
    """

    #: How many answers :meth:`memo` keeps per snapshot.
    MEMO_SIZE = 64
    #: Derived values, in the order :meth:`warm` computes them.
    DERIVED = (
        "ties",
        "index",
        "positions",
        "graph",
        "movement_ei",
        "ranking",
        "report",
        "metrics",
    )
    #: Quicker values, computed in the request that first needs them (or by :meth:`warm`).
    QUICK = (
        "movement_names",
        "group_names",
        "group_counts",
        "member_total",
        "bridging_members",
        "group_actions",
        "matrix",
    )

    def __init__(
        self,
        coalition: Coalition,
        *,
        seed: int = 42,
        suppress_below: int = SUPPRESS_BELOW,
    ):
        self.coalition = coalition
        self.seed = seed
        self.suppress_below = suppress_below
        self._lock = threading.RLock()
        self._futures: dict[str, Future] = {}
        self._cache: dict[str, Any] = {}
        self._computing: dict[Any, threading.Lock] = {}

    @property
    def since(self) -> str | None:
        return self.coalition.since

    @property
    def until(self) -> str | None:
        return self.coalition.until

    # -- slow values, computed in the background ------------------------------------------
    def get(self, name: str, wait: float | None = None) -> Any:
        """The derived value ``name`` (one of :attr:`DERIVED`), waiting at most ``wait`` s.

        Raises
        ------
        Pending
            If it is not ready within ``wait`` seconds; it goes on being
            computed, and the next call may find it ready.
        """
        with self._lock:
            future = self._futures.get(name)
            if future is None:
                compute = getattr(self, f"_compute_{name}")
                future = self._futures[name] = _in_background(name, compute)
        try:
            return future.result(timeout=wait)
        except FutureTimeout:
            raise Pending(self._pending_text(name, future)) from None

    def ready(self, name: str) -> bool:
        """Whether ``name`` has been computed (without starting or waiting for it)."""
        with self._lock:
            future = self._futures.get(name)
        return future is not None and future.done() and future.exception() is None

    def warm(self) -> None:
        """Compute every derived value now (blocking): the slow ones, then the quick ones."""
        for name in self.DERIVED:
            self.get(name)
        for name in self.QUICK:
            getattr(self, name)

    def _pending_text(self, name: str, future: Future) -> str:
        seconds = time.monotonic() - getattr(future, "started", time.monotonic())
        groups = len(self.coalition.groups)
        if name == "report" or name == "metrics":
            what = f"Computing the metrics of {groups:,} groups"
            if self.ready("ties"):
                what += f" and {len(self.get('ties').u):,} ties"
        elif name == "ranking":
            what = f"Ranking {groups:,} groups by what their departure would break"
        else:
            what = f"Building the coalition graph of {groups:,} groups"
        return (
            f"{what} (started {seconds:.0f} s ago). This view fills in by itself as soon "
            "as they are ready."
        )

    def _compute_ties(self) -> Ties:
        return band_ties(coalition_ties(self.coalition), self.suppress_below)

    def _compute_graph(self) -> nx.Graph:
        return self.get("ties").graph()

    def _compute_index(self) -> NetworkIndex:
        return NetworkIndex.from_ties(self.get("ties"))

    def _compute_positions(self) -> dict[str, tuple[float, float]]:
        return graph_positions(self.get("ties"), seed=self.seed)

    def _compute_movement_ei(self) -> dict[str, dict]:
        return movement_ei(self.index)

    def _compute_ranking(self) -> list[dict]:
        from graph.metrics import fragmentation_ranking

        return fragmentation_ranking(self.graph)

    def _compute_report(self) -> Report:
        graph = self.graph
        with shared_arrays(graph, self.get("ties").arrays()):  # no second conversion
            return compute_report(self.coalition, graph=graph, seed=self.seed, exact_max=EXACT_MAX)

    def _compute_metrics(self) -> dict[str, dict]:
        return {row["group_id"]: row for row in self.report.groups}

    @property
    def graph(self) -> nx.Graph:
        """The coalition graph (all tie types, weights 1), small shared-member counts banded.

        Every view and metric of the dashboard is computed from this graph, so
        a shared-member count under ``suppress_below`` is never used but as 1
        (see :func:`dashboard.views.band_ties`).
        """
        return self.get("graph")

    @property
    def index(self) -> NetworkIndex:
        """:attr:`graph` as arrays, for filtering network views quickly."""
        return self.get("index")

    @property
    def report(self) -> Report:
        """The whole metric suite on :attr:`graph`."""
        return self.get("report")

    @property
    def positions(self) -> dict[str, tuple[float, float]]:
        """Node positions of the network view, seeded so a view is stable."""
        return self.get("positions")

    @property
    def metrics(self) -> dict[str, dict]:
        """Group metric rows keyed by group id."""
        return self.get("metrics")

    @property
    def fragmentation_ranking(self) -> list[dict]:
        """Groups whose single departure fragments the coalition most."""
        return self.get("ranking")

    # -- quick values, computed on first use ---------------------------------------------------
    def _once(self, name: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per snapshot (per ``name``).

        The snapshot's lock is not held while computing: a computation may
        wait for a derived value whose own computation, in its thread, needs
        that lock (the movement matrix waits for the graph, built from the ties).
        """
        with self._lock:
            if name in self._cache:
                return self._cache[name]
            once = self._computing.setdefault(name, threading.Lock())
        with once:
            with self._lock:
                if name in self._cache:
                    return self._cache[name]
            value = compute()
            with self._lock:
                self._cache[name] = value
            return value

    def memo(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """``compute()``, kept under ``key`` for this snapshot (a view's table, say).

        Pages ask the same question more than once (a date picker re-fires
        every callback of its page once when it mounts; a click comes back
        to a period already seen), and at 10,000 groups some answers take a
        few tenths of a second. At most :attr:`MEMO_SIZE` answers are kept.
        """
        with self._lock:
            memo = self._cache.setdefault("_memo", OrderedDict())
            if key in memo:
                memo.move_to_end(key)
                return memo[key]
        value = compute()  # not under the lock (see _once); two equal answers at worst
        with self._lock:
            memo[key] = value
            while len(memo) > self.MEMO_SIZE:
                memo.popitem(last=False)
            return value

    @property
    def group_counts(self) -> dict[str, dict[str, int]]:
        """Per group: distinct ``members``, ``actions`` and ``resources`` in the window."""

        def compute():
            affiliation = self.coalition.affiliations()
            return {
                gid: {kind: len(affiliation[kind].get(gid, ())) for kind in affiliation}
                for gid in self.coalition.groups
            }

        return self._once("group_counts", compute)

    @property
    def member_total(self) -> int:
        """Members in the window: all members without a window, else those with a membership."""
        if not self.since and not self.until:
            return self.coalition.member_count
        return self._once("member_total", lambda: len({m[0] for m in self.coalition.memberships}))

    @property
    def action_groups(self) -> dict[str, list[str]]:
        """Each action's groups (in the window), sorted."""

        def compute():
            out: dict[str, set[str]] = defaultdict(set)
            for gid, aid, *_ in self.coalition.participations:
                if gid in self.coalition.groups:
                    out[aid].add(gid)
            return {aid: sorted(gids) for aid, gids in out.items()}

        return self._once("action_groups", compute)

    @property
    def group_actions(self) -> dict[str, list[str]]:
        """Each group's joint actions (two or more groups), latest first."""

        def compute():
            out: dict[str, list[str]] = defaultdict(list)
            actions = self.coalition.actions
            for aid, gids in self.action_groups.items():
                if len(gids) >= 2:
                    for gid in gids:
                        out[gid].append(aid)
            for aids in out.values():
                aids.sort(
                    key=lambda a: (actions.get(a, {}).get("start_date") or "", a), reverse=True
                )
            return dict(out)

        return self._once("group_actions", compute)

    @property
    def bridging_members(self) -> int:
        """How many members belong to groups of two or more primary movements (a count only)."""

        def compute():
            primary = {gid: self.coalition.primary_movement(gid) for gid in self.coalition.groups}
            spans: dict[str, set] = defaultdict(set)
            for member, gid, *_ in self.coalition.memberships:
                movement = primary.get(gid)
                if movement is not None:
                    spans[member].add(movement)
            return sum(1 for movements in spans.values() if len(movements) >= 2)

        return self._once("bridging_members", compute)

    @property
    def movement_names(self) -> dict[str, str]:
        return self._once(
            "movement_names",
            lambda: {mid: m.get("name") or mid for mid, m in self.coalition.movements.items()},
        )

    @property
    def group_names(self) -> dict[str, str]:
        return self._once(
            "group_names",
            lambda: {gid: g.get("name") or gid for gid, g in self.coalition.groups.items()},
        )

    @property
    def matrix(self) -> list[dict]:
        """The movement matrix (``graph.metrics.movement_matrix``), without the whole suite."""

        def compute():
            from graph.metrics import movement_matrix

            if self.ready("report"):
                return self.report.matrix
            affiliation = self.coalition.affiliations()
            return movement_matrix(
                self.graph,
                members=affiliation["members"],
                actions=affiliation["actions"],
                resources=affiliation["resources"],
            )

        return self._once("matrix", compute)


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
        seed: int = 42,
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
        self._store_lock = threading.RLock()
        self._store: Store | None = None
        self._bolt_port: int | None = None  # of the embedded store last connected to
        self._static = False
        self._full: Coalition | None = None
        self._version: tuple | None = None
        self._loaded_at = 0.0
        self._checked_at = 0.0
        self._reading: Future | None = None
        self._warm = False
        self._snapshots: OrderedDict[tuple, Snapshot] = OrderedDict()

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

    def close(self) -> None:
        with self._store_lock:
            self._close_store()

    # -- internals ----------------------------------------------------------------
    def _fresh(self, wait: float | None) -> Coalition:
        """The whole coalition: as last read, or read again if due (see the module notes)."""
        with self._lock:
            if self._static:
                assert self._full is not None
                return self._full
            now = self._clock()
            reading = self._reading
            if reading is None:
                if self._full is None or now - self._loaded_at > self.max_age:
                    reading = self._start_reading(now)
                elif now - self._checked_at > self.check_every:
                    version = self._guarded(self._read_version)
                    self._checked_at = now
                    if version != self._version:
                        log.info("the store changed; reading the coalition again")
                        reading = self._start_reading(now)
            previous = self._full
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
                self._loaded_at = self._checked_at = now
                self._reading = None
            if self._warm and again and full.groups:
                self.warm()  # the store changed: prepare the new data as at the start
            return version, full

        self._reading = _in_background("read", read)
        return self._reading

    @staticmethod
    def _read_version(store: Store) -> tuple:
        state = read_state(store)
        return (state.status, state.version, *sorted(store.counts().items()))

    def _guarded(self, work: Callable[[Store], Any]) -> Any:
        """Run ``work`` on the store; on a store error, drop the connection and re-raise.

        A connection that worked before and now fails is opened again once
        at once: the store may have been restarted (the embedded one on new
        ports) since it was last used.
        """
        with self._store_lock:
            for attempt in (1, 2):
                reused = self._store is not None
                try:
                    return work(self._connect())
                except StoreUnavailable:
                    self._close_store()
                    if attempt == 2 or not reused:
                        raise
                    log.info("lost the connection to the store; connecting again")
                except StoreError:
                    self._close_store()
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _connect(self) -> Store:
        """The open store, connecting if needed.

        The embedded store is started on demand for the first connection only.
        Once connected, a stopped embedded store is reported as unavailable
        (someone stopped it; the dashboard does not start it behind their
        back) until it runs again, wherever its new ports are.
        """
        config = self.config or StoreConfig.from_env()
        if config.embedded:
            status = EmbeddedStore(config.home).status()
            if self._store is not None and status.bolt_port != self._bolt_port:
                self._close_store()  # stopped, or restarted on other ports
            if self._store is None and self._bolt_port is not None and not status.running:
                raise StoreUnavailable(
                    f"the {config.describe()} is not running; start it again with "
                    "`coalition store start`"
                )
        if self._store is None:
            self._store = open_store(config, constraints=False)
            if config.embedded:
                self._bolt_port = EmbeddedStore(config.home).status().bolt_port
        return self._store

    def _close_store(self) -> None:
        if self._store is not None:
            try:
                self._store.close()
            except Exception:  # pragma: no cover - closing a dead driver
                log.debug("closing the store failed", exc_info=True)
            self._store = None


def current() -> CoalitionData:
    """The data source of the app serving the current request."""
    from flask import current_app

    return current_app.config[DATA_KEY]


def problem(exc: BaseException) -> str:
    """The one-line message a page shows for an error, never a traceback."""
    if isinstance(exc, StoreUnavailable):
        return (
            f"The graph store is unavailable: {exc}. The dashboard reconnects by itself "
            "when the store is back; reload the page then."
        )
    if isinstance(exc, StoreError):
        return f"The graph store is unavailable: {exc}"
    if isinstance(exc, CoalitionError):
        return str(exc)
    return "Something went wrong while building this view; the details are in the server log."
