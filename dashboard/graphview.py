"""The network page's pure views at any size: the coalition graph as arrays, and three drawings.

A browser draws a few thousand Cytoscape elements before it stalls, and the
coalition graph may have 10,000 groups and 400,000 ties. So:

- :class:`NetworkIndex` holds the coalition graph as numpy arrays, built once
  per date window; :meth:`NetworkIndex.select` applies the page's filters
  (tie types, minimum weight, movements, ego view) in milliseconds and
  returns a :class:`Selection` — the same groups and ties as
  :func:`dashboard.views.filter_graph`, which stays the readable reference.
- :func:`network_view` draws a selection one of three ways: **groups**
  (Cytoscape; above :data:`ELEMENT_LIMIT` elements it says so and draws only
  the largest groups and the strongest ties between them), **movements**
  (one node per movement, ties between movements counted) or **points**
  (every group as a point of one Plotly scatter, with the strongest ties).

Nothing here reads the store or the request. Member counts never enter an
element: ties are drawn with banded widths (:func:`dashboard.views.edge_width`)
and the movement view counts groups and ties, not people.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import plotly.graph_objects as go
from dash import html
from scipy import sparse

from graph._fast.cuts import components_kept
from graph.errors import NotFound
from graph.metrics import whatif_arrays
from graph.projection import Ties

from .views import (
    NO_MOVEMENT,
    SIZE_METRICS,
    TIE_ATTRS,
    TIE_TYPES,
    legend,
    movement_styles,
    network_elements,
    plotly_text,
)

__all__ = [
    "ELEMENT_LIMIT",
    "NODE_BUDGET",
    "POINT_EDGES",
    "VIEWS",
    "NetworkIndex",
    "Selection",
    "movement_ei",
    "pair_groups",
    "whatif",
    "size_values",
    "network_view",
]

#: The most Cytoscape elements (groups + ties) the network page draws at once.
ELEMENT_LIMIT = 1500
#: Over the limit, the groups view draws at most this many groups (the largest).
NODE_BUDGET = 400
#: The most ties drawn under the points of the points view.
POINT_EDGES = 4000
#: Search matches that are drawn even when the groups view is trimmed.
MATCHES_KEPT = 50
#: The ways to draw a selection, as in the URL, and their labels.
VIEWS: dict[str, str] = {
    "groups": "Groups",
    "movements": "Movements as nodes",
    "points": "All groups as points",
}
#: Cytoscape shapes and the Plotly marker symbols that look like them.
SYMBOLS = {
    "ellipse": "circle",
    "round-rectangle": "square",
    "triangle": "triangle-up",
    "diamond": "diamond",
    "hexagon": "hexagon",
    "star": "star",
}


@dataclass(frozen=True)
class Selection:
    """Groups and ties a network view shows: boolean masks over a :class:`NetworkIndex`.

    ``shown`` is each tie's weight over the chosen tie types (as
    ``shown_weight`` of :func:`dashboard.views.filter_graph`).
    """

    nodes: np.ndarray
    edges: np.ndarray
    shown: np.ndarray
    focus: int | None = None

    @property
    def n_nodes(self) -> int:
        return int(self.nodes.sum())

    @property
    def n_edges(self) -> int:
        return int(self.edges.sum())


class NetworkIndex:
    """The coalition graph as arrays: nodes in id order, each tie once with its counts.

    Attributes
    ----------
    G : networkx.Graph
        The graph indexed (node data are read from it when drawing).
    nodes : list
        Group ids, sorted as text; a group's index is its place here.
    movement_ids : list
        Every movement of a group, sorted; ``primary`` holds codes into it (-1: none).
    u, v : numpy.ndarray
        Each tie's two groups (``u < v``), ties sorted by ``(u, v)``.
    counts : dict
        Per tie type (``members``, ``actions``, ``resources``), each tie's count.
    degree, strength : numpy.ndarray
        Per group, over the whole graph.
    """

    def __init__(self, G: nx.Graph):
        nodes = sorted(G, key=str)
        position = {node: i for i, node in enumerate(nodes)}
        m = G.number_of_edges()
        u = np.empty(m, np.int64)
        v = np.empty(m, np.int64)
        columns = {t: np.zeros(m, np.int64) for t in TIE_TYPES}
        weight = np.zeros(m, np.float64)
        for k, (a, b, d) in enumerate(G.edges(data=True)):
            i, j = position[a], position[b]
            u[k], v[k] = (i, j) if i <= j else (j, i)
            for t in TIE_TYPES:
                columns[t][k] = int(d.get(TIE_ATTRS[t], 0) or 0)
            weight[k] = float(d.get("weight", 1) or 0)
        order = np.lexsort((v, u))
        self._setup(
            nodes,
            [dict(G.nodes[node]) for node in nodes],
            u[order],
            v[order],
            {t: c[order] for t, c in columns.items()},
            weight[order],
        )

    @classmethod
    def from_ties(cls, ties: Ties) -> NetworkIndex:
        """The index of ``ties.graph()``, built from the arrays (no networkx graph needed)."""
        index = cls.__new__(cls)
        columns = {t: ties.counts[:, Ties.COLUMNS.index(TIE_ATTRS[t])] for t in TIE_TYPES}
        if ties.groups != sorted(ties.groups, key=str):  # as __init__ orders the nodes
            raise ValueError("Ties.groups must be sorted as text")
        index._setup(list(ties.groups), list(ties.node_data), ties.u, ties.v, columns, ties.weight)
        return index

    def _setup(self, nodes, data, u, v, columns, weight) -> None:
        self.nodes: list = nodes
        self.position = {node: i for i, node in enumerate(self.nodes)}
        n = len(self.nodes)
        self._data = data
        memberships = [list(d.get("movements") or []) for d in data]
        primaries = [d.get("primary_movement") for d in data]
        self.movement_ids = sorted(
            {m for ms in memberships for m in ms} | {p for p in primaries if p}
        )
        self.code = {m: i for i, m in enumerate(self.movement_ids)}
        self.primary = np.array([self.code.get(p, -1) if p else -1 for p in primaries], np.int64)
        self.in_movement = np.zeros((n, max(1, len(self.movement_ids))), dtype=bool)
        for i, ms in enumerate(memberships):
            for m in ms:
                self.in_movement[i, self.code[m]] = True
        self.names = [str(d.get("name") or node) for node, d in zip(self.nodes, data, strict=True)]
        self._folded = [
            (name.casefold(), str(node).casefold())
            for node, name in zip(self.nodes, self.names, strict=True)
        ]
        m = len(u)
        self.u, self.v = np.asarray(u, np.int64), np.asarray(v, np.int64)
        self.counts = {t: np.asarray(c, np.int64) for t, c in columns.items()}
        self.weight = np.asarray(weight, np.float64)
        self.degree = np.bincount(self.u, minlength=n) + np.bincount(self.v, minlength=n)
        self.strength = np.bincount(self.u, self.weight, minlength=n) + np.bincount(
            self.v, self.weight, minlength=n
        )
        self.components = components_kept(n, self.u, self.v)[0]
        # Each group's ties, as a sparse matrix holding tie index + 1.
        ids = np.arange(1, m + 1, dtype=np.int64)
        self._adjacency = sparse.csr_matrix(
            (
                np.concatenate([ids, ids]),
                (np.concatenate([self.u, self.v]), np.concatenate([self.v, self.u])),
            ),
            shape=(n, n),
        )

    def node_data(self, i: int) -> dict:
        """Group ``i``'s node attributes (``name``, ``movements``, ``primary_movement``...)."""
        return self._data[i]

    def cross_count(self) -> int:
        """Ties whose two groups have different primary movements (none is its own)."""
        pu, pv = self.primary[self.u], self.primary[self.v]
        return int(np.count_nonzero((pu != pv) | (pu < 0) | (pv < 0)))

    def cross_share(self) -> float | None:
        """The share of ties whose two groups have different primary movements (None: no ties).

        As ``cross_movement_tie_share`` of :func:`graph.metrics.network_summary`:
        a group without a movement is a movement of its own.
        """
        return self.cross_count() / len(self.u) if len(self.u) else None

    def __len__(self) -> int:
        return len(self.nodes)

    def select(
        self,
        *,
        ties: Iterable[str] = TIE_TYPES,
        min_weight: float = 0,
        movements: Iterable[str] | None = None,
        focus: str | None = None,
        hops: int = 1,
    ) -> Selection:
        """The groups and ties :func:`dashboard.views.filter_graph` keeps, as masks.

        Raises
        ------
        graph.errors.NotFound
            If ``focus`` is not a group of the graph.
        """
        chosen = set(ties)
        shown = np.zeros(len(self.u), np.int64)
        for t in TIE_TYPES:
            if t in chosen:
                shown += self.counts[t]
        edges = (shown > 0) & (shown >= min_weight)
        keep = np.ones(len(self.nodes), dtype=bool)
        f = None
        if focus:
            if focus not in self.position:
                raise NotFound(f"no group with id {focus!r} in this window")
            f = self.position[focus]
            keep = self._reach(f, edges, max(1, int(hops)))
        wanted = set(movements or ())
        if wanted:
            columns = [self.code[m] for m in sorted(wanted) if m in self.code]
            in_any = (
                self.in_movement[:, columns].any(axis=1)
                if columns
                else np.zeros(len(self.nodes), dtype=bool)
            )
            if f is not None:
                in_any[f] = True
            keep &= in_any
        edges &= keep[self.u] & keep[self.v]
        return Selection(keep, edges, shown, f)

    def _reach(self, start: int, edges: np.ndarray, hops: int) -> np.ndarray:
        """Groups within ``hops`` of ``start`` over the ties in ``edges``."""
        reach = np.zeros(len(self.nodes), dtype=bool)
        reach[start] = True
        frontier = np.array([start])
        for _ in range(hops):
            rows = self._adjacency[frontier]
            usable = edges[rows.data - 1]
            found = np.unique(rows.indices[usable])
            found = found[~reach[found]]
            if not len(found):
                break
            reach[found] = True
            frontier = found
        return reach

    def matches(self, term: str) -> np.ndarray:
        """Indices of groups whose name or id contains ``term`` (case-insensitive)."""
        term = (term or "").strip().casefold()
        if not term:
            return np.zeros(0, np.int64)
        return np.array(
            [i for i, (name, gid) in enumerate(self._folded) if term in name or term in gid],
            dtype=np.int64,
        )

    def subgraph(self, nodes: np.ndarray, edges: np.ndarray, shown: np.ndarray) -> nx.Graph:
        """A networkx graph of the groups ``nodes`` and the ties ``edges`` (index arrays)."""
        H = nx.Graph()
        H.add_nodes_from((self.nodes[i], self._data[i]) for i in nodes.tolist())
        for k in edges.tolist():
            attrs = {TIE_ATTRS[t]: int(self.counts[t][k]) for t in TIE_TYPES}
            H.add_edge(
                self.nodes[self.u[k]],
                self.nodes[self.v[k]],
                **attrs,
                weight=float(self.weight[k]),
                shown_weight=int(shown[k]),
            )
        return H


