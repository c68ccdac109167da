"""Brokers (``/brokers``): every group metric in a sortable, filterable table, as CSV too."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
from dash import Input, Output, callback, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import data, ids, params
from dashboard.components import (
    controls,
    guarded,
    page,
    retry_input,
    window_controls,
    window_inputs,
)
from dashboard.views.brokers import (
    bridging_block,
    broker_columns,
    broker_rows,
    sampling_note,
)

dash.register_page(__name__, path="/brokers", name="Brokers", title="Brokers · Coalition", order=3)


def layout(since=None, until=None, **_query):
    return page(
        ids.BROKERS_URL,
        "Brokers",
        "Every group with its position in the coalition. Sort by a column, filter "
        "under its header, and download what is shown as CSV.",
        controls(
            window_controls(ids.BROKERS_SINCE, ids.BROKERS_UNTIL, since, until),
            html.Button("Download CSV", id=ids.BROKERS_DOWNLOAD, n_clicks=0, className="button"),
        ),
        html.Div(id=ids.BROKERS_STATUS),
        dag.AgGrid(
            id=ids.BROKERS_GRID,
            columnDefs=broker_columns(),
            rowData=[],
            defaultColDef={
                "sortable": True,
                "filter": True,
                "resizable": True,
                "floatingFilter": True,
                "minWidth": 110,
            },
            columnSize="autoSize",
            getRowId="params.data.group_id",
            dashGridOptions={
                "pagination": True,
                "paginationPageSize": 25,
                "paginationPageSizeSelector": [25, 50, 100],
                "tooltipShowDelay": 300,
                "enableCellTextSelection": True,
                "animateRows": False,
            },
            csvExportParams={
                "fileName": "group-metrics.csv",
                "processCellCallback": {"function": "coalitionCsvCell(params)"},
            },
            style={"height": "640px", "width": "100%"},
            className="grid",
        ),
        html.Section(
            [
                html.H2("Members bridging movements"),
                html.P(
                    "People in groups of two movements carry news, trust and skills "
                    "between them. Shown as counts per pair of movements only.",
                    className="muted",
                ),
                html.Div(id=ids.BROKERS_BRIDGING),
            ],
            className="card bridging",
        ),
    )


@callback(
    Output(ids.BROKERS_GRID, "rowData"),
    Output(ids.BROKERS_STATUS, "children"),
    Output(ids.BROKERS_URL, "search"),
    *window_inputs(ids.BROKERS_SINCE, ids.BROKERS_UNTIL),
    retry_input("brokers"),
)
@guarded(lambda message: ([], message, no_update), page="brokers")
def render(since, until, _retry=None):
    since, until = params.window(since, until)
    source, snap = data.current_snapshot(since, until)
    report = snap.get("report", wait=source.wait)
    rows = snap.memo(
        ("broker rows",),
        lambda: broker_rows(
            report.groups,
            counts=snap.group_counts,
            movement_names=snap.movement_names,
            threshold=source.suppress_below,
        ),
    )
    note = sampling_note(report.summary)
    return rows, note, params.query_string({"since": snap.since, "until": snap.until})


@callback(
    Output(ids.BROKERS_BRIDGING, "children"),
    *window_inputs(ids.BROKERS_SINCE, ids.BROKERS_UNTIL),
    retry_input("brokers-bridging"),
)
@guarded(lambda message: message, page="brokers-bridging")
def bridging(since, until, _retry=None):
    since, until = params.window(since, until)
    source, snap = data.current_snapshot(since, until)
    return bridging_block(
        snap.bridging_members,
        snap.matrix,
        snap.movement_names,
        threshold=source.suppress_below,
    )


@callback(
    Output(ids.BROKERS_GRID, "exportDataAsCsv"),
    Input(ids.BROKERS_DOWNLOAD, "n_clicks"),
    prevent_initial_call=True,
)
def download(n_clicks):
    if isinstance(n_clicks, bool) or not isinstance(n_clicks, int) or n_clicks < 1:
        raise PreventUpdate
    return True
