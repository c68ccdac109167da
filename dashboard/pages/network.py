"""Network (``/network``): the coalition graph, coloured by movement, with filters.

Every filter is in the URL (``?movements=blm,queer&ties=actions&min_weight=2&
since=2021-01-01&q=legal&size=betweenness&focus=G0001&hops=2&view=points&
group=G0002``): the layout reads it, and the callbacks write the canonical
query back, so a link restores the view and the group whose panel is open.
Clicking a group opens its detail panel; "Focus on this group" switches to
its ego network.

A big selection is never drawn node by node: above
:data:`dashboard.ELEMENT_LIMIT` elements the page says so, draws the
largest groups and strongest ties, and offers the movement view (movements
as nodes) and the points view (every group as a point of one scatter).
"""

from __future__ import annotations

from types import MappingProxyType

import dash
import dash_cytoscape as cyto
from dash import Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import components, data, ids, params
from dashboard.components import (
    field,
    group_picker,
    guarded,
    movement_picker,
    page,
    pending,
    radio_field,
    retry_input,
    window_controls,
    window_inputs,
)
from dashboard.model.network import size_values
from dashboard.views.detail import group_detail, movement_detail
from dashboard.views.images import chart_config, cytoscape_image
from dashboard.views.network import HIDDEN, SIZE_METRICS, VIEWS, network_view, page_outputs
from dashboard.views.styles import network_stylesheet
from dashboard.views.tables import choice_options, notice
from graph.errors import UsageError
from graph.schema import TIE_BY_SHORT, TIE_LABELS

dash.register_page(__name__, path="/network", name="Network", title="Network · Coalition", order=1)

#: Defaults of the URL's parameters (the tie types default to all, see params.url_ties).
DEFAULTS = MappingProxyType({"min_weight": 1, "size": "degree", "view": "groups"})
#: The points view's Plotly config (its PNG's file name is added per window).
POINTS_CONFIG = MappingProxyType({"displaylogo": False, "responsive": True, "scrollZoom": True})
#: What the saved pictures are called, per view (see dashboard.views.images.image_name).
PICTURES = MappingProxyType(
    {"groups": "network", "movements": "movement network", "points": "network points"}
)
POINTS_PICTURE = PICTURES["points"]
PROMPT = "Click a group to see its movements, counts, metrics, strongest ties and joint actions."
SHOWN = {"width": "100%", "height": "640px"}


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
    view=None,
    group=None,
    **_query,
):
    chosen_movements = params.split_list(movements)
    chosen_ties = params.url_ties(ties)
    size = params.url_choice(size, SIZE_METRICS, DEFAULTS["size"])
    view = params.url_choice(view, VIEWS, DEFAULTS["view"])
    hops = 2 if params.one(hops) == "2" else 1
    focus = params.one(focus)
    group = params.one(group)
    search = params.one(q)
    min_weight = params.parse_number(min_weight, DEFAULTS["min_weight"], lo=1)
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
                "View",
                dcc.RadioItems(
                    id=ids.NETWORK_VIEW,
                    options=[{"label": v, "value": k} for k, v in VIEWS.items()],
                    value=view,
                    className="radios view-switch",
                ),
            ),
            movement_picker(
                ids.NETWORK_MOVEMENTS, chosen_movements, hint="Groups in any of these movements."
            ),
            field(
                "Tie types",
                dcc.Checklist(
                    id=ids.NETWORK_TIES,
                    options=[
                        {"label": TIE_LABELS[kind], "value": short}
                        for short, kind in TIE_BY_SHORT.items()
                    ],
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
                    options=[{"label": v, "value": k} for k, v in SIZE_METRICS.items()],
                    value=size,
                    clearable=False,
                ),
            ),
            group_picker(
                "Focus on a group",
                ids.NETWORK_FOCUS,
                focus,
                placeholder="whole network",
                hint="Type to search by name or id.",
                clearable=True,
            ),
            radio_field("Neighbourhood", ids.NETWORK_HOPS, {1: "1 hop", 2: "2 hops"}, hops),
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
            html.Div(
                [
                    html.Div(
                        [
                            html.Button(
                                "Save as PNG",
                                id=ids.NETWORK_SAVE_PNG,
                                n_clicks=0,
                                className="button button-quiet",
                            ),
                            html.Button(
                                "Save as SVG",
                                id=ids.NETWORK_SAVE_SVG,
                                n_clicks=0,
                                className="button button-quiet",
                            ),
                        ],
                        className="image-actions",
                    ),
                    cyto.Cytoscape(
                        id=ids.NETWORK_GRAPH,
                        elements=[],
                        layout={"name": "preset", "fit": True, "padding": 30, "animate": False},
                        stylesheet=network_stylesheet(),
                        style=SHOWN,
                        minZoom=0.02,
                        maxZoom=4,
                        boxSelectionEnabled=False,
                        responsive=True,
                    ),
                ],
                id=ids.NETWORK_CANVAS,
                style=HIDDEN if view == "points" else {},
            ),
            html.Div(
                dcc.Graph(
                    id=ids.NETWORK_POINTS,
                    figure={"data": [], "layout": {"height": 640}},
                    config=chart_config(POINTS_CONFIG, POINTS_PICTURE, *_url_window(since, until)),
                    style={"height": "640px"},
                ),
                id=ids.NETWORK_POINTS + "-box",
                style={} if view == "points" else HIDDEN,
            ),
            html.Div(id=ids.NETWORK_NOTE, className="network-note"),
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
    return page(
        ids.NETWORK_URL,
        "Network",
        "Groups tied by shared members, joint actions or shared resources, coloured by "
        "primary movement. Sizes and metrics are those of the whole coalition in the "
        "date window.",
        html.Div([controls, graph, detail], className="network-layout"),
        stores=[
            dcc.Store(
                id=ids.NETWORK_SELECTED, data={"kind": "group", "id": group} if group else None
            )
        ],
    )


