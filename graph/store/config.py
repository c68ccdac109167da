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

__all__ = ["StoreConfig", "coalition_home", "BOLT_SCHEMES"]

#: Where the project keeps its data (the embedded store, keys, written reports) by default.
DEFAULT_HOME = ".coalition"


def coalition_home(home: str | os.PathLike | None = None) -> Path:
    """The project data directory: ``home``, else ``$COALITION_HOME``, else ``./.coalition``.

    >>> coalition_home("/tmp/x").as_posix()
    '/tmp/x'
    """
    return Path(home or os.environ.get("COALITION_HOME") or DEFAULT_HOME).resolve()


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
        """Where we connect, never with the password.

        >>> StoreConfig(uri="bolt://db:7687", password="secret").describe()
        'bolt://db:7687 (database default)'
        """
        if self.embedded:
            return f"embedded store in {coalition_home(self.home)}"
        return f"{self.uri} (database {self.database or 'default'})"
