"""Pure view functions: data in, Cytoscape elements, grid rows, figures or components out.

Nothing here reads the store, the request or the clock, so every function can
be tested on a small hand-built coalition without a browser.

Two rules hold for everything returned:

- **Members only as counts.** A member count under the threshold (5 by
  default) becomes the text ``"<5"`` before it leaves the server; raw small
  counts are never put into element data, grid rows or figures.
- **Data are text, never HTML.** Dash components get data as children
  strings (React escapes them); Cytoscape draws labels on a canvas; Plotly,
  which understands a little HTML in its strings, gets data escaped with
  :func:`plotly_text`.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import networkx as nx
import numpy as np
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.params import href
from graph.coalition import Coalition, Ties
from graph.errors import NotFound

__all__ = [
    "TIE_TYPES",
    "TIE_ATTRS",
    "TIE_LABELS",
    "MATRIX_TIES",
    "SIZE_METRICS",
    "OKABE_ITO",
    "count_text",
    "band_ties",
    "number_text",
    "plotly_text",
    "movement_styles",
    "filter_graph",
    "graph_positions",
    "node_sizes",
    "edge_width",
    "network_elements",
    "network_stylesheet",
    "choice_options",
    "search_options",
    "movement_detail",
    "legend",
    "group_detail",
    "matrix_figure",
    "matrix_cell",
    "broker_rows",
    "broker_columns",
    "overview_kpis",
    "kpi_cards",
    "top_bridges",
    "bridges_table",
    "cross_pairs_table",
    "timeline_rows",
    "timeline_figure",
    "period_start",
    "period_key",
    "period_actions",
    "ei_table",
    "small_matrix",
    "pair_groups_block",
    "bridging_pairs_table",
    "path_list",
    "removal_counts",
    "whatif_summary",
    "ranking_table",
    "notice",
    "simple_table",
]

#: Tie types as used in the URL and the controls, in display order.
TIE_TYPES: tuple[str, ...] = ("members", "actions", "resources")
#: Edge attribute of each tie type in the coalition graph.
TIE_ATTRS: dict[str, str] = {
    "members": "shared_members",
    "actions": "joint_actions",
    "resources": "shared_resources",
}
TIE_LABELS: dict[str, str] = {
    "members": "shared members",
    "actions": "joint actions",
    "resources": "shared resources",
}
#: Columns of the movement matrix and their labels.
MATRIX_TIES: dict[str, str] = {
    "ties": "Ties (pairs of tied groups)",
    "shared_members": "Shared members",
    "joint_actions": "Joint actions",
    "shared_resources": "Shared resources",
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

#: Okabe & Ito (2008), a palette that colour-blind readers can tell apart.
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
#: After eight movements the colours repeat with another shape.
SHAPES: tuple[str, ...] = ("ellipse", "round-rectangle", "triangle", "diamond", "hexagon", "star")
NO_MOVEMENT: dict[str, str] = {"color": "#BBBBBB", "shape": "ellipse"}

MISSING = "—"


# -- text ------------------------------------------------------------------------------
def count_text(n: int | None, threshold: int = 5) -> str:
    """A member count as shown: ``"<5"`` for 1 to ``threshold - 1``, else the number.

    Zero stays ``"0"`` (it says nothing about anyone).

    >>> count_text(3), count_text(0), count_text(1234)
    ('<5', '0', '1,234')
    """
    if n is None:
        return ""
    n = int(n)
    if 0 < n < threshold:
        return f"<{threshold}"
    return f"{n:,}"


def band_ties(ties: Ties, threshold: int = 5, *, weight: float = 1.0) -> Ties:
    """Make the ties safe to measure and draw: shared-member counts under ``threshold`` become 1.

    A count shown as ``"<5"`` must not be recoverable from anything else on
    the page: not from the minimum-weight filter (stepping it would reveal
    the exact count), line widths, the order of a group's strongest ties, nor
    from weighted metrics such as strength, which add the counts up. So a tie's
    ``shared_members`` from 1 to ``threshold - 1`` is replaced by 1 — the
    least it can be, and all that "<5" says — before anything is computed
    from it, and its ``weight`` (with ``weight`` per shared member) follows.
    Counts of 0 and from ``threshold`` up are kept. Returns a new ``Ties``.

    >>> from graph.coalition import Ties
    >>> t = Ties(["a", "b"], [{}, {}], np.array([0]), np.array([1]), np.array([[3, 2, 0]]),
    ...          np.array([5.0]))
    >>> banded = band_ties(t)
    >>> int(banded.counts[0, 0]), float(banded.weight[0]), int(t.counts[0, 0])
    (1, 3.0, 3)
    """
    members = ties.counts[:, 0]
    low = (members > 0) & (members < threshold)
    counts = ties.counts.copy()
    counts[low, 0] = 1
    banded_weight = ties.weight - np.where(low, (members - 1) * weight, 0)
    return replace(ties, counts=counts, weight=banded_weight)


def number_text(value: Any, digits: int = 3) -> str:
    """A metric as text; an undefined value (None, NaN) is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x) or math.isinf(x):
        return ""
    return f"{x:,.{digits}f}"


