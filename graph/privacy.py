"""Erasing a person from the store and from every file the product wrote."""

from __future__ import annotations

import csv
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from graph import cypher
from graph.embedded import coalition_home
from graph.store import Store

__all__ = ["erase_member"]

log = logging.getLogger(__name__)


def erase_member(
    store: Store, member_ids: Iterable[str], *, home: str | os.PathLike | None = None
) -> int:
    """Delete the member nodes with any of these ids (and their relationships).

    Also removes their rows from the member tables written under ``home``
    (``$COALITION_HOME``), and in the embedded store rebuilds the member key
    index so its files keep no copy of the erased id. Returns the number of
    member nodes erased.
    """
    ids = list(dict.fromkeys(member_ids))
    erased = store.run(cypher.ERASE_MEMBERS, ids=ids)[0]["erased"]
    if erased and store.config.embedded:
        # ArcadeDB keeps a deleted key in its index pages until they are
        # compacted; rebuilding the member key index drops it for good. (A real
        # Neo4j manages its own store files; there we leave its index alone.)
        store.run(cypher.DROP_MEMBER_KEY)
        store.run(cypher.CREATE_MEMBER_KEY)
    base = Path(home).resolve() if home else coalition_home()
    for path in base.rglob("member_metrics.*"):
        _scrub(path, set(ids))
    log.info("erased %d member node(s)", erased)
    return erased


def _scrub(path: Path, ids: set[str]) -> None:
    if path.suffix == ".csv":
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
            fields = rows[0].keys() if rows else None
        if fields is None:
            return
        kept = [r for r in rows if r.get("member_id") not in ids]
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(fields))
            writer.writeheader()
            writer.writerows(kept)
    elif path.suffix == ".json":
        rows = json.loads(path.read_text(encoding="utf-8"))
        kept = [r for r in rows if r.get("member_id") not in ids]
        path.write_text(json.dumps(kept, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    elif path.suffix == ".parquet":
        import pandas as pd

        frame = pd.read_parquet(path)
        frame[~frame["member_id"].isin(ids)].to_parquet(path, index=False)
