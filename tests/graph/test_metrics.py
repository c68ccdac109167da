"""Tests of graph.metrics against answers known independently of our code.

Expected values come from the literature (Krackhardt's kite, Padgett's
Florentine families), from hand counts written out next to each case, or
from brute-force re-implementations in this file that share no code with
the module (Gould-Fernandez pair enumeration, removing each group in turn).
"""

from __future__ import annotations

import doctest
import math
import random
from itertools import combinations

import networkx as nx
import pytest

import graph.metrics
from graph.errors import CoalitionError, NotFound, UsageError
from graph.metrics import (
    MOVEMENT_MATRIX_COLUMNS,
    betweenness,
    brokerage,
    ei_index,
    eigenvector,
    fragmentation,
    fragmentation_ranking,
    group_metrics,
    louvain,
    member_metrics,
    movement_matrix,
    network_summary,
    participation_coefficient,
    whatif,
)

GROUP_COLUMNS = (  # DESIGN.md, "The command line": group_metrics.csv
    "group_id name primary_movement movements degree strength betweenness closeness "
    "pagerank eigenvector constraint effective_size participation ei_index "
    "brokerage_coordinator brokerage_consultant brokerage_representative brokerage_liaison "
    "community articulation_point"
).split()

# ---------------------------------------------------------------------------
# canonical graphs


def kite() -> nx.Graph:
    """Krackhardt's kite (Krackhardt 1990), written out by name."""
    return nx.Graph(
        [
            ("Andre", "Beverly"),
            ("Andre", "Carol"),
            ("Andre", "Diane"),
            ("Andre", "Fernando"),
            ("Beverly", "Diane"),
            ("Beverly", "Ed"),
            ("Beverly", "Garth"),
            ("Carol", "Diane"),
            ("Carol", "Fernando"),
            ("Diane", "Ed"),
            ("Diane", "Fernando"),
            ("Diane", "Garth"),
            ("Ed", "Garth"),
            ("Fernando", "Garth"),
            ("Fernando", "Heather"),
            ("Garth", "Heather"),
            ("Heather", "Ike"),
            ("Ike", "Jane"),
        ]
    )


def two_cliques_and_broker() -> nx.Graph:
    """Cliques {a0..a3} and {b0..b3}, not tied, plus broker "x" tied to all eight."""
    G = nx.complete_graph([f"a{i}" for i in range(4)])
    G.update(nx.complete_graph([f"b{i}" for i in range(4)]))
    G.add_edges_from(("x", u) for u in list(G))
    return G


def with_movements(G: nx.Graph, movements: dict) -> nx.Graph:
    """Set primary movements, adding the groups that are not nodes yet."""
    for u, movement in movements.items():
        G.add_node(u, primary_movement=movement)
    return G


def random_coalition(seed: int, n: int = 30, p: float = 0.12) -> nx.Graph:
    """A random graph with random weights and movements, some groups without one."""
    rng = random.Random(seed)
    G = nx.gnp_random_graph(n, p, seed=seed)
    for u in G:
        G.nodes[u]["primary_movement"] = rng.choice(["blm", "queer", "disability", "labour", None])
    for u, v in G.edges():
        G.edges[u, v]["weight"] = rng.choice([0.5, 1.0, 2.0, 3.5])
    return G


# ---------------------------------------------------------------------------
# doctests


