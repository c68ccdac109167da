"""Metrics of the coalition graph.

Every function here is pure: a networkx graph (or plain mappings) in, plain
dicts and lists out, no I/O. The graph is the undirected *coalition graph*
built by :mod:`graph.coalition`: nodes are group ids with the attributes
``name``, ``movements`` (a list, the first is the primary movement) and
``primary_movement``; edges carry ``shared_members``, ``joint_actions``,
``shared_resources`` and their weighted sum ``weight``. Isolated groups are
nodes too.

Conventions shared by every function:

* Movements are compared by **primary movement** only (the node attribute
  named by ``movement``, ``"primary_movement"`` by default).
* A group whose primary movement is missing or ``None`` is treated as being
  in a movement of its own, different from every other group's (including
  other groups without a movement). It is never assumed to share a movement
  with anyone.
* An edge without the ``weight`` attribute counts as weight 1, and
  ``weight=None`` makes every edge weigh 1, as in networkx.
* A value that is undefined (the E-I index of an isolated group, the
  constraint of a group without ties, the modularity of a graph without
  ties) is ``None``, never an invented number.
* Results are keyed by node in the graph's own node order. Where an order
  between groups is needed (community numbering, ranking ties) group ids
  are compared with ``<``, so they must be mutually comparable, as the
  string ids of a dataset are.

Only simple undirected graphs are accepted: directed graphs and multigraphs
raise :class:`networkx.NetworkXNotImplemented`.

Two implementations
-------------------
networkx is the model and the reference. Every metric with a ``backend``
keyword has two implementations that give the same numbers (to 1e-9 or
better on the test graphs; the tests run both):

* ``backend="fast"`` (the default) converts the graph once into arrays and
  runs compiled kernels (:mod:`graph.fast`): sparse-matrix products (SciPy)
  and bit-parallel searches (NumPy) for betweenness and closeness, igraph
  for communities and cut points, NumPy for the rest. Betweenness and
  closeness of a large graph run in worker processes, one per CPU; above
  5,000 groups betweenness counts paths in single precision, which moves
  values by less than one part in a million.
* ``backend="networkx"`` is plain networkx and Python, kept as the
  reference the fast kernels are tested and benchmarked against.

The one place they differ is Louvain: networkx's and igraph's are the same
method (Blondel et al. 2008) but visit the groups in different random
orders, so the partitions can differ while both are local optima of the
same modularity; each is reproducible from its seed.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Container, Hashable, Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np

from graph import fast
from graph.errors import NotFound, UsageError

log = logging.getLogger(__name__)

__all__ = [
    "participation_coefficient",
    "ei_index",
    "brokerage",
    "betweenness",
    "closeness",
    "pagerank",
    "eigenvector",
    "structural_holes",
    "louvain",
    "group_metrics",
    "fragmentation",
    "whatif",
    "whatif_arrays",
    "fragmentation_ranking",
    "member_metrics",
    "movement_matrix",
    "network_summary",
]

#: The implementations every metric with a ``backend`` keyword offers.
BACKENDS = ("fast", "networkx")

#: Largest number of groups for which betweenness is exact unless told otherwise:
#: about 10 s on two cores at 10,000 groups (``benchmarks/bench_metrics.py``).
EXACT_MAX = 10_000

#: Sources sampled for betweenness above ``exact_max`` groups, unless told
#: otherwise: the smallest tried in ``benchmarks/bench_metrics.py`` that keeps
#: the ranking of a 10,000-group coalition (Spearman >= 0.95, 90 of the top 100).
DEFAULT_SAMPLES = 2560


def participation_coefficient(
    G: nx.Graph,
    *,
    movement: str | None = "primary_movement",
    weight: str | None = "weight",
    backend: str = "fast",
) -> dict[Hashable, float | None]:
    r"""Participation coefficient of every group over its neighbours' movements.

    .. math::

       P_i = 1 - \sum_s \left(\frac{k_{is}}{k_i}\right)^2

    where :math:`k_i` is the strength of group :math:`i` (sum of the weights
    of its ties) and :math:`k_{is}` the part of it going to groups whose
    primary movement is :math:`s`. It is 0 when all of a group's ties go to
    one movement and approaches 1 when they are spread evenly over many.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph.
    movement : str, optional
        Node attribute holding the primary movement.
    weight : str or None, optional
        Edge attribute holding the tie weight; ``None`` counts every tie as 1.
    backend : {"fast", "networkx"}, optional
        Implementation; both give the same values (see the module notes).

    Returns
    -------
    dict
        Node -> participation coefficient in [0, 1).

    Notes
    -----
    An isolated group has participation 0.0. A group whose ties all have
    weight 0 has no defined shares and gets ``None``. Neighbours without a
    movement each count as a movement of their own. The group's own movement
    plays no part: only its neighbours' movements are counted.

    References
    ----------
    .. [1] Guimerà, R. & Amaral, L. A. N. (2005). Functional cartography of
       complex metabolic networks. *Nature* 433, 895-900.

    Examples
    --------
    Group ``a`` spends half its tie weight on its own movement and a quarter
    on each of two others, so :math:`1 - (0.5^2 + 0.25^2 + 0.25^2) = 0.625`:

    >>> G = nx.Graph()
    >>> G.add_nodes_from(["a", "b"], primary_movement="blm")
    >>> G.add_node("c", primary_movement="queer")
    >>> G.add_node("d", primary_movement="disability")
    >>> G.add_node("e", primary_movement="labour")
    >>> G.add_weighted_edges_from([("a", "b", 2.0), ("a", "c", 1.0), ("a", "d", 1.0)])
    >>> participation_coefficient(G)
    {'a': 0.625, 'b': 0.0, 'c': 0.0, 'd': 0.0, 'e': 0.0}
    """
    _require_simple_undirected(G)
    if _use_fast(backend):
        arrays = fast.arrays_of(G, weight)
        return _by_node(arrays, fast.participation(arrays, _movement_codes(G, movement)))
    key = _movement_keys(G, movement)
    result: dict[Hashable, float | None] = {}
    for u, nbrs in G.adj.items():
        if not nbrs:
            result[u] = 0.0
            continue
        shares: defaultdict[Hashable, float] = defaultdict(float)
        for v, data in nbrs.items():
            shares[key[v]] += _edge_weight(data, weight)
        total = sum(shares.values())
        if total == 0:
            result[u] = None
            continue
        result[u] = max(0.0, 1.0 - sum((k / total) ** 2 for k in shares.values()))
    return result


def ei_index(
    G: nx.Graph, *, movement: str | None = "primary_movement", backend: str = "fast"
) -> dict[Hashable, float | None]:
    r"""Krackhardt-Stern E-I index of every group over primary movements.

    .. math::

       EI_i = \frac{E_i - I_i}{E_i + I_i}

    where :math:`E_i` counts the neighbours of :math:`i` in a different
    primary movement and :math:`I_i` those in the same one. It runs from -1
    (all ties inside the movement) to +1 (all ties across movements).

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph.
    movement : str, optional
        Node attribute holding the primary movement.
    backend : {"fast", "networkx"}, optional
        Implementation; both give the same values (see the module notes).

    Returns
    -------
    dict
        Node -> E-I index in [-1, 1], or ``None``.

    Notes
    -----
    Ties are counted, not weighted. An isolated group has no ties to count
    and gets ``None``. A group without a movement (or a neighbour without
    one) shares a movement with nobody, so all of that group's ties are
    external.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R. N. (1988). Informal networks and
       organizational crises: an experimental simulation. *Social Psychology
       Quarterly* 51(2), 123-140.

    Examples
    --------
    ``a`` has one neighbour in its own movement and three outside it, so
    :math:`(3 - 1) / 4 = 0.5`:

    >>> G = nx.Graph()
    >>> G.add_nodes_from(["a", "b"], primary_movement="blm")
    >>> G.add_nodes_from(["c", "d", "e"], primary_movement="queer")
    >>> G.add_node("f", primary_movement="labour")
    >>> G.add_edges_from([("a", "b"), ("a", "c"), ("a", "d"), ("a", "e")])
    >>> ei_index(G)
    {'a': 0.5, 'b': -1.0, 'c': 1.0, 'd': 1.0, 'e': 1.0, 'f': None}
    """
    _require_simple_undirected(G)
    if _use_fast(backend):
        arrays = fast.arrays_of(G, None)
        return _by_node(arrays, fast.ei_index(arrays, _movement_codes(G, movement)))
    key = _movement_keys(G, movement)
    result: dict[Hashable, float | None] = {}
    for u, nbrs in G.adj.items():
        if not nbrs:
            result[u] = None
            continue
        internal = sum(1 for v in nbrs if key[v] == key[u])
        external = len(nbrs) - internal
        result[u] = (external - internal) / (external + internal)
    return result


def brokerage(
    G: nx.Graph, *, movement: str | None = "primary_movement", backend: str = "fast"
) -> dict[Hashable, dict[str, int]]:
    """Gould-Fernandez brokerage roles of every group, for undirected ties.

    Group ``b`` brokers between two of its neighbours ``a`` and ``c`` when
    ``a`` and ``c`` are not tied to each other. Each such unordered pair is
    counted in exactly one role, by the primary movements ``m``:

    ============== =========================================
    role           movements
    ============== =========================================
    coordinator    ``m(a) == m(b) == m(c)``
    consultant     ``m(a) == m(c) != m(b)``
    representative ``m(b)`` equals exactly one of ``m(a)``, ``m(c)``
    liaison        ``m(a)``, ``m(b)``, ``m(c)`` all differ
    ============== =========================================

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph.
    movement : str, optional
        Node attribute holding the primary movement.
    backend : {"fast", "networkx"}, optional
        Implementation; both give the same counts (see the module notes).

    Returns
    -------
    dict
        Node -> ``{"coordinator": int, "consultant": int,
        "representative": int, "liaison": int}``.

    Notes
    -----
    Gould and Fernandez define five roles on directed ties; with undirected
    ties the *representative* and *gatekeeper* roles (which differ only in
    the direction of flow) merge into one, here called representative.
    The counts sum to the number of open pairs of neighbours of the group.
    Isolated groups and groups with one neighbour have all four counts 0.
    A group without a movement is in a movement of its own, so it can be a
    consultant or liaison but never a coordinator or representative.
    Weights play no part.

    The counts come from the movements of the neighbours minus the pairs of
    neighbours that are tied (the triangles through the group), so a group
    with ``d`` neighbours costs far less than the ``d (d - 1) / 2`` pairs.
    The fast backend lists every triangle once, visiting groups in order of
    degree (Chiba & Nishizeki 1985), and classifies them with NumPy.

    References
    ----------
    .. [1] Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation:
       a formal approach to brokerage in transaction networks. *Sociological
       Methodology* 19, 89-126.
    .. [2] Chiba, N. & Nishizeki, T. (1985). Arboricity and subgraph listing
       algorithms. *SIAM Journal on Computing* 14(1), 210-223.

    Examples
    --------
    ``b`` (blm) sits between ``a`` (blm) and two queer groups ``c`` and ``d``
    that are not tied to each other: pairs (a, c) and (a, d) make ``b`` a
    representative, pair (c, d) a consultant.

    >>> G = nx.Graph()
    >>> G.add_nodes_from(["a", "b"], primary_movement="blm")
    >>> G.add_nodes_from(["c", "d"], primary_movement="queer")
    >>> G.add_edges_from([("b", "a"), ("b", "c"), ("b", "d")])
    >>> brokerage(G)["b"]
    {'coordinator': 0, 'consultant': 1, 'representative': 2, 'liaison': 0}
    """
    _require_simple_undirected(G)
    if _use_fast(backend):
        arrays = fast.arrays_of(G, None)
        return _roles_by_node(arrays, fast.brokerage(arrays, _movement_codes(G, movement)))
    key = _movement_keys(G, movement)
    adj = {u: {v for v in nbrs if v != u} for u, nbrs in G.adj.items()}
    result: dict[Hashable, dict[str, int]] = {}
    for b, nb in adj.items():
        mb = key[b]
        degree = len(nb)
        counts = Counter(key[v] for v in nb)
        same = counts.get(mb, 0)
        other = degree - same
        other_pairs = sum(c * (c - 1) // 2 for s, c in counts.items() if s != mb)
        roles = {
            "coordinator": same * (same - 1) // 2,
            "consultant": other_pairs,
            "representative": same * other,
            "liaison": other * (other - 1) // 2 - other_pairs,
        }
        # Remove the pairs of neighbours that are tied to each other; each
        # such pair is seen once from either end, so it is counted twice.
        closed: Counter[str] = Counter()
        for a in nb:
            na = adj[a]
            common = (c for c in na if c in nb) if len(na) < degree else (c for c in nb if c in na)
            ma = key[a]
            for c in common:
                closed[_role(mb, ma, key[c])] += 1
        for role, twice in closed.items():
            roles[role] -= twice // 2
        result[b] = roles
    return result


def betweenness(
    G: nx.Graph,
    *,
    exact_max: int = EXACT_MAX,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 42,
    backend: str = "fast",
    workers: int | None = None,
) -> tuple[dict[Hashable, float], dict[str, Any]]:
    """Betweenness centrality of every group, exact or sampled.

    Shortest paths count hops (weights are ignored). Values are normalised
    as networkx does for undirected graphs, by :math:`(n - 1)(n - 2) / 2`.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph.
    exact_max : int, optional
        Largest number of groups for which betweenness is computed exactly.
    samples : int, optional
        Number of source groups sampled above ``exact_max``.
    seed : int, optional
        Seed of the sample, so a sampled result is reproducible.
    backend : {"fast", "networkx"}, optional
        Implementation; both give the same values (see the module notes).
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
    _require_simple_undirected(G)
    k, info = _betweenness_plan(G, exact_max=exact_max, samples=samples, seed=seed)
    if _use_fast(backend):
        arrays = fast.arrays_of(G, None)
        job = fast.traversals(arrays, samples=k, seed=seed, workers=workers, closeness=False)
        try:
            return _by_node(arrays, job.betweenness()), info
        finally:
            job.cancel()
    if k is None:
        return nx.betweenness_centrality(G), info
    return nx.betweenness_centrality(G, k=k, seed=seed), info


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
    G : networkx.Graph
        The coalition graph.
    backend : {"fast", "networkx"}, optional
        Implementation; both give the same values (see the module notes).

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
    _require_simple_undirected(G)
    if _use_fast(backend):
        arrays = fast.arrays_of(G, None)
        return _by_node(arrays, fast.closeness(arrays))
    return nx.closeness_centrality(G)


