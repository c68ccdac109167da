"""Burt's structural holes: constraint and effective size."""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

from graph._fast import triangles
from graph._fast.arrays import arrays_for
from graph.metrics._common import by_node, edge_weight, implementation, shared_parameters

__all__ = [
    "structural_holes",
]


@shared_parameters
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
    %(G, weight, backend)s

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
    return implementation(G, backend, _structural_holes_fast, _structural_holes_networkx)(G, weight)


def _structural_holes_fast(G, weight):
    arrays = arrays_for(G, weight)
    constraint, effective = triangles.structural_holes(arrays)
    return by_node(arrays, constraint), by_node(arrays, effective)


def _structural_holes_networkx(
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
        u: {v: edge_weight(data, weight) for v, data in nbrs.items() if v != u}
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