def test_docstring_examples_run():
    result = doctest.testmod(graph.metrics, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_public_api_is_listed():
    for name in graph.metrics.__all__:
        value = getattr(graph.metrics, name)
        assert callable(value) or (name.isupper() and isinstance(value, int | tuple))


def test_the_output_columns_are_the_contract():
    """DESIGN.md's column list, written out once here as the independent check."""
    assert list(graph.metrics.GROUP_COLUMNS) == GROUP_COLUMNS


# ---------------------------------------------------------------------------
# participation coefficient


def test_participation_hand_computed_weighted():
    # a: ties of weight 3 (blm), 1 (queer), 2 (queer), 2 (disability); strength 8
    # shares 3/8, 3/8, 2/8 -> 1 - (9 + 9 + 4) / 64 = 42/64
    G = with_movements(
        nx.Graph(),
        {"a": "blm", "b": "blm", "c": "queer", "d": "queer", "e": "disability"},
    )
    G.add_weighted_edges_from(
        [("a", "b", 3.0), ("a", "c", 1.0), ("a", "d", 2.0), ("a", "e", 2.0), ("c", "d", 5.0)]
    )
    p = participation_coefficient(G)
    assert p["a"] == pytest.approx(42 / 64)
    # c: weight 1 to blm, 5 to queer -> 1 - (1/36 + 25/36) = 10/36
    assert p["c"] == pytest.approx(10 / 36)
    assert p["b"] == 0.0
    assert p["e"] == 0.0


def test_participation_unweighted_and_missing_weight_attribute():
    G = with_movements(nx.star_graph(4), {0: "x", 1: "a", 2: "a", 3: "b", 4: "c"})
    # shares 2/4, 1/4, 1/4 -> 1 - (4 + 1 + 1) / 16 = 10/16 (no weight attribute = 1)
    assert participation_coefficient(G)[0] == pytest.approx(10 / 16)
    G.edges[0, 1]["weight"] = 100.0
    assert participation_coefficient(G, weight=None)[0] == pytest.approx(10 / 16)


def test_participation_isolated_zero_and_zero_weight_undefined():
    G = with_movements(nx.Graph(), {"a": "x", "b": "y", "c": "z"})
    G.add_edge("a", "b", weight=0.0)
    p = participation_coefficient(G)
    assert p["c"] == 0.0
    assert p["a"] is None


def test_participation_missing_movements_are_distinct():
    # neighbours without movement each count as their own movement
    G = nx.star_graph(2)
    G.nodes[0]["primary_movement"] = "x"
    assert participation_coefficient(G)[0] == pytest.approx(0.5)


# ---------------------------------------------------------------------------
# E-I index


@pytest.mark.parametrize(
    ("movements", "expected"),
    [
        # centre "c" with four neighbours; E - I over E + I
        ({"c": "x", 1: "x", 2: "x", 3: "x", 4: "x"}, -1.0),
        ({"c": "x", 1: "y", 2: "y", 3: "z", 4: "w"}, 1.0),
        ({"c": "x", 1: "x", 2: "y", 3: "y", 4: "y"}, 0.5),
        ({"c": "x", 1: "x", 2: "x", 3: "y", 4: "y"}, 0.0),
        ({"c": "x", 1: "x", 2: "x", 3: "x", 4: "y"}, -0.5),
        ({"c": "x", 1: "x", 2: None, 3: None, 4: "x"}, 0.0),
        ({"c": None, 1: None, 2: None, 3: "x", 4: "x"}, 1.0),
    ],
)
def test_ei_index_hand_computed(movements, expected):
    G = with_movements(nx.star_graph(["c", 1, 2, 3, 4]), movements)
    assert ei_index(G)["c"] == pytest.approx(expected)


def test_ei_index_ignores_weights_and_isolated_is_none():
    G = with_movements(nx.Graph(), {"a": "x", "b": "x", "c": "y", "d": "y"})
    G.add_edge("a", "b", weight=10.0)
    G.add_edge("a", "c", weight=1.0)
    ei = ei_index(G)
    assert ei["a"] == 0.0
    assert ei["c"] == 1.0
    assert ei["d"] is None


# ---------------------------------------------------------------------------
# Gould-Fernandez brokerage


def _brute_brokerage(G):
    """Enumerate every pair of neighbours; missing movement = unique value."""

    def m(u):
        value = G.nodes[u].get("primary_movement")
        return ("set", value) if value is not None else ("unset", u)

    result = {}
    for b in G:
        roles = dict.fromkeys(["coordinator", "consultant", "representative", "liaison"], 0)
        for a, c in combinations(G[b], 2):
            if G.has_edge(a, c):
                continue
            if m(a) == m(b) == m(c):
                roles["coordinator"] += 1
            elif m(a) == m(c):
                roles["consultant"] += 1
            elif m(b) in (m(a), m(c)):
                roles["representative"] += 1
            else:
                roles["liaison"] += 1
        result[b] = roles
    return result


@pytest.mark.parametrize(
    ("ma", "mb", "mc", "role"),
    [
        ("x", "x", "x", "coordinator"),
        ("y", "x", "y", "consultant"),
        ("x", "x", "y", "representative"),
        ("y", "x", "x", "representative"),
        ("y", "x", "z", "liaison"),
        (None, None, None, "liaison"),
        ("y", None, "y", "consultant"),
        ("x", "x", None, "representative"),
    ],
)
def test_brokerage_each_role_on_a_two_step_path(ma, mb, mc, role):
    G = with_movements(nx.Graph([("a", "b"), ("b", "c")]), {"a": ma, "b": mb, "c": mc})
    expected = dict.fromkeys(["coordinator", "consultant", "representative", "liaison"], 0)
    expected[role] = 1
    result = brokerage(G)
    assert result["b"] == expected
    assert list(result["b"]) == ["coordinator", "consultant", "representative", "liaison"]
    assert sum(result["a"].values()) == sum(result["c"].values()) == 0


def test_brokerage_closed_triangle_is_no_brokerage():
    G = with_movements(nx.complete_graph(3), {0: "x", 1: "y", 2: "z"})
    assert all(sum(r.values()) == 0 for r in brokerage(G).values())


def test_brokerage_hand_counted_star():
    # centre x with neighbours x, x, y, y, z, leaves not tied:
    # coordinator: (x,x) = 1; consultant: (y,y) = 1;
    # representative: 2 x-leaves * 3 others = 6; liaison: (y,z) * 2 = 2
    G = with_movements(nx.star_graph(5), {0: "x", 1: "x", 2: "x", 3: "y", 4: "y", 5: "z"})
    assert brokerage(G)[0] == {
        "coordinator": 1,
        "consultant": 1,
        "representative": 6,
        "liaison": 2,
    }
    # tie the two y leaves: the consultant pair closes
    G.add_edge(3, 4)
    assert brokerage(G)[0]["consultant"] == 0
    # tie an x leaf to the z leaf: one representative pair closes
    G.add_edge(1, 5)
    assert brokerage(G)[0] == {
        "coordinator": 1,
        "consultant": 0,
        "representative": 5,
        "liaison": 2,
    }


@pytest.mark.parametrize(
    ("broker_movement", "role"),
    [("x", "representative"), ("z", "liaison")],
)
def test_brokerage_two_cliques_and_broker(broker_movement, role):
    # the broker's 16 open pairs are the 4 x 4 cross-clique pairs
    G = two_cliques_and_broker()
    movements = {u: "x" if u.startswith("a") else "y" for u in G}
    movements["x"] = broker_movement
    result = brokerage(with_movements(G, movements))
    assert result["x"][role] == 16
    assert sum(result["x"].values()) == 16
    assert all(sum(result[u].values()) == 0 for u in G if u != "x")


@pytest.mark.parametrize("seed", range(6))
def test_brokerage_matches_pair_enumeration(seed):
    G = random_coalition(seed, n=40, p=0.2)
    assert brokerage(G) == _brute_brokerage(G)


# ---------------------------------------------------------------------------
# betweenness


@pytest.mark.parametrize(
    ("G", "expected"),
    [
        # P5: node 2 lies on 4 of the 6 pairs not involving it, node 1 on 3
        (nx.path_graph(5), {0: 0.0, 1: 0.5, 2: 4 / 6, 3: 0.5, 4: 0.0}),
        # star: the centre lies on every pair of leaves
        (nx.star_graph(4), {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0}),
        # two 4-cliques joined by a broker: 16 cross pairs of 28
        (
            two_cliques_and_broker(),
            {**{f"a{i}": 0.0 for i in range(4)}, **{f"b{i}": 0.0 for i in range(4)}, "x": 16 / 28},
        ),
    ],
    ids=["path", "star", "two-cliques"],
)
def test_betweenness_known_values(G, expected):
    values, info = betweenness(G)
    assert values == pytest.approx(expected)
    assert info == {"mode": "exact", "samples": None, "seed": None}


def test_betweenness_krackhardt_kite():
    # Krackhardt (1990): raw betweenness Heather 14, Fernando = Garth = 8 1/3, Ike 8,
    # Diane 3 2/3, Andre = Beverly 5/6; normalised by 9 * 8 / 2 = 36 pairs
    values, _ = betweenness(kite())
    expected = {
        "Heather": 14,
        "Fernando": 25 / 3,
        "Garth": 25 / 3,
        "Ike": 8,
        "Diane": 11 / 3,
        "Andre": 5 / 6,
        "Beverly": 5 / 6,
        "Carol": 0,
        "Ed": 0,
        "Jane": 0,
    }
    assert values == pytest.approx({k: v / 36 for k, v in expected.items()})


@pytest.mark.parametrize(
    ("family", "expected"),
    [("Medici", 0.522), ("Guadagni", 0.255), ("Albizzi", 0.212)],
)
def test_betweenness_florentine_families(family, expected):
    values, _ = betweenness(nx.florentine_families_graph())
    assert round(values[family], 3) == expected


def test_betweenness_sampled_reports_mode_and_is_reproducible():
    G = nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=1)
    first, info = betweenness(G, exact_max=10, samples=20, seed=7)
    again, _ = betweenness(G, exact_max=10, samples=20, seed=7)
    assert info == {"mode": "sampled", "samples": 20, "seed": 7}
    assert first == again
    # the same sampled sources as networkx; the sums may differ in the last bit
    assert first == pytest.approx(nx.betweenness_centrality(G, k=20, seed=7), rel=1e-12)
    exact, _ = betweenness(G)
    assert first != exact