def pagerank(
    G: nx.Graph, *, weight: str | None = "weight", backend: str = "fast"
) -> dict[Hashable, float]:
    """Weighted PageRank of every group, as ``nx.pagerank(G, weight=weight)``.

    A random walker follows a tie with probability proportional to its
    weight, or with probability 0.15 jumps to a group chosen uniformly; a
    group's score is the share of time the walker spends there.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph.
    weight : str or None, optional
        Edge attribute holding the tie weight; ``None`` counts every tie as 1.
    backend : {"fast", "networkx"}, optional
        Implementation; both give the same values (see the module notes).

    Returns
    -------
    dict
        Node -> PageRank; the values sum to 1.

    Raises
    ------
    networkx.PowerIterationFailedConvergence
        If 100 iterations do not converge, as in networkx.

    Notes
    -----
    Damping 0.85, tolerance 1e-6, uniform jumps. A group without ties, or
    whose ties all weigh 0, sends its walker to a uniformly chosen group, so
    isolated groups score :math:`0.15 / n` plus their share of that mass.
    The fast backend runs networkx's own SciPy iteration on a matrix built
    without networkx's per-edge Python work, so the results are the same.

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
    _require_simple_undirected(G)
    if len(G) == 0:
        return {}
    if _use_fast(backend):
        arrays = fast.arrays_of(G, weight)
        return _by_node(arrays, fast.pagerank(arrays))
    return nx.pagerank(G, weight=weight)


def eigenvector(
    G: nx.Graph, *, weight: str | None = "weight", backend: str = "fast"
) -> dict[Hashable, float]:
    """Weighted eigenvector centrality that also works on disconnected graphs.

    The centrality vector is the leading eigenvector of the weighted
    adjacency matrix of the whole graph, non-negative and scaled to unit
    Euclidean norm, as ``nx.eigenvector_centrality`` returns it.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph.
    weight : str or None, optional
        Edge attribute holding the tie weight; ``None`` counts every tie as 1.
    backend : {"fast", "networkx"}, optional
        How the adjacency matrix is built (``nx.to_scipy_sparse_array`` or
        :mod:`graph.fast`); the eigenvectors are computed the same way.

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
    everywhere.

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
    _require_simple_undirected(G)
    if _use_fast(backend):
        arrays = fast.arrays_of(G, weight)
        return _by_node(arrays, fast.eigenvector(arrays.matrix))
    nodes = list(G)
    if not nodes:
        return {}
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, dtype=float, format="csr")
    return dict(zip(nodes, fast.eigenvector(A).tolist(), strict=True))