@callback(
    Output(ids.NETWORK_GRAPH, "elements"),
    Output(ids.NETWORK_CANVAS, "style"),
    Output(ids.NETWORK_POINTS, "figure"),
    Output(ids.NETWORK_POINTS + "-box", "style"),
    Output(ids.NETWORK_STATUS, "children"),
    Output(ids.NETWORK_NOTE, "children"),
    Output(ids.NETWORK_LEGEND, "children"),
    Output(ids.NETWORK_URL, "search"),
    Input(ids.NETWORK_MOVEMENTS, "value"),
    Input(ids.NETWORK_TIES, "value"),
    Input(ids.NETWORK_MIN_WEIGHT, "value"),
    *window_inputs(ids.NETWORK_SINCE, ids.NETWORK_UNTIL),
    Input(ids.NETWORK_SEARCH, "value"),
    Input(ids.NETWORK_SIZE, "value"),
    Input(ids.NETWORK_FOCUS, "value"),
    Input(ids.NETWORK_HOPS, "value"),
    Input(ids.NETWORK_VIEW, "value"),
    retry_input("network"),
    State(ids.NETWORK_SELECTED, "data"),
)
@guarded(
    lambda message: ([], no_update, no_update, no_update, message, None, no_update, no_update),
    page="network",
)
def render(
    movements,
    ties,
    min_weight,
    since,
    until,
    search,
    size,
    focus,
    hops,
    view="groups",
    _retry=None,
    selected=None,
):
    movements = params.id_list(movements, "movements")
    ties = params.choices(ties, tuple(TIE_BY_SHORT), "tie types")
    min_weight = params.number(
        min_weight, "minimum tie weight", default=DEFAULTS["min_weight"], lo=1
    )
    since, until = params.window(since, until)
    search = params.text(search, "search").strip()
    size = params.choice(size, SIZE_METRICS, "size by", default=DEFAULTS["size"])
    focus = params.optional_id(focus, "focus")
    hops = params.choice(hops, (1, 2), "neighbourhood", default=1)
    view = params.choice(view, VIEWS, "view", default=DEFAULTS["view"])
    selected = params.selection(selected)
    picked = selected[1] if selected and selected[0] == "group" else None
    source, snap = data.current_snapshot(since, until)
    index = snap.get("index", wait=source.wait)
    positions = snap.get("positions", wait=source.wait)
    notes = []
    if focus and focus not in index.position:
        notes.append(f"no group “{focus}” in this window")
        focus = None
    movements = [m for m in movements if m in snap.coalition.movements]
    values, sized_by, note = _sizes(snap, index, size)

    def draw():
        return network_view(
            index,
            positions=positions,
            values=values,
            movement_names=snap.movement_names,
            group_names=snap.group_names,
            view=view,
            movements=movements,
            ties=ties,
            min_weight=min_weight,
            size=sized_by,
            search=search,
            focus=focus,
            hops=hops,
            threshold=source.suppress_below,
            notes=notes,
            picked=picked,
        )

    # Sized by the final values, a drawing is kept (the date pickers re-fire it once they
    # mount, and visits come back to the same filters); sized by degree until the metrics
    # are ready, it is drawn again each time.
    key = ("network view", view, tuple(movements), tuple(ties), min_weight, search)
    key += (sized_by, focus, hops, tuple(notes), picked)
    result = draw() if note is not None else snap.memo(key, draw)
    query = {
        "movements": movements,
        "ties": params.ties_param(ties),
        "min_weight": min_weight,
        "since": snap.since,
        "until": snap.until,
        "q": search,
        "size": size,
        "focus": focus,
        "hops": hops if focus else None,
        "view": view,
        "group": picked,
    }
    return (*page_outputs(result, pending=note), params.query_string(query, DEFAULTS))


