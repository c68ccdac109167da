"""The fast kernels agree with the networkx reference, metric by metric.

Every metric of ``group_metrics`` is computed twice, with ``backend="fast"``
(igraph, NumPy, SciPy) and ``backend="networkx"`` (plain networkx and
Python), on canonical graphs and on random graphs with isolated groups,
several components, weights, zero weights and self-loops; the values must
agree to 1e-9 (the brief asks for 1e-6). Louvain is the one exception: the
two libraries visit groups in different random orders, so there the test
checks what must hold for both.
"""

from __future__ import annotations

import math
import multiprocessing.spawn
import random
import time

import networkx as nx
import pytest

from graph._fast import searches, traversals
from graph._fast.arrays import Arrays
from graph.errors import UsageError
from graph.metrics import (
    betweenness,
    brokerage,
    closeness,
    ei_index,
    eigenvector,
    group_metrics,
    louvain,
    movement_matrix,
    network_summary,
    pagerank,
    participation_coefficient,
    structural_holes,
    whatif,
)
from graph.metrics.centrality import PAGERANK_TOL

TOLERANCE = 1e-9


def kite() -> nx.Graph:
    G = nx.krackhardt_kite_graph()
    names = "Andre Beverly Carol Diane Ed Fernando Garth Heather Ike Jane".split()
    return nx.relabel_nodes(G, dict(enumerate(names)))


def random_coalition(seed: int, n: int = 40, p: float = 0.1) -> nx.Graph:
    """Random ties and weights, four movements and groups without one,
    two isolated groups and a separate path of three."""
    rng = random.Random(seed)
    G = nx.gnp_random_graph(n, p, seed=seed)
    for u, v in G.edges():
        G.edges[u, v]["weight"] = rng.choice([0.5, 1.0, 2.0, 3.5])
    G.add_nodes_from([n, n + 1])
    G.add_edge(n + 2, n + 3, weight=2.0)
    G.add_edge(n + 3, n + 4, weight=1.0)
    for u in G:
        G.nodes[u]["primary_movement"] = rng.choice(["blm", "queer", "disability", "labour", None])
    return G


def with_movements(G: nx.Graph, seed: int = 0) -> nx.Graph:
    G = G.copy()
    rng = random.Random(seed)
    for u in G:
        G.nodes[u]["primary_movement"] = rng.choice(["blm", "queer", "labour"])
    for u, v in G.edges():
        G.edges[u, v].setdefault("weight", rng.choice([1.0, 2.0, 3.0]))
    return G


def with_oddities(seed: int) -> nx.Graph:
    """Self-loops (with and without a weight), a tie of weight 0, a group whose
    only tie weighs 0, a group with only a self-loop."""
    G = random_coalition(seed, n=30, p=0.15)
    G.add_edge(3, 3, weight=2.0)
    G.add_edge(30, 30)
    u, v = next(iter(G.edges(0))) if G.degree(0) else (0, 1)
    G.add_edge(u, v, weight=0.0)
    G.add_edge(100, 101, weight=0.0)
    return G


GRAPHS = {
    "kite": with_movements(kite()),
    "florentine": with_movements(nx.florentine_families_graph(), 1),
    "karate": with_movements(nx.karate_club_graph(), 2),
    "davis-events": with_movements(
        nx.bipartite.weighted_projected_graph(
            nx.davis_southern_women_graph(),
            [u for u, d in nx.davis_southern_women_graph().nodes(data=True) if d["bipartite"]],
        ),
        3,
    ),
    "random-1": random_coalition(1),
    "random-2": random_coalition(2, n=60, p=0.2),
    "random-3": random_coalition(3, n=80, p=0.05),
    "oddities-1": with_oddities(4),
    "oddities-2": with_oddities(5),
    "long-path": with_movements(nx.path_graph(60), 4),  # too deep for sparse products
    "no-ties": nx.empty_graph(5),
    "one-group": nx.empty_graph(1),
    "empty": nx.Graph(),
}
GRAPH_PARAMS = pytest.mark.parametrize("G", list(GRAPHS.values()), ids=list(GRAPHS))
WEIGHTS = pytest.mark.parametrize("weight", ["weight", None])


