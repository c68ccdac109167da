"""The network index against the networkx reference (``dashboard.model.network``)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from dashboard.model.network import NetworkIndex, Selection, filter_graph, size_values
from graph.coalition import Coalition
from graph.errors import NotFound
from graph.projection import coalition_ties
from graph.schema import TIE_BY_SHORT

from ..util import random_coalition_graph


def _edges(index: NetworkIndex, selection: Selection) -> set[frozenset]:
    return {
        frozenset((index.nodes[index.u[k]], index.nodes[index.v[k]]))
        for k in np.flatnonzero(selection.edges)
    }


def _nodes(index: NetworkIndex, selection: Selection) -> set:
    return {index.nodes[i] for i in np.flatnonzero(selection.nodes)}


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


def test_filter_graph_by_tie_type_and_weight(graph):
    everything = filter_graph(graph)
    assert set(everything) == set(graph)
    assert everything.number_of_edges() == graph.number_of_edges()
    actions_only = filter_graph(graph, ties=["actions"])
    assert {frozenset(e) for e in actions_only.edges} == {
        frozenset({"g1", "g3"}),
        frozenset({"g1", "g2"}),
    }
    assert set(actions_only) == set(graph)  # isolated groups stay
    heavy = filter_graph(graph, min_weight=5)
    assert {frozenset(e) for e in heavy.edges} == {frozenset({"g1", "g2"})}
    assert heavy.edges["g1", "g2"]["shown_weight"] == 7
    assert filter_graph(graph, ties=[]).number_of_edges() == 0


def test_filter_graph_by_movement_and_ego(graph):
    blm = filter_graph(graph, movements=["blm"])
    assert set(blm) == {"g1", "g2", "g3"}  # g3 lists blm second
    ego = filter_graph(graph, focus="g4", hops=1)
    assert set(ego) == {"g3", "g4", "g5"}
    assert set(filter_graph(graph, focus="g4", hops=2)) == {"g1", "g2", "g3", "g4", "g5"}
    kept = filter_graph(graph, focus="g4", movements=["labour"])
    assert set(kept) == {"g4", "g5"}  # the focus group always stays
    with pytest.raises(NotFound):
        filter_graph(graph, focus="nope")


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) for f in FILTERS])
def test_the_index_selects_what_filter_graph_keeps(filters):
    G = random_coalition_graph()
    index = NetworkIndex(G)
    selection = index.select(**filters)
    H = filter_graph(G, **filters)
    assert _nodes(index, selection) == set(H)
    assert _edges(index, selection) == {frozenset(e) for e in H.edges}
    for k in np.flatnonzero(selection.edges):
        a, b = index.nodes[index.u[k]], index.nodes[index.v[k]]
        assert selection.shown[k] == H.edges[a, b]["shown_weight"]


def test_the_index_on_the_small_coalition(graph):
    index = NetworkIndex(graph)
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


def test_size_values(graph):
    index = NetworkIndex(graph)
    assert size_values(index, "degree", None).tolist() == [2, 2, 3, 2, 1, 0]
    metrics = {"g1": {"betweenness": 0.5}, "g2": {"betweenness": float("nan")}}
    values = size_values(index, "betweenness", metrics)
    assert values.tolist() == [0.5, 0, 0, 0, 0, 0]
    with pytest.raises(ValueError):
        size_values(index, "betweenness", None)


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
    a, b = NetworkIndex(ties.graph()), NetworkIndex.from_ties(ties)
    assert a.nodes == b.nodes and a.names == b.names and a.movement_ids == b.movement_ids
    for name in ("u", "v", "weight", "degree", "strength", "primary", "in_movement"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for t in tuple(TIE_BY_SHORT):
        np.testing.assert_array_equal(a.counts[t], b.counts[t])
    assert a.components == b.components
    nodes, edges, shown = np.arange(len(a.nodes)), np.arange(len(a.u)), np.ones(len(a.u), int)
    sa, sb = a.subgraph(nodes, edges, shown), b.subgraph(nodes, edges, shown)
    assert sa.number_of_edges() == ties.graph().number_of_edges() > 100
    assert sorted(sa.edges(data=True)) == sorted(sb.edges(data=True))
    assert dict(sa.nodes(data=True)) == dict(sb.nodes(data=True))
