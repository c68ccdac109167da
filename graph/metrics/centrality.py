"""Centrality: betweenness, closeness, PageRank and eigenvector centrality."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx

from graph._fast import searches, spectral, traversals
from graph._fast.arrays import arrays_for
from graph.errors import UsageError
from graph.metrics._common import DEFAULT_SEED, by_node, implementation, shared_parameters

__all__ = [
    "betweenness",
    "closeness",
    "pagerank",
    "eigenvector",
    "EXACT_MAX",
    "DEFAULT_SAMPLES",
    "PAGERANK_TOL",
    "PAGERANK_MAX_ITER",
]

#: Largest number of groups for which betweenness is exact unless told otherwise:
#: about 10 s on two cores at 10,000 groups (``benchmarks/bench_metrics.py``).
EXACT_MAX = 10_000

#: Sources sampled for betweenness above ``exact_max`` groups, unless told
#: otherwise: the smallest tried in ``benchmarks/bench_metrics.py`` that keeps
#: the ranking of a 10,000-group coalition (Spearman >= 0.95, 90 of the top 100).
DEFAULT_SAMPLES = 2560

#: PageRank iterates until one step changes the scores by less than this in total
#: (L1), whatever the number of groups. networkx's own rule (below ``n * 1e-6``)
#: stops 1 % off the answer at 2,000 groups, with 55 of the top 100 out of place;
#: this one is within 1e-9 of a linear solve there (``tests/graph/test_numbers.py``).
PAGERANK_TOL = 1e-10
#: Iterations allowed before PageRank gives up: each shrinks the error by the
#: damping factor 0.85 at least, so about 150 reach :data:`PAGERANK_TOL`.
PAGERANK_MAX_ITER = 1000


@shared_parameters
def betweenness(
    G: nx.Graph,
    *,
    exact_max: int = EXACT_MAX,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    backend: str = "fast",
    workers: int | None = None,
) -> tuple[dict[Hashable, float], dict[str, Any]]:
    """Betweenness centrality of every group, exact or sampled.

    Shortest paths count hops (weights are ignored). Values are normalised
    as networkx does for undirected graphs, by :math:`(n - 1)(n - 2) / 2`.

    Parameters
    ----------
    %(G)s
    exact_max : int, optional
        Largest number of groups for which betweenness is computed exactly.
    samples : int, optional
        Number of source groups sampled above ``exact_max``.
    seed : int, optional
        Seed of the sample, so a sampled result is reproducible.
    %(backend)s
    workers : int or None, optional
        Processes the fast backend may use; ``None`` uses every CPU when the
        graph is large, 1 never starts a process.

    Returns
    -------
    betweenness : dict
        Node -> normalised betweenness.
    info : dict
        ``{"mode": "exact" | "sampled", "samples": int | None,
        "seed": int | None}``; ``samples`` and ``seed`` are ``None`` for an
        exact result.

    Raises
    ------
    graph.errors.UsageError
        If ``samples`` is smaller than 1.

    Notes
    -----
    Exact betweenness uses Brandes' algorithm, :math:`O(nm)` time. Above
    ``exact_max`` groups it is estimated from ``samples`` source groups
    drawn with ``seed`` (Brandes & Pich 2007), exactly as
    ``nx.betweenness_centrality(G, k=samples, seed=seed)`` draws and scales
    them: the fast backend uses the same sources, so both backends give the
    same estimate. When ``samples`` is at least the number of groups every
    group is a source and the result is exact, so it is reported as exact.
    Isolated groups score 0. With ``samples=1`` networkx leaves the sampled
    group's own score undefined (NaN); the fast backend returns ``None``.

    The fast backend counts shortest paths with igraph's Brandes
    implementation; on a large graph the sources are split over worker
    processes and the partial sums added up.

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       *Journal of Mathematical Sociology* 25(2), 163-177.
    .. [2] Brandes, U. & Pich, C. (2007). Centrality estimation in large
       networks. *International Journal of Bifurcation and Chaos* 17(7),
       2303-2318.

    Examples
    --------
    On the path 0-1-2-3, group 1 lies on the paths 0-2 and 0-3, two of the
    three pairs it is not part of:

    >>> bc, info = betweenness(nx.path_graph(4))
    >>> {u: round(b, 3) for u, b in bc.items()}
    {0: 0.0, 1: 0.667, 2: 0.667, 3: 0.0}
    >>> info
    {'mode': 'exact', 'samples': None, 'seed': None}
    """
    k, info = betweenness_plan(G, exact_max=exact_max, samples=samples, seed=seed)
    run = implementation(G, backend, _betweenness_fast, _betweenness_networkx)
    return run(G, k, seed, workers), info


def _betweenness_fast(G, k, seed, workers):
    arrays = arrays_for(G, None)
    job = traversals.traversals(arrays, samples=k, seed=seed, workers=workers, closeness=False)
    try:
        return by_node(arrays, job.betweenness())
    finally:
        job.cancel()


def _betweenness_networkx(G, k, seed, workers):
    if k is None:
        return nx.betweenness_centrality(G)
    return nx.betweenness_centrality(G, k=k, seed=seed)


def betweenness_plan(
    G: nx.Graph, *, exact_max: int, samples: int, seed: int
) -> tuple[int | None, dict[str, Any]]:
    """Sources to sample (None: exact) and the ``info`` reported with the result."""
    if samples < 1:
        raise UsageError(f"betweenness needs at least 1 sample, got {samples}")
    n = G.number_of_nodes()
    if n <= exact_max or samples >= n:
        return None, {"mode": "exact", "samples": None, "seed": None}
    return samples, {"mode": "sampled", "samples": samples, "seed": seed}


@shared_parameters
def closeness(G: nx.Graph, *, backend: str = "fast") -> dict[Hashable, float]:
    """Closeness centrality of every group, as ``nx.closeness_centrality(G)``.

    A group that reaches :math:`r - 1` other groups at a total distance of
    :math:`d` hops scores

    .. math::

       C(u) = \\frac{r - 1}{d} \\cdot \\frac{r - 1}{n - 1},

    the inverse of its mean distance to the groups it can reach, scaled down
    by the share of the :math:`n - 1` others it can reach (Wasserman & Faust
    1994), so groups in small components do not look central.

    Parameters
    ----------
    %(G, backend)s

    Returns
    -------
    dict
        Node -> closeness in [0, 1].

    Notes
    -----
    Distances count hops; weights play no part. An isolated group, and any
    group of a graph with one group, scores 0.0. The fast backend runs the
    breadth-first searches from every group 256 at a time, as one
    bit-parallel search over the arcs (Then et al. 2014), in worker
    processes when the graph is large.

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks: conceptual
       clarification. *Social Networks* 1(3), 215-239.
    .. [2] Wasserman, S. & Faust, K. (1994). *Social Network Analysis:
       Methods and Applications.* Cambridge University Press.
    .. [3] Then, M., Kaufmann, M., Chirigati, F., Hoang-Vu, T.-A., Pham, K.,
       Kemper, A., Neumann, T. & Vo, H. T. (2014). The more the merrier:
       efficient multi-source graph traversal. *PVLDB* 8(4), 449-460.

    Examples
    --------
    In the path a-b-c, ``b`` is one hop from both others; ``a`` is 1 and 2
    hops away from them, so :math:`2 / 3`. The isolated ``d`` reaches nobody,
    and each score is scaled by the 2 of 3 others reachable:

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> G.add_node("d")
    >>> {u: round(c, 4) for u, c in closeness(G).items()}
    {'a': 0.4444, 'b': 0.6667, 'c': 0.4444, 'd': 0.0}
    """
    return implementation(G, backend, _closeness_fast, nx.closeness_centrality)(G)


def _closeness_fast(G):
    arrays = arrays_for(G, None)
    return by_node(arrays, searches.closeness(arrays))


@shared_parameters
def pagerank(
    G: nx.Graph, *, weight: str | None = "weight", backend: str = "fast"
) -> dict[Hashable, float]:
    """Weighted PageRank of every group, converged (``nx.pagerank`` iterated to the end).

    A random walker follows a tie with probability proportional to its
    weight, or with probability 0.15 jumps to a group chosen uniformly; a
    group's score is the share of time the walker spends there.

    Parameters
    ----------
    %(G, weight, backend)s

    Returns
    -------
    dict
        Node -> PageRank; the values sum to 1.

    Raises
    ------
    networkx.PowerIterationFailedConvergence
        If :data:`PAGERANK_MAX_ITER` iterations do not converge, as in networkx.

    Notes
    -----
    Damping 0.85, uniform jumps. A group without ties, or whose ties all
    weigh 0, sends its walker to a uniformly chosen group, so isolated
    groups score :math:`0.15 / n` plus their share of that mass.

    The iteration runs until a step changes the scores by less than
    :data:`PAGERANK_TOL` in total, so the values are converged (to about
    1e-9 of each score) at any size. networkx's default stops when the
    change is below :math:`n \\cdot 10^{-6}`, which grows with the graph:
    at 2,000 groups its values are 1 % off and half of the top 100 are out
    of place. Both backends use the rule here; the networkx one calls
    ``nx.pagerank(G, weight=weight, tol=PAGERANK_TOL / n,
    max_iter=PAGERANK_MAX_ITER)``. The fast backend runs networkx's own
    SciPy iteration on a matrix built without networkx's per-edge Python
    work, so the results are the same.

    References
    ----------
    .. [1] Page, L., Brin, S., Motwani, R. & Winograd, T. (1999). The
       PageRank citation ranking: bringing order to the web. Stanford
       InfoLab.

    Examples
    --------
    In a star with three leaves the centre :math:`c` gets every leaf's whole
    walk and each leaf :math:`l` a third of the centre's:
    :math:`c = 0.15/4 + 0.85 \\cdot 3l` and :math:`l = 0.15/4 + 0.85\\,c/3`,
    so :math:`c = 0.133125 / 0.2775 \\approx 0.4797` and :math:`l = (1 - c)/3`:

    >>> scores = pagerank(nx.star_graph(3))
    >>> round(scores[0], 4), round(scores[1], 4), round(sum(scores.values()), 6)
    (0.4797, 0.1734, 1.0)
    """
    run = implementation(G, backend, _pagerank_fast, pagerank_networkx)
    return run(G, weight=weight) if len(G) else {}


def pagerank_stopping(n: int) -> dict[str, float | int]:
    """The stopping rule of both backends for ``n`` groups, as networkx's keywords.

    networkx stops when the L1 change is below ``n * tol``; ``tol`` here makes
    that :data:`PAGERANK_TOL` whatever ``n`` is.

    >>> pagerank_stopping(2000)
    {'tol': 5e-14, 'max_iter': 1000}
    """
    return {"tol": PAGERANK_TOL / max(n, 1), "max_iter": PAGERANK_MAX_ITER}


def pagerank_networkx(G: nx.Graph, *, weight: str | None) -> dict[Hashable, float]:
    """``nx.pagerank`` with the stopping rule of :func:`pagerank` (the reference backend)."""
    return nx.pagerank(G, weight=weight, **pagerank_stopping(len(G)))


def _pagerank_fast(G, *, weight):
    arrays = arrays_for(G, weight)
    return by_node(arrays, spectral.pagerank(arrays, **pagerank_stopping(arrays.n)))


@shared_parameters
def eigenvector(
    G: nx.Graph, *, weight: str | None = "weight", backend: str = "fast"
) -> dict[Hashable, float]:
    """Weighted eigenvector centrality that also works on disconnected graphs.

    The centrality vector is the leading eigenvector of the weighted
    adjacency matrix of the whole graph, non-negative and scaled to unit
    Euclidean norm, as ``nx.eigenvector_centrality`` returns it.

    Parameters
    ----------
    %(G, weight)s
    backend : {"fast", "networkx"}, optional
        How the adjacency matrix is built (``nx.to_scipy_sparse_array`` or
        :mod:`graph._fast`); the eigenvectors are computed the same way.

    Returns
    -------
    dict
        Node -> eigenvector centrality in [0, 1].

    Notes
    -----
    On a connected graph this is the value ``nx.eigenvector_centrality``
    converges to. networkx refuses (``eigenvector_centrality_numpy``) or
    iterates slowly (``eigenvector_centrality``) on disconnected graphs;
    here the answer is the limit of the same power iteration: each
    connected component's leading eigenvalue and eigenvector are computed
    on its own (dense for small components, ARPACK for large ones), only
    the component(s) with the largest leading eigenvalue keep non-zero
    scores, and if several components tie they are combined as the power
    iteration from the all-ones vector combines them. Every other group —
    including every isolated group — scores 0.0, so compare scores within
    the main component. A graph without ties of positive weight scores 0.0
    everywhere. A tie of weight 0 joins nothing: components are those of
    the ties that weigh, so ``a–b (1), c–d (1), b–c (0)`` is two equal
    pairs and every group scores 0.5.

    References
    ----------
    .. [1] Bonacich, P. (1972). Factoring and weighting approaches to status
       scores and clique identification. *Journal of Mathematical
       Sociology* 2(1), 113-120.
    .. [2] Bonacich, P. (1987). Power and centrality: a family of measures.
       *American Journal of Sociology* 92(5), 1170-1182.

    Examples
    --------
    In a star with four leaves the centre scores twice each leaf
    (:math:`2/\\sqrt{8}` and :math:`1/\\sqrt{8}`); the isolated group 5 scores 0:

    >>> G = nx.star_graph(4)
    >>> G.add_node(5)
    >>> {u: round(x, 4) for u, x in eigenvector(G).items()}
    {0: 0.7071, 1: 0.3536, 2: 0.3536, 3: 0.3536, 4: 0.3536, 5: 0.0}
    """
    return implementation(G, backend, _eigenvector_fast, _eigenvector_networkx)(G, weight)


def _eigenvector_fast(G, weight):
    arrays = arrays_for(G, weight)
    return by_node(arrays, spectral.eigenvector(arrays.matrix))


def _eigenvector_networkx(G, weight):
    """The same Perron vectors, from networkx's own adjacency matrix."""
    nodes = list(G)
    if not nodes:
        return {}
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, dtype=float, format="csr")
    return dict(zip(nodes, spectral.eigenvector(A).tolist(), strict=True))
