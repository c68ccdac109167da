"""Writing a validated dataset into the graph store.

The dataset is validated as a whole first (:func:`loaders.dataset.validate_dataset`);
if anything is wrong nothing is written. Then the files are streamed again and
written with batched ``UNWIND $rows ...``: constraints first, nodes before
relationships, ``CREATE`` for a label or type the store does not have yet and
``MERGE`` on the keys otherwise, so loading the same dataset again changes
nothing and an edited dataset updates records in place.

Never someone else's data: the store may be a shared database. Every node
and relationship a load writes is marked as the product's; a load into a
database holding nodes with our labels that we did not write refuses before
writing anything, unless asked to adopt them (:mod:`graph.store.ownership`).

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

from graph.privacy import (
    check_pseudonym_key,
    pseudonym_key,
    pseudonymize,
    record_pseudonym_key,
)
from graph.schema import KEY_COLUMNS, MEMBER, RELATIONSHIP_ENDS, RELATIONSHIP_PROPERTIES
from graph.store import Store, batched, cypher
from graph.store.loadstate import claim
from graph.store.ownership import adopt as adopt_foreign
from graph.store.ownership import refuse_foreign
from loaders.dataset import ValidationReport, iter_records, validate_dataset
from loaders.spec import FILE_ORDER, FILES, Column, FileSpec

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
    adopted: dict[str, int] = field(default_factory=dict)
    version: int | None = None


def _opt(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _int(value: str | None) -> int | None:
    value = _opt(value)
    return int(value) if value is not None else None


def _reader(column: Column) -> Callable[[dict], object]:
    """How one column's cell becomes a property value: as is when required, else trimmed
    (an empty cell is no value), whole numbers as ``int``."""
    name = column.name
    if column.required:
        return lambda row: row[name]
    if column.kind in ("int", "year"):
        return lambda row: _int(row.get(name))
    return lambda row: _opt(row.get(name))


def _key_reader(key: str, to_id: Callable[[str], str]) -> Callable[[dict], str]:
    return lambda row: to_id(row[key])


def _ids(spec: FileSpec, member_id: Callable[[str], str]) -> dict[str, Callable[[str], str]]:
    """How each key column's id reaches the store: member ids through ``member_id``."""
    members = FILES[_FILE_OF_LABEL[MEMBER]].key[0]
    return {key: member_id if key == members else str for key in spec.key}


#: The file holding each node label, and each relationship type (but ``IN_MOVEMENT``).
_FILE_OF_LABEL = {spec.label: name for name, spec in FILES.items() if spec.label}
_FILE_OF_REL = {spec.relationship: name for name, spec in FILES.items() if spec.relationship}
#: Each idlist column that becomes a relationship type: (file, column).
_IDLISTS = {
    c.relationship: (s.name, c.name) for s in FILES.values() for c in s.columns if c.relationship
}


def _plan(directory: Path, member_id: Callable[[str], str], keep_names: bool):
    """The writes of a load, in order: ``(kind, label or type, rows iterator)``.

    Nodes first (files in :data:`loaders.spec.FILE_ORDER`), then the relationships
    listed inside a file (a group's movements), then the relationship files; every
    property is a column of :data:`loaders.spec.FILES`.
    """

    def nodes(spec: FileSpec) -> Iterator[dict]:
        (key,) = spec.key
        to_id = _ids(spec, member_id)[key]
        props = {
            name: _reader(spec.column(name))
            for name in spec.property_columns
            if keep_names or (spec.label, name) != (MEMBER, "name")
        }
        for _, row in iter_records(directory, spec.name):
            yield {"id": to_id(row[key]), "props": {p: read(row) for p, read in props.items()}}

    def listed(rel: str) -> Iterator[dict]:
        file, column = _IDLISTS[rel]
        (key,) = FILES[file].key
        target = KEY_COLUMNS[RELATIONSHIP_ENDS[rel][1]]
        (position,) = RELATIONSHIP_PROPERTIES[rel]  # the rank: 0 is the first listed
        for _, row in iter_records(directory, file):
            for rank, listed_id in enumerate(m.strip() for m in row[column].split(";")):
                yield {key: row[key], target: listed_id, position: rank}

    def relationships(spec: FileSpec) -> Iterator[dict]:
        ids = _ids(spec, member_id)
        cells = [
            *((key, _key_reader(key, to_id)) for key, to_id in ids.items()),
            *((name, _reader(spec.column(name))) for name in spec.property_columns),
        ]
        for _, row in iter_records(directory, spec.name):
            yield {name: read(row) for name, read in cells}

    specs = [FILES[name] for name in FILE_ORDER]
    return [
        *(("node", spec.label, nodes(spec)) for spec in specs if spec.label),
        *(("rel", rel, listed(rel)) for rel in _IDLISTS),
        *(("rel", spec.relationship, relationships(spec)) for spec in specs if spec.relationship),
    ]


