"""The trends page's views: the coalition's course, movement links, brokers and ties over time.

Pure functions from :class:`graph.metrics.trends.Trends` (and names) to Plotly
figures and Dash components; every name from the data is shown as text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from dash import dcc, html

from dashboard import params
from dashboard.views.styles import OKABE_ITO
from dashboard.views.tables import notice, simple_table
from dashboard.views.text import plotly_text, tie_summary
from graph.metrics.trends import GAINED, LOST, Trends, links_at_risk, rank_course
from graph.privacy import SUPPRESS_BELOW

__all__ = [
    "EVERY",
    "TOP_BROKERS",
    "trends_status",
    "course_figures",
    "pairs_heatmap",
    "cell_listing",
    "rank_figure",
    "changes_figure",
    "at_risk_list",
]

#: The period lengths the page offers, and their labels.
EVERY = {"year": "Year", "quarter": "Quarter", "month": "Month"}
#: Brokers followed over time: the best ranked of the latest period.
TOP_BROKERS = 8

_LAYOUT = {
    "plot_bgcolor": "#ffffff",
    "font": {"family": "system-ui, sans-serif"},
    "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
    # under the chart: long group names would run into the title
    "legend": {"orientation": "h", "y": -0.22, "x": 0, "xanchor": "left", "yanchor": "top"},
}


def trends_status(result: Trends) -> html.P:
    """The line above the charts: how many periods, from when to when, how betweenness ran."""
    first, last = result.periods[0][0], result.periods[-1][1]
    changes = Counter(row["change"] for row in result.changes)
    return html.P(
        f"{len(result.periods):,} periods ({result.every}) from {first} to {last}: "
        f"{changes[GAINED]:,} ties gained and {changes[LOST]:,} lost from one period to the "
        f"next; betweenness {result.betweenness_mode}.",
        className="status",
        **{"data-periods": str(len(result.periods))},
    )


def _lines(rows, series, title: str, yaxis: dict) -> go.Figure:
    x = [r["period_start"] for r in rows]
    fig = go.Figure(
        [
            go.Scatter(
                x=x,
                y=[r[key] for r in rows],
                name=name,
                mode="lines+markers",
                line={"color": color},
                connectgaps=False,
                hovertemplate="%{x}: %{y}<extra>" + name + "</extra>",
            )
            for key, name, color in series
        ]
    )
    fig.update_layout(
        title={"text": title, "x": 0},
        xaxis={"type": "date", "title": {"text": "Period start"}},
        yaxis=yaxis,
        height=400,
        **_LAYOUT,
    )
    return fig


def course_figures(result: Trends) -> tuple[go.Figure, go.Figure]:
    """The coalition's course as two line charts: sizes, and shares and modularities.

    A figure undefined in a period (no ties) is a gap in its line.
    """
    rows = result.summary
    sizes = _lines(
        rows,
        (
            ("active_groups", "Active groups", OKABE_ITO[4]),
            ("ties", "Ties", OKABE_ITO[0]),
            ("components", "Components", OKABE_ITO[6]),
        ),
        f"Active groups, ties and components per {result.every}",
        {"title": {"text": "Count"}, "rangemode": "tozero"},
    )
    shares = _lines(
        rows,
        (
            ("cross_movement_tie_share", "Ties across movements", OKABE_ITO[0]),
            ("solidarity_reciprocity", "Solidarity reciprocity", OKABE_ITO[2]),
            ("movement_modularity", "Modularity of movements", OKABE_ITO[4]),
            ("louvain_modularity", "Modularity of communities", OKABE_ITO[6]),
        ),
        f"Shares and modularities per {result.every}",
        {"title": {"text": "Value"}, "range": [-0.55, 1.05]},
    )
    return sizes, shares


def _pair_label(a: str, b: str, names: Mapping[str, str]) -> str:
    return names.get(a, a) if a == b else f"{names.get(a, a)} – {names.get(b, b)}"


def pairs_heatmap(
    result: Trends,
    movement_names: Mapping[str, str],
    *,
    cell: tuple[str, str, str] | None = None,
    within: bool = False,
) -> go.Figure:
    """Ties per pair of movements (rows) and period (columns); a click picks a cell.

    Pairs across movements only unless ``within``; the pairs with most ties
    in all come first. Each cell carries ``"period_start,movement_a,movement_b"``
    as its ``customdata`` (as the URL's ``cell``); the chosen ``cell`` is outlined.
    """
    starts = [s for s, _ in result.periods]
    ties: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for row in result.movement_pairs:
        if within or row["movement_a"] != row["movement_b"]:
            ties[(row["movement_a"], row["movement_b"])][row["period_start"]] = row["ties"]
    pairs = sorted(ties, key=lambda p: (-sum(ties[p].values()), p))
    labels = [plotly_text(_pair_label(a, b, movement_names)) for a, b in pairs]
    fig = go.Figure(
        go.Heatmap(
            x=starts,
            y=labels,
            z=[[ties[p].get(s, 0) for s in starts] for p in pairs],
            customdata=[[f"{s},{a},{b}" for s in starts] for a, b in pairs],
            colorscale="Blues",
            colorbar={"title": {"text": "Ties"}},
            hovertemplate="%{y}<br>%{x}: %{z} ties<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    if cell and (cell[1], cell[2]) in ties and cell[0] in starts:
        fig.add_shape(
            type="rect",
            xref="x",
            yref="y",
            x0=starts.index(cell[0]) - 0.5,
            x1=starts.index(cell[0]) + 0.5,
            y0=pairs.index((cell[1], cell[2])) - 0.5,
            y1=pairs.index((cell[1], cell[2])) + 0.5,
            line={"color": "#000000", "width": 2},
        )
    fig.update_layout(
        title={
            "text": f"Direct ties between movements per {result.every} — click a cell "
            "for the groups behind it",
            "x": 0,
        },
        xaxis={"type": "category", "title": {"text": "Period start"}},
        yaxis={"autorange": "reversed", "automargin": True},
        height=max(320, 80 + 26 * len(pairs)),
        **{**_LAYOUT, "legend": None},
    )
    return fig


def cell_listing(
    ties: Sequence[Mapping[str, Any]],
    period: tuple[str, str],
    movement_a: str,
    movement_b: str,
    *,
    group_names: Mapping[str, str],
    movement_names: Mapping[str, str],
    threshold: int = SUPPRESS_BELOW,
    shown: int = 100,
) -> html.Div:
    """The groups behind one heatmap cell: the ties of two movements in one period.

    Members appear only as counts, banded under ``threshold``.
    """
    title = (
        f"{_pair_label(movement_a, movement_b, movement_names)}, "
        f"{period[0]} to {period[1]}: {len(ties):,} direct tie{'' if len(ties) == 1 else 's'}"
    )
    if not ties:
        body: Any = notice("No direct ties between these movements in this period.", kind="info")
    else:
        body = simple_table(
            [
                movement_names.get(movement_a, movement_a),
                movement_names.get(movement_b, movement_b),
                "Tie",
            ],
            [
                [
                    group_names.get(t["group_a"], t["group_a"]),
                    group_names.get(t["group_b"], t["group_b"]),
                    tie_summary(t, threshold),
                ]
                for t in ties[:shown]
            ],
            caption=f"the first {shown:,} by group id" if len(ties) > shown else None,
        )
    return html.Div(
        [html.H2(title), body],
        className="card trend-cell",
        **{"data-count": str(len(ties)), "data-period": period[0]},
    )


def rank_figure(
    result: Trends,
    group_names: Mapping[str, str],
    *,
    chosen: Iterable[str] = (),
    top: int = TOP_BROKERS,
) -> go.Figure:
    """Brokers rising and falling: betweenness rank over time of the top groups and ``chosen``.

    Rank 1 (the highest betweenness of its period) is at the top; a period in
    which a group had no tie is a gap in its line. A chosen group is drawn
    thicker and in black.
    """
    chosen = list(chosen)
    course = rank_course(result.groups, top=top, extra=chosen)
    starts = [s for s, _ in result.periods]
    traces = []
    for i, (gid, points) in enumerate(course.items()):
        ranks = dict(points)
        mine = gid in chosen
        name = plotly_text(group_names.get(gid, gid))
        traces.append(
            go.Scatter(
                x=starts,
                y=[ranks.get(s) for s in starts],
                name=name,
                mode="lines+markers",
                connectgaps=False,
                line={
                    "color": "#000000" if mine else OKABE_ITO[i % (len(OKABE_ITO) - 1)],
                    "width": 4 if mine else 2,
                },
                hovertemplate="%{x}: rank %{y}<extra>" + name + "</extra>",
            )
        )
    fig = go.Figure(traces)
    fig.update_layout(
        title={
            "text": f"Brokers rising and falling: betweenness rank per {result.every} "
            f"(the top {top} of the latest period)",
            "x": 0,
        },
        xaxis={"type": "date", "title": {"text": "Period start"}},
        yaxis={"title": {"text": "Rank (1 = highest betweenness)"}, "autorange": "reversed"},
        height=480,
        **_LAYOUT,
    )
    return fig


def changes_figure(result: Trends) -> go.Figure:
    """Ties gained (up) and lost (down) per period, those across movements highlighted."""
    counts: dict[tuple[str, str, bool], int] = Counter(
        (row["period_start"], row["change"], bool(row["cross_movement"])) for row in result.changes
    )
    starts = [s for s, _ in result.periods]
    bars = (
        (GAINED, True, "Gained across movements", OKABE_ITO[0], 1),
        (GAINED, False, "Gained within a movement", "#B9DDF2", 1),
        (LOST, True, "Lost across movements", OKABE_ITO[5], -1),
        (LOST, False, "Lost within a movement", "#CCCCCC", -1),
    )
    fig = go.Figure(
        [
            go.Bar(
                x=starts,
                y=[sign * counts[(s, change, across)] for s in starts],
                name=name,
                marker={"color": color},
                hovertemplate="%{x}: %{y}<extra>" + name + "</extra>",
            )
            for change, across, name, color, sign in bars
        ]
    )
    fig.update_layout(
        barmode="relative",
        title={"text": f"Ties gained and lost from one {result.every} to the next", "x": 0},
        xaxis={"type": "date", "title": {"text": "Period start"}},
        yaxis={"title": {"text": "Ties (lost below zero)"}},
        height=420,
        **_LAYOUT,
    )
    return fig


def at_risk_list(
    result: Trends, movement_names: Mapping[str, str], *, query: Mapping[str, Any]
) -> html.Div:
    """ "Links at risk": movement pairs whose direct ties fell to one or none in the latest period.

    Each links to the groups involved: the heatmap cells of the latest period
    and of the period with the most ties (``query`` is the page's own URL
    query, to which the cell is added).
    """
    rows = links_at_risk(result.movement_pairs)
    latest = result.periods[-1][0]
    if not rows:
        return html.Div(
            [
                html.H2("Links at risk"),
                notice(
                    "No link between two movements fell to one direct tie or none in the "
                    "latest period.",
                    kind="info",
                ),
            ],
            className="card links-at-risk",
            **{"data-count": "0"},
        )
    items = []
    for row in rows:
        a, b = row["movement_a"], row["movement_b"]
        now = row["ties_now"]
        items.append(
            html.Li(
                [
                    html.Strong(_pair_label(a, b, movement_names)),
                    f": {'one direct tie' if now == 1 else 'no direct tie'} in {latest}, "
                    f"{row['ties_before']:,} in {row['peak_start']}. ",
                    dcc.Link(
                        f"Groups in {row['peak_start']}",
                        href=params.href(
                            "/trends", **{**query, "cell": f"{row['peak_start']},{a},{b}"}
                        ),
                    ),
                    *(
                        [
                            " · ",
                            dcc.Link(
                                f"the group pair in {latest}",
                                href=params.href(
                                    "/trends", **{**query, "cell": f"{latest},{a},{b}"}
                                ),
                            ),
                        ]
                        if now
                        else []
                    ),
                ]
            )
        )
    return html.Div(
        [
            html.H2("Links at risk"),
            html.P(
                "Pairs of movements whose direct ties fell to one or none in the latest period "
                "after having more before, the steepest fall first.",
                className="muted",
            ),
            html.Ul(items),
        ],
        className="card links-at-risk",
        **{"data-count": str(len(rows))},
    )
