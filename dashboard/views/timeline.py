"""The timeline page's views: joint actions per period, within one movement or across several."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from dash import html

from dashboard.views.styles import OKABE_ITO
from dashboard.views.tables import notice, simple_table
from dashboard.views.text import number_text
from graph.coalition import Coalition

__all__ = [
    "PERIODS",
    "timeline_rows",
    "timeline_status",
    "timeline_figure",
    "period_start",
    "period_key",
    "period_actions",
]


PERIODS = {"year": "Year", "quarter": "Quarter", "month": "Month"}


def _period(date: str, period: str) -> str:
    if period == "month":
        return date[:7]
    if period == "quarter":
        return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"
    return date[:4]


def _joint_actions(
    coalition: Coalition, movements: Iterable[str] | None = None
) -> Iterable[tuple[str, dict, set[str], bool]]:
    """Each joint action (two or more groups) with a start date: id, action, groups, across."""
    wanted = set(movements or ())
    groups_of: dict[str, set[str]] = defaultdict(set)
    for gid, aid, *_ in coalition.participations:
        if gid in coalition.groups:
            groups_of[aid].add(gid)
    for aid, action in coalition.actions.items():
        gids = groups_of.get(aid, set())
        if not action.get("start_date") or len(gids) < 2:
            continue
        if wanted and not any(wanted.intersection(coalition.groups[g]["movements"]) for g in gids):
            continue
        primaries = {coalition.primary_movement(g) for g in gids} - {None}
        yield aid, action, gids, len(primaries) >= 2


def timeline_rows(
    coalition: Coalition, *, period: str = "year", movements: Iterable[str] | None = None
) -> list[dict]:
    """Joint actions (two or more groups) per period, within one movement or across several.

    An action is *across* movements when its groups have two or more
    different primary movements. With ``movements``, only actions with a
    group in one of them count. Periods without actions in between are
    included with zeros. Each row: ``period`` (``2021``, ``2021-Q3`` or
    ``2021-07``), ``start`` (its first day), ``within``, ``across``.
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    counts: dict[str, Counter] = defaultdict(Counter)
    for _aid, action, _gids, across in _joint_actions(coalition, movements):
        counts[_period(action["start_date"], period)]["across" if across else "within"] += 1
    if not counts:
        return []
    keys = _fill_periods(sorted(counts), period)
    return [
        {
            "period": k,
            "start": period_start(k),
            "within": counts[k]["within"],
            "across": counts[k]["across"],
        }
        for k in keys
    ]


def timeline_status(rows: Sequence[Mapping[str, Any]]) -> html.P | html.Div:
    """The line above the chart: joint actions in all, and the share across movements."""
    total = sum(r["within"] + r["across"] for r in rows)
    across = sum(r["across"] for r in rows)
    if not total:
        return notice("No joint actions in this window.", kind="info")
    return html.P(
        f"{total:,} joint actions, {across:,} of them across movements "
        f"({100 * across / total:.0f}%).",
        className="status",
    )


def period_start(key: str) -> str:
    """The first day of a period key: ``2021`` → ``2021-01-01``, ``2021-Q3`` → ``2021-07-01``.

    >>> period_start("2021-Q3"), period_start("2021-07"), period_start("2021")
    ('2021-07-01', '2021-07-01', '2021-01-01')
    """
    if "-Q" in key:
        year, quarter = key.split("-Q")
        return f"{year}-{3 * (int(quarter) - 1) + 1:02d}-01"
    if len(key) == 7:
        return key + "-01"
    return key + "-01-01"


def period_key(value: Any, period: str) -> str | None:
    """A period key of ``period`` from a URL value or a clicked bar, or None if it is not one."""
    text = str(value or "").strip()
    if period == "year" and len(text) == 4 and text.isdigit():
        return text
    if period == "quarter" and len(text) == 7 and text[:4].isdigit() and text[4:6] == "-Q":
        return text if text[6] in "1234" else None
    if period == "month" and len(text) == 7 and text[:4].isdigit() and text[4] == "-":
        return text if text[5:].isdigit() and 1 <= int(text[5:]) <= 12 else None
    return None