def test_betweenness_enough_samples_is_exact():
    G = nx.path_graph(6)
    values, info = betweenness(G, exact_max=3, samples=6)
    assert info["mode"] == "exact"
    assert values == pytest.approx(nx.betweenness_centrality(G))


def test_betweenness_rejects_no_samples():
    with pytest.raises(UsageError):
        betweenness(nx.path_graph(3), samples=0)


# ---------------------------------------------------------------------------
# eigenvector


@pytest.mark.parametrize(
    "G",
    [kite(), nx.florentine_families_graph(), nx.karate_club_graph(), nx.grid_2d_graph(16, 16)],
    ids=["kite", "florentine", "karate", "grid-256"],
)
def test_eigenvector_matches_networkx_on_connected_graphs(G):
    G = G.copy()
    rng = random.Random(3)
    for u, v in G.edges():
        G.edges[u, v]["weight"] = rng.uniform(0.5, 3.0)
    expected = nx.eigenvector_centrality(G, weight="weight", max_iter=10000, tol=1e-12)
    assert eigenvector(G) == pytest.approx(expected, abs=1e-6)
    expected = nx.eigenvector_centrality(G, weight=None, max_iter=10000, tol=1e-12)
    assert eigenvector(G, weight=None) == pytest.approx(expected, abs=1e-6)