def load_dataset(
    directory: str | Path,
    store: Store | None,
    *,
    dry_run: bool = False,
    prune: bool = False,
    adopt: bool = False,
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
    adopt : bool
        Mark the nodes with our labels that the product did not write (and
        our relationships between them) as ours first. Without it a load into
        a database holding such nodes raises
        :class:`~graph.errors.ForeignData` before writing anything.
    pseudonymize_members : bool
        Replace member ids by keyed HMAC-SHA256 pseudonyms and drop names
        before anything reaches the store. The store records the key's
        fingerprint; a later pseudonymised load with another key refuses
        (:func:`graph.privacy.check_pseudonym_key`).
    batch_size : int
        Rows per ``UNWIND`` transaction.
    progress : callable, optional
        Called as ``progress(step, rows_done_in_step)`` after every batch.

    Raises
    ------
    loaders.dataset.DatasetInvalid
        If the dataset has any problem; nothing is written then.
    graph.errors.PseudonymKeyMismatch
        If ``pseudonymize_members`` and the store's members were made with
        another key; nothing is written then.
    graph.errors.ForeignData
        If the database holds nodes of our labels that we did not write, and
        ``adopt`` is off; nothing is written then.
    """
    directory = Path(directory)
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = report or validate_dataset(directory)
    summary = LoadSummary(dry_run=dry_run)
    home = store.config.home if store is not None else None
    if pseudonymize_members:
        key = pseudonym_key(home)

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
    if not adopt:
        refuse_foreign(store, str(directory))
    store.ensure_constraints()
    if pseudonymize_members:
        check_pseudonym_key(store, key, home=home)  # before the claim: nothing written
    with claim(store, str(directory)) as load:
        if pseudonymize_members:
            record_pseudonym_key(store, load.token, key, home=home)
        if adopt:
            summary.adopted = adopt_foreign(store, progress=load.heartbeat)
        # through the store's bookmarks: a cluster member that lags cannot answer 0
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
        summary.version = load.finish(rows=summary.rows)
    return summary


def _prune(store: Store, directory: Path, member_id, batch_size: int, load) -> dict[str, int]:
    """Delete what the store has and the dataset no longer does."""
    deleted: dict[str, int] = {}
    rels = {rel: _rel_keys(directory, rel, member_id) for rel in (*_IDLISTS, *_FILE_OF_REL)}
    for rel, pairs in rels.items():
        wanted = set(pairs)
        gone = [
            {"a": a, "b": b}
            for a, b in store.pages(cypher.READ_REL_KEYS[rel])
            if (a, b) not in wanted
        ]
        for batch in batched(gone, batch_size):
            store.run(cypher.DELETE_RELS[rel], rows=batch)
            load.heartbeat()
        deleted[rel] = len(gone)
    for label, file in _FILE_OF_LABEL.items():
        spec = FILES[file]
        (key,) = spec.key
        convert = _ids(spec, member_id)[key]
        wanted_ids = {convert(r[key]) for _, r in iter_records(directory, file)}
        gone_ids = [
            node_id
            for (node_id,) in store.pages(cypher.READ_NODE_IDS[label])
            if node_id not in wanted_ids
        ]
        for batch in batched(gone_ids, batch_size):
            store.run(cypher.DELETE_NODES[label], ids=batch)
            load.heartbeat()
        deleted[label] = len(gone_ids)
    log.info("pruned %s", deleted)
    return deleted


def _rel_keys(directory: Path, rel: str, member_id) -> Iterator[tuple[str, str]]:
    """The (start id, end id) pairs of one relationship type in the dataset."""
    start, end = (KEY_COLUMNS[label] for label in RELATIONSHIP_ENDS[rel])
    if rel in _IDLISTS:
        file, column = _IDLISTS[rel]
        for _, r in iter_records(directory, file):
            for listed_id in r[column].split(";"):
                yield r[start], listed_id.strip()
        return
    spec = FILES[_FILE_OF_REL[rel]]
    ids = _ids(spec, member_id)
    for _, r in iter_records(directory, spec.name):
        yield ids[start](r[start]), ids[end](r[end])


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
