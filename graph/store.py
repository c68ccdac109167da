"""Connecting to the graph store over Bolt.

One code path for every store: the official ``neo4j`` driver speaking Bolt and
Cypher. ``NEO4J_URI`` (and ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``) selects a real Neo4j; without it the embedded ArcadeDB
store in ``COALITION_HOME`` is started on demand.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import neo4j
from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_errors

from graph import cypher
from graph.embedded import DATABASE_NAME, EmbeddedStore
from graph.errors import StoreAuthError, StoreError, StoreUnavailable, UnknownDatabase

__all__ = ["StoreConfig", "Store", "open_store", "batched"]

log = logging.getLogger(__name__)

BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass(frozen=True)
class StoreConfig:
    """Where the store is. ``uri=None`` means the embedded store."""

    uri: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    home: str | None = None

    @classmethod
    def from_env(cls, **overrides) -> StoreConfig:
        """Read the Neo4j conventions from the environment; non-None overrides win."""
        values = {
            "uri": os.environ.get("NEO4J_URI") or None,
            "username": os.environ.get("NEO4J_USERNAME") or None,
            "password": os.environ.get("NEO4J_PASSWORD") or None,
            "database": os.environ.get("NEO4J_DATABASE") or None,
            "home": os.environ.get("COALITION_HOME") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def embedded(self) -> bool:
        return not self.uri

    def describe(self) -> str:
        """Where we connect, never with the password."""
        if self.embedded:
            return f"embedded store in {EmbeddedStore(self.home).home}"
        return f"{self.uri} (database {self.database or 'default'})"


class Store:
    """An open connection: a driver and the database to use.

    Create it with :func:`open_store`; close it with :meth:`close` or a
    ``with`` block. The driver is created once and shared by everything that
    reads or writes.
    """

    def __init__(self, driver: neo4j.Driver, database: str | None, config: StoreConfig):
        self.driver = driver
        self.database = database
        self.config = config

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.driver.close()

    def session(self, **kwargs) -> neo4j.Session:
        return self.driver.session(database=self.database, **kwargs)

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
                return session.run(query, params).values()

    def stream(self, query: str, **params) -> Iterator[dict]:
        """Yield the records of a read query one at a time, without holding them all."""
        with translate_errors(self.config):
            with self.session(default_access_mode=neo4j.READ_ACCESS) as session:
                result = session.run(query, params)
                for record in result:
                    yield record.data()

    def ensure_constraints(self) -> None:
        """Create the uniqueness constraint of every node key, if not there yet."""
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


def open_store(config: StoreConfig | None = None, *, constraints: bool = True) -> Store:
    """Connect to the configured store, starting the embedded one if needed.

    Parameters
    ----------
    config : StoreConfig, optional
        Defaults to :meth:`StoreConfig.from_env`.
    constraints : bool
        Create the key constraints (``IF NOT EXISTS``) before returning.
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
            max_transaction_retry_time=10.0,
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


def rows_of(records: Sequence[dict], *keys: str) -> list[tuple]:
    """Project dict records onto tuples of the given keys."""
    return [tuple(r.get(k) for k in keys) for r in records]