def assert_close(fast_values: dict, reference: dict) -> None:
    """Same keys in the same order; numbers equal to TOLERANCE; None/NaN alike."""
    assert list(fast_values) == list(reference)
    for u, expected in reference.items():
        got = fast_values[u]
        if expected is None or (isinstance(expected, float) and math.isnan(expected)):
            assert got is None or (isinstance(got, float) and math.isnan(got)), u
        else:
            assert got == pytest.approx(expected, abs=TOLERANCE), u


# ---------------------------------------------------------------------------
# the conversion


@GRAPH_PARAMS
@WEIGHTS
def test_arrays_hold_networkx_adjacency_matrix(G, weight):
    arrays = Arrays(G, weight)
    assert arrays.nodes == list(G)
    if len(G) == 0:
        return
    expected = nx.to_scipy_sparse_array(G, nodelist=list(G), weight=weight, format="csr")
    expected.sort_indices()
    # same entries, explicit zeros (ties of weight 0) included
    assert (arrays.matrix.indptr == expected.indptr).all()
    assert (arrays.matrix.indices == expected.indices).all()
    assert (arrays.matrix.data == expected.data).all()


# ---------------------------------------------------------------------------
# metric by metric


@GRAPH_PARAMS
def test_betweenness_exact(G):
    fast_values, fast_info = betweenness(G)
    reference, info = betweenness(G, backend="networkx")
    assert fast_info == info
    assert_close(fast_values, reference)
    assert_close(reference, nx.betweenness_centrality(G))


@pytest.mark.parametrize("name", ["karate", "random-2", "random-3", "oddities-1"])
@pytest.mark.parametrize(("samples", "seed"), [(5, 1), (12, 42), (30, 7)])
def test_betweenness_sampled_uses_the_sources_networkx_uses(name, samples, seed):
    G = GRAPHS[name]
    fast_values, info = betweenness(G, exact_max=4, samples=samples, seed=seed)
    assert info == {"mode": "sampled", "samples": samples, "seed": seed}
    assert_close(fast_values, nx.betweenness_centrality(G, k=samples, seed=seed))
    reference, _ = betweenness(G, exact_max=4, samples=samples, seed=seed, backend="networkx")
    assert_close(fast_values, reference)


@GRAPH_PARAMS
def test_closeness(G):
    assert_close(closeness(G), nx.closeness_centrality(G))
    assert_close(closeness(G), closeness(G, backend="networkx"))


def test_closeness_more_groups_than_one_bit_parallel_pass():
    # 600 groups in three components: three passes of 256 searches, mixed components
    G = nx.connected_watts_strogatz_graph(500, 6, 0.1, seed=3)
    G.update(nx.relabel_nodes(nx.path_graph(60), lambda i: 1000 + i))
    G.update(nx.relabel_nodes(nx.barabasi_albert_graph(40, 2, seed=1), lambda i: 2000 + i))
    G.add_node(9999)
    assert_close(closeness(G), nx.closeness_centrality(G))


@GRAPH_PARAMS
@WEIGHTS
def test_pagerank(G, weight):
    if len(G) == 0:
        assert pagerank(G) == {}
        return
    # networkx with the same stopping rule (L1 change below PAGERANK_TOL, so tol / n)
    same_rule = nx.pagerank(G, weight=weight, tol=PAGERANK_TOL / len(G), max_iter=1000)
    assert_close(pagerank(G, weight=weight), same_rule)
    assert_close(pagerank(G, weight=weight, backend="networkx"), same_rule)
    # and at the answer itself: iterated far past the rule, the values do not move
    tight = nx.pagerank(G, weight=weight, tol=1e-15, max_iter=10_000)
    assert pagerank(G, weight=weight) == pytest.approx(tight, abs=1e-9)


