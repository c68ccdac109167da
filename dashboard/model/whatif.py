"""What breaks when groups leave: :func:`graph.metrics.whatif` on the index, and the counts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from dashboard.model.network import NetworkIndex
from graph.metrics import whatif_arrays

__all__ = ["whatif", "removal_counts"]


def whatif(index: NetworkIndex, remove: Iterable[str]) -> dict[str, Any]:
    """:func:`graph.metrics.whatif` on the index (:func:`graph.metrics.whatif_arrays`).

    Raises
    ------
    graph.errors.NotFound
        If an id is not a group of the graph.
    """
    return whatif_arrays(index.nodes, index.u, index.v, index.primary, index.movement_ids, remove)


def removal_counts(
    G: nx.Graph, remove: Iterable[str], *, cross_before: int | None = None
) -> dict[str, tuple[int, int]]:
    """Groups, ties and ties across movements before and after ``remove`` leave.

    ``cross_before`` (the ties across movements of ``G``) saves counting them.

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y"}, "primary_movement")
    >>> removal_counts(G, ["b"])
    {'groups': (3, 2), 'ties': (2, 0), 'cross': (1, 0)}
    """
    gone = {g for g in remove if g in G}
    primary = G.nodes

    def crosses(u, v) -> bool:
        return primary[u].get("primary_movement") != primary[v].get("primary_movement")

    if cross_before is None:
        cross_before = sum(1 for u, v in G.edges() if crosses(u, v))
    lost = {frozenset((g, other)) for g in gone for other in G[g]}
    cross_lost = sum(1 for e in lost if len(e) == 2 and crosses(*e))
    ties = G.number_of_edges()  # counted by walking every node's neighbours: once
    return {
        "groups": (G.number_of_nodes(), G.number_of_nodes() - len(gone)),
        "ties": (ties, ties - len(lost)),
        "cross": (cross_before, cross_before - cross_lost),
    }
