"""The brief: one self-contained HTML page to take to a coalition meeting.

:func:`compose_brief` turns figures already computed (the metric suite's
:class:`~graph.report.Report`, :class:`~graph.bridges.Bridges`, the
fragmentation ranking and the solidarity figures) into plain sentences, each
from one template function below; :func:`render_brief` writes them as one HTML
file with inline styles and an inline SVG picture: no script, no request to
anything outside the file, and every text from the data escaped.
:func:`brief_for` computes the figures for a coalition and composes the brief,
as ``coalition brief`` does; the dashboard composes it from its own cache.

Members appear only as counts, with the small-count rule of
:mod:`graph.privacy`.

"What changed since the previous period" compares the last two calendar
periods of the brief's window (:func:`change_span`: years, or quarters, or
months, the longest that cuts the window into two or more), measured by
:func:`graph.metrics.trends.trends`, the function behind ``coalition trends``:
its figures are those of ``coalition trends --every <period> --since
<since> --until <until>`` for the same two periods.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from graph import metrics
from graph.bridges import Bridges, compute_bridges
from graph.coalition import PERIODS, Coalition, periods
from graph.metrics import Solidarity
from graph.metrics.bridges import CRITICAL_SEPARATOR
from graph.metrics.trends import GAINED, LOST, Trends, links_at_risk, trends
from graph.privacy import SUPPRESS_BELOW, count_text
from graph.report import Report, compute_report

__all__ = [
    "Brief",
    "Section",
    "compose_brief",
    "render_brief",
    "brief_for",
    "write_brief",
    "strongest_sentence",
    "weakest_sentence",
    "alone_sentence",
    "apart_sentence",
    "departure_sentence",
    "reciprocity_sentence",
    "one_way_sentence",
    "introduction_sentence",
    "compared_sentence",
    "no_previous_sentence",
    "change_sentence",
    "tie_changes_sentence",
    "at_risk_sentence",
    "rising_sentence",
    "falling_sentence",
    "change_span",
    "brief_changes",
    "names_text",
]

#: How many items each list of the brief holds at most.
TOP = 5
#: A broker "rises" into (or "falls" from) this many best betweenness ranks of a period.
BROKER_RANKS = 10


@dataclass
class Section:
    """One section: a title and its sentences (plain text, escaped when rendered)."""

    title: str
    sentences: list[str]


@dataclass
class Brief:
    """What the brief says, before it is written as HTML."""

    since: str | None
    until: str | None
    #: (label, value) pairs of "the coalition at a glance", values already as text.
    glance: list[tuple[str, str]]
    #: The movements and the ties between them, for the picture.
    movements: dict[str, str]
    movement_groups: dict[str, int]
    movement_ties: dict[tuple[str, str], int]
    sections: list[Section] = field(default_factory=list)


# -- sentences ---------------------------------------------------------------------------
def names_text(names: Sequence[str]) -> str:
    """``"A"``, ``"A and B"``, ``"A, B and C"``.

    >>> names_text(["A"]), names_text(["A", "B"]), names_text(["A", "B", "C"])
    ('A', 'A and B', 'A, B and C')
    """
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _ties(n: int) -> str:
    return f"{n:,} tie" + ("" if n == 1 else "s")


def strongest_sentence(a: str, b: str, ties: int) -> str:
    """One of the most closely tied pairs of movements.

    >>> strongest_sentence("Labour", "Housing", 53)
    'Labour and Housing: 53 ties between their groups.'
    """
    return f"{a} and {b}: {_ties(ties)} between their groups."


def weakest_sentence(a: str, b: str, ties: int) -> str:
    """One of the most loosely tied pairs of movements.

    >>> weakest_sentence("Queer", "Immigrant", 1)
    'Queer and Immigrant: only 1 tie between their groups.'
    """
    return f"{a} and {b}: only {_ties(ties)} between their groups."


def alone_sentence(a: str, b: str, critical: Sequence[str], ties: int) -> str:
    """One movement link that one group (or one tie) holds alone.

    >>> alone_sentence("Housing", "Disability", ["Tenants United"], 3)
    'Housing and Disability are linked only through Tenants United (3 ties).'
    >>> alone_sentence("Housing", "Disability", ["Tenants United", "Access Now"], 1)
    'Housing and Disability are linked only by the tie between Tenants United and Access Now.'
    """
    if len(critical) == 1:
        return f"{a} and {b} are linked only through {critical[0]} ({_ties(ties)})."
    return f"{a} and {b} are linked only by the tie between {names_text(critical)}."


def apart_sentence(a: str, b: str, distance: int | None) -> str:
    """Two movements with no direct tie, and how far apart their closest groups are.

    >>> apart_sentence("Housing", "MeToo", 2)
    'Housing and MeToo have no direct tie; their closest groups are 2 hops apart.'
    >>> apart_sentence("Housing", "MeToo", None)
    'Housing and MeToo have no direct tie and no path between their groups.'
    """
    if distance is None:
        return f"{a} and {b} have no direct tie and no path between their groups."
    return f"{a} and {b} have no direct tie; their closest groups are {distance} hops apart."


def departure_sentence(group: str, components: int, before: int, fragmentation: float) -> str:
    """What one group's departure would do to the coalition.

    >>> print(departure_sentence("Hub", 3, 1, 0.4216))  # doctest: +NORMALIZE_WHITESPACE
    Without Hub the coalition would fall from 1 into 3 parts; 42.2% of pairs of groups could
    no longer reach each other.
    """
    return (
        f"Without {group} the coalition would fall from {before:,} into {components:,} parts; "
        f"{100 * fragmentation:.1f}% of pairs of groups could no longer reach each other."
    )


def reciprocity_sentence(reciprocity: float | None, events: int) -> str:
    """How much of the support across movements is returned.

    >>> reciprocity_sentence(0.25, 40)
    '40 acts of support crossed movement lines; 25% of them were matched by support the other way.'
    >>> reciprocity_sentence(None, 0)
    'No support crossed movement lines in this period.'
    """
    if reciprocity is None or not events:
        return "No support crossed movement lines in this period."
    return (
        f"{events:,} acts of support crossed movement lines; {100 * reciprocity:.0f}% of them "
        "were matched by support the other way."
    )


def one_way_sentence(giver: str, receiver: str, given: int, returned: int) -> str:
    """A pair of movements where support runs (mostly) one way.

    >>> one_way_sentence("MeToo", "Labour", 6, 0)
    'MeToo supported Labour 6 times; Labour never returned it.'
    >>> one_way_sentence("MeToo", "Labour", 6, 1)
    'MeToo supported Labour 6 times; Labour returned it once.'
    """
    back = {0: "never returned it", 1: "returned it once"}.get(
        returned, f"returned it {returned} times"
    )
    times = "once" if given == 1 else f"{given:,} times"
    return f"{giver} supported {receiver} {times}; {receiver} {back}."


def introduction_sentence(
    a: str, ma: str, b: str, mb: str, partners: Sequence[str], more: int
) -> str:
    """A suggested introduction and the partners behind it.

    >>> introduction_sentence("Tenants", "Housing", "Access", "Disability", ["X", "Y"], 0)
    'Tenants (Housing) and Access (Disability) both work with X and Y, but not yet with each other.'
    >>> introduction_sentence("T", "H", "A", "D", ["X"], 2)
    'T (H) and A (D) both work with X and 2 others, but not yet with each other.'
    """
    named = list(partners) + ([f"{more} other" + ("s" if more != 1 else "")] if more else [])
    return (
        f"{a} ({ma}) and {b} ({mb}) both work with {names_text(named)}, "
        "but not yet with each other."
    )


def compared_sentence(every: str, before: tuple[str, str], now: tuple[str, str]) -> str:
    """Which two periods the changes compare.

    >>> print(compared_sentence("year", ("2023-01-01", "2023-12-31"), ("2024-01-01", "2024-03-15")))
    ... # doctest: +NORMALIZE_WHITESPACE
    Comparing the year from 2024-01-01 to 2024-03-15 with the year before, from 2023-01-01
    to 2023-12-31.
    """
    return (
        f"Comparing the {every} from {now[0]} to {now[1]} with the {every} before, "
        f"from {before[0]} to {before[1]}."
    )


def no_previous_sentence() -> str:
    """The window holds fewer than two calendar periods.

    >>> no_previous_sentence()[:48]
    'This window holds fewer than two calendar months'
    """
    return (
        "This window holds fewer than two calendar months (or no dates), so there is no "
        "previous period to compare it with."
    )


def _figure(value: float | int | None, percent: int | None) -> str | None:
    if value is None:
        return None
    if percent is None:
        return f"{value:,}"
    return f"{100 * value:.{percent}f}%"


def change_sentence(
    label: str, now: float | None, before: float | None, *, percent: int | None = None
) -> str:
    """One figure of the latest period against the period before.

    ``percent`` shows a share with that many decimals; a figure undefined in
    a period (``None``) is said to be missing. "Up" and "down" compare the
    figures as shown.

    >>> change_sentence("Ties between groups", 12, 9)
    'Ties between groups: 12, up from 9.'
    >>> change_sentence("Share of ties across movements", 0.5, 0.5, percent=1)
    'Share of ties across movements: unchanged at 50.0%.'
    >>> change_sentence("Support returned", None, 0.25, percent=0)
    'Support returned: no figure now (25% in the period before).'
    """
    a, b = _figure(now, percent), _figure(before, percent)
    if a is None and b is None:
        return f"{label}: no figure in either period."
    if a is None:
        return f"{label}: no figure now ({b} in the period before)."
    if b is None:
        return f"{label}: {a} (no figure in the period before)."
    if a == b:
        return f"{label}: unchanged at {a}."
    return f"{label}: {a}, {'up' if now > before else 'down'} from {b}."


def tie_changes_sentence(gained: int, lost: int, cross_gained: int, cross_lost: int) -> str:
    """The ties gained and lost since the period before, and those across movements.

    >>> print(tie_changes_sentence(5, 1, 2, 0))  # doctest: +NORMALIZE_WHITESPACE
    5 ties were gained and 1 lost since the period before; 2 of the gained and 0 of the lost
    cross movement lines.
    >>> tie_changes_sentence(0, 0, 0, 0)
    'No tie was gained or lost since the period before.'
    """
    if not gained and not lost:
        return "No tie was gained or lost since the period before."
    return (
        f"{gained:,} tie{'' if gained == 1 else 's'} {'was' if gained == 1 else 'were'} "
        f"gained and {lost:,} lost since the period before; {cross_gained:,} of the gained "
        f"and {cross_lost:,} of the lost cross movement lines."
    )


def at_risk_sentence(a: str, b: str, now: int, before: int) -> str:
    """A movement link whose direct ties fell to one or none.

    >>> at_risk_sentence("Housing", "Disability", 1, 4)
    'Link at risk: Housing and Disability are down to 1 direct tie, from 4 in the period before.'
    >>> at_risk_sentence("Housing", "Disability", 0, 2)
    'Link at risk: Housing and Disability have no direct tie left, from 2 in the period before.'
    """
    if now:
        return (
            f"Link at risk: {a} and {b} are down to {_ties(now).replace('tie', 'direct tie')}, "
            f"from {before:,} in the period before."
        )
    return (
        f"Link at risk: {a} and {b} have no direct tie left, from {before:,} in the period before."
    )


def rising_sentence(group: str, rank: int, before: int | None) -> str:
    """A group that rose among the brokers (betweenness rank; 1 is the highest).

    >>> rising_sentence("Tenants United", 2, 14)
    'Rising broker: Tenants United, now betweenness rank 2 (rank 14 in the period before).'
    >>> rising_sentence("Tenants United", 2, None)
    'Rising broker: Tenants United, now betweenness rank 2 (no broker in the period before).'
    """
    was = "no broker" if before is None else f"rank {before:,}"
    return f"Rising broker: {group}, now betweenness rank {rank:,} ({was} in the period before)."


def falling_sentence(group: str, before: int, rank: int | None) -> str:
    """A group that fell among the brokers, or no longer lies between other groups.

    >>> falling_sentence("Access Now", 1, 9)
    'Falling broker: Access Now, betweenness rank 1 in the period before, now rank 9.'
    >>> falling_sentence("Access Now", 1, None)
    'Falling broker: Access Now, betweenness rank 1 in the period before, now no broker.'
    """
    now = "no broker" if rank is None else f"rank {rank:,}"
    return f"Falling broker: {group}, betweenness rank {before:,} in the period before, now {now}."


def change_span(
    coalition: Coalition, since: str | None = None, until: str | None = None
) -> tuple[str, str, str] | None:
    """The period length and the span of the last two periods the brief compares.

    The window (``since``, ``until``, each defaulting to the earliest or
    latest date in the data, as :func:`graph.metrics.trends.trends` takes
    them) is cut into calendar years, or quarters, or months: the longest
    that gives at least two periods.

    Returns
    -------
    tuple or None
        ``(every, first day of the period before the last, last day)``, a
        span :func:`graph.metrics.trends.trends` cuts into exactly the last
        two periods of the window; None when the window has no dates or lies
        within one month.

    Examples
    --------
    >>> from graph.coalition import Coalition
    >>> c = Coalition(groups={}, memberships=[("m", "g", "2023-02-01", "2024-05-02")])
    >>> change_span(c)
    ('year', '2023-02-01', '2024-05-02')
    >>> change_span(c, since="2024-01-20")
    ('quarter', '2024-01-20', '2024-05-02')
    >>> change_span(c, since="2024-05-01") is None
    True
    """
    first, last = coalition.span()
    since, until = since or first, until or last
    if since is None or until is None or since > until:
        return None
    for every in PERIODS:
        spans = periods(since, until, every)
        if len(spans) >= 2:
            return every, spans[-2][0], until
    return None


# -- composing ----------------------------------------------------------------------------
def compose_brief(
    coalition: Coalition,
    report: Report,
    bridges: Bridges,
    ranking: Sequence[Mapping[str, Any]],
    support: Solidarity,
    changes: Trends | None = None,
    *,
    suppress_below: int = SUPPRESS_BELOW,
    top: int = TOP,
) -> Brief:
    """The brief's figures and sentences, from figures already computed.

    Parameters
    ----------
    coalition : graph.coalition.Coalition
        The tables, cut to the brief's date window.
    report : graph.report.Report
        :func:`graph.report.compute_report` of that coalition.
    bridges : graph.bridges.Bridges
        :func:`graph.bridges.compute_bridges` of the same graph.
    ranking : sequence of dict
        :func:`graph.metrics.fragmentation_ranking` of the same graph.
    support : graph.metrics.Solidarity
        :func:`graph.metrics.solidarity` of the same coalition.
    changes : graph.metrics.trends.Trends or None, optional
        :func:`graph.metrics.trends.trends` over :func:`change_span` of the
        window: the last two periods, compared in "What changed since the
        previous period". None (or fewer than two periods): the section says
        there is no previous period.
    suppress_below : int, optional
        Member counts under this read ``"<N"``.
    top : int, optional
        Items per list.
    """
    G: nx.Graph = report.graph
    names = {m: str(v.get("name") or m) for m, v in coalition.movements.items()}
    group = {g: str(d.get("name") or g) for g, d in G.nodes(data=True)}
    s = report.summary
    groups = set(G)
    members = sum(1 for gs in coalition.member_groups().values() if not gs.isdisjoint(groups))
    groups_of: dict[str, int] = {}
    for _, d in G.nodes(data=True):
        m = d.get("primary_movement")
        if m is not None:
            groups_of[m] = groups_of.get(m, 0) + 1
    names = {**{m: str(m) for m in groups_of}, **names}  # a movement without a row: its id
    cross = s.get("cross_movement_tie_share")
    glance = [
        ("Groups", f"{s['groups']:,}"),
        ("Movements", f"{len(groups_of):,}"),
        ("Members", count_text(members, suppress_below)),
        ("Ties between groups", f"{s['ties']:,}"),
        ("Ties across movements", "—" if cross is None else f"{100 * cross:.1f}%"),
        ("Separate parts", f"{s['components']:,}"),
    ]
    pairs = [r for r in report.matrix if r["movement_a"] != r["movement_b"]]
    movement_ties = {(r["movement_a"], r["movement_b"]): r["ties"] for r in pairs}
    tied = sorted(
        (r for r in pairs if r["ties"]),
        key=lambda r: (-r["ties"], r["movement_a"], r["movement_b"]),
    )
    sections = [
        Section(
            "The strongest and weakest links between movements",
            [
                strongest_sentence(names[r["movement_a"]], names[r["movement_b"]], r["ties"])
                for r in tied[:top]
            ]
            + [
                weakest_sentence(names[r["movement_a"]], names[r["movement_b"]], r["ties"])
                for r in tied[max(top, len(tied) - top) :][::-1]
            ]
            or ["No two movements are tied in this period."],
        ),
        _alone(bridges, names, group, top),
        _departures(G, ranking, group, top),
        _support(support, names, top),
        _changes(changes, names, group, top),
        _introductions(bridges, names, group, top),
    ]
    return Brief(
        coalition.since,
        coalition.until,
        glance,
        {m: names[m] for m in sorted(groups_of)},
        groups_of,
        movement_ties,
        sections,
    )


def _alone(bridges: Bridges, names, group, top) -> Section:
    alone = sorted(
        (r for r in bridges.links if r["ties"] and r["cut_size"] == 1),
        key=lambda r: (r["ties"], r["movement_a"], r["movement_b"]),
    )
    sentences = [
        alone_sentence(
            names[r["movement_a"]],
            names[r["movement_b"]],
            [group[g] for g in r["critical_groups"].split(CRITICAL_SEPARATOR)],
            r["ties"],
        )
        for r in alone
    ] or ["No link between two movements rests on a single group."]
    apart = sorted(
        (r for r in bridges.links if not r["ties"]),
        key=lambda r: (r["distance"] is None, r["distance"] or 0, r["movement_a"], r["movement_b"]),
    )
    sentences += [
        apart_sentence(names[r["movement_a"]], names[r["movement_b"]], r["distance"])
        for r in apart[:top]
    ]
    return Section("Links one group holds alone", sentences)


def _departures(G: nx.Graph, ranking, group, top) -> Section:
    before = nx.number_connected_components(G) if len(G) else 0
    splitting = [r for r in ranking if (r.get("components") or 0) > before][:top]
    sentences = [
        departure_sentence(group[r["group_id"]], r["components"], before, r["fragmentation"])
        for r in splitting
    ] or ["No single group's departure would split the coalition."]
    return Section("The groups whose departure would fragment the coalition most", sentences)


def _support(support: Solidarity, names, top) -> Section:
    across = sum(p["a_to_b"] + p["b_to_a"] for p in support.pairs)
    sentences = [reciprocity_sentence(support.reciprocity, across)]
    for p in support.pairs_by_one_sidedness()[:top]:
        if p["reciprocity"] is None or p["reciprocity"] >= 0.5:
            break
        a, b, ab, ba = p["movement_a"], p["movement_b"], p["a_to_b"], p["b_to_a"]
        if ab >= ba:
            sentences.append(one_way_sentence(names.get(a, a), names.get(b, b), ab, ba))
        else:
            sentences.append(one_way_sentence(names.get(b, b), names.get(a, a), ba, ab))
    return Section("Who shows up for whom, and where support runs one way", sentences)


def _changes(changes: Trends | None, names, group, top) -> Section:
    title = "What changed since the previous period"
    if changes is None or len(changes.periods) < 2:
        return Section(title, [no_previous_sentence()])
    before, now = changes.periods[-2], changes.periods[-1]
    row = {r["period_start"]: r for r in changes.summary}
    b, n = row[before[0]], row[now[0]]
    sentences = [compared_sentence(changes.every, before, now)]
    for label, column, percent in (
        ("Active groups (with at least one tie)", "active_groups", None),
        ("Ties between groups", "ties", None),
        ("Share of ties across movements", "cross_movement_tie_share", 1),
        ("Support across movements that was returned", "solidarity_reciprocity", 0),
    ):
        sentences.append(change_sentence(label, n[column], b[column], percent=percent))
    latest = [c for c in changes.changes if c["period_start"] == now[0]]
    count = {
        (change, cross): sum(
            1 for c in latest if c["change"] == change and bool(c["cross_movement"]) == cross
        )
        for change in (GAINED, LOST)
        for cross in (True, False)
    }
    sentences.append(
        tie_changes_sentence(
            count[GAINED, True] + count[GAINED, False],
            count[LOST, True] + count[LOST, False],
            count[GAINED, True],
            count[LOST, True],
        )
    )
    pairs = [r for r in changes.movement_pairs if r["period_start"] in (before[0], now[0])]
    for r in links_at_risk(pairs)[:top]:
        a, b_ = r["movement_a"], r["movement_b"]
        sentences.append(
            at_risk_sentence(names.get(a, a), names.get(b_, b_), r["ties_now"], r["ties_before"])
        )
    sentences += _brokers(changes.groups, before[0], now[0], group, top)
    return Section(title, sentences)


def _brokers(rows, before: str, now: str, group, top) -> list[str]:
    """Rising: a broker (betweenness above 0) of the best ranks now, ranked lower before or
    not a broker then; falling: the reverse. Best ranks first, then by name."""

    def brokers(start):
        return {
            r["group_id"]: r["betweenness_rank"]
            for r in rows
            if r["period_start"] == start and r["betweenness"] > 0
        }

    was, is_ = brokers(before), brokers(now)

    def order(g, rank):
        return (rank, group.get(g, str(g)), g)

    rising = sorted(
        (order(g, r), g)
        for g, r in is_.items()
        if r <= BROKER_RANKS and (g not in was or was[g] > r)
    )
    falling = sorted(
        (order(g, r), g)
        for g, r in was.items()
        if r <= BROKER_RANKS and (g not in is_ or is_[g] > r)
    )
    return [rising_sentence(group.get(g, str(g)), is_[g], was.get(g)) for _, g in rising[:top]] + [
        falling_sentence(group.get(g, str(g)), was[g], is_.get(g)) for _, g in falling[:top]
    ]


def _introductions(bridges: Bridges, names, group, top) -> Section:
    firsts = sorted(
        (r for r in bridges.introductions if r["rank"] == 1),
        key=lambda r: (-round(r["adamic_adar"], 9), r["movement_a"], r["movement_b"]),
    )
    sentences = []
    G = bridges.graph
    for r in firsts[:top]:
        a, b = r["group_a"], r["group_b"]
        partners = sorted((set(G[a]) & set(G[b])) - {a, b}, key=lambda g: (group[g], g))
        shown = [group[g] for g in partners[:3]]
        sentences.append(
            introduction_sentence(
                group[a],
                names[r["movement_a"]],
                group[b],
                names[r["movement_b"]],
                shown,
                len(partners) - len(shown),
            )
        )
    return Section(
        "Suggested introductions",
        sentences
        or ["No two groups of different movements share a partner without being tied already."],
    )


# -- the HTML -----------------------------------------------------------------------------
STYLE = """
@page { size: auto; margin: 15mm; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; color: #111; margin: 0 auto;
       max-width: 180mm; padding: 8mm 0; }
