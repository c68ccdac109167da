"""Paths (``/paths``): how two groups are connected, hop by hop, with the kinds of tie."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, html, no_update

from dashboard import components, data, ids, params
from dashboard.views.paths import path_list
from dashboard.views.tables import notice
from graph.paths import connecting_paths

dash.register_page(__name__, path="/paths", name="Paths", title="Paths · Coalition", order=5)

LIMIT = 10


def layout(a=None, b=None, since=None, until=None, **_query):
    a, b = params.one(a), params.one(b)
    return components.page(
        ids.PATHS_URL,
        "Paths",
        "The shortest chains of ties between two groups, and what each tie is made of.",
        components.controls(
            components.group_picker("From", ids.PATHS_SOURCE, a),
            components.group_picker("To", ids.PATHS_TARGET, b),
            components.window_controls(ids.PATHS_SINCE, ids.PATHS_UNTIL, since, until),
            wide=True,
        ),
        components.loading(html.Div(id=ids.PATHS_RESULT, className="paths")),
    )


@callback(
    Output(ids.PATHS_RESULT, "children"),
    Output(ids.PATHS_URL, "search"),
    Input(ids.PATHS_SOURCE, "value"),
    Input(ids.PATHS_TARGET, "value"),
    *components.window_inputs(ids.PATHS_SINCE, ids.PATHS_UNTIL),
    components.retry_input("paths"),
)
@components.guarded(lambda message: (message, no_update), page="paths")
def render(a, b, since, until, _retry=None):
    a, b = params.optional_id(a, "from"), params.optional_id(b, "to")
    since, until = params.window(since, until)
    source, snap = data.current_snapshot(since, until)
    names = snap.group_names
    missing = [g for g in (a, b) if g and g not in names]
    a = a if a in names else None
    b = b if b in names else None
    if missing:
        result = notice(
            "No group " + " or ".join(f"“{g}”" for g in missing) + " in this window.",
            kind="info",
        )
    elif a and b:
        graph = snap.get("graph", wait=source.wait)
        # A breadth-first search of the whole graph: once per pair and window.
        result = snap.memo(
            ("paths", a, b),
            lambda: path_list(
                connecting_paths(graph, a, b, limit=LIMIT), names, threshold=source.suppress_below
            ),
        )
    else:
        result = html.P("Choose two groups to see how they are connected.", className="muted")
    return result, params.query_string({"a": a, "b": b, "since": snap.since, "until": snap.until})


source_options = components.group_search(
    ids.PATHS_SOURCE, ids.PATHS_SINCE, ids.PATHS_UNTIL, page="paths"
)
target_options = components.group_search(
    ids.PATHS_TARGET, ids.PATHS_SINCE, ids.PATHS_UNTIL, page="paths"
)
