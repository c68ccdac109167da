"""Bridges (``/bridges``): fragile movement links, movements apart, and suggested introductions.

The numbers are those of ``coalition bridges`` (:func:`graph.bridges.compute_bridges`,
computed once per date window in the background). Filters live in the URL:
``?movements=blm,queer&since=2021-01-01&until=2021-12-31`` keeps the pairs that
involve any of those movements, in that window.
"""

from __future__ import annotations

import dash
from dash import Input, Output, callback, html, no_update

from dashboard import data, ids, params
from dashboard.components import (
    controls,
    guarded,
    loading,
    movement_picker,
    page,
    retry_input,
    window_controls,
    window_inputs,
)
from dashboard.model.bridges import among, apart, by_pair, fragile_first, partners
from dashboard.views.bridges import (
    apart_section,
    bridges_headline,
    fragile_section,
    introductions_section,
)
from dashboard.views.tables import choice_options

dash.register_page(__name__, path="/bridges", name="Bridges", title="Bridges · Coalition", order=9)


def layout(movements=None, since=None, until=None, **_query):
    return page(
        ids.BRIDGES_URL,
        "Where to build bridges",
        "Which links between movements hang by a thread, which movements have no direct "
        "link at all, and which groups could usefully be introduced: groups of different "
        "movements that work with the same partners but not yet with each other "
        "(ranked by the Adamic–Adar index, which counts a shared partner more the fewer "
        "ties it has). Suggestions, not verdicts.",
        controls(
            movement_picker(
                ids.BRIDGES_MOVEMENTS,
                params.split_list(movements),
                hint="Only the pairs that involve any of these movements.",
            ),
            window_controls(ids.BRIDGES_SINCE, ids.BRIDGES_UNTIL, since, until),
        ),
        html.Div(id=ids.BRIDGES_STATUS),
        html.Div(id=ids.BRIDGES_HEADLINE),
        html.Section(
            [
                html.H2("Fragile links first"),
                html.P(
                    "Each pair of movements with a direct tie, the easiest to cut first. "
                    "A critical group links to its panel on the network page and to what "
                    "would break if it left.",
                    className="muted",
                ),
                loading(html.Div(id=ids.BRIDGES_FRAGILE)),
            ],
            className="card",
        ),
        html.Div(
            [
                html.Section(
                    [
                        html.H2("Movements with no direct link"),
                        html.Div(id=ids.BRIDGES_APART),
                    ],
                    className="card",
                ),
                html.Section(
                    [
                        html.H2("Suggested introductions"),
                        html.Div(id=ids.BRIDGES_INTRODUCTIONS),
                    ],
                    className="card",
                ),
            ],
            className="two-columns",
        ),
    )


@callback(
    Output(ids.BRIDGES_STATUS, "children"),
    Output(ids.BRIDGES_HEADLINE, "children"),
    Output(ids.BRIDGES_FRAGILE, "children"),
    Output(ids.BRIDGES_APART, "children"),
    Output(ids.BRIDGES_INTRODUCTIONS, "children"),
    Output(ids.BRIDGES_MOVEMENTS, "options"),
    Output(ids.BRIDGES_URL, "search"),
    Input(ids.BRIDGES_MOVEMENTS, "value"),
    *window_inputs(ids.BRIDGES_SINCE, ids.BRIDGES_UNTIL),
    retry_input("bridges"),
)
@guarded(lambda message: (message, *[no_update] * 6), page="bridges")
def render(movements, since, until, _retry=None):
    movements = params.id_list(movements, "movements")
    since, until = params.window(since, until)
    source, snap = data.current_snapshot(since, until)
    found = snap.get("bridges", wait=source.wait)
    movements = [m for m in movements if m in snap.coalition.movements]
    names, groups = snap.movement_names, snap.group_names
    window = {"since": snap.since, "until": snap.until}

    def sections():
        links = among(found.links, movements)
        suggested = among(found.introductions, movements)
        partners_of = {
            (r["group_a"], r["group_b"]): partners(found.graph, r["group_a"], r["group_b"])
            for r in suggested
        }
        return (
            bridges_headline(links, suggested),
            fragile_section(fragile_first(links), names, groups, **window),
            apart_section(apart(links), names),
            introductions_section(by_pair(suggested), partners_of, names, groups, **window),
        )

    shown = snap.memo(("bridges page", tuple(sorted(movements))), sections)
    return (
        None,
        *shown,
        choice_options(names, with_id=False),
        params.query_string({"movements": movements, **window}),
    )
