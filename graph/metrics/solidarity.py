"""Solidarity flows: who shows up for whom, and whether support runs both ways.

The coalition graph says two groups work together, never who supports whom.
The roles of the records give the direction (DESIGN.md, "Solidarity flows"):

* **Showing up.** In a joint action each group with role ``partner``,
  ``endorser`` or ``participant`` *shows up for* each ``organizer`` of that
  action: one event per action and ordered pair of distinct groups. An action
  without an organizer gives none.
* **Resource support.** For each resource, each ``provider`` *supports* each
  ``recipient``: one event per resource and ordered pair of distinct groups.
  ``co_steward`` is sharing without direction and gives none.

A date window keeps the actions and shares that overlap it, as for ties: pass
the tables of :meth:`graph.coalition.Coalition.window`. Movements are compared
by primary movement; a group without one is in a movement of its own, as in
every other metric, so its events count as crossing movements but belong to
no movement flow.

>>> participations = [("g1", "a1", "organizer"), ("g2", "a1", "partner")]
>>> shares = [("g2", "r1", "provider"), ("g1", "r1", "recipient")]
>>> events = solidarity_events(participations, shares)
>>> events
[('show_up', 'g2', 'g1', 'a1'), ('resources', 'g2', 'g1', 'r1')]
>>> flows = solidarity_flows(events, {"g1": "housing", "g2": "disability"})
>>> [(f["movement_from"], f["movement_to"], f["total"]) for f in flows]
[('disability', 'housing', 2)]
>>> solidarity_reciprocity(flows)
0.0
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.metrics._common import shared_parameters

__all__ = [
    "Solidarity",
    "solidarity",
    "solidarity_events",
    "solidarity_flows",
    "solidarity_pairs",
    "solidarity_reciprocity",
    "group_solidarity",
    "SHOW_UP",
    "RESOURCES",
    "FLOW_COLUMNS",
    "PAIR_COLUMNS",
    "GROUP_SOLIDARITY_COLUMNS",
]

#: The two kinds of event, as named in the files.
SHOW_UP = "show_up"
RESOURCES = "resources"
#: The roles that show up for an action's organizers, and the organizer's.
SHOWING_UP_ROLES = frozenset({"partner", "endorser", "participant"})
ORGANIZER = "organizer"
PROVIDER, RECIPIENT = "provider", "recipient"

#: The columns of :func:`solidarity_flows` and of ``solidarity_flows.csv``.
FLOW_COLUMNS: tuple[str, ...] = ("movement_from", "movement_to", SHOW_UP, RESOURCES, "total")
#: The columns of :func:`solidarity_pairs` and of ``solidarity_pairs.csv``.
PAIR_COLUMNS: tuple[str, ...] = (
    "movement_a",
    "movement_b",
    "a_to_b",
    "b_to_a",
    "reciprocity",
    "balance",
)
#: The columns of :func:`group_solidarity` and of ``group_solidarity.csv``.
GROUP_SOLIDARITY_COLUMNS: tuple[str, ...] = (
    "group_id",
    "show_up_given",
    "show_up_received",
    "resources_given",
    "resources_received",
    "given_across",
    "received_across",
)

Event = tuple[str, Hashable, Hashable, Hashable]


def solidarity_events(
    participations: Iterable[Sequence],
    shares: Iterable[Sequence],
    *,
    groups: Collection[Hashable] | None = None,
) -> list[Event]:
    """Every directed support event: who showed up for whom, who supported whom.

    Parameters
    ----------
    participations : iterable of tuple
        ``(group_id, action_id, role, ...)`` rows, as
        :attr:`graph.coalition.Coalition.participations`.
    shares : iterable of tuple
        ``(group_id, resource_id, role, ...)`` rows, as
        :attr:`graph.coalition.Coalition.shares`.
    groups : collection, optional
        Keep only events between these groups (the groups of the coalition
        graph, say, when it keeps only some movements).

    Returns
    -------
    list of tuple
        ``(kind, giver, receiver, item)`` with ``kind`` ``"show_up"`` (the
        item an action) or ``"resources"`` (the item a resource): show-up
        events first, each kind in the order of its items' first rows, then
        of the givers and receivers.

    Notes
    -----
    One event per item and ordered pair of distinct groups, so an action with
    ``k`` organizers and ``s`` groups showing up gives ``k * s`` events; an
    action without an organizer, a role that is empty, and ``co_steward``
    give none. A group that organised an action and is listed again does not
    show up for itself.

    Examples
    --------
    Two organizers and three other groups: six show-up events. A provider and
    two recipients: two support events. A co-stewarded resource: none.

    >>> parts = [("o1", "a", "organizer"), ("o2", "a", "organizer"),
    ...          ("p", "a", "partner"), ("e", "a", "endorser"), ("q", "a", "participant"),
    ...          ("x", "b", "partner"), ("y", "b", "participant")]
    >>> shares = [("v", "r", "provider"), ("w1", "r", "recipient"), ("w2", "r", "recipient"),
    ...           ("c1", "s", "co_steward"), ("c2", "s", "co_steward")]
    >>> events = solidarity_events(parts, shares)
    >>> Counter(kind for kind, *_ in events)
    Counter({'show_up': 6, 'resources': 2})
    >>> sorted((giver, receiver) for kind, giver, receiver, _ in events if kind == "resources")
    [('v', 'w1'), ('v', 'w2')]
    """
    keep = set(groups) if groups is not None else None
    events: list[Event] = []
    for kind, rows, givers_role, receivers_role in (
        (SHOW_UP, participations, SHOWING_UP_ROLES, frozenset({ORGANIZER})),
        (RESOURCES, shares, frozenset({PROVIDER}), frozenset({RECIPIENT})),
    ):
        givers: defaultdict[Hashable, list] = defaultdict(list)
        receivers: defaultdict[Hashable, list] = defaultdict(list)
        for row in rows:
            group, item, role = row[0], row[1], row[2]
            if keep is not None and group not in keep:
                continue
            if role in givers_role:
                givers[item].append(group)
            elif role in receivers_role:
                receivers[item].append(group)
        for item, receiving in receivers.items():
            for giver in givers.get(item, ()):
                events.extend((kind, giver, r, item) for r in receiving if r != giver)
    return events


@shared_parameters
def solidarity_flows(
    events: Iterable[Event], primary: Mapping[Hashable, Hashable | None]
) -> list[dict[str, Any]]:
    """Events between movements, per ordered pair of primary movements.

    Parameters
    ----------
    %(events)s
    primary : mapping
        Group id -> its primary movement (or ``None``).

    Returns
    -------
    list of dict
        One row ``{"movement_from", "movement_to", "show_up", "resources",
        "total"}`` per ordered pair of movements with at least one event from
        a group of the first to a group of the second (``A -> A`` included),
        sorted by the pair.

    Notes
    -----
    Events with a group that has no primary movement (or is not in
    ``primary``) belong to no flow.

    Examples
    --------
    >>> events = [("show_up", "g2", "g1", "a1"), ("show_up", "g3", "g1", "a1"),
    ...           ("resources", "g1", "g2", "r1")]
    >>> primary = {"g1": "housing", "g2": "disability", "g3": "housing"}
    >>> for row in solidarity_flows(events, primary):
    ...     print(*row.values())
    disability housing 1 0 1
    housing disability 0 1 1
    housing housing 1 0 1
    """
    counts: defaultdict[tuple, Counter] = defaultdict(Counter)
    for kind, giver, receiver, _ in events:
        a, b = primary.get(giver), primary.get(receiver)
        if a is not None and b is not None:
            counts[(a, b)][kind] += 1
    return [
        {
            "movement_from": a,
            "movement_to": b,
            SHOW_UP: c[SHOW_UP],
            RESOURCES: c[RESOURCES],
            "total": c[SHOW_UP] + c[RESOURCES],
        }
        for (a, b), c in sorted(counts.items())
    ]


@shared_parameters
def solidarity_pairs(flows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Reciprocity and balance of every pair of different movements with an event.

    With :math:`s_{AB}` and :math:`s_{BA}` the events each way,

    .. math::

       r_{AB} = \\frac{2 \\min(s_{AB}, s_{BA})}{s_{AB} + s_{BA}}, \\qquad
       b_{AB} = \\frac{s_{AB} - s_{BA}}{s_{AB} + s_{BA}}:

    reciprocity is 1 when support is balanced and 0 when it runs one way;
    balance is positive when ``A`` gives more.

    Parameters
    ----------
    %(flows)s

    Returns
    -------
    list of dict
        One row ``{"movement_a", "movement_b", "a_to_b", "b_to_a",
        "reciprocity", "balance"}`` per unordered pair ``movement_a <
        movement_b`` with at least one event either way, sorted by the pair.

    Examples
    --------
    >>> flows = [{"movement_from": "blm", "movement_to": "housing", "total": 3},
    ...          {"movement_from": "housing", "movement_to": "blm", "total": 1},
    ...          {"movement_from": "labour", "movement_to": "blm", "total": 2}]
    >>> [(p["movement_a"], p["movement_b"], p["reciprocity"], p["balance"])
    ...  for p in solidarity_pairs(flows)]
    [('blm', 'housing', 0.5, 0.5), ('blm', 'labour', 0.0, -1.0)]
    """
    total = _totals(flows)
    rows = []
    for a, b in sorted({tuple(sorted(pair)) for pair in total if pair[0] != pair[1]}):
        ab, ba = total.get((a, b), 0), total.get((b, a), 0)
        both = ab + ba
        rows.append(
            {
                "movement_a": a,
                "movement_b": b,
                "a_to_b": ab,
                "b_to_a": ba,
                "reciprocity": 2 * min(ab, ba) / both if both else None,
                "balance": (ab - ba) / both if both else None,
            }
        )
    return rows


