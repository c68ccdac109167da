"""Reading the store into a :class:`~graph.coalition.Coalition`, two tables at a time.

Only what the product wrote is read (the marked nodes and relationships), each
table in pages of :attr:`graph.store.StoreConfig.page_rows` rows.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from graph.coalition import Coalition
from graph.errors import StoreError
from graph.store import cypher

__all__ = ["read_coalition", "read_records"]

log = logging.getLogger(__name__)


def read_coalition(
    store,
    *,
    since: str | None = None,
    until: str | None = None,
    page_rows: int | None = None,
) -> Coalition:
    """Read the whole coalition from the store.

    Parameters
    ----------
    store : graph.store.Store
        An open store.
    since, until : str, optional
        ISO dates of a window; see :meth:`Coalition.window`.
    page_rows : int, optional
        Rows per page of each table read; the store's configured size
        (:data:`graph.store.config.READ_PAGE_ROWS` unless ``COALITION_READ_PAGE``
        says otherwise) by default.

    Raises
    ------
    graph.errors.LoadInProgress, graph.errors.IncompleteLoad
        While a load is writing, or after one stopped part-way.
    """
    from graph.store.loadstate import ensure_readable

    state = ensure_readable(store)
    names = list(cypher.READ_TABLES)
    # two at a time: the store answers one query while the driver decodes another
    with ThreadPoolExecutor(max_workers=2) as pool:
        tables = dict(
            zip(
                names,
                pool.map(lambda name: _read_table(store, name, page_rows, state.rows), names),
                strict=True,
            )
        )
    c = Coalition(version=state.version)
    c.movements = {m: {"name": name, "description": text} for m, name, text in tables["movements"]}
    c.groups = {row[0]: {**_record("groups", row), "movements": []} for row in tables["groups"]}
    ranked: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for group_id, movement_id, rank in tables["group_movements"]:
        ranked[group_id].append((rank if rank is not None else 99, movement_id))
    for group_id, pairs in ranked.items():
        if group_id in c.groups:
            c.groups[group_id]["movements"] = [m for _, m in sorted(pairs)]
    c.member_count = store.read(cypher.READ_MEMBER_COUNT)[0]["n"]
    c.actions = {row[0]: _record("actions", row) for row in tables["actions"]}
    c.resources = {row[0]: _record("resources", row) for row in tables["resources"]}
    # Every value arrives as its own string; one object per distinct id and date
    # keeps the tables a few hundred MB smaller at 50,000 groups.
    one: dict = {g: g for g in c.groups}
    one.update((a, a) for a in c.actions)
    one.update((r, r) for r in c.resources)
    same = one.setdefault
    c.memberships = [
        (same(m, m), same(g, g), start and same(start, start), end and same(end, end))
        for m, g, start, end in tables["memberships"]
    ]
    c.participations = [
        (same(g, g), same(a, a), role and same(role, role))
        for g, a, role in tables["participations"]
    ]
    c.shares = [
        (
            same(g, g),
            same(r, r),
            role and same(role, role),
            start and same(start, start),
            end and same(end, end),
        )
        for g, r, role, start, end in tables["shares"]
    ]
    log.info(
        "read %d groups, %d memberships, %d actions, %d shares",
        len(c.groups),
        len(c.memberships),
        len(c.actions),
        len(c.shares),
    )
    return c.window(since, until)


def _read_table(store, name: str, page_rows: int | None, sizes: dict[str, int]) -> list[list]:
    """One table of :data:`graph.store.cypher.READ_TABLES`, as a list of rows; ``sizes``
    (the last load's rows) tells whether a table needs pages at once."""
    table = cypher.READ_TABLES[name]
    rows = sizes.get(cypher.TABLE_SOURCES[name])
    return list(store.pages(table, page_rows=page_rows, rows=rows))


def _record(name: str, row: list) -> dict:
    return dict(zip(cypher.READ_TABLES[name].columns, row, strict=True))


def read_records(store) -> dict[str, tuple[tuple[str, ...], list[list]]]:
    """Read every record of the coalition as the store holds it, nothing left out.

    Parameters
    ----------
    store : graph.store.Store
        An open store.

    Returns
    -------
    dict
        Per node label and relationship type of :mod:`graph.schema`
        (:data:`graph.store.cypher.RECORD_TABLES`): ``(columns, rows)``. Node
        rows are ``id`` and the label's properties; relationship rows both
        ends' key columns (``group_id``, ``movement_id``, ...) and the type's
        properties. A property the record lacks is None.

    Raises
    ------
    graph.errors.LoadInProgress, graph.errors.IncompleteLoad
        While a load is writing, or after one stopped part-way.
    graph.errors.StoreError
        If a load finished while the records were being read (read again).
    """
    from graph.store.loadstate import ensure_readable

    before = ensure_readable(store)
    names = list(cypher.RECORD_TABLES)
    with ThreadPoolExecutor(max_workers=2) as pool:
        rows = pool.map(
            lambda name: list(store.pages(cypher.RECORD_TABLES[name], rows=before.rows.get(name))),
            names,
        )
        tables = {
            name: (cypher.RECORD_TABLES[name].columns, table)
            for name, table in zip(names, rows, strict=True)
        }
    after = ensure_readable(store)
    if (after.version, after.finished_at) != (before.version, before.finished_at):
        raise StoreError("a load changed the store while it was being read; read it again")
    log.info("read %s", {name: len(table) for name, (_, table) in tables.items()})
    return tables