def test_eigenvector_star_by_hand():
    # leading eigenvalue 2, vector (2, 1, 1, 1, 1) / sqrt(8)
    values = eigenvector(nx.star_graph(4))
    assert values[0] == pytest.approx(2 / math.sqrt(8))
    assert values[1] == pytest.approx(1 / math.sqrt(8))


def test_eigenvector_disconnected():
    # triangle (eigenvalue 2) beats the single tie (eigenvalue 1) and the isolated group
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4)])
    G.add_node(5)
    values = eigenvector(G)
    assert values == pytest.approx(
        {0: 1 / math.sqrt(3), 1: 1 / math.sqrt(3), 2: 1 / math.sqrt(3), 3: 0, 4: 0, 5: 0}
    )
    # it is where networkx's power iteration is heading
    slow = nx.eigenvector_centrality(G, max_iter=100000, tol=1e-13)
    assert values == pytest.approx(slow, abs=1e-6)


def test_eigenvector_tied_components_share_like_the_power_iteration():
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)])
    assert eigenvector(G) == pytest.approx(dict.fromkeys(range(6), 1 / math.sqrt(6)))


def test_eigenvector_large_component_uses_sparse_solver():
    G = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=2)
    G.add_edge(1000, 1001)
    values = eigenvector(G)
    expected = nx.eigenvector_centrality(G.subgraph(range(400)), max_iter=10000, tol=1e-12)
    assert {u: values[u] for u in range(400)} == pytest.approx(expected, abs=1e-6)
    assert values[1000] == values[1001] == 0.0


@pytest.mark.parametrize(
    ("G", "expected"),
    [(nx.Graph(), {}), (nx.empty_graph(3), {0: 0.0, 1: 0.0, 2: 0.0})],
    ids=["empty", "no-edges"],
)
def test_eigenvector_degenerate(G, expected):
    assert eigenvector(G) == expected


# ---------------------------------------------------------------------------
# louvain


def test_louvain_numbering_is_stable():
    # a 5-clique, a 4-clique joined to it by one tie, a separate pair, an isolated group
    G = nx.complete_graph(["e", "f", "g", "h"])
    G.update(nx.complete_graph(["a", "b", "c", "d", "z"]))
    G.add_edge("h", "a")
    G.add_edge("p", "q")
    G.add_node("m")
    # by size: 5-clique, 4-clique, the pair {p, q}, then {m}
    expected = {**dict.fromkeys("abcdz", 0), **dict.fromkeys("efgh", 1), "p": 2, "q": 2, "m": 3}
    assert louvain(G) == expected
    # equal sizes go by smallest id, whatever the node order
    H = nx.Graph([("y", "z"), ("c", "d"), ("m", "n")])
    assert louvain(H) == {"y": 2, "z": 2, "c": 0, "d": 0, "m": 1, "n": 1}
    assert louvain(G, seed=42) == louvain(G, seed=42)


@pytest.mark.parametrize(
    "G",
    [nx.empty_graph(["b", "a", "c"]), nx.Graph([("b", "a", {"weight": 0})])],
    ids=["no-edges", "zero-weight"],
)
def test_louvain_without_weight_every_group_alone(G):
    communities = louvain(G)
    assert sorted(communities.values()) == list(range(len(G)))
    assert communities["a"] == 0


