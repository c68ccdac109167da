"""The suite: every per-group metric in one table, and the whole network's figures."""

from __future__ import annotations

import logging
import time
from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx
import numpy as np

from graph._fast import communities as fast_communities
from graph._fast import cuts, movements, spectral, traversals, triangles
from graph._fast.arrays import Arrays, arrays_for
from graph.errors import UsageError
from graph.metrics._common import (
    DEFAULT_SEED,
    by_node,
    codes_of,
    implementation,
    movement_codes,
    movement_keys,
    number_communities,
    shared_parameters,
)
from graph.metrics.centrality import (
    DEFAULT_SAMPLES,
    EXACT_MAX,
    betweenness_plan,
    eigenvector,
    pagerank_networkx,
    pagerank_stopping,
)
from graph.metrics.communities import _louvain_fast, louvain, modularity
from graph.metrics.movements import brokerage, ei_index, participation_coefficient, roles_by_node
from graph.metrics.structural_holes import structural_holes

log = logging.getLogger(__name__)

__all__ = [
    "group_metrics",
    "network_summary",
    "GROUP_COLUMNS",
    "GROUP_METRICS",
    "SUMMARY_KEYS",
]

#: What describes a group in every per-group table, before its metrics.
GROUP_KEYS: tuple[str, ...] = ("group_id", "name", "primary_movement", "movements")
#: The per-group metrics, in output order.
GROUP_METRICS: tuple[str, ...] = (
    "degree",
    "strength",
    "betweenness",
    "closeness",
    "pagerank",
    "eigenvector",
    "constraint",
    "effective_size",
    "participation",
    "ei_index",
    "brokerage_coordinator",
    "brokerage_consultant",
    "brokerage_representative",
    "brokerage_liaison",
    "community",
    "articulation_point",
)
#: The columns of :func:`group_metrics` and of ``group_metrics.csv``, in order.
GROUP_COLUMNS: tuple[str, ...] = GROUP_KEYS + GROUP_METRICS
#: The keys of :func:`network_summary`, in order.
SUMMARY_KEYS: tuple[str, ...] = (
    "groups",
    "ties",
    "density",
    "components",
    "movement_modularity",
    "louvain_modularity",
    "cross_movement_tie_share",
)