def plotly_text(text: Any) -> str:
    """Escape a data string for Plotly, which renders a subset of HTML in its text."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- the network ---------------------------------------------------------------------------
def movement_styles(movement_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """Colour and shape per movement: Okabe–Ito colours, then the next shape.

    >>> movement_styles(["b", "a"])["a"]
    {'color': '#E69F00', 'shape': 'ellipse'}
    """
    out = {}
    for i, mid in enumerate(sorted(set(movement_ids))):
        out[mid] = {
            "color": OKABE_ITO[i % len(OKABE_ITO)],
            "shape": SHAPES[(i // len(OKABE_ITO)) % len(SHAPES)],
        }
    return out


def filter_graph(
    G: nx.Graph,
    *,
    ties: Iterable[str] = TIE_TYPES,
    min_weight: float = 0,
    movements: Iterable[str] | None = None,
    focus: str | None = None,
    hops: int = 1,
) -> nx.Graph:
    """The part of the coalition graph a network view shows.

    An edge is kept when the sum of its counts over the chosen tie ``ties``
    (``shown_weight``) is positive and at least ``min_weight``. With
    ``focus``, only groups within ``hops`` of it over the kept edges remain
    (the ego view). With ``movements``, only groups in at least one of those
    movements remain (the focus group always stays). Nodes keep their
    attributes; isolated groups stay.

    Raises
    ------
    graph.errors.NotFound
        If ``focus`` is not a group of ``G``.
    """
    chosen = [t for t in TIE_TYPES if t in set(ties)]
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, d in G.edges(data=True):
        shown = sum(int(d.get(TIE_ATTRS[t], 0) or 0) for t in chosen)
        if shown > 0 and shown >= min_weight:
            H.add_edge(u, v, **d, shown_weight=shown)
    keep = set(H)
    if focus:
        if focus not in H:
            raise NotFound(f"no group with id {focus!r} in this window")
        keep = set(nx.ego_graph(H, focus, radius=max(1, int(hops))))
    wanted = set(movements or ())
    if wanted:
        keep = {
            n for n in keep if n == focus or wanted.intersection(H.nodes[n].get("movements") or [])
        }
    return H.subgraph(keep).copy()


#: Above this many groups, positions are the movement clusters without a spring layout.
SPRING_MAX = 3000


def graph_positions(G: nx.Graph | Ties, *, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Seeded node positions in pixels: groups start near their movement, then a spring layout.

    Starting each movement's groups around its own point on a circle keeps
    movements visibly apart and the picture the same from one run to the next.
    Above :data:`SPRING_MAX` groups the starting points are the positions;
    ``G`` may then be the graph's :class:`graph.coalition.Ties`, and no
    networkx graph is needed.
    """
    if isinstance(G, Ties):
        nodes = list(zip(G.groups, G.node_data, strict=True))
        graph = G.graph if len(nodes) <= SPRING_MAX else None
    else:
        nodes = list(G.nodes(data=True))
        graph = lambda: G  # noqa: E731
    n = len(nodes)
    if n == 0:
        return {}
    rng = np.random.default_rng(seed)
    movements = sorted({d.get("primary_movement") or "" for _, d in nodes})
    angle = {m: 2 * math.pi * i / len(movements) for i, m in enumerate(movements)}
    start = {}
    for node, d in sorted(nodes, key=lambda item: str(item[0])):
        a = angle[d.get("primary_movement") or ""]
        start[node] = np.array([math.cos(a), math.sin(a)]) + rng.normal(0, 0.35, 2)
    if 1 < n <= SPRING_MAX:
        # Log weights keep a few very strong ties from collapsing the picture; fewer
        # iterations on bigger graphs keep the first view of a window quick.
        G = graph()
        H = nx.Graph()
        H.add_nodes_from(G)
        H.add_weighted_edges_from(
            (u, v, 1 + math.log1p(float(d.get("weight", 1) or 1))) for u, v, d in G.edges(data=True)
        )
        iterations = 80 if n <= 400 else max(10, 80 * 400 // n)
        pos = nx.spring_layout(
            H, pos=start, seed=seed, weight="weight", iterations=iterations, k=1.6 / math.sqrt(n)
        )
    else:
        # One group, or too many for a spring layout: the movement clusters as drawn.
        pos = start
    scale = max(350.0, 75.0 * math.sqrt(n))
    return {
        node: (round(float(p[0]) * scale, 1), round(float(p[1]) * scale, 1))
        for node, p in pos.items()
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


def edge_width(weight: float, threshold: int = 5) -> float:
    """Line width of a tie, in coarse bands so that a small count cannot be read off it.

    Weights under the member-count threshold all get the same thin line.
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
    threshold: int = 5,
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


def choice_options(names: Mapping[str, str], *, with_id: bool = True) -> list[dict]:
    """Dropdown options from ``{id: name}``, by name; labels show the id too when asked."""
    return [
        {"label": f"{name} ({key})" if with_id else name, "value": key}
        for key, name in sorted(names.items(), key=lambda kv: (str(kv[1]).casefold(), kv[0]))
    ]


def search_options(
    names: Mapping[str, str],
    term: Any = "",
    *,
    keep: Iterable[str] = (),
    most: int = 100,
) -> list[dict]:
    """Dropdown options for a search among many groups: the chosen ones, then matches.

    With at most ``most`` groups, all of them; else those whose name or id
    contains ``term`` (case-insensitive; the first ``most`` by name), after
    the ``keep`` ids (the values already chosen), so that a dropdown over
    10,000 groups stays light.
    """
    kept = [k for k in dict.fromkeys(keep) if k in names]
    if len(names) <= most:
        return choice_options(names)
    text = str(term or "").strip().casefold()
    found = (
        [
            k
            for k, name in names.items()
            if text in str(name).casefold() or text in str(k).casefold()
        ]
        if text
        else list(names)
    )
    found = sorted(
        (k for k in found if k not in set(kept)), key=lambda k: (str(names[k]).casefold(), k)
    )[:most]
    return choice_options({k: names[k] for k in kept}) + choice_options(
        {k: names[k] for k in found}
    )


def movement_detail(
    mid: str,
    *,
    entry: Mapping[str, Any] | None,
    movement_names: Mapping[str, str],
    link: str,
) -> html.Div:
    """The detail panel of a movement node: its groups, ties inside and out, E–I index."""
    entry = entry or {}
    ties = entry.get("ties") or {}
    rows = [
        ("Groups (primary movement)", number_text(entry.get("groups", 0))),
        ("Ties inside", number_text(ties.get("internal", 0))),
        ("Ties to other movements", number_text(ties.get("external", 0))),
        ("E–I index", number_text(ties.get("ei"), 2)),
    ]
    return html.Div(
        [
            html.H3(movement_names.get(mid, mid), className="detail-title"),
            html.P(f"Movement {mid} · whole coalition in this window", className="muted"),
            definition_list(rows),
            html.P(dcc.Link("Show its groups →", href=link), className="detail-links"),
        ],
        className="detail-body movement-detail",
    )


def network_stylesheet() -> list[dict]:
    """The Cytoscape stylesheet of the network view."""
    return [
        {
            "selector": "node",
            "style": {
                "background-color": "data(color)",
                "shape": "data(shape)",
                "width": "data(size)",
                "height": "data(size)",
                "label": "data(label)",
                "border-width": 1,
                "border-color": "#3a3a3a",
                "font-size": 20,
                "min-zoomed-font-size": 7,
                "font-family": "system-ui, sans-serif",
                "color": "#1f1f1f",
                "text-valign": "bottom",
                "text-margin-y": 3,
                "text-outline-color": "#ffffff",
                "text-outline-width": 3,
                "text-max-width": "260px",
                "text-wrap": "ellipsis",
            },
        },
        {
            "selector": "edge",
            "style": {
                "width": "data(width)",
                "line-color": "#9aa3ad",
                "opacity": 0.45,
                "curve-style": "haystack",
            },
        },
        {"selector": "edge.cross", "style": {"line-color": "#5b6570", "opacity": 0.55}},
        {"selector": "node.dim", "style": {"opacity": 0.2}},
        {"selector": "node.match", "style": {"border-width": 3, "border-color": "#000000"}},
        {
            "selector": "node.focus",
            "style": {"border-width": 4, "border-color": "#000000", "font-weight": "bold"},
        },
        {
            "selector": "node.movement",
            "style": {
                "text-wrap": "wrap",
                "text-max-width": "320px",
                "font-size": 22,
                "text-valign": "bottom",
                "text-margin-y": 6,
            },
        },
        {
            "selector": "edge.movement-tie",
            "style": {
                "label": "data(label)",
                "font-size": 18,
                "color": "#1f1f1f",
                "text-outline-color": "#ffffff",
                "text-outline-width": 3,
                "curve-style": "straight",
                "opacity": 0.7,
            },
        },
        {
            "selector": "node.picked",
            "style": {
                "border-width": 4,
                "border-color": "#000000",
                "font-weight": "bold",
                "z-index": 10,
            },
        },
        {
            "selector": "node:selected",
            "style": {
                "border-width": 4,
                "border-color": "#000000",
                "label": "data(name)",
                "font-weight": "bold",
                "z-index": 10,
            },
        },
    ]


def legend(
    styles: Mapping[str, Mapping[str, str]],
    movement_names: Mapping[str, str],
    counts: Mapping[str, int] | None = None,
) -> html.Ul:
    """The colour key of the network: one item per movement, with its group count."""
    items = []
    for mid, style in styles.items():
        shape = style["shape"]
        label = movement_names.get(mid, mid)
        if counts is not None:
            label = f"{label} ({counts.get(mid, 0)})"
        items.append(
            html.Li(
                [
                    html.Span(
                        className=f"swatch swatch-{shape}",
                        style={"backgroundColor": style["color"]},
                        title=shape,
                    ),
                    html.Span(label),
                ],
                className="legend-item",
            )
        )
    return html.Ul(items, className="legend", **{"aria-label": "Movement colours"})


def group_detail(
    gid: str,
    *,
    G: nx.Graph,
    group: Mapping[str, Any],
    metrics: Mapping[str, Any] | None,
    counts: Mapping[str, int],
    movement_names: Mapping[str, str],
    threshold: int = 5,
    partners: int = 6,
    since: str | None = None,
    until: str | None = None,
    actions: Sequence[Mapping[str, Any]] = (),
    shown_actions: int = 6,
    metrics_note: str | None = None,
) -> html.Div:
    """The detail panel of one group: movements, counts, metrics, top partners, joint actions.

    ``actions`` are the group's joint actions, latest first, each a mapping
    with ``name``, ``start_date``, ``type`` and ``groups`` (how many groups
    took part); the first ``shown_actions`` are listed. ``metrics_note``
    stands in for the metrics while they are being computed.
    """
    metrics = metrics or {}
    movements = list(group.get("movements") or [])
    facts = [str(gid)]
    for key in ("city", "country"):
        if group.get(key):
            facts.append(str(group[key]))
    if group.get("founded"):
        facts.append(f"founded {group['founded']}")
    movement_items = [
        html.Li(movement_names.get(m, m) + (" (primary)" if i == 0 else ""))
        for i, m in enumerate(movements)
    ] or [html.Li("no movement recorded")]
    count_rows = [
        ("Members", count_text(counts.get("members", 0), threshold)),
        ("Joint actions", number_text(counts.get("actions", 0))),
        ("Shared resources", number_text(counts.get("resources", 0))),
        ("Tied groups", number_text(G.degree(gid) if gid in G else 0)),
    ]
    metric_rows = [
        ("Betweenness", number_text(metrics.get("betweenness"))),
        ("Participation", number_text(metrics.get("participation"))),
        ("E–I index", number_text(metrics.get("ei_index"))),
        ("PageRank", number_text(metrics.get("pagerank"))),
        ("Constraint", number_text(metrics.get("constraint"))),
        ("Effective size", number_text(metrics.get("effective_size"), 1)),
        *(
            (f"Brokerage: {k}", number_text(metrics.get(f"brokerage_{k}")))
            for k in ("coordinator", "consultant", "representative", "liaison")
        ),
        ("Community", number_text(metrics.get("community"))),
        ("Cut point", number_text(metrics.get("articulation_point"))),
    ]
    top = []
    if gid in G:
        neighbours = sorted(
            G[gid].items(), key=lambda item: (-float(item[1].get("weight", 0)), str(item[0]))
        )
        for other, d in neighbours[:partners]:
            top.append(
                html.Li(
                    [
                        html.Span(str(G.nodes[other].get("name") or other), className="partner"),
                        html.Span(" · " + tie_summary(d, threshold), className="muted"),
                    ]
                )
            )
    action_items = [
        html.Li(
            [
                html.Span(str(a.get("name") or a.get("id") or ""), className="action-name"),
                html.Span(
                    " · "
                    + " · ".join(
                        str(x)
                        for x in (
                            a.get("start_date"),
                            a.get("type"),
                            f"{int(a.get('groups') or 0):,} groups",
                        )
                        if x
                    ),
                    className="muted",
                ),
            ]
        )
        for a in list(actions)[:shown_actions]
    ]
    more = len(actions) - len(action_items)
    window = {"since": since, "until": until}
    return html.Div(
        [
            html.H3(str(group.get("name") or gid), className="detail-title"),
            html.P(" · ".join(facts), className="muted"),
            html.H4("Movements"),
            html.Ul(movement_items, className="plain"),
            html.H4("In this window"),
            definition_list(count_rows),
            html.H4("Metrics"),
            html.P(metrics_note, className="muted metrics-pending")
            if metrics_note
            else definition_list(metric_rows),
            html.H4("Strongest ties"),
            html.Ol(top) if top else html.P("No ties in this window.", className="muted"),
            html.H4("Joint actions"),
            html.Ol(action_items, className="detail-actions-list")
            if action_items
            else html.P("No joint actions in this window.", className="muted"),
            html.P(
                [
                    f"…and {more:,} more. ",
                    dcc.Link("See them over time", href=href("/timeline", **window)),
                ],
                className="muted",
            )
            if more > 0
            else None,
            html.P(
                [
                    dcc.Link("Paths from this group", href=href("/paths", a=gid, **window)),
                    " · ",
                    dcc.Link("What if it left?", href=href("/whatif", remove=gid, **window)),
                ],
                className="detail-links",
            ),
        ],
        className="detail-body",
    )


def tie_summary(edge: Mapping[str, Any], threshold: int = 5) -> str:
    """``"<5 shared members · 3 joint actions"``: the kinds of tie behind an edge, counts only."""
    parts = []
    m = int(edge.get("shared_members", 0) or 0)
    if m:
        parts.append(f"{count_text(m, threshold)} shared members")
    a = int(edge.get("joint_actions", 0) or 0)
    if a:
        parts.append(f"{a:,} joint action{'s' if a != 1 else ''}")
    r = int(edge.get("shared_resources", 0) or 0)
    if r:
        parts.append(f"{r:,} shared resource{'s' if r != 1 else ''}")
    return " · ".join(parts) or "no ties"


def definition_list(rows: Sequence[tuple[str, str]]) -> html.Dl:
    children = []
    for term, value in rows:
        children += [html.Dt(term), html.Dd(value or MISSING)]
    return html.Dl(children, className="facts")


# -- movements ---------------------------------------------------------------------------------
def _unique_labels(ids: Sequence[str], names: Mapping[str, str]) -> list[str]:
    """Movement labels for a categorical axis; duplicate names get their id appended."""
    seen = Counter(names.get(m, m) for m in ids)
    return [
        plotly_text(names.get(m, m) if seen[names.get(m, m)] == 1 else f"{names.get(m, m)} ({m})")
        for m in ids
    ]


def matrix_cell(
    labels: tuple[str, str], movement_names: Mapping[str, str]
) -> tuple[str, str] | None:
    """The movement ids of a heatmap cell from its row and column labels, or None."""
    ids = sorted(movement_names)
    by_label = dict(zip(_unique_labels(ids, movement_names), ids, strict=True))
    row, column = (by_label.get(label) for label in labels)
    return (row, column) if row and column else None


def matrix_figure(
    matrix: Iterable[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    tie: str = "ties",
    threshold: int = 5,
    selected: tuple[str, str] | None = None,
) -> go.Figure:
    """A movement × movement heatmap of one tie type (the diagonal is within a movement).

    A click on a cell gives its labels, which :func:`matrix_cell` turns back
    into the two movement ids; the ``selected`` cell is outlined.

    For ``shared_members``, cells of 1 to ``threshold - 1`` read ``"<5"`` and
    all get the same colour, so the figure does not carry the small number.
    """
    if tie not in MATRIX_TIES:
        raise ValueError(f"unknown tie type {tie!r}")
    ids = sorted(movement_names)
    index = {m: i for i, m in enumerate(ids)}
    n = len(ids)
    values = np.zeros((n, n))
    for row in matrix:
        a, b = row.get("movement_a"), row.get("movement_b")
        if a not in index or b not in index:
            continue
        v = float(row.get(tie) or 0)
        values[index[a], index[b]] = values[index[b], index[a]] = v
    z = values.copy()
    text = [[number_text(int(v)) for v in line] for line in values]
    if tie == "shared_members":
        for i in range(n):
            for j in range(n):
                if 0 < values[i, j] < threshold:
                    z[i, j] = threshold / 2
                text[i][j] = count_text(int(values[i, j]), threshold)
    labels = _unique_labels(ids, movement_names)
    title = MATRIX_TIES[tie]
    fig = go.Figure(
        go.Heatmap(
            z=z.tolist(),
            x=labels,
            y=labels,
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y} × %{x}<br>"
            + plotly_text(title)
            + ": %{text}<br>Click to list the groups<extra></extra>",
            colorscale="Blues",
            colorbar={"title": {"text": plotly_text(title.split(" (")[0])}},
            xgap=2,
            ygap=2,
        )
    )
    if selected and selected[0] in index and selected[1] in index:
        i, j = index[selected[0]], index[selected[1]]
        for r, c in {(i, j), (j, i)}:
            fig.add_shape(
                type="rect",
                x0=c - 0.5,
                x1=c + 0.5,
                y0=r - 0.5,
                y1=r + 0.5,
                line={"color": "#000000", "width": 3},
            )
    fig.update_layout(
        title={"text": plotly_text(title) + " between movements", "x": 0},
        height=max(360, 150 + 52 * n),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"automargin": True, "tickangle": -30},
        plot_bgcolor="#ffffff",
        font={"family": "system-ui, sans-serif"},
    )
    return fig


def ei_table(
    ei: Mapping[str, Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    tie: str = "ties",
) -> html.Table:
    """Each movement's ties inside and outside and its E–I index, for one tie type.

    ``ei`` is :func:`dashboard.graphview.movement_ei`'s. Rows run from the
    most outward-looking movement (E–I near +1) to the most inward (−1).
    """
    rows = []
    for mid, entry in ei.items():
        counts = entry.get(tie) or {}
        rows.append((counts.get("ei"), mid, entry.get("groups", 0), counts))
    rows.sort(key=lambda r: (-(r[0] if r[0] is not None else -2), movement_names.get(r[1], r[1])))
    return simple_table(
        ["Movement", "Groups", "Ties inside", "Ties to other movements", "E–I index"],
        [
            [
                movement_names.get(mid, mid),
                number_text(groups),
                number_text(counts.get("internal", 0)),
                number_text(counts.get("external", 0)),
                number_text(value, 2) or MISSING,
            ]
            for value, mid, groups, counts in rows
        ],
        numeric={1, 2, 3, 4},
        caption="E–I index = (ties to other movements − ties inside) / all its ties: "
        "−1 all inside the movement, +1 all across (Krackhardt & Stern 1988). "
        "Counted over "
        + ("all ties" if tie == "ties" else f"ties by {MATRIX_TIES.get(tie, tie).lower()}")
        + "; groups count under their primary movement.",
    )


def pair_groups_block(
    found: Mapping[str, Any],
    a: str,
    b: str,
    *,
    tie: str,
    movement_names: Mapping[str, str],
    group_names: Mapping[str, str],
    since: str | None = None,
    until: str | None = None,
    shown: int = 40,
) -> html.Div:
    """The groups behind a matrix cell (``graphview.pair_groups``): a list per movement.

    Each group links to its ego view on the network page and says how many
    of the cell's ties it has; at most ``shown`` per movement.
    """
    name_a, name_b = movement_names.get(a, a), movement_names.get(b, b)
    kind = "ties" if tie == "ties" else f"ties by {MATRIX_TIES.get(tie, tie).lower()}"
    title = f"{name_a}: {kind} inside the movement" if a == b else f"{name_a} × {name_b}: {kind}"
    if not found["ties"]:
        return html.Div(
            [html.H2(title), notice("No such ties in this window.", kind="info")],
            className="card pair-groups",
            **{"data-ties": "0"},
        )
    columns = []
    for movement, groups in found["sides"].items():
        items = [
            html.Li(
                [
                    dcc.Link(
                        group_names.get(gid, gid),
                        href=href("/network", focus=gid, since=since, until=until),
                    ),
                    html.Span(f" · {count:,} tie{'s' * (count != 1)}", className="muted"),
                ]
            )
            for gid, count in groups[:shown]
        ]
        more = len(groups) - len(items)
        columns.append(
            html.Section(
                [
                    html.H3(f"{movement_names.get(movement, movement)} ({len(groups):,} groups)"),
                    html.Ol(items, className="pair-group-list"),
                    html.P(f"…and {more:,} more.", className="muted") if more > 0 else None,
                ]
            )
        )
    return html.Div(
        [
            html.H2(title),
            html.P(
                f"{found['ties']:,} ties between "
                + (f"groups of {name_a}." if a == b else f"groups of {name_a} and {name_b}.")
                + " Each group links to its neighbourhood on the network page.",
                className="muted",
            ),
            html.Div(columns, className="two-columns"),
        ],
        className="card pair-groups",
        **{"data-ties": str(found["ties"])},
    )


def small_matrix(
    matrix: Iterable[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    since: str | None = None,
    until: str | None = None,
    most: int = 12,
) -> html.Table | None:
    """The overview's movement × movement table of ties, each cell a link to its groups.

    Rows and columns are the movements (columns numbered as the rows, to
    stay narrow); a cell counts the ties between groups of the two
    movements and links to ``/movements`` with that cell selected. None
    with more than ``most`` movements (the full matrix is one click away).
    """
    ids = sorted(movement_names)
    if not ids or len(ids) > most:
        return None
    ties = {}
    for row in matrix:
        a, b = row.get("movement_a"), row.get("movement_b")
        ties[(a, b)] = ties[(b, a)] = int(row.get("ties") or 0)
    head = html.Thead(
        html.Tr(
            [html.Th("Movement", scope="col")]
            + [
                html.Th(str(i + 1), scope="col", className="num", title=movement_names.get(m, m))
                for i, m in enumerate(ids)
            ]
        )
    )
    body = []
    for i, a in enumerate(ids):
        cells = [html.Th(f"{i + 1}. {movement_names.get(a, a)}", scope="row")]
        for b in ids:
            count = ties.get((a, b), 0)
            cells.append(
                html.Td(
                    dcc.Link(
                        number_text(count),
                        href=href("/movements", cell=f"{a},{b}", since=since, until=until),
                        title=f"{movement_names.get(a, a)} × {movement_names.get(b, b)}",
                    )
                    if count
                    else "0",
                    className="num diagonal" if a == b else "num",
                )
            )
        body.append(html.Tr(cells))
    return html.Table(
        [
            html.Caption(
                "Ties between groups of two movements (the diagonal: inside one); "
                "click a number for the groups behind it"
            ),
            head,
            html.Tbody(body),
        ],
        className="table matrix-table",
    )


def bridging_pairs_table(
    matrix: Iterable[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    threshold: int = 5,
) -> html.Table:
    """Members bridging each pair of movements, as counts only (small ones as ``"<5"``).

    A member bridges two movements when they belong to a group of each
    (primary movements). Never a name: only how many.
    """
    pairs = [
        r for r in matrix if r.get("movement_a") != r.get("movement_b") and r.get("shared_members")
    ]
    pairs.sort(key=lambda r: (-r["shared_members"], r["movement_a"], r["movement_b"]))
    return simple_table(
        ["Movement", "Movement", "Members in groups of both"],
        [
            [
                movement_names.get(r["movement_a"], r["movement_a"]),
                movement_names.get(r["movement_b"], r["movement_b"]),
                count_text(r["shared_members"], threshold),
            ]
            for r in pairs
        ],
        numeric={2},
        caption="Bridging members per pair of movements — counts only, never names; "
        f"counts under {threshold} read “<{threshold}”",
    )


# -- brokers ---------------------------------------------------------------------------------
#: Grid columns: (field, header, numeric, digits, explanation).
BROKER_COLUMNS: tuple[tuple[str, str, bool, int, str], ...] = (
    ("group_id", "Id", False, 0, "Group id"),
    ("name", "Group", False, 0, "Group name"),
    ("primary_movement", "Primary movement", False, 0, "First movement listed"),
    ("movements", "Movements", False, 0, "All movements of the group"),
    ("members", "Members", False, 0, "Members in the window (under 5 shown as <5)"),
    ("degree", "Degree", True, 0, "Tied groups"),
    ("strength", "Strength", True, 1, "Sum of tie weights"),
    ("betweenness", "Betweenness", True, 4, "Share of shortest paths through the group"),
    ("closeness", "Closeness", True, 4, "Inverse mean distance to the others"),
    ("pagerank", "PageRank", True, 4, "Weighted PageRank"),
    ("eigenvector", "Eigenvector", True, 4, "Weighted eigenvector centrality"),
    ("constraint", "Constraint", True, 4, "Burt's constraint (low = spans holes)"),
    ("effective_size", "Effective size", True, 2, "Burt's effective size"),
    ("participation", "Participation", True, 4, "Spread of ties across movements (0–1)"),
    ("ei_index", "E–I index", True, 4, "(external − internal) / all ties"),
    ("brokerage_coordinator", "Coordinator", True, 0, "Gould–Fernandez brokerage"),
    ("brokerage_consultant", "Consultant", True, 0, "Gould–Fernandez brokerage"),
    ("brokerage_representative", "Representative", True, 0, "Gould–Fernandez brokerage"),
    ("brokerage_liaison", "Liaison", True, 0, "Gould–Fernandez brokerage"),
    ("community", "Community", True, 0, "Louvain community"),
    ("articulation_point", "Cut point", False, 0, "Its departure disconnects others"),
)


def broker_rows(
    groups: Iterable[Mapping[str, Any]],
    *,
    counts: Mapping[str, Mapping[str, int]],
    movement_names: Mapping[str, str],
    threshold: int = 5,
) -> list[dict]:
    """Grid rows of the brokers table: metric rows with names, rounding and suppressed counts."""
    rows = []
    for g in groups:
        gid = g["group_id"]
        movements = g.get("movements") or []
        if isinstance(movements, str):
            movements = [m for m in movements.split(";") if m]
        primary = g.get("primary_movement")
        row: dict[str, Any] = {
            "group_id": gid,
            "name": g.get("name") or gid,
            "primary_movement": movement_names.get(primary, primary) if primary else "",
            "movements": "; ".join(movement_names.get(m, m) for m in movements),
            "members": count_text(counts.get(gid, {}).get("members", 0), threshold),
            "articulation_point": "yes" if g.get("articulation_point") else "no",
        }
        for field, _header, numeric, digits, _help in BROKER_COLUMNS:
            if not numeric:
                continue
            value = g.get(field)
            if isinstance(value, float):
                value = None if math.isnan(value) or math.isinf(value) else round(value, digits)
            row[field] = value
        rows.append(row)
    return rows


def broker_columns() -> list[dict]:
    """AG Grid column definitions of the brokers table (cells render as text)."""
    cols = []
    for field, header, numeric, _digits, explanation in BROKER_COLUMNS:
        col: dict[str, Any] = {
            "field": field,
            "headerName": header,
            "headerTooltip": explanation,
            "filter": "agNumberColumnFilter" if numeric else "agTextColumnFilter",
        }
        if numeric:
            col["type"] = "numericColumn"
        if field == "betweenness":
            col["sort"] = "desc"  # brokers first
        if field == "name":
            col["pinned"] = "left"
            col["minWidth"] = 220
        if field == "members":
            col["comparator"] = {"function": "coalitionCountComparator"}
            col["type"] = "numericColumn"
        cols.append(col)
    return cols


# -- overview ----------------------------------------------------------------------------------
def overview_kpis(
    coalition: Coalition,
    *,
    G: nx.Graph,
    summary: Mapping[str, Any],
    bridging: int,
    member_total: int,
    threshold: int = 5,
) -> list[dict]:
    """The overview's headline numbers: ``label``, ``value`` (text), ``hint``, ``href``.

    ``bridging`` is how many members are in groups of two or more primary
    movements; ``summary`` needs ``cross_movement_tie_share``. Each figure
    links to the page that explains it.
    """
    action_groups: dict[str, set[str]] = defaultdict(set)
    for gid, aid, *_ in coalition.participations:
        action_groups[aid].add(gid)
    joint = sum(1 for aid in coalition.actions if len(action_groups.get(aid, ())) >= 2)
    resource_groups: dict[str, set[str]] = defaultdict(set)
    for gid, rid, *_ in coalition.shares:
        resource_groups[rid].add(gid)
    shared = sum(1 for groups in resource_groups.values() if len(groups) >= 2)
    share = summary.get("cross_movement_tie_share")
    share_text = "" if share is None or share != share else f"{100 * share:.0f}%"
    window = {"since": coalition.since, "until": coalition.until}
    return [
        {
            "label": "Movements",
            "value": number_text(len(coalition.movements)),
            "hint": "see how they are linked",
            "href": href("/movements", **window),
        },
        {
            "label": "Groups",
            "value": number_text(len(coalition.groups)),
            "hint": f"{number_text(G.number_of_edges())} ties between them",
            "href": href("/network", **window),
        },
        {
            "label": "Members",
            "value": count_text(member_total, threshold),
            "hint": f"{count_text(bridging, threshold)} in groups of 2+ movements",
            "href": href("/brokers", **window),
        },
        {
            "label": "Joint actions",
            "value": number_text(joint),
            "hint": f"of {number_text(len(coalition.actions))} actions",
            "href": href("/timeline", **window),
        },
        {
            "label": "Shared resources",
            "value": number_text(shared),
            "hint": f"of {number_text(len(coalition.resources))} resources",
            "href": href("/network", ties="resources", **window),
        },
        {
            "label": "Cross-movement ties",
            "value": share_text or MISSING,
            "hint": "share of ties linking two movements",
            "href": href("/movements", **window),
        },
    ]


def kpi_cards(kpis: Iterable[Mapping[str, str]]) -> html.Div:
    return html.Div(
        [
            dcc.Link(
                [
                    html.Div(k["value"], className="kpi-value"),
                    html.Div(k["label"], className="kpi-label"),
                    html.Div(k["hint"], className="kpi-hint"),
                ],
                href=k["href"],
                className="kpi",
            )
            for k in kpis
        ],
        className="kpis",
    )


def top_bridges(groups: Iterable[Mapping[str, Any]], n: int = 8) -> list[Mapping[str, Any]]:
    """The groups that bridge movements most: participation, then betweenness."""

    def key(g):
        p = g.get("participation")
        b = g.get("betweenness")
        p = -1.0 if p is None or p != p else p
        b = -1.0 if b is None or b != b else b
        return (-p, -b, str(g.get("group_id")))

    return sorted(groups, key=key)[:n]


def bridges_table(
    groups: Sequence[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    since: str | None = None,
    until: str | None = None,
) -> html.Table:
    rows = []
    for g in groups:
        gid = g["group_id"]
        rows.append(
            [
                dcc.Link(
                    str(g.get("name") or gid),
                    href=href("/network", focus=gid, since=since, until=until),
                ),
                movement_names.get(g.get("primary_movement"), g.get("primary_movement") or ""),
                number_text(g.get("participation")),
                number_text(g.get("betweenness")),
                number_text(g.get("degree")),
            ]
        )
    return simple_table(
        ["Group", "Primary movement", "Participation", "Betweenness", "Tied groups"],
        rows,
        numeric={2, 3, 4},
        caption="Groups whose ties spread most evenly across movements",
    )


def cross_pairs_table(
    matrix: Iterable[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    n: int = 6,
    threshold: int = 5,
) -> html.Table:
    pairs = [r for r in matrix if r.get("movement_a") != r.get("movement_b") and r.get("ties")]
    pairs.sort(key=lambda r: (-r["ties"], r["movement_a"], r["movement_b"]))
    rows = [
        [
            movement_names.get(r["movement_a"], r["movement_a"]),
            movement_names.get(r["movement_b"], r["movement_b"]),
            number_text(r.get("ties")),
            number_text(r.get("joint_actions")),
            count_text(r.get("shared_members"), threshold),
        ]
        for r in pairs[:n]
    ]
    return simple_table(
        ["Movement", "Movement", "Ties", "Joint actions", "Shared members"],
        rows,
        numeric={2, 3, 4},
        caption="Movement pairs with the most ties between their groups",
    )


# -- timeline ----------------------------------------------------------------------------------
PERIODS = {"year": "Year", "quarter": "Quarter", "month": "Month"}


def _period(date: str, period: str) -> str:
    if period == "month":
        return date[:7]
    if period == "quarter":
        return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"
    return date[:4]


def _joint_actions(
    coalition: Coalition, movements: Iterable[str] | None = None
) -> Iterable[tuple[str, dict, set[str], bool]]:
    """Each joint action (two or more groups) with a start date: id, action, groups, across."""
    wanted = set(movements or ())
    groups_of: dict[str, set[str]] = defaultdict(set)
    for gid, aid, *_ in coalition.participations:
        if gid in coalition.groups:
            groups_of[aid].add(gid)
    for aid, action in coalition.actions.items():
        gids = groups_of.get(aid, set())
        if not action.get("start_date") or len(gids) < 2:
            continue
        if wanted and not any(wanted.intersection(coalition.groups[g]["movements"]) for g in gids):
            continue
        primaries = {coalition.primary_movement(g) for g in gids} - {None}
        yield aid, action, gids, len(primaries) >= 2


def timeline_rows(
    coalition: Coalition, *, period: str = "year", movements: Iterable[str] | None = None
) -> list[dict]:
    """Joint actions (two or more groups) per period, within one movement or across several.

    An action is *across* movements when its groups have two or more
    different primary movements. With ``movements``, only actions with a
    group in one of them count. Periods without actions in between are
    included with zeros. Each row: ``period`` (``2021``, ``2021-Q3`` or
    ``2021-07``), ``start`` (its first day), ``within``, ``across``.
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    counts: dict[str, Counter] = defaultdict(Counter)
    for _aid, action, _gids, across in _joint_actions(coalition, movements):
        counts[_period(action["start_date"], period)]["across" if across else "within"] += 1
    if not counts:
        return []
    keys = _fill_periods(sorted(counts), period)
    return [
        {
            "period": k,
            "start": period_start(k),
            "within": counts[k]["within"],
            "across": counts[k]["across"],
        }
        for k in keys
    ]


def period_start(key: str) -> str:
    """The first day of a period key: ``2021`` → ``2021-01-01``, ``2021-Q3`` → ``2021-07-01``.

    >>> period_start("2021-Q3"), period_start("2021-07"), period_start("2021")
    ('2021-07-01', '2021-07-01', '2021-01-01')
    """
    if "-Q" in key:
        year, quarter = key.split("-Q")
        return f"{year}-{3 * (int(quarter) - 1) + 1:02d}-01"
    if len(key) == 7:
        return key + "-01"
    return key + "-01-01"


def period_key(value: Any, period: str) -> str | None:
    """A period key of ``period`` from a URL value or a clicked bar, or None if it is not one."""
    text = str(value or "").strip()
    if period == "year" and len(text) == 4 and text.isdigit():
        return text
    if period == "quarter" and len(text) == 7 and text[:4].isdigit() and text[4:6] == "-Q":
        return text if text[6] in "1234" else None
    if period == "month" and len(text) == 7 and text[:4].isdigit() and text[4] == "-":
        return text if text[5:].isdigit() and 1 <= int(text[5:]) <= 12 else None
    return None


def period_actions(
    coalition: Coalition,
    key: str,
    *,
    period: str = "year",
    movements: Iterable[str] | None = None,
    movement_names: Mapping[str, str] | None = None,
    shown: int = 100,
) -> html.Div:
    """The joint actions of one period (the bar clicked), earliest first: a table.

    Each row gives the date, the action's name and type, how many groups
    took part and whether they came from one movement or several. At most
    ``shown`` rows; the rest are counted.
    """
    movement_names = movement_names or {}
    found = sorted(
        (
            (action["start_date"], str(action.get("name") or aid), aid, action, gids, across)
            for aid, action, gids, across in _joint_actions(coalition, movements)
            if _period(action["start_date"], period) == key
        ),
    )
    if not found:
        return html.Div(
            [
                html.H2(f"Joint actions in {key}"),
                notice("No joint actions in this period.", kind="info"),
            ],
            className="card",
        )
    rows = []
    for start, name, _aid, action, gids, across in found[:shown]:
        primaries = sorted({coalition.primary_movement(g) for g in gids} - {None})
        rows.append(
            [
                start,
                name,
                str(action.get("type") or ""),
                number_text(len(gids)),
                "; ".join(movement_names.get(m, m) for m in primaries),
                "across" if across else "within",
            ]
        )
    across = sum(1 for *_rest, a in found if a)
    caption = f"{len(found):,} joint actions in {key}, {across:,} of them across movements" + (
        f"; the first {shown:,} by date" if len(found) > shown else ""
    )
    return html.Div(
        [
            html.H2(f"Joint actions in {key}"),
            simple_table(
                ["Date", "Action", "Type", "Groups", "Primary movements", ""],
                rows,
                numeric={3},
                caption=caption,
            ),
        ],
        className="card period-actions",
        **{"data-period": key, "data-count": str(len(found))},
    )


def _fill_periods(keys: list[str], period: str) -> list[str]:
    first, last = keys[0], keys[-1]

    def step(k: str) -> str:
        if period == "year":
            return str(int(k) + 1)
        if period == "quarter":
            y, q = int(k[:4]), int(k[-1])
            return f"{y + (q == 4)}-Q{q % 4 + 1}"
        y, m = int(k[:4]), int(k[5:7])
        return f"{y + (m == 12)}-{m % 12 + 1:02d}"

    out = [first]
    while out[-1] < last and len(out) < 10_000:
        out.append(step(out[-1]))
    return out


def timeline_figure(
    rows: Sequence[Mapping[str, Any]], *, period: str = "year", selected: str | None = None
) -> go.Figure:
    """Stacked bars of joint actions per period on a date axis, with a range selector.

    Each bar carries its period key as ``customdata`` (a click selects the
    period); the ``selected`` one is outlined.
    """
    x = [r.get("start") or period_start(r["period"]) for r in rows]
    keys = [r["period"] for r in rows]
    outline = [2.5 if k == selected else 0 for k in keys]
    fig = go.Figure(
        [
            go.Bar(
                name="Within one movement",
                x=x,
                y=[r["within"] for r in rows],
                customdata=keys,
                hovertemplate="%{customdata}: %{y} within one movement<extra></extra>",
                marker={"color": OKABE_ITO[4], "line": {"color": "#000000", "width": outline}},
                xperiod={"year": "M12", "quarter": "M3", "month": "M1"}.get(period, "M12"),
                xperiodalignment="middle",
            ),
            go.Bar(
                name="Across movements",
                x=x,
                y=[r["across"] for r in rows],
                customdata=keys,
                hovertemplate="%{customdata}: %{y} across movements<extra></extra>",
                marker={"color": OKABE_ITO[0], "line": {"color": "#000000", "width": outline}},
                xperiod={"year": "M12", "quarter": "M3", "month": "M1"}.get(period, "M12"),
                xperiodalignment="middle",
            ),
        ]
    )
    fig.update_layout(
        barmode="stack",
        title={"text": f"Joint actions per {period} — click a bar to list its actions", "x": 0},
        xaxis={
            "type": "date",
            "title": {"text": PERIODS.get(period, period)},
            "rangeslider": {"visible": True, "thickness": 0.08},
            "rangeselector": {
                "buttons": [
                    {"count": 1, "label": "1 y", "step": "year", "stepmode": "backward"},
                    {"count": 3, "label": "3 y", "step": "year", "stepmode": "backward"},
                    {"count": 5, "label": "5 y", "step": "year", "stepmode": "backward"},
                    {"step": "all", "label": "all"},
                ]
            },
        },
        yaxis={"title": {"text": "Joint actions"}, "fixedrange": True},
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        height=480,
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        plot_bgcolor="#ffffff",
        font={"family": "system-ui, sans-serif"},
        uirevision=period,
    )
    return fig


# -- paths and what-if -------------------------------------------------------------------------
def path_list(
    paths: Sequence[Sequence[Mapping[str, Any]]],
    names: Mapping[str, str],
    *,
    threshold: int = 5,
) -> html.Div:
    """How two groups are connected: each shortest path, hop by hop, with its tie types."""
    if not paths:
        return notice("These two groups are not connected in this window.", kind="info")
    if paths == [[]]:
        return notice("Pick two different groups.", kind="info")
    hops = len(paths[0])
    blocks = []
    for i, path in enumerate(paths, start=1):
        steps = []
        for hop in path:
            steps.append(
                html.Li(
                    [
                        html.Span(names.get(hop["from"], hop["from"]), className="hop-from"),
                        html.Span(" → ", className="hop-arrow"),
                        html.Span(names.get(hop["to"], hop["to"]), className="hop-to"),
                        html.Div(tie_summary(hop, threshold), className="hop-ties muted"),
                    ],
                    className="hop",
                )
            )
        blocks.append(
            html.Section(
                [html.H4(f"Path {i}"), html.Ol(steps, className="hops")], className="path card"
            )
        )
    summary = (
        f"{len(paths)} shortest path{'s' if len(paths) != 1 else ''} of "
        f"{hops} hop{'s' if hops != 1 else ''}"
    )
    return html.Div([html.P(summary, className="path-summary"), *blocks])


def removal_counts(
    G: nx.Graph, remove: Iterable[str], *, cross_before: int | None = None
) -> dict[str, tuple[int, int]]:
    """Groups, ties and ties across movements before and after ``remove`` leave.

    ``cross_before`` (the ties across movements of ``G``) saves counting them.

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y"}, "primary_movement")
    >>> removal_counts(G, ["b"])
    {'groups': (3, 2), 'ties': (2, 0), 'cross': (1, 0)}
    """
    gone = {g for g in remove if g in G}
    primary = G.nodes

    def crosses(u, v) -> bool:
        return primary[u].get("primary_movement") != primary[v].get("primary_movement")

    if cross_before is None:
        cross_before = sum(1 for u, v in G.edges() if crosses(u, v))
    lost = {frozenset((g, other)) for g in gone for other in G[g]}
    cross_lost = sum(1 for e in lost if len(e) == 2 and crosses(*e))
    return {
        "groups": (G.number_of_nodes(), G.number_of_nodes() - len(gone)),
        "ties": (G.number_of_edges(), G.number_of_edges() - len(lost)),
        "cross": (cross_before, cross_before - cross_lost),
    }


def whatif_summary(
    result: Mapping[str, Any],
    names: Mapping[str, str],
    movement_names: Mapping[str, str],
    *,
    counts: Mapping[str, tuple[int, int]] | None = None,
) -> html.Div:
    """Before and after a set of groups leaves: components, fragmentation, lost movement links.

    ``counts`` (see :func:`removal_counts`) adds groups, ties and ties across
    movements.
    """
    removed = [names.get(g, g) for g in result.get("removed", [])]
    lost = result.get("lost_movement_pairs") or []
    labels = {"groups": "Groups", "ties": "Ties", "cross": "Ties across movements"}
    rows = [
        [labels[key], number_text(before), number_text(after)]
        for key, (before, after) in (counts or {}).items()
        if key in labels
    ] + [
        [
            "Connected components",
            number_text(result.get("components_before")),
            number_text(result.get("components_after")),
        ],
        [
            "Fragmentation",
            _percent(result.get("fragmentation_before")),
            _percent(result.get("fragmentation_after")),
        ],
    ]
    lost_block = (
        html.Ul(
            [html.Li(f"{movement_names.get(a, a)} — {movement_names.get(b, b)}") for a, b in lost],
            className="plain",
        )
        if lost
        else html.P("No pair of movements loses its last direct tie.", className="muted")
    )
    return html.Div(
        [
            html.P("Leaving: " + "; ".join(removed), className="whatif-removed"),
            simple_table(["", "Before", "After"], rows, numeric={1, 2}),
            html.H4("Movement pairs left without a direct tie"),
            lost_block,
        ]
    )


def _percent(value: Any) -> str:
    if value is None or value != value:
        return MISSING
    return f"{100 * float(value):.1f}%"


def ranking_table(
    ranking: Sequence[Mapping[str, Any]],
    *,
    components: int,
    n: int = 10,
    since: str | None = None,
    until: str | None = None,
    fallback: Sequence[Mapping[str, Any]] | None = None,
) -> html.Div:
    """The groups whose single departure would split the coalition, most fragmenting first.

    When no single group splits it, ``fallback`` (group metric rows, highest
    betweenness first) is listed instead, if given.

    ``ranking`` is :func:`graph.metrics.fragmentation_ranking`'s;
    ``components`` the number of connected components with everyone in.
    A group counts when the others fall into more components without it.
    """
    top = [r for r in ranking if (r.get("components") or 0) > components][:n]
    if not top and fallback:
        rows = [
            [
                dcc.Link(
                    str(r.get("name") or r["group_id"]),
                    href=href("/whatif", remove=r["group_id"], since=since, until=until),
                ),
                number_text(r.get("betweenness"), 4),
                number_text(r.get("degree")),
            ]
            for r in fallback[:n]
        ]
        return html.Div(
            [
                html.P(
                    "No single group's departure splits the coalition in this window. "
                    "These groups carry the most shortest paths between the others "
                    "(betweenness): without them, links get longer first.",
                    className="muted",
                ),
                simple_table(
                    ["Group", "Betweenness", "Tied groups"],
                    rows,
                    numeric={1, 2},
                    caption="Groups the others rely on most to reach each other",
                ),
            ]
        )
    if not top:
        return html.P(
            "No single group's departure splits the coalition in this window.", className="muted"
        )
    rows = [
        [
            dcc.Link(
                str(r.get("name") or r["group_id"]),
                href=href("/whatif", remove=r["group_id"], since=since, until=until),
            ),
            _percent(r.get("fragmentation")),
            number_text(r.get("components")),
        ]
        for r in top
    ]
    return simple_table(
        ["Group", "Fragmentation after", "Components after"],
        rows,
        numeric={1, 2},
        caption="Groups whose departure alone would split the coalition most",
    )


# -- generic pieces -----------------------------------------------------------------------------
def notice(text: str, *, kind: str = "error") -> html.Div:
    """A message on the page (an error, or information), as text."""
    return html.Div(str(text), className=f"notice notice-{kind}", role="alert")


def simple_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    numeric: Iterable[int] = (),
    caption: str | None = None,
) -> html.Table:
    """An HTML table whose cells are text or Dash components (never raw HTML)."""
    numeric = set(numeric)
    head = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col", className="num" if i in numeric else None)
                for i, h in enumerate(headers)
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(cell, className="num" if i in numeric else None)
                    for i, cell in enumerate(row)
                ]
            )
            for row in rows
        ]
    )
    children = [html.Caption(caption)] if caption else []
    return html.Table([*children, head, body], className="table")