def whatif(index: NetworkIndex, remove: Iterable[str]) -> dict[str, Any]:
    """:func:`graph.metrics.whatif` on the index (:func:`graph.metrics.whatif_arrays`).

    Raises
    ------
    graph.errors.NotFound
        If an id is not a group of the graph.
    """
    return whatif_arrays(index.nodes, index.u, index.v, index.primary, index.movement_ids, remove)


def movement_ei(index: NetworkIndex) -> dict[str, dict[str, Any]]:
    """Each movement's ties inside and outside, and its E–I index, per tie type.

    For every primary movement: ``groups``, and for each of ``ties`` (any
    tie), ``shared_members``, ``joint_actions`` and ``shared_resources`` (ties
    of that kind) the number of ties between two of its groups (internal,
    ``I``), between one of its groups and a group of another movement
    (external, ``E``) and the E–I index ``(E − I) / (E + I)`` (Krackhardt &
    Stern 1988), None without ties. Ties are pairs of groups, never member
    counts.
    """
    k = len(index.movement_ids)
    pu, pv = index.primary[index.u], index.primary[index.v]
    both = (pu >= 0) & (pv >= 0)
    kinds = {"ties": np.ones(len(index.u), dtype=bool)}
    kinds.update({TIE_ATTRS[t]: index.counts[t] > 0 for t in TIE_TYPES})
    groups = np.bincount(index.primary[index.primary >= 0], minlength=k)
    out: dict[str, dict[str, Any]] = {
        m: {"groups": int(groups[i])} for i, m in enumerate(index.movement_ids) if groups[i]
    }
    for kind, mask in kinds.items():
        same = mask & both & (pu == pv)
        cross = mask & both & (pu != pv)
        internal = np.bincount(pu[same], minlength=k)
        external = np.bincount(pu[cross], minlength=k) + np.bincount(pv[cross], minlength=k)
        for i, m in enumerate(index.movement_ids):
            if m not in out:
                continue
            e, n_i = int(external[i]), int(internal[i])
            out[m][kind] = {
                "internal": n_i,
                "external": e,
                "ei": (e - n_i) / (e + n_i) if e + n_i else None,
            }
    return out


