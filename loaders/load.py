"""Writing a validated dataset into the graph store.

The dataset is validated as a whole first (:func:`loaders.dataset.validate_dataset`);
if anything is wrong nothing is written. Then the files are streamed again and
written with batched ``UNWIND $rows ...``: constraints first, nodes before
relationships, ``CREATE`` for a label or type the store does not have yet.

A re-load writes only the difference. For a label or type the store already
holds, its marked records are read first (in pages, :data:`graph.store.cypher.
RECORD_TABLES`) and each dataset row is compared with the record of the same
key: a node by its id, a relationship by its two ends (the store holds at most
one relationship of a type between two nodes, as ``MERGE`` on the ends made
it). Only new rows and rows whose properties differ are sent, through ``MERGE``
on the keys; what the store has and the dataset no longer does is deleted with
``prune`` and left alone otherwise. Loading the same dataset again writes
nothing.

Which rows are new, edited or gone is found from the dataset's lines where the
last load left a ledger that still describes the store (:mod:`loaders.ledger`):
only the lines that differ are parsed, and only the records of their keys are
read from the store. Elsewhere (no ledger, a workbook, a file whose lines are
not records) the store's records are read while the dataset is validated
(:class:`HeldRead`) and used if the load state the load claims is the one seen
before they were read (no load ran in between); else they are read again.

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
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Queue

from graph.privacy import (
    check_pseudonym_key,
    key_fingerprint,
    pseudonym_key,
    pseudonymize,
    record_pseudonym_key,
)
from graph.schema import (
    KEY_COLUMNS,
    MEMBER,
    NODE_PROPERTIES,
    RELATIONSHIP_ENDS,
    RELATIONSHIP_PROPERTIES,
)
from graph.store import Store, batched, cypher
from graph.store.loadstate import claim, read_state
from graph.store.ownership import adopt as adopt_foreign
from graph.store.ownership import refuse_foreign
from loaders.dataset import ValidationReport, iter_records, validate_dataset
from loaders.ledger import STALE, Comparison, Ledger
from loaders.spec import FILE_ORDER, FILES, Column, FileSpec

__all__ = ["LoadSummary", "HeldRead", "load_dataset", "DEFAULT_BATCH_SIZE"]

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 5000
#: Keys per query when a re-load reads the records whose lines changed.
KEY_READ_BATCH = 5000

Progress = Callable[[str, int], None]


@dataclass
class LoadSummary:
    """What a load did, per node label or relationship type.

    ``rows``: the dataset's rows; ``created``: records the store did not have;
    ``changed``: records it had with other properties, written again; the rest
    (``unchanged``) were not written. ``deleted``: records pruned.
    """

    dry_run: bool = False
    rows: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    adopted: dict[str, int] = field(default_factory=dict)
    version: int | None = None

    @property
    def unchanged(self) -> dict[str, int]:
        """Rows the store already held exactly so: nothing was written for them."""
        return {
            name: n - self.created.get(name, 0) - self.changed.get(name, 0)
            for name, n in self.rows.items()
        }


def _values(columns: list[Column]) -> Callable[[dict], tuple]:
    """The property values of a row, in the order of ``columns``, as a load writes them:
    a required cell as it is, any other trimmed (an empty cell is no value), whole
    numbers as ``int``."""
    how = [(c.name, 0 if c.required else 2 if c.kind in ("int", "year") else 1) for c in columns]

    def values(row: dict) -> tuple:
        out = []
        for name, kind in how:
            value = row.get(name)
            if kind:
                value = (value or "").strip() or None
                if kind == 2 and value is not None:
                    value = int(value)
            out.append(value)
        return tuple(out)

    return values


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
#: Per dataset file: its file name and the labels and types it gives, each with whether
#: it gives one record per line (a listed relationship gives any number).
_FILE_TABLES = {
    name: (
        spec.filename,
        [
            *([(spec.label, True)] if spec.label else []),
            *((rel, False) for rel, (file, _) in _IDLISTS.items() if file == name),
            *([(spec.relationship, True)] if spec.relationship else []),
        ],
    )
    for name, spec in FILES.items()
}


def _plan(
    directory: Path,
    member_id: Callable[[str], str],
    keep_names: bool,
    rows: Callable[[str], Iterator[tuple[int, dict]]] | None = None,
    note: Callable[[str, int, object], None] | None = None,
):
    """The writes of a load, in order: ``(kind, label or type, records, to_row)``.

    Nodes first (files in :data:`loaders.spec.FILE_ORDER`), then the relationships
    listed inside a file (a group's movements), then the relationship files; every
    property is a column of :data:`loaders.spec.FILES`. ``records`` yields each
    row as ``(key, values)``, keyed and ordered as :func:`_held` reads the store
    (a node by its id, a relationship by its start and end ids); ``to_row(key,
    values)`` is the row a write statement of :mod:`graph.store.cypher` takes,
    made only for the rows written.

    ``rows(file)`` yields a file's ``(line, row)`` (by default every row of the
    dataset's file, :func:`loaders.dataset.iter_records`); ``note(label or type,
    line, key)`` is told the key each record of a line becomes (for the ledger).
    """
    if rows is None:

        def rows(file: str) -> Iterator[tuple[int, dict]]:
            return iter_records(directory, file)

    if note is None:

        def note(_table: str, _line: int, _key) -> None:
            pass

    def nodes(spec: FileSpec):
        (key,) = spec.key
        to_id = _ids(spec, member_id)[key]
        props = tuple(
            name
            for name in spec.property_columns
            if keep_names or (spec.label, name) != (MEMBER, "name")
        )
        values = _values([spec.column(name) for name in props])

        def records() -> Iterator[tuple]:
            label = spec.label
            for line, row in rows(spec.name):
                node_id = to_id(row[key])
                note(label, line, node_id)
                yield node_id, values(row)

        def to_row(node_id: str, record: tuple) -> dict:
            return {"id": node_id, "props": dict(zip(props, record, strict=True))}

        return records(), to_row

    def listed(rel: str):
        file, column = _IDLISTS[rel]
        (key,) = FILES[file].key
        target = KEY_COLUMNS[RELATIONSHIP_ENDS[rel][1]]
        (position,) = RELATIONSHIP_PROPERTIES[rel]  # the rank: 0 is the first listed

        def records() -> Iterator[tuple]:
            for line, row in rows(file):
                for rank, listed_id in enumerate(m.strip() for m in row[column].split(";")):
                    note(rel, line, (row[key], listed_id))
                    yield (row[key], listed_id), (rank,)

        def to_row(ends: tuple, record: tuple) -> dict:
            return {key: ends[0], target: ends[1], position: record[0]}

        return records(), to_row

    def relationships(spec: FileSpec):
        ids = _ids(spec, member_id)
        start, end = (KEY_COLUMNS[label] for label in RELATIONSHIP_ENDS[spec.relationship])
        to_start, to_end = ids[start], ids[end]
        props = RELATIONSHIP_PROPERTIES[spec.relationship]
        values = _values([spec.column(name) for name in props])

        def records() -> Iterator[tuple]:
            rel = spec.relationship
            for line, row in rows(spec.name):
                ends = (to_start(row[start]), to_end(row[end]))
                note(rel, line, ends)
                yield ends, values(row)

        def to_row(ends: tuple, record: tuple) -> dict:
            return {start: ends[0], end: ends[1], **dict(zip(props, record, strict=True))}

        return records(), to_row

    specs = [FILES[name] for name in FILE_ORDER]
    return [
        *(("node", spec.label, *nodes(spec)) for spec in specs if spec.label),
        *(("rel", rel, *listed(rel)) for rel in _IDLISTS),
        *(("rel", spec.relationship, *relationships(spec)) for spec in specs if spec.relationship),
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
    held: HeldRead | None = None,
    compare_store: bool = False,
) -> LoadSummary:
    """Validate a dataset, then write into the store what it does not hold yet.

    A label or type the store has none of is created at once; for the others
    the store's records are read and only the dataset's new rows and rows with
    other values are written (see the module's docstring).

    Parameters
    ----------
    directory : path
        The dataset: a folder of CSV files or an ``.xlsx`` workbook.
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
        Called as ``progress(step, rows_done_in_step)`` after every batch
        written (``rows_done_in_step``: the dataset's rows compared so far).
    report : loaders.dataset.ValidationReport, optional
        The dataset's validation, done already by the caller. Without it the
        dataset is validated here, while a :class:`HeldRead` reads the store.
    held : HeldRead, optional
        The store's records, read while the caller validated the dataset; used
        if no load ran meanwhile (else the store is read again).
    compare_store : bool
        Compare with every record the store holds, read from it, even where the
        last load's ledger (:mod:`loaders.ledger`) would tell what changed: for a
        store whose records were changed by hand since.

    Returns
    -------
    LoadSummary
        Per label and type: the dataset's rows, and how many records were
        created, changed (written again with other values) and deleted.

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
    early = held
    if report is None and early is None and store is not None and not dry_run and not adopt:
        early = HeldRead(
            lambda: store, keep_names=not pseudonymize_members, ledger=not compare_store
        )
    try:
        return _load(
            directory,
            store,
            report,
            early,
            dry_run,
            prune,
            adopt,
            pseudonymize_members,
            batch_size,
            progress,
            compare_store,
        )
    finally:
        if early is not None:  # its reads end before the caller may close the store
            early.cancel(wait=True)


def _load(
    directory: Path,
    store,
    report,
    early,
    dry_run,
    prune,
    adopt,
    pseudonymize_members,
    batch_size,
    progress,
    compare_store,
) -> LoadSummary:
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

    keep_names = not pseudonymize_members
    fingerprint = {
        "keep_names": keep_names,
        "pseudonym_key": key_fingerprint(key) if pseudonymize_members else None,
    }
    comparison = Comparison(
        directory, _FILE_TABLES, fingerprint, lambda file: iter_records(directory, file)
    )
    plan = _plan(
        directory, member_id, keep_names, rows=comparison.rows, note=comparison.recorder.note
    )
    if dry_run or store is None:
        for _kind, name, records, _to_row in plan:
            summary.rows[name] = sum(1 for _ in records)
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
        elif not compare_store:  # the files changed since the last load, if its ledger holds
            comparison.use(home, load.previous)
        stored, known = _stored(store, plan, comparison, early, load.previous, keep_names, adopt)
        reader = stored.pop()
        try:
            left = _write(store, plan, stored, known, summary, batch_size, progress, load)
        finally:
            reader.shutdown(wait=False, cancel_futures=True)
        for name in known:  # compared with the ledger: not every record was parsed
            summary.rows[name] = comparison.rows_of(name, summary.rows[name])
        if prune:
            summary.deleted = _prune(store, left, batch_size, load)
        summary.version = load.finish(rows=summary.rows)
        comparison.save(home, load.token, summary.version, summary.rows, left, prune)
    return summary


def _stored(store: Store, plan, comparison: Comparison, early, previous, keep_names, adopt):
    """What the store holds of each table of the plan, as futures: from the ledger's
    comparison where it holds, else read while the dataset was validated (if no load
    ran since), else read now, in a thread, in the plan's order while the tables before
    are written (through the store's bookmarks: a lagging cluster member cannot answer
    "nothing"). Also, per table compared with the ledger, whether the store holds any
    of it; the reading thread's executor comes last in the list."""
    sizes = previous.rows if previous is not None else {}
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="load-held")
    early_tables = None
    if early is not None and not adopt:
        early_tables = early.records(previous, keep_names=keep_names)
    stored: list = []
    known: dict[str, bool] = {}
    pool: dict = {}
    for _kind, name, _records, _to_row in plan:
        compared = comparison.compared(name)
        if compared is not None:  # the few records of the lines that changed, by key
            gone, extra, known[name] = compared
            future: Future = reader.submit(
                _held_keys, store, name, gone, extra, keep_names=keep_names
            )
        elif early_tables is not None:
            future = early_tables[name]
        else:
            future = reader.submit(
                _held, store, name, sizes.get(name), keep_names=keep_names, pool=pool
            )
        stored.append(future)
    return [*stored, reader], known


def _write(store: Store, plan, stored, known, summary: LoadSummary, batch_size, progress, load):
    """Write each table of the plan, or only its difference to what the store holds
    (``stored``: a future of :func:`_held` per table; ``known``: tables compared with
    the ledger, and whether the store holds any of them). Returns, per label and type,
    the keys the store has and the dataset no longer gives."""
    left: dict[str, list] = {}
    for (kind, name, records, to_row), future in zip(plan, stored, strict=True):
        while True:
            try:
                held = future.result(timeout=1.0)
                break
            except FutureTimeout:
                load.heartbeat()  # a big table takes a while to read
        # A type with nothing in the store yet cannot clash: CREATE is about
        # twice as fast as MERGE, and there is nothing to compare with. A
        # re-run after an interrupted load finds the type non-empty and
        # compares, so it writes what the interrupted load did not.
        fresh = not held and not known.get(name, False)
        counted = _Counted(records)
        if fresh:
            query = (cypher.CREATE_NODES if kind == "node" else cypher.CREATE_RELS)[name]
            writes = (to_row(key, values) for key, values in counted)
        else:
            query = (cypher.MERGE_NODES if kind == "node" else cypher.MERGE_RELS)[name]
            writes = _difference(counted, held, to_row)
        sent = created = 0
        # comparing a big table may send nothing for a while: the lease is kept
        for batch in _prefetch(batched(writes, batch_size), idle=load.heartbeat):
            created += store.write_counted(query, batch)
            sent += len(batch)
            load.heartbeat()
            if progress:
                progress(name, counted.seen)
        if progress:
            progress(name, counted.seen)
        summary.rows[name] = counted.seen
        summary.created[name] = created
        summary.changed[name] = sent - created
        left[name] = list(held)
        del held
        log.info(
            "%s: %d rows read, %d created, %d changed", name, counted.seen, created, sent - created
        )
    return left


class _Counted:
    """The rows of an iterator, counted as they pass (``seen``): the dataset's rows."""

    def __init__(self, rows: Iterator[dict]):
        self.rows = rows
        self.seen = 0

    def __iter__(self) -> Iterator[dict]:
        for row in self.rows:
            self.seen += 1
            yield row


def _held(
    store: Store, name: str, size: int | None, *, keep_names: bool, pool=None, stop=None
) -> dict:
    """What the store holds of one label or type, keyed as the dataset's rows are.

    A node: ``id -> (property values)``; a relationship: ``(start id, end id) ->
    (property values)``, the properties in the order of :mod:`graph.schema` (a
    pseudonymised load leaves ``Member.name`` out, as it writes none). Only the
    marked records, read in pages (``size``: about how many there are, to split at
    once; the last load's count). ``pool``: one object per distinct value, shared
    by the tables of a load (a million records repeat few ids, dates and roles).
    ``stop``: an event that ends the read early (what is read then is partial).
    """
    rows = store.pages(cypher.RECORD_TABLES[name], rows=size)
    if stop is not None:
        rows = _until(rows, stop)
    held: dict = {}
    _keyed(held, name, rows, keep_names=keep_names, pool=pool)
    return held


def _held_keys(store: Store, name: str, keys: list, extra: list, *, keep_names: bool) -> dict:
    """What the store holds of ``keys`` of one label or type (as :func:`_held` keys
    them), read by key in batches; ``extra``: keys it holds whose values do not matter
    (they are written again if the dataset has them: :data:`loaders.ledger.STALE`)."""
    held = dict.fromkeys(extra, STALE)
    query = cypher.RECORDS_BY_KEY[name]
    pool: dict = {}
    for batch in batched(keys, KEY_READ_BATCH):
        found = store.values(query, keys=[k if isinstance(k, str) else list(k) for k in batch])
        _keyed(held, name, (found[0][0] or []) if found else [], keep_names=keep_names, pool=pool)
    return held


def _keyed(held: dict, name: str, rows, *, keep_names: bool, pool=None) -> None:
    """Add the rows of :data:`graph.store.cypher.RECORD_TABLES`' ``name`` to ``held``."""
    table = cypher.RECORD_TABLES[name]
    keys = 1 if name in NODE_PROPERTIES else 2
    columns = table.columns[keys:]
    take = [keys + i for i, p in enumerate(columns) if keep_names or (name, p) != (MEMBER, "name")]
    pin = (pool if pool is not None else {}).setdefault
    if take == list(range(keys, len(table.columns))):
        for row in rows:
            values = row[keys:]
            key = pin(row[0], row[0]) if keys == 1 else (pin(row[0], row[0]), pin(row[1], row[1]))
            held[key] = tuple(map(pin, values, values))
        return
    for row in rows:
        values = [row[i] for i in take]
        key = pin(row[0], row[0]) if keys == 1 else (pin(row[0], row[0]), pin(row[1], row[1]))
        held[key] = tuple(map(pin, values, values))


def _until(rows: Iterator, stop: threading.Event) -> Iterator:
    """The rows until ``stop`` is set: no further page is asked of the store then."""
    for row in rows:
        yield row
        if stop.is_set():
            return


def _difference(records: Iterator[tuple], held: dict, to_row) -> Iterator[dict]:
    """The rows the store does not hold as they are: new, or with other properties.

    Each record is taken out of ``held``: what stays there afterwards is what the
    store has and the dataset no longer does. Rows are made (``to_row``) only for
    what is written.
    """
    take = held.pop
    for key, values in records:
        if take(key, None) != values:  # None: the store has no such record
            yield to_row(key, values)


def _prune(store: Store, gone: dict[str, list], batch_size: int, load) -> dict[str, int]:
    """Delete what the store has and the dataset no longer does: relationships first."""
    deleted: dict[str, int] = {}
    for name in (*_IDLISTS, *_FILE_OF_REL, *_FILE_OF_LABEL):
        keys = gone.get(name, [])
        for batch in batched(keys, batch_size):
            if name in _FILE_OF_LABEL:
                store.run(cypher.DELETE_NODES[name], ids=batch)
            else:
                store.run(cypher.DELETE_RELS[name], rows=[{"a": a, "b": b} for a, b in batch])
            load.heartbeat()
        deleted[name] = len(keys)
    log.info("pruned %s", deleted)
    return deleted


def _prefetch(
    batches: Iterator[list], depth: int = 2, idle: Callable[[], None] | None = None
) -> Iterator[list]:
    """Read and convert the next batches in a thread while the store writes this one;
    ``idle`` is called every second spent waiting for the next batch."""
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
            try:
                item = queue.get(timeout=1.0)
            except Empty:
                if idle:
                    idle()
                continue
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


def _order() -> list[str]:
    """The labels and types in the order a load writes them (as :func:`_plan` lists them)."""
    specs = [FILES[name] for name in FILE_ORDER]
    return [
        *(spec.label for spec in specs if spec.label),
        *_IDLISTS,
        *(spec.relationship for spec in specs if spec.relationship),
    ]


class HeldRead:
    """What the store holds, read in a background thread while the dataset is validated.

    The thread opens the store (``open_``), reads its load state, then the marked
    records of every label and type (:func:`_held`), in the order a load writes
    them. A load uses the records only if the load state it claims is the one
    read here (no load started, finished or failed in between); else it reads
    the store again inside its claim. Nothing is written, and a store error is
    only raised by :meth:`store` or by the load using the records: a dataset's
    validation problems come first.

    Parameters
    ----------
    open_ : callable
        Returns an open :class:`~graph.store.Store` (may start the embedded one).
    keep_names : bool
        False for a pseudonymised load (members' names are left out).
    owns : bool
        The store is this read's to close if it is cancelled (a store ``open_``
        opened); else the caller's.
    ledger : bool
        Read nothing if the last load left a ledger (:mod:`loaders.ledger`): the
        load compares lines with it instead. False with ``compare_store``.
    """

    def __init__(
        self,
        open_: Callable[[], Store],
        *,
        keep_names: bool = True,
        owns: bool = False,
        ledger: bool = True,
    ):
        self.keep_names = keep_names
        self.ledger = ledger
        self.owns = owns
        #: Whether a load used these records (the load state had not changed).
        self.used = False
        #: Whether nothing was read: the last load left a ledger (:mod:`loaders.ledger`).
        self.skipped = False
        self._opened: Future = Future()
        self._state: Future = Future()
        self._tables: dict[str, Future] = {name: Future() for name in _order()}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._run, args=(open_,), daemon=True)
        self._thread.name = "load-held-early"
        self._thread.start()

    def _run(self, open_: Callable[[], Store]) -> None:
        futures = [self._opened, self._state, *self._tables.values()]
        try:
            store = open_()
            self._opened.set_result(store)
            state = read_state(store)
            self._state.set_result(state)
            if self.ledger and Ledger.exists(store.config.home, state):
                self.skipped = True  # the load compares lines with the last load's ledger
                return
            sizes, pool = state.rows, {}
            for name, future in self._tables.items():
                if self._stop.is_set():
                    break
                held = _held(
                    store,
                    name,
                    sizes.get(name),
                    keep_names=self.keep_names,
                    pool=pool,
                    stop=self._stop,
                )
                if self._stop.is_set():
                    break  # partial: never handed out
                future.set_result(held)
            del pool
        except BaseException as exc:  # raised where the result is used, after validation
            for future in futures:
                if not future.done():
                    future.set_exception(exc)
        finally:
            for future in futures:
                if not future.done():
                    future.cancel()
            if self._stop.is_set():
                self._close()

    def _close(self) -> None:
        with self._lock:
            if self._closed or not self.owns or not self._opened.done():
                return
            self._closed = True
            if not self._opened.cancelled() and self._opened.exception() is None:
                self._opened.result().close()

    def store(self) -> Store:
        """The open store, the caller's to close from now on; raises what opening it raised."""
        with self._lock:
            self.owns = False
        return self._opened.result()

    def wait(self) -> None:
        """Wait until every table has been read (or the read failed or was cancelled)."""
        self._thread.join()

    def cancel(self, wait: bool = False) -> None:
        """Stop reading (the dataset is invalid, or the load will not use the records);
        ``wait``: until the query under way has ended (before the store is closed)."""
        self._stop.set()
        if wait and self._opened.done():
            self._thread.join()
        if not self._thread.is_alive():
            self._close()

    def records(self, previous, *, keep_names: bool) -> dict[str, Future] | None:
        """The records (a future of :func:`_held` per label and type), if the store still
        holds them: ``previous`` (the claimed load's predecessor) is the load state
        read before them. None if not (then the load reads the store again)."""
        try:
            state = self._state.result()
        except BaseException:  # noqa: BLE001 - the load reads again, and raises if it must
            state = None
        if state is None or state != previous or keep_names != self.keep_names or self.skipped:
            self.cancel()
            return None
        self.used = True
        return dict(self._tables)
