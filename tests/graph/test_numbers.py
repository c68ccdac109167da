"""Numbers that must be right, not close: converged PageRank, eigenvector centrality
with ties of weight 0, fragmentation where it is undefined (issue 11)."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from benchmarks.bench_metrics import read_csv_coalition
from graph.metrics import eigenvector, fragmentation, fragmentation_ranking, pagerank, whatif
from graph.metrics.suite import group_metrics
from graph.projection import coalition_graph
from loaders.generate import generate

BACKENDS = ["fast", "networkx"]
TOP = 100


@pytest.fixture(scope="module")
def generated_2000(tmp_path_factory) -> nx.Graph:
    """The coalition graph of a generated 2,000-group coalition (the benchmark's seed)."""
    folder = tmp_path_factory.mktemp("g2k")
    generate(folder, groups=2000, members=20000, seed=7)
    return coalition_graph(read_csv_coalition(folder))


def solved_pagerank(G: nx.Graph, alpha: float = 0.85) -> dict:
    """PageRank as the exact solution of its linear system (dense LAPACK solve).

    ``x = alpha P^T x + (1 - alpha) / n`` where ``P`` is the weighted transition
    matrix and a group without weighted ties jumps uniformly (Langville &
    Meyer 2006, ch. 7) -- no iteration, so no stopping rule.
    """
    nodes = list(G)
    n = len(nodes)
    A = nx.to_numpy_array(G, nodelist=nodes, weight="weight")
    out = A.sum(axis=1)
    P = np.full((n, n), 1.0 / n)
    ties = out > 0
    P[ties] = A[ties] / out[ties, None]
    x = np.linalg.solve(np.eye(n) - alpha * P.T, np.full(n, (1 - alpha) / n))
    return dict(zip(nodes, (x / x.sum()).tolist(), strict=True))


def ranking(scores: dict, k: int = TOP) -> list:
    return sorted(scores, key=lambda u: (-scores[u], u))[:k]


@pytest.mark.parametrize("backend", BACKENDS)
def test_pagerank_top_100_of_2000_groups_matches_the_solved_ranking(generated_2000, backend):
    G = generated_2000
    reference = solved_pagerank(G)
    scores = pagerank(G, backend=backend)
    assert ranking(scores) == ranking(reference)
    assert scores == pytest.approx(reference, rel=1e-7)
    # and the suite's column is the same converged vector
    rows, _ = group_metrics(G, backend=backend, exact_max=0, samples=50)
    assert {u: r["pagerank"] for u, r in rows.items()} == pytest.approx(reference, rel=1e-7)


def test_networkx_default_stopping_rule_is_not_converged_at_2000_groups(generated_2000):
    """Why the rule was tightened: networkx's default (L1 change below n * 1e-6)
    leaves this ranking visibly wrong, which the test above would catch."""
    G = generated_2000
    loose = nx.pagerank(G, weight="weight")
    reference = solved_pagerank(G)
    assert ranking(loose) != ranking(reference)
    assert max(abs(loose[u] - reference[u]) / reference[u] for u in G) > 1e-3


@pytest.mark.parametrize("backend", BACKENDS)
def test_pagerank_hand_computed_star_to_many_digits(backend):
    # centre c = 0.15/4 + 0.85 * 3l, leaf l = 0.15/4 + 0.85 c/3: c = 0.133125 / 0.2775
    scores = pagerank(nx.star_graph(3), backend=backend)
    assert scores[0] == pytest.approx(0.133125 / 0.2775, abs=1e-9)
    assert scores[1] == pytest.approx((1 - 0.133125 / 0.2775) / 3, abs=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_eigenvector_drops_ties_of_weight_zero_before_finding_components(backend):
    """a-b (1), c-d (1), b-c (0): two separate pairs of equal weight, so the power
    iteration from all ones gives every group the same score, 1/2 at unit norm."""
    G = nx.Graph()
    G.add_edge("a", "b", weight=1.0)
    G.add_edge("c", "d", weight=1.0)
    G.add_edge("b", "c", weight=0.0)
    assert eigenvector(G, backend=backend) == pytest.approx(dict.fromkeys("abcd", 0.5))


@pytest.mark.parametrize("backend", BACKENDS)
def test_eigenvector_zero_tie_to_a_weaker_component(backend):
    """a-b (2) and c-d (1) joined by b-c (0): only the heavier pair keeps a score."""
    G = nx.Graph()
    G.add_edge("a", "b", weight=2.0)
    G.add_edge("c", "d", weight=1.0)
    G.add_edge("b", "c", weight=0.0)
    half = 1 / math.sqrt(2)
    expected = {"a": half, "b": half, "c": 0.0, "d": 0.0}
    assert eigenvector(G, backend=backend) == pytest.approx(expected)


def test_eigenvector_leaves_the_graphs_matrix_as_it_was():
    from graph._fast.arrays import arrays_for

    G = nx.Graph()
    G.add_edge("a", "b", weight=1.0)
    G.add_edge("b", "c", weight=0.0)
    arrays = arrays_for(G, "weight")
    stored = arrays.matrix.nnz
    from graph._fast import spectral

    spectral.eigenvector(arrays.matrix)
    assert arrays.matrix.nnz == stored


# ---------------------------------------------------------------------------
# fragmentation: undefined (None) with fewer than two groups


@pytest.mark.parametrize("G", [nx.Graph(), nx.empty_graph(1)], ids=["no groups", "one group"])
def test_fragmentation_of_fewer_than_two_groups_is_undefined(G):
    assert fragmentation(G) is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_whatif_leaving_fewer_than_two_groups_is_undefined(backend):
    G = nx.Graph([("a", "b"), ("b", "c")])
    one_left = whatif(G, ["a", "b"], movement=None, backend=backend)
    assert one_left["fragmentation_before"] == 0.0
    assert one_left["fragmentation_after"] is None
    assert one_left["components_after"] == 1
    none_left = whatif(G, ["a", "b", "c"], movement=None, backend=backend)
    assert none_left["fragmentation_after"] is None
    assert none_left["components_after"] == 0
    two_left = whatif(G, ["b"], movement=None, backend=backend)
    assert two_left["fragmentation_after"] == 1.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_whatif_on_a_single_group(backend):
    G = nx.empty_graph(["solo"])
    result = whatif(G, [], movement=None, backend=backend)
    assert result["fragmentation_before"] is None and result["fragmentation_after"] is None


def test_fragmentation_ranking_of_two_groups_leaves_one_undefined():
    G = nx.Graph([("a", "b")])
    ranking_rows = fragmentation_ranking(G)
    assert [(r["group_id"], r["fragmentation"], r["components"]) for r in ranking_rows] == [
        ("a", None, 1),
        ("b", None, 1),
    ]
    # with three, each removal leaves two: defined again
    H = nx.Graph([("a", "b"), ("b", "c")])
    assert {r["group_id"]: r["fragmentation"] for r in fragmentation_ranking(H)} == {
        "b": 1.0,
        "a": 0.0,
        "c": 0.0,
    }
