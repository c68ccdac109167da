"""The overview's figures (``dashboard.views.overview``)."""

from __future__ import annotations

from dashboard.views.overview import cross_pairs_table, overview_kpis, small_matrix, top_bridges
from graph.report import compute_report

from ..util import NAMES, texts, walk


def test_overview_kpis(coalition, graph):
    report = compute_report(coalition, graph=graph)
    kpis = {
        k["label"]: k
        for k in overview_kpis(
            coalition,
            G=graph,
            summary=report.summary,
            bridging=sum(1 for m in report.members if m["bridging"]),
            member_total=coalition.member_count,
        )
    }
    assert kpis["Movements"]["value"] == "3"
    assert kpis["Groups"]["value"] == "6"
    assert kpis["Members"]["value"] == "9"
    assert kpis["Members"]["hint"] == "<5 in groups of 2+ movements"  # m10, m11
    assert kpis["Joint actions"]["value"] == "2"
    assert kpis["Shared resources"]["value"] == "1"
    assert kpis["Cross-movement ties"]["value"].endswith("%")
    assert kpis["Movements"]["href"] == "/movements"


def test_top_bridges_orders_by_participation():
    groups = [
        {"group_id": "a", "participation": 0.2, "betweenness": 0.9},
        {"group_id": "b", "participation": 0.5, "betweenness": 0.1},
        {"group_id": "c", "participation": None, "betweenness": None},
        {"group_id": "d", "participation": 0.5, "betweenness": 0.3},
    ]
    assert [g["group_id"] for g in top_bridges(groups, n=3)] == ["d", "b", "a"]


def test_cross_pairs_table_suppresses_members():
    matrix = [
        {"movement_a": "blm", "movement_b": "blm", "ties": 9, "shared_members": 9},
        {"movement_a": "blm", "movement_b": "queer", "ties": 2, "shared_members": 3},
    ]
    words = texts(cross_pairs_table(matrix, NAMES))
    assert "<5" in words and "Queer Liberation" in words
    assert "9" not in words  # the diagonal is not a cross pair


def test_small_matrix_links_each_cell(coalition, graph):
    report = compute_report(coalition, graph=graph)
    table = small_matrix(report.matrix, NAMES, since="2020-01-01")
    links = {c.href: c.children for c in walk(table) if getattr(c, "href", None)}
    assert links["/movements?cell=blm,queer&since=2020-01-01"] == "2"
    assert links["/movements?cell=blm,blm&since=2020-01-01"] == "1"
    assert "/movements?cell=blm,labour&since=2020-01-01" not in links  # no ties: no link
    assert small_matrix(report.matrix, {f"m{i}": "x" for i in range(20)}) is None


def test_overview_content_links_each_card_to_its_page():
    from dash import html

    from dashboard.views.overview import overview_content

    kpis = [{"label": "Groups", "value": "6", "hint": "ties", "href": "/network"}]
    content = overview_content(kpis, html.P("bridges"), html.P("matrix"), since="2020-01-01")
    words = texts(content)
    assert words[:3] == ["6", "Groups", "ties"]
    assert "bridges" in words and "matrix" in words
    links = [c.href for c in walk(content[1]) if getattr(c, "href", None)]
    assert links[:2] == ["/brokers?since=2020-01-01", "/brokers?since=2020-01-01"]
    assert "/movements?since=2020-01-01" in links and "/network?since=2020-01-01" in links
