"""Where to build bridges (graph.metrics.bridges), on coalitions whose answers are known by hand."""

from __future__ import annotations

import math
import random
from itertools import combinations

import networkx as nx
import pytest

from graph.metrics import (
    INTRODUCTION_COLUMNS,
    MOVEMENT_LINK_COLUMNS,
    introductions,
    movement_links,
)


def coalition(ties, movements, *, extra=()):
    """A coalition graph of ``ties`` whose groups have the given primary movements."""
    G = nx.Graph(list(ties))
    G.add_nodes_from(extra)
    for group in G:
        G.nodes[group]["primary_movement"] = movements.get(group)
    return G


def link(G, a, b):
    (row,) = [r for r in movement_links(G) if (r["movement_a"], r["movement_b"]) == (a, b)]
    return row


# -- how fragile a movement link is ---------------------------------------------------------
def test_two_movements_linked_through_one_group():
    G = coalition(
        [("hub", "d1"), ("hub", "d2"), ("hub", "d3"), ("hub", "h2"), ("h2", "h3")],
        {"hub": "housing", "h2": "housing", "h3": "housing", "d1": "dis", "d2": "dis", "d3": "dis"},
    )
    row = link(G, "dis", "housing")
    assert row == {
        "movement_a": "dis",
        "movement_b": "housing",
        "ties": 3,
        "carriers": 4,
        "cut_size": 1,
        "critical_groups": "hub",
        "distance": 1,
    }
    assert tuple(row) == MOVEMENT_LINK_COLUMNS


def test_three_disjoint_ties_need_three_departures_and_none_is_critical():
    G = coalition(
        [("a1", "b1"), ("a2", "b2"), ("a3", "b3"), ("a1", "a2")],
        {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "b3": "B"},
    )
    row = link(G, "A", "B")
    assert (row["ties"], row["carriers"], row["cut_size"], row["critical_groups"]) == (3, 6, 3, "")


def test_a_single_tie_makes_both_ends_critical():
    G = coalition([("a1", "b1"), ("a1", "a2")], {"a1": "A", "a2": "A", "b1": "B"})
    row = link(G, "A", "B")
    assert (row["ties"], row["carriers"], row["cut_size"], row["critical_groups"]) == (
        1,
        2,
        1,
        "a1;b1",
    )


def test_a_square_of_ties_is_cut_by_two():
    # a1-b1, a1-b2, a2-b1, a2-b2: a matching of 2, and no group touches all four ties
    G = coalition(
        [("a1", "b1"), ("a1", "b2"), ("a2", "b1"), ("a2", "b2")],
        {"a1": "A", "a2": "A", "b1": "B", "b2": "B"},
    )
    assert (link(G, "A", "B")["cut_size"], link(G, "A", "B")["critical_groups"]) == (2, "")


def test_distance_between_movements_without_a_direct_tie():
    # A - x - B (two hops), A - x - y - C (three hops), D unreachable; x, y have no movement
    G = coalition(
        [("a", "x"), ("x", "b"), ("x", "y"), ("y", "c")],
        {"a": "A", "b": "B", "c": "C", "d": "D"},
        extra=["d"],
    )
    rows = {(r["movement_a"], r["movement_b"]): r for r in movement_links(G)}
    assert set(rows) == {(p, q) for p, q in combinations("ABCD", 2)}
    assert rows["A", "B"]["distance"] == 2
    assert rows["A", "C"]["distance"] == 3
    assert rows["B", "C"]["distance"] == 3
    assert rows["A", "D"]["distance"] is None
    assert (rows["A", "B"]["ties"], rows["A", "B"]["cut_size"]) == (0, 0)
    assert rows["A", "B"]["critical_groups"] == ""


def test_distance_takes_the_closest_groups_of_both_movements():
    # a1 is 3 hops from b1 but a2 is tied to b2's neighbour: distance 2
    G = coalition(
        [("a1", "p"), ("p", "q"), ("q", "b1"), ("a2", "r"), ("r", "b2")],
        {"a1": "A", "a2": "A", "b1": "B", "b2": "B"},
    )
    assert link(G, "A", "B")["distance"] == 2