def structural_holes(
    G: nx.Graph, *, weight: str | None = "weight", backend: str = "fast"
) -> tuple[dict[Hashable, float | None], dict[Hashable, float | None]]:
    r"""Burt's constraint and effective size of every group.

    With :math:`p_{uv}` the weight of the tie u-v over u's strength and
    :math:`m_{vw}` the weight of v-w over the weight of v's strongest tie,

    .. math::

       c(u) = \sum_{v} \Big(p_{uv} + \sum_{w} p_{uw} p_{wv}\Big)^2, \qquad
       e(u) = \sum_{v} \Big(1 - \sum_{w} p_{uw} m_{vw}\Big),

    with :math:`v` over u's neighbours and :math:`w` over the neighbours
    common to u and v, the only ones with non-zero terms. Constraint is high
    for a group whose ties all lead into one closed clique, low for a broker
    between otherwise separate groups; effective size counts the neighbours
    that are not redundant with each other.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph.
    weight : str or None, optional
        Edge attribute holding the tie weight; ``None`` counts every tie as 1.
    backend : {"fast", "networkx"}, optional
        Implementation; both give the same values (see the module notes).

    Returns
    -------
    constraint, effective_size : dict
        Node -> value, or ``None`` for a group without ties.

    Notes
    -----
    These are ``nx.constraint`` and ``nx.effective_size`` for weighted
    undirected graphs (self-loops ignored), computed from the triangles
    through each tie in :math:`O(m^{3/2})` time and :math:`O(m)` memory:
    networkx either builds a dense :math:`n \times n` matrix or spends
    :math:`O(d^3)` on a group of degree :math:`d`. networkx gives NaN for a
    group without ties; here it is ``None``. A group whose ties all weigh 0
    has :math:`p = 0` everywhere: constraint 0, effective size its degree.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of
       Competition.* Harvard University Press.

    Examples
    --------
    In a star the centre's four ties are not redundant (effective size 4,
    constraint :math:`4 \cdot (1/4)^2`); each leaf depends on its one tie:

    >>> constraint, effective = structural_holes(nx.star_graph(4))
    >>> constraint[0], effective[0], constraint[1], effective[1]
    (0.25, 4.0, 1.0, 1.0)
    """
    _require_simple_undirected(G)
    if _use_fast(backend):
        arrays = fast.arrays_of(G, weight)
        constraint, effective = fast.structural_holes(arrays)
        return _by_node(arrays, constraint), _by_node(arrays, effective)
    return _structural_holes(G, weight)


def louvain(
    G: nx.Graph, *, weight: str | None = "weight", seed: int = 42, backend: str = "fast"
) -> dict[Hashable, int]:
    """Louvain communities of the groups, numbered stably.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph.
    weight : str or None, optional
        Edge attribute holding the tie weight; ``None`` counts every tie as 1.
    seed : int, optional
        Seed of the random order in which groups are visited, so the
        partition is reproducible.
    backend : {"fast", "networkx"}, optional
        ``"fast"``: igraph's ``community_multilevel``; ``"networkx"``:
        ``nx.community.louvain_communities``. Both are the method of
        Blondel et al.; they visit groups in different orders, so their
        partitions can differ (see the module notes).

    Returns
    -------
    dict
        Node -> community id. Communities are numbered 0, 1, ... by
        decreasing size, ties broken by their smallest group id.

    Notes
    -----
    Each isolated group is a community of its own. A graph without ties of
    positive weight has nothing to optimise and every group is its own
    community (networkx would divide by zero). The partition depends on the
    seed and on the node order of ``G``. igraph draws its random order from
    Python's :mod:`random`; the fast backend gives it a ``random.Random(seed)``
    for the call and puts the default back afterwards.

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E.
       (2008). Fast unfolding of communities in large networks. *Journal of
       Statistical Mechanics* P10008.

    Examples
    --------
    Two triangles joined by one tie, and an isolated group:

    >>> G = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> G.add_node(6)
    >>> louvain(G)
    {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2}
    """
    _require_simple_undirected(G)
    if G.size(weight=weight) == 0:
        communities: list[set[Hashable]] = [{u} for u in G]
    elif _use_fast(backend):
        arrays = fast.arrays_of(G, weight)
        communities = _blocks(arrays.nodes, fast.louvain(arrays, seed=seed))
    else:
        communities = nx.community.louvain_communities(G, weight=weight, seed=seed)
    ranked = sorted(communities, key=lambda c: (-len(c), min(c)))
    return _number_communities(G, ranked)


