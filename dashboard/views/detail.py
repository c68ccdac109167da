"""The network page's detail panel: one group (counts, metrics, ties, actions) or one movement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
from dash import dcc, html

from dashboard.params import href
from dashboard.views.tables import definition_list
from dashboard.views.text import number_text, tie_summary
from graph.privacy import SUPPRESS_BELOW, count_text

__all__ = ["group_detail", "movement_detail"]


def group_detail(
    gid: str,
    *,
    G: nx.Graph,
    group: Mapping[str, Any],
    metrics: Mapping[str, Any] | None,
    counts: Mapping[str, int],
    movement_names: Mapping[str, str],
    threshold: int = SUPPRESS_BELOW,
    partners: int = 6,
    since: str | None = None,
    until: str | None = None,
    actions: Sequence[Mapping[str, Any]] = (),
    shown_actions: int = 6,
    metrics_note: str | None = None,
    solidarity: Mapping[str, int] | None = None,
) -> html.Div:
    """The detail panel of one group: movements, counts, metrics, top partners, joint actions.

    ``actions`` are the group's joint actions, latest first, each a mapping
    with ``name``, ``start_date``, ``type`` and ``groups`` (how many groups
    took part); the first ``shown_actions`` are listed. ``metrics_note``
    stands in for the metrics while they are being computed. ``solidarity``
    is the group's row of :func:`graph.metrics.group_solidarity`: what it
    gives and receives, across movements and within.
    """
    metrics = metrics or {}
    movements = list(group.get("movements") or [])
    facts = [str(gid)]
    for key in ("city", "country"):
        if group.get(key):
            facts.append(str(group[key]))
    if group.get("founded"):
        facts.append(f"founded {group['founded']}")
    movement_items = [
        html.Li(movement_names.get(m, m) + (" (primary)" if i == 0 else ""))
        for i, m in enumerate(movements)
    ] or [html.Li("no movement recorded")]
    count_rows = [
        ("Members", count_text(counts.get("members", 0), threshold)),
        ("Joint actions", number_text(counts.get("actions", 0))),
        ("Shared resources", number_text(counts.get("resources", 0))),
        ("Tied groups", number_text(G.degree(gid) if gid in G else 0)),
    ]
    metric_rows = [
        ("Betweenness", number_text(metrics.get("betweenness"))),
        ("Participation", number_text(metrics.get("participation"))),
        ("E–I index", number_text(metrics.get("ei_index"))),
        ("PageRank", number_text(metrics.get("pagerank"))),
        ("Constraint", number_text(metrics.get("constraint"))),
        ("Effective size", number_text(metrics.get("effective_size"), 1)),
        *(
            (f"Brokerage: {k}", number_text(metrics.get(f"brokerage_{k}")))
            for k in ("coordinator", "consultant", "representative", "liaison")
        ),
        ("Community", number_text(metrics.get("community"))),
        ("Cut point", number_text(metrics.get("articulation_point"))),
    ]
    top = []
    if gid in G:
        neighbours = sorted(
            G[gid].items(), key=lambda item: (-float(item[1].get("weight", 0)), str(item[0]))
        )
        for other, d in neighbours[:partners]:
            top.append(
                html.Li(
                    [
                        html.Span(str(G.nodes[other].get("name") or other), className="partner"),
                        html.Span(" · " + tie_summary(d, threshold), className="muted"),
                    ]
                )
            )
    action_items = [
        html.Li(
            [
                html.Span(str(a.get("name") or a.get("id") or ""), className="action-name"),
                html.Span(
                    " · "
                    + " · ".join(
                        str(x)
                        for x in (
                            a.get("start_date"),
                            a.get("type"),
                            f"{int(a.get('groups') or 0):,} groups",
                        )
                        if x
                    ),
                    className="muted",
                ),
            ]
        )
        for a in list(actions)[:shown_actions]
    ]
    more = len(actions) - len(action_items)
    window = {"since": since, "until": until}
    return html.Div(
        [
            html.H3(str(group.get("name") or gid), className="detail-title"),
            html.P(" · ".join(facts), className="muted"),
            html.H4("Movements"),
            html.Ul(movement_items, className="plain"),
            html.H4("In this window"),
            definition_list(count_rows),
            html.H4("Metrics"),
            html.P(metrics_note, className="muted metrics-pending")
            if metrics_note
            else definition_list(metric_rows),
            *_solidarity_section(solidarity, window),
            html.H4("Strongest ties"),
            html.Ol(top) if top else html.P("No ties in this window.", className="muted"),
            html.H4("Joint actions"),
            html.Ol(action_items, className="detail-actions-list")
            if action_items
            else html.P("No joint actions in this window.", className="muted"),
            html.P(
                [
                    f"…and {more:,} more. ",
                    dcc.Link("See them over time", href=href("/timeline", **window)),
                ],
                className="muted",
            )
            if more > 0
            else None,
            html.P(
                [
                    dcc.Link("Paths from this group", href=href("/paths", a=gid, **window)),
                    " · ",
                    dcc.Link("What if it left?", href=href("/whatif", remove=gid, **window)),
                ],
                className="detail-links",
            ),
        ],
        className="detail-body",
    )


def _solidarity_section(row: Mapping[str, int] | None, window: Mapping[str, Any]) -> list:
    """What a group gives and receives, across movements and within its own.

    >>> words = _solidarity_section({"show_up_given": 3, "show_up_received": 1,
    ...     "resources_given": 1, "resources_received": 0, "given_across": 2,
    ...     "received_across": 1}, {})[1].children
    >>> [dd.children for dd in words[1::2]][-2:]
    ['2 · 2', '1 · 0']
    """
    if row is None:
        return []
    given = row["show_up_given"] + row["resources_given"]
    received = row["show_up_received"] + row["resources_received"]
    rows = [
        ("Shows up for others", number_text(row["show_up_given"])),
        ("Others show up for it", number_text(row["show_up_received"])),
        (
            "Resources it provides · receives",
            (f"{number_text(row['resources_given'])} · {number_text(row['resources_received'])}"),
        ),
        (
            "Gives across movements · within its own",
            (f"{number_text(row['given_across'])} · {number_text(given - row['given_across'])}"),
        ),
        (
            "Receives across movements · within its own",
            (
                f"{number_text(row['received_across'])} · "
                f"{number_text(received - row['received_across'])}"
            ),
        ),
    ]
    return [
        html.H4(dcc.Link("Solidarity", href=href("/solidarity", **window))),
        definition_list(rows),
    ]


def movement_detail(
    mid: str,
    *,
    entry: Mapping[str, Any] | None,
    movement_names: Mapping[str, str],
    link: str,
) -> html.Div:
    """The detail panel of a movement node: its groups, ties inside and out, E–I index."""
    entry = entry or {}
    ties = entry.get("ties") or {}
    rows = [
        ("Groups (primary movement)", number_text(entry.get("groups", 0))),
        ("Ties inside", number_text(ties.get("internal", 0))),
        ("Ties to other movements", number_text(ties.get("external", 0))),
        ("E–I index", number_text(ties.get("ei"), 2)),
    ]
    return html.Div(
        [
            html.H3(movement_names.get(mid, mid), className="detail-title"),
            html.P(f"Movement {mid} · whole coalition in this window", className="muted"),
            definition_list(rows),
            html.P(dcc.Link("Show its groups →", href=link), className="detail-links"),
        ],
        className="detail-body movement-detail",
    )