def test_a_group_counts_in_its_primary_movement_only():
    # g lists housing first and labour second: its tie to l is housing-labour, not within labour
    G = coalition([("g", "l"), ("g", "h")], {"g": "housing", "l": "labour", "h": "housing"})
    G.nodes["g"]["movements"] = ["housing", "labour"]
    assert (link(G, "housing", "labour")["ties"], link(G, "housing", "labour")["cut_size"]) == (
        1,
        1,
    )


def random_coalition(seed, n=12, p=0.3, k=3):
    rng = random.Random(seed)
    G = nx.gnp_random_graph(n, p, seed=seed)
    G = nx.relabel_nodes(G, {i: f"g{i:02d}" for i in G})
    for group in G:
        G.nodes[group]["primary_movement"] = rng.choice("ABCDE"[:k] + "-")
        if G.nodes[group]["primary_movement"] == "-":
            G.nodes[group]["primary_movement"] = None
    return G


def brute_force_cut(G, a, b):
    """The fewest groups whose removal leaves no a-b tie, by trying every set."""
    m = nx.get_node_attributes(G, "primary_movement")
    ties = [(u, v) for u, v in G.edges() if {m[u], m[v]} == {a, b}]
    carriers = sorted({g for tie in ties for g in tie})
    for size in range(len(carriers) + 1):
        for removed in combinations(carriers, size):
            if all(u in removed or v in removed for u, v in ties):
                return size
    raise AssertionError("unreachable")


@pytest.mark.parametrize("seed", range(25))
def test_cut_size_and_distance_agree_with_brute_force(seed):
    G = random_coalition(seed)
    m = nx.get_node_attributes(G, "primary_movement")
    lengths = dict(nx.all_pairs_shortest_path_length(G))
    for row in movement_links(G):
        a, b = row["movement_a"], row["movement_b"]
        assert row["cut_size"] == brute_force_cut(G, a, b)
        ga = [g for g in G if m[g] == a]
        gb = [g for g in G if m[g] == b]
        hops = [lengths[x][y] for x in ga for y in gb if y in lengths[x]]
        assert row["distance"] == (min(hops) if hops else None)
        ties = [(u, v) for u, v in G.edges() if {m[u], m[v]} == {a, b}]
        critical = sorted(g for g in G if ties and all(g in t for t in ties))
        assert row["critical_groups"] == ";".join(critical)
        assert row["carriers"] == len({g for t in ties for g in t})


# -- introductions ------------------------------------------------------------------------
def intro_graph():
    """a1, a2 (A); b1, b2 (B); partners w1, w2 (degree 3), w3 (degree 2) in C; a2-b1 tied."""
    ties = [
        ("a1", "w1"),
        ("b1", "w1"),
        ("b2", "w1"),
        ("a1", "w2"),
        ("b1", "w2"),
        ("a2", "w2"),
        ("a2", "w3"),
        ("b2", "w3"),
        ("a2", "b1"),
    ]
    movements = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "w1": "C", "w2": "C", "w3": "C"}
    return coalition(ties, movements)


@pytest.mark.parametrize("backend", ["fast", "networkx"])
def test_introductions_are_ranked_by_hand_computed_adamic_adar(backend):
    rows = [r for r in introductions(intro_graph(), backend=backend) if r["movement_b"] == "B"]
    # a1-b1 share w1, w2 (degree 3 each): 2/ln 3; a2-b2 share w3 (degree 2): 1/ln 2;
    # a1-b2 share w1: 1/ln 3; a2-b1 share w2 but are tied: not suggested
    assert [(r["group_a"], r["group_b"], r["common_neighbours"], r["rank"]) for r in rows] == [
        ("a1", "b1", 2, 1),
        ("a2", "b2", 1, 2),
        ("a1", "b2", 1, 3),
    ]
    assert [r["adamic_adar"] for r in rows] == pytest.approx(
        [2 / math.log(3), 1 / math.log(2), 1 / math.log(3)]
    )
    assert all(tuple(r) == INTRODUCTION_COLUMNS for r in rows)


