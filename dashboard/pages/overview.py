"""Overview (``/``): the coalition's headline numbers and its top bridges."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html, no_update

from dashboard import data, ids, inputs, views
from dashboard.components import guarded, loading, page_header, window_controls

dash.register_page(__name__, path="/", name="Overview", title="Overview · Coalition", order=0)


def layout(since=None, until=None, **_query):
    return html.Div(
        [
            dcc.Location(id=ids.OVERVIEW_URL, refresh=False),
            page_header(
                "Overview",
                "How the movements of the coalition hold together: who takes part, "
                "what they do together and which groups bridge movements.",
            ),
            html.Div(
                window_controls(ids.OVERVIEW_SINCE, ids.OVERVIEW_UNTIL, since, until),
                className="controls controls-inline",
            ),
            loading(html.Div(id=ids.OVERVIEW_CONTENT, className="overview")),
        ]
    )


@callback(
    Output(ids.OVERVIEW_CONTENT, "children"),
    Output(ids.OVERVIEW_URL, "search"),
    Input(ids.OVERVIEW_SINCE, "date"),
    Input(ids.OVERVIEW_UNTIL, "date"),
)
@guarded(lambda message: (message, no_update))
def render(since, until):
    since, until = inputs.date(since, "since"), inputs.date(until, "until")
    source = data.current()
    snap = source.snapshot(since, until)
    report = snap.report
    threshold = source.suppress_below
    window = {"since": snap.since, "until": snap.until}
    kpis = views.overview_kpis(
        snap.coalition,
        G=snap.graph,
        summary=report.summary,
        members=report.members,
        member_total=snap.member_total,
        threshold=threshold,
    )
    content = [
        views.kpi_cards(kpis),
        html.Div(
            [
                html.Section(
                    [
                        html.H2("Top bridging groups"),
                        views.bridges_table(
                            views.top_bridges(report.groups), snap.movement_names, **window
                        ),
                        html.P(
                            [
                                "Participation is 0 when all of a group's ties stay in one "
                                "movement and rises as they spread. ",
                                dcc.Link(
                                    "All group metrics →", href=views.href("/brokers", **window)
                                ),
                            ],
                            className="muted",
                        ),
                    ],
                    className="card",
                ),
                html.Section(
                    [
                        html.H2("Links between movements"),
                        views.cross_pairs_table(
                            report.matrix, snap.movement_names, threshold=threshold
                        ),
                        html.P(
                            [
                                "A tie is a pair of groups sharing members, actions or resources. ",
                                dcc.Link("Full matrix →", href=views.href("/movements", **window)),
                                " · ",
                                dcc.Link(
                                    "See the network →", href=views.href("/network", **window)
                                ),
                            ],
                            className="muted",
                        ),
                    ],
                    className="card",
                ),
            ],
            className="two-columns",
        ),
    ]
    return content, views.query_string(window)
