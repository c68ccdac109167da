"""Movements (``/movements``): the movement × movement matrix, one tie type at a time."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html, no_update

from dashboard import data, ids, inputs, views
from dashboard.components import field, guarded, loading, page_header, window_controls

dash.register_page(
    __name__, path="/movements", name="Movements", title="Movements · Coalition", order=2
)

DEFAULT_TIE = "ties"


def layout(tie=None, since=None, until=None, **_query):
    tie = views.one(tie)
    tie = tie if tie in views.MATRIX_TIES else DEFAULT_TIE
    return html.Div(
        [
            dcc.Location(id=ids.MOVEMENTS_URL, refresh=False),
            page_header(
                "Movements",
                "How much the groups of each pair of movements have in common. The diagonal "
                "counts ties inside one movement; groups count under their primary movement.",
            ),
            html.Div(
                [
                    field(
                        "Tie type",
                        dcc.RadioItems(
                            id=ids.MOVEMENTS_TIE,
                            options=[
                                {"label": label, "value": value}
                                for value, label in views.MATRIX_TIES.items()
                            ],
                            value=tie,
                            inline=True,
                            className="radios",
                        ),
                    ),
                    window_controls(ids.MOVEMENTS_SINCE, ids.MOVEMENTS_UNTIL, since, until),
                ],
                className="controls controls-inline",
            ),
            html.Div(id=ids.MOVEMENTS_STATUS),
            loading(
                dcc.Graph(
                    id=ids.MOVEMENTS_HEATMAP,
                    config={"displaylogo": False, "responsive": True},
                    className="card",
                )
            ),
        ]
    )


@callback(
    Output(ids.MOVEMENTS_HEATMAP, "figure"),
    Output(ids.MOVEMENTS_STATUS, "children"),
    Output(ids.MOVEMENTS_URL, "search"),
    Input(ids.MOVEMENTS_TIE, "value"),
    Input(ids.MOVEMENTS_SINCE, "date"),
    Input(ids.MOVEMENTS_UNTIL, "date"),
)
@guarded(lambda message: (no_update, message, no_update))
def render(tie, since, until):
    tie = inputs.choice(tie, views.MATRIX_TIES, "tie type", default=DEFAULT_TIE)
    since, until = inputs.date(since, "since"), inputs.date(until, "until")
    source = data.current()
    snap = source.snapshot(since, until)
    figure = views.matrix_figure(
        snap.report.matrix, snap.movement_names, tie=tie, threshold=source.suppress_below
    )
    search = views.query_string(
        {"tie": tie, "since": snap.since, "until": snap.until}, {"tie": DEFAULT_TIE}
    )
    return figure, None, search
