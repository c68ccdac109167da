"""Movements (``/movements``): the movement × movement matrix per tie type, and each E–I index.

Clicking a cell lists the groups that make those links (``?cell=a,b`` in the
URL restores it). Needs the coalition graph only, never the metric suite.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import components, data, ids, params
from dashboard.components import (
    CHART_CONFIG,
    chart,
    controls,
    guarded,
    page,
    radio_field,
    retry_input,
    window_controls,
    window_inputs,
)
from dashboard.model.movements import pair_groups
from dashboard.views.images import chart_config
from dashboard.views.movements import (
    MATRIX_TIES,
    ei_table,
    matrix_figure,
    pair_groups_block,
)

dash.register_page(
    __name__, path="/movements", name="Movements", title="Movements · Coalition", order=2
)

DEFAULT_TIE = "ties"


def layout(tie=None, since=None, until=None, cell=None, **_query):
    return page(
        ids.MOVEMENTS_URL,
        "Movements",
        "How much the groups of each pair of movements have in common. The diagonal "
        "counts ties inside one movement; groups count under their primary movement. "
        "Click a cell to see the groups that make those links.",
        controls(
            radio_field(
                "Tie type",
                ids.MOVEMENTS_TIE,
                MATRIX_TIES,
                params.url_choice(tie, MATRIX_TIES, DEFAULT_TIE),
            ),
            window_controls(ids.MOVEMENTS_SINCE, ids.MOVEMENTS_UNTIL, since, until),
        ),
        html.Div(id=ids.MOVEMENTS_STATUS),
        chart(ids.MOVEMENTS_HEATMAP),
        html.Div(id=ids.MOVEMENTS_GROUPS),
        html.Section(
            [
                html.H2("Inward or outward: each movement's E–I index"),
                html.Div(id=ids.MOVEMENTS_EI),
            ],
            className="card",
        ),
        stores=[dcc.Store(id=ids.MOVEMENTS_CELL, data=params.url_cell(cell))],
    )


@callback(
    Output(ids.MOVEMENTS_HEATMAP, "config"),
    Input(ids.MOVEMENTS_TIE, "value"),
    *window_inputs(ids.MOVEMENTS_SINCE, ids.MOVEMENTS_UNTIL),
)
@guarded(lambda _message: no_update)
def picture_config(tie, since, until):
    """The matrix's camera button saves a PNG named by the tie type and the date window."""
    tie = params.choice(tie, MATRIX_TIES, "tie type", default=DEFAULT_TIE)
    since, until = params.window(since, until)
    return chart_config(CHART_CONFIG, f"movement matrix {tie}", since, until)


@callback(
    Output(ids.MOVEMENTS_HEATMAP, "figure"),
    Output(ids.MOVEMENTS_STATUS, "children"),
    Output(ids.MOVEMENTS_EI, "children"),
    Output(ids.MOVEMENTS_GROUPS, "children"),
    Output(ids.MOVEMENTS_CELL, "data"),
    Output(ids.MOVEMENTS_URL, "search"),
    Input(ids.MOVEMENTS_TIE, "value"),
    *window_inputs(ids.MOVEMENTS_SINCE, ids.MOVEMENTS_UNTIL),
    Input(ids.MOVEMENTS_HEATMAP, "clickData"),
    retry_input("movements"),
    State(ids.MOVEMENTS_CELL, "data"),
)
@guarded(
    lambda message: (no_update, message, no_update, no_update, no_update, no_update),
    page="movements",
)
def render(tie, since, until, click=None, _retry=None, cell=None):
    tie = params.choice(tie, MATRIX_TIES, "tie type", default=DEFAULT_TIE)
    since, until = params.window(since, until)
    source, snap = data.current_snapshot(since, until)
    cell = components.chosen_cell(click, cell, ids.MOVEMENTS_HEATMAP, snap)
    index = snap.get("index", wait=source.wait)
    ei = snap.get("movement_ei", wait=source.wait)
    figure = matrix_figure(
        snap.matrix, snap.movement_names, tie=tie, threshold=source.suppress_below, selected=cell
    )
    groups = None
    if cell:
        groups = pair_groups_block(
            pair_groups(index, cell[0], cell[1], tie=tie),
            cell[0],
            cell[1],
            tie=tie,
            movement_names=snap.movement_names,
            group_names=snap.group_names,
            since=snap.since,
            until=snap.until,
        )
    search = params.query_string(
        {
            "tie": tie,
            "since": snap.since,
            "until": snap.until,
            "cell": list(cell) if cell else None,
        },
        {"tie": DEFAULT_TIE},
    )
    table = ei_table(ei, snap.movement_names, tie=tie)
    return figure, None, table, groups, list(cell) if cell else None, search
