"""Network (``/network``): the coalition graph, coloured by movement, with filters.

Every filter is in the URL (``?movements=blm,queer&ties=actions&min_weight=2&
since=2021-01-01&q=legal&size=betweenness&focus=G0001&hops=2``): the layout
reads it, and the render callback writes the canonical query back, so a link
restores the view. Clicking a group opens its detail panel; "Focus on this
group" switches to its ego network.
"""

from __future__ import annotations

from types import MappingProxyType

import dash
import dash_cytoscape as cyto
from dash import Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import data, ids, inputs, views
from dashboard.components import field, guarded, page_header, window_controls
from graph.errors import UsageError

dash.register_page(__name__, path="/network", name="Network", title="Network · Coalition", order=1)

DEFAULTS = MappingProxyType({"ties": views.TIE_TYPES, "min_weight": 1, "size": "degree"})
PROMPT = "Click a group to see its movements, counts, metrics and strongest ties."


def layout(
    movements=None,
    ties=None,
    min_weight=None,
    since=None,
    until=None,
    q=None,
    size=None,
    focus=None,
    hops=None,
    **_query,
):
    chosen_movements = views.split_list(movements)
    chosen_ties = _parse_ties(ties)
    size = views.one(size)
    size = size if size in views.SIZE_METRICS else DEFAULTS["size"]
    hops = 2 if views.one(hops) == "2" else 1
    focus = views.one(focus)
    search = views.one(q)
    min_weight = views.parse_number(min_weight, DEFAULTS["min_weight"], lo=1)
    controls = html.Div(
        [
            field(
                "Search",
                dcc.Input(
                    id=ids.NETWORK_SEARCH,
                    type="search",
                    value=search or "",
                    placeholder="group name or id",
                    debounce=True,
                    className="input",
                ),
                html_for=ids.NETWORK_SEARCH,
            ),
            field(
                "Movements",
                dcc.Dropdown(
                    id=ids.NETWORK_MOVEMENTS,
                    # Until the real options arrive, keep the chosen values valid.
                    options=[{"label": m, "value": m} for m in chosen_movements],
                    value=chosen_movements,
                    multi=True,
                    placeholder="all movements",
                ),
                hint="Groups in any of these movements.",
            ),
            field(
                "Tie types",
                dcc.Checklist(
                    id=ids.NETWORK_TIES,
                    options=[{"label": views.TIE_LABELS[t], "value": t} for t in views.TIE_TYPES],
                    value=chosen_ties,
                    className="checks",
                ),
            ),
            field(
                "Minimum tie weight",
                dcc.Input(
                    id=ids.NETWORK_MIN_WEIGHT,
                    type="number",
                    min=1,
                    step=1,
                    value=min_weight,
                    debounce=True,
                    className="input input-number",
                ),
                hint="Sum of the chosen tie types' counts; a shared-member count "
                "shown as “<N” counts as 1.",
                html_for=ids.NETWORK_MIN_WEIGHT,
            ),
            window_controls(ids.NETWORK_SINCE, ids.NETWORK_UNTIL, since, until),
            field(
                "Size by",
                dcc.Dropdown(
                    id=ids.NETWORK_SIZE,
                    options=[{"label": v, "value": k} for k, v in views.SIZE_METRICS.items()],
                    value=size,
                    clearable=False,
                ),
            ),
            field(
                "Focus on a group",
                dcc.Dropdown(
                    id=ids.NETWORK_FOCUS,
                    options=[{"label": focus, "value": focus}] if focus else [],
                    value=focus,
                    placeholder="whole network",
                    clearable=True,
                ),
            ),
            field(
                "Neighbourhood",
                dcc.RadioItems(
                    id=ids.NETWORK_HOPS,
                    options=[{"label": "1 hop", "value": 1}, {"label": "2 hops", "value": 2}],
                    value=hops,
                    inline=True,
                    className="radios",
                ),
            ),
        ],
        className="controls controls-side",
    )
    graph = html.Div(
        [
            # Holds its height while loading: Cytoscape caches where its canvas is, and a
            # line appearing above it later would shift every click.
            html.Div(
                "Loading the network…",
                id=ids.NETWORK_STATUS,
                className="status status-line",
                **{"aria-live": "polite"},
            ),
            cyto.Cytoscape(
                id=ids.NETWORK_GRAPH,
                elements=[],
                layout={"name": "preset", "fit": True, "padding": 30, "animate": False},
                stylesheet=views.network_stylesheet(),
                style={"width": "100%", "height": "640px"},
                minZoom=0.05,
                maxZoom=4,
                boxSelectionEnabled=False,
                responsive=True,
            ),
            html.Div(id=ids.NETWORK_LEGEND, className="legend-box"),
        ],
        className="graph-box card",
    )
    detail = html.Aside(
        [
            html.Div(
                [
                    html.Button(
                        "Focus on this group",
                        id=ids.NETWORK_EGO_BUTTON,
                        n_clicks=0,
                        disabled=True,
                        className="button",
                    ),
                    html.Button(
                        "Whole network",
                        id=ids.NETWORK_CLEAR_FOCUS,
                        n_clicks=0,
                        className="button button-quiet",
                    ),
                ],
                className="detail-actions",
            ),
            html.Div(html.P(PROMPT, className="muted"), id=ids.NETWORK_DETAIL),
        ],
        className="detail card",
        **{"aria-label": "Selected group"},
    )
    return html.Div(
        [
            dcc.Location(id=ids.NETWORK_URL, refresh=False),
            page_header(
                "Network",
                "Groups tied by shared members, joint actions or shared resources, coloured by "
                "primary movement. Sizes and metrics are those of the whole coalition in the "
                "date window.",
            ),
            html.Div([controls, graph, detail], className="network-layout"),
        ]
    )


