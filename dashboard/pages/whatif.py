"""What-if (``/whatif``): remove groups and see what breaks, beside the groups it relies on."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, html, no_update

from dashboard import components, data, ids, params
from dashboard.components import (
    controls,
    group_picker,
    guarded,
    loading,
    page,
    retry_input,
    window_controls,
    window_inputs,
)
from dashboard.model.whatif import removal_counts, whatif
from dashboard.views.whatif import (
    most_between,
    ranking_section,
    ranking_table,
    what_changes,
    whatif_summary,
)

dash.register_page(__name__, path="/whatif", name="What if", title="What if · Coalition", order=6)


def layout(remove=None, since=None, until=None, **_query):
    return page(
        ids.WHATIF_URL,
        "What if…",
        "Take groups out of the coalition and see whether it falls apart: connected "
        "components, fragmentation (the share of pairs of remaining groups that can no "
        "longer reach each other) and movement pairs left without a direct tie.",
        controls(
            group_picker(
                "Groups leaving",
                ids.WHATIF_REMOVE,
                params.split_list(remove),
                multi=True,
                placeholder="choose groups (type to search)",
            ),
            window_controls(ids.WHATIF_SINCE, ids.WHATIF_UNTIL, since, until),
            wide=True,
        ),
        html.Div(
            [
                loading(html.Section(id=ids.WHATIF_RESULT, className="card")),
                loading(html.Section(id=ids.WHATIF_RANKING, className="card")),
            ],
            className="two-columns",
        ),
    )


@callback(
    Output(ids.WHATIF_RESULT, "children"),
    Output(ids.WHATIF_RANKING, "children"),
    Output(ids.WHATIF_URL, "search"),
    Input(ids.WHATIF_REMOVE, "value"),
    *window_inputs(ids.WHATIF_SINCE, ids.WHATIF_UNTIL),
    retry_input("whatif"),
)
@guarded(lambda message: (message, no_update, no_update), page="whatif")
def render(remove, since, until, _retry=None):
    remove = params.id_list(remove, "groups leaving")
    since, until = params.window(since, until)
    source, snap = data.current_snapshot(since, until)
    graph = snap.get("graph", wait=source.wait)
    index = snap.get("index", wait=source.wait)
    missing = [g for g in remove if g not in graph]
    remove = [g for g in remove if g in graph]
    window = {"since": snap.since, "until": snap.until}
    ranking = snap.get("ranking", wait=source.wait)
    report_ready = snap.ready("report")

    def answer():
        summary = None
        if remove:
            counts = removal_counts(graph, remove, cross_before=index.cross_count())
            summary = whatif_summary(
                whatif(index, remove), snap.group_names, snap.movement_names, counts=counts
            )
        fallback = most_between(snap.report.groups) if report_ready else None
        table = ranking_table(ranking, components=index.components, fallback=fallback, **window)
        return what_changes(missing, summary), ranking_section(table)

    # Components and cuts over the whole graph: once per choice and window.
    shown = snap.memo(("whatif page", tuple(remove), tuple(missing), report_ready), answer)
    return (*shown, params.query_string({"remove": remove, **window}))


options = components.group_search(
    ids.WHATIF_REMOVE,
    ids.WHATIF_SINCE,
    ids.WHATIF_UNTIL,
    page="whatif",
    name="groups leaving",
    multi=True,
)
