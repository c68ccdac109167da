"""Where the store is: the Neo4j conventions, or the embedded store in ``COALITION_HOME``.

One code path for every store: the official ``neo4j`` driver speaking Bolt and
Cypher. ``NEO4J_URI`` (and ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``) selects a real Neo4j; without it the embedded ArcadeDB
store in ``COALITION_HOME`` is started on demand.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import StoreError

__all__ = ["StoreConfig", "coalition_home", "ledger_home", "BOLT_SCHEMES", "READ_PAGE_ROWS"]

#: Where the project keeps its data (the embedded store, keys, written reports) by default.
DEFAULT_HOME = ".coalition"


def coalition_home(home: str | os.PathLike | None = None) -> Path:
    """The project data directory: ``home``, else ``$COALITION_HOME``, else ``./.coalition``.

    >>> coalition_home("/tmp/x").as_posix()
    '/tmp/x'
    """
    return Path(home or os.environ.get("COALITION_HOME") or DEFAULT_HOME).resolve()


def ledger_home(home: str | os.PathLike | None = None) -> Path:
    """Where the ledgers of the loads made from a project directory are kept
    (:mod:`loaders.ledger`): they hold store keys, so erasing a member deletes them."""
    return coalition_home(home) / "loads"


#: Rows per page when a table is read (``COALITION_READ_PAGE`` overrides it): a server
#: builds one page at a time in its transaction memory. Smaller for Aura's small limits.
READ_PAGE_ROWS = 100_000
_PAGE_VARIABLE = "COALITION_READ_PAGE"

BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass(frozen=True)
class StoreConfig:
    """Where the store is. ``uri=None`` means the embedded store."""

    uri: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    home: str | None = None
    #: Rows per page of a table read (:data:`READ_PAGE_ROWS`).
    page_rows: int = READ_PAGE_ROWS

    def __post_init__(self) -> None:
        if self.page_rows < 1:
            raise StoreError(f"the read page size must be at least 1 row, not {self.page_rows}")

    @classmethod
    def from_env(cls, **overrides) -> StoreConfig:
        """Read the Neo4j conventions from the environment; non-None overrides win."""
        values = {
            "uri": os.environ.get("NEO4J_URI") or None,
            "username": os.environ.get("NEO4J_USERNAME") or None,
            "password": os.environ.get("NEO4J_PASSWORD") or None,
            "database": os.environ.get("NEO4J_DATABASE") or None,
            "home": os.environ.get("COALITION_HOME") or None,
            "page_rows": _page_rows(os.environ.get(_PAGE_VARIABLE)),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values["page_rows"] is None:
            del values["page_rows"]
        return cls(**values)

    @property
    def embedded(self) -> bool:
        return not self.uri

    def describe(self) -> str:
        """Where we connect, never with the password.

        >>> StoreConfig(uri="bolt://db:7687", password="secret").describe()
        'bolt://db:7687 (database default)'
        """
        if self.embedded:
            return f"embedded store in {coalition_home(self.home)}"
        return f"{self.uri} (database {self.database or 'default'})"


def _page_rows(value: str | None) -> int | None:
    """``COALITION_READ_PAGE`` as a number of rows (None when unset)."""
    if not value or not value.strip():
        return None
    try:
        return int(value.strip().replace("_", "").replace(",", ""))
    except ValueError:
        raise StoreError(
            f"{_PAGE_VARIABLE}={value!r} is not a number of rows (e.g. 100000)"
        ) from None
