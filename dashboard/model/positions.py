"""Seeded node positions of the network view, laid out once per date window."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from graph.metrics import DEFAULT_SEED
from graph.projection import Ties

__all__ = ["SPRING_MAX", "graph_positions"]


#: Above this many groups, positions are the movement clusters without a spring layout.
SPRING_MAX = 3000


def graph_positions(
    G: nx.Graph | Ties, *, seed: int = DEFAULT_SEED
) -> dict[str, tuple[float, float]]:
    """Seeded node positions in pixels: groups start near their movement, then a spring layout.

    Starting each movement's groups around its own point on a circle keeps
    movements visibly apart and the picture the same from one run to the next.
    Above :data:`SPRING_MAX` groups the starting points are the positions;
    ``G`` may then be the graph's :class:`graph.coalition.Ties`, and no
    networkx graph is needed.
    """
    if isinstance(G, Ties):
        nodes = list(zip(G.groups, G.node_data, strict=True))
        graph = G.graph if len(nodes) <= SPRING_MAX else None
    else:
        nodes = list(G.nodes(data=True))
        graph = lambda: G  # noqa: E731
    n = len(nodes)
    if n == 0:
        return {}
    rng = np.random.default_rng(seed)
    movements = sorted({d.get("primary_movement") or "" for _, d in nodes})
    angle = {m: 2 * math.pi * i / len(movements) for i, m in enumerate(movements)}
    start = {}
    for node, d in sorted(nodes, key=lambda item: str(item[0])):
        a = angle[d.get("primary_movement") or ""]
        start[node] = np.array([math.cos(a), math.sin(a)]) + rng.normal(0, 0.35, 2)
    if 1 < n <= SPRING_MAX:
        # Log weights keep a few very strong ties from collapsing the picture; fewer
        # iterations on bigger graphs keep the first view of a window quick.
        G = graph()
        H = nx.Graph()
        H.add_nodes_from(G)
        H.add_weighted_edges_from(
            (u, v, 1 + math.log1p(float(d.get("weight", 1) or 1))) for u, v, d in G.edges(data=True)
        )
        iterations = 80 if n <= 400 else max(10, 80 * 400 // n)
        pos = nx.spring_layout(
            H, pos=start, seed=seed, weight="weight", iterations=iterations, k=1.6 / math.sqrt(n)
        )
    else:
        # One group, or too many for a spring layout: the movement clusters as drawn.
        pos = start
    scale = max(350.0, 75.0 * math.sqrt(n))
    return {
        node: (round(float(p[0]) * scale, 1), round(float(p[1]) * scale, 1))
        for node, p in pos.items()
    }
