"""How two groups are connected: shortest paths, hop by hop."""

from __future__ import annotations

import itertools

import networkx as nx

from graph.errors import NotFound
from graph.schema import TIE_KINDS

__all__ = ["connecting_paths"]


def connecting_paths(G: nx.Graph, source: str, target: str, *, limit: int = 10) -> list[list[dict]]:
    """The shortest paths (fewest hops) between two groups, at most ``limit`` of them.

    Each path is a list of hops ``{"from", "to", "tie_types", "shared_members",
    "joint_actions", "shared_resources", "weight"}``; ``tie_types`` lists the
    kinds of tie behind the hop. Counts only, never who or what. No path
    gives an empty list.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", shared_members=2, joint_actions=0, shared_resources=1, weight=3)
    >>> G.add_edge("b", "c", shared_members=0, joint_actions=1, shared_resources=0, weight=1)
    >>> [(h["from"], h["to"], h["tie_types"]) for h in connecting_paths(G, "a", "c")[0]]
    [('a', 'b', ['shared_members', 'shared_resources']), ('b', 'c', ['joint_actions'])]
    """
    for node in (source, target):
        if node not in G:
            raise NotFound(f"no group with id {node!r}")
    if source == target:
        return [[]]
    try:
        paths = list(itertools.islice(nx.all_shortest_paths(G, source, target), limit))
    except nx.NetworkXNoPath:
        return []
    paths.sort()
    return [[_hop(G, u, v) for u, v in itertools.pairwise(path)] for path in paths]


def _hop(G: nx.Graph, u: str, v: str) -> dict:
    data = G.edges[u, v]
    counts = {k: int(data.get(k, 0)) for k in TIE_KINDS}
    return {
        "from": u,
        "to": v,
        "tie_types": [k for k, n in counts.items() if n > 0],
        **counts,
        "weight": data.get("weight", 0),
    }
