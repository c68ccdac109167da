"""Storing group metrics on the ``Group`` nodes, for Neo4j Browser and Bloom."""

from __future__ import annotations

from collections.abc import Iterable

from graph.store import Store, batched, cypher

__all__ = ["write_back_metrics", "WRITE_BACK_PREFIX"]

#: Metric properties are stored as ``metric_<column>`` so they never clash with data.
WRITE_BACK_PREFIX = "metric_"
_SKIP = {"group_id", "name", "movements", "primary_movement"}


def write_back_metrics(store: Store, rows: Iterable[dict], *, batch_size: int = 2000) -> int:
    """Set each group's metrics as ``metric_*`` properties; return how many groups."""
    payload = (
        {
            "id": row["group_id"],
            "props": {f"{WRITE_BACK_PREFIX}{k}": v for k, v in row.items() if k not in _SKIP},
        }
        for row in rows
    )
    n = 0
    for batch in batched(payload, batch_size):
        store.run(cypher.WRITE_BACK_GROUP_METRICS, rows=batch)
        n += len(batch)
    return n
