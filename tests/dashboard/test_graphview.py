"""The network page at any size: the array index against the networkx reference, and the views."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import numpy as np
import pytest

from dashboard import graphview, views
from graph.coalition import Coalition
from graph.errors import NotFound
from graph.projection import coalition_ties

from .util import NAMES, texts


def _edges(index: graphview.NetworkIndex, selection: graphview.Selection) -> set[frozenset]:
    return {
        frozenset((index.nodes[index.u[k]], index.nodes[index.v[k]]))
        for k in np.flatnonzero(selection.edges)
    }


def _nodes(index: graphview.NetworkIndex, selection: graphview.Selection) -> set:
    return {index.nodes[i] for i in np.flatnonzero(selection.nodes)}


def random_coalition_graph(n: int = 60, p: float = 0.12, seed: int = 3) -> nx.Graph:
    """A coalition-like graph: random counts per tie type, movements, a few isolated groups."""
    rng = random.Random(seed)
    movements = ["blm", "queer", "labour", "climate"]
    G = nx.Graph()
    for i in range(n):
        chosen = rng.sample(movements, rng.choice([1, 1, 2]))
        G.add_node(f"g{i:03d}", name=f"Group {i}", movements=chosen, primary_movement=chosen[0])
    for a, b in itertools.combinations(sorted(G), 2):
        if rng.random() < p:
            m, x, r = rng.choice([0, 1, 5, 8]), rng.choice([0, 1, 2]), rng.choice([0, 0, 1])
            if m + x + r:
                G.add_edge(
                    a, b, shared_members=m, joint_actions=x, shared_resources=r, weight=m + x + r
                )
    return G


FILTERS = [
    {},
    {"ties": ["actions"]},
    {"ties": ["members", "resources"], "min_weight": 2},
    {"min_weight": 6},
    {"ties": []},
    {"movements": ["queer"]},
    {"movements": ["queer", "climate"], "min_weight": 2},
    {"movements": ["nope"]},
    {"focus": "g007", "hops": 1},
    {"focus": "g007", "hops": 2},
    {"focus": "g011", "hops": 2, "ties": ["actions"], "movements": ["labour"]},
]


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) for f in FILTERS])
def test_the_index_selects_what_filter_graph_keeps(filters):
    G = random_coalition_graph()
    index = graphview.NetworkIndex(G)
    selection = index.select(**filters)
    H = views.filter_graph(G, **filters)
    assert _nodes(index, selection) == set(H)
    assert _edges(index, selection) == {frozenset(e) for e in H.edges}
    for k in np.flatnonzero(selection.edges):
        a, b = index.nodes[index.u[k]], index.nodes[index.v[k]]
        assert selection.shown[k] == H.edges[a, b]["shown_weight"]


def test_the_index_on_the_small_coalition(graph):
    index = graphview.NetworkIndex(graph)
    assert index.nodes == ["g1", "g2", "g3", "g4", "g5", "g6"]
    assert index.degree.tolist() == [2, 2, 3, 2, 1, 0]
    assert index.components == 2  # g6 alone
    ego = index.select(focus="g4", hops=1)
    assert _nodes(index, ego) == {"g3", "g4", "g5"}
    with pytest.raises(NotFound):
        index.select(focus="nope")
    assert index.matches("KITCHEN").tolist() == [1]
    assert index.matches("  ").tolist() == []
    # As network_summary counts: g1–g3, g3–g4 and g4–g5 cross movements, g1–g2 and g2–g3 not.
    assert index.cross_count() == 3 and index.cross_share() == pytest.approx(3 / 5)


def test_movement_ei(graph):
    ei = graphview.movement_ei(graphview.NetworkIndex(graph))
    # blm: g1, g2 (g3's primary is queer); ties g1–g2 inside, g1–g3 and g2–g3 across.
    assert ei["blm"]["groups"] == 2
    assert ei["blm"]["ties"] == {"internal": 1, "external": 2, "ei": pytest.approx(1 / 3)}
    assert ei["blm"]["joint_actions"] == {"internal": 1, "external": 1, "ei": 0.0}
    assert ei["labour"]["shared_members"] == {"internal": 0, "external": 0, "ei": None}
    assert ei["labour"]["ties"]["ei"] == 1.0


def test_pair_groups(graph):
    index = graphview.NetworkIndex(graph)
    found = graphview.pair_groups(index, "blm", "queer")
    assert found["ties"] == 2
    assert found["sides"] == {"blm": [("g1", 1), ("g2", 1)], "queer": [("g3", 2)]}
    members = graphview.pair_groups(index, "blm", "queer", tie="shared_members")
    assert members["sides"]["blm"] == [("g2", 1)]
    inside = graphview.pair_groups(index, "blm", "blm")
    assert inside == {"ties": 1, "sides": {"blm": [("g1", 1), ("g2", 1)]}}
    block = views.pair_groups_block(
        found, "blm", "queer", tie="ties", movement_names=NAMES, group_names={"g3": "Rainbow"}
    )
    words = texts(block)
    assert "Black Lives Matter × Queer Liberation: ties" in words
    assert "Rainbow" in words and " · 2 ties" in words
    with pytest.raises(ValueError):
        graphview.pair_groups(index, "blm", "queer", tie="friends")


def _view(G, **kwargs):
    index = graphview.NetworkIndex(G)
    kwargs.setdefault("values", graphview.size_values(index, "degree", None))
    return graphview.network_view(
        index,
        positions=views.graph_positions(G),
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
    index = graphview.NetworkIndex(G)
    values = graphview.size_values(index, "degree", None)
    view = graphview.network_view(
        index,
        positions=views.graph_positions(G),
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
    big = graphview._trim(
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
    for kind in graphview.VIEWS:
        view = _view(graph, view=kind, movement_names=names)
        if view["figure"] is not None:
            text = view["figure"].to_json()
            assert evil not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
        assert evil + " (2)" in texts(view["legend"])


def test_size_values(graph):
    index = graphview.NetworkIndex(graph)
    assert graphview.size_values(index, "degree", None).tolist() == [2, 2, 3, 2, 1, 0]
    metrics = {"g1": {"betweenness": 0.5}, "g2": {"betweenness": float("nan")}}
    values = graphview.size_values(index, "betweenness", metrics)
    assert values.tolist() == [0.5, 0, 0, 0, 0, 0]
    with pytest.raises(ValueError):
        graphview.size_values(index, "betweenness", None)


@pytest.mark.parametrize(
    "remove",
    [["g001"], ["g001", "g002", "g003"], [f"g{i:03d}" for i in range(0, 60, 2)], []],
)
def test_whatif_agrees_with_graph_metrics(remove):
    from graph.metrics import whatif

    G = random_coalition_graph(p=0.05)
    G.add_node("lonely", name="Lonely", movements=[], primary_movement=None)
    index = graphview.NetworkIndex(G)
    for gone in (remove, list(G)):
        ours, reference = graphview.whatif(index, gone), whatif(G, gone)
        for key in ("fragmentation_before", "fragmentation_after"):
            assert ours.pop(key) == pytest.approx(reference.pop(key))
        assert ours == reference
    with pytest.raises(NotFound, match="'nope'"):
        graphview.whatif(index, ["g001", "nope"])


def test_a_part_of_a_big_layout_is_drawn_at_its_own_scale():
    positions = {f"g{i}": (float(i * 100), float(-i * 50)) for i in range(100)}
    spread = graphview._spread(positions, ["g0", "g50", "g99"])
    xs = [x for x, _y in spread.values()]
    assert max(xs) == pytest.approx(350) and min(xs) == pytest.approx(-350)  # centred, smaller
    assert spread["g50"][0] == pytest.approx(0.505 * 700 - 350, abs=1)
    near = graphview._spread(positions, ["g0", "g1"])
    assert near == {"g0": (-50.0, 25.0), "g1": (50.0, -25.0)}  # small parts keep their scale
    assert graphview._spread(positions, []) == {}


def random_coalition(seed: int = 5, groups: int = 80) -> Coalition:
    """Random tables: dated memberships (some repeated), actions, shares, a group with none."""
    rng = random.Random(seed)
    movements = ["blm", "queer", "labour", "climate"]
    ids = [f"g{i:03d}" for i in range(groups)]
    c = Coalition(movements={m: {"name": m.title(), "description": None} for m in movements})
    for i, gid in enumerate(ids):
        chosen = [] if i == 7 else rng.sample(movements, rng.choice([1, 1, 2]))
        c.groups[gid] = {"id": gid, "name": f"Group <b>{i}</b>", "movements": chosen}
    year = lambda: f"{rng.randint(2010, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"  # noqa: E731
    for m in range(300):
        for gid in rng.sample(ids, rng.choice([1, 2, 3])):
            c.memberships.append((f"m{m}", gid, year(), rng.choice([None, "2025-01-01"])))
    c.memberships += c.memberships[:20]  # the same person twice in a group counts once
    for a in range(60):
        start = year()
        c.actions[f"a{a}"] = {"id": f"a{a}", "start_date": start, "end_date": None}
        c.participations += [(gid, f"a{a}", None) for gid in rng.sample(ids, 3)]
    c.shares = [(rng.choice(ids), f"r{r % 15}", None, year(), None) for r in range(60)]
    return c


@pytest.mark.parametrize("since", [None, "2019-01-01"])
def test_the_index_from_ties_is_the_index_of_their_graph(since):
    coalition = random_coalition().window(since, None)
    ties = coalition_ties(coalition)
    a, b = graphview.NetworkIndex(ties.graph()), graphview.NetworkIndex.from_ties(ties)
    assert a.nodes == b.nodes and a.names == b.names and a.movement_ids == b.movement_ids
    for name in ("u", "v", "weight", "degree", "strength", "primary", "in_movement"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for t in views.TIE_TYPES:
        np.testing.assert_array_equal(a.counts[t], b.counts[t])
    assert a.components == b.components
    nodes, edges, shown = np.arange(len(a.nodes)), np.arange(len(a.u)), np.ones(len(a.u), int)
    sa, sb = a.subgraph(nodes, edges, shown), b.subgraph(nodes, edges, shown)
    assert sa.number_of_edges() == ties.graph().number_of_edges() > 100
    assert sorted(sa.edges(data=True)) == sorted(sb.edges(data=True))
    assert dict(sa.nodes(data=True)) == dict(sb.nodes(data=True))