@GRAPH_PARAMS
@WEIGHTS
def test_eigenvector(G, weight):
    assert_close(eigenvector(G, weight=weight), eigenvector(G, weight=weight, backend="networkx"))


@GRAPH_PARAMS
@WEIGHTS
def test_structural_holes(G, weight):
    fast_c, fast_e = structural_holes(G, weight=weight)
    ref_c, ref_e = structural_holes(G, weight=weight, backend="networkx")
    assert_close(fast_c, ref_c)
    assert_close(fast_e, ref_e)
    # and networkx's own functions, where they are defined (groups with ties)
    H = nx.Graph(G)
    H.remove_edges_from(nx.selfloop_edges(H))
    nodes = [u for u in H if H.degree(u)]
    if weight is None or all(d.get("weight", 1) > 0 for *_, d in H.edges(data=True)):
        assert_close({u: fast_c[u] for u in nodes}, nx.constraint(H, nodes=nodes, weight=weight))
        assert_close(
            {u: fast_e[u] for u in nodes}, nx.effective_size(H, nodes=nodes, weight=weight)
        )


@GRAPH_PARAMS
def test_brokerage(G):
    assert brokerage(G) == brokerage(G, backend="networkx")


@GRAPH_PARAMS
@WEIGHTS
def test_participation_and_ei(G, weight):
    assert_close(
        participation_coefficient(G, weight=weight),
        participation_coefficient(G, weight=weight, backend="networkx"),
    )
    assert_close(ei_index(G), ei_index(G, backend="networkx"))


# ---------------------------------------------------------------------------
# Louvain: different random orders, the same method


@GRAPH_PARAMS
@WEIGHTS
def test_louvain_partitions_are_as_good_and_numbered_alike(G, weight):
    ours = louvain(G, weight=weight)
    reference = louvain(G, weight=weight, backend="networkx")
    assert list(ours) == list(G)
    assert sorted(set(ours.values())) == list(range(len(set(ours.values()))))
    assert ours == louvain(G, weight=weight), "reproducible from the seed"
    if G.size(weight=weight) == 0:
        assert ours == reference
        return
    q_ours = network_summary(G, weight=weight, communities=ours)["louvain_modularity"]
    q_ref = network_summary(G, weight=weight, communities=reference)["louvain_modularity"]
    assert q_ours >= q_ref - 0.02
    # an isolated group is always a community of its own
    for u in G:
        if G.degree(u) == 0:
            assert sum(1 for c in ours.values() if c == ours[u]) == 1


def test_louvain_leaves_the_random_generators_alone():
    import igraph

    random.seed(5)
    expected = random.random()
    random.seed(5)
    louvain(GRAPHS["karate"], seed=1)
    assert random.random() == expected
    # igraph draws from the random module again: seeding it repeats igraph's draws
    random.seed(3)
    first = igraph.Graph.Erdos_Renyi(40, 0.1).get_edgelist()
    random.seed(3)
    assert igraph.Graph.Erdos_Renyi(40, 0.1).get_edgelist() == first


def test_louvain_clear_communities_are_found_by_both():
    G = nx.connected_caveman_graph(6, 7)
    assert louvain(G) == louvain(G, backend="networkx")


@GRAPH_PARAMS
@WEIGHTS
def test_network_summary(G, weight):
    communities = louvain(G, weight=weight, backend="networkx")
    ours = network_summary(G, weight=weight, communities=communities)
    reference = network_summary(G, weight=weight, communities=communities, backend="networkx")
    assert list(ours) == list(reference)
    for key, expected in reference.items():
        if expected is None:
            assert ours[key] is None, key
        else:
            assert ours[key] == pytest.approx(expected, abs=TOLERANCE), key


@GRAPH_PARAMS
def test_movement_matrix(G):
    rng = random.Random(len(G))
    groups = list(G) + ["not-a-node"]
    affiliation = {
        kind: {g: [f"{kind}{rng.randrange(25)}" for _ in range(rng.randrange(5))] for g in groups}
        for kind in ("members", "actions", "resources")
    }
    assert movement_matrix(G, **affiliation) == movement_matrix(
        G, **affiliation, backend="networkx"
    )


