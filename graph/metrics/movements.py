"""How each group's ties cross movements: participation, E-I index, brokerage roles."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable

import networkx as nx

from graph._fast import movements, triangles
from graph._fast.arrays import arrays_for
from graph.metrics._common import (
    by_node,
    edge_weight,
    implementation,
    movement_codes,
    movement_keys,
    shared_parameters,
)

__all__ = [
    "participation_coefficient",
    "ei_index",
    "brokerage",
]


@shared_parameters
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
    %(G, movement, weight, backend)s

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
    run = implementation(G, backend, _participation_fast, _participation_networkx)
    return run(G, movement, weight)


def _participation_fast(G, movement, weight):
    arrays = arrays_for(G, weight)
    return by_node(arrays, movements.participation(arrays, movement_codes(G, movement)))


def _participation_networkx(G, movement, weight):
    key = movement_keys(G, movement)
    result: dict[Hashable, float | None] = {}
    for u, nbrs in G.adj.items():
        if not nbrs:
            result[u] = 0.0
            continue
        shares: defaultdict[Hashable, float] = defaultdict(float)
        for v, data in nbrs.items():
            shares[key[v]] += edge_weight(data, weight)
        total = sum(shares.values())
        if total == 0:
            result[u] = None
            continue
        result[u] = max(0.0, 1.0 - sum((k / total) ** 2 for k in shares.values()))
    return result


@shared_parameters
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
    %(G, movement, backend)s

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
    return implementation(G, backend, _ei_index_fast, _ei_index_networkx)(G, movement)


def _ei_index_fast(G, movement):
    arrays = arrays_for(G, None)
    return by_node(arrays, movements.ei_index(arrays, movement_codes(G, movement)))


def _ei_index_networkx(G, movement):
    key = movement_keys(G, movement)
    result: dict[Hashable, float | None] = {}
    for u, nbrs in G.adj.items():
        if not nbrs:
            result[u] = None
            continue
        internal = sum(1 for v in nbrs if key[v] == key[u])
        external = len(nbrs) - internal
        result[u] = (external - internal) / (external + internal)
    return result


@shared_parameters
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
    %(G, movement)s
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
    return implementation(G, backend, _brokerage_fast, _brokerage_networkx)(G, movement)


def _brokerage_fast(G, movement):
    arrays = arrays_for(G, None)
    return roles_by_node(arrays, triangles.brokerage(arrays, movement_codes(G, movement)))


def roles_by_node(arrays, roles) -> dict[Hashable, dict[str, int]]:
    """Node -> ``{role: count}`` from the fast backend's role table."""
    return {
        u: dict(zip(triangles.ROLES, counts, strict=True))
        for u, counts in zip(arrays.nodes, roles.tolist(), strict=True)
    }


def _brokerage_networkx(G, movement):
    key = movement_keys(G, movement)
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


def _role(mb: Hashable, ma: Hashable, mc: Hashable) -> str:
    """Gould-Fernandez role of broker movement ``mb`` between ``ma`` and ``mc``."""
    if ma == mc:
        return "coordinator" if ma == mb else "consultant"
    if mb in (ma, mc):
        return "representative"
    return "liaison"
