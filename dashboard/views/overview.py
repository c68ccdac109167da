"""The overview page's views: headline counts, the top bridging groups, links between movements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
from dash import dcc, html

from dashboard.params import href
from dashboard.views.solidarity import which_way
from dashboard.views.tables import simple_table
from dashboard.views.text import MISSING, number_text, percent
from graph.coalition import Coalition
from graph.metrics import Solidarity
from graph.privacy import SUPPRESS_BELOW, count_text
from graph.schema import TIE_SHORT

__all__ = [
    "overview_kpis",
    "kpi_cards",
    "top_bridges",
    "bridges_table",
    "cross_pairs_table",
    "small_matrix",
    "overview_content",
]


def overview_kpis(
    coalition: Coalition,
    *,
    G: nx.Graph,
    summary: Mapping[str, Any],
    bridging: int,
    member_total: int,
    movement_names: Mapping[str, str] | None = None,
    threshold: int = SUPPRESS_BELOW,
    solidarity: Solidarity | None = None,
) -> list[dict]:
    """The overview's headline numbers: ``label``, ``value`` (text), ``hint``, ``href``.

    ``bridging`` is how many members are in groups of two or more primary
    movements; ``summary`` needs ``cross_movement_tie_share``; ``solidarity``
    gives the coalition's reciprocity and its most one-sided pair. Each figure
    links to the page that explains it.
    """
    action_groups: dict[str, set[str]] = defaultdict(set)
    for gid, aid, *_ in coalition.participations:
        action_groups[aid].add(gid)
    joint = sum(1 for aid in coalition.actions if len(action_groups.get(aid, ())) >= 2)
    resource_groups: dict[str, set[str]] = defaultdict(set)
    for gid, rid, *_ in coalition.shares:
        resource_groups[rid].add(gid)
    shared = sum(1 for groups in resource_groups.values() if len(groups) >= 2)
    share = summary.get("cross_movement_tie_share")
    share_text = "" if share is None or share != share else f"{100 * share:.0f}%"
    window = {"since": coalition.since, "until": coalition.until}
    return [
        {
            "label": "Movements",
            "value": number_text(len(coalition.movements)),
            "hint": "see how they are linked",
            "href": href("/movements", **window),
        },
        {
            "label": "Groups",
            "value": number_text(len(coalition.groups)),
            "hint": f"{number_text(G.number_of_edges())} ties between them",
            "href": href("/network", **window),
        },
        {
            "label": "Members",
            "value": count_text(member_total, threshold),
            "hint": f"{count_text(bridging, threshold)} in groups of 2+ movements",
            "href": href("/brokers", **window),
        },
        {
            "label": "Joint actions",
            "value": number_text(joint),
            "hint": f"of {number_text(len(coalition.actions))} actions",
            "href": href("/timeline", **window),
        },
        {
            "label": "Shared resources",
            "value": number_text(shared),
            "hint": f"of {number_text(len(coalition.resources))} resources",
            "href": href("/network", ties=TIE_SHORT["shared_resources"], **window),
        },
        {
            "label": "Cross-movement ties",
            "value": share_text or MISSING,
            "hint": "share of ties linking two movements",
            "href": href("/movements", **window),
        },
        *([_support_kpi(solidarity, movement_names or {}, window)] if solidarity else []),
    ]


def _support_kpi(
    solidarity: Solidarity, movement_names: Mapping[str, str], window: Mapping[str, Any]
) -> dict:
    """Reciprocity of support between movements, and where it runs most one way."""
    kpi = {"label": "Support returned", "value": percent(solidarity.reciprocity)}
    pair = solidarity.most_one_sided()
    if pair is None:
        return {
            **kpi,
            "hint": "no support crosses movements",
            "href": href("/solidarity", **window),
        }
    a, b = pair["movement_a"], pair["movement_b"]
    giving = [a, b] if pair["a_to_b"] >= pair["b_to_a"] else [b, a]
    return {
        **kpi,
        "hint": f"most one-sided: {which_way(pair, movement_names)}",
        "href": href("/solidarity", cell=giving, **window),
    }


def kpi_cards(kpis: Iterable[Mapping[str, str]]) -> html.Div:
    return html.Div(
        [
            dcc.Link(
                [
                    html.Div(k["value"], className="kpi-value"),
                    html.Div(k["label"], className="kpi-label"),
                    html.Div(k["hint"], className="kpi-hint"),
                ],
                href=k["href"],
                className="kpi",
            )
            for k in kpis
        ],
        className="kpis",
    )


def top_bridges(groups: Iterable[Mapping[str, Any]], n: int = 8) -> list[Mapping[str, Any]]:
    """The groups that bridge movements most: participation, then betweenness."""

    def key(g):
        p = g.get("participation")
        b = g.get("betweenness")
        p = -1.0 if p is None or p != p else p
        b = -1.0 if b is None or b != b else b
        return (-p, -b, str(g.get("group_id")))

    return sorted(groups, key=key)[:n]


def bridges_table(
    groups: Sequence[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    since: str | None = None,
    until: str | None = None,
) -> html.Table:
    rows = []
    for g in groups:
        gid = g["group_id"]
        rows.append(
            [
                dcc.Link(
                    str(g.get("name") or gid),
                    href=href("/network", focus=gid, since=since, until=until),
                ),
                movement_names.get(g.get("primary_movement"), g.get("primary_movement") or ""),
                number_text(g.get("participation")),
                number_text(g.get("betweenness")),
                number_text(g.get("degree")),
            ]
        )
    return simple_table(
        ["Group", "Primary movement", "Participation", "Betweenness", "Tied groups"],
        rows,
        numeric={2, 3, 4},
        caption="Groups whose ties spread most evenly across movements",
    )


def cross_pairs_table(
    matrix: Iterable[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    n: int = 6,
    threshold: int = SUPPRESS_BELOW,
) -> html.Table:
    pairs = [r for r in matrix if r.get("movement_a") != r.get("movement_b") and r.get("ties")]
    pairs.sort(key=lambda r: (-r["ties"], r["movement_a"], r["movement_b"]))
    rows = [
        [
            movement_names.get(r["movement_a"], r["movement_a"]),
            movement_names.get(r["movement_b"], r["movement_b"]),
            number_text(r.get("ties")),
            number_text(r.get("joint_actions")),
            count_text(r.get("shared_members"), threshold),
        ]
        for r in pairs[:n]
    ]
    headers = ["Movement", "Movement", "Ties", "Joint actions", "Shared members"]
    caption = "Movement pairs with the most ties between their groups"
    return simple_table(headers, rows, numeric={2, 3, 4}, caption=caption)


def small_matrix(
    matrix: Iterable[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    since: str | None = None,
    until: str | None = None,
    most: int = 12,
) -> html.Table | None:
    """The overview's movement × movement table of ties, each cell a link to its groups.

    Rows and columns are the movements (columns numbered as the rows, to
    stay narrow); a cell counts the ties between groups of the two
    movements and links to ``/movements`` with that cell selected. None
    with more than ``most`` movements (the full matrix is one click away).
    """
    ids = sorted(movement_names)
    if not ids or len(ids) > most:
        return None
    ties = {}
    for row in matrix:
        a, b = row.get("movement_a"), row.get("movement_b")
        ties[(a, b)] = ties[(b, a)] = int(row.get("ties") or 0)
    head = html.Thead(
        html.Tr(
            [html.Th("Movement", scope="col")]
            + [
                html.Th(str(i + 1), scope="col", className="num", title=movement_names.get(m, m))
                for i, m in enumerate(ids)
            ]
        )
    )
    body = []
    for i, a in enumerate(ids):
        cells = [html.Th(f"{i + 1}. {movement_names.get(a, a)}", scope="row")]
        for b in ids:
            count = ties.get((a, b), 0)
            cells.append(
                html.Td(
                    dcc.Link(
                        number_text(count),
                        href=href("/movements", cell=f"{a},{b}", since=since, until=until),
                        title=f"{movement_names.get(a, a)} × {movement_names.get(b, b)}",
                    )
                    if count
                    else "0",
                    className="num diagonal" if a == b else "num",
                )
            )
        body.append(html.Tr(cells))
    return html.Table(
        [
            html.Caption(
                "Ties between groups of two movements (the diagonal: inside one); "
                "click a number for the groups behind it"
            ),
            head,
            html.Tbody(body),
        ],
        className="table matrix-table",
    )


def overview_content(
    kpis: Iterable[Mapping[str, str]],
    bridges: Any,
    matrix: Any,
    *,
    since: str | None = None,
    until: str | None = None,
) -> list:
    """The overview below its date pickers: the headline cards, then two cards side by side.

    ``bridges`` is the table of top bridging groups (or a message that the
    metrics are being computed), ``matrix`` the links between movements
    (:func:`small_matrix`, or :func:`cross_pairs_table` for many movements).
    """
    window = {"since": since, "until": until}
    return [
        kpi_cards(kpis),
        html.Div(
            [
                html.Section(
                    [
                        html.H2(dcc.Link("Top bridging groups", href=href("/brokers", **window))),
                        bridges,
                        html.P(
                            [
                                "Participation is 0 when all of a group's ties stay in one "
                                "movement and rises as they spread. Each group links to its "
                                "neighbourhood in the network. ",
                                dcc.Link("All group metrics →", href=href("/brokers", **window)),
                            ],
                            className="muted",
                        ),
                    ],
                    className="card",
                    id="overview-bridges",
                ),
                html.Section(
                    [
                        html.H2(
                            dcc.Link("Links between movements", href=href("/movements", **window))
                        ),
                        matrix,
                        html.P(
                            [
                                "A tie is a pair of groups sharing members, actions or resources. ",
                                dcc.Link("Full matrix →", href=href("/movements", **window)),
                                " · ",
                                dcc.Link("See the network →", href=href("/network", **window)),
                            ],
                            className="muted",
                        ),
                    ],
                    className="card",
                    id="overview-matrix",
                ),
            ],
            className="two-columns",
        ),
    ]