def test_louvain_empty():
    assert louvain(nx.Graph()) == {}


# ---------------------------------------------------------------------------
# group_metrics


def coalition_example() -> nx.Graph:
    G = nx.Graph()
    groups = {
        "g1": ("One", ["blm", "queer"]),
        "g2": ("Two", ["blm"]),
        "g3": ("Three", ["queer"]),
        "g4": ("Four", ["disability", "blm"]),
        "g5": ("Five", []),
        "g6": ("Six", ["labour"]),
    }
    for gid, (name, movements) in groups.items():
        G.add_node(
            gid,
            name=name,
            movements=movements,
            primary_movement=movements[0] if movements else None,
        )
    for u, v, sm, ja, sr in [
        ("g1", "g2", 2, 1, 0),
        ("g1", "g3", 0, 1, 0),
        ("g2", "g3", 1, 0, 1),
        ("g3", "g4", 0, 0, 2),
        ("g4", "g5", 1, 1, 1),
    ]:
        G.add_edge(
            u, v, shared_members=sm, joint_actions=ja, shared_resources=sr, weight=sm + ja + sr
        )
    return G


def test_group_metrics_columns_and_values():
    G = coalition_example()
    rows, info = group_metrics(G)
    assert info == {"mode": "exact", "samples": None, "seed": None}
    assert list(rows) == list(G)
    for gid, row in rows.items():
        assert list(row) == GROUP_COLUMNS
        assert row["group_id"] == gid

    g1, g3, g4, g5, g6 = (rows[g] for g in ("g1", "g3", "g4", "g5", "g6"))
    assert g1["name"] == "One"
    assert g1["primary_movement"] == "blm"
    assert g1["movements"] == "blm;queer"
    assert g5["movements"] == ""
    assert g5["primary_movement"] is None
    assert (g1["degree"], g1["strength"]) == (2, 4.0)
    assert (g3["degree"], g3["strength"]) == (3, 5.0)
    # g3 (queer): neighbours g1 (blm, w1), g2 (blm, w2), g4 (disability, w2)
    assert g3["participation"] == pytest.approx(1 - (3 / 5) ** 2 - (2 / 5) ** 2)
    assert g3["ei_index"] == pytest.approx(1.0)
    # g3 brokers (g1, g4) and (g2, g4): blm-queer-disability -> liaison twice
    assert g3["brokerage_liaison"] == 2
    assert g4["brokerage_liaison"] == 1  # queer - disability - (no movement)
    assert g3["articulation_point"] and g4["articulation_point"]
    assert not g1["articulation_point"]
    # g5: only tie is to g4; g6 isolated
    assert g6["degree"] == 0
    assert g6["strength"] == 0.0
    assert g6["constraint"] is None
    assert g6["effective_size"] is None
    assert g6["ei_index"] is None
    assert g6["participation"] == 0.0
    assert g6["betweenness"] == 0.0
    assert g6["closeness"] == 0.0
    assert g6["eigenvector"] == 0.0
    assert g5["constraint"] == pytest.approx(1.0)
    assert g5["effective_size"] == pytest.approx(1.0)
    assert sum(r["pagerank"] for r in rows.values()) == pytest.approx(1.0)
    assert g6["community"] != g1["community"]


@pytest.mark.parametrize(
    ("G", "constraint", "effective_size"),
    [
        # triangle: each tie p = 1/2, indirect 1/4 -> 2 * (3/4)^2; e = 2 - 2/2
        (nx.complete_graph(3), {0: 1.125, 1: 1.125, 2: 1.125}, {0: 1.0, 1: 1.0, 2: 1.0}),
        # star: centre 4 * (1/4)^2 with no redundancy; leaves fully constrained
        (
            nx.star_graph(4),
            {0: 0.25, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0},
            {0: 4.0, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0},
        ),
    ],
    ids=["triangle", "star"],
)
def test_structural_holes_by_hand(G, constraint, effective_size):
    rows, _ = group_metrics(G)
    assert {u: r["constraint"] for u, r in rows.items()} == pytest.approx(constraint)
    assert {u: r["effective_size"] for u, r in rows.items()} == pytest.approx(effective_size)