@callback(
    Output(ids.NETWORK_GRAPH, "elements"),
    Output(ids.NETWORK_STATUS, "children"),
    Output(ids.NETWORK_LEGEND, "children"),
    Output(ids.NETWORK_URL, "search"),
    Input(ids.NETWORK_MOVEMENTS, "value"),
    Input(ids.NETWORK_TIES, "value"),
    Input(ids.NETWORK_MIN_WEIGHT, "value"),
    Input(ids.NETWORK_SINCE, "date"),
    Input(ids.NETWORK_UNTIL, "date"),
    Input(ids.NETWORK_SEARCH, "value"),
    Input(ids.NETWORK_SIZE, "value"),
    Input(ids.NETWORK_FOCUS, "value"),
    Input(ids.NETWORK_HOPS, "value"),
)
@guarded(lambda message: ([], message, no_update, no_update))
def render(movements, ties, min_weight, since, until, search, size, focus, hops):
    movements = inputs.id_list(movements, "movements")
    ties = inputs.choices(ties, views.TIE_TYPES, "tie types")
    min_weight = inputs.number(
        min_weight, "minimum tie weight", default=DEFAULTS["min_weight"], lo=1
    )
    since, until = inputs.date(since, "since"), inputs.date(until, "until")
    search = inputs.text(search, "search").strip()
    size = inputs.choice(size, views.SIZE_METRICS, "size by", default=DEFAULTS["size"])
    focus = inputs.optional_id(focus, "focus")
    hops = inputs.choice(hops, (1, 2), "neighbourhood", default=1)
    source = data.current()
    snap = source.snapshot(since, until)
    notes = []
    if focus and focus not in snap.graph:
        notes.append(f"no group “{focus}” in this window")
        focus = None
    movements = [m for m in movements if m in snap.coalition.movements]
    view = views.network_view(
        snap.graph,
        positions=snap.positions,
        metrics=snap.metrics,
        movement_names=snap.movement_names,
        group_names=snap.group_names,
        movements=movements,
        ties=ties,
        min_weight=min_weight,
        size=size,
        search=search,
        focus=focus,
        hops=hops,
        threshold=source.suppress_below,
        notes=notes,
    )
    query = views.query_string(
        {
            "movements": movements,
            "ties": _ties_param(ties),
            "min_weight": min_weight,
            "since": snap.since,
            "until": snap.until,
            "q": search,
            "size": size,
            "focus": focus,
            "hops": hops if focus else None,
        },
        {"min_weight": DEFAULTS["min_weight"], "size": DEFAULTS["size"]},
    )
    return view["elements"], view["status"], view["legend"], query


@callback(
    Output(ids.NETWORK_MOVEMENTS, "options"),
    Output(ids.NETWORK_FOCUS, "options"),
    Input(ids.NETWORK_SINCE, "date"),
    Input(ids.NETWORK_UNTIL, "date"),
)
@guarded(lambda _message: (no_update, no_update))
def options(since, until):
    since, until = inputs.date(since, "since"), inputs.date(until, "until")
    snap = data.current().snapshot(since, until)
    return (
        views.choice_options(snap.movement_names, with_id=False),
        views.choice_options(snap.group_names),
    )


@callback(
    Output(ids.NETWORK_DETAIL, "children"),
    Output(ids.NETWORK_EGO_BUTTON, "disabled"),
    Input(ids.NETWORK_GRAPH, "tapNodeData"),
    Input(ids.NETWORK_SINCE, "date"),
    Input(ids.NETWORK_UNTIL, "date"),
)
@guarded(lambda message: (message, True))
def show_detail(node, since, until):
    gid = inputs.node_id(node)
    since, until = inputs.date(since, "since"), inputs.date(until, "until")
    if not gid:
        return html.P(PROMPT, className="muted"), True
    source = data.current()
    snap = source.snapshot(since, until)
    group = snap.coalition.groups.get(gid)
    if group is None:
        return views.notice("That group is not in this window.", kind="info"), True
    panel = views.group_detail(
        gid,
        G=snap.graph,
        group=group,
        metrics=snap.metrics.get(gid),
        counts=snap.group_counts.get(gid, {}),
        movement_names=snap.movement_names,
        threshold=source.suppress_below,
        since=snap.since,
        until=snap.until,
    )
    return panel, False


@callback(
    Output(ids.NETWORK_FOCUS, "value"),
    Input(ids.NETWORK_EGO_BUTTON, "n_clicks"),
    Input(ids.NETWORK_CLEAR_FOCUS, "n_clicks"),
    State(ids.NETWORK_GRAPH, "tapNodeData"),
    prevent_initial_call=True,
)
def set_focus(_ego, _clear, node):
    if dash.ctx.triggered_id == ids.NETWORK_CLEAR_FOCUS:
        return None
    try:
        gid = inputs.node_id(node)
    except UsageError:
        raise PreventUpdate from None
    if not gid:
        raise PreventUpdate
    return gid


def _ties_param(ties: list[str]) -> str | list[str] | None:
    """``ties`` in the URL: left out when all are chosen, ``none`` when none is."""
    if set(ties) == set(views.TIE_TYPES):
        return None
    return ties or "none"


def _parse_ties(value) -> list[str]:
    if value == "none":
        return []
    return [t for t in views.split_list(value) if t in views.TIE_TYPES] or list(DEFAULTS["ties"])