@pytest.mark.parametrize("backend", ["fast", "networkx"])
def test_top_keeps_the_best_per_movement_pair(backend):
    rows = introductions(intro_graph(), top=2, backend=backend)
    ab = [
        (r["group_a"], r["group_b"])
        for r in rows
        if (r["movement_a"], r["movement_b"]) == ("A", "B")
    ]
    assert ab == [("a1", "b1"), ("a2", "b2")]
    per_pair = {}
    for r in rows:
        per_pair.setdefault((r["movement_a"], r["movement_b"]), []).append(r["rank"])
    assert all(
        ranks == list(range(1, len(ranks) + 1)) and len(ranks) <= 2 for ranks in per_pair.values()
    )


@pytest.mark.parametrize("backend", ["fast", "networkx"])
def test_equal_scores_rank_by_common_neighbours_then_ids(backend):
    # p-q share two partners of degree 4: 2/ln 4 = 1/ln 2, the score of r-s and of t-u (one
    # partner of degree 2 each); equal scores rank by common neighbours, then by ids
    ties = [("p", "m1"), ("q", "m1"), ("p", "m2"), ("q", "m2")]
    ties += [("m1", "f1"), ("m1", "f2"), ("m2", "f3"), ("m2", "f4")]  # m1, m2 degree 4
    ties += [("r", "n"), ("s", "n")]  # n degree 2
    ties += [("t", "o"), ("u", "o")]  # o degree 2
    movements = {"p": "A", "r": "A", "t": "A", "q": "B", "s": "B", "u": "B"}
    rows = introductions(coalition(ties, movements), backend=backend)
    assert [(r["group_a"], r["group_b"], r["common_neighbours"]) for r in rows] == [
        ("p", "q", 2),
        ("r", "s", 1),
        ("t", "u", 1),
    ]


@pytest.mark.parametrize("seed", range(15))
def test_the_fast_backend_agrees_with_networkx(seed):
    G = random_coalition(seed, n=30, p=0.2, k=4)
    fast = introductions(G, top=3)
    reference = introductions(G, top=3, backend="networkx")
    assert [{k: v for k, v in r.items() if k != "adamic_adar"} for r in fast] == [
        {k: v for k, v in r.items() if k != "adamic_adar"} for r in reference
    ]
    assert [r["adamic_adar"] for r in fast] == pytest.approx([r["adamic_adar"] for r in reference])
    # and every suggestion is untied, across movements, with the stated partners
    m = nx.get_node_attributes(G, "primary_movement")
    for r in fast:
        a, b = r["group_a"], r["group_b"]
        common = set(G[a]) & set(G[b])
        assert not G.has_edge(a, b) and (m[a], m[b]) == (r["movement_a"], r["movement_b"])
        assert r["common_neighbours"] == len(common) >= 1
        assert r["adamic_adar"] == pytest.approx(sum(1 / math.log(G.degree(w)) for w in common))


def test_no_shared_partner_no_suggestion():
    G = coalition([("a", "b")], {"a": "A", "b": "B", "c": "B"}, extra=["c"])
    assert introductions(G) == []


@pytest.mark.parametrize("seed", range(5))
def test_scoring_in_small_blocks_keeps_the_best_across_blocks(seed, monkeypatch):
    """The fast backend scores a movement's groups in blocks; the best survive every block."""
    from graph.metrics import bridges as module

    G = random_coalition(seed, n=40, p=0.25, k=2)
    whole = introductions(G, top=4)
    monkeypatch.setattr(module, "_CHUNK", 3)
    assert introductions(G, top=4) == whole
    reference = introductions(G, top=4, backend="networkx")
    assert [(r["group_a"], r["group_b"]) for r in whole] == [
        (r["group_a"], r["group_b"]) for r in reference
    ]