def pair_groups(index: NetworkIndex, a: str, b: str, *, tie: str = "ties") -> dict[str, Any]:
    """The groups behind one cell of the movement matrix: who makes the links between a and b.

    Ties of kind ``tie`` (``ties`` for any; else ``shared_members``,
    ``joint_actions`` or ``shared_resources``) between a group of primary
    movement ``a`` and one of ``b`` (for ``a == b``, between two groups of
    ``a``). Returns ``ties`` (how many) and ``sides``: for ``a`` and for
    ``b`` (once when equal), a list of ``(group id, ties)`` with how many of
    those ties each group has, most first. Counts of ties, never of members.
    """
    ca, cb = index.code.get(a, -2), index.code.get(b, -2)
    pu, pv = index.primary[index.u], index.primary[index.v]
    if tie == "ties":
        kind = np.ones(len(index.u), dtype=bool)
    else:
        column = {TIE_ATTRS[t]: t for t in TIE_TYPES}.get(tie)
        if column is None:
            raise ValueError(f"unknown tie type {tie!r}")
        kind = index.counts[column] > 0
    mask = kind & (((pu == ca) & (pv == cb)) | ((pu == cb) & (pv == ca)))
    ends = np.concatenate([index.u[mask], index.v[mask]])
    per_group = np.bincount(ends, minlength=len(index.nodes))
    sides: dict[str, list[tuple[str, int]]] = {}
    for movement, code in ((a, ca), (b, cb)):
        if movement in sides:
            continue
        members = np.flatnonzero((per_group > 0) & (index.primary == code))
        order = np.lexsort((members, -per_group[members]))
        sides[movement] = [(index.nodes[i], int(per_group[i])) for i in members[order].tolist()]
    return {"ties": int(mask.sum()), "sides": sides}