@shared_parameters
def solidarity_reciprocity(flows: Iterable[Mapping[str, Any]]) -> float | None:
    """The coalition's weighted reciprocity across movements (Squartini et al. 2013).

    .. math::

       r = \\frac{\\sum_{A \\ne B} \\min(s_{AB}, s_{BA})}{\\sum_{A \\ne B} s_{AB}}

    the share of the support between movements that is matched by support
    the other way: 1 when every flow is returned in full, 0 when all runs one
    way.

    Parameters
    ----------
    %(flows)s

    Returns
    -------
    float or None
        ``None`` when there are no events across movements.

    References
    ----------
    .. [1] Squartini, T., Picciolo, F., Ruzzenenti, F. & Garlaschelli, D.
       (2013). Reciprocity of weighted networks. *Scientific Reports* 3, 2729.

    Examples
    --------
    Three events from blm to housing and one back: :math:`(1 + 1) / 4`.

    >>> solidarity_reciprocity([
    ...     {"movement_from": "blm", "movement_to": "housing", "total": 3},
    ...     {"movement_from": "housing", "movement_to": "blm", "total": 1},
    ...     {"movement_from": "blm", "movement_to": "blm", "total": 9}])
    0.5
    """
    total = {pair: s for pair, s in _totals(flows).items() if pair[0] != pair[1]}
    across = sum(total.values())
    if not across:
        return None
    matched = sum(min(s, total.get((b, a), 0)) for (a, b), s in total.items())
    return matched / across


