"""The network page's views at any size: three drawings of a selection, and its controls' labels.

A browser draws a few thousand Cytoscape elements before it stalls, and the
coalition graph may have 10,000 groups and 400,000 ties. The groups and ties
to show come from :meth:`dashboard.model.network.NetworkIndex.select`;
:func:`network_view` draws them one of three ways: **groups** (Cytoscape;
above :data:`ELEMENT_LIMIT` elements it says so and draws only the largest
groups and the strongest ties between them), **movements** (one node per
movement, ties between movements counted) or **points** (every group as a
point of one Plotly scatter, with the strongest ties).

Member counts never enter an element: ties are drawn with banded widths
(:func:`edge_width`) and the movement view counts groups and ties, not people.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
import plotly.graph_objects as go
from dash import html

from dashboard.model.network import NetworkIndex, Selection
from dashboard.views.styles import NO_MOVEMENT, SYMBOLS, legend, movement_styles
from dashboard.views.text import plotly_text
from graph.privacy import SUPPRESS_BELOW
from graph.schema import TIE_BY_SHORT

__all__ = [
    "ELEMENT_LIMIT",
    "NODE_BUDGET",
    "POINT_EDGES",
    "VIEWS",
    "SIZE_METRICS",
    "HIDDEN",
    "node_sizes",
    "edge_width",
    "network_elements",
    "network_view",
    "page_outputs",
]

#: Hides the drawing of the view not shown (Cytoscape or the scatter).
HIDDEN = {"display": "none"}


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

#: Metrics a node can be sized by (``group_metrics`` columns) and their labels.
SIZE_METRICS: dict[str, str] = {
    "degree": "Degree (tied groups)",
    "strength": "Strength (weighted ties)",
    "betweenness": "Betweenness",
    "participation": "Participation (across movements)",
    "pagerank": "PageRank",
    "eigenvector": "Eigenvector",
    "closeness": "Closeness",
    "effective_size": "Effective size",
    "brokerage_liaison": "Liaison brokerage",
}


def node_sizes(
    values: Mapping[str, Any], *, smallest: float = 14, largest: float = 56
) -> dict[str, float]:
    """Node diameters from metric values (square-root scale; undefined → smallest)."""
    clean = {}
    for node, v in values.items():
        try:
            x = float(v) if v is not None else 0.0
        except (TypeError, ValueError):
            x = 0.0
        clean[node] = 0.0 if math.isnan(x) or x < 0 else x
    top = max(clean.values(), default=0.0)
    if top <= 0:
        return {node: smallest for node in clean}
    return {
        node: round(smallest + (largest - smallest) * math.sqrt(x / top), 1)
        for node, x in clean.items()
    }


def edge_width(weight: float, threshold: int = SUPPRESS_BELOW) -> float:
    """Line width of a tie, in coarse bands so that a small count cannot be read off it.

    Weights under the member-count threshold all get the same thin line.

    >>> [edge_width(w) for w in (1, 4, 5, 12, 40)]
    [1.0, 1.0, 2.0, 3.5, 5.0]
    """
    if weight < threshold:
        return 1.0
    if weight < 2 * threshold:
        return 2.0
    if weight < 4 * threshold:
        return 3.5
    return 5.0


def network_elements(
    H: nx.Graph,
    positions: Mapping[str, tuple[float, float]],
    *,
    sizes: Mapping[str, float],
    styles: Mapping[str, Mapping[str, str]],
    movement_names: Mapping[str, str],
    search: str = "",
    focus: str | None = None,
    labelled: int = 12,
    threshold: int = SUPPRESS_BELOW,
    picked: str | None = None,
) -> list[dict]:
    """Cytoscape elements of a (filtered) coalition graph.

    Node data: ``id``, ``label`` (the name of the ``labelled`` largest groups,
    of search matches and of the focus group; empty otherwise), ``name``,
    ``movement`` (primary movement's name), ``color``, ``shape``, ``size``.
    Classes: ``match`` / ``dim`` while searching, ``focus``, ``picked`` (the
    group whose panel is open, as a link restores it). Edge data:
    ``source``, ``target``, ``width`` (see :func:`edge_width`); class ``cross``
    when the two groups' primary movements differ. No member count is put
    into an element.
    """
    term = (search or "").strip().casefold()
    matches = {
        n
        for n, d in H.nodes(data=True)
        if term and (term in str(d.get("name") or "").casefold() or term in str(n).casefold())
    }
    by_size = sorted(H, key=lambda n: (-sizes.get(n, 0), str(n)))
    shown_labels = set(by_size[:labelled]) | matches | {x for x in (focus, picked) if x}
    elements: list[dict] = []
    for n in sorted(H, key=str):
        d = H.nodes[n]
        primary = d.get("primary_movement")
        style = styles.get(primary, NO_MOVEMENT) if primary else NO_MOVEMENT
        name = str(d.get("name") or n)
        classes = []
        if term:
            classes.append("match" if n in matches else "dim")
        if focus and n == focus:
            classes.append("focus")
        if picked is not None and n == picked:
            classes.append("picked")
        x, y = positions.get(n, (0.0, 0.0))
        elements.append(
            {
                "data": {
                    "id": str(n),
                    "label": name if n in shown_labels else "",
                    "name": name,
                    "movement": movement_names.get(primary, primary or "none"),
                    "color": style["color"],
                    "shape": style["shape"],
                    "size": sizes.get(n, 14),
                },
                "position": {"x": x, "y": y},
                "classes": " ".join(classes),
            }
        )
    for u, v, d in sorted(H.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        a, b = sorted((str(u), str(v)))
        cross = H.nodes[u].get("primary_movement") != H.nodes[v].get("primary_movement")
        elements.append(
            {
                "data": {
                    "id": f"{a}\u2194{b}",
                    "source": a,
                    "target": b,
                    "width": edge_width(d.get("shown_weight", d.get("weight", 1)), threshold),
                },
                "classes": "cross" if cross else "within",
            }
        )
    return elements


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
    ties: Sequence[str] = tuple(TIE_BY_SHORT),
    min_weight: float = 1,
    size: str = "degree",
    search: str = "",
    focus: str | None = None,
    hops: int = 1,
    threshold: int = SUPPRESS_BELOW,
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


def page_outputs(result: Mapping[str, Any], *, pending: Any = None) -> tuple:
    """What the network page's callback returns for :func:`network_view`'s ``result``.

    In order: the Cytoscape elements, the style of its box, the scatter (only
    in the points view, else ``no_update``), the style of its box, the status
    line, the notes (``pending``, a message that the metrics are still being
    computed, then what was left out) and the legend.
    """
    from dash import no_update

    points = result["view"] == "points"
    return (
        result["elements"],
        HIDDEN if points else {},
        result["figure"] if points else no_update,
        {} if points else HIDDEN,
        result["status"],
        [pending, result["note"]],
        result["legend"],
    )


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