def size_values(
    index: NetworkIndex, size: str, metrics: Mapping[str, Mapping] | None
) -> np.ndarray:
    """Per group (index order), the metric the nodes are sized by; undefined is 0.

    ``degree`` and ``strength`` come from the graph itself; the others from
    ``metrics`` (group metric rows by id), which may then not be None.
    """
    if size == "degree":
        return index.degree.astype(np.float64)
    if size == "strength":
        return index.strength.astype(np.float64)
    if metrics is None:
        raise ValueError(f"sizing by {size!r} needs the group metrics")
    out = np.zeros(len(index.nodes), np.float64)
    for i, node in enumerate(index.nodes):
        value = (metrics.get(node) or {}).get(size)
        try:
            x = float(value) if value is not None else 0.0
        except (TypeError, ValueError):
            x = 0.0
        out[i] = x if x > 0 and math.isfinite(x) else 0.0
    return out


def _diameters(values: np.ndarray, top: float, smallest: float = 14, largest: float = 56):
    if top <= 0:
        return np.full(len(values), float(smallest))
    return np.round(smallest + (largest - smallest) * np.sqrt(values / top), 1)


def _strongest(index: NetworkIndex, edge_ids: np.ndarray, shown: np.ndarray, n: int) -> np.ndarray:
    """The ``n`` strongest of ``edge_ids`` (then by groups), in index order."""
    if len(edge_ids) <= n:
        return edge_ids
    order = np.lexsort((index.v[edge_ids], index.u[edge_ids], -shown[edge_ids]))
    return np.sort(edge_ids[order[:n]])


