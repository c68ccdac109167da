"""What every metric module shares: backends, graph checks, node keys and codes."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np

from graph._fast.arrays import Arrays
from graph.errors import UsageError

#: The implementations every metric with a ``backend`` keyword offers.
BACKENDS = ("fast", "networkx")
#: The seed of every random choice unless told otherwise (betweenness samples, Louvain's
#: visiting order, the dashboard's layout), so the same data give the same numbers.
DEFAULT_SEED = 42


def implementation(G: nx.Graph, backend: str, fast: Callable, networkx: Callable) -> Callable:
    """The implementation ``backend`` names, once ``G`` is known to be simple and undirected."""
    require_simple_undirected(G)
    if backend not in BACKENDS:
        raise UsageError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    return fast if backend == "fast" else networkx


def require_simple_undirected(G: nx.Graph) -> None:
    if G.is_directed() or G.is_multigraph():
        raise nx.NetworkXNotImplemented(
            "coalition metrics need a simple undirected graph, not a directed graph or a multigraph"
        )


def by_node(arrays: Arrays, values: np.ndarray) -> dict[Hashable, Any]:
    """Node -> plain Python value; NaN (undefined) becomes None."""
    out = values.tolist()
    if values.dtype.kind == "f":
        out = [None if x != x else x for x in out]
    return dict(zip(arrays.nodes, out, strict=True))


def codes_of(values: Iterable[Hashable]) -> np.ndarray:
    """Equal values -> equal small integers, in order of first appearance."""
    seen: dict[Hashable, int] = {}
    return np.fromiter((seen.setdefault(v, len(seen)) for v in values), dtype=np.int64)


def movement_codes(G: nx.Graph, movement: str | None) -> np.ndarray:
    """:func:`movement_keys` as integers in node order, for :mod:`graph._fast`."""
    return codes_of(movement_keys(G, movement).values())


def blocks_of(nodes: list[Hashable], membership: np.ndarray) -> list[set[Hashable]]:
    blocks: defaultdict[int, set[Hashable]] = defaultdict(set)
    for u, block in zip(nodes, membership.tolist(), strict=True):
        blocks[block].add(u)
    return list(blocks.values())


def primary_movements(G: nx.Graph, movement: str | None) -> dict[Hashable, Any]:
    """Node -> its primary movement, or None."""
    if movement is None:
        return dict.fromkeys(G)
    return {u: data.get(movement) for u, data in G.nodes(data=True)}


def movement_keys(G: nx.Graph, movement: str | None) -> dict[Hashable, tuple[str, Any]]:
    """Node -> a comparable movement key; a missing movement is unique to its node."""
    return {
        u: ("movement", value) if value is not None else ("none", u)
        for u, value in primary_movements(G, movement).items()
    }


def edge_weight(data: Mapping[str, Any], weight: str | None) -> float:
    return 1 if weight is None else data.get(weight, 1)


def number_communities(G: nx.Graph, communities: Iterable[set[Hashable]]) -> dict[Hashable, int]:
    """Node -> community id: 0, 1, ... by decreasing size, ties broken by the smallest group id."""
    ranked = sorted(communities, key=lambda c: (-len(c), min(c)))
    cid = {u: i for i, members in enumerate(ranked) for u in members}
    return {u: cid[u] for u in G}


#: The parameters most metrics share, as every docstring describes them.
SHARED_PARAMETERS: dict[str, str] = {
    "G": "G : networkx.Graph\n    The coalition graph.",
    "weight": "weight : str or None, optional\n"
    "    Edge attribute holding the tie weight; ``None`` counts every tie as 1.",
    "movement": "movement : str, optional\n    Node attribute holding the primary movement.",
    "backend": 'backend : {"fast", "networkx"}, optional\n'
    "    Implementation; both give the same values (see the module notes).",
    "events": "events : iterable of tuple\n    As :func:`solidarity_events` returns them.",
    "flows": "flows : iterable of dict\n    As :func:`solidarity_flows` returns them.",
}
_SHARED_LINE = re.compile(r"^( *)%\(([\w, ]+)\)s$", re.M)


def shared_parameters(func: Callable) -> Callable:
    """Write out the ``%(G, weight)s`` lines of ``func``'s docstring from :data:`SHARED_PARAMETERS`.

    One text per shared parameter (as SciPy's ``doccer`` does), so every metric
    describes ``G``, ``weight``, ``movement`` and ``backend`` the same way.

    >>> @shared_parameters
    ... def f(G):
    ...     '''Parameters
    ...     ----------
    ...     %(G)s
    ...     '''
    >>> print(f.__doc__.splitlines()[2:4])
    ['    G : networkx.Graph', '        The coalition graph.']
    """

    def fill(match: re.Match) -> str:
        indent = match.group(1)
        names = [name.strip() for name in match.group(2).split(",")]
        text = "\n".join(SHARED_PARAMETERS[name] for name in names)
        return "\n".join(indent + line for line in text.splitlines())

    if func.__doc__:
        func.__doc__ = _SHARED_LINE.sub(fill, func.__doc__)
    return func