@callback(
    Output(ids.NETWORK_MOVEMENTS, "options"),
    *window_inputs(ids.NETWORK_SINCE, ids.NETWORK_UNTIL),
    retry_input("network"),
)
@guarded(lambda _message: no_update)
def options(since, until, _retry=None):
    since, until = params.window(since, until)
    snap = data.current().snapshot(since, until, wait=data.current().wait)
    return choice_options(snap.movement_names, with_id=False)


@callback(
    Output(ids.NETWORK_GRAPH, "generateImage"),
    Input(ids.NETWORK_SAVE_PNG, "n_clicks"),
    Input(ids.NETWORK_SAVE_SVG, "n_clicks"),
    State(ids.NETWORK_SINCE, "date"),
    State(ids.NETWORK_UNTIL, "date"),
    State(ids.NETWORK_VIEW, "value"),
    prevent_initial_call=True,
)
@guarded(lambda _message: no_update)
def save_picture(_png, _svg, since, until, view):
    """Download the drawing as PNG or SVG, named by the view and the date window."""
    kind = "svg" if components.trigger() == ids.NETWORK_SAVE_SVG else "png"
    since, until = params.window(since, until)
    what = PICTURES[params.choice(view, VIEWS, "view", default=DEFAULTS["view"])]
    return cytoscape_image(kind, what, since, until)


@callback(
    Output(ids.NETWORK_POINTS, "config"),
    *window_inputs(ids.NETWORK_SINCE, ids.NETWORK_UNTIL),
    State(ids.NETWORK_POINTS, "config"),
    # The layout names the picture after the URL's window.
    prevent_initial_call=True,
)
@guarded(lambda _message: no_update)
def points_config(since, until, config=None):
    """The points view's camera button saves a PNG named by the date window.

    A new config redraws the whole chart, so it is sent only when the name
    changes (the date pickers fire once when they mount).
    """
    since, until = params.window(since, until)
    new = chart_config(POINTS_CONFIG, POINTS_PICTURE, since, until)
    return no_update if new == config else new


focus_options = components.group_search(
    ids.NETWORK_FOCUS, ids.NETWORK_SINCE, ids.NETWORK_UNTIL, page="network", name="focus"
)


