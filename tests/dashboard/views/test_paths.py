"""Paths between two groups (``dashboard.views.paths``)."""

from __future__ import annotations

from dashboard.views.paths import path_list

from ..util import texts


def test_path_list(graph):
    from graph.paths import connecting_paths

    names = {"g2": "Justice Kitchen", "g3": "Rainbow Bridge", "g4": "Trans Care"}
    words = texts(path_list(connecting_paths(graph, "g2", "g4"), names))
    assert "1 shortest path of 2 hops" in words
    assert "Justice Kitchen" in words and "Trans Care" in words
    assert "<5 shared members" in words
    assert "not connected" in texts(path_list([], names))[0]