def _trim(
    index: NetworkIndex,
    selection: Selection,
    values: np.ndarray,
    *,
    keep: Sequence[int] = (),
    limit: int = ELEMENT_LIMIT,
    max_nodes: int = NODE_BUDGET,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Groups and ties to draw within ``limit`` elements: the largest, the strongest."""
    nodes = np.flatnonzero(selection.nodes)
    edge_ids = np.flatnonzero(selection.edges)
    if len(nodes) + len(edge_ids) <= limit:
        return nodes, edge_ids, False
    if len(nodes) > max_nodes:
        must = [i for i in dict.fromkeys(keep) if selection.nodes[i]][: max_nodes // 2]
        rest = nodes[~np.isin(nodes, must)]
        order = np.lexsort((rest, -values[rest]))
        chosen = np.sort(
            np.concatenate([np.array(must, np.int64), rest[order[: max_nodes - len(must)]]])
        )
        mask = np.zeros(len(index.nodes), dtype=bool)
        mask[chosen] = True
        edge_ids = edge_ids[mask[index.u[edge_ids]] & mask[index.v[edge_ids]]]
        nodes = chosen
    edge_ids = _strongest(index, edge_ids, selection.shown, max(0, limit - len(nodes)))
    return nodes, edge_ids, True


def network_view(
    index: NetworkIndex,
    *,
    positions: Mapping[str, tuple[float, float]],
    values: np.ndarray,
    movement_names: Mapping[str, str],
    group_names: Mapping[str, str],
    view: str = "groups",
    movements: Sequence[str] = (),
    ties: Sequence[str] = TIE_TYPES,
    min_weight: float = 1,
    size: str = "degree",
    search: str = "",
    focus: str | None = None,
    hops: int = 1,
    threshold: int = 5,
    notes: Sequence[str] = (),
    limit: int = ELEMENT_LIMIT,
    picked: str | None = None,
) -> dict[str, Any]:
    """Everything the network page draws for one set of filters.

    Returns ``elements`` (Cytoscape; empty in the points view), ``figure``
    (the scatter of the points view, else None), ``status`` (a line of
    text carrying ``data-nodes``, ``data-edges`` — what is drawn —,
    ``data-groups`` and ``data-ties`` — what the filters select — and
    ``data-view``), ``note`` (what was left out and how to see it, or None),
    ``legend``, ``view`` and the counts ``nodes``, ``edges`` drawn and
    ``groups``, ``ties`` selected.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}")
    selection = index.select(
        ties=ties, min_weight=min_weight, movements=movements, focus=focus, hops=hops
    )
    styles = movement_styles([*movement_names, *index.movement_ids])
    n_groups, n_ties = selection.n_nodes, selection.n_edges
    selected = np.flatnonzero(selection.nodes)
    top = float(values[selected].max()) if len(selected) else 0.0
    term = (search or "").strip()
    matched = index.matches(term)
    matched = matched[selection.nodes[matched]] if len(matched) else matched
    present: dict[str | None, int] = {}
    for code, count in zip(*np.unique(index.primary[selected], return_counts=True), strict=True):
        present[index.movement_ids[code] if code >= 0 else None] = int(count)

    note = None
    figure = None
    elements: list[dict] = []
    trimmed = False
    if view == "groups":
        chosen = [index.position[x] for x in (picked,) if x in index.position]
        keep = (
            ([selection.focus] if selection.focus is not None else [])
            + chosen
            + [int(i) for i in matched[np.argsort(-values[matched], kind="stable")][:MATCHES_KEPT]]
        )
        nodes, edge_ids, trimmed = _trim(index, selection, values, keep=keep, limit=limit)
        H = index.subgraph(nodes, edge_ids, selection.shown)
        diameters = _diameters(values[nodes], top)
        sizes = {index.nodes[i]: float(d) for i, d in zip(nodes.tolist(), diameters, strict=True)}
        elements = network_elements(
            H,
            _spread(positions, [index.nodes[i] for i in nodes.tolist()]),
            sizes=sizes,
            styles=styles,
            movement_names=movement_names,
            search=term,
            focus=focus,
            threshold=threshold,
            picked=picked,
        )
        drawn_nodes, drawn_edges = len(nodes), len(edge_ids)
        if trimmed:
            note = _too_many(n_groups, n_ties, drawn_nodes, drawn_edges, size, limit)
    elif view == "movements":
        elements = _movement_elements(index, selection, styles, movement_names)
        drawn_nodes = sum(1 for e in elements if "source" not in e["data"])
        drawn_edges = len(elements) - drawn_nodes
    else:
        edge_ids = _strongest(index, np.flatnonzero(selection.edges), selection.shown, POINT_EDGES)
        figure = _points_figure(
            index, selection, positions, values, top, styles, movement_names, edge_ids, matched
        )
        drawn_nodes, drawn_edges = n_groups, len(edge_ids)
        if drawn_edges < n_ties:
            note = html.P(
                f"Every group is drawn; of the {n_ties:,} ties, only the {drawn_edges:,} "
                "strongest are. Hover a point for its name, click it for its panel.",
                className="muted",
            )

    if view == "movements":
        parts = [
            f"Showing {n_groups:,} of {len(index):,} groups as {drawn_nodes:,} movements "
            f"and {n_ties:,} ties as {drawn_edges:,} links between movements"
        ]
    elif view == "points":
        parts = [
            f"Showing {n_groups:,} of {len(index):,} groups as points and {drawn_edges:,} ties"
        ]
    else:
        parts = [f"Showing {drawn_nodes:,} of {len(index):,} groups and {drawn_edges:,} ties"]
        if trimmed:
            parts.append(f"too many to draw: {n_groups:,} groups and {n_ties:,} ties selected")
    if focus:
        parts.append(f"around {group_names.get(focus, focus)} ({hops} hop{'s' * (hops > 1)})")
    if term:
        parts.append(f"{len(matched)} match “{term}”")
    if not ties:
        parts.append("no tie type chosen")
    parts.extend(notes)
    status = html.Span(
        " · ".join(parts),
        **{
            "data-nodes": str(drawn_nodes),
            "data-edges": str(drawn_edges),
            "data-groups": str(n_groups),
            "data-ties": str(n_ties),
            "data-view": view,
        },
    )
    return {
        "elements": elements,
        "figure": figure,
        "status": status,
        "note": note,
        "legend": legend(styles, movement_names, present),
        "view": view,
        "nodes": drawn_nodes,
        "edges": drawn_edges,
        "groups": n_groups,
        "ties": n_ties,
    }