@shared_parameters
def group_metrics(
    G: nx.Graph,
    *,
    weight: str | None = "weight",
    movement: str | None = "primary_movement",
    exact_max: int = EXACT_MAX,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    backend: str = "fast",
    workers: int | None = None,
    arrays: Arrays | None = None,
) -> tuple[dict[Hashable, dict[str, Any]], dict[str, Any]]:
    """Every per-group metric in one table.

    Parameters
    ----------
    %(G, weight, movement)s
    exact_max, samples, seed : int, optional
        Passed to :func:`betweenness`; ``seed`` also seeds :func:`louvain`.
    backend : {"fast", "networkx"}, optional
        Implementation of every metric (see the module notes). The fast
        backend converts ``G`` into arrays once and shares them.
    workers : int or None, optional
        Processes the fast backend may use for betweenness and closeness;
        ``None`` uses every CPU when the graph is large, 1 never starts a
        process.
    arrays : optional
        ``G`` already converted (:meth:`graph.projection.Ties.arrays`, weighted
        by ``weight``), so the fast backend does not convert it again.

    Returns
    -------
    rows : dict
        Node -> a dict with exactly the keys of :data:`GROUP_COLUMNS`, in
        that order: ``group_id``, ``name``, ``primary_movement``,
        ``movements`` (the node's movement list joined with ``;``), then
        the metrics.
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
    run = implementation(G, backend, _group_metrics_fast, _group_metrics_networkx)
    k, info = betweenness_plan(G, exact_max=exact_max, samples=samples, seed=seed)
    columns = run(
        G, weight=weight, movement=movement, k=k, seed=seed, workers=workers, arrays=arrays
    )
    rows: dict[Hashable, dict[str, Any]] = {}
    for u, data in G.nodes(data=True):
        rows[u] = {
            "group_id": u,
            "name": data.get("name"),
            "primary_movement": data.get(movement) if movement is not None else None,
            "movements": ";".join(str(m) for m in data.get("movements") or ()),
            **{metric: columns[metric][u] for metric in GROUP_METRICS},
        }
    return rows, info


def _group_metrics_networkx(G, *, weight, movement, k, seed, workers, arrays):
    """Each column of :func:`group_metrics` from networkx: column -> node -> value."""
    between = (
        nx.betweenness_centrality(G) if k is None else nx.betweenness_centrality(G, k=k, seed=seed)
    )
    constraint, effective_size = structural_holes(G, weight=weight, backend="networkx")
    roles = brokerage(G, movement=movement, backend="networkx")
    articulation = set(nx.articulation_points(G))
    return {
        "degree": dict(G.degree()),
        "strength": {u: float(s) for u, s in G.degree(weight=weight)},
        "betweenness": between,
        "closeness": nx.closeness_centrality(G),
        "pagerank": pagerank_networkx(G, weight=weight) if len(G) else {},
        "eigenvector": eigenvector(G, weight=weight, backend="networkx"),
        "constraint": constraint,
        "effective_size": effective_size,
        "participation": participation_coefficient(
            G, movement=movement, weight=weight, backend="networkx"
        ),
        "ei_index": ei_index(G, movement=movement, backend="networkx"),
        **_role_columns(roles),
        "community": louvain(G, weight=weight, seed=seed, backend="networkx"),
        "articulation_point": {u: u in articulation for u in G},
    }


def _group_metrics_fast(G, *, weight, movement, k, seed, workers, arrays):
    """Each column of :func:`group_metrics` from :mod:`graph._fast`, on one conversion.

    Betweenness and closeness start first (in worker processes when the
    graph is large) and are collected last, so the other metrics are
    computed while they run. Each step's time is logged at DEBUG level.
    """
    clock = _Clock()
    arrays = arrays_for(G, weight, arrays)
    codes = movement_codes(G, movement)
    clock.lap("convert")
    # search groups of one movement together, the best connected first
    order = np.lexsort((-arrays.degree, codes))
    job = traversals.traversals(arrays, samples=k, seed=seed, workers=workers, order=order)
    clock.lap(f"start betweenness and closeness ({job.workers} worker processes)")
    columns: dict[str, dict[Hashable, Any]] = {}
    try:
        columns["degree"] = by_node(arrays, arrays.degree + 2 * arrays.loops)  # a loop counts twice
        strength = np.asarray(arrays.matrix.sum(axis=1)).ravel() + arrays.loop_weight
        columns["strength"] = by_node(arrays, strength)
        clock.lap("degree and strength")
        stopping = pagerank_stopping(arrays.n)
        columns["pagerank"] = (
            by_node(arrays, spectral.pagerank(arrays, **stopping)) if arrays.n else {}
        )
        clock.lap("pagerank")
        columns["eigenvector"] = by_node(arrays, spectral.eigenvector(arrays.matrix))
        clock.lap("eigenvector")
        constraint, effective_size = triangles.structural_holes(arrays)
        columns["constraint"] = by_node(arrays, constraint)
        columns["effective_size"] = by_node(arrays, effective_size)
        clock.lap("structural holes (with the triangle listing)")
        columns.update(_role_columns(roles_by_node(arrays, triangles.brokerage(arrays, codes))))
        arrays.cache.pop("triangles", None)  # not needed any more
        clock.lap("brokerage")
        columns["participation"] = by_node(arrays, movements.participation(arrays, codes))
        columns["ei_index"] = by_node(arrays, movements.ei_index(arrays, codes))
        clock.lap("participation and E-I index")
        if arrays.matrix.data.sum() + arrays.loop_weight.sum() == 0:  # G.size(weight) == 0
            columns["community"] = louvain(G, weight=weight, seed=seed)
        else:
            blocks = _louvain_fast(G, weight, seed, arrays)
            columns["community"] = number_communities(G, blocks)
        clock.lap("louvain")
        cut = {arrays.nodes[i] for i in cuts.articulation_points(arrays).tolist()}
        columns["articulation_point"] = {u: u in cut for u in G}
        clock.lap("articulation points")
        columns["betweenness"] = by_node(arrays, job.betweenness())
        columns["closeness"] = by_node(arrays, job.closeness())
        clock.lap("wait for betweenness and closeness")
        if job.worker_peaks_mb:
            peaks = ", ".join(f"{mb:.0f}" for mb in job.worker_peaks_mb)
            log.debug("group_metrics: worker peak memory %s MB", peaks)
    finally:
        job.cancel()
    return columns


def _role_columns(roles: Mapping[Hashable, Mapping[str, int]]) -> dict[str, dict[Hashable, int]]:
    """``{node: {role: n}}`` as the four ``brokerage_<role>`` columns."""
    names = ("coordinator", "consultant", "representative", "liaison")
    return {f"brokerage_{r}": {u: counts[r] for u, counts in roles.items()} for r in names}


class _Clock:
    """Log the time each step took, at DEBUG level."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        log.debug("group_metrics: %s took %.3f s", step, now - self.last)
        self.last = now