h1 { font-size: 20pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #999; break-after: avoid; }
p.when { color: #444; margin: 0 0 5mm; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; break-inside: avoid; }
th, td { text-align: left; padding: 1mm 2mm; border-bottom: 1px solid #ddd;
         overflow-wrap: anywhere; vertical-align: top; }
td.num { text-align: right; }
ul { padding-left: 5mm; margin: 0; }
li { margin: 1mm 0; break-inside: avoid; overflow-wrap: anywhere; }
figure { margin: 3mm 0; break-inside: avoid; }
figure svg { width: 100%; height: auto; max-height: 120mm; }
figcaption, .note { color: #444; font-size: 9pt; }
"""


def _when(since: str | None, until: str | None) -> str:
    if since and until:
        return f"from {since} to {until}"
    if since:
        return f"since {since}"
    if until:
        return f"until {until}"
    return "all dates"


def _picture(brief: Brief, size: int = 560) -> str:
    """The movements on a circle, sized by groups, joined by lines as thick as their ties."""
    movements = list(brief.movements)
    if not movements:
        return ""
    centre, radius = size / 2, size / 2 - 90
    at = {
        m: (
            centre + radius * math.cos(2 * math.pi * i / len(movements) - math.pi / 2),
            centre + radius * math.sin(2 * math.pi * i / len(movements) - math.pi / 2),
        )
        for i, m in enumerate(movements)
    }
    most_ties = max(brief.movement_ties.values(), default=0) or 1
    most_groups = max(brief.movement_groups.values(), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
        'aria-label="Movements and the ties between them">'
    ]
    for (a, b), ties in sorted(brief.movement_ties.items()):
        if ties and a in at and b in at:
            width = 0.5 + 9 * ties / most_ties
            (x1, y1), (x2, y2) = at[a], at[b]
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="#4a6fa5" stroke-opacity="0.55" stroke-width="{width:.1f}"/>'
            )
    for m, (x, y) in at.items():
        r = 8 + 22 * math.sqrt(brief.movement_groups.get(m, 0) / most_groups)
        label = html.escape(brief.movements[m])
        anchor = "start" if x > centre + 1 else "end" if x < centre - 1 else "middle"
        dx = r + 4 if anchor == "start" else -(r + 4) if anchor == "end" else 0
        dy = 0 if anchor != "middle" else (-(r + 6) if y < centre else r + 14)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#1f3b63"/>')
        parts.append(
            f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" '
            f'dominant-baseline="middle" font-size="13" font-family="sans-serif">{label}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_brief(brief: Brief) -> str:
    """The brief as one self-contained HTML document (inline style and SVG, no script)."""
    e = html.escape
    when = _when(brief.since, brief.until)
    rows = "".join(
        f'<tr><th scope="row">{e(k)}</th><td class="num">{e(v)}</td></tr>' for k, v in brief.glance
    )
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing outside the file may be fetched, even if a name smuggled markup in.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>Coalition brief — {e(when)}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Coalition brief</h1>",
        f'<p class="when">{e(when.capitalize())}. Every sentence comes from the numbers of '
        "<code>coalition metrics</code>, <code>coalition bridges</code> and "
        "<code>coalition trends</code> for this window.</p>",
        "<h2>The coalition at a glance</h2>",
        f'<table class="glance"><tbody>{rows}</tbody></table>',
        "<h2>The movements and the links between them</h2>",
        f"<figure>{_picture(brief)}<figcaption>Each circle is a movement (larger: more "
        "groups); each line joins two movements with direct ties (thicker: more ties)."
        "</figcaption></figure>",
    ]
    for section in brief.sections:
        items = "".join(f"<li>{e(s)}</li>" for s in section.sentences)
        body.append(f"<h2>{e(section.title)}</h2><ul>{items}</ul>")
    body.append(
        '<p class="note">Members appear only as counts. Suggestions are suggestions, not '
        "verdicts: groups that work with the same partners but not yet with each other.</p>"
    )
    body.append("</body></html>")
    return "\n".join(body) + "\n"


# -- from a coalition ---------------------------------------------------------------------
def brief_for(coalition: Coalition, *, suppress_below: int = SUPPRESS_BELOW) -> Brief:
    """Compute every figure the brief needs, once, and compose it (``coalition brief``)."""
    from graph.projection import coalition_graph_with_arrays

    G, arrays = coalition_graph_with_arrays(coalition)
    report = compute_report(coalition, graph=G, arrays=arrays)
    bridges = compute_bridges(coalition, graph=G, arrays=arrays)
    ranking = metrics.fragmentation_ranking(G)
    primary = {g: d.get("primary_movement") for g, d in G.nodes(data=True)}
    support = metrics.solidarity(coalition.participations, coalition.shares, primary)
    return compose_brief(
        coalition,
        report,
        bridges,
        ranking,
        support,
        brief_changes(coalition),
        suppress_below=suppress_below,
    )


def brief_changes(coalition: Coalition) -> Trends | None:
    """The last two periods of the coalition's window, measured as ``coalition trends`` does.

    :func:`graph.metrics.trends.trends` over :func:`change_span` of the
    coalition's window; None when there is no previous period.
    """
    span = change_span(coalition, coalition.since, coalition.until)
    if span is None:
        return None
    every, since, until = span
    return trends(coalition, every=every, since=since, until=until)


def write_brief(brief: Brief, out: str | os.PathLike) -> Path:
    """Write the brief's HTML to ``out`` (whole or not at all); return the path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_text(render_brief(brief), encoding="utf-8")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out
