"""The graph store: where it is, the connection, the embedded server, every query.

Everything the product says to a graph store goes through this package, over
Bolt with the official ``neo4j`` driver:

==============  ==============================================================
module          what it holds
==============  ==============================================================
``config``      :class:`StoreConfig` (the Neo4j conventions) and
                :func:`coalition_home`, the one rule for ``COALITION_HOME``
``connection``  :class:`Store` (one query, one managed transaction; "write and
                count"; driver errors turned into ours), :func:`open_store`,
                :class:`Reconnecting` (a connection that opens again when the
                store comes back)
``embedded``    the embedded ArcadeDB server: start, stop, status
``cypher``      every query, as named constants; values only as parameters,
                labels only from :mod:`graph.schema`
``loadstate``   the one bookkeeping node: which load runs or finished
``ownership``   a shared database: nodes of our labels we did not write, adopting
                them (everything we write carries :data:`graph.schema.MARK`)
``writeback``   metrics written back onto the groups
==============  ==============================================================

Nothing above this package opens a session or looks at a port.
"""

from graph.store.config import StoreConfig, coalition_home, ledger_home
from graph.store.connection import Reconnecting, Store, batched, open_store

__all__ = [
    "StoreConfig",
    "Store",
    "open_store",
    "batched",
    "Reconnecting",
    "coalition_home",
    "ledger_home",
]
