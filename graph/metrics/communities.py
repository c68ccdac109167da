"""Communities: Louvain partitions and the modularity of a partition."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

import networkx as nx

from graph._fast import communities as fast_communities
from graph._fast.arrays import arrays_for
from graph.metrics._common import (
    DEFAULT_SEED,
    blocks_of,
    implementation,
    number_communities,
    shared_parameters,
)

__all__ = [
    "louvain",
]


@shared_parameters
def louvain(
    G: nx.Graph, *, weight: str | None = "weight", seed: int = DEFAULT_SEED, backend: str = "fast"
) -> dict[Hashable, int]:
    """Louvain communities of the groups, numbered stably.

    Parameters
    ----------
    %(G, weight)s
    seed : int, optional
        Seed of the random order in which groups are visited, so the
        partition is reproducible.
    backend : {"fast", "networkx"}, optional
        ``"fast"``: igraph's ``community_multilevel``; ``"networkx"``:
        ``nx.community.louvain_communities``. Both are the method of
        Blondel et al.; they visit groups in different orders, so their
        partitions can differ (see the module notes).

    Returns
    -------
    dict
        Node -> community id. Communities are numbered 0, 1, ... by
        decreasing size, ties broken by their smallest group id.

    Notes
    -----
    Each isolated group is a community of its own. A graph without ties of
    positive weight has nothing to optimise and every group is its own
    community (networkx would divide by zero). The partition depends on the
    seed and on the node order of ``G``. igraph draws its random order from
    Python's :mod:`random`; the fast backend gives it a ``random.Random(seed)``
    for the call and puts the default back afterwards.

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E.
       (2008). Fast unfolding of communities in large networks. *Journal of
       Statistical Mechanics* P10008.

    Examples
    --------
    Two triangles joined by one tie, and an isolated group:

    >>> G = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> G.add_node(6)
    >>> louvain(G)
    {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2}
    """
    run = implementation(G, backend, _louvain_fast, _louvain_networkx)
    communities = [{u} for u in G] if G.size(weight=weight) == 0 else run(G, weight, seed)
    return number_communities(G, communities)


def _louvain_fast(G, weight, seed, arrays=None):
    arrays = arrays_for(G, weight, arrays)
    return blocks_of(arrays.nodes, fast_communities.louvain(arrays, seed=seed))


def _louvain_networkx(G, weight, seed):
    return nx.community.louvain_communities(G, weight=weight, seed=seed)


def modularity(
    G: nx.Graph, block_of: Mapping[Hashable, Hashable], weight: str | None
) -> float | None:
    """Weighted modularity of the partition ``node -> block``; None without weight."""
    if G.size(weight=weight) == 0:
        return None
    blocks: defaultdict[Hashable, set[Hashable]] = defaultdict(set)
    for u in G:
        blocks[block_of[u]].add(u)
    return float(nx.community.modularity(G, blocks.values(), weight=weight))