@pytest.mark.parametrize(
    "G",
    [kite(), nx.florentine_families_graph(), random_coalition(1), random_coalition(2)],
    ids=["kite", "florentine", "random-1", "random-2"],
)
@pytest.mark.parametrize("weighted", [True, False])
def test_structural_holes_agree_with_networkx(G, weighted):
    G = G.copy()
    if weighted:
        rng = random.Random(5)
        for u, v in G.edges():
            G.edges[u, v]["weight"] = rng.choice([0.5, 1.0, 2.0, 4.0])
    weight = "weight" if weighted else None
    rows, _ = group_metrics(G, weight=weight)
    nodes = [u for u in G if G.degree(u)]
    expected_c = nx.constraint(G, nodes=nodes, weight=weight)
    expected_e = nx.effective_size(G, nodes=nodes, weight=weight)
    for u in G:
        if G.degree(u):
            assert rows[u]["constraint"] == pytest.approx(expected_c[u])
            assert rows[u]["effective_size"] == pytest.approx(expected_e[u])
        else:
            assert rows[u]["constraint"] is None
            assert rows[u]["effective_size"] is None


def test_group_metrics_krackhardt_kite_closeness_and_degree():
    # Krackhardt (1990): closeness Fernando = Garth 0.64, Diane = Heather 0.60,
    # Andre = Beverly 0.53, Carol = Ed 0.50, Ike 0.43, Jane 0.31; Diane has degree 6
    rows, _ = group_metrics(kite())
    expected = {
        "Fernando": 0.64,
        "Garth": 0.64,
        "Diane": 0.60,
        "Heather": 0.60,
        "Andre": 0.53,
        "Beverly": 0.53,
        "Carol": 0.50,
        "Ed": 0.50,
        "Ike": 0.43,
        "Jane": 0.31,
    }
    assert {u: round(r["closeness"], 2) for u, r in rows.items()} == expected
    assert max(rows.values(), key=lambda r: r["degree"])["group_id"] == "Diane"
    assert {u for u, r in rows.items() if r["articulation_point"]} == {"Heather", "Ike"}


def test_group_metrics_sampled_info():
    G = nx.connected_watts_strogatz_graph(50, 4, 0.2, seed=3)
    rows, info = group_metrics(G, exact_max=10, samples=15, seed=9)
    assert info == {"mode": "sampled", "samples": 15, "seed": 9}
    expected = nx.betweenness_centrality(G, k=15, seed=9)
    assert {u: r["betweenness"] for u, r in rows.items()} == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "G",
    [
        nx.Graph(),
        nx.empty_graph(1),
        nx.empty_graph(4),
        nx.Graph([(0, 1), (2, 3), (4, 5)]),
        nx.Graph([(0, 1, {"weight": 0.0})]),
    ],
    ids=["empty", "one-node", "no-edges", "three-components", "zero-weight"],
)
def test_group_metrics_degenerate_graphs_do_not_crash(G):
    rows, info = group_metrics(G)
    assert len(rows) == len(G)
    assert info["mode"] == "exact"
    for row in rows.values():
        assert list(row) == GROUP_COLUMNS
        for value in row.values():
            assert not (isinstance(value, float) and math.isnan(value))
        if row["degree"] == 0:
            assert row["ei_index"] is None
            assert row["constraint"] is None
            assert row["effective_size"] is None
            assert row["participation"] == 0.0


def test_directed_graphs_are_refused():
    with pytest.raises(nx.NetworkXNotImplemented):
        group_metrics(nx.DiGraph([(0, 1)]))
    with pytest.raises(nx.NetworkXNotImplemented):
        brokerage(nx.MultiGraph([(0, 1)]))


# ---------------------------------------------------------------------------
# fragmentation and what-if


@pytest.mark.parametrize(
    ("G", "expected"),
    [
        (nx.Graph([(0, 1), (2, 3)]), 1 - 4 / 12),  # two equal components
        (nx.path_graph(5), 0.0),
        (nx.empty_graph(4), 1.0),
        (nx.Graph([(0, 1), (1, 2), (3, 4)]), 1 - (6 + 2) / 20),
        (nx.empty_graph(1), None),  # no pairs: undefined (DESIGN.md)
        (nx.Graph(), None),
    ],
    ids=["2+2", "connected", "no-edges", "3+2", "one-node", "empty"],
)
def test_fragmentation(G, expected):
    if expected is None:
        assert fragmentation(G) is None
    else:
        assert fragmentation(G) == pytest.approx(expected)


def test_whatif_losing_a_movement_pair():
    # blm: a, b; queer: c; disability: d, e. The only blm-queer tie goes a-c,
    # queer-disability goes through c-d; blm-disability has b-e.
    G = with_movements(
        nx.Graph([("a", "b"), ("a", "c"), ("c", "d"), ("d", "e"), ("b", "e")]),
        {"a": "blm", "b": "blm", "c": "queer", "d": "disability", "e": "disability"},
    )
    report = whatif(G, ["c"])
    assert report == {
        "removed": ["c"],
        "components_before": 1,
        "components_after": 1,
        "fragmentation_before": 0.0,
        "fragmentation_after": 0.0,
        "lost_movement_pairs": [("blm", "queer"), ("disability", "queer")],
    }
    report = whatif(G, ["b", "c", "b"])
    assert report["removed"] == ["b", "c"]
    assert report["components_after"] == 2
    # remaining a | d-e: 2 of 6 ordered pairs connect
    assert report["fragmentation_after"] == pytest.approx(1 - 2 / 6)
    assert report["lost_movement_pairs"] == [
        ("blm", "disability"),
        ("blm", "queer"),
        ("disability", "queer"),
    ]


