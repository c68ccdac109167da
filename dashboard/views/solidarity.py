"""The solidarity page's views: who shows up for whom between movements, and whether it is mutual.

The flows are drawn as a *from × to* matrix: each row is the movement whose
groups show up or give, each column the movement whose groups receive, and a
cell's number (and colour) counts the events. Direction reads from the axes
alone, and whether support runs both ways reads from a cell and its mirror
across the diagonal. A chord or Sankey diagram would need a trace our
content security policy's plotly build does not carry, and reads worse for a
cell-by-cell comparison; the matrix also shows the within-movement support on
its diagonal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.params import href
from dashboard.views.movements import axis_labels, movement_heatmap, outline
from dashboard.views.tables import notice, simple_table
from dashboard.views.text import MISSING, number_text, percent
from graph.metrics.solidarity import RESOURCES, SHOW_UP

__all__ = [
    "flow_figure",
    "select_flow",
    "solidarity_headline",
    "pairs_table",
    "which_way",
    "top_groups_table",
    "flow_items_block",
]

#: Reciprocity under this reads as one-way (less than a tenth of the support returned).
ONE_WAY_BELOW = 0.2


def flow_figure(
    flows: Sequence[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    selected: tuple[str, str] | None = None,
) -> go.Figure:
    """Who shows up for whom: a movement × movement matrix, rows give, columns receive.

    >>> fig = flow_figure([{"movement_from": "h", "movement_to": "l", "show_up": 2,
    ...                     "resources": 1, "total": 3}], {"h": "Housing", "l": "Labour"})
    >>> fig.data[0].z, fig.data[0].y, fig.data[0].x
    (([0.0, 3.0], [0.0, 0.0]), ('Housing', 'Labour'), ('Housing', 'Labour'))
    """
    ids = sorted(movement_names)
    index = {m: i for i, m in enumerate(ids)}
    n = len(ids)
    z = np.zeros((n, n))
    show_up = np.zeros((n, n), dtype=np.int64)
    resources = np.zeros((n, n), dtype=np.int64)
    for f in flows:
        i, j = index.get(f["movement_from"]), index.get(f["movement_to"])
        if i is None or j is None:
            continue
        z[i, j] = f["total"]
        show_up[i, j] = f[SHOW_UP]
        resources[i, j] = f[RESOURCES]
    # The diagonal (support within a movement) is usually far larger than any flow between
    # movements: the colours are scaled to the flows between movements, so they read.
    across = z[~np.eye(n, dtype=bool)] if n else z
    outlined = set()
    if selected and selected[0] in index and selected[1] in index:
        outlined = {(index[selected[0]], index[selected[1]])}
    return movement_heatmap(
        z.tolist(),
        axis_labels(ids, movement_names),
        text=[[number_text(int(v)) if v else "" for v in row] for row in z],
        customdata=np.dstack((show_up, resources)).tolist() if n else [],
        hovertemplate="%{y} → %{x}<br>%{customdata[0]} show-ups, %{customdata[1]} "
        "resource support<br>Click to list the actions and resources<extra></extra>",
        colorscale="Purples",
        colorbar="Events<br>across",
        title="Who shows up for whom: rows give, columns receive",
        outlined=outlined,
        axis_titles=("From", "To"),
        zmax=max(float(across.max(initial=0)), 1.0),
    )


def select_flow(
    figure: Mapping[str, Any],
    movement_names: Mapping[str, str],
    selected: tuple[str, str] | None,
) -> Mapping[str, Any]:
    """A :func:`flow_figure` made without a selection (as a dict, ``to_plotly_json()``) with
    the cell ``selected`` outlined, as ``flow_figure(..., selected=selected)`` draws it.

    A click on a cell only moves the outline: the figure is made once, and each
    click copies its layout, never its data. ``figure`` is not changed.

    >>> names = {"h": "Housing", "l": "Labour"}
    >>> flows = [{"movement_from": "h", "movement_to": "l", "show_up": 2, "resources": 1,
    ...           "total": 3}]
    >>> plain = flow_figure(flows, names).to_plotly_json()
    >>> select_flow(plain, names, ("h", "l")) == flow_figure(
    ...     flows, names, selected=("h", "l")).to_plotly_json()
    True
    """
    ids = sorted(movement_names)
    if not selected or selected[0] not in ids or selected[1] not in ids:
        return figure
    layout = dict(figure["layout"])
    shape = outline(ids.index(selected[0]), ids.index(selected[1]))
    layout["shapes"] = [*layout.get("shapes", ()), shape]
    return {**figure, "layout": layout}


def solidarity_headline(
    reciprocity: float | None,
    counts: Mapping[str, int],
    one_sided: Mapping[str, Any] | None,
    movement_names: Mapping[str, str],
) -> html.Div:
    """The coalition's reciprocity and its most one-sided pair, in words.

    >>> texts = solidarity_headline(0.25, {"show_up": 8, "resources": 2}, None, {}).children
    >>> texts[0].children
    '25.0%'
    """
    events = f"{number_text(counts.get(SHOW_UP, 0))} show-ups and " + (
        f"{number_text(counts.get(RESOURCES, 0))} resource support events in this window."
    )
    if reciprocity is None:
        words = "No support crosses movements in this window, so there is nothing to return."
    else:
        words = (
            "of the support between movements is matched by support the other way "
            "(weighted reciprocity, Squartini et al. 2013: 100% when every flow is returned "
            "in full, 0% when all of it runs one way)."
        )
    children = [
        html.Strong(
            percent(reciprocity) if reciprocity is not None else MISSING, className="kpi-value"
        ),
        html.P(words),
        html.P(events, className="muted"),
    ]
    if one_sided is not None:
        children.append(
            html.P(
                ["Most one-sided: ", which_way(one_sided, movement_names)], className="one-sided"
            )
        )
    return html.Div(children, className="card solidarity-headline")


def which_way(pair: Mapping[str, Any], movement_names: Mapping[str, str]) -> str:
    """How a pair's support runs, in words.

    >>> which_way({"movement_a": "a", "movement_b": "b", "a_to_b": 5, "b_to_a": 0,
    ...            "reciprocity": 0.0}, {"a": "Housing", "b": "Labour"})
    'one way: Housing → Labour (5 to 0)'
    """
    a = movement_names.get(pair["movement_a"], pair["movement_a"])
    b = movement_names.get(pair["movement_b"], pair["movement_b"])
    ab, ba = pair["a_to_b"], pair["b_to_a"]
    giver, receiver = (a, b) if ab >= ba else (b, a)
    big, small = max(ab, ba), min(ab, ba)
    if pair["reciprocity"] is not None and pair["reciprocity"] < ONE_WAY_BELOW:
        return f"one way: {giver} → {receiver} ({big:,} to {small:,})"
    if ab == ba:
        return f"balanced: {a} ↔ {b} ({ab:,} each way)"
    return f"mostly {giver} → {receiver} ({big:,} to {small:,})"


def pairs_table(pairs: Sequence[Mapping[str, Any]], movement_names: Mapping[str, str]) -> Any:
    """Each pair of movements with its reciprocity, in the order given (most one-sided first)."""
    if not pairs:
        return notice("No support crosses movements in this window.", kind="info")
    rows = []
    for p in pairs:
        one_way = p["reciprocity"] is not None and p["reciprocity"] < ONE_WAY_BELOW
        rows.append(
            [
                html.Span(
                    [
                        movement_names.get(p["movement_a"], p["movement_a"]),
                        " ↔ ",
                        movement_names.get(p["movement_b"], p["movement_b"]),
                    ]
                ),
                number_text(p["a_to_b"]),
                number_text(p["b_to_a"]),
                number_text(p["reciprocity"], 2) or MISSING,
                html.Span(
                    [
                        html.Span("one-way", className="badge") if one_way else None,
                        " ",
                        which_way(p, movement_names),
                    ],
                    className="one-way" if one_way else None,
                ),
            ]
        )
    return simple_table(
        ["Movements (A ↔ B)", "A → B", "B → A", "Reciprocity", "Which way"],
        rows,
        numeric={1, 2, 3},
        caption="Events each way between the groups of two movements (show-ups and resource "
        "support). Reciprocity = 2 · min / (A → B + B → A): 1 balanced, 0 one-way.",
    )


def top_groups_table(
    groups: Mapping[str, Mapping[str, Any]],
    primary: Mapping[str, str | None],
    *,
    key: str,
    movement_names: Mapping[str, str],
    group_names: Mapping[str, str],
    since: str | None = None,
    until: str | None = None,
    top: int = 10,
) -> Any:
    """The groups with the most ``key`` events (``given_across`` or ``received_across``)."""
    ranked = sorted(
        (row for row in groups.values() if row[key] > 0),
        key=lambda row: (-row[key], group_names.get(row["group_id"], row["group_id"])),
    )[:top]
    if not ranked:
        return notice("None in this window.", kind="info")
    given = key.startswith("given")
    rows = [
        [
            dcc.Link(
                group_names.get(r["group_id"], r["group_id"]),
                href=href("/network", focus=r["group_id"], since=since, until=until),
            ),
            movement_names.get(primary.get(r["group_id"]) or "", primary.get(r["group_id"]) or "")
            or MISSING,
            number_text(r[key]),
            number_text(r["show_up_given"] if given else r["show_up_received"]),
            number_text(r["resources_given"] if given else r["resources_received"]),
        ]
        for r in ranked
    ]
    across = "Given across movements" if given else "Received across movements"
    return simple_table(
        ["Group", "Movement", across, "Show-ups (all)", "Resources (all)"],
        rows,
        numeric={2, 3, 4},
    )


def flow_items_block(
    items: Sequence[Mapping[str, Any]],
    giver: str,
    receiver: str,
    *,
    movement_names: Mapping[str, str],
    group_names: Mapping[str, str],
    shown: int = 50,
) -> html.Div:
    """The actions and resources behind one flow: names, dates, who gave and who received."""
    a = movement_names.get(giver, giver)
    b = movement_names.get(receiver, receiver)
    title = f"{a} → {b}" if giver != receiver else f"Within {a}"
    if not items:
        return html.Div(
            [html.H2(title), notice("No support this way in this window.", kind="info")],
            className="card flow-items",
            **{"data-items": "0"},
        )

    def names(gids: Sequence[str]) -> str:
        listed = ", ".join(group_names.get(g, g) for g in gids[:6])
        return listed + (f" and {len(gids) - 6:,} more" if len(gids) > 6 else "")

    rows = [
        [
            item["name"],
            "joint action" if item["kind"] == SHOW_UP else f"resource ({item['type'] or 'other'})",
            item["date"] or MISSING,
            names(item["givers"]) + (" showed up" if item["kind"] == SHOW_UP else " provided"),
            names(item["receivers"]) + (" organised" if item["kind"] == SHOW_UP else " received"),
            number_text(item["events"]),
        ]
        for item in items[:shown]
    ]
    more = len(items) - len(rows)
    return html.Div(
        [
            html.H2(title),
            html.P(
                f"{len(items):,} actions and resources behind this flow, latest first.",
                className="muted",
            ),
            simple_table(
                ["Name", "Kind", "Date", "Giving", "Receiving", "Events"],
                rows,
                numeric={5},
            ),
            html.P(f"…and {more:,} more.", className="muted") if more > 0 else None,
        ],
        className="card flow-items",
        **{"data-items": str(len(items))},
    )
