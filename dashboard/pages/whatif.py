"""What-if (``/whatif``): remove groups and see what breaks."""

from __future__ import annotations

import dash
import networkx as nx
from dash import Input, Output, callback, dcc, html, no_update

from dashboard import data, ids, inputs, views
from dashboard.components import field, guarded, loading, page_header, window_controls
from graph.metrics import whatif

dash.register_page(__name__, path="/whatif", name="What if", title="What if · Coalition", order=6)


def layout(remove=None, since=None, until=None, **_query):
    chosen = views.split_list(remove)
    return html.Div(
        [
            dcc.Location(id=ids.WHATIF_URL, refresh=False),
            page_header(
                "What if…",
                "Take groups out of the coalition and see whether it falls apart: connected "
                "components, fragmentation (the share of pairs of remaining groups that can no "
                "longer reach each other) and movement pairs left without a direct tie.",
            ),
            html.Div(
                [
                    field(
                        "Groups leaving",
                        dcc.Dropdown(
                            id=ids.WHATIF_REMOVE,
                            options=[{"label": g, "value": g} for g in chosen],
                            value=chosen,
                            multi=True,
                            placeholder="choose groups",
                        ),
                    ),
                    window_controls(ids.WHATIF_SINCE, ids.WHATIF_UNTIL, since, until),
                ],
                className="controls controls-inline controls-wide",
            ),
            html.Div(
                [
                    loading(html.Section(id=ids.WHATIF_RESULT, className="card")),
                    loading(html.Section(id=ids.WHATIF_RANKING, className="card")),
                ],
                className="two-columns",
            ),
        ]
    )


@callback(
    Output(ids.WHATIF_RESULT, "children"),
    Output(ids.WHATIF_RANKING, "children"),
    Output(ids.WHATIF_URL, "search"),
    Input(ids.WHATIF_REMOVE, "value"),
    Input(ids.WHATIF_SINCE, "date"),
    Input(ids.WHATIF_UNTIL, "date"),
)
@guarded(lambda message: (message, no_update, no_update))
def render(remove, since, until):
    remove = inputs.id_list(remove, "groups leaving")
    since, until = inputs.date(since, "since"), inputs.date(until, "until")
    source = data.current()
    snap = source.snapshot(since, until)
    missing = [g for g in remove if g not in snap.graph]
    remove = [g for g in remove if g in snap.graph]
    window = {"since": snap.since, "until": snap.until}
    change = []
    if missing:
        shown = ", ".join(f"“{g}”" for g in missing[:5]) + (" …" if len(missing) > 5 else "")
        change.append(views.notice(f"Not groups of this window: {shown}.", kind="info"))
    if remove:
        change.append(
            views.whatif_summary(whatif(snap.graph, remove), snap.group_names, snap.movement_names)
        )
    elif not missing:
        change.append(html.P("Choose one or more groups that would leave.", className="muted"))
    ranking = views.ranking_table(
        snap.fragmentation_ranking,
        components=nx.number_connected_components(snap.graph),
        **window,
    )
    return (
        [html.H2("What changes"), *change],
        [html.H2("Groups the coalition depends on"), ranking],
        views.query_string({"remove": remove, **window}),
    )


@callback(
    Output(ids.WHATIF_REMOVE, "options"),
    Input(ids.WHATIF_SINCE, "date"),
    Input(ids.WHATIF_UNTIL, "date"),
)
@guarded(lambda _message: no_update)
def options(since, until):
    since, until = inputs.date(since, "since"), inputs.date(until, "until")
    return views.choice_options(data.current().snapshot(since, until).group_names)
