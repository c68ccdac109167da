"""Who shows up for whom in one date window: the events, and what is behind each flow.

:func:`solidarity_of` is :func:`graph.metrics.solidarity` (what ``coalition
metrics`` writes) on a window of the coalition, optionally only among the
groups of some movements, as ``coalition metrics --movement`` keeps them: the
page, the overview and the group panel show the same numbers as the CLI.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable

from graph.coalition import Coalition
from graph.metrics.solidarity import SHOW_UP, Solidarity, solidarity

__all__ = [
    "solidarity_of",
    "groups_in_movements",
    "flow_items",
    "FlowIndex",
]


def groups_in_movements(coalition: Coalition, movements: Collection[str]) -> set[str]:
    """The groups in at least one of ``movements`` (any of their movements, as the CLI's filter).

    >>> c = Coalition(groups={"g1": {"movements": ["a", "b"]}, "g2": {"movements": ["c"]}})
    >>> sorted(groups_in_movements(c, ["b"]))
    ['g1']
    """
    wanted = set(movements)
    return {g for g, data in coalition.groups.items() if wanted & set(data.get("movements") or ())}


def solidarity_of(coalition: Coalition, groups: Collection[str] | None = None) -> Solidarity:
    """:func:`graph.metrics.solidarity` of ``coalition`` (its window), among ``groups`` if given.

    >>> c = Coalition(
    ...     groups={"g1": {"movements": ["housing"]}, "g2": {"movements": ["disability"]}},
    ...     participations=[("g1", "a1", "organizer"), ("g2", "a1", "partner")])
    >>> solidarity_of(c, ["g1"]).counts
    {'show_up': 0, 'resources': 0}
    """
    kept = set(coalition.groups) if groups is None else set(groups) & set(coalition.groups)
    primary = {g: coalition.primary_movement(g) for g in sorted(kept)}
    return solidarity(coalition.participations, coalition.shares, primary)


class FlowIndex:
    """The events of a :class:`~graph.metrics.Solidarity` by flow, and when each resource began.

    :func:`flow_items` of one flow then reads that flow's events only,
    instead of every event of the window (70,000 at 10,000 groups) and every
    share: a page makes one per window and choice of movements, and each
    click on a cell of the matrix uses it.

    Parameters
    ----------
    solidarity : Solidarity
        The events and the groups' primary movements.
    coalition : Coalition
        The window whose shares date the resources.

    >>> c = Coalition(
    ...     groups={"g1": {"movements": ["housing"]}, "g2": {"movements": ["disability"]}},
    ...     participations=[("g1", "a1", "organizer"), ("g2", "a1", "partner")])
    >>> FlowIndex(solidarity_of(c), c).events[("disability", "housing")]
    [('show_up', 'g2', 'g1', 'a1')]
    """

    def __init__(self, solidarity: Solidarity, coalition: Coalition):
        primary = solidarity.primary
        events: defaultdict[tuple, list] = defaultdict(list)
        for event in solidarity.events:
            events[(primary.get(event[1]), primary.get(event[2]))].append(event)
        #: (giver's movement, receiver's movement) -> its events, in the order of the events.
        self.events: dict[tuple, list] = dict(events)
        starts: dict[Hashable, str] = {}
        for _group, resource, _role, start, *_ in coalition.shares:
            if start and (resource not in starts or start < starts[resource]):
                starts[resource] = start
        #: Resource id -> the first start of its shares (resources without one are absent).
        self.starts = starts


def flow_items(
    solidarity: Solidarity,
    coalition: Coalition,
    a: str,
    b: str,
    *,
    index: FlowIndex | None = None,
) -> list[dict]:
    """The actions and resources behind the flow from movement ``a`` to ``b``.

    One row per item: ``kind`` (``show_up`` or ``resources``), ``id``,
    ``name``, ``date`` (an action's start, a share's first start), ``events``
    (from ``a`` to ``b``), ``givers`` and ``receivers`` (group ids, sorted),
    latest first. ``index`` is a :class:`FlowIndex` of ``solidarity`` and
    ``coalition`` made beforehand (one is made here if not).

    >>> c = Coalition(
    ...     groups={"g1": {"movements": ["housing"]}, "g2": {"movements": ["disability"]}},
    ...     actions={"a1": {"name": "Rent strike", "start_date": "2024-05-01"}},
    ...     participations=[("g1", "a1", "organizer"), ("g2", "a1", "partner")])
    >>> [(r["name"], r["givers"], r["receivers"]) for r in flow_items(solidarity_of(c), c,
    ...                                                               "disability", "housing")]
    [('Rent strike', ['g2'], ['g1'])]
    """
    index = index or FlowIndex(solidarity, coalition)
    items: dict[tuple, dict] = {}
    for kind, giver, receiver, item in index.events.get((a, b), ()):
        row = items.setdefault((kind, item), {"events": 0, "givers": set(), "receivers": set()})
        row["events"] += 1
        row["givers"].add(giver)
        row["receivers"].add(receiver)
    rows = []
    for (kind, item), row in items.items():
        if kind == SHOW_UP:
            record = coalition.actions.get(item, {})
            date = record.get("start_date")
        else:
            record = coalition.resources.get(item, {})
            date = index.starts.get(item)
        rows.append(
            {
                "kind": kind,
                "id": item,
                "name": record.get("name") or item,
                "type": record.get("type"),
                "date": date,
                "events": row["events"],
                "givers": sorted(row["givers"]),
                "receivers": sorted(row["receivers"]),
            }
        )
    rows.sort(key=lambda r: (r["date"] or "", r["id"]), reverse=True)
    return rows
