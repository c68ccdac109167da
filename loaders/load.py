"""Writing a validated dataset into the graph store.

The dataset is validated as a whole first (:func:`loaders.dataset.validate_dataset`);
if anything is wrong nothing is written. Then the files are streamed again and
written with batched ``UNWIND $rows ...``: constraints first, nodes before
relationships, ``CREATE`` for a label or type the store does not have yet and
``MERGE`` on the keys otherwise, so loading the same dataset again changes
nothing and an edited dataset updates records in place.

Never half a dataset: a load claims the store's load state before its first
write and marks it complete after its last (:mod:`graph.loadstate`). If the
load dies part-way (killed, store down, connection lost) readers refuse with
"re-run the load" instead of showing a mixture, and re-running the same
command finishes it. A second load started meanwhile fails clearly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Queue

from graph.privacy import pseudonym_key, pseudonymize
from graph.schema import (
    ACTION,
    GROUP,
    IN_MOVEMENT,
    MEMBER,
    MEMBER_OF,
    MOVEMENT,
    RESOURCE,
    SHARES,
    TOOK_PART_IN,
)
from graph.store import Store, batched, cypher
from graph.store.loadstate import claim
from loaders.dataset import ValidationReport, iter_records, validate_dataset

__all__ = ["LoadSummary", "load_dataset", "DEFAULT_BATCH_SIZE"]

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 5000

Progress = Callable[[str, int], None]


@dataclass
class LoadSummary:
    """What a load did: per node label or relationship type, rows sent and created."""

    dry_run: bool = False
    rows: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    version: int | None = None

    @property
    def unchanged_or_updated(self) -> dict[str, int]:
        return {k: self.rows[k] - self.created.get(k, 0) for k in self.rows}


def _opt(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _int(value: str | None) -> int | None:
    value = _opt(value)
    return int(value) if value is not None else None


def _plan(directory: Path, member_id: Callable[[str], str], keep_names: bool):
    """The writes of a load, in order: ``(name, query, rows iterator)``."""

    def nodes(file: str, key: str, props: Callable[[dict], dict]) -> Iterator[dict]:
        for _, row in iter_records(directory, file):
            yield {"id": row[key], "props": props(row)}

    def movement_props(r):
        return {"name": r["name"], "description": _opt(r.get("description"))}

    def group_props(r):
        return {
            "name": r["name"],
            "city": _opt(r.get("city")),
            "region": _opt(r.get("region")),
            "country": _opt(r.get("country")),
            "founded": _int(r.get("founded")),
            "size": _int(r.get("size")),
        }

    def member_rows() -> Iterator[dict]:
        for _, r in iter_records(directory, "members"):
            props = {"city": _opt(r.get("city"))}
            if keep_names:
                props["name"] = _opt(r.get("name"))
            yield {"id": member_id(r["member_id"]), "props": props}

    def action_props(r):
        return {
            "name": r["name"],
            "type": _opt(r.get("type")),
            "start_date": r["start_date"],
            "end_date": _opt(r.get("end_date")),
            "city": _opt(r.get("city")),
            "description": _opt(r.get("description")),
        }

    def resource_props(r):
        return {"name": r["name"], "type": r["type"]}

    def in_movement() -> Iterator[dict]:
        for _, r in iter_records(directory, "groups"):
            for rank, movement in enumerate(m.strip() for m in r["movements"].split(";")):
                yield {"group_id": r["group_id"], "movement_id": movement, "rank": rank}

    def memberships() -> Iterator[dict]:
        for _, r in iter_records(directory, "memberships"):
            yield {
                "member_id": member_id(r["member_id"]),
                "group_id": r["group_id"],
                "role": _opt(r.get("role")),
                "start_date": _opt(r.get("start_date")),
                "end_date": _opt(r.get("end_date")),
            }

    def participations() -> Iterator[dict]:
        for _, r in iter_records(directory, "action_groups"):
            yield {
                "action_id": r["action_id"],
                "group_id": r["group_id"],
                "role": _opt(r.get("role")),
            }

    def shares() -> Iterator[dict]:
        for _, r in iter_records(directory, "resource_shares"):
            yield {
                "resource_id": r["resource_id"],
                "group_id": r["group_id"],
                "role": r["role"],
                "start_date": _opt(r.get("start_date")),
                "end_date": _opt(r.get("end_date")),
            }

    return [
        ("node", MOVEMENT, nodes("movements", "movement_id", movement_props)),
        ("node", GROUP, nodes("groups", "group_id", group_props)),
        ("node", MEMBER, member_rows()),
        ("node", ACTION, nodes("actions", "action_id", action_props)),
        ("node", RESOURCE, nodes("resources", "resource_id", resource_props)),
        ("rel", IN_MOVEMENT, in_movement()),
        ("rel", MEMBER_OF, memberships()),
        ("rel", TOOK_PART_IN, participations()),
        ("rel", SHARES, shares()),
    ]


def load_dataset(
    directory: str | Path,
    store: Store | None,
    *,
    dry_run: bool = False,
    prune: bool = False,
    pseudonymize_members: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    report: ValidationReport | None = None,
) -> LoadSummary:
    """Validate a dataset, then write it into the store.

    Parameters
    ----------
    directory : path
        The dataset folder.
    store : graph.store.Store
        An open store (may be None with ``dry_run``).
    dry_run : bool
        Validate and count, write nothing.
    prune : bool
        Also delete records (nodes and relationships) that the store has and
        the dataset no longer does. Without it nothing is ever deleted.
    pseudonymize_members : bool
        Replace member ids by keyed HMAC-SHA256 pseudonyms and drop names
        before anything reaches the store.
    batch_size : int
        Rows per ``UNWIND`` transaction.
    progress : callable, optional
        Called as ``progress(step, rows_done_in_step)`` after every batch.

    Raises
    ------
    loaders.dataset.DatasetInvalid
        If the dataset has any problem; nothing is written then.
    """
    directory = Path(directory)
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = report or validate_dataset(directory)
    summary = LoadSummary(dry_run=dry_run)
    if pseudonymize_members:
        key = pseudonym_key(store.config.home if store is not None else None)

        def member_id(raw: str) -> str:
            return pseudonymize(raw, key)
    else:

        def member_id(raw: str) -> str:
            return raw

    plan = _plan(directory, member_id, keep_names=not pseudonymize_members)
    if dry_run or store is None:
        for _kind, name, rows in plan:
            summary.rows[name] = sum(1 for _ in rows)
        return summary
    store.ensure_constraints()
    with claim(store, str(directory)) as load:
        before = store.counts()
        for kind, name, rows in plan:
            # A type with nothing in the store yet cannot clash: CREATE is about
            # twice as fast as MERGE. A re-run after an interrupted load finds
            # the type non-empty and MERGEs.
            fresh = before.get(name, 0) == 0
            if kind == "node":
                query = (cypher.CREATE_NODES if fresh else cypher.MERGE_NODES)[name]
            else:
                query = (cypher.CREATE_RELS if fresh else cypher.MERGE_RELS)[name]
            sent = created = 0
            for batch in _prefetch(batched(rows, batch_size)):
                created += store.write_counted(query, batch)
                sent += len(batch)
                load.heartbeat()
                if progress:
                    progress(name, sent)
            summary.rows[name] = sent
            summary.created[name] = created
            log.info("%s: %d rows, %d created", name, sent, created)
        if prune:
            summary.deleted = _prune(store, directory, member_id, batch_size, load)
        summary.version = load.finish()
    return summary


def _prune(store: Store, directory: Path, member_id, batch_size: int, load) -> dict[str, int]:
    """Delete what the store has and the dataset no longer does."""
    deleted: dict[str, int] = {}
    rels = {
        IN_MOVEMENT: (
            (r["group_id"], m.strip())
            for _, r in iter_records(directory, "groups")
            for m in r["movements"].split(";")
        ),
        MEMBER_OF: (
            (member_id(r["member_id"]), r["group_id"])
            for _, r in iter_records(directory, "memberships")
        ),
        TOOK_PART_IN: (
            (r["group_id"], r["action_id"]) for _, r in iter_records(directory, "action_groups")
        ),
        SHARES: (
            (r["group_id"], r["resource_id"]) for _, r in iter_records(directory, "resource_shares")
        ),
    }
    for rel, pairs in rels.items():
        wanted = set(pairs)
        gone = [
            {"a": row["a"], "b": row["b"]}
            for row in store.stream(cypher.READ_REL_KEYS[rel])
            if (row["a"], row["b"]) not in wanted
        ]
        for batch in batched(gone, batch_size):
            store.run(cypher.DELETE_RELS[rel], rows=batch)
            load.heartbeat()
        deleted[rel] = len(gone)
    keys = {
        MOVEMENT: ("movements", "movement_id"),
        GROUP: ("groups", "group_id"),
        MEMBER: ("members", "member_id"),
        ACTION: ("actions", "action_id"),
        RESOURCE: ("resources", "resource_id"),
    }
    for label, (file, key) in keys.items():
        convert = member_id if label == MEMBER else str
        wanted_ids = {convert(r[key]) for _, r in iter_records(directory, file)}
        gone_ids = [
            row["id"]
            for row in store.stream(cypher.READ_NODE_IDS[label])
            if row["id"] not in wanted_ids
        ]
        for batch in batched(gone_ids, batch_size):
            store.run(cypher.DELETE_NODES[label], ids=batch)
            load.heartbeat()
        deleted[label] = len(gone_ids)
    log.info("pruned %s", deleted)
    return deleted


def _prefetch(batches: Iterator[list], depth: int = 2) -> Iterator[list]:
    """Read and convert the next batches in a thread while the store writes this one."""
    queue: Queue = Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    return
                queue.put(batch)
            queue.put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            queue.put(exc)

    thread = threading.Thread(target=produce, name="load-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = queue.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            try:
                queue.get_nowait()
            except Empty:
                thread.join(0.05)
