"""What-if summaries and the ranking (``dashboard.views.whatif``)."""

from __future__ import annotations

import networkx as nx
from dash import html

from dashboard.model.whatif import removal_counts
from dashboard.views.whatif import ranking_table, whatif_summary

from ..util import NAMES, texts


def test_whatif_summary_and_ranking(graph):
    from graph.metrics import fragmentation_ranking, whatif

    result = whatif(graph, ["g3"])
    words = texts(whatif_summary(result, {"g3": "Rainbow Bridge"}, NAMES))
    assert "Leaving: Rainbow Bridge" in words
    ranking = fragmentation_ranking(graph)
    assert ranking[0]["group_id"] == "g3"
    before = nx.number_connected_components(graph)  # 2: g6 is isolated
    words = texts(ranking_table(ranking, components=before))
    assert words.index("Rainbow Bridge") < words.index("Trans Care Network")
    assert "Quiet Tenants" not in words  # g6 leaving splits nothing
    assert "Northside Defenders" not in words
    assert "No single group" in texts(ranking_table([], components=1))[0]


def test_removal_counts_and_the_ranking_fallback(graph):
    counts = removal_counts(graph, ["g3", "nope"])
    assert counts == {"groups": (6, 5), "ties": (5, 2), "cross": (3, 1)}
    summary = whatif_summary(
        {"removed": ["g3"], "components_before": 2, "components_after": 3},
        {"g3": "Rainbow Bridge"},
        NAMES,
        counts=counts,
    )
    words = texts(summary)
    assert words[words.index("Ties") : words.index("Ties") + 3] == ["Ties", "5", "2"]
    fallback = [{"group_id": "g3", "name": "Rainbow Bridge", "betweenness": 0.7, "degree": 3}]
    words = texts(ranking_table([], components=1, fallback=fallback))
    assert "Rainbow Bridge" in words and "0.7000" in words
    assert any("No single group" in w for w in words)


def test_what_changes_says_what_is_missing_and_asks_for_a_group():
    from dashboard.views.whatif import ranking_section, what_changes

    assert texts(what_changes([], None)) == [
        "What changes",
        "Choose one or more groups that would leave.",
    ]
    many = texts(what_changes([f"x{i}" for i in range(7)], None))
    assert many[1] == "Not groups of this window: “x0”, “x1”, “x2”, “x3”, “x4” …."
    assert len(many) == 2
    summary = what_changes(["x"], html.P("summary"))
    assert texts(summary)[-1] == "summary"
    assert texts(ranking_section(html.P("t"))) == ["Groups the coalition depends on", "t"]