@GRAPH_PARAMS
def test_whatif(G):
    rng = random.Random(len(G) + 7)
    nodes = sorted(G, key=str)
    choices = [[], nodes[:1], nodes, [n for n in nodes if G.degree(n) > 3][:3]]
    choices += [rng.sample(nodes, min(len(nodes), k)) for k in (1, 2, 5)]
    for remove in choices:
        fast_result = whatif(G, remove)
        reference = whatif(G, remove, backend="networkx")
        assert fast_result.keys() == reference.keys()
        for key, expected in reference.items():
            if isinstance(expected, float):
                assert fast_result[key] == pytest.approx(expected, abs=TOLERANCE), (remove, key)
            else:
                assert fast_result[key] == expected, (remove, key)


# ---------------------------------------------------------------------------
# the whole table


@GRAPH_PARAMS
@WEIGHTS
def test_group_metrics_every_column_agrees(G, weight):
    rows, info = group_metrics(G, weight=weight)
    reference, reference_info = group_metrics(G, weight=weight, backend="networkx")
    assert info == reference_info
    assert list(rows) == list(reference)
    for u, expected in reference.items():
        row = rows[u]
        assert list(row) == list(expected)
        for column, value in expected.items():
            if column == "community":
                continue
            if isinstance(value, float) and math.isnan(value):
                assert row[column] is None, (u, column)
            elif isinstance(value, float) and value is not None:
                assert row[column] == pytest.approx(value, abs=TOLERANCE), (u, column)
            else:
                assert row[column] == value, (u, column)
            assert type(row[column]) is type(value) or value is None, (u, column)


def test_group_metrics_sampled_agrees():
    G = GRAPHS["random-2"]
    rows, info = group_metrics(G, exact_max=10, samples=20, seed=3)
    reference, reference_info = group_metrics(
        G, exact_max=10, samples=20, seed=3, backend="networkx"
    )
    assert info == reference_info == {"mode": "sampled", "samples": 20, "seed": 3}
    for u in G:
        assert rows[u]["betweenness"] == pytest.approx(reference[u]["betweenness"], abs=TOLERANCE)


def test_unknown_backend_is_a_usage_error():
    with pytest.raises(UsageError, match="backend"):
        group_metrics(GRAPHS["kite"], backend="graphblas")


# ---------------------------------------------------------------------------
# worker processes


def worker_graph() -> nx.Graph:
    G = nx.connected_watts_strogatz_graph(700, 8, 0.1, seed=11)
    G.add_edges_from([(900, 901), (901, 902)])
    G.add_node(999)
    return G


@pytest.mark.parametrize("samples", [None, 300])
def test_worker_processes_give_the_same_answer(samples):
    G = worker_graph()
    arrays = Arrays(G, None)
    split = traversals.traversals(arrays, samples=samples, seed=4, workers=2)
    assert split.workers == 2
    split.betweenness()
    assert len(split.worker_peaks_mb) == 2  # each worker reports its peak memory
    assert all(mb > 10 for mb in split.worker_peaks_mb)
    alone = traversals.traversals(arrays, samples=samples, seed=4, workers=1)
    assert alone.workers == 0
    assert split.betweenness() == pytest.approx(alone.betweenness(), abs=1e-12)
    assert split.closeness() == pytest.approx(alone.closeness(), abs=1e-15)
    expected = (
        nx.betweenness_centrality(G)
        if samples is None
        else nx.betweenness_centrality(G, k=samples, seed=4)
    )
    assert dict(zip(arrays.nodes, split.betweenness().tolist(), strict=True)) == pytest.approx(
        expected, abs=TOLERANCE
    )


