"""The what-if page's views: what changes when groups leave, and the groups the coalition needs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from dashboard.params import href
from dashboard.views.tables import notice, simple_table
from dashboard.views.text import number_text, percent

__all__ = [
    "whatif_summary",
    "what_changes",
    "most_between",
    "ranking_table",
    "ranking_section",
]


def whatif_summary(
    result: Mapping[str, Any],
    names: Mapping[str, str],
    movement_names: Mapping[str, str],
    *,
    counts: Mapping[str, tuple[int, int]] | None = None,
) -> html.Div:
    """Before and after a set of groups leaves: components, fragmentation, lost movement links.

    ``counts`` (see :func:`removal_counts`) adds groups, ties and ties across
    movements.
    """
    removed = [names.get(g, g) for g in result.get("removed", [])]
    lost = result.get("lost_movement_pairs") or []
    labels = {"groups": "Groups", "ties": "Ties", "cross": "Ties across movements"}
    rows = [
        [labels[key], number_text(before), number_text(after)]
        for key, (before, after) in (counts or {}).items()
        if key in labels
    ] + [
        [
            "Connected components",
            number_text(result.get("components_before")),
            number_text(result.get("components_after")),
        ],
        [
            "Fragmentation",
            percent(result.get("fragmentation_before")),
            percent(result.get("fragmentation_after")),
        ],
    ]
    lost_block = (
        html.Ul(
            [html.Li(f"{movement_names.get(a, a)} — {movement_names.get(b, b)}") for a, b in lost],
            className="plain",
        )
        if lost
        else html.P("No pair of movements loses its last direct tie.", className="muted")
    )
    return html.Div(
        [
            html.P("Leaving: " + "; ".join(removed), className="whatif-removed"),
            simple_table(["", "Before", "After"], rows, numeric={1, 2}),
            html.H4("Movement pairs left without a direct tie"),
            lost_block,
        ]
    )


def ranking_table(
    ranking: Sequence[Mapping[str, Any]],
    *,
    components: int,
    n: int = 10,
    since: str | None = None,
    until: str | None = None,
    fallback: Sequence[Mapping[str, Any]] | None = None,
) -> html.Div:
    """The groups whose single departure would split the coalition, most fragmenting first.

    When no single group splits it, ``fallback`` (group metric rows, highest
    betweenness first) is listed instead, if given.

    ``ranking`` is :func:`graph.metrics.fragmentation_ranking`'s;
    ``components`` the number of connected components with everyone in.
    A group counts when the others fall into more components without it.
    """
    top = [r for r in ranking if (r.get("components") or 0) > components][:n]
    if not top and fallback:
        rows = [
            [
                dcc.Link(
                    str(r.get("name") or r["group_id"]),
                    href=href("/whatif", remove=r["group_id"], since=since, until=until),
                ),
                number_text(r.get("betweenness"), 4),
                number_text(r.get("degree")),
            ]
            for r in fallback[:n]
        ]
        return html.Div(
            [
                html.P(
                    "No single group's departure splits the coalition in this window. "
                    "These groups carry the most shortest paths between the others "
                    "(betweenness): without them, links get longer first.",
                    className="muted",
                ),
                simple_table(
                    ["Group", "Betweenness", "Tied groups"],
                    rows,
                    numeric={1, 2},
                    caption="Groups the others rely on most to reach each other",
                ),
            ]
        )
    if not top:
        return html.P(
            "No single group's departure splits the coalition in this window.", className="muted"
        )
    rows = [
        [
            dcc.Link(
                str(r.get("name") or r["group_id"]),
                href=href("/whatif", remove=r["group_id"], since=since, until=until),
            ),
            percent(r.get("fragmentation")),
            number_text(r.get("components")),
        ]
        for r in top
    ]
    return simple_table(
        ["Group", "Fragmentation after", "Components after"],
        rows,
        numeric={1, 2},
        caption="Groups whose departure alone would split the coalition most",
    )


def what_changes(missing: Sequence[str], summary: html.Div | None) -> list:
    """The what-if page's left card: ids that are not groups of the window, then the summary.

    ``summary`` is :func:`whatif_summary`'s, None when no group was chosen
    (the card then asks for one).
    """
    children: list = [html.H2("What changes")]
    if missing:
        shown = ", ".join(f"“{g}”" for g in missing[:5]) + (" …" if len(missing) > 5 else "")
        children.append(notice(f"Not groups of this window: {shown}.", kind="info"))
    if summary is not None:
        children.append(summary)
    elif not missing:
        children.append(html.P("Choose one or more groups that would leave.", className="muted"))
    return children


def most_between(groups: Sequence[Mapping[str, Any]], n: int = 10) -> list[Mapping[str, Any]]:
    """The ``n`` group metric rows of highest betweenness (then by id): the ranking's fallback.

    >>> rows = [{"group_id": "a"}, {"group_id": "b", "betweenness": 0.5}]
    >>> [g["group_id"] for g in most_between(rows)]
    ['b', 'a']
    """
    return sorted(groups, key=lambda g: (-(g.get("betweenness") or 0), str(g["group_id"])))[:n]


def ranking_section(table: html.Div) -> list:
    """The what-if page's right card: the groups the coalition depends on."""
    return [html.H2("Groups the coalition depends on"), table]