@callback(
    Output(ids.NETWORK_DETAIL, "children"),
    Output(ids.NETWORK_EGO_BUTTON, "disabled"),
    Output(ids.NETWORK_SELECTED, "data"),
    Output(ids.NETWORK_URL, "search", allow_duplicate=True),
    Input(ids.NETWORK_GRAPH, "tapNodeData"),
    Input(ids.NETWORK_POINTS, "clickData"),
    *window_inputs(ids.NETWORK_SINCE, ids.NETWORK_UNTIL),
    retry_input("network-detail"),
    State(ids.NETWORK_SELECTED, "data"),
    State(ids.NETWORK_URL, "search"),
    prevent_initial_call="initial_duplicate",
)
@guarded(lambda message: (message, True, no_update, no_update), page="network-detail")
def show_detail(node, point, since, until, _retry=None, stored=None, search=None):
    trigger = components.trigger()
    if trigger == ids.NETWORK_GRAPH:
        chosen = params.tapped(node)
    elif trigger == ids.NETWORK_POINTS:
        gid = params.clicked_point(point)
        chosen = ("group", gid) if gid else None
    elif trigger is None and node is not None:  # called directly, not by Dash
        chosen = params.tapped(node)
    else:
        chosen = params.selection(stored)
    since, until = params.window(since, until)
    search = params.text(search, "the address")
    changed = chosen != params.selection(stored)
    stored = {"kind": chosen[0], "id": chosen[1]} if chosen else None
    url = _with_group(search, chosen) if changed else no_update
    if not chosen:
        return html.P(PROMPT, className="muted"), True, stored, url
    kind, key = chosen
    source, snap = data.current_snapshot(since, until)
    if kind == "movement":
        if key not in snap.coalition.movements:
            return (
                notice("That movement is not in this window.", kind="info"),
                True,
                None,
                url,
            )
        ei = snap.get("movement_ei", wait=source.wait)
        link = "/network" + params.with_params(
            search, {"movements": key, "view": None, "group": None}
        )
        panel = movement_detail(
            key, entry=ei.get(key), movement_names=snap.movement_names, link=link
        )
        return panel, True, stored, url
    group = snap.coalition.groups.get(key)
    if group is None:
        return notice("That group is not in this window.", kind="info"), True, None, url
    graph = snap.get("graph", wait=source.wait)
    metrics_note = None
    try:
        metrics = snap.get("metrics", wait=0.2).get(key)
    except data.Pending as exc:
        metrics, metrics_note = None, str(exc)
    actions = snap.coalition.actions
    joint = [
        {**actions.get(aid, {}), "id": aid, "groups": len(snap.action_groups.get(aid, ()))}
        for aid in snap.group_actions.get(key, [])
    ]
    panel = group_detail(
        key,
        G=graph,
        group=group,
        metrics=metrics,
        counts=snap.group_counts.get(key, {}),
        movement_names=snap.movement_names,
        threshold=source.suppress_below,
        since=snap.since,
        until=snap.until,
        actions=joint,
        metrics_note=metrics_note,
        solidarity=snap.solidarity.groups.get(key),
    )
    if metrics_note:
        panel = html.Div([panel, pending("The metrics fill in by itself.", "network-detail")])
    return panel, False, stored, url


@callback(
    Output(ids.NETWORK_FOCUS, "value"),
    Output(ids.NETWORK_FOCUS, "options", allow_duplicate=True),
    Input(ids.NETWORK_EGO_BUTTON, "n_clicks"),
    Input(ids.NETWORK_CLEAR_FOCUS, "n_clicks"),
    State(ids.NETWORK_SELECTED, "data"),
    State(ids.NETWORK_FOCUS, "options"),
    prevent_initial_call=True,
)
def set_focus(_ego, _clear, selected, options=None):
    if components.trigger() == ids.NETWORK_CLEAR_FOCUS:
        return None, no_update
    try:
        chosen = params.selection(selected)
    except UsageError:
        raise PreventUpdate from None
    if not chosen or chosen[0] != "group":
        raise PreventUpdate
    gid = chosen[1]
    # The dropdown keeps a value only if it is one of its options; among 10,000
    # groups it offers a few at a time, so the focused group joins them.
    offered = options if isinstance(options, list) else []
    if any(isinstance(o, dict) and o.get("value") == gid for o in offered):
        return gid, no_update
    name = data.current().snapshot(wait=data.current().wait).group_names.get(gid, gid)
    return gid, [{"label": f"{name} ({gid})", "value": gid}, *offered[:99]]


def _sizes(snap, index, size: str) -> tuple:
    """Per group, the values the nodes are sized by: ``(values, sized by, note)``.

    While the metric suite is still being computed, nodes are sized by
    degree and ``note`` says so (a pending message that asks again).
    """
    if size in ("degree", "strength"):
        return size_values(index, size, None), size, None
    try:
        metrics = snap.get("metrics", wait=0.2)
    except data.Pending as exc:
        note = pending(f"Sized by degree until the metrics are ready. {exc}", "network")
        return size_values(index, "degree", None), "degree", note
    values = snap.memo(("network sizes", size), lambda: size_values(index, size, metrics))
    return values, size, None


def _url_window(since, until) -> tuple[str | None, str | None]:
    """The URL's date window, or none when it is not one (the callbacks then say why)."""
    try:
        return params.window(params.one(since), params.one(until))
    except UsageError:
        return None, None


def _with_group(search: str | None, chosen: tuple[str, str] | None) -> str:
    return params.with_params(
        search, {"group": chosen[1] if chosen and chosen[0] == "group" else None}
    )