def test_single_precision_path_counts_stay_within_a_millionth():
    # above 5,000 groups the sparse-product Brandes counts paths in float32
    import numpy as np

    G = nx.barabasi_albert_graph(1500, 6, seed=3)
    arrays = Arrays(G, None)
    sources = np.arange(arrays.n)
    single = searches.brandes(arrays, sources, dtype=np.float32)
    double = searches.brandes(arrays, sources, dtype=np.float64)
    assert single == pytest.approx(double, rel=1e-6, abs=1e-9 * double.max())
    scale = 1 / ((arrays.n - 1) * (arrays.n - 2))
    expected = nx.betweenness_centrality(G)
    assert dict(zip(arrays.nodes, (single * scale).tolist(), strict=True)) == pytest.approx(
        expected, abs=1e-6
    )


def test_large_sparse_graphs_are_searched_by_igraph_and_dense_ones_by_the_algebra():
    # above 1,000 groups with a tie, a mean degree below 10 goes to igraph
    import numpy as np

    sparse = nx.gnm_random_graph(1200, 2400, seed=5)  # mean degree 4
    sparse.add_nodes_from(range(1200, 1300))  # isolated groups count for nothing
    dense = nx.barabasi_albert_graph(1500, 6, seed=3)  # mean degree 11.95
    small = nx.gnm_random_graph(900, 1800, seed=5)  # sparse, but too small to matter
    assert searches._brandes_method(Arrays(sparse, None)) == "igraph"
    assert searches._brandes_method(Arrays(dense, None)) == "algebra"
    assert searches._brandes_method(Arrays(small, None)) == "algebra"
    arrays = Arrays(sparse, None)
    expected = nx.betweenness_centrality(sparse)
    job = traversals.traversals(arrays, workers=1, closeness=False)
    assert job.tasks[0].method == "igraph"
    assert dict(zip(arrays.nodes, job.betweenness().tolist(), strict=True)) == pytest.approx(
        expected, abs=TOLERANCE
    )
    # the algebra, asked directly, agrees on the same graph
    scale = 1 / ((arrays.n - 1) * (arrays.n - 2))
    algebra = searches.brandes(arrays, np.arange(arrays.n), dtype=np.float64) * scale
    assert dict(zip(arrays.nodes, algebra.tolist(), strict=True)) == pytest.approx(
        expected, abs=TOLERANCE
    )


@pytest.mark.parametrize("samples", [None, 50])
def test_search_order_does_not_change_the_answer(samples):
    import numpy as np

    G = GRAPHS["random-2"]
    arrays = Arrays(G, None)
    order = np.random.default_rng(1).permutation(arrays.n)
    plain = traversals.traversals(arrays, samples=samples, seed=2, workers=1)
    shuffled = traversals.traversals(arrays, samples=samples, seed=2, workers=1, order=order)
    assert shuffled.betweenness() == pytest.approx(plain.betweenness(), abs=1e-12)
    assert shuffled.closeness() == pytest.approx(plain.closeness(), abs=1e-15)


@pytest.mark.parametrize(
    "python",
    [b"/nonexistent/python", b"/bin/false"],
    ids=["worker cannot start", "worker fails"],
)
def test_a_worker_that_does_not_deliver_has_its_share_done_here(python, monkeypatch, caplog):
    G = worker_graph()
    monkeypatch.setattr(multiprocessing.spawn, "_python_exe", python)
    rows, _ = group_metrics(G, workers=2)
    for column, expected in (
        ("betweenness", nx.betweenness_centrality(G)),
        ("closeness", nx.closeness_centrality(G)),
    ):
        got = {u: r[column] for u, r in rows.items()}
        assert got == pytest.approx(expected, abs=TOLERANCE)
    assert "computing here" in caplog.text


def test_cancelling_a_job_ends_its_worker_processes():
    """A caller that gives up (an exception, a closed page) leaves no worker running."""
    arrays = Arrays(worker_graph(), None)
    job = traversals.traversals(arrays, workers=2)
    assert job.workers == 2
    processes = list(job._pool._processes.values())
    job.cancel()
    deadline = time.monotonic() + 10
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes and not any(p.is_alive() for p in processes)
    job.cancel()  # twice is harmless