def group_metrics(
    G: nx.Graph,
    *,
    weight: str | None = "weight",
    movement: str | None = "primary_movement",
    exact_max: int = EXACT_MAX,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 42,
    backend: str = "fast",
    workers: int | None = None,
) -> tuple[dict[Hashable, dict[str, Any]], dict[str, Any]]:
    """Every per-group metric in one table.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph.
    weight : str or None, optional
        Edge attribute holding the tie weight; ``None`` counts every tie as 1.
    movement : str, optional
        Node attribute holding the primary movement.
    exact_max, samples, seed : int, optional
        Passed to :func:`betweenness`; ``seed`` also seeds :func:`louvain`.
    backend : {"fast", "networkx"}, optional
        Implementation of every metric (see the module notes). The fast
        backend converts ``G`` into arrays once and shares them.
    workers : int or None, optional
        Processes the fast backend may use for betweenness and closeness;
        ``None`` uses every CPU when the graph is large, 1 never starts a
        process.

    Returns
    -------
    rows : dict
        Node -> a dict with exactly these keys, in this order: ``group_id``,
        ``name``, ``primary_movement``, ``movements`` (the node's movement
        list joined with ``;``), ``degree``, ``strength``, ``betweenness``,
        ``closeness``, ``pagerank``, ``eigenvector``, ``constraint``,
        ``effective_size``, ``participation``, ``ei_index``,
        ``brokerage_coordinator``, ``brokerage_consultant``,
        ``brokerage_representative``, ``brokerage_liaison``, ``community``,
        ``articulation_point``.
    info : dict
        How betweenness was computed, as returned by :func:`betweenness`.

    Notes
    -----
    * ``degree`` counts ties; ``strength`` sums their weights.
    * ``betweenness`` (:func:`betweenness`) and ``closeness``
      (:func:`closeness`, Wasserman-Faust scaled, 0.0 for an isolated
      group) count hops; ``pagerank`` (:func:`pagerank`), ``eigenvector``,
      ``constraint``, ``effective_size`` and ``participation`` use weights.
    * ``constraint`` and ``effective_size`` are Burt's measures exactly as
      ``nx.constraint`` and ``nx.effective_size`` define them for weighted
      undirected graphs (:func:`structural_holes`). Both are ``None`` for an
      isolated group (networkx gives NaN).
    * ``ei_index`` is ``None`` for an isolated group; ``participation`` is
      0.0 for it.
    * ``community`` is from :func:`louvain`; ``articulation_point`` is True
      when removing the group disconnects its component.

    See Also
    --------
    betweenness, closeness, pagerank, eigenvector, structural_holes
    participation_coefficient, ei_index, brokerage, louvain
        The metrics computed here, with their own notes and references.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of
       Competition.* Harvard University Press.
    .. [2] Freeman, L. C. (1979). Centrality in social networks: conceptual
       clarification. *Social Networks* 1(3), 215-239.
    .. [3] Page, L., Brin, S., Motwani, R. & Winograd, T. (1999). The
       PageRank citation ranking: bringing order to the web. Stanford
       InfoLab.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", name="A", movements=["blm", "queer"], primary_movement="blm")
    >>> G.add_node("b", name="B", movements=["queer"], primary_movement="queer")
    >>> G.add_node("c", name="C", movements=["blm"], primary_movement="blm")
    >>> G.add_node("d", name="D", movements=[], primary_movement=None)
    >>> G.add_edge("a", "b", weight=2.0)
    >>> G.add_edge("a", "c", weight=1.0)
    >>> rows, info = group_metrics(G)
    >>> a = rows["a"]
    >>> a["movements"], a["degree"], a["strength"], a["ei_index"], a["articulation_point"]
    ('blm;queer', 2, 3.0, 0.0, True)
    >>> a["brokerage_representative"], a["constraint"], a["effective_size"]
    (1, 0.5555555555555556, 2.0)
    >>> rows["d"]["constraint"], rows["d"]["ei_index"], rows["d"]["participation"]
    (None, None, 0.0)
    """
    _require_simple_undirected(G)
    if _use_fast(backend):
        columns, info = _fast_group_metrics(
            G,
            weight=weight,
            movement=movement,
            exact_max=exact_max,
            samples=samples,
            seed=seed,
            workers=workers,
        )
    else:
        columns, info = _reference_group_metrics(
            G, weight=weight, movement=movement, exact_max=exact_max, samples=samples, seed=seed
        )
    (
        degree,
        strength,
        between,
        close,
        rank,
        eigen,
        constraint,
        effective_size,
        participation,
        ei,
        roles,
        community,
        articulation,
    ) = columns
    rows: dict[Hashable, dict[str, Any]] = {}
    for u, data in G.nodes(data=True):
        rows[u] = {
            "group_id": u,
            "name": data.get("name"),
            "primary_movement": data.get(movement) if movement is not None else None,
            "movements": ";".join(str(m) for m in data.get("movements") or ()),
            "degree": degree[u],
            "strength": float(strength[u]),
            "betweenness": between[u],
            "closeness": close[u],
            "pagerank": rank[u],
            "eigenvector": eigen[u],
            "constraint": constraint[u],
            "effective_size": effective_size[u],
            "participation": participation[u],
            "ei_index": ei[u],
            "brokerage_coordinator": roles[u]["coordinator"],
            "brokerage_consultant": roles[u]["consultant"],
            "brokerage_representative": roles[u]["representative"],
            "brokerage_liaison": roles[u]["liaison"],
            "community": community[u],
            "articulation_point": u in articulation,
        }
    return rows, info


def _reference_group_metrics(G, *, weight, movement, exact_max, samples, seed):
    """The columns of :func:`group_metrics`, each from networkx (the reference)."""
    between, info = betweenness(
        G, exact_max=exact_max, samples=samples, seed=seed, backend="networkx"
    )
    constraint, effective_size = _structural_holes(G, weight)
    columns = (
        dict(G.degree()),
        dict(G.degree(weight=weight)),
        between,
        nx.closeness_centrality(G),
        nx.pagerank(G, weight=weight) if len(G) else {},
        eigenvector(G, weight=weight, backend="networkx"),
        constraint,
        effective_size,
        participation_coefficient(G, movement=movement, weight=weight, backend="networkx"),
        ei_index(G, movement=movement, backend="networkx"),
        brokerage(G, movement=movement, backend="networkx"),
        louvain(G, weight=weight, seed=seed, backend="networkx"),
        set(nx.articulation_points(G)),
    )
    return columns, info


def _fast_group_metrics(G, *, weight, movement, exact_max, samples, seed, workers):
    """The columns of :func:`group_metrics` from :mod:`graph.fast`, on one conversion.

    Betweenness and closeness start first (in worker processes when the
    graph is large) and are collected last, so the other metrics are
    computed while they run. Each step's time is logged at DEBUG level.
    """
    clock = _Clock()
    k, info = _betweenness_plan(G, exact_max=exact_max, samples=samples, seed=seed)
    arrays = fast.arrays_of(G, weight)
    codes = _movement_codes(G, movement)
    clock.lap("convert")
    # search groups of one movement together, the best connected first
    order = np.lexsort((-arrays.degree, codes))
    job = fast.traversals(arrays, samples=k, seed=seed, workers=workers, order=order)
    clock.lap(f"start betweenness and closeness ({job.workers} worker processes)")
    try:
        degree = _by_node(arrays, arrays.degree + 2 * arrays.loops)  # a self-loop counts twice
        strength = np.asarray(arrays.matrix.sum(axis=1)).ravel() + arrays.loop_weight
        strength = _by_node(arrays, strength)
        clock.lap("degree and strength")
        rank = _by_node(arrays, fast.pagerank(arrays)) if arrays.n else {}
        clock.lap("pagerank")
        eigen = _by_node(arrays, fast.eigenvector(arrays.matrix))
        clock.lap("eigenvector")
        constraint, effective_size = fast.structural_holes(arrays)
        constraint, effective_size = _by_node(arrays, constraint), _by_node(arrays, effective_size)
        clock.lap("structural holes (with the triangle listing)")
        roles = _roles_by_node(arrays, fast.brokerage(arrays, codes))
        arrays.cache.pop("triangles", None)  # not needed any more
        clock.lap("brokerage")
        participation = _by_node(arrays, fast.participation(arrays, codes))
        ei = _by_node(arrays, fast.ei_index(arrays, codes))
        clock.lap("participation and E-I index")
        if arrays.matrix.data.sum() + arrays.loop_weight.sum() == 0:  # G.size(weight) == 0
            community = louvain(G, weight=weight, seed=seed)
        else:
            blocks = _blocks(arrays.nodes, fast.louvain(arrays, seed=seed))
            ranked = sorted(blocks, key=lambda c: (-len(c), min(c)))
            community = _number_communities(G, ranked)
        clock.lap("louvain")
        articulation = {arrays.nodes[i] for i in fast.articulation_points(arrays).tolist()}
        clock.lap("articulation points")
        between = _by_node(arrays, job.betweenness())
        close = _by_node(arrays, job.closeness())
        clock.lap("wait for betweenness and closeness")
        if job.worker_peaks_mb:
            peaks = ", ".join(f"{mb:.0f}" for mb in job.worker_peaks_mb)
            log.debug("group_metrics: worker peak memory %s MB", peaks)
    finally:
        job.cancel()
    columns = (
        degree,
        strength,
        between,
        close,
        rank,
        eigen,
        constraint,
        effective_size,
        participation,
        ei,
        roles,
        community,
        articulation,
    )
    return columns, info