def _spread(
    positions: Mapping[str, tuple[float, float]], nodes: Sequence[str]
) -> dict[str, tuple[float, float]]:
    """``positions`` of ``nodes``, centred and scaled to their number.

    Positions are laid out once for the whole coalition; a part of it (an
    ego view, the largest groups of 10,000) keeps its shape but is drawn at
    the scale of its own size, so that its nodes are not specks.
    """
    if not nodes:
        return {}
    xy = np.array([positions.get(n, (0.0, 0.0)) for n in nodes], np.float64).reshape(-1, 2)
    centre = (xy.max(axis=0) + xy.min(axis=0)) / 2
    extent = float(np.abs(xy - centre).max())
    target = max(350.0, 75.0 * math.sqrt(len(nodes)))
    factor = target / extent if extent > target else 1.0
    xy = (xy - centre) * factor
    return {
        n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(nodes, xy, strict=True)
    }


def _too_many(groups: int, ties: int, nodes: int, edges: int, size: str, limit: int) -> html.Div:
    label = SIZE_METRICS.get(size, size).split(" (")[0].lower()
    return html.Div(
        [
            html.Strong("Too many to draw one by one. "),
            f"These filters select {groups:,} groups and {ties:,} ties, more than the "
            f"{limit:,} elements a browser draws without stalling. Shown: "
            + (
                f"all {nodes:,} groups"
                if nodes == groups
                else f"the {nodes:,} groups with the highest {label}"
            )
            + f" and the {edges:,} strongest ties between them. "
            "To see the rest, narrow the view (movements, tie types, a higher minimum "
            "weight, a date window), focus on one group (1 or 2 hops), or switch the view "
            "to “Movements as nodes” or “All groups as points”.",
        ],
        className="notice notice-info",
        role="status",
        **{"data-trimmed": "yes"},
    )


