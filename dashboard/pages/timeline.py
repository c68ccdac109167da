"""Timeline (``/timeline``): joint actions over time, within one movement or across several.

A range selector (buttons and a slider under the chart) zooms in on a span
of time; clicking a bar lists the joint actions of its period (``?sel=2021``
in the URL restores it). Needs the coalition only, never the metric suite.
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
    radio_field,
    retry_input,
    window_controls,
    window_inputs,
)
from dashboard.views.tables import choice_options
from dashboard.views.timeline import (
    PERIODS,
    period_actions,
    period_key,
    timeline_figure,
    timeline_rows,
    timeline_status,
)
from graph.errors import UsageError

dash.register_page(
    __name__, path="/timeline", name="Timeline", title="Timeline · Coalition", order=4
)

DEFAULT_PERIOD = "year"


def layout(period=None, movements=None, since=None, until=None, sel=None, **_query):
    period = params.url_choice(period, PERIODS, DEFAULT_PERIOD)
    return page(
        ids.TIMELINE_URL,
        "Timeline",
        [
            "Joint actions (two or more groups) by start date. An action is across "
            "movements when its groups have different primary movements. Zoom with the "
            "buttons or the slider under the chart; click a bar to list its actions. ",
            dcc.Link(
                "How the whole coalition changed, period by period: Trends",
                href=params.href(
                    "/trends",
                    every=period if period != DEFAULT_PERIOD else None,
                    since=params.parse_date(params.one(since)) if _is_date(since) else None,
                    until=params.parse_date(params.one(until)) if _is_date(until) else None,
                ),
                id=ids.TIMELINE_TRENDS,
            ),
        ],
        controls(
            radio_field("Per", ids.TIMELINE_PERIOD, PERIODS, period),
            movement_picker(ids.TIMELINE_MOVEMENTS, params.split_list(movements)),
            window_controls(ids.TIMELINE_SINCE, ids.TIMELINE_UNTIL, since, until),
        ),
        html.Div(id=ids.TIMELINE_STATUS),
        chart(ids.TIMELINE_CHART),
        html.Div(id=ids.TIMELINE_ACTIONS),
        stores=[dcc.Store(id=ids.TIMELINE_SELECTED, data=period_key(params.one(sel), period))],
    )


def _is_date(value) -> bool:
    """Whether a URL value is a date (a link made from a malformed one leaves it out)."""
    try:
        return bool(params.parse_date(params.one(value)))
    except UsageError:
        return False


@callback(
    Output(ids.TIMELINE_CHART, "figure"),
    Output(ids.TIMELINE_STATUS, "children"),
    Output(ids.TIMELINE_MOVEMENTS, "options"),
    Output(ids.TIMELINE_ACTIONS, "children"),
    Output(ids.TIMELINE_SELECTED, "data"),
    Output(ids.TIMELINE_URL, "search"),
    Input(ids.TIMELINE_PERIOD, "value"),
    Input(ids.TIMELINE_MOVEMENTS, "value"),
    *window_inputs(ids.TIMELINE_SINCE, ids.TIMELINE_UNTIL),
    Input(ids.TIMELINE_CHART, "clickData"),
    retry_input("timeline"),
    State(ids.TIMELINE_SELECTED, "data"),
)
@guarded(
    lambda message: (no_update, message, no_update, no_update, no_update, no_update),
    page="timeline",
)
def render(period, movements, since, until, click=None, _retry=None, selected=None):
    period = params.choice(period, PERIODS, "period", default=DEFAULT_PERIOD)
    movements = params.id_list(movements, "movements")
    since, until = params.window(since, until)
    trigger = components.trigger()
    if trigger == ids.TIMELINE_CHART:
        selected = params.clicked_point(click)
    else:
        selected = params.optional_id(selected, "selected period")
    selected = period_key(selected, period)
    source, snap = data.current_snapshot(since, until)
    movements = [m for m in movements if m in snap.coalition.movements]
    rows = snap.memo(
        ("timeline", period, tuple(movements)),
        lambda: timeline_rows(snap.coalition, period=period, movements=movements),
    )
    if selected and selected not in {r["period"] for r in rows}:
        selected = None
    figure = timeline_figure(rows, period=period, selected=selected)
    status = timeline_status(rows)
    listing = (
        snap.memo(
            ("period actions", selected, period, tuple(movements)),
            lambda: period_actions(
                snap.coalition,
                selected,
                period=period,
                movements=movements,
                movement_names=snap.movement_names,
            ),
        )
        if selected
        else html.P("Click a bar to list the joint actions of its period.", className="muted")
    )
    options = choice_options(snap.movement_names, with_id=False)
    search = params.query_string(
        {
            "period": period,
            "movements": movements,
            "since": snap.since,
            "until": snap.until,
            "sel": selected,
        },
        {"period": DEFAULT_PERIOD},
    )
    return figure, status, options, listing, selected, search