@shared_parameters
def network_summary(
    G: nx.Graph,
    *,
    movement: str | None = "primary_movement",
    weight: str | None = "weight",
    seed: int = DEFAULT_SEED,
    communities: Mapping[Hashable, Hashable] | None = None,
    backend: str = "fast",
    arrays: Arrays | None = None,
) -> dict[str, Any]:
    """Whole-network figures of the coalition.

    Parameters
    ----------
    %(G, movement, weight)s
    seed : int, optional
        Seed of :func:`louvain` when ``communities`` is not given.
    communities : mapping, optional
        Node -> community id, as returned by :func:`louvain`, to avoid
        computing it twice. It must cover every group.
    backend : {"fast", "networkx"}, optional
        Implementation; both give the same figures for the same communities
        (see the module notes).
    arrays : optional
        ``G`` already converted (:meth:`graph.projection.Ties.arrays`, weighted
        by ``weight``), so the fast backend does not convert it again.

    Returns
    -------
    dict
        The keys of :data:`SUMMARY_KEYS`: ``groups`` and ``ties`` (numbers
        of nodes and edges), ``density``
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
    run = implementation(G, backend, _summary_fast, _summary_networkx)
    if communities is None:
        communities = louvain(G, weight=weight, seed=seed, backend=backend)
    missing = [u for u in G if u not in communities]
    if missing:
        raise UsageError(f"communities do not cover group {missing[0]!r}")
    ties = G.number_of_edges()
    crossing, components, movement_q, louvain_q = run(G, movement, weight, communities, arrays)
    return {
        "groups": G.number_of_nodes(),
        "ties": ties,
        "density": nx.density(G),
        "components": components,
        "movement_modularity": movement_q,
        "louvain_modularity": louvain_q,
        "cross_movement_tie_share": crossing / ties if ties else None,
    }


def _summary_fast(G, movement, weight, communities, arrays):
    arrays = arrays_for(G, weight, arrays)
    codes = movement_codes(G, movement)
    u, v, _ = arrays.edges
    crossing = int(np.count_nonzero(codes[u] != codes[v]))
    blocks = codes_of([communities[x] for x in arrays.nodes])
    components = int(arrays.components.max(initial=-1)) + 1
    return (
        crossing,
        components,
        fast_communities.modularity(arrays, codes),
        fast_communities.modularity(arrays, blocks),
    )


def _summary_networkx(G, movement, weight, communities, arrays):
    key = movement_keys(G, movement)
    crossing = sum(1 for a, b in G.edges() if key[a] != key[b])
    components = nx.number_connected_components(G)
    return crossing, components, modularity(G, key, weight), modularity(G, communities, weight)