def _movement_elements(
    index: NetworkIndex,
    selection: Selection,
    styles: Mapping[str, Mapping[str, str]],
    movement_names: Mapping[str, str],
) -> list[dict]:
    """Cytoscape elements of the movement view: movements as nodes, ties between them counted.

    Groups count under their primary movement; a node's label gives its
    groups and the ties between them, an edge's the ties between groups of
    its two movements.
    """
    k = len(index.movement_ids)
    groups = np.bincount(index.primary[selection.nodes & (index.primary >= 0)], minlength=k)
    e = np.flatnonzero(selection.edges)
    pu, pv = index.primary[index.u[e]], index.primary[index.v[e]]
    valid = (pu >= 0) & (pv >= 0)
    pu, pv = pu[valid], pv[valid]
    low, high = np.minimum(pu, pv), np.maximum(pu, pv)
    pairs = np.bincount(low * k + high, minlength=k * k).reshape(k, k) if k else np.zeros((0, 0))
    present = [i for i in range(k) if groups[i]]
    biggest = max((int(groups[i]) for i in present), default=1)
    strongest = max((int(pairs[i, j]) for i in present for j in present if i < j), default=0)
    radius = 120 + 40 * len(present)
    elements: list[dict] = []
    for rank, i in enumerate(present):
        mid = index.movement_ids[i]
        name = movement_names.get(mid, mid)
        angle = 2 * math.pi * rank / max(1, len(present)) - math.pi / 2
        style = styles.get(mid, NO_MOVEMENT)
        within = int(pairs[i, i])
        elements.append(
            {
                "data": {
                    "id": f"movement:{mid}",
                    "kind": "movement",
                    "movement_id": mid,
                    "label": f"{name}\n{int(groups[i]):,} groups · {within:,} ties within",
                    "name": name,
                    "movement": name,
                    "color": style["color"],
                    "shape": style["shape"],
                    "size": round(30 + 70 * math.sqrt(groups[i] / biggest), 1),
                },
                "position": {
                    "x": round(radius * math.cos(angle), 1),
                    "y": round(radius * math.sin(angle), 1),
                },
                "classes": "movement",
            }
        )
    for a_rank, i in enumerate(present):
        for j in present[a_rank + 1 :]:
            count = int(pairs[i, j])
            if not count:
                continue
            a, b = index.movement_ids[i], index.movement_ids[j]
            elements.append(
                {
                    "data": {
                        "id": f"movement:{a}\u2194{b}",
                        "source": f"movement:{a}",
                        "target": f"movement:{b}",
                        "width": round(1 + 11 * math.sqrt(count / strongest), 1),
                        "label": f"{count:,}",
                    },
                    "classes": "cross movement-tie",
                }
            )
    return elements


