"""Metrics of the coalition graph.

Every function here is pure: a networkx graph (or plain mappings) in, plain
dicts and lists out, no I/O. The graph is the undirected *coalition graph*
built by :mod:`graph.coalition`: nodes are group ids with the attributes
``name``, ``movements`` (a list, the first is the primary movement) and
``primary_movement``; edges carry ``shared_members``, ``joint_actions``,
``shared_resources`` and their weighted sum ``weight``. Isolated groups are
nodes too.

Conventions shared by every function:

* Movements are compared by **primary movement** only (the node attribute
  named by ``movement``, ``"primary_movement"`` by default).
* A group whose primary movement is missing or ``None`` is treated as being
  in a movement of its own, different from every other group's (including
  other groups without a movement). It is never assumed to share a movement
  with anyone.
* An edge without the ``weight`` attribute counts as weight 1, and
  ``weight=None`` makes every edge weigh 1, as in networkx.
* A value that is undefined (the E-I index of an isolated group, the
  constraint of a group without ties, the modularity of a graph without
  ties) is ``None``, never an invented number.
* Results are keyed by node in the graph's own node order. Where an order
  between groups is needed (community numbering, ranking ties) group ids
  are compared with ``<``, so they must be mutually comparable, as the
  string ids of a dataset are.

Only simple undirected graphs are accepted: directed graphs and multigraphs
raise :class:`networkx.NetworkXNotImplemented`.

Two implementations
-------------------
networkx is the model and the reference. Every metric with a ``backend``
keyword has two implementations that give the same numbers (to 1e-9 or
better on the test graphs; the tests run both):

* ``backend="fast"`` (the default) converts the graph once into arrays and
  runs compiled kernels (the private :mod:`graph._fast`): sparse-matrix products (SciPy)
  and bit-parallel searches (NumPy) for betweenness and closeness, igraph
  for communities and cut points, NumPy for the rest. Betweenness and
  closeness of a large graph run in worker processes, one per CPU; above
  5,000 groups betweenness counts paths in single precision, which moves
  values by less than one part in a million.
* ``backend="networkx"`` is plain networkx and Python, kept as the
  reference the fast kernels are tested and benchmarked against.

The one place they differ is Louvain: networkx's and igraph's are the same
method (Blondel et al. 2008) but visit the groups in different random
orders, so the partitions can differ while both are local optima of the
same modularity; each is reproducible from its seed.

A metric's body holds one algorithm: each public function checks its
arguments and picks ``_<metric>_fast`` or ``_<metric>_networkx``, which sit
beside it in its module. A caller that runs several metrics on one graph
(:func:`group_metrics`, :func:`network_summary`, :func:`movement_matrix`)
passes the converted graph down as ``arrays=`` so it is converted once.

The modules
-----------
============================  ===============================================
module                        what it holds
============================  ===============================================
``centrality``                betweenness (exact or sampled), closeness,
                              PageRank, eigenvector; ``EXACT_MAX``
``structural_holes``          Burt's constraint and effective size
``movements``                 participation, E-I index, brokerage roles
``communities``               Louvain and modularity
``fragmentation``             fragmentation, what-if, the fragmentation ranking
``affiliation``               per member, and the movement x movement matrix
``solidarity``                who shows up for whom: directed support events,
                              flows between movements, reciprocity, per group
``trends``                    the coalition period by period, ties gained and
                              lost (``from graph.metrics.trends import trends``)
``bridges``                   where to build bridges: how fragile each
                              movement link is, suggested introductions
``suite``                     :func:`group_metrics` and :func:`network_summary`
                              with their column lists
============================  ===============================================

Example
-------
>>> import networkx as nx
>>> from graph import metrics
>>> G = nx.Graph([("a", "b"), ("b", "c")])
>>> nx.set_node_attributes(G, {"a": "blm", "b": "queer", "c": "blm"}, "primary_movement")
>>> metrics.whatif(G, ["b"])["components_after"]
2
>>> rows, info = metrics.group_metrics(G)
>>> list(rows["b"]) == list(metrics.GROUP_COLUMNS), rows["b"]["brokerage_consultant"]
(True, 1)
"""

from graph.metrics._common import BACKENDS, DEFAULT_SEED
from graph.metrics.affiliation import (
    MEMBER_COLUMNS,
    MOVEMENT_MATRIX_COLUMNS,
    member_metrics,
    movement_matrix,
)
from graph.metrics.bridges import (
    INTRODUCTION_COLUMNS,
    MOVEMENT_LINK_COLUMNS,
    introductions,
    movement_links,
)
from graph.metrics.centrality import (
    DEFAULT_SAMPLES,
    EXACT_MAX,
    betweenness,
    closeness,
    eigenvector,
    pagerank,
)
from graph.metrics.communities import louvain
from graph.metrics.fragmentation import (
    fragmentation,
    fragmentation_ranking,
    whatif,
    whatif_arrays,
)
from graph.metrics.movements import brokerage, ei_index, participation_coefficient
from graph.metrics.solidarity import (
    FLOW_COLUMNS,
    GROUP_SOLIDARITY_COLUMNS,
    PAIR_COLUMNS,
    Solidarity,
    group_solidarity,
    solidarity,
    solidarity_events,
    solidarity_flows,
    solidarity_pairs,
    solidarity_reciprocity,
)
from graph.metrics.structural_holes import structural_holes
from graph.metrics.suite import (
    GROUP_COLUMNS,
    GROUP_METRICS,
    SUMMARY_KEYS,
    group_metrics,
    network_summary,
)

__all__ = [
    "participation_coefficient",
    "ei_index",
    "brokerage",
    "betweenness",
    "closeness",
    "pagerank",
    "eigenvector",
    "structural_holes",
    "louvain",
    "group_metrics",
    "fragmentation",
    "whatif",
    "whatif_arrays",
    "fragmentation_ranking",
    "member_metrics",
    "movement_matrix",
    "network_summary",
    "solidarity",
    "Solidarity",
    "solidarity_events",
    "solidarity_flows",
    "solidarity_pairs",
    "solidarity_reciprocity",
    "group_solidarity",
    "BACKENDS",
    "EXACT_MAX",
    "DEFAULT_SAMPLES",
    "DEFAULT_SEED",
    "GROUP_COLUMNS",
    "GROUP_METRICS",
    "SUMMARY_KEYS",
    "MOVEMENT_MATRIX_COLUMNS",
    "MEMBER_COLUMNS",
    "FLOW_COLUMNS",
    "PAIR_COLUMNS",
    "GROUP_SOLIDARITY_COLUMNS",
    "movement_links",
    "introductions",
    "MOVEMENT_LINK_COLUMNS",
    "INTRODUCTION_COLUMNS",
]
