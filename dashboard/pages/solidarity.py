"""Solidarity (``/solidarity``): who shows up for whom between movements, and whether it is mutual.

The matrix counts directed support events (:mod:`graph.metrics.solidarity`):
rows give, columns receive. Clicking a cell lists the actions and resources
behind that flow (``?cell=a,b`` in the URL restores it). Needs the
coalition's tables only, never the metric suite.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import components, data, ids, params
from dashboard.components import (
    chart,
    controls,
    guarded,
    movement_picker,
    page,
    retry_input,
    window_controls,
    window_inputs,
)
from dashboard.model.solidarity import FlowIndex, flow_items
from dashboard.views.solidarity import (
    flow_figure,
    flow_items_block,
    pairs_table,
    select_flow,
    solidarity_headline,
    top_groups_table,
)
from dashboard.views.tables import choice_options

dash.register_page(
    __name__, path="/solidarity", name="Solidarity", title="Solidarity · Coalition", order=7
)


def layout(movements=None, since=None, until=None, cell=None, **_query):
    return page(
        ids.SOLIDARITY_URL,
        "Solidarity",
        "Who shows up for whom. In a joint action, partners, endorsers and participants "
        "show up for its organizers; with a shared resource, providers support recipients. "
        "Each row is the movement that gives, each column the movement that receives; "
        "compare a cell with its mirror across the diagonal to see whether support runs "
        "both ways. Click a cell to list the actions and resources behind it.",
        controls(
            movement_picker(
                ids.SOLIDARITY_MOVEMENTS,
                params.split_list(movements),
                hint="Only the groups in any of these movements.",
            ),
            window_controls(ids.SOLIDARITY_SINCE, ids.SOLIDARITY_UNTIL, since, until),
        ),
        html.Div(id=ids.SOLIDARITY_STATUS),
        html.Div(id=ids.SOLIDARITY_HEADLINE),
        chart(ids.SOLIDARITY_CHART),
        html.Div(id=ids.SOLIDARITY_ITEMS),
        html.Section(
            [
                html.H2("Does support run both ways? Each pair of movements"),
                html.P("The most one-sided pairs first.", className="muted"),
                html.Div(id=ids.SOLIDARITY_PAIRS),
            ],
            className="card",
        ),
        html.Div(
            [
                html.Section(
                    [
                        html.H2("Groups that show up across movements most"),
                        html.Div(id=ids.SOLIDARITY_GIVERS),
                    ],
                    className="card",
                ),
                html.Section(
                    [
                        html.H2("Groups that receive most from other movements"),
                        html.Div(id=ids.SOLIDARITY_RECEIVERS),
                    ],
                    className="card",
                ),
            ],
            className="two-columns",
        ),
        stores=[dcc.Store(id=ids.SOLIDARITY_CELL, data=params.url_cell(cell))],
    )


@callback(
    Output(ids.SOLIDARITY_CHART, "figure"),
    Output(ids.SOLIDARITY_STATUS, "children"),
    Output(ids.SOLIDARITY_HEADLINE, "children"),
    Output(ids.SOLIDARITY_PAIRS, "children"),
    Output(ids.SOLIDARITY_GIVERS, "children"),
    Output(ids.SOLIDARITY_RECEIVERS, "children"),
    Output(ids.SOLIDARITY_ITEMS, "children"),
    Output(ids.SOLIDARITY_MOVEMENTS, "options"),
    Output(ids.SOLIDARITY_CELL, "data"),
    Output(ids.SOLIDARITY_URL, "search"),
    Input(ids.SOLIDARITY_MOVEMENTS, "value"),
    *window_inputs(ids.SOLIDARITY_SINCE, ids.SOLIDARITY_UNTIL),
    Input(ids.SOLIDARITY_CHART, "clickData"),
    retry_input("solidarity"),
    State(ids.SOLIDARITY_CELL, "data"),
)
@guarded(lambda message: (no_update, message, *[no_update] * 8), page="solidarity")
def render(movements, since, until, click=None, _retry=None, cell=None):
    movements = params.id_list(movements, "movements")
    since, until = params.window(since, until)
    source, snap = data.current_snapshot(since, until)
    cell = components.chosen_cell(click, cell, ids.SOLIDARITY_CHART, snap)
    movements = [m for m in movements if m in snap.coalition.movements]
    solidarity = snap.solidarity_among(movements)
    names, groups = snap.movement_names, snap.group_names
    tables = snap.memo(
        ("solidarity tables", tuple(sorted(movements))),
        lambda: (
            pairs_table(solidarity.pairs_by_one_sidedness(), names),
            *(
                top_groups_table(
                    solidarity.groups,
                    solidarity.primary,
                    key=key,
                    movement_names=names,
                    group_names=groups,
                    since=snap.since,
                    until=snap.until,
                )
                for key in ("given_across", "received_across")
            ),
        ),
    )
    chosen = tuple(sorted(movements))
    if cell:
        # A click lists one flow: its events only, through an index made once per choice.
        index = snap.memo(
            ("solidarity flow index", chosen), lambda: FlowIndex(solidarity, snap.coalition)
        )
        items = snap.memo(
            ("solidarity flow items", chosen, cell),
            lambda: flow_items_block(
                flow_items(solidarity, snap.coalition, *cell, index=index),
                *cell,
                movement_names=names,
                group_names=groups,
            ),
        )
    else:
        items = html.P(
            "Click a cell of the matrix to list the actions and resources behind it.",
            className="muted",
        )
    # Made once per choice of movements; a click only outlines its cell (select_flow).
    plain = snap.memo(
        ("solidarity figure", chosen), lambda: flow_figure(solidarity.flows, names).to_plotly_json()
    )
    figure = select_flow(plain, names, cell)
    search = params.query_string(
        {
            "movements": movements,
            "since": snap.since,
            "until": snap.until,
            "cell": list(cell) if cell else None,
        }
    )
    return (
        figure,
        None,
        solidarity_headline(
            solidarity.reciprocity, solidarity.counts, solidarity.most_one_sided(), names
        ),
        *tables,
        items,
        choice_options(names, with_id=False),
        list(cell) if cell else None,
        search,
    )
