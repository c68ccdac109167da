"""Overview (``/``): headline counts, the top bridging groups and a small movement matrix.

Every figure links to the page that explains it. The counts and the matrix
need only the coalition graph; the bridging groups need the metric suite,
and say so while it is being computed (the rest of the page does not wait).
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import data, ids, params
from dashboard.components import (
    controls,
    guarded,
    loading,
    page,
    pending,
    retry_input,
    window_controls,
    window_inputs,
)
from dashboard.views.images import image_name
from dashboard.views.overview import (
    bridges_table,
    cross_pairs_table,
    overview_content,
    overview_kpis,
    small_matrix,
    top_bridges,
)

dash.register_page(__name__, path="/", name="Overview", title="Overview · Coalition", order=0)


def layout(since=None, until=None, **_query):
    return page(
        ids.OVERVIEW_URL,
        "Overview",
        "How the movements of the coalition hold together: who takes part, "
        "what they do together and which groups bridge movements.",
        controls(
            window_controls(ids.OVERVIEW_SINCE, ids.OVERVIEW_UNTIL, since, until),
            html.Button(
                "Download brief",
                id=ids.OVERVIEW_BRIEF,
                n_clicks=0,
                className="button",
                title="One HTML page for a meeting, for this date window; prints on A4 and Letter.",
            ),
        ),
        loading(html.Div(id=ids.OVERVIEW_CONTENT, className="overview")),
        dcc.Download(id=ids.OVERVIEW_BRIEF_DOWNLOAD),
    )


@callback(
    Output(ids.OVERVIEW_BRIEF_DOWNLOAD, "data"),
    Input(ids.OVERVIEW_BRIEF, "n_clicks"),
    State(ids.OVERVIEW_SINCE, "date"),
    State(ids.OVERVIEW_UNTIL, "date"),
    prevent_initial_call=True,
)
@guarded(lambda _message: no_update)
def download_brief(_clicks, since, until):
    """The brief of the current window, from the figures the dashboard already holds.

    Its last two calendar periods come from the trends the dashboard keeps
    (the /trends page's, measured over just those periods), as ``coalition
    brief`` measures them.
    """
    from graph.brief import change_span, compose_brief, render_brief

    since, until = params.window(since, until)
    source, snap = data.current_snapshot(since, until)
    span = change_span(snap.coalition, snap.since, snap.until)
    brief = compose_brief(
        snap.coalition,
        snap.report,
        snap.get("bridges"),
        snap.fragmentation_ranking,
        snap.solidarity,
        None if span is None else source.trends(*span, wait=None),
        suppress_below=source.suppress_below,
    )
    name = image_name("brief", snap.since, snap.until) + ".html"
    return dcc.send_string(render_brief(brief), name, type="text/html")


@callback(
    Output(ids.OVERVIEW_CONTENT, "children"),
    Output(ids.OVERVIEW_URL, "search"),
    *window_inputs(ids.OVERVIEW_SINCE, ids.OVERVIEW_UNTIL),
    retry_input("overview"),
)
@guarded(lambda message: (message, no_update), page="overview")
def render(since, until, _retry=None):
    since, until = params.window(since, until)
    source, snap = data.current_snapshot(since, until)
    graph = snap.get("graph", wait=source.wait)
    index = snap.get("index", wait=source.wait)
    threshold = source.suppress_below
    window = {"since": snap.since, "until": snap.until}
    kpis = snap.memo(
        ("overview kpis",),
        lambda: overview_kpis(
            snap.coalition,
            G=graph,
            summary={"cross_movement_tie_share": index.cross_share()},
            bridging=snap.bridging_members,
            member_total=snap.member_total,
            movement_names=snap.movement_names,
            threshold=threshold,
            solidarity=snap.solidarity,
        ),
    )
    try:
        report = snap.get("report", wait=0.2)
        bridges = snap.memo(
            ("overview bridges",),
            lambda: bridges_table(top_bridges(report.groups), snap.movement_names, **window),
        )
    except data.Pending as exc:
        bridges = pending(str(exc), "overview")
    matrix = snap.memo(
        ("overview matrix",),
        lambda: (
            small_matrix(snap.matrix, snap.movement_names, **window)
            or cross_pairs_table(snap.matrix, snap.movement_names, threshold=threshold)
        ),
    )
    content = overview_content(kpis, bridges, matrix, **window)
    return content, params.query_string(window)
