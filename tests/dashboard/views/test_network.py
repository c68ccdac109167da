"""The network page's drawings at any size (``dashboard.views.network``)."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.model.network import NetworkIndex, filter_graph, size_values
from dashboard.model.positions import graph_positions
from dashboard.views.network import (
    VIEWS,
    _spread,
    _trim,
    edge_width,
    network_elements,
    network_view,
    node_sizes,
)
from dashboard.views.styles import movement_styles

from ..util import NAMES, random_coalition_graph, texts


def test_node_sizes():
    sizes = node_sizes({"a": 0, "b": 4, "c": 16, "d": None}, smallest=10, largest=50)
    assert sizes == {"a": 10, "b": 30, "c": 50, "d": 10}
    assert node_sizes({"a": 0}, smallest=10) == {"a": 10}


@pytest.mark.parametrize(("w", "width"), [(1, 1.0), (4, 1.0), (5, 2.0), (12, 3.5), (40, 5.0)])
def test_edge_width_bands_hide_small_counts(w, width):
    assert edge_width(w, 5) == width


def test_network_elements(graph):
    H = filter_graph(graph)
    sizes = node_sizes(dict(H.degree()))
    styles = movement_styles(NAMES)
    elements = network_elements(
        H,
        graph_positions(graph),
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


def _view(G, **kwargs):
    index = NetworkIndex(G)
    kwargs.setdefault("values", size_values(index, "degree", None))
    return network_view(
        index,
        positions=graph_positions(G),
        movement_names=kwargs.pop("movement_names", NAMES),
        group_names=kwargs.pop("group_names", {}),
        **kwargs,
    )


def test_network_view_draws_groups(graph):
    view = _view(
        graph, group_names={"g4": "Trans Care"}, ties=["members"], focus="g4", search="care"
    )
    assert (view["nodes"], view["edges"]) == (2, 1)  # g4 and g3, tied by one member
    assert view["status"].children == (
        "Showing 2 of 6 groups and 1 ties · around Trans Care (1 hop) · 1 match “care”"
    )
    assert view["note"] is None and view["figure"] is None
    assert "Queer Liberation (2)" in texts(view["legend"])
    empty = _view(graph, ties=[])
    assert empty["edges"] == 0 and "no tie type chosen" in empty["status"].children
    # The group whose panel is open (from a shared link) is marked and labelled.
    picked = {e["data"]["id"]: e for e in _view(graph, picked="g6")["elements"]}["g6"]
    assert picked["classes"] == "picked" and picked["data"]["label"] == "Quiet Tenants"


def test_a_big_selection_is_trimmed_and_says_so():
    G = random_coalition_graph(n=80, p=0.5)
    assert G.number_of_nodes() + G.number_of_edges() > 400
    index = NetworkIndex(G)
    values = size_values(index, "degree", None)
    view = network_view(
        index,
        positions=graph_positions(G),
        values=values,
        movement_names=NAMES,
        group_names={},
        search="Group 7",
        limit=400,
    )
    assert view["nodes"] + view["edges"] <= 400
    assert view["nodes"] == G.number_of_nodes()  # fewer groups than the node budget
    assert view["groups"] == G.number_of_nodes() and view["ties"] == G.number_of_edges()
    drawn = [e for e in view["elements"] if "source" in e["data"]]
    weights = sorted((d.get("shown_weight", d["weight"]) for *_e, d in G.edges(data=True)))
    weakest_drawn = min(G.edges[e["data"]["source"], e["data"]["target"]]["weight"] for e in drawn)
    assert weakest_drawn >= weights[-len(drawn)]  # the strongest ties
    note = texts(view["note"])
    assert any("Too many to draw one by one" in w for w in note)
    assert view["status"].to_plotly_json()["props"]["data-groups"] == str(G.number_of_nodes())

    # With more groups than the node budget: the largest, the focus and search matches stay.
    big = _trim(
        index, index.select(), values, keep=[index.position["g079"]], limit=60, max_nodes=20
    )
    nodes, edges, trimmed = big
    assert trimmed and len(nodes) == 20 and len(nodes) + len(edges) <= 60
    assert index.position["g079"] in nodes.tolist()
    largest = np.argsort(-values, kind="stable")[:5]
    assert set(largest.tolist()) <= set(nodes.tolist())


def test_the_movement_view(graph):
    view = _view(graph, view="movements")
    nodes = {e["data"]["id"]: e["data"] for e in view["elements"] if "source" not in e["data"]}
    edges = {e["data"]["id"]: e["data"] for e in view["elements"] if "source" in e["data"]}
    assert set(nodes) == {"movement:blm", "movement:queer", "movement:labour"}
    assert nodes["movement:blm"]["label"] == "Black Lives Matter\n2 groups · 1 ties within"
    assert nodes["movement:blm"]["kind"] == "movement"
    assert edges["movement:blm\u2194queer"]["label"] == "2"
    assert view["status"].children.startswith("Showing 6 of 6 groups as 3 movements")
    # No member count in any element: groups and ties only.
    for data in edges.values():
        assert set(data) == {"id", "source", "target", "width", "label"}


def test_the_points_view(graph):
    view = _view(graph, view="points", search="kitchen")
    figure = view["figure"]
    assert view["elements"] == []
    assert {t.type for t in figure.data} == {"scattergl"}  # WebGL, CSP-safe bundle
    points = [t for t in figure.data if t.mode == "markers" and t.name != "matches"]
    assert sorted(g for t in points for g in t.customdata) == sorted(graph)
    assert [t.customdata for t in figure.data if t.name == "matches"] == [("g2",)]
    assert view["nodes"] == 6 and view["edges"] == graph.number_of_edges()


def test_names_stay_text_in_every_view(coalition, graph):
    evil = "<img src=x onerror=alert(1)>"
    names = {**NAMES, "labour": evil}
    for kind in VIEWS:
        view = _view(graph, view=kind, movement_names=names)
        if view["figure"] is not None:
            text = view["figure"].to_json()
            assert evil not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
        assert evil + " (2)" in texts(view["legend"])


def test_a_part_of_a_big_layout_is_drawn_at_its_own_scale():
    positions = {f"g{i}": (float(i * 100), float(-i * 50)) for i in range(100)}
    spread = _spread(positions, ["g0", "g50", "g99"])
    xs = [x for x, _y in spread.values()]
    assert max(xs) == pytest.approx(350) and min(xs) == pytest.approx(-350)  # centred, smaller
    assert spread["g50"][0] == pytest.approx(0.505 * 700 - 350, abs=1)
    near = _spread(positions, ["g0", "g1"])
    assert near == {"g0": (-50.0, 25.0), "g1": (50.0, -25.0)}  # small parts keep their scale
    assert _spread(positions, []) == {}


def test_page_outputs_show_one_drawing_at_a_time(graph):
    from dash import no_update

    from dashboard.views.network import HIDDEN, page_outputs

    groups = _view(graph)
    elements, canvas, figure, points, status, notes, legend = page_outputs(groups, pending="p")
    assert elements == groups["elements"] and canvas == {} and points == HIDDEN
    assert figure is no_update and status is groups["status"] and legend is groups["legend"]
    assert notes == ["p", groups["note"]]
    scatter = _view(graph, view="points")
    _elements, canvas, figure, points, *_rest = page_outputs(scatter)
    assert canvas == HIDDEN and points == {} and figure is scatter["figure"]