def test_whatif_keeps_pairs_still_tied_elsewhere():
    G = with_movements(
        nx.Graph([("a", "c"), ("b", "c"), ("a", "b")]), {"a": "x", "b": "x", "c": "y"}
    )
    assert whatif(G, ["a"])["lost_movement_pairs"] == []
    assert whatif(G, "b")["removed"] == ["b"]


def test_whatif_everything_removed():
    G = nx.Graph([("a", "b")])
    report = whatif(G, ["a", "b"])
    assert report["components_after"] == 0
    assert report["fragmentation_after"] is None


def test_whatif_unknown_group():
    G = nx.Graph([("a", "b")])
    with pytest.raises(NotFound, match="'nope'") as caught:
        whatif(G, ["a", "nope"])
    assert isinstance(caught.value, CoalitionError)
    with pytest.raises(NotFound, match="'x', 'y'"):
        whatif(G, ["x", "y"])


def test_fragmentation_ranking_star():
    G = nx.star_graph(["hub", "a", "b", "c"])
    nx.set_node_attributes(G, {"hub": "Hub"}, "name")
    ranking = fragmentation_ranking(G)
    assert ranking[0] == {"group_id": "hub", "name": "Hub", "fragmentation": 1.0, "components": 3}
    assert [r["group_id"] for r in ranking] == ["hub", "a", "b", "c"]
    assert [r["fragmentation"] for r in ranking[1:]] == [0.0, 0.0, 0.0]
    assert fragmentation_ranking(G, top=2) == ranking[:2]
    assert fragmentation_ranking(G, top=0) == []
    with pytest.raises(UsageError):
        fragmentation_ranking(G, top=-1)


@pytest.mark.parametrize(
    "G",
    [
        random_coalition(0, n=30, p=0.08),
        random_coalition(4, n=40, p=0.05),
        nx.relabel_nodes(kite(), str),
        two_cliques_and_broker(),
        nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3), (6, 7)]),
        nx.path_graph(7),
        nx.empty_graph(3),
        nx.empty_graph(1),
    ],
    ids=[
        "random-sparse",
        "random-sparser",
        "kite",
        "two-cliques",
        "bowtie+pair",
        "path",
        "no-edges",
        "one-node",
    ],
)
def test_fragmentation_ranking_equals_removing_each_group(G):
    by_removal = {}
    for u in G:
        H = G.copy()
        H.remove_node(u)
        by_removal[u] = (fragmentation(H), nx.number_connected_components(H))
    ranking = fragmentation_ranking(G)
    assert len(ranking) == len(G)
    for row in ranking:
        frag, components = by_removal[row["group_id"]]
        assert row["fragmentation"] == (None if frag is None else pytest.approx(frag))
        assert row["components"] == components
    keys = [(-(r["fragmentation"] or 0.0), r["group_id"]) for r in ranking]
    assert keys == sorted(keys)


def test_fragmentation_ranking_deep_path_needs_no_recursion():
    G = nx.path_graph(5000)
    ranking = fragmentation_ranking(G, top=1)
    assert ranking[0]["group_id"] in (2499, 2500)
    # halves of 2499 and 2500: 1 - (2499*2498 + 2500*2499) / (4999*4998)
    assert ranking[0]["fragmentation"] == pytest.approx(
        1 - (2499 * 2498 + 2500 * 2499) / 4999 / 4998
    )


# ---------------------------------------------------------------------------
# members and movements


def test_member_metrics():
    affiliation = {
        "m1": ["g1", "g2", "g3"],
        "m2": ["g1", "g1"],
        "m3": [],
        "m4": ["g5", "unknown"],
        "m5": ["g2", "g4"],
    }
    primary = {"g1": "blm", "g2": "queer", "g3": "blm", "g4": "disability", "g5": None}
    result = member_metrics(affiliation, primary)
    assert list(result) == ["m1", "m2", "m3", "m4", "m5"]
    assert result["m1"] == {"member_id": "m1", "groups": 3, "movements": 2, "bridging": True}
    assert result["m2"] == {"member_id": "m2", "groups": 1, "movements": 1, "bridging": False}
    assert result["m3"] == {"member_id": "m3", "groups": 0, "movements": 0, "bridging": False}
    assert result["m4"] == {"member_id": "m4", "groups": 2, "movements": 0, "bridging": False}
    assert result["m5"]["bridging"] is True


