"""The movements page's views: the movement matrix per tie type, E–I indices, a cell's groups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.params import href
from dashboard.views.tables import notice, simple_table
from dashboard.views.text import MISSING, number_text, plotly_text
from graph.privacy import SUPPRESS_BELOW, count_text
from graph.schema import TIE_KINDS, TIE_LABELS

__all__ = [
    "MATRIX_TIES",
    "axis_labels",
    "movement_heatmap",
    "matrix_cell",
    "matrix_figure",
    "ei_table",
    "pair_groups_block",
]

#: Columns of the movement matrix and their labels: any tie, then each kind of tie.
MATRIX_TIES: dict[str, str] = {
    "ties": "Ties (pairs of tied groups)",
    **{kind: TIE_LABELS[kind].capitalize() for kind in TIE_KINDS},
}


def axis_labels(ids: Sequence[str], names: Mapping[str, str]) -> list[str]:
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
    by_label = dict(zip(axis_labels(ids, movement_names), ids, strict=True))
    row, column = (by_label.get(label) for label in labels)
    return (row, column) if row and column else None


def matrix_figure(
    matrix: Iterable[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    tie: str = "ties",
    threshold: int = SUPPRESS_BELOW,
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
    labels = axis_labels(ids, movement_names)
    title = MATRIX_TIES[tie]
    cells = set()
    if selected and selected[0] in index and selected[1] in index:
        i, j = index[selected[0]], index[selected[1]]
        cells = {(i, j), (j, i)}
    return movement_heatmap(
        z.tolist(),
        labels,
        text=text,
        hovertemplate="%{y} × %{x}<br>"
        + plotly_text(title)
        + ": %{text}<br>Click to list the groups<extra></extra>",
        colorscale="Blues",
        colorbar=plotly_text(title.split(" (")[0]),
        title=plotly_text(title) + " between movements",
        outlined=cells,
    )


def movement_heatmap(
    z: list[list[float]],
    labels: list[str],
    *,
    text: list[list[str]],
    hovertemplate: str,
    colorscale: str,
    colorbar: str,
    title: str,
    outlined: set[tuple[int, int]] = frozenset(),
    customdata: Any = None,
    axis_titles: tuple[str, str] | None = None,
    zmax: float | None = None,
) -> go.Figure:
    """A movement × movement heatmap as every matrix of the dashboard draws it.

    ``labels`` are the escaped axis labels (:func:`axis_labels`), ``outlined``
    the (row, column) cells to outline; the first row is at the top. ``zmax``
    caps the colour scale (larger cells take its darkest colour).
    """
    cells = {"z": z, "x": labels, "y": labels, "text": text, "customdata": customdata}
    scale = {"colorscale": colorscale, "colorbar": {"title": {"text": colorbar}}}
    if zmax is not None:
        scale.update(zmin=0, zmax=zmax)
    fig = go.Figure(
        go.Heatmap(
            **cells, **scale, texttemplate="%{text}", hovertemplate=hovertemplate, xgap=2, ygap=2
        )
    )
    for r, c in outlined:
        fig.add_shape(**outline(r, c))
    rows, columns = axis_titles or (None, None)
    fig.update_layout(
        title={"text": title, "x": 0},
        height=max(360, 150 + 52 * len(labels)),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        yaxis={"autorange": "reversed", "automargin": True, "title": {"text": rows}},
        xaxis={"automargin": True, "tickangle": -30, "title": {"text": columns}},
        plot_bgcolor="#ffffff",
        font={"family": "system-ui, sans-serif"},
    )
    return fig


def outline(row: int, column: int) -> dict[str, Any]:
    """The Plotly shape that outlines the cell (``row``, ``column``) of a heatmap.

    >>> outline(0, 1)["x0"], outline(0, 1)["y1"]
    (0.5, 0.5)
    """
    return {
        "type": "rect",
        "x0": column - 0.5,
        "x1": column + 0.5,
        "y0": row - 0.5,
        "y1": row + 0.5,
        "line": {"color": "#000000", "width": 3},
    }


def ei_table(
    ei: Mapping[str, Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    tie: str = "ties",
) -> html.Table:
    """Each movement's ties inside and outside and its E–I index, for one tie type.

    ``ei`` is :func:`dashboard.model.movement_ei`'s. Rows run from the
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
    """The groups behind a matrix cell, a list per movement.

    ``found`` is :func:`dashboard.model.movements.pair_groups`'s answer.

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