def _points_figure(
    index: NetworkIndex,
    selection: Selection,
    positions: Mapping[str, tuple[float, float]],
    values: np.ndarray,
    top: float,
    styles: Mapping[str, Mapping[str, str]],
    movement_names: Mapping[str, str],
    edge_ids: np.ndarray,
    matched: np.ndarray,
) -> go.Figure:
    """Every selected group as a point of a WebGL scatter, over its strongest ties.

    ``Scattergl`` draws 10,000 points in about a tenth of a second where the
    SVG scatter takes over a second. Plotly's usual WebGL code compiles
    shaders with ``eval``, which the dashboard's content security policy
    forbids; the plotly.js bundle the dashboard serves
    (``assets/vendor/plotly-coalition-*.min.js``, see ``BUILD-plotly.md``)
    registers the strict variant, with that code generated beforehand.
    """
    xy = np.array([positions.get(node, (0.0, 0.0)) for node in index.nodes], np.float64).reshape(
        -1, 2
    )
    traces = []
    if len(edge_ids):
        a, b = index.u[edge_ids], index.v[edge_ids]
        xs = np.column_stack([xy[a, 0], xy[b, 0], np.full(len(a), np.nan)]).ravel()
        ys = np.column_stack([-xy[a, 1], -xy[b, 1], np.full(len(a), np.nan)]).ravel()
        traces.append(
            go.Scattergl(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": "rgba(91,101,112,0.25)", "width": 1},
                hoverinfo="skip",
                showlegend=False,
                name="ties",
            )
        )
    selected = selection.nodes
    diameters = _diameters(values, top) / 2.4
    for code in sorted(set(index.primary[selected].tolist())):
        members = np.flatnonzero(selected & (index.primary == code))
        mid = index.movement_ids[code] if code >= 0 else None
        style = styles.get(mid, NO_MOVEMENT) if mid else NO_MOVEMENT
        name = movement_names.get(mid, mid) if mid else "no movement"
        traces.append(
            go.Scattergl(
                x=xy[members, 0],
                y=-xy[members, 1],
                mode="markers",
                name=plotly_text(name),
                marker={
                    "color": style["color"],
                    "symbol": SYMBOLS.get(style["shape"], "circle"),
                    "size": diameters[members],
                    "line": {"color": "#3a3a3a", "width": 0.5},
                },
                customdata=[index.nodes[i] for i in members.tolist()],
                hovertext=[plotly_text(index.names[i]) for i in members.tolist()],
                hovertemplate="%{hovertext}<br>" + plotly_text(name) + "<extra></extra>",
                showlegend=False,
            )
        )
    if len(matched):
        traces.append(
            go.Scattergl(
                x=xy[matched, 0],
                y=-xy[matched, 1],
                mode="markers",
                marker={
                    "size": 18,
                    "color": "rgba(0,0,0,0)",
                    "line": {"color": "#000", "width": 2},
                },
                customdata=[index.nodes[i] for i in matched.tolist()],
                hovertext=[plotly_text(index.names[i]) for i in matched.tolist()],
                hovertemplate="%{hovertext}<extra>match</extra>",
                showlegend=False,
                name="matches",
            )
        )
    fig = go.Figure(traces)
    fig.update_layout(
        height=640,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        plot_bgcolor="#fcfcfd",
        paper_bgcolor="#fcfcfd",
        hovermode="closest",
        dragmode="pan",
        uirevision="points",
        font={"family": "system-ui, sans-serif"},
    )
    return fig
