"""A shared database: what in it is ours, and adopting what an earlier version wrote.

Neo4j Community and Aura give one database, often shared with other data, and
that data may use our labels (a ``Group`` or ``Member`` of another project).
The product marks every node and relationship it writes
(:data:`graph.schema.MARK`) and every other query of :mod:`graph.store.cypher`
matches marked data only. Before a load writes anything, :func:`refuse_foreign`
counts the nodes with our labels that lack the mark: with any, the load stops
with a message naming them, unless the user asks to adopt them
(``coalition load --adopt``, :func:`adopt`) — e.g. a store loaded by a version
of the product from before the mark.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from graph.errors import ForeignData
from graph.schema import NODE_LABELS, RELATIONSHIP_TYPES
from graph.store import Store, cypher

__all__ = ["foreign_nodes", "refuse_foreign", "adopt", "ADOPT_BATCH"]

log = logging.getLogger(__name__)

#: Nodes or relationships marked per transaction by :func:`adopt`.
ADOPT_BATCH = 10_000


def foreign_nodes(store: Store) -> dict[str, int]:
    """The number of nodes of each of our labels that the product did not write (only > 0).

    Parameters
    ----------
    store : graph.store.Store
        An open store.

    Returns
    -------
    dict
        ``{label: count}`` in the order of :data:`graph.schema.NODE_LABELS`.
    """
    counts = {label: store.read(cypher.FOREIGN_COUNTS[label])[0]["n"] for label in NODE_LABELS}
    return {label: n for label, n in counts.items() if n}


def refuse_foreign(store: Store, dataset: str = "DATASET") -> None:
    """Raise :class:`~graph.errors.ForeignData` if the database holds foreign nodes of our labels.

    Parameters
    ----------
    store : graph.store.Store
        An open store.
    dataset : str
        The dataset being loaded, for the command the message suggests.
    """
    foreign = foreign_nodes(store)
    if not foreign:
        return
    from graph.store.loadstate import read_state

    listed = ", ".join(f"{n:,} {label}" for label, n in foreign.items())
    state = read_state(store)
    if state.status is not None and not state.marked:
        raise ForeignData(
            f"the store holds data loaded by an earlier version of coalition, which did not mark "
            f"it ({listed} nodes); load with `coalition load {dataset} --adopt` once to mark "
            f"it as coalition's"
        )
    raise ForeignData(
        f"the database {store.config.describe()} holds nodes with coalition's labels that "
        f"coalition did not write: {listed}; nothing was loaded. Load into a database of "
        f"its own (--database or NEO4J_DATABASE), or, if they are coalition's data, adopt "
        f"them with `coalition load {dataset} --adopt`"
    )


def adopt(
    store: Store, *, batch: int = ADOPT_BATCH, progress: Callable[[], None] | None = None
) -> dict[str, int]:
    """Mark the unmarked nodes of our labels, and our relationship types between marked
    nodes, as the product's.

    Parameters
    ----------
    store : graph.store.Store
        An open store (inside a load's claim: adopting is writing).
    batch : int
        Nodes or relationships marked per transaction.
    progress : callable, optional
        Called after every transaction (a load's heartbeat).

    Returns
    -------
    dict
        How many nodes per label and relationships per type were adopted.
    """
    adopted: dict[str, int] = {}
    for name, query in (
        *((label, cypher.ADOPT_NODES[label]) for label in NODE_LABELS),
        *((rel, cypher.ADOPT_RELS[rel]) for rel in RELATIONSHIP_TYPES),
    ):
        total = 0
        while True:
            n = store.run(query, batch=batch)[0]["n"]
            total += n
            if progress:
                progress()
            if n < batch:
                break
        adopted[name] = total
    log.info("adopted %s", adopted)
    return adopted
