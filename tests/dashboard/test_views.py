"""The dashboard's pure view functions and its data source, without a browser or a store."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import plotly.io as pio
import pytest
from dash import html

from dashboard import views
from dashboard.data import CoalitionData, problem
from graph.errors import NotFound, StoreUnavailable, UsageError
from graph.report import compute_report
from graph.store import StoreConfig

from .util import EVIL, NAMES, texts, walk

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


# -- text ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("n", "threshold", "expected"),
    [
        (0, 5, "0"),
        (1, 5, "<5"),
        (4, 5, "<5"),
        (5, 5, "5"),
        (1234, 5, "1,234"),
        (9, 10, "<10"),
        (None, 5, ""),
    ],
)
def test_count_text_suppresses_small_counts(n, threshold, expected):
    assert views.count_text(n, threshold) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (float("nan"), ""), (True, "yes"), (3, "3"), (0.12345, "0.123"), ("x", "x")],
)
def test_number_text(value, expected):
    assert views.number_text(value) == expected


def test_plotly_text_escapes_markup():
    assert views.plotly_text("<b>A & B</b>") == "&lt;b&gt;A &amp; B&lt;/b&gt;"


# -- the network -------------------------------------------------------------------------------
def test_movement_styles_use_okabe_ito_then_shapes():
    styles = views.movement_styles([f"m{i:02d}" for i in range(10)])
    assert [styles[f"m{i:02d}"]["color"] for i in range(8)] == list(views.OKABE_ITO)
    assert {styles[f"m{i:02d}"]["shape"] for i in range(8)} == {"ellipse"}
    assert styles["m08"] == {"color": views.OKABE_ITO[0], "shape": "round-rectangle"}


def test_filter_graph_by_tie_type_and_weight(graph):
    everything = views.filter_graph(graph)
    assert set(everything) == set(graph)
    assert everything.number_of_edges() == graph.number_of_edges()
    actions_only = views.filter_graph(graph, ties=["actions"])
    assert {frozenset(e) for e in actions_only.edges} == {
        frozenset({"g1", "g3"}),
        frozenset({"g1", "g2"}),
    }
    assert set(actions_only) == set(graph)  # isolated groups stay
    heavy = views.filter_graph(graph, min_weight=5)
    assert {frozenset(e) for e in heavy.edges} == {frozenset({"g1", "g2"})}
    assert heavy.edges["g1", "g2"]["shown_weight"] == 7
    assert views.filter_graph(graph, ties=[]).number_of_edges() == 0


def test_filter_graph_by_movement_and_ego(graph):
    blm = views.filter_graph(graph, movements=["blm"])
    assert set(blm) == {"g1", "g2", "g3"}  # g3 lists blm second
    ego = views.filter_graph(graph, focus="g4", hops=1)
    assert set(ego) == {"g3", "g4", "g5"}
    assert set(views.filter_graph(graph, focus="g4", hops=2)) == {"g1", "g2", "g3", "g4", "g5"}
    kept = views.filter_graph(graph, focus="g4", movements=["labour"])
    assert set(kept) == {"g4", "g5"}  # the focus group always stays
    with pytest.raises(NotFound):
        views.filter_graph(graph, focus="nope")


def test_graph_positions_are_seeded(graph):
    a = views.graph_positions(graph, seed=1)
    assert a == views.graph_positions(graph, seed=1)
    assert set(a) == set(graph)
    assert views.graph_positions(nx.Graph()) == {}


def test_node_sizes():
    sizes = views.node_sizes({"a": 0, "b": 4, "c": 16, "d": None}, smallest=10, largest=50)
    assert sizes == {"a": 10, "b": 30, "c": 50, "d": 10}
    assert views.node_sizes({"a": 0}, smallest=10) == {"a": 10}


@pytest.mark.parametrize(("w", "width"), [(1, 1.0), (4, 1.0), (5, 2.0), (12, 3.5), (40, 5.0)])
def test_edge_width_bands_hide_small_counts(w, width):
    assert views.edge_width(w, 5) == width


def test_network_elements(graph):
    H = views.filter_graph(graph)
    sizes = views.node_sizes(dict(H.degree()))
    styles = views.movement_styles(NAMES)
    elements = views.network_elements(
        H,
        views.graph_positions(graph),
        sizes=sizes,
        styles=styles,
        movement_names=NAMES,
        search="kitchen",
        labelled=2,
    )
    nodes = {e["data"]["id"]: e for e in elements if "source" not in e["data"]}
    edges = [e for e in elements if "source" in e["data"]]
    assert set(nodes) == set(graph)
    assert len(edges) == graph.number_of_edges()
    g2 = nodes["g2"]
    assert g2["classes"] == "match"
    assert nodes["g1"]["classes"] == "dim"
    assert g2["data"]["label"] == "Justice Kitchen"  # a match is labelled
    assert g2["data"]["color"] == styles["blm"]["color"]
    assert g2["data"]["movement"] == "Black Lives Matter"
    assert nodes["g6"]["data"]["label"] == ""  # small, not matched: no label
    # No member count in any element: only ids, names, style and banded widths.
    for e in edges:
        assert set(e["data"]) == {"id", "source", "target", "width"}
    for n in nodes.values():
        assert set(n["data"]) == {"id", "label", "name", "movement", "color", "shape", "size"}
    cross = {
        frozenset((e["data"]["source"], e["data"]["target"]))
        for e in edges
        if e["classes"] == "cross"
    }
    assert frozenset({"g1", "g3"}) in cross
    assert frozenset({"g1", "g2"}) not in cross


def test_legend_lists_movements_with_counts():
    styles = views.movement_styles(NAMES)
    legend = views.legend(styles, NAMES, {"blm": 3})
    assert "Black Lives Matter (3)" in texts(legend)
    assert "Labour (0)" in texts(legend)


def test_group_detail_shows_counts_only(coalition, graph):
    report = compute_report(coalition, graph=graph)
    metrics = {row["group_id"]: row for row in report.groups}
    counts = {"members": 3, "actions": 2, "resources": 0}
    panel = views.group_detail(
        "g1",
        G=graph,
        group=coalition.groups["g1"],
        metrics=metrics["g1"],
        counts=counts,
        movement_names=NAMES,
        since="2020-01-01",
    )
    words = texts(panel)
    assert "Northside Defenders" in words
    assert "Black Lives Matter (primary)" in words
    assert "<5" in words  # 3 members
    assert "3" not in words
    assert any("6 shared members" in w for w in words)  # g1–g2 share 6
    links = [c.href for c in walk(panel) if getattr(c, "href", None)]
    assert "/paths?a=g1&since=2020-01-01" in links
    assert "/whatif?remove=g1&since=2020-01-01" in links


def test_tie_summary():
    edge = {"shared_members": 2, "joint_actions": 1, "shared_resources": 3}
    assert views.tie_summary(edge) == "<5 shared members · 1 joint action · 3 shared resources"
    assert views.tie_summary({"shared_members": 0}) == "no ties"


def test_data_text_stays_text(coalition, graph):
    """A group named like markup is a plain string child, never parsed."""
    panel = views.group_detail(
        "g5",
        G=graph,
        group=coalition.groups["g5"],
        metrics=None,
        counts={},
        movement_names={"labour": EVIL},
    )
    assert EVIL in texts(panel)
    assert EVIL + " (primary)" in texts(panel)


def test_no_raw_html_anywhere_in_the_dashboard():
    source = "\n".join(p.read_text() for p in DASHBOARD.rglob("*.py"))
    assert "dangerously_allow_html" not in source
    assert "Markdown(" not in source


# -- movements ---------------------------------------------------------------------------------
def test_matrix_figure_symmetric_and_suppressed():
    matrix = [
        {"movement_a": "blm", "movement_b": "blm", "shared_members": 6, "ties": 1},
        {"movement_a": "blm", "movement_b": "queer", "shared_members": 2, "ties": 3},
        {"movement_a": "labour", "movement_b": "queer", "shared_members": 0, "ties": 1},
    ]
    names = {"blm": "BLM", "queer": "<i>Queer</i>", "labour": "Labour"}
    fig = views.matrix_figure(matrix, names, tie="shared_members", threshold=5)
    heat = fig.data[0]
    # sorted ids: blm, labour, queer
    assert list(heat.x) == ["BLM", "Labour", "&lt;i&gt;Queer&lt;/i&gt;"]
    assert heat.text[0][2] == heat.text[2][0] == "<5"
    assert heat.z[0][2] == heat.z[2][0] == 2.5  # not the true 2
    assert heat.text[0][0] == "6"
    assert heat.text[1][2] == "0"
    ties = views.matrix_figure(matrix, names, tie="ties").data[0]
    assert ties.z[0][2] == 3 and ties.text[0][2] == "3"
    with pytest.raises(ValueError):
        views.matrix_figure(matrix, names, tie="nope")
    pio.to_json(fig)  # serialisable


def test_matrix_labels_stay_distinct():
    fig = views.matrix_figure([], {"a": "Same", "b": "Same"})
    assert list(fig.data[0].x) == ["Same (a)", "Same (b)"]


# -- brokers -----------------------------------------------------------------------------------
def test_broker_rows(coalition, graph):
    report = compute_report(coalition, graph=graph)
    counts = {"g1": {"members": 6}, "g2": {"members": 2}}
    rows = {
        r["group_id"]: r
        for r in views.broker_rows(report.groups, counts=counts, movement_names=NAMES)
    }
    assert rows["g1"]["members"] == "6"
    assert rows["g2"]["members"] == "<5"
    assert rows["g3"]["movements"] == "Queer Liberation; Black Lives Matter"
    assert rows["g3"]["primary_movement"] == "Queer Liberation"
    assert rows["g6"]["ei_index"] is None  # undefined stays empty
    assert rows["g6"]["articulation_point"] == "no"
    assert isinstance(rows["g1"]["betweenness"], float)
    fields = [c["field"] for c in views.broker_columns()]
    assert set(rows["g1"]) == set(fields)
    json.dumps(list(rows.values()))


# -- overview ----------------------------------------------------------------------------------
def test_overview_kpis(coalition, graph):
    report = compute_report(coalition, graph=graph)
    kpis = {
        k["label"]: k
        for k in views.overview_kpis(
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
    assert [g["group_id"] for g in views.top_bridges(groups, n=3)] == ["d", "b", "a"]


def test_cross_pairs_table_suppresses_members():
    matrix = [
        {"movement_a": "blm", "movement_b": "blm", "ties": 9, "shared_members": 9},
        {"movement_a": "blm", "movement_b": "queer", "ties": 2, "shared_members": 3},
    ]
    words = texts(views.cross_pairs_table(matrix, NAMES))
    assert "<5" in words and "Queer Liberation" in words
    assert "9" not in words  # the diagonal is not a cross pair


# -- timeline ----------------------------------------------------------------------------------
def test_timeline_rows(coalition):
    rows = views.timeline_rows(coalition)
    assert rows == [
        {"period": "2019", "start": "2019-01-01", "within": 0, "across": 1},
        {"period": "2020", "start": "2020-01-01", "within": 0, "across": 0},
        {"period": "2021", "start": "2021-01-01", "within": 1, "across": 0},
    ]
    quarters = views.timeline_rows(coalition, period="quarter")
    assert [r["period"] for r in quarters][:3] == ["2019-Q2", "2019-Q3", "2019-Q4"]
    assert quarters[-1]["period"] == "2021-Q1"
    assert views.timeline_rows(coalition, movements=["queer"]) == [
        {"period": "2019", "start": "2019-01-01", "within": 0, "across": 1}
    ]
    assert views.timeline_rows(coalition, movements=["labour"]) == []
    months = views.timeline_rows(coalition, period="month")
    assert len(months) == 23  # 2019-05 .. 2021-03
    fig = views.timeline_figure(rows)
    assert [t.name for t in fig.data] == ["Within one movement", "Across movements"]


# -- paths and what-if -------------------------------------------------------------------------
def test_path_list(graph):
    from graph.paths import connecting_paths

    names = {"g2": "Justice Kitchen", "g3": "Rainbow Bridge", "g4": "Trans Care"}
    words = texts(views.path_list(connecting_paths(graph, "g2", "g4"), names))
    assert "1 shortest path of 2 hops" in words
    assert "Justice Kitchen" in words and "Trans Care" in words
    assert "<5 shared members" in words
    assert "not connected" in texts(views.path_list([], names))[0]


def test_whatif_summary_and_ranking(graph):
    from graph.metrics import fragmentation_ranking, whatif

    result = whatif(graph, ["g3"])
    words = texts(views.whatif_summary(result, {"g3": "Rainbow Bridge"}, NAMES))
    assert "Leaving: Rainbow Bridge" in words
    ranking = fragmentation_ranking(graph)
    assert ranking[0]["group_id"] == "g3"
    before = nx.number_connected_components(graph)  # 2: g6 is isolated
    words = texts(views.ranking_table(ranking, components=before))
    assert words.index("Rainbow Bridge") < words.index("Trans Care Network")
    assert "Quiet Tenants" not in words  # g6 leaving splits nothing
    assert "Northside Defenders" not in words
    assert "No single group" in texts(views.ranking_table([], components=1))[0]


# -- the data source ---------------------------------------------------------------------------
def test_data_source_caches_per_window(coalition):
    source = CoalitionData.from_coalition(coalition)
    snap = source.snapshot()
    assert source.snapshot() is snap
    assert snap.report is snap.report
    assert snap.graph is snap.report.graph
    windowed = source.snapshot(None, "2019-12-31")
    assert windowed is not snap
    assert windowed.until == "2019-12-31"
    assert windowed.member_total == 8  # m11 joined in 2020
    assert source.snapshot(until="2019-12-31T00:00:00") is windowed
    assert snap.group_counts["g1"] == {"members": 6, "actions": 2, "resources": 0}


def test_data_source_rejects_bad_windows(coalition):
    source = CoalitionData.from_coalition(coalition)
    with pytest.raises(UsageError, match="after"):
        source.snapshot("2022-01-01", "2021-01-01")
    with pytest.raises(UsageError, match="not a date"):
        source.snapshot("soon")


def test_data_source_lru_is_bounded(coalition):
    source = CoalitionData.from_coalition(coalition, max_windows=2)
    first = source.snapshot("2019-01-01")
    source.snapshot("2020-01-01")
    source.snapshot("2021-01-01")
    assert source.snapshot("2019-01-01") is not first


def test_unreachable_store_is_a_clear_message():
    source = CoalitionData(StoreConfig(uri="bolt://127.0.0.1:9", username="x", password="y"))
    with pytest.raises(StoreUnavailable) as info:
        source.snapshot()
    message = problem(info.value)
    assert message.startswith("The graph store is unavailable: ")
    assert "y" not in message.split(": ", 1)[1].split()  # never the password
    assert problem(ValueError("boom")).startswith("Something went wrong")


def test_notice_is_text():
    box = views.notice(EVIL)
    assert isinstance(box, html.Div)
    assert box.children == EVIL
    assert box.role == "alert"


def test_choice_options_sort_by_name():
    options = views.choice_options({"b": "alpha", "a": "Beta"})
    assert options == [
        {"label": "alpha (b)", "value": "b"},
        {"label": "Beta (a)", "value": "a"},
    ]
    assert views.choice_options({"x": "X"}, with_id=False) == [{"label": "X", "value": "x"}]


def test_search_options_stay_light_for_many_groups():
    names = {f"g{i:05d}": f"Group {i}" for i in range(1000)}
    assert len(views.search_options({"a": "A"}, "zzz")) == 1  # few groups: all of them
    first = views.search_options(names, "", most=50)
    assert len(first) == 50 and first[0]["value"] == "g00000"
    found = views.search_options(names, "group 99", keep=["g00005"], most=50)
    assert found[0]["value"] == "g00005"  # the chosen value stays an option
    assert {o["value"] for o in found[1:]} == {"g00099"} | {f"g0099{i}" for i in range(10)}
    assert views.search_options(names, "G00123")[0]["value"] == "g00123"


@pytest.mark.parametrize(
    ("value", "period", "expected"),
    [
        ("2021", "year", "2021"),
        ("2021-Q3", "quarter", "2021-Q3"),
        ("2021-Q5", "quarter", None),
        ("2021-07", "month", "2021-07"),
        ("2021-13", "month", None),
        ("2021", "month", None),
        ("<script>", "year", None),
        (None, "year", None),
    ],
)
def test_period_key(value, period, expected):
    assert views.period_key(value, period) == expected


def test_period_actions_lists_the_period(coalition):
    listing = views.period_actions(coalition, "2021", movement_names=NAMES)
    words = texts(listing)
    assert "Joint actions in 2021" in words and "Kitchen" in words
    assert "Solo" not in words  # one group only: not a joint action
    assert "within" in words and "Black Lives Matter" in words
    assert listing.to_plotly_json()["props"]["data-count"] == "1"
    quarter = views.period_actions(coalition, "2019-Q2", period="quarter")
    assert "March" in texts(quarter) and "across" in texts(quarter)
    assert "No joint actions in this period." in texts(views.period_actions(coalition, "2020"))


def test_timeline_figure_has_a_range_selector_and_marks_the_selection(coalition):
    rows = views.timeline_rows(coalition)
    figure = views.timeline_figure(rows, selected="2021")
    assert figure.layout.xaxis.type == "date" and figure.layout.xaxis.rangeslider.visible
    assert [b.label for b in figure.layout.xaxis.rangeselector.buttons][-1] == "all"
    assert list(figure.data[0].customdata) == ["2019", "2020", "2021"]
    assert list(figure.data[0].marker.line.width) == [0, 0, 2.5]


def test_small_matrix_links_each_cell(coalition, graph):
    report = compute_report(coalition, graph=graph)
    table = views.small_matrix(report.matrix, NAMES, since="2020-01-01")
    links = {c.href: c.children for c in walk(table) if getattr(c, "href", None)}
    assert links["/movements?cell=blm,queer&since=2020-01-01"] == "2"
    assert links["/movements?cell=blm,blm&since=2020-01-01"] == "1"
    assert "/movements?cell=blm,labour&since=2020-01-01" not in links  # no ties: no link
    assert views.small_matrix(report.matrix, {f"m{i}": "x" for i in range(20)}) is None


def test_bridging_pairs_are_counts_only():
    matrix = [
        {"movement_a": "blm", "movement_b": "blm", "shared_members": 40},
        {"movement_a": "blm", "movement_b": "queer", "shared_members": 3},
        {"movement_a": "blm", "movement_b": "labour", "shared_members": 12},
        {"movement_a": "labour", "movement_b": "queer", "shared_members": 0},
    ]
    rows = [
        [cell.children for cell in row.children]
        for row in views.bridging_pairs_table(matrix, NAMES).children[-1].children
    ]
    assert rows == [
        ["Black Lives Matter", "Labour", "12"],
        ["Black Lives Matter", "Queer Liberation", "<5"],
    ]


def test_ei_table_orders_outward_first(graph):
    from dashboard.graphview import NetworkIndex, movement_ei

    table = views.ei_table(movement_ei(NetworkIndex(graph)), NAMES)
    body = table.children[-1].children
    assert [row.children[0].children for row in body] == [
        "Labour",
        "Queer Liberation",
        "Black Lives Matter",
    ]
    assert body[0].children[-1].children == "1.00"


def test_removal_counts_and_the_ranking_fallback(graph):
    counts = views.removal_counts(graph, ["g3", "nope"])
    assert counts == {"groups": (6, 5), "ties": (5, 2), "cross": (3, 1)}
    summary = views.whatif_summary(
        {"removed": ["g3"], "components_before": 2, "components_after": 3},
        {"g3": "Rainbow Bridge"},
        NAMES,
        counts=counts,
    )
    words = texts(summary)
    assert words[words.index("Ties") : words.index("Ties") + 3] == ["Ties", "5", "2"]
    fallback = [{"group_id": "g3", "name": "Rainbow Bridge", "betweenness": 0.7, "degree": 3}]
    words = texts(views.ranking_table([], components=1, fallback=fallback))
    assert "Rainbow Bridge" in words and "0.7000" in words
    assert any("No single group" in w for w in words)


def test_group_detail_lists_joint_actions(coalition, graph):
    actions = [
        {"id": f"a{i}", "name": f"Action {i}", "start_date": f"20{10 + i}-01-01", "groups": 3}
        for i in range(9)
    ]
    panel = views.group_detail(
        "g1",
        G=graph,
        group=coalition.groups["g1"],
        metrics=None,
        counts={},
        movement_names=NAMES,
        actions=actions,
        metrics_note="Computing the metrics…",
    )
    words = texts(panel)
    assert "Action 0" in words and "Action 5" in words and "Action 6" not in words
    assert "…and 3 more. " in words
    assert "Computing the metrics…" in words and "Betweenness" not in words


def test_movement_detail():
    panel = views.movement_detail(
        "blm",
        entry={"groups": 2, "ties": {"internal": 1, "external": 2, "ei": 1 / 3}},
        movement_names=NAMES,
        link="/network?movements=blm",
    )
    words = texts(panel)
    assert "Black Lives Matter" in words and "0.33" in words
    assert [c.href for c in walk(panel) if getattr(c, "href", None)] == ["/network?movements=blm"]


def test_slow_values_make_a_view_pending_not_wait(coalition, monkeypatch):
    import threading

    from dashboard.data import Pending, Snapshot

    release = threading.Event()
    compute = Snapshot._compute_report

    def slow_report(self):
        release.wait(10)
        return compute(self)

    monkeypatch.setattr(Snapshot, "_compute_report", slow_report)
    snap = CoalitionData.from_coalition(coalition).snapshot()
    assert snap.get("index", wait=5) is snap.index  # quick values do not wait for the report
    with pytest.raises(Pending, match=r"Computing the metrics of 6 groups and 5 ties \(started"):
        snap.get("report", wait=0.05)
    assert not snap.ready("report")
    release.set()
    assert snap.get("metrics", wait=5)["g1"]["degree"] == 2
    assert snap.ready("report")


def test_warm_computes_everything_in_the_background(coalition):
    from dashboard.data import Snapshot

    source = CoalitionData.from_coalition(coalition)
    source.warm().join(30)
    snap = source.snapshot()
    assert all(snap.ready(name) for name in Snapshot.DERIVED)


def test_an_empty_dataset_is_a_clear_message():
    from dashboard.data import EmptyDataset
    from graph.coalition import Coalition

    with pytest.raises(EmptyDataset, match="no groups to show. Load a dataset"):
        CoalitionData.from_coalition(Coalition()).snapshot()


def test_docstring_examples():
    import doctest

    result = doctest.testmod(views, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10 and result.failed == 0


@pytest.mark.parametrize("first", ["matrix", "group_counts", "bridging_members"])
def test_a_quick_value_asked_first_does_not_deadlock(coalition, first):
    # The matrix waits for the graph, whose thread needs the snapshot's lock.
    import threading

    from dashboard.data import Snapshot

    snap = Snapshot(coalition)
    done = {}
    worker = threading.Thread(target=lambda: done.update(value=getattr(snap, first)), daemon=True)
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), f"{first} never came back"
    assert done["value"] is getattr(snap, first)
    assert snap.matrix and snap.get("index", wait=5) is snap.index