def period_actions(
    coalition: Coalition,
    key: str,
    *,
    period: str = "year",
    movements: Iterable[str] | None = None,
    movement_names: Mapping[str, str] | None = None,
    shown: int = 100,
) -> html.Div:
    """The joint actions of one period (the bar clicked), earliest first: a table.

    Each row gives the date, the action's name and type, how many groups
    took part and whether they came from one movement or several. At most
    ``shown`` rows; the rest are counted.
    """
    movement_names = movement_names or {}
    found = sorted(
        (
            (action["start_date"], str(action.get("name") or aid), aid, action, gids, across)
            for aid, action, gids, across in _joint_actions(coalition, movements)
            if _period(action["start_date"], period) == key
        ),
    )
    if not found:
        return html.Div(
            [
                html.H2(f"Joint actions in {key}"),
                notice("No joint actions in this period.", kind="info"),
            ],
            className="card",
        )
    rows = []
    for start, name, _aid, action, gids, across in found[:shown]:
        primaries = sorted({coalition.primary_movement(g) for g in gids} - {None})
        rows.append(
            [
                start,
                name,
                str(action.get("type") or ""),
                number_text(len(gids)),
                "; ".join(movement_names.get(m, m) for m in primaries),
                "across" if across else "within",
            ]
        )
    across = sum(1 for *_rest, a in found if a)
    caption = f"{len(found):,} joint actions in {key}, {across:,} of them across movements" + (
        f"; the first {shown:,} by date" if len(found) > shown else ""
    )
    return html.Div(
        [
            html.H2(f"Joint actions in {key}"),
            simple_table(
                ["Date", "Action", "Type", "Groups", "Primary movements", ""],
                rows,
                numeric={3},
                caption=caption,
            ),
        ],
        className="card period-actions",
        **{"data-period": key, "data-count": str(len(found))},
    )


def _fill_periods(keys: list[str], period: str) -> list[str]:
    first, last = keys[0], keys[-1]

    def step(k: str) -> str:
        if period == "year":
            return str(int(k) + 1)
        if period == "quarter":
            y, q = int(k[:4]), int(k[-1])
            return f"{y + (q == 4)}-Q{q % 4 + 1}"
        y, m = int(k[:4]), int(k[5:7])
        return f"{y + (m == 12)}-{m % 12 + 1:02d}"

    out = [first]
    while out[-1] < last and len(out) < 10_000:
        out.append(step(out[-1]))
    return out


def timeline_figure(
    rows: Sequence[Mapping[str, Any]], *, period: str = "year", selected: str | None = None
) -> go.Figure:
    """Stacked bars of joint actions per period on a date axis, with a range selector.

    Each bar carries its period key as ``customdata`` (a click selects the
    period); the ``selected`` one is outlined.
    """
    x = [r.get("start") or period_start(r["period"]) for r in rows]
    keys = [r["period"] for r in rows]
    outline = [2.5 if k == selected else 0 for k in keys]
    bars = (
        ("within", "Within one movement", OKABE_ITO[4]),
        ("across", "Across movements", OKABE_ITO[0]),
    )
    fig = go.Figure(
        [
            go.Bar(
                name=name,
                x=x,
                y=[r[key] for r in rows],
                customdata=keys,
                hovertemplate="%{customdata}: %{y} " + name.lower() + "<extra></extra>",
                marker={"color": color, "line": {"color": "#000000", "width": outline}},
                xperiod={"year": "M12", "quarter": "M3", "month": "M1"}.get(period, "M12"),
                xperiodalignment="middle",
            )
            for key, name, color in bars
        ]
    )
    fig.update_layout(
        barmode="stack",
        title={"text": f"Joint actions per {period} — click a bar to list its actions", "x": 0},
        xaxis={
            "type": "date",
            "title": {"text": PERIODS.get(period, period)},
            "rangeslider": {"visible": True, "thickness": 0.08},
            "rangeselector": {
                "buttons": [
                    {"count": 1, "label": "1 y", "step": "year", "stepmode": "backward"},
                    {"count": 3, "label": "3 y", "step": "year", "stepmode": "backward"},
                    {"count": 5, "label": "5 y", "step": "year", "stepmode": "backward"},
                    {"step": "all", "label": "all"},
                ]
            },
        },
        yaxis={"title": {"text": "Joint actions"}, "fixedrange": True},
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        height=480,
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        plot_bgcolor="#ffffff",
        font={"family": "system-ui, sans-serif"},
        uirevision=period,
    )
    return fig
