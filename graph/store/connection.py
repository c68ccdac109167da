"""The connection: sessions, retries, "write and count", and reconnecting.

Nothing above :mod:`graph.store` opens a session or looks at a port: it calls
:class:`Store` (one query, one managed transaction, driver errors turned into
ours) or :class:`Reconnecting` (a connection kept open across calls that
opens again when the store comes back).

Clusters: every session of a :class:`Store` shares one bookmark manager, so a
read sees the writes the store made before it, also when ``neo4j://`` routing
sends it to another member of the cluster; every query, reads included, runs in
a managed transaction that the driver retries on transient errors.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import neo4j
from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_errors

from graph.errors import StoreAuthError, StoreError, StoreUnavailable, UnknownDatabase
from graph.store import cypher
from graph.store.config import BOLT_SCHEMES, StoreConfig
from graph.store.cypher import Table
from graph.store.embedded import DATABASE_NAME, EmbeddedStore

__all__ = ["Store", "open_store", "batched", "translate_errors", "Reconnecting", "RETRY_S"]

T = TypeVar("T")

#: Pages are chosen to hold 1 / this (80 %) of a page's rows on average: keys do not
#: split a table into exactly equal pages.
_SPREAD = 1.25
#: Rows per key guessed for a relationship table's first page, before its pages tell.
_FIRST_ROWS_PER_KEY = 10
_NO_LIMIT = (1 << 31) - 1  # the embedded store rejects a larger LIMIT

#: How long a managed transaction is retried on transient errors (a leader election,
#: a deadlock): the driver's own default, 30 s; never less.
RETRY_S = 30.0

log = logging.getLogger(__name__)


class Store:
    """An open connection: a driver and the database to use.

    Create it with :func:`open_store`; close it with :meth:`close` or a
    ``with`` block. The driver is created once and shared by everything that
    reads or writes; so is one bookmark manager (:attr:`bookmarks`), passed to
    every session: each query sees what the ones before it wrote.
    """

    def __init__(self, driver: neo4j.Driver, database: str | None, config: StoreConfig):
        self.driver = driver
        self.database = database
        self.config = config
        self.bookmarks = GraphDatabase.bookmark_manager()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.driver.close()

    def session(self, **kwargs) -> neo4j.Session:
        """A session on the store's database that shares the store's bookmark manager."""
        return self.driver.session(
            database=self.database, bookmark_manager=self.bookmarks, **kwargs
        )

    def run(self, query: str, **params) -> list[dict]:
        """Run one query in its own transaction and return the records as dicts."""
        with translate_errors(self.config):
            with self.session() as session:
                return session.execute_write(_collect, query, params)

    def read(self, query: str, **params) -> list[dict]:
        """Run one read query and return the records as dicts."""
        with translate_errors(self.config):
            with self.session() as session:
                return session.execute_read(_collect, query, params)

    def values(self, query: str, **params) -> list[list]:
        """Run one read query and return the records as lists of values (the fastest form)."""
        with translate_errors(self.config):
            with self.session(default_access_mode=neo4j.READ_ACCESS) as session:
                return session.execute_read(_values, query, params)

    def stream(self, query: str, **params) -> Iterator[dict]:
        """Yield the records of a read query (read whole in one managed transaction).

        For results of a few rows; a big table is read with :meth:`pages`.
        """
        yield from self.read(query, **params)

    def pages(
        self, table: Table, *, page_rows: int | None = None, rows: int | None = None
    ) -> Iterator[list]:
        """Yield the rows of a table, read in pages of at most ``page_rows`` rows.

        Parameters
        ----------
        table : graph.store.cypher.Table
            What to read (one of :data:`graph.store.cypher.READ_TABLES`).
        page_rows : int, optional
            Rows per page; :attr:`StoreConfig.page_rows` by default.
        rows : int, optional
            About how many rows the table has (the last load's count): a bigger
            table than a page holds is read in pages at once. Only a hint.

        Notes
        -----
        A table of at most ``page_rows`` rows by the hint (or without a hint) is
        read whole first, at most ``page_rows + 1`` rows: a table that fits costs
        one query, as an unpaged read would. A bigger one is read in pages of
        keys (of its nodes; of a relationship's group), each a range ``($after,
        $last]``: ``$last`` is the largest of the next ``$nodes`` keys
        (:attr:`~graph.store.cypher.Table.bound`), and the page the rows of the
        keys in that range, both in one managed read transaction. Both are seeks
        on the key's index, so every page costs its own rows. How many keys a
        page takes follows the rows per key of the pages before it; a page that
        comes back over the size is dropped and read again with half its keys,
        so every row comes once and no page the server builds holds more than
        ``page_rows + 1`` rows — unless a single node has more relationships of
        one type than that, which are then read together. Keys are the
        dataset's ids: non-empty strings.
        """
        size = page_rows or self.config.page_rows
        if not rows or rows <= size:
            records = self.values(table.whole, limit=size + 1)
            found = (records[0][0] or []) if records else []
            if len(found) <= size:
                yield from found
                return
        nodes = max(1, int(size / _SPREAD / (1 if table.of_nodes else _FIRST_ROWS_PER_KEY)))
        after = ""
        while True:
            limit = _NO_LIMIT if nodes == 1 else size + 1
            with translate_errors(self.config):
                with self.session(default_access_mode=neo4j.READ_ACCESS) as session:
                    last, found = session.execute_read(_page, table, after, nodes, limit)
            if last is None:
                return
            if len(found) > size and nodes > 1:
                nodes //= 2
                continue
            yield from found
            after = last
            # as many keys as the last page's rows per key fill, at most 4 times as many
            nodes = max(1, min(4 * nodes, int(nodes * size / _SPREAD / max(len(found), 1))))

    def write_counted(self, query: str, rows: list[dict]) -> int:
        """Run one ``UNWIND $rows`` write; the number of nodes and relationships it created."""

        def work(tx) -> int:
            counters = tx.run(query, rows=rows).consume().counters
            return counters.nodes_created + counters.relationships_created

        with translate_errors(self.config):
            with self.session() as session:
                return session.execute_write(work)

    def ensure_constraints(self) -> None:
        """Create the uniqueness constraint of every node key, if not there yet.

        Only what writes calls this (a load): a command that only reads needs
        read rights only.
        """
        for query in cypher.CONSTRAINTS:
            self.run(query)

    def counts(self) -> dict[str, int]:
        """Node count per label and relationship count per type."""
        out: dict[str, int] = {}
        for name, query in cypher.COUNTS.items():
            out[name] = self.read(query)[0]["n"]
        return out


def _collect(tx, query: str, params: dict) -> list[dict]:
    return [record.data() for record in tx.run(query, params)]


def _values(tx, query: str, params: dict) -> list[list]:
    return tx.run(query, params).values()


def _page(tx, table: Table, after: str, nodes: int, limit: int) -> tuple[str | None, list]:
    """The last key of the page after ``after`` and the page's rows, in one transaction."""
    last = tx.run(table.bound, after=after, nodes=nodes).single(strict=True)[0]
    if last is None:
        return None, []
    rows = tx.run(table.query, after=after, last=last, limit=limit).single(strict=True)[0]
    return last, rows or []


def batched(rows: Iterable, size: int) -> Iterator[list]:
    """Split an iterable into lists of at most ``size`` items."""
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class translate_errors:  # noqa: N801 - used as a context manager, reads like one
    """Turn driver exceptions into our own, with messages that never hold the password."""

    def __init__(self, config: StoreConfig):
        self.config = config

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None or not isinstance(exc, neo4j_errors.Neo4jError | neo4j_errors.DriverError):
            return False
        where = self.config.describe()
        if isinstance(exc, neo4j_errors.AuthError):
            raise StoreAuthError(
                f"the store at {where} refused the user name or password"
            ) from None
        if isinstance(exc, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired):
            raise StoreUnavailable(f"cannot reach the store at {where}") from None
        code = getattr(exc, "code", "") or ""
        message = getattr(exc, "message", None) or str(exc)
        if "DatabaseNotFound" in code or "database not found" in message.lower():
            raise UnknownDatabase(
                f"the store at {where} has no database {self.config.database or ''!r}"
            ) from None
        if isinstance(exc, neo4j_errors.Neo4jError):
            raise StoreError(f"the store at {where} rejected a query: {message}") from None
        raise StoreUnavailable(f"lost the connection to the store at {where}: {exc}") from None


def open_store(config: StoreConfig | None = None, *, constraints: bool = False) -> Store:
    """Connect to the configured store, starting the embedded one if needed.

    Parameters
    ----------
    config : StoreConfig, optional
        Defaults to :meth:`StoreConfig.from_env`.
    constraints : bool
        Create the key constraints (``IF NOT EXISTS``) before returning. Off by
        default: a load creates them itself, and a command that only reads
        must work with read rights only.
    """
    config = config or StoreConfig.from_env()
    if config.embedded:
        embedded = EmbeddedStore(config.home)
        database = config.database or DATABASE_NAME
        status = embedded.ensure_running(database)
        uri, auth = status.uri, ("root", embedded.password())
    else:
        uri = config.uri
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        if scheme not in BOLT_SCHEMES:
            raise StoreError(
                f"cannot use the store address {uri!r}: it must start with one of "
                + ", ".join(f"{s}://" for s in BOLT_SCHEMES)
            )
        auth = (config.username or "neo4j", config.password or "")
        database = config.database
    try:
        driver = GraphDatabase.driver(
            uri,
            auth=auth,
            connection_timeout=10.0,
            connection_acquisition_timeout=15.0,
            max_transaction_retry_time=RETRY_S,
        )
    except (ValueError, neo4j_errors.ConfigurationError) as exc:
        raise StoreError(f"cannot use the store address {uri!r}: {exc}") from None
    with translate_errors(config):
        driver.verify_connectivity()
    store = Store(driver, database, config)
    try:
        # Touch the database so a wrong name fails here with a clear message.
        store.read("RETURN 1 AS ok")
        if constraints:
            store.ensure_constraints()
    except Exception:
        driver.close()
        raise
    log.info("connected to %s", config.describe())
    return store


class Reconnecting:
    """A store connection kept open across calls, opened again when the store is back.

    For a long-running reader (the dashboard): :meth:`run` hands ``work`` the
    open :class:`Store`. A connection that worked before and now fails is
    opened again once at once: the store may have been restarted (the
    embedded one on new ports) since it was last used. The embedded store is
    started on demand for the first connection only; once connected, a
    stopped embedded store is reported as unavailable (someone stopped it;
    nothing starts it behind their back) until it runs again, wherever its
    new ports are. Calls are serialised by a lock.
    """

    def __init__(self, config: StoreConfig | None = None) -> None:
        self.config = config
        self._store: Store | None = None
        self._bolt_port: int | None = None
        self._lock = threading.RLock()

    @property
    def connected(self) -> bool:
        """Whether a connection is open now."""
        return self._store is not None

    def run(self, work: Callable[[Store], T]) -> T:
        """``work(store)``; on a store error the connection is dropped and the error raised."""
        with self._lock:
            for attempt in (1, 2):
                reused = self._store is not None
                try:
                    return work(self._connect())
                except StoreUnavailable:
                    self.close()
                    if attempt == 2 or not reused:
                        raise
                    log.info("lost the connection to the store; connecting again")
                except StoreError:
                    self.close()
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _connect(self) -> Store:
        config = self.config or StoreConfig.from_env()
        if config.embedded:
            status = EmbeddedStore(config.home).status()
            if self._store is not None and status.bolt_port != self._bolt_port:
                self.close()  # stopped, or restarted on other ports
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

    def close(self) -> None:
        """Close the connection (the next :meth:`run` opens it again)."""
        with self._lock:
            if self._store is not None:
                try:
                    self._store.close()
                except Exception:  # pragma: no cover - closing a dead driver
                    log.debug("closing the store failed", exc_info=True)
                self._store = None
