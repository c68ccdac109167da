"""Which load is running or finished: the store's single ``CoalitionLoad`` node.

A load claims the node (compare-and-set on a token) before its first write,
refreshes a heartbeat while it writes, and marks it complete after its last.
Readers check it: while a load is running, or after one died part-way, they
refuse with a clear message instead of showing half a dataset; re-running the
same load (MERGE on every key) finishes the store. Two loads at once: the
second fails clearly.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass

from graph.errors import IncompleteLoad, LoadInProgress, StoreError, UnmarkedStore
from graph.store import Store, cypher
from graph.store.embedded import pid_alive

__all__ = ["LoadState", "LoadClaim", "read_state", "claim", "ensure_readable", "LEASE_S"]

log = logging.getLogger(__name__)

#: A running load's heartbeat older than this means the load died.
LEASE_S = 60.0
HEARTBEAT_EVERY_S = 5.0


@dataclass(frozen=True)
class LoadState:
    status: str | None
    token: str | None = None
    dataset: str | None = None
    host: str | None = None
    pid: int | None = None
    started_at: float | None = None
    heartbeat: float | None = None
    finished_at: float | None = None
    version: int | None = None
    #: False for a store loaded by a version of the product that did not mark its data.
    marked: bool = True
    #: The last load's rows per node label and relationship type (names and numbers).
    sized: list | None = None
    sizes: list | None = None

    @property
    def rows(self) -> dict[str, int]:
        """The last complete load's rows per label and type (a size hint for readers)."""
        return dict(zip(self.sized or (), self.sizes or (), strict=False))

    @property
    def running(self) -> bool:
        """A load is running now (not one that died)."""
        if self.status != "running":
            return False
        if self.host == socket.gethostname() and self.pid and not pid_alive(self.pid):
            return False
        return (time.time() - (self.heartbeat or 0)) < LEASE_S

    @property
    def interrupted(self) -> bool:
        return self.status == "failed" or (self.status == "running" and not self.running)

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.started_at or 0))
        return f"a load of {self.dataset} started at {when}"


def read_state(store: Store) -> LoadState:
    """The load state, or ``LoadState(None)`` if nothing was ever loaded by us."""
    rows = store.read(cypher.READ_LOAD_STATE)
    return LoadState(**rows[0]) if rows else LoadState(None)


def ensure_readable(store: Store) -> LoadState:
    """Raise unless the store holds a complete dataset (or was never loaded by us)."""
    state = read_state(store)
    if state.running:
        raise LoadInProgress(f"{state.describe()} is still running; try again when it finishes")
    if state.interrupted:
        raise IncompleteLoad(
            f"{state.describe()} did not finish, so the store holds part of it; "
            f"re-run `coalition load {state.dataset}` to complete it"
        )
    if state.status is not None and not state.marked:
        raise UnmarkedStore(
            f"the store holds {state.describe()} by an earlier version of coalition, which did "
            f"not mark its data; load it once more with `coalition load {state.dataset} "
            f"--adopt` to mark it as coalition's"
        )
    return state


class LoadClaim:
    """Hold the store's load state for one load: ``with claim(store, dataset) as c: ...``."""

    def __init__(self, store: Store, dataset: str):
        self.store = store
        self.dataset = dataset
        self.token = uuid.uuid4().hex
        self.previous: LoadState | None = None
        self._last_beat = 0.0
        self.version: int | None = None

    def __enter__(self) -> LoadClaim:
        # the key constraint makes two first claims at once create one node, not two
        self.store.run(cypher.CREATE_LOAD_STATE_KEY)
        state = read_state(self.store)
        if state.running:
            raise LoadInProgress(
                f"{state.describe()} is running; wait for it to finish, then load again"
            )
        try:
            rows = self.store.run(
                cypher.CLAIM_LOAD,
                expected=state.token or "",
                token=self.token,
                dataset=self.dataset,
                host=socket.gethostname(),
                pid=os.getpid(),
                now=time.time(),
            )
        except StoreError:
            rows = []  # a concurrent claim won the race on the same node
        if not rows or rows[0]["token"] != self.token:
            raise LoadInProgress("another load started at the same moment; try again later")
        self.previous = state
        self._last_beat = time.monotonic()
        if state.interrupted:
            log.info("completing %s", state.describe())
        return self

    def heartbeat(self, force: bool = False) -> None:
        """Refresh the lease (at most every few seconds)."""
        if not force and time.monotonic() - self._last_beat < HEARTBEAT_EVERY_S:
            return
        rows = self.store.run(cypher.HEARTBEAT_LOAD, token=self.token, now=time.time())
        if not rows:
            raise LoadInProgress("another load took over the store; this load stopped")
        self._last_beat = time.monotonic()

    def finish(self, rows: dict[str, int] | None = None) -> int:
        """Mark the load complete; ``rows``: what it wrote per label and type (kept as a hint)."""
        rows = self.store.run(
            cypher.FINISH_LOAD,
            token=self.token,
            now=time.time(),
            sized=list(rows or {}),
            sizes=list((rows or {}).values()),
        )
        if not rows:
            raise LoadInProgress("another load took over the store; this load stopped")
        self.version = rows[0]["version"]
        return self.version

    def __exit__(self, exc_type, exc, tb) -> None:
        # A killed process leaves the state 'running' with its pid gone; a load
        # that failed with an exception says so at once. Either way readers see
        # an interrupted load and say to re-run it.
        if exc_type is not None and self.version is None:
            try:
                self.store.run(cypher.FAIL_LOAD, token=self.token, now=time.time())
            except StoreError:
                log.debug("could not mark the load as failed", exc_info=True)
        return None


def claim(store: Store, dataset: str) -> LoadClaim:
    return LoadClaim(store, dataset)