def _totals(flows: Iterable[Mapping[str, Any]]) -> dict[tuple, int]:
    """(movement_from, movement_to) -> events."""
    return {(f["movement_from"], f["movement_to"]): f["total"] for f in flows}


@shared_parameters
def group_solidarity(
    events: Iterable[Event], primary: Mapping[Hashable, Hashable | None]
) -> dict[Hashable, dict[str, Any]]:
    """What each group gives and receives: show-ups, resources, and how much across movements.

    Parameters
    ----------
    %(events)s
    primary : mapping
        Group id -> its primary movement (or ``None``): every group gets a
        row, in this order.

    Returns
    -------
    dict
        Group id -> ``{"group_id", "show_up_given", "show_up_received",
        "resources_given", "resources_received", "given_across",
        "received_across"}``: events of each kind it gave and received (with
        any group), and events of both kinds given to and received from
        groups of another primary movement.

    Notes
    -----
    A group without a primary movement is in a movement of its own: every
    event it gives or receives crosses movements. Events with groups missing
    from ``primary`` are ignored.

    Examples
    --------
    ``h1`` organised an action that a housing group and a disability group
    joined, and gave a resource to the disability group:

    >>> figures = group_solidarity(
    ...     [("show_up", g, "h1", "a1") for g in ("h2", "d1")] + [("resources", "h1", "d1", "r1")],
    ...     dict(h1="housing", h2="housing", d1="disability"))
    >>> figures["h1"]["show_up_received"], figures["h1"]["received_across"]
    (2, 1)
    >>> figures["h1"]["resources_given"], figures["h1"]["given_across"]
    (1, 1)
    """
    zero = dict.fromkeys(GROUP_SOLIDARITY_COLUMNS[1:], 0)
    rows = {g: {"group_id": g, **zero} for g in primary}
    for kind, giver, receiver, _ in events:
        if giver not in rows or receiver not in rows:
            continue
        rows[giver][f"{kind}_given"] += 1
        rows[receiver][f"{kind}_received"] += 1
        a, b = primary[giver], primary[receiver]
        if a is None or b is None or a != b:
            rows[giver]["given_across"] += 1
            rows[receiver]["received_across"] += 1
    return rows