def test_movement_matrix_hand_counted():
    G = with_movements(
        nx.Graph([("a1", "a2"), ("a1", "q1"), ("a2", "q1"), ("q1", "d1")]),
        {"a1": "blm", "a2": "blm", "q1": "queer", "d1": "disability", "n1": None},
    )
    members = {
        "a1": ["m1", "m2"],
        "a2": ["m1", "m3"],
        "q1": ["m1", "m2", "m2"],
        "d1": ["m4"],
        "n1": ["m4"],  # no movement: ignored
        "elsewhere": ["m4"],  # not in the graph: ignored
    }
    actions = {"a1": ["x"], "a2": ["x"], "q1": ["x", "y"], "d1": ["y"]}
    resources = {"a1": ["r"], "d1": ["r"]}
    rows = movement_matrix(G, members=members, actions=actions, resources=resources)
    table = {
        (r["movement_a"], r["movement_b"]): (
            r["shared_members"],
            r["joint_actions"],
            r["shared_resources"],
            r["ties"],
        )
        for r in rows
    }
    assert [(r["movement_a"], r["movement_b"]) for r in rows] == sorted(table)
    assert list(rows[0]) == list(MOVEMENT_MATRIX_COLUMNS)
    assert table == {
        # m1 is in a1 and a2; x joined a1 and a2; tie a1-a2
        ("blm", "blm"): (1, 1, 0, 1),
        # m1, m2 in blm and queer groups; x; ties a1-q1, a2-q1
        ("blm", "queer"): (2, 1, 0, 2),
        # r shared by a1 and d1
        ("blm", "disability"): (0, 0, 1, 0),
        ("disability", "disability"): (0, 0, 0, 0),
        # y joined q1 and d1; tie q1-d1
        ("disability", "queer"): (0, 1, 0, 1),
        ("queer", "queer"): (0, 0, 0, 0),
    }


def test_movement_matrix_empty_graph():
    assert movement_matrix(nx.Graph(), members={}, actions={}, resources={}) == []


# ---------------------------------------------------------------------------
# network summary


def test_network_summary_hand_computed():
    # two blm groups tied (w 2), one queer group tied to one of them (w 1), one isolated
    G = with_movements(nx.Graph(), {"a": "blm", "b": "blm", "c": "queer", "d": "labour"})
    G.add_edge("a", "b", weight=2.0)
    G.add_edge("b", "c", weight=1.0)
    summary = network_summary(G)
    assert (
        list(summary)
        == (  # DESIGN.md's network_summary figures, in order
            "groups ties density components movement_modularity louvain_modularity "
            "cross_movement_tie_share"
        ).split()
    )
    assert summary["groups"] == 4
    assert summary["ties"] == 2
    assert summary["density"] == pytest.approx(2 / 6)
    assert summary["components"] == 2
    # total weight 3; blm block: internal 2, strength 2 + 3 = 5; queer block: 0, strength 1
    # Q = (2/3 - (5/6)^2) + (0 - (1/6)^2) = 2/3 - 26/36
    assert summary["movement_modularity"] == pytest.approx(2 / 3 - 26 / 36)
    assert summary["cross_movement_tie_share"] == pytest.approx(0.5)
    assert summary["louvain_modularity"] >= summary["movement_modularity"]


def test_network_summary_takes_precomputed_communities():
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    communities = {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    summary = network_summary(G, communities=communities)
    # each block: 3 internal ties of 7, 7 tie ends of 14 -> 2 * (3/7 - 1/4)
    assert summary["louvain_modularity"] == pytest.approx(2 * (3 / 7 - 1 / 4))
    # nobody has a movement: every group its own block, every tie crosses
    assert summary["cross_movement_tie_share"] == 1.0
    with pytest.raises(UsageError):
        network_summary(G, communities={0: 0})


@pytest.mark.parametrize(
    ("G", "groups", "components"),
    [(nx.Graph(), 0, 0), (nx.empty_graph(1), 1, 1), (nx.empty_graph(3), 3, 3)],
    ids=["empty", "one-node", "no-edges"],
)
def test_network_summary_without_ties(G, groups, components):
    summary = network_summary(G)
    assert summary == {
        "groups": groups,
        "ties": 0,
        "density": 0.0,
        "components": components,
        "movement_modularity": None,
        "louvain_modularity": None,
        "cross_movement_tie_share": None,
    }