class _Clock:
    """Log the time each step took, at DEBUG level."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        log.debug("group_metrics: %s took %.3f s", step, now - self.last)
        self.last = now


def fragmentation(G: nx.Graph) -> float:
    r"""Borgatti's fragmentation: the share of pairs of groups that cannot meet.

    .. math::

       F = 1 - \frac{\sum_k s_k (s_k - 1)}{n (n - 1)}

    over the connected components of sizes :math:`s_k`, :math:`n` groups.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph (or what remains of it).

    Returns
    -------
    float
        0.0 for a connected graph, 1.0 when no two groups are tied.

    Notes
    -----
    A graph with fewer than two groups has no pairs and fragmentation 0.0.
    Isolated groups are components of size 1. Weights play no part.

    References
    ----------
    .. [1] Borgatti, S. P. (2006). Identifying sets of key players in a
       social network. *Computational and Mathematical Organization Theory*
       12(1), 21-34.

    Examples
    --------
    Two components of two groups each: 4 of the 12 ordered pairs can reach
    each other, so :math:`1 - 4/12 = 2/3`:

    >>> round(fragmentation(nx.Graph([("a", "b"), ("c", "d")])), 4)
    0.6667
    """
    _require_simple_undirected(G)
    reachable = sum(len(c) * (len(c) - 1) for c in nx.connected_components(G))
    return _fragmentation(G.number_of_nodes(), reachable)


def whatif(
    G: nx.Graph,
    remove: Iterable[Hashable],
    *,
    movement: str | None = "primary_movement",
    backend: str = "fast",
) -> dict[str, Any]:
    """What breaks if these groups leave the coalition.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph.
    remove : iterable of node, or a single str
        Ids of the groups that leave. A single string is one id; repeated
        ids count once.
    movement : str, optional
        Node attribute holding the primary movement.
    backend : {"fast", "networkx"}, optional
        ``"fast"`` counts components with SciPy over the graph's arrays
        (milliseconds at 400,000 ties); ``"networkx"`` walks the graph.

    Returns
    -------
    dict
        ``removed`` (the ids, in the order given, without repeats),
        ``components_before`` and ``components_after`` (connected
        components), ``fragmentation_before`` and ``fragmentation_after``
        (:func:`fragmentation` of the whole graph and of the remaining
        groups), ``lost_movement_pairs`` (sorted list of
        ``(movement_a, movement_b)`` tuples, ``movement_a < movement_b``,
        of different primary movements that had at least one direct tie
        between their groups before and have none among the remaining
        groups).

    Raises
    ------
    graph.errors.NotFound
        If an id is not a group of ``G``; the message names every unknown id.

    Notes
    -----
    Removing every group leaves 0 components and fragmentation 0.0. Groups
    without a movement are not part of any movement pair.

    References
    ----------
    .. [1] Borgatti, S. P. (2006). Identifying sets of key players in a
       social network. *Computational and Mathematical Organization Theory*
       12(1), 21-34.

    Examples
    --------
    ``b`` (queer) is the only link between ``a`` (blm) and ``c`` (disability):

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "blm", "b": "queer", "c": "disability"},
    ...                        "primary_movement")
    >>> report = whatif(G, ["b"])
    >>> report["components_before"], report["components_after"]
    (1, 2)
    >>> report["fragmentation_before"], report["fragmentation_after"]
    (0.0, 1.0)
    >>> report["lost_movement_pairs"]
    [('blm', 'queer'), ('disability', 'queer')]
    """
    _require_simple_undirected(G)
    if _use_fast(backend):
        arrays = fast.arrays_of(G, None)
        u, v, _ = arrays.edges
        primary = _primary_movements(G, movement)
        movements = sorted({m for m in primary.values() if m is not None})
        code = {m: i for i, m in enumerate(movements)}
        codes = np.array([code.get(primary[x], -1) for x in arrays.nodes], dtype=np.int64)
        return whatif_arrays(arrays.nodes, u, v, codes, movements, remove)
    removed = _removed(remove, G)
    gone = set(removed)
    remaining = G.subgraph([u for u in G if u not in gone])
    primary = _primary_movements(G, movement)
    before = _movement_pairs(G.edges(), primary)
    after = _movement_pairs(remaining.edges(), primary)
    return {
        "removed": removed,
        "components_before": nx.number_connected_components(G),
        "components_after": nx.number_connected_components(remaining),
        "fragmentation_before": fragmentation(G),
        "fragmentation_after": fragmentation(remaining),
        "lost_movement_pairs": sorted(before - after),
    }


def whatif_arrays(
    nodes: Sequence[Hashable],
    u: np.ndarray,
    v: np.ndarray,
    codes: np.ndarray,
    movements: Sequence[Any],
    remove: Iterable[Hashable],
) -> dict[str, Any]:
    """:func:`whatif` on a graph held as arrays (the dashboard's network index).

    Parameters
    ----------
    nodes : sequence
        The groups; node ``i`` is ``nodes[i]``.
    u, v : numpy.ndarray
        Each tie's two nodes (no self-ties).
    codes : numpy.ndarray
        Each node's primary movement as an index into ``movements``, -1 for none.
    movements : sequence
        The movements, sorted.
    remove : iterable of node, or a single str

    Returns
    -------
    dict
        As :func:`whatif`.

    Examples
    --------
    >>> whatif_arrays(["a", "b", "c"], np.array([0, 1]), np.array([1, 2]),
    ...               np.array([0, 1, 0]), ["blm", "queer"], "b")["lost_movement_pairs"]
    [('blm', 'queer')]
    """
    position = {x: i for i, x in enumerate(nodes)}
    removed = _removed(remove, position)
    result = fast.whatif(
        len(nodes), u, v, codes, np.array([position[x] for x in removed], dtype=np.int64)
    )
    lost = sorted((movements[a], movements[b]) for a, b in result.pop("lost_pairs"))
    return {"removed": removed, **result, "lost_movement_pairs": lost}


def _removed(remove: Iterable[Hashable], known: Container[Hashable]) -> list[Hashable]:
    """The ids to remove, in order, without repeats; NotFound names every unknown one."""
    if isinstance(remove, str):
        remove = [remove]
    removed = list(dict.fromkeys(remove))
    unknown = [g for g in removed if g not in known]
    if unknown:
        listed = ", ".join(repr(g) for g in unknown)
        raise NotFound(
            f"no group with id {listed}" if len(unknown) == 1 else f"no groups with ids {listed}"
        )
    return removed


def fragmentation_ranking(G: nx.Graph, *, top: int | None = None) -> list[dict[str, Any]]:
    """Rank the groups by how much the coalition fragments without them.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph.
    top : int or None, optional
        Keep only the first ``top`` rows; ``None`` keeps all.

    Returns
    -------
    list of dict
        One ``{"group_id", "name", "fragmentation", "components"}`` per
        group: the :func:`fragmentation` of the graph without that single
        group and its number of connected components. Sorted by
        fragmentation, highest first, ties by group id.

    Raises
    ------
    graph.errors.UsageError
        If ``top`` is negative.

    Notes
    -----
    The result equals calling :func:`whatif` once per group, but all groups
    are done in one depth-first search, :math:`O(n + m)`: only articulation
    points split their component, and the pieces they leave are the
    subtrees of the search tree that cannot climb above them (Tarjan 1972).
    Removing a group from a component of size :math:`s` that it does not
    split leaves one component of size :math:`s - 1`; removing an isolated
    group removes its component.

    References
    ----------
    .. [1] Borgatti, S. P. (2006). Identifying sets of key players in a
       social network. *Computational and Mathematical Organization Theory*
       12(1), 21-34.
    .. [2] Tarjan, R. (1972). Depth-first search and linear graph
       algorithms. *SIAM Journal on Computing* 1(2), 146-160.

    Examples
    --------
    Without ``b`` the path a-b-c falls apart; without an end it does not:

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> [(r["group_id"], r["fragmentation"], r["components"])
    ...  for r in fragmentation_ranking(G)]
    [('b', 1.0, 2), ('a', 0.0, 1), ('c', 0.0, 1)]
    """
    _require_simple_undirected(G)
    if top is not None and top < 0:
        raise UsageError(f"top must be 0 or more, got {top}")
    n = G.number_of_nodes()
    effects = _removal_effects(G)
    ranked = sorted(effects.items(), key=lambda item: (item[1][0], item[0]))
    if top is not None:
        ranked = ranked[:top]
    return [
        {
            "group_id": u,
            "name": G.nodes[u].get("name"),
            "fragmentation": _fragmentation(n - 1, reachable),
            "components": components,
        }
        for u, (reachable, components) in ranked
    ]


def member_metrics(
    affiliation: Mapping[Hashable, Iterable[Hashable]],
    primary: Mapping[Hashable, Hashable | None],
) -> dict[Hashable, dict[str, Any]]:
    """How many groups and movements each member spans.

    Parameters
    ----------
    affiliation : mapping
        Member id -> the ids of the groups the member belongs to.
    primary : mapping
        Group id -> its primary movement (or ``None``).

    Returns
    -------
    dict
        Member id -> ``{"member_id", "groups", "movements", "bridging"}``:
        the number of distinct groups, the number of distinct primary
        movements among them, and whether that is two or more.

    Notes
    -----
    Groups missing from ``primary`` or without a movement count as groups
    but add no movement. A member with no groups has 0 and 0 and is not
    bridging. Members come out in the order of ``affiliation``.

    References
    ----------
    .. [1] Breiger, R. L. (1974). The duality of persons and groups.
       *Social Forces* 53(2), 181-190.

    Examples
    --------
    >>> affiliation = {"m1": ["a", "b", "c"], "m2": ["a", "c"]}
    >>> primary = {"a": "blm", "b": "queer", "c": "blm"}
    >>> member_metrics(affiliation, primary)["m1"]
    {'member_id': 'm1', 'groups': 3, 'movements': 2, 'bridging': True}
    >>> member_metrics(affiliation, primary)["m2"]
    {'member_id': 'm2', 'groups': 2, 'movements': 1, 'bridging': False}
    """
    result: dict[Hashable, dict[str, Any]] = {}
    for member, groups in affiliation.items():
        distinct = set(groups)
        movements = {primary.get(g) for g in distinct} - {None}
        result[member] = {
            "member_id": member,
            "groups": len(distinct),
            "movements": len(movements),
            "bridging": len(movements) >= 2,
        }
    return result


def movement_matrix(
    G: nx.Graph,
    *,
    members: Mapping[Hashable, Iterable[Hashable]],
    actions: Mapping[Hashable, Iterable[Hashable]],
    resources: Mapping[Hashable, Iterable[Hashable]],
    movement: str | None = "primary_movement",
    backend: str = "fast",
) -> list[dict[str, Any]]:
    """How each pair of movements is linked: members, actions, resources, ties.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph; its groups' primary movements define the rows.
    members, actions, resources : mapping
        Group id -> the ids of its members, of the actions it took part in,
        of the resources it shares.
    movement : str, optional
        Node attribute holding the primary movement.

    Returns
    -------
    list of dict
        One row ``{"movement_a", "movement_b", "shared_members",
        "joint_actions", "shared_resources", "ties"}`` for every unordered
        pair ``movement_a <= movement_b`` of primary movements present in
        ``G``, the within-movement pair ``a == b`` included, sorted by
        ``(movement_a, movement_b)``. For ``a != b``, ``shared_members`` is
        the number of distinct members in at least one group of ``a`` and
        at least one group of ``b``; for ``a == b``, in at least two
        different groups of ``a``. ``joint_actions`` and
        ``shared_resources`` count actions and resources the same way.
        ``ties`` is the number of edges of ``G`` between a group of ``a``
        and a group of ``b``.

    Notes
    -----
    Only groups that are nodes of ``G`` and have a primary movement count;
    ids in the mappings for other groups are ignored, and groups without a
    movement have no row. Pairs with nothing in common are listed with
    zeros. Each item is counted once per pair of movements however many
    groups of them it links: it is the one-mode projection of the
    group-item affiliations onto movements.

    References
    ----------
    .. [1] Breiger, R. L. (1974). The duality of persons and groups.
       *Social Forces* 53(2), 181-190.

    Examples
    --------
    Member ``m1`` is in a blm group and a queer group; action ``x`` joined
    two blm groups:

    >>> G = nx.Graph([("a", "c")])
    >>> G.add_node("b")
    >>> nx.set_node_attributes(G, {"a": "blm", "b": "blm", "c": "queer"},
    ...                        "primary_movement")
    >>> rows = movement_matrix(G, members={"a": ["m1"], "c": ["m1"]},
    ...                        actions={"a": ["x"], "b": ["x"]}, resources={})
    >>> [(r["movement_a"], r["movement_b"], r["shared_members"], r["joint_actions"], r["ties"])
    ...  for r in rows]
    [('blm', 'blm', 0, 1, 0), ('blm', 'queer', 1, 0, 1), ('queer', 'queer', 0, 0, 0)]
    """
    _require_simple_undirected(G)
    primary = _primary_movements(G, movement)
    movements = sorted({m for m in primary.values() if m is not None})
    kinds = (
        ("shared_members", members),
        ("joint_actions", actions),
        ("shared_resources", resources),
    )
    if _use_fast(backend):
        position = {m: i for i, m in enumerate(movements)}
        codes = np.array(
            [position[m] if m is not None else -1 for m in primary.values()], dtype=np.int64
        )
        tables = {
            column: _shared_item_table(mapping, primary, position) for column, mapping in kinds
        }
        arrays = fast.arrays_of(G, None)
        u, v, _ = arrays.edges
        a, b = codes[u], codes[v]
        both = (a >= 0) & (b >= 0)
        low, high = np.minimum(a[both], b[both]), np.maximum(a[both], b[both])
        size = len(movements)
        tables["ties"] = np.bincount(low * size + high, minlength=size * size).reshape(size, size)
        for i in np.flatnonzero(arrays.loops & (codes >= 0)).tolist():
            tables["ties"][codes[i], codes[i]] += 1  # a self-tie: within its movement

        def count(column: str, a: Any, b: Any) -> int:
            return int(tables[column][position[a], position[b]])

    else:
        counts = {column: _shared_items(mapping, primary) for column, mapping in kinds}
        counts["ties"] = Counter()
        for u, v in G.edges():
            a, b = primary[u], primary[v]
            if a is not None and b is not None:
                counts["ties"][(a, b) if a <= b else (b, a)] += 1

        def count(column: str, a: Any, b: Any) -> int:
            return counts[column][(a, b)]

    columns = ("shared_members", "joint_actions", "shared_resources", "ties")
    rows = []
    for i, a in enumerate(movements):
        for b in movements[i:]:
            rows.append({"movement_a": a, "movement_b": b, **{c: count(c, a, b) for c in columns}})
    return rows


def network_summary(
    G: nx.Graph,
    *,
    movement: str | None = "primary_movement",
    weight: str | None = "weight",
    seed: int = 42,
    communities: Mapping[Hashable, Hashable] | None = None,
    backend: str = "fast",
) -> dict[str, Any]:
    """Whole-network figures of the coalition.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph.
    movement : str, optional
        Node attribute holding the primary movement.
    weight : str or None, optional
        Edge attribute holding the tie weight; ``None`` counts every tie as 1.
    seed : int, optional
        Seed of :func:`louvain` when ``communities`` is not given.
    communities : mapping, optional
        Node -> community id, as returned by :func:`louvain`, to avoid
        computing it twice. It must cover every group.
    backend : {"fast", "networkx"}, optional
        Implementation; both give the same figures for the same communities
        (see the module notes).

    Returns
    -------
    dict
        ``groups`` and ``ties`` (numbers of nodes and edges), ``density``
        (``nx.density``), ``components`` (connected components),
        ``movement_modularity`` (weighted Newman modularity of the partition
        of the groups by primary movement), ``louvain_modularity`` (of the
        Louvain partition), ``cross_movement_tie_share`` (share of ties
        whose two groups have different primary movements).

    Raises
    ------
    graph.errors.UsageError
        If ``communities`` misses a group of ``G``.

    Notes
    -----
    Groups without a movement each form a block of their own in the
    movement partition and their ties count as crossing movements. Both
    modularities are ``None`` for a graph without ties of positive weight
    (modularity divides by the total weight), and the tie share is ``None``
    for a graph without ties. An empty graph has density 0.0 and 0
    components.

    References
    ----------
    .. [1] Newman, M. E. J. (2006). Modularity and community structure in
       networks. *PNAS* 103(23), 8577-8582.

    Examples
    --------
    In the path a-b-c, the blm block {a, b} holds 1 of the 2 ties and 3 of
    the 4 tie ends: :math:`(1/2 - (3/4)^2) + (0 - (1/4)^2) = -0.125`.

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "blm", "b": "blm", "c": "queer"},
    ...                        "primary_movement")
    >>> summary = network_summary(G)
    >>> summary["groups"], summary["ties"], round(summary["density"], 4)
    (3, 2, 0.6667)
    >>> summary["movement_modularity"], summary["cross_movement_tie_share"]
    (-0.125, 0.5)
    """
    _require_simple_undirected(G)
    if communities is None:
        communities = louvain(G, weight=weight, seed=seed, backend=backend)
    missing = [u for u in G if u not in communities]
    if missing:
        raise UsageError(f"communities do not cover group {missing[0]!r}")
    ties = G.number_of_edges()
    if _use_fast(backend):
        arrays = fast.arrays_of(G, weight)
        codes = _movement_codes(G, movement)
        u, v, _ = arrays.edges
        crossing = int(np.count_nonzero(codes[u] != codes[v]))
        blocks = _codes([communities[x] for x in arrays.nodes])
        components = int(arrays.components.max(initial=-1)) + 1
        movement_q = fast.modularity(arrays, codes)
        louvain_q = fast.modularity(arrays, blocks)
    else:
        key = _movement_keys(G, movement)
        crossing = sum(1 for a, b in G.edges() if key[a] != key[b])
        components = nx.number_connected_components(G)
        movement_q = _modularity(G, key, weight)
        louvain_q = _modularity(G, communities, weight)
    return {
        "groups": G.number_of_nodes(),
        "ties": ties,
        "density": nx.density(G),
        "components": components,
        "movement_modularity": movement_q,
        "louvain_modularity": louvain_q,
        "cross_movement_tie_share": crossing / ties if ties else None,
    }


# ---------------------------------------------------------------------------
# helpers


def _require_simple_undirected(G: nx.Graph) -> None:
    if G.is_directed() or G.is_multigraph():
        raise nx.NetworkXNotImplemented(
            "coalition metrics need a simple undirected graph, not a directed graph or a multigraph"
        )


def _use_fast(backend: str) -> bool:
    if backend not in BACKENDS:
        raise UsageError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    return backend == "fast"


def _betweenness_plan(
    G: nx.Graph, *, exact_max: int, samples: int, seed: int
) -> tuple[int | None, dict[str, Any]]:
    """Sources to sample (None: exact) and the ``info`` reported with the result."""
    if samples < 1:
        raise UsageError(f"betweenness needs at least 1 sample, got {samples}")
    n = G.number_of_nodes()
    if n <= exact_max or samples >= n:
        return None, {"mode": "exact", "samples": None, "seed": None}
    return samples, {"mode": "sampled", "samples": samples, "seed": seed}


def _by_node(arrays: fast.Arrays, values: np.ndarray) -> dict[Hashable, Any]:
    """Node -> plain Python value; NaN (undefined) becomes None."""
    out = values.tolist()
    if values.dtype.kind == "f":
        out = [None if x != x else x for x in out]
    return dict(zip(arrays.nodes, out, strict=True))


def _roles_by_node(arrays: fast.Arrays, roles: np.ndarray) -> dict[Hashable, dict[str, int]]:
    return {
        u: dict(zip(fast.ROLES, counts, strict=True))
        for u, counts in zip(arrays.nodes, roles.tolist(), strict=True)
    }


def _codes(values: Iterable[Hashable]) -> np.ndarray:
    """Equal values -> equal small integers, in order of first appearance."""
    seen: dict[Hashable, int] = {}
    return np.fromiter((seen.setdefault(v, len(seen)) for v in values), dtype=np.int64)


def _movement_codes(G: nx.Graph, movement: str | None) -> np.ndarray:
    """:func:`_movement_keys` as integers in node order, for :mod:`graph.fast`."""
    return _codes(_movement_keys(G, movement).values())


def _blocks(nodes: list[Hashable], membership: np.ndarray) -> list[set[Hashable]]:
    blocks: defaultdict[int, set[Hashable]] = defaultdict(set)
    for u, block in zip(nodes, membership.tolist(), strict=True):
        blocks[block].add(u)
    return list(blocks.values())


def _primary_movements(G: nx.Graph, movement: str | None) -> dict[Hashable, Any]:
    """Node -> its primary movement, or None."""
    if movement is None:
        return dict.fromkeys(G)
    return {u: data.get(movement) for u, data in G.nodes(data=True)}


def _movement_keys(G: nx.Graph, movement: str | None) -> dict[Hashable, tuple[str, Any]]:
    """Node -> a comparable movement key; a missing movement is unique to its node."""
    return {
        u: ("movement", value) if value is not None else ("none", u)
        for u, value in _primary_movements(G, movement).items()
    }


def _edge_weight(data: Mapping[str, Any], weight: str | None) -> float:
    return 1 if weight is None else data.get(weight, 1)


def _role(mb: Hashable, ma: Hashable, mc: Hashable) -> str:
    """Gould-Fernandez role of broker movement ``mb`` between ``ma`` and ``mc``."""
    if ma == mc:
        return "coordinator" if ma == mb else "consultant"
    if mb in (ma, mc):
        return "representative"
    return "liaison"


def _number_communities(G: nx.Graph, ranked: list[set[Hashable]]) -> dict[Hashable, int]:
    cid = {u: i for i, members in enumerate(ranked) for u in members}
    return {u: cid[u] for u in G}


def _structural_holes(
    G: nx.Graph, weight: str | None
) -> tuple[dict[Hashable, float | None], dict[Hashable, float | None]]:
    """Burt's constraint and effective size, as networkx defines them.

    With :math:`p_{uv}` the weight of tie u-v over u's strength and
    :math:`m_{vw}` the weight of v-w over v's strongest tie:
    constraint :math:`c(u) = \\sum_v (p_{uv} + \\sum_w p_{uw} p_{wv})^2`,
    effective size :math:`e(u) = \\sum_v (1 - \\sum_w p_{uw} m_{vw})`, with
    :math:`v` over u's neighbours and :math:`w` over the neighbours common
    to u and v — the only ones with non-zero terms.
    """
    adj = {
        u: {v: _edge_weight(data, weight) for v, data in nbrs.items() if v != u}
        for u, nbrs in G.adj.items()
    }
    total = {u: sum(nbrs.values()) for u, nbrs in adj.items()}
    peak = {u: max(nbrs.values(), default=0) for u, nbrs in adj.items()}
    constraint: dict[Hashable, float | None] = {}
    effective: dict[Hashable, float | None] = {}
    for u, nu in adj.items():
        if not nu:
            constraint[u] = effective[u] = None
            continue
        su = total[u]
        c = e = 0.0
        for v, wuv in nu.items():
            nv = adj[v]
            small, big = (nu, nv) if len(nu) <= len(nv) else (nv, nu)
            indirect = redundancy = 0.0
            for w in small:
                if w in big:
                    puw = nu[w] / su if su else 0.0
                    indirect += puw * (nv[w] / total[w] if total[w] else 0.0)
                    redundancy += puw * (nv[w] / peak[v] if peak[v] else 0.0)
            c += ((wuv / su if su else 0.0) + indirect) ** 2
            e += 1.0 - redundancy
        constraint[u] = c
        effective[u] = e
    return constraint, effective


def _fragmentation(n: int, reachable_pairs: int) -> float:
    """Fragmentation of ``n`` nodes of which ``reachable_pairs`` ordered pairs connect."""
    if n < 2:
        return 0.0
    return 1.0 - reachable_pairs / (n * (n - 1))


def _movement_pairs(
    edges: Iterable[tuple[Hashable, Hashable]], primary: Mapping[Hashable, Any]
) -> set[tuple[Any, Any]]:
    """Unordered pairs of different movements with a tie among ``edges``."""
    pairs = set()
    for u, v in edges:
        a, b = primary[u], primary[v]
        if a is not None and b is not None and a != b:
            pairs.add((a, b) if a < b else (b, a))
    return pairs


def _removal_effects(G: nx.Graph) -> dict[Hashable, tuple[int, int]]:
    """Node -> (reachable ordered pairs, components) of G without that node.

    One iterative depth-first search per component computes discovery
    times, low points and subtree sizes. Removing ``u`` cuts off each child
    subtree whose low point does not reach above ``u``; the rest of the
    component (if any) stays together through ``u``'s parent.
    """
    components = [len(c) for c in nx.connected_components(G)]
    reachable = sum(s * (s - 1) for s in components)
    count = len(components)
    disc: dict[Hashable, int] = {}
    low: dict[Hashable, int] = {}
    size: dict[Hashable, int] = {}
    cut_off: defaultdict[Hashable, list[int]] = defaultdict(list)
    effects: dict[Hashable, tuple[int, int]] = {}
    clock = 0
    for root in G:
        if root in disc:
            continue
        disc[root] = low[root] = clock
        clock += 1
        size[root] = 1
        visited = [root]
        stack = [(root, None, iter(G.adj[root]))]
        while stack:
            u, parent, nbrs = stack[-1]
            for v in nbrs:
                if v == parent:
                    continue
                if v in disc:
                    low[u] = min(low[u], disc[v])
                else:
                    disc[v] = low[v] = clock
                    clock += 1
                    size[v] = 1
                    visited.append(v)
                    stack.append((v, u, iter(G.adj[v])))
                    break
            else:
                stack.pop()
                if parent is not None:
                    low[parent] = min(low[parent], low[u])
                    size[parent] += size[u]
                    if low[u] >= disc[parent]:
                        cut_off[parent].append(size[u])
        s = len(visited)
        for u in visited:
            pieces = cut_off.get(u, [])
            rest = s - 1 - sum(pieces)
            if rest > 0:
                pieces = [*pieces, rest]
            effects[u] = (
                reachable - s * (s - 1) + sum(p * (p - 1) for p in pieces),
                count - 1 + len(pieces),
            )
    return {u: effects[u] for u in G}


def _shared_items(
    mapping: Mapping[Hashable, Iterable[Hashable]], primary: Mapping[Hashable, Any]
) -> Counter[tuple[Any, Any]]:
    """(movement_a, movement_b) -> number of items linking a group of a and one of b."""
    groups_of: defaultdict[Hashable, set[Hashable]] = defaultdict(set)
    for group, items in mapping.items():
        if primary.get(group) is None:
            continue
        for item in items:
            groups_of[item].add(group)
    counts: Counter[tuple[Any, Any]] = Counter()
    for groups in groups_of.values():
        per_movement = Counter(primary[g] for g in groups)
        present = sorted(per_movement)
        for i, a in enumerate(present):
            if per_movement[a] >= 2:
                counts[(a, a)] += 1
            for b in present[i + 1 :]:
                counts[(a, b)] += 1
    return counts


def _shared_item_table(
    mapping: Mapping[Hashable, Iterable[Hashable]],
    primary: Mapping[Hashable, Any],
    position: Mapping[Any, int],
) -> np.ndarray:
    """:func:`_shared_items` as an upper-triangular movements x movements array."""
    size = len(position)
    item_index: dict[Hashable, int] = {}
    group_index: dict[Hashable, int] = {}
    items: list[int] = []
    groups: list[int] = []
    for group, linked in mapping.items():
        m = primary.get(group)
        if m is None:
            continue
        g = group_index.setdefault(group, len(group_index))
        for item in linked:
            items.append(item_index.setdefault(item, len(item_index)))
            groups.append(g)
    table = np.zeros((size, size), dtype=np.int64)
    if not items:
        return table
    code_of_group = np.empty(len(group_index), dtype=np.int64)
    for group, g in group_index.items():
        code_of_group[g] = position[primary[group]]
    pairs = np.unique(np.array(items, dtype=np.int64) * len(group_index) + np.array(groups))
    item, group = np.divmod(pairs, len(group_index))
    # per item and movement: how many of its groups are in that movement
    keys, per = np.unique(item * size + code_of_group[group], return_counts=True)
    item, code = np.divmod(keys, size)
    np.add.at(table, (code[per >= 2], code[per >= 2]), 1)
    # keys are sorted by item, then movement: pair each with the later ones of its item
    for step in range(1, size):
        same = item[step:] == item[:-step]
        np.add.at(table, (code[:-step][same], code[step:][same]), 1)
    return table


def _modularity(
    G: nx.Graph, block_of: Mapping[Hashable, Hashable], weight: str | None
) -> float | None:
    """Weighted modularity of the partition ``node -> block``; None without weight."""
    if G.size(weight=weight) == 0:
        return None
    blocks: defaultdict[Hashable, set[Hashable]] = defaultdict(set)
    for u in G:
        blocks[block_of[u]].add(u)
    return float(nx.community.modularity(G, blocks.values(), weight=weight))
