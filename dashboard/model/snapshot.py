"""One date window of the coalition and everything derived from it, each computed once.

A :class:`Snapshot` is what :class:`dashboard.data.CoalitionData` keeps per
date window: the banded ties, the coalition graph, its
:class:`~dashboard.model.network.NetworkIndex`, node positions, the metric
report and a few quicker per-group values. Slow values are computed in a
background thread of their own (:func:`in_background`); a page that cannot
wait gets :class:`Pending` and asks again.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import networkx as nx

from dashboard.model.movements import movement_ei
from dashboard.model.network import NetworkIndex
from dashboard.model.positions import graph_positions
from dashboard.model.solidarity import groups_in_movements, solidarity_of
from graph.bridges import Bridges, compute_bridges
from graph.coalition import Coalition
from graph.errors import CoalitionError
from graph.metrics import DEFAULT_SEED, Solidarity
from graph.privacy import SUPPRESS_BELOW, band_ties
from graph.projection import Ties, coalition_ties
from graph.report import Report, compute_report

__all__ = ["Pending", "Snapshot", "in_background"]


class Pending(CoalitionError):
    """Data a view needs are still being read or computed; the view asks again soon."""


def in_background(name: str, work: Callable[[], Any]) -> Future:
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
        "bridges",
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
        "solidarity",
    )

    def __init__(
        self,
        coalition: Coalition,
        *,
        seed: int = DEFAULT_SEED,
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
                future = self._futures[name] = in_background(name, compute)
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
        elif name == "bridges":
            what = f"Finding the fragile movement links among {groups:,} groups"
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
        # The library's defaults (exact betweenness up to graph.metrics.EXACT_MAX groups,
        # DEFAULT_SAMPLES sources above), so the dashboard and the CLI agree; the arrays
        # passed down, so the graph is not converted a second time.
        return compute_report(
            self.coalition, graph=self.graph, arrays=self.get("ties").arrays(), seed=self.seed
        )

    def _compute_bridges(self) -> Bridges:
        return compute_bridges(self.coalition, graph=self.graph, arrays=self.get("ties").arrays())

    def _compute_metrics(self) -> dict[str, dict]:
        return {row["group_id"]: row for row in self.report.groups}

    @property
    def graph(self) -> nx.Graph:
        """The coalition graph (all tie types, weights 1), small shared-member counts banded.

        Every view and metric of the dashboard is computed from this graph, so
        a shared-member count under ``suppress_below`` is never used but as 1
        (see :func:`graph.privacy.band_ties`).
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
    def solidarity(self) -> Solidarity:
        """Who shows up for whom in this window (:mod:`graph.metrics.solidarity`), all groups."""
        return self.solidarity_among(())

    def solidarity_among(self, movements: tuple[str, ...] | list[str]) -> Solidarity:
        """The same among the groups of ``movements`` (all groups when empty), as the CLI's
        ``--movement`` keeps them."""
        chosen = tuple(sorted(set(movements)))

        def compute() -> Solidarity:
            groups = groups_in_movements(self.coalition, chosen) if chosen else None
            return solidarity_of(self.coalition, groups)

        return self._once(("solidarity", chosen), compute)

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
