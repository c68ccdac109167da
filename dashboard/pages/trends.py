"""Trends (``/trends``): how the coalition changed period by period.

Every period is measured as ``coalition trends`` measures it
(:func:`graph.metrics.trends.trends`, the same figures as the other pages
show for that window). The first visit for a period length and span starts
the measuring in the background and shows how far it got; the result is kept
(:meth:`dashboard.data.CoalitionData.trends`), so later visits answer from
memory. Period length, span, a group to follow and a heatmap cell
(``?cell=2021-01-01,blm,queer``) live in the URL.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import components, data, ids, params
from dashboard.components import (
    chart,
    controls,
    group_picker,
    group_search,
    guarded,
    page,
    radio_field,
    retry_input,
    window_controls,
    window_inputs,
)
from dashboard.model.trends import cell_ties, period_of
from dashboard.views.trends import (
    EVERY,
    at_risk_list,
    cell_listing,
    changes_figure,
    course_figures,
    pairs_heatmap,
    rank_figure,
    trends_status,
)

dash.register_page(__name__, path="/trends", name="Trends", title="Trends · Coalition", order=8)

DEFAULT_EVERY = "year"


def layout(every=None, since=None, until=None, group=None, cell=None, **_query):
    every = params.url_choice(every, EVERY, DEFAULT_EVERY)
    chosen = params.trend_cell(params.one(cell))
    return page(
        ids.TRENDS_URL,
        "Trends",
        "How the coalition changed, period by period: each period's coalition graph is "
        "built from the memberships, actions and shares that overlap it, exactly as a date "
        "window on the other pages. Follow the share of ties across movements and "
        "solidarity reciprocity, the links between movements, the brokers rising and "
        "falling, and the ties gained and lost.",
        controls(
            radio_field("Per", ids.TRENDS_EVERY, EVERY, every),
            window_controls(ids.TRENDS_SINCE, ids.TRENDS_UNTIL, since, until),
            group_picker(
                "Follow a group",
                ids.TRENDS_GROUP,
                params.one(group),
                hint="Its betweenness rank is drawn among the brokers.",
            ),
        ),
        html.Div(id=ids.TRENDS_STATUS),
        html.Div([chart(ids.TRENDS_SIZES), chart(ids.TRENDS_SHARES)], className="two-columns"),
        chart(ids.TRENDS_PAIRS),
        html.Div(id=ids.TRENDS_CELL_GROUPS),
        html.Div(id=ids.TRENDS_AT_RISK),
        chart(ids.TRENDS_BROKERS),
        chart(ids.TRENDS_CHANGES),
        stores=[dcc.Store(id=ids.TRENDS_CELL, data=list(chosen) if chosen else None)],
    )


group_options = group_search(ids.TRENDS_GROUP, ids.TRENDS_SINCE, ids.TRENDS_UNTIL, page="trends")


@callback(
    Output(ids.TRENDS_STATUS, "children"),
    Output(ids.TRENDS_SIZES, "figure"),
    Output(ids.TRENDS_SHARES, "figure"),
    Output(ids.TRENDS_PAIRS, "figure"),
    Output(ids.TRENDS_CELL_GROUPS, "children"),
    Output(ids.TRENDS_AT_RISK, "children"),
    Output(ids.TRENDS_BROKERS, "figure"),
    Output(ids.TRENDS_CHANGES, "figure"),
    Output(ids.TRENDS_CELL, "data"),
    Output(ids.TRENDS_URL, "search"),
    Input(ids.TRENDS_EVERY, "value"),
    *window_inputs(ids.TRENDS_SINCE, ids.TRENDS_UNTIL),
    Input(ids.TRENDS_GROUP, "value"),
    Input(ids.TRENDS_PAIRS, "clickData"),
    retry_input("trends"),
    State(ids.TRENDS_CELL, "data"),
)
@guarded(lambda message: (message, *([no_update] * 9)), page="trends")
def render(every, since, until, group=None, click=None, _retry=None, stored=None):
    every = params.choice(every, EVERY, "period", default=DEFAULT_EVERY)
    since, until = params.window(since, until)
    group = params.optional_id(group, "group")
    cell = params.trend_cell(stored)
    clicked = params.clicked_trend_cell(click)
    if clicked and components.trigger() in (ids.TRENDS_PAIRS, None):
        cell = clicked
    source = data.current()
    result = source.trends(every, since, until, wait=source.wait)
    full = source.full_coalition(wait=source.wait)
    _whole, snap = data.current_snapshot()
    movement_names, group_names = snap.movement_names, snap.group_names
    period = period_of(result, cell[0]) if cell else None
    if period is None or not all(m in full.movements for m in cell[1:]):
        cell = None
    sizes, shares = course_figures(result)
    query = {"every": every if every != DEFAULT_EVERY else None, "since": since, "until": until}
    if cell:
        listing = cell_listing(
            cell_ties(full, *period, cell[1], cell[2]),
            period,
            cell[1],
            cell[2],
            group_names=group_names,
            movement_names=movement_names,
            threshold=source.suppress_below,
        )
    else:
        listing = html.P(
            "Click a cell of the heatmap to list the groups behind it.", className="muted"
        )
    search = params.query_string(
        {**query, "group": group, "cell": ",".join(cell) if cell else None}
    )
    return (
        trends_status(result),
        sizes,
        shares,
        pairs_heatmap(result, movement_names, cell=cell),
        listing,
        at_risk_list(result, movement_names, query={**query, "group": group}),
        rank_figure(result, group_names, chosen=[group] if group else []),
        changes_figure(result),
        list(cell) if cell else None,
        search,
    )
