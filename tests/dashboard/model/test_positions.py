"""Seeded node positions (``dashboard.model.positions``)."""

from __future__ import annotations

import networkx as nx

from dashboard.model.positions import graph_positions


def test_graph_positions_are_seeded(graph):
    a = graph_positions(graph, seed=1)
    assert a == graph_positions(graph, seed=1)
    assert set(a) == set(graph)
    assert graph_positions(nx.Graph()) == {}
