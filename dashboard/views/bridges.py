"""The bridges page's views: fragile movement links, movements with no direct link, introductions.

Every sentence is built from one row of :func:`graph.metrics.movement_links`
or :func:`graph.metrics.introductions` (the tables ``coalition bridges``
writes); names are children strings, so they stay text.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from dash import dcc, html

from dashboard.model.bridges import critical
from dashboard.params import href
from dashboard.views.tables import simple_table
from dashboard.views.text import number_text

__all__ = [
    "bridges_headline",
    "link_sentence",
    "fragile_section",
    "apart_section",
    "introductions_section",
    "names_text",
    "PARTNERS_SHOWN",
]

#: Partners named in a suggestion before "and N others".
PARTNERS_SHOWN = 3


def names_text(names: Sequence[str]) -> str:
    """``"A"``, ``"A and B"``, ``"A, B and C"``.

    >>> names_text(["A"]), names_text(["A", "B"]), names_text(["A", "B", "C"])
    ('A', 'A and B', 'A, B and C')
    """
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _joined(parts: Sequence[Any]) -> list[Any]:
    """Components joined like :func:`names_text`: ``a``, ``a and b``, ``a, b and c``."""
    out: list[Any] = []
    for i, part in enumerate(parts):
        if i:
            out.append(" and " if i == len(parts) - 1 else ", ")
        out.append(part)
    return out


def _group_links(
    group: str, names: Mapping[str, str], since: str | None, until: str | None
) -> html.Span:
    """A group's name linking to its panel on /network, and a link to /whatif without it."""
    window = {"since": since, "until": until}
    return html.Span(
        [
            dcc.Link(
                str(names.get(group, group)),
                href=href("/network", group=group, **window),
                className="bridge-group",
            ),
            " (",
            dcc.Link("what if it leaves", href=href("/whatif", remove=group, **window)),
            ")",
        ]
    )


def link_sentence(
    row: Mapping[str, Any],
    movement_names: Mapping[str, str],
    group_names: Mapping[str, str],
    *,
    since: str | None = None,
    until: str | None = None,
) -> list[Any]:
    """The sentence of one tied movement pair, as children of a paragraph.

    One critical group: "A and B are linked only through G." Two (a single
    tie): "... only through the tie between G and H." Otherwise how many
    groups would have to leave to cut the link.
    """
    a = str(movement_names.get(row["movement_a"], row["movement_a"]))
    b = str(movement_names.get(row["movement_b"], row["movement_b"]))
    groups = critical(row)
    linked = [_group_links(g, group_names, since, until) for g in groups]
    ties = row["ties"]
    if len(groups) == 1:
        tail = f" ({number_text(ties)} tie{'s' if ties != 1 else ''})."
        return [f"{a} and {b} are linked only through ", *linked, tail]
    if len(groups) == 2:
        return [f"{a} and {b} are linked only through the tie between ", *_joined(linked), "."]
    return [
        f"{a} and {b} are linked by {number_text(ties)} ties among "
        f"{number_text(row['carriers'])} groups; {number_text(row['cut_size'])} of them "
        "would have to leave to cut every tie."
    ]


def bridges_headline(
    links: Sequence[Mapping[str, Any]], introductions: Sequence[Mapping[str, Any]]
) -> html.P:
    """How many movement pairs hang on one group, have no direct tie, and how many suggestions."""
    one = sum(1 for r in links if r["ties"] and r["cut_size"] == 1)
    none = sum(1 for r in links if not r["ties"])
    return html.P(
        f"{number_text(len(links))} pairs of movements: {number_text(one)} linked through a "
        f"single group, {number_text(none)} with no direct tie; "
        f"{number_text(len(introductions))} suggested introductions.",
        className="bridges-headline",
    )


def fragile_section(
    links: Sequence[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    group_names: Mapping[str, str],
    *,
    since: str | None = None,
    until: str | None = None,
) -> html.Div:
    """The tied movement pairs, the most fragile first, one sentence each."""
    if not links:
        return html.P("No two movements are directly tied in this window.", className="muted")
    return html.Ol(
        [
            html.Li(
                link_sentence(r, movement_names, group_names, since=since, until=until),
                className="bridge-link fragile" if r["cut_size"] == 1 else "bridge-link",
            )
            for r in links
        ],
        className="bridge-links",
    )


def apart_section(
    links: Sequence[Mapping[str, Any]], movement_names: Mapping[str, str]
) -> html.Div:
    """The movement pairs with no direct tie and how far apart their closest groups are."""
    if not links:
        return html.P("Every pair of movements has a direct tie.", className="muted")
    rows = [
        [
            str(movement_names.get(r["movement_a"], r["movement_a"])),
            str(movement_names.get(r["movement_b"], r["movement_b"])),
            f"{r['distance']} hops" if r["distance"] is not None else "cannot reach each other",
        ]
        for r in links
    ]
    return simple_table(["Movement", "Movement", "Closest groups"], rows, numeric={2})


def introductions_section(
    grouped: Mapping[tuple[str, str], Sequence[Mapping[str, Any]]],
    partners_of: Mapping[tuple[Hashable, Hashable], Sequence[Hashable]],
    movement_names: Mapping[str, str],
    group_names: Mapping[str, str],
    *,
    since: str | None = None,
    until: str | None = None,
) -> html.Div:
    """Per pair of movements, the suggested introductions with the partners behind each."""
    if not grouped:
        return html.P(
            "No two groups of different movements share a partner without being tied already.",
            className="muted",
        )
    window = {"since": since, "until": until}
    blocks = []
    for (ma, mb), rows in grouped.items():
        items = []
        for r in rows:
            a, b = r["group_a"], r["group_b"]
            partners = list(partners_of.get((a, b), ()))
            named = [str(group_names.get(p, p)) for p in partners[:PARTNERS_SHOWN]]
            rest = len(partners) - len(named)
            if rest > 0:
                named.append(f"{rest} other{'s' if rest != 1 else ''}")
            items.append(
                html.Li(
                    [
                        dcc.Link(
                            str(group_names.get(a, a)), href=href("/network", group=a, **window)
                        ),
                        " and ",
                        dcc.Link(
                            str(group_names.get(b, b)), href=href("/network", group=b, **window)
                        ),
                        f": both work with {names_text(named)}",
                        html.Span(
                            f" (Adamic–Adar {number_text(r['adamic_adar'], 2)})", className="muted"
                        ),
                    ],
                    className="introduction",
                )
            )
        blocks.append(
            html.Div(
                [
                    html.H3(
                        f"{movement_names.get(ma, ma)} and {movement_names.get(mb, mb)}",
                    ),
                    html.Ol(items),
                ],
                className="introduction-pair",
            )
        )
    return html.Div(blocks)