@dataclass(frozen=True)
class Solidarity:
    """Every solidarity figure of one set of groups: what :func:`solidarity` returns."""

    #: As :func:`solidarity_events`.
    events: list[Event]
    #: Group id -> primary movement, for the groups counted (their order is the rows').
    primary: dict[Hashable, Hashable | None]
    #: As :func:`solidarity_flows`, :func:`solidarity_pairs`, :func:`group_solidarity`.
    flows: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    groups: dict[Hashable, dict[str, Any]]
    #: As :func:`solidarity_reciprocity`.
    reciprocity: float | None
    #: Events of each kind: ``{"show_up": n, "resources": n}``.
    counts: dict[str, int]

    def most_one_sided(self) -> dict[str, Any] | None:
        """The pair of movements whose support runs most one way (most events first)."""
        return min(self.pairs, key=_one_sided_order) if self.pairs else None

    def pairs_by_one_sidedness(self) -> list[dict[str, Any]]:
        """Every pair, the most one-sided first; equally one-sided pairs by their events."""
        return sorted(self.pairs, key=_one_sided_order)


def _one_sided_order(pair: Mapping[str, Any]) -> tuple:
    return (pair["reciprocity"], -(pair["a_to_b"] + pair["b_to_a"]), pair["movement_a"])


def solidarity(
    participations: Iterable[Sequence],
    shares: Iterable[Sequence],
    primary: Mapping[Hashable, Hashable | None],
) -> Solidarity:
    """Every solidarity figure among the groups of ``primary``, at once.

    What ``coalition metrics`` writes and the dashboard shows, from the same
    call: the events between those groups, the flows, the pairs, the
    coalition's reciprocity and each group's figures.

    Parameters
    ----------
    participations, shares : iterable of tuple
        As :func:`solidarity_events` takes them.
    primary : mapping
        Group id -> primary movement (or ``None``) of every group to count;
        events with other groups are left out.

    Examples
    --------
    >>> s = solidarity([("g1", "a1", "organizer"), ("g2", "a1", "partner")], [],
    ...                {"g1": "housing", "g2": "disability"})
    >>> s.counts, s.reciprocity, s.groups["g2"]["given_across"]
    ({'show_up': 1, 'resources': 0}, 0.0, 1)
    """
    primary = dict(primary)
    events = solidarity_events(participations, shares, groups=primary)
    flows = solidarity_flows(events, primary)
    counts = Counter({SHOW_UP: 0, RESOURCES: 0})
    counts.update(kind for kind, *_ in events)
    return Solidarity(
        events=events,
        primary=primary,
        flows=flows,
        pairs=solidarity_pairs(flows),
        groups=group_solidarity(events, primary),
        reciprocity=solidarity_reciprocity(flows),
        counts=dict(counts),
    )
