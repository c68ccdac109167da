"""Fragmentation: what breaks when groups leave (Borgatti 2006)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Hashable, Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np

from graph._fast import cuts
from graph._fast.arrays import arrays_for
from graph.errors import NotFound, UsageError
from graph.metrics._common import (
    implementation,
    primary_movements,
    require_simple_undirected,
    shared_parameters,
)

__all__ = [
    "fragmentation",
    "whatif",
    "whatif_arrays",
    "fragmentation_ranking",
]


def fragmentation(G: nx.Graph) -> float | None:
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
    float or None
        0.0 for a connected graph, 1.0 when no two groups are tied; None
        (undefined, an empty cell in written tables) for fewer than two groups.

    Notes
    -----
    A graph with fewer than two groups has no pairs, so the share of pairs
    that cannot meet is undefined: None, never an invented 0.0 (DESIGN.md).
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
    require_simple_undirected(G)
    reachable = sum(len(c) * (len(c) - 1) for c in nx.connected_components(G))
    return _fragmentation(G.number_of_nodes(), reachable)


@shared_parameters
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
    %(G)s
    remove : iterable of node, or a single str
        Ids of the groups that leave. A single string is one id; repeated
        ids count once.
    %(movement)s
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
        groups; None when fewer than two groups are left), ``lost_movement_pairs`` (sorted list of
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
    Removing every group, or all but one, leaves fragmentation undefined
    (None). Groups without a movement are not part of any movement pair.

    References
    ----------
    .. [1] Borgatti (2006), as cited in :func:`fragmentation`.

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
    return implementation(G, backend, _whatif_fast, _whatif_networkx)(G, remove, movement)


def _whatif_fast(G, remove, movement):
    arrays = arrays_for(G, None)
    u, v, _ = arrays.edges
    primary = primary_movements(G, movement)
    movements = sorted({m for m in primary.values() if m is not None})
    code = {m: i for i, m in enumerate(movements)}
    codes = np.array([code.get(primary[x], -1) for x in arrays.nodes], dtype=np.int64)
    return whatif_arrays(arrays.nodes, u, v, codes, movements, remove)


def _whatif_networkx(G, remove, movement):
    removed = _removed(remove, G)
    gone = set(removed)
    remaining = G.subgraph([u for u in G if u not in gone])
    primary = primary_movements(G, movement)
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
    result = cuts.whatif(
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


@shared_parameters
def fragmentation_ranking(G: nx.Graph, *, top: int | None = None) -> list[dict[str, Any]]:
    """Rank the groups by how much the coalition fragments without them.

    Parameters
    ----------
    %(G)s
    top : int or None, optional
        Keep only the first ``top`` rows; ``None`` keeps all.

    Returns
    -------
    list of dict
        One ``{"group_id", "name", "fragmentation", "components"}`` per
        group: the :func:`fragmentation` of the graph without that single
        group (None when that leaves fewer than two groups) and its number
        of connected components. Sorted by
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
    .. [1] Borgatti (2006), as cited in :func:`fragmentation`.
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
    require_simple_undirected(G)
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


def _fragmentation(n: int, reachable_pairs: int) -> float | None:
    """Fragmentation of ``n`` nodes of which ``reachable_pairs`` ordered pairs connect."""
    if n < 2:
        return None
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
