"""The dashboard's one way to the data, with caching.

:class:`CoalitionData` reads the whole coalition from the store once and keeps
it. Everything derived from it — the windowed coalition, the coalition graph,
the metric report, node positions, per-group counts — is computed the first
time a view asks for it and kept per date window (a small LRU), so a click
never recomputes the whole suite.

Freshness: at most every ``check_every`` seconds the node and relationship
counts of the store are compared with those seen at the last read (a load or
an erased member changes them) and everything is re-read if they differ;
after ``max_age`` seconds the data are re-read anyway.

Outages: while the store cannot be reached every request says so (a
:class:`graph.errors.StoreUnavailable`, which the pages show as a message) and
asks again, so the dashboard recovers by itself as soon as the store is back
— the embedded one possibly on new ports, read again from its ``store.json``.

The object lives on the Flask server of the app
(``app.server.config[DATA_KEY]``); callbacks reach it with :func:`current`.
Nothing here is module-level mutable state.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import cached_property
from typing import Any

import networkx as nx

from dashboard.views import band_shared_members, graph_positions
from graph.coalition import Coalition, coalition_graph, read_coalition
from graph.embedded import EmbeddedStore
from graph.errors import (
    CoalitionError,
    IncompleteLoad,
    LoadInProgress,
    StoreError,
    StoreUnavailable,
    UsageError,
)
from graph.loadstate import read_state
from graph.report import Report, compute_report
from graph.store import Store, StoreConfig, open_store

__all__ = [
    "DATA_KEY",
    "SUPPRESS_BELOW",
    "CoalitionData",
    "Snapshot",
    "current",
    "problem",
    "parse_date",
]

log = logging.getLogger(__name__)

#: Key of the data source in ``app.server.config``.
DATA_KEY = "COALITION_DATA"
#: Member counts under this are shown as "<5" (DESIGN.md, *Privacy*).
SUPPRESS_BELOW = 5
#: Above this many groups, betweenness is sampled (see ``graph.metrics``).
EXACT_MAX = 5000


def parse_date(value: Any, *, name: str = "date") -> str | None:
    """An ISO date ``YYYY-MM-DD`` from a control or a query string, or None.

    Date pickers may send ``2021-03-04T00:00:00``; only the date is kept.

    Raises
    ------
    graph.errors.UsageError
        If ``value`` is not empty and not a date.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise UsageError(f"{name} {text!r} is not a date (YYYY-MM-DD)") from None


class Snapshot:
    """The coalition in one date window and everything derived from it, computed once.

    Attributes are computed on first use and kept; a snapshot is never
    modified after that, so views may share it between requests.
    """

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

    @property
    def since(self) -> str | None:
        return self.coalition.since

    @property
    def until(self) -> str | None:
        return self.coalition.until

    def _once(self, name: str, compute: Callable[[], Any]) -> Any:
        # cached_property is not locked; this makes sure a slow value (the
        # report) is computed by one request while the others wait for it.
        with self._lock:
            if name not in self.__dict__:
                self.__dict__[name] = compute()
            return self.__dict__[name]

    @property
    def graph(self) -> nx.Graph:
        """The coalition graph (all tie types, weights 1), small shared-member counts banded.

        Every view and metric of the dashboard is computed from this graph, so
        a shared-member count under ``suppress_below`` is never used but as 1
        (see :func:`dashboard.views.band_shared_members`).
        """
        return self._once(
            "_graph",
            lambda: band_shared_members(coalition_graph(self.coalition), self.suppress_below),
        )

    @property
    def report(self) -> Report:
        """The whole metric suite on :attr:`graph`."""
        return self._once(
            "_report",
            lambda: compute_report(
                self.coalition, graph=self.graph, seed=self.seed, exact_max=EXACT_MAX
            ),
        )

    @property
    def positions(self) -> dict[str, tuple[float, float]]:
        """Node positions of the network view, seeded so a view is stable."""
        return self._once("_positions", lambda: graph_positions(self.graph, seed=self.seed))

    @cached_property
    def metrics(self) -> dict[str, dict]:
        """Group metric rows keyed by group id."""
        return {row["group_id"]: row for row in self.report.groups}

    @cached_property
    def group_counts(self) -> dict[str, dict[str, int]]:
        """Per group: distinct ``members``, ``actions`` and ``resources`` in the window."""
        affiliation = self.coalition.affiliations()
        return {
            gid: {kind: len(affiliation[kind].get(gid, ())) for kind in affiliation}
            for gid in self.coalition.groups
        }

    @cached_property
    def member_total(self) -> int:
        """Members in the window: all members without a window, else those with a membership."""
        if not self.since and not self.until:
            return self.coalition.member_count
        return len({m[0] for m in self.coalition.memberships})

    @property
    def fragmentation_ranking(self) -> list[dict]:
        """Groups whose single departure fragments the coalition most."""
        from graph.metrics import fragmentation_ranking

        return self._once("_ranking", lambda: fragmentation_ranking(self.graph))

    @cached_property
    def movement_names(self) -> dict[str, str]:
        return {mid: m.get("name") or mid for mid, m in self.coalition.movements.items()}

    @cached_property
    def group_names(self) -> dict[str, str]:
        return {gid: g.get("name") or gid for gid, g in self.coalition.groups.items()}


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
    ):
        self.config = config
        self.check_every = check_every
        self.max_age = max_age
        self.max_windows = max_windows
        self.suppress_below = suppress_below
        self.seed = seed
        self._clock = clock
        self._lock = threading.RLock()
        self._store: Store | None = None
        self._bolt_port: int | None = None  # of the embedded store last connected to
        self._static = False
        self._full: Coalition | None = None
        self._version: tuple | None = None
        self._loaded_at = 0.0
        self._checked_at = 0.0
        self._snapshots: OrderedDict[tuple, Snapshot] = OrderedDict()

    @classmethod
    def from_coalition(cls, coalition: Coalition, **kwargs) -> CoalitionData:
        """A data source over a coalition in memory, never touching a store."""
        source = cls(**kwargs)
        source._full = coalition
        source._static = True
        return source

    # -- public -------------------------------------------------------------------
    def snapshot(self, since: Any = None, until: Any = None) -> Snapshot:
        """The coalition in the window ``[since, until]`` with its derived data.

        Raises
        ------
        graph.errors.UsageError
            For a malformed date or ``since`` after ``until``.
        graph.errors.StoreError
            If the store cannot be reached or read.
        """
        since = parse_date(since, name="since")
        until = parse_date(until, name="until")
        if since and until and since > until:
            raise UsageError(f"the window starts ({since}) after it ends ({until})")
        with self._lock:
            full = self._fresh()
            key = (since, until)
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

    def invalidate(self) -> None:
        """Forget everything; the next request re-reads the store."""
        with self._lock:
            if not self._static:
                self._full = None
            self._snapshots.clear()

    def close(self) -> None:
        with self._lock:
            self._close_store()

    # -- internals ----------------------------------------------------------------
    def _fresh(self) -> Coalition:
        if self._static:
            assert self._full is not None
            return self._full
        now = self._clock()
        if self._full is None or now - self._loaded_at > self.max_age:
            self._reload(now)
        elif now - self._checked_at > self.check_every:
            version = self._guarded(lambda store: self._read_version(store))
            self._checked_at = now
            if version != self._version:
                log.info("the store changed; re-reading the coalition")
                try:
                    self._reload(now)
                except (LoadInProgress, IncompleteLoad):
                    # A load is writing (or died part-way): keep showing the
                    # last complete data rather than a mixture; check again later.
                    log.info("a load is not complete; still showing the previous data")
        assert self._full is not None
        return self._full

    def _reload(self, now: float) -> None:
        def read(store: Store) -> tuple[tuple, Coalition]:
            version = self._read_version(store)
            return version, read_coalition(store)

        self._version, self._full = self._guarded(read)
        self._snapshots.clear()
        self._loaded_at = self._checked_at = now

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
